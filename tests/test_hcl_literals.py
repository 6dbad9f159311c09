"""A long list of literals costs its size: one match, read when used, the same model as any list.

A literal list of a million elements in a 4 MiB file took 28 s and 2.3 GB; now reading it is
one regular-expression match, tree-sitter reads a copy with the list's inside blank, and the
model holds a copy of its text (``load.hcl_literals``).
"""

from __future__ import annotations

import pickle
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sym_connector_lint.load import hcl_literals, hcl_ts
from sym_connector_lint.load.hcl_literals import LiteralItems

LITERALS = st.one_of(
    st.integers(0, 10**15).map(str),
    st.sampled_from(["1.5", "0.25", "1e3", "2E-2", "1.5e+2", "true", "false", "null", '""']),
    st.text(alphabet="abc:/*-_.0123456789 ", max_size=20).map(lambda s: f'"{s}"'),
)
SEPARATORS = st.sampled_from([",", ", ", ",\n    ", " ,\n", ",\t"])


def _both(text: str, monkeypatch):
    monkeypatch.setattr(hcl_literals, "LIST_MIN", 10**9)
    slow = hcl_ts.parse_hcl(text, "m.tf")
    monkeypatch.setattr(hcl_literals, "LIST_MIN", 1)
    fast = hcl_ts.parse_hcl(text, "m.tf")
    return slow.blocks[0].body.attributes["a"].expr, fast.blocks[0].body.attributes["a"].expr


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(LITERALS, SEPARATORS), min_size=1, max_size=40), st.booleans(), st.booleans())
def test_a_literal_list_read_in_one_piece_is_the_list_read_token_by_token(items, trailing, newline_first):
    body = "".join(lit + sep for lit, sep in items[:-1]) + items[-1][0] + ("," if trailing else "")
    text = "locals {\n  a = [" + ("\n    " if newline_first else "") + body + "\n  ]\n}\n"
    with pytest.MonkeyPatch.context() as mp:
        slow, fast = _both(text, mp)
    assert isinstance(fast.items, LiteralItems) and isinstance(slow.items, tuple)
    assert fast == slow and tuple(fast.items) == slow.items and len(fast.items) == len(slow.items)
    assert pickle.loads(pickle.dumps(fast)) == slow


@pytest.mark.parametrize(
    "body",
    ["1, var.x", '"${x}"', '"a\\\\nb"', "-1", "1 + 2", "1 /* c */, 2", "1.2.3", "0x1", '"$x"', '"é"'],
)
def test_anything_but_plain_literals_is_read_as_any_list(body, monkeypatch):
    monkeypatch.setattr(hcl_literals, "LIST_MIN", 1)
    assert hcl_literals.find_lists(f"a = [{body}]\n".encode()) == {}


def test_a_list_that_only_looks_literal_inside_a_string_is_read_as_it_is(monkeypatch):
    # the match inside the quoted string is not a list of the tree: the file is read as written
    monkeypatch.setattr(hcl_literals, "LIST_MIN", 1)
    text = 'a = ["[", 1, 2, "]", var.x]\n'
    assert hcl_literals.find_lists(text.encode())
    body = hcl_ts.parse_hcl_body(text, "terraform.tfvars")
    items = body.attributes["a"].expr.items
    assert isinstance(items, tuple) and len(items) == 5


def test_a_million_literals_in_a_file_under_the_size_limit_cost_little_memory(tmp_path):
    if sys.version_info < (3, 11):
        pytest.skip("the one-piece read needs Python 3.11 (possessive repeats)")
    import tracemalloc

    from sym_connector_lint.load.files import parse_file

    path = tmp_path / "big.tf"
    path.write_text("locals {\n  a = [" + ",".join(str(i % 1000) for i in range(1_000_000)) + "]\n}\n")
    tracemalloc.start()
    try:
        pf = parse_file(path, "big.tf")
        items = pf.blocks[0].body.attributes["a"].expr.items
        assert len(items) == 1_000_000
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, peak  # the text a few times over (a model value per element took 2.3 GB)
