"""The formatter fixes lay their blocks out with gives what `terraform fmt` gives.

Every fixture and the module are fmt-clean, so formatting them changes nothing; fixture files
with their spacing scrambled (indentation, spaces around `=`, `,` and brackets, trailing spaces)
come out exactly as `terraform fmt -` writes them, when a Terraform is on PATH.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess

import pytest
from conftest import FIXTURES, ROOT

from sym_connector_lint.fix.fmt import FormatError, format_lines, format_text, regions

FILES = (
    sorted(FIXTURES.glob("**/*.tf"))
    + sorted(FIXTURES.glob("**/*.tfvars"))
    + sorted((ROOT / "module").glob("**/*.tf"))
)


def test_formatting_fmt_clean_files_changes_nothing():
    changed = [str(p.relative_to(ROOT)) for p in FILES if format_text(p.read_text()) != p.read_text()]
    assert changed == []


def _scramble(text: str, rnd: random.Random) -> str:
    out = []
    for ln in text.split("\n"):
        r = rnd.random()
        if r < 0.3:
            ln = ln.lstrip()
        elif r < 0.4:
            ln = "   " + ln
        if rnd.random() < 0.3 and '"' not in ln.split("=")[0]:
            ln = re.sub(r"\s*=\s*", lambda m: rnd.choice(["=", " = ", "  =  "]), ln, count=1)
        if rnd.random() < 0.2:
            ln = re.sub(r",\s*", lambda m: rnd.choice([",", " , ", ",  "]), ln)
        if rnd.random() < 0.2:
            ln = re.sub(r"\[\s*", rnd.choice(["[ ", "["]), ln)
        if rnd.random() < 0.1:
            ln += "   "
        out.append(ln)
    return "\n".join(out)


def test_scrambled_files_come_out_as_terraform_fmt_writes_them():
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform on PATH")
    rnd = random.Random(20251)
    sample = rnd.sample([p for p in FILES if p.suffix == ".tf"], 60)
    compared = 0
    for p in sample:
        text = _scramble(p.read_text(), rnd)
        r = subprocess.run([terraform, "fmt", "-"], input=text, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            continue  # the scrambling made it invalid HCL
        compared += 1
        assert format_text(text).rstrip(" \n") == r.stdout.rstrip(" \n"), p
    assert compared >= 40


def test_only_the_paragraphs_asked_for_are_formatted():
    text = "a  = 1\nbb = 2\n\nc = {\n      d = 1\n  eee = 2\n}\n\nf   = 3\n"
    assert regions(text) == [(1, 2), (4, 7), (9, 9)]
    assert format_lines(text, [(4, 7)]) == "a  = 1\nbb = 2\n\nc = {\n  d   = 1\n  eee = 2\n}\n\nf   = 3\n"


def test_heredocs_and_strings_keep_their_text():
    text = 'x = {\n  p = <<EOF\n   {"a":  1}\n  ${ var.y }\nEOF\n  q = "  ${ var.z }  "\n}\n'
    assert format_text(text) == 'x = {\n  p = <<EOF\n   {"a":  1}\n  ${var.y}\nEOF\n  q = "  ${var.z}  "\n}\n'
    with pytest.raises(FormatError):
        format_text('x = "unterminated\n')
