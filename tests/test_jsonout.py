"""The reports' JSON writer gives exactly the text of ``json.dumps(indent=2, ensure_ascii=False)``."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from sym_connector_lint.report.jsonout import dumps

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
)
keys = st.text() | st.integers() | st.booleans() | st.none()
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=30,
)


@given(values)
def test_same_text_as_the_standard_library(value):
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_what_json_rejects_or_writes_specially_is_left_to_it():
    assert dumps({"a": float("nan")}) == json.dumps({"a": float("nan")}, indent=2, ensure_ascii=False)
    try:
        dumps({"a": object()})
    except TypeError as exc:
        assert "not JSON serializable" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an object json cannot write must raise")
