"""A differential test against Terraform's own parser: the linter refuses what Terraform refuses,
at one of the lines Terraform names and with its summary, and accepts what Terraform accepts.

Terraform's verdict is ``terraform fmt``'s (it parses each file fully with HCL's native syntax
parser before formatting anything), one process for a whole batch of files. In the suite a fixed
sample runs in a few seconds: the pinned cases of tests/hcl_cases.py, mutated files of the
fixtures and the module, and valid files with comments put between their tokens. For a long run:

    SYM_TF_SYNTAX_EXAMPLES=20000 [SYM_TF_SYNTAX_CORPUS=/path/to/terraform] pytest tests/test_terraform_syntax.py -s

(``SYM_TF_SYNTAX_CORPUS``: a folder of real ``.tf`` files, kept outside the repository, whose files
are mutated too.) The figures are printed; a disagreement fails the test with the inputs, which
are kept as cases of tests/hcl_cases.py or fixtures/hostile/. Two divergences are known and only
counted: the linter's nesting bound, and bytes that are not UTF-8 next to an identifier.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT
from hcl_cases import CASES, COMMENTS_EVERYWHERE
from terraform_syntax import compare, linter_text, mutate, syntax_oracle, verdicts, with_comments

from sym_connector_lint.load.hcl import parse_hcl

EXAMPLES = int(os.environ.get("SYM_TF_SYNTAX_EXAMPLES", "0"))
CORPUS = os.environ.get("SYM_TF_SYNTAX_CORPUS")
SAMPLES = sorted(
    p
    for base in (FIXTURES / "rules", FIXTURES / "modules_cases", ROOT / "module")
    for p in base.rglob("*.tf")
)


@pytest.fixture(scope="module")
def terraform():
    tf = syntax_oracle()
    if isinstance(tf, str):
        pytest.skip(tf)
    return tf


def _report(name: str, result: dict) -> str:
    counts = {k: len(v) for k, v in result.items()}
    line = f"{name}: " + ", ".join(f"{k} {n}" for k, n in counts.items())
    print(line)
    return line


#: Of mutated files both refuse, the share whose first error the linter may name at another
#: place or in other words than Terraform (tree-sitter's error recovery ends elsewhere than
#: HCL's in a few); what Terraform accepts and refuses is never allowed to differ.
PLACE_SLACK = 0.05


def _check(name: str, texts: list[bytes], tf, exact: bool = True) -> dict:
    result = compare(texts, verdicts(tf, texts))
    summary = _report(name, result)
    bad = result["missed"] + result["refused"]
    elsewhere = result["place"] + result["words"]
    if exact or len(elsewhere) > PLACE_SLACK * len(texts):
        bad += elsewhere
    assert not bad, (
        summary
        + "\n"
        + "\n\n".join(
            f"terraform: {theirs}\nlinter:    {mine}\n{data[:3000]!r}" for data, theirs, mine in bad[:5]
        )
    )
    return result


def test_the_pinned_cases_are_what_terraform_says(terraform):
    texts = [text.encode("utf-8", "surrogateescape") for _, text, _ in CASES]
    result = _check("pinned cases", texts, terraform)
    assert len(result["agree"]) == len(CASES)


def test_the_hostile_fixtures_are_what_terraform_says(terraform):
    # their expected.json pins the linter's verdict; Terraform must give the same one
    # a case of one of the linter's own bounds ("bound" in its expected.json: docs/robustness.md)
    # is refused where Terraform reads it, on purpose
    bounded = {c for c in (FIXTURES / "hostile").iterdir() if "bound" in _expected(c)}
    files = sorted(
        p
        for p in (FIXTURES / "hostile").rglob("*.tf.in")
        if p.stat().st_size < 1_000_000 and not bounded.intersection(p.parents)
    )
    texts = [p.read_bytes() for p in files]
    result = _check("hostile fixtures", texts, terraform)
    assert len(result["agree"]) == len(files) - len(result["nesting"]) and len(result["nesting"]) <= 1


def _expected(case: Path) -> dict:
    path = case / "expected.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _sources() -> list[bytes]:
    files = list(SAMPLES)
    if CORPUS:
        files += sorted(Path(CORPUS).rglob("*.tf"))
    return [f.read_bytes() for f in files]


def test_mutated_files_are_refused_where_terraform_refuses_them(terraform):
    rnd = random.Random(22)
    sources = _sources()
    n = EXAMPLES or 150
    total: dict = {}
    refused = 0
    for start in range(0, n, 1000):
        texts = [mutate(rnd.choice(sources), rnd) for _ in range(min(1000, n - start))]
        result = _check(f"mutated files {start}-{start + len(texts)}", texts, terraform, exact=False)
        refused += sum(1 for _, theirs, _ in result["agree"] if theirs)
        for k, v in result.items():
            total[k] = total.get(k, 0) + len(v)
    print(f"mutated files, all: {total}; Terraform refused {refused} of the {total['agree']} agreed")
    assert n // 4 <= refused <= n - n // 10  # the sample holds both kinds
    # all but the known difference of bytes that are not UTF-8 (docs/parser.md) and PLACE_SLACK
    assert total["agree"] + total["bad-bytes"] >= (1 - PLACE_SLACK) * n


def test_comments_between_any_tokens_are_read_as_terraform_reads_them(terraform):
    rnd = random.Random(23)
    sources = [s for s in _sources() if b"\r" not in s] + [COMMENTS_EVERYWHERE.encode()]
    n = EXAMPLES or 60
    texts = []
    for _ in range(n):
        text = linter_text(rnd.choice(sources))
        texts.append(with_comments(text, rnd, rnd.randrange(1, 12)).encode("utf-8", "surrogateescape"))
    result = _check("comment placements", texts, terraform)
    # where Terraform accepts them (a line comment where a line break ends an argument it refuses),
    # the comments change nothing: the model is the one of the file without them
    accepted = [data for data, theirs, _ in result["agree"] if not theirs]
    assert len(accepted) >= n // 4
    from test_hcl_syntax import _without_comments, shape

    for data in accepted:
        text = linter_text(data)
        assert shape(parse_hcl(text, "main.tf").blocks) == shape(
            parse_hcl(_without_comments(text), "main.tf").blocks
        )
