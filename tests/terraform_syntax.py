"""Terraform's own verdict on HCL syntax: ``terraform fmt`` parses a file fully (HCL's native
syntax parser runs before any formatting), so a file it refuses is one Terraform refuses.

``verdicts`` writes many texts into one folder and runs ``terraform fmt -check`` once over it;
each file's verdict is the list of (line, summary) of the errors Terraform names for it (empty:
accepted). ``linter_verdict`` reads the same bytes as the linter reads a ``.tf`` or ``.tfvars``
file and gives (line, summary) of its one error, or None.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from oracle import Terraform, find_terraform

from sym_connector_lint.errors import LoadError
from sym_connector_lint.load.hcl import parse_hcl, parse_hcl_body

#: The oldest Terraform whose parser this linter's is compared with: 1.8 reads provider-defined
#: functions (``provider::aws::arn_parse(...)``), which HCL before 2.20 refuses.
OLDEST = (1, 8, 0)
_DIAG = re.compile(r"^Error: (.+?)\n\n  on (?:.*/)?([^/\n]+?) line (\d+)", re.M)


def syntax_oracle() -> Terraform | str:
    """A Terraform new enough to compare with, or why there is none."""
    tf = find_terraform()
    if isinstance(tf, str):
        return tf
    if tf.version < OLDEST:
        return (
            f"Terraform {'.'.join(map(str, tf.version))} at {tf.path} is older than "
            f"{'.'.join(map(str, OLDEST))}, whose HCL parser is the one compared with"
        )
    return tf


def verdicts(tf: Terraform, texts: list[bytes], suffix: str = ".tf") -> list[list[tuple[int, str]]]:
    """Terraform's errors for each text: [(line, summary)], empty where it accepts the text."""
    folder = Path(tempfile.mkdtemp(prefix="tf-syntax-"))
    try:
        names = [f"f{i:05d}{suffix}" for i in range(len(texts))]
        for name, data in zip(names, texts, strict=True):
            (folder / name).write_bytes(data)
        proc = subprocess.run(
            [tf.path, "fmt", "-no-color", "-check", "-list=false", "."],
            cwd=folder,
            capture_output=True,
            text=True,
            errors="replace",
            env=tf.env,
            timeout=600,
        )
        found: dict[str, list[tuple[int, str]]] = {n: [] for n in names}
        for m in _DIAG.finditer(proc.stderr):
            if m.group(2) in found:
                found[m.group(2)].append((int(m.group(3)), m.group(1)))
        if proc.returncode not in (0, 3) and not any(found.values()):
            raise AssertionError(f"terraform fmt failed without naming a file: {proc.stderr[:2000]}")
        return [found[n] for n in names]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def linter_text(data: bytes) -> str:
    """The text the linter parses for a file's bytes (``load.files.read_text`` for HCL)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", "surrogateescape")
    return text.replace("\r\n", "\n") if "\r" in text else text


def linter_verdict(data: bytes, name: str = "main.tf") -> tuple[int, str] | None:
    """The linter's error for a file's bytes, as (line, Terraform's summary), or None."""
    text = linter_text(data)
    try:
        if name.endswith(".tfvars"):
            parse_hcl_body(text, name)
        else:
            parse_hcl(text, name)
    except LoadError as exc:
        return exc.line or 0, exc.message.split(":")[0]
    return None
