"""The IAM wildcard language: exact containment and witnesses, checked against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sym_connector_lint.iam.patterns import ROLE_SHAPES, Lang, Symbols, TooComplex, matches
from sym_connector_lint.values import CURRENT_ACCOUNT, GENERATED_UUID, LStr, Template, Unknown, unknown

ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"]')
OTHER_ACCT = Unknown(CURRENT_ACCOUNT, 'provider["aws"].other')


def L(*patterns: str, ignore_case: bool = False) -> Lang:
    return Lang.of(*patterns, ignore_case=ignore_case)


# --------------------------------------------------------------------------- matching


def test_star_matches_across_slash_and_colon():
    assert matches("arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/sym/x")
    assert matches("arn:aws:iam::111122223333:role/*", "arn:aws:iam::111122223333:role/a/b/c")
    assert matches("arn:*:role/x", "arn:aws:iam::111122223333:role/x")
    assert matches("*", "")


def test_question_mark_matches_exactly_one_character_including_slash():
    assert matches("role/sym?x", "role/sym/x")
    assert not matches("role/sym?x", "role/symx")
    assert not matches("role/sym?x", "role/sym//x")


def test_square_brackets_are_literal_unlike_fnmatch():
    assert matches("role/[ab]", "role/[ab]")
    assert not matches("role/[ab]", "role/a")


def test_arn_matching_is_case_sensitive_and_action_matching_is_not():
    assert not matches("arn:aws:iam::1:role/Sym/*", "arn:aws:iam::1:role/sym/x")
    assert matches("STS:assume*", "sts:AssumeRole", ignore_case=True)
    assert matches("sts:*", "STS:ASSUMEROLE", ignore_case=True)
    assert not matches("sts:AssumeRole", "sts:assumerole")


def test_pattern_is_anchored_at_both_ends():
    assert not matches("role/sym", "role/sym/x")
    assert not matches("sym/*", "role/sym/x")


# --------------------------------------------------------------------------- containment


def test_role_sym_star_is_not_contained_in_role_sym_slash_star():
    lang = L("arn:aws:iam::1:role/sym*") - L("arn:aws:iam::1:role/sym/*")
    assert not lang.is_empty()
    w = lang.witness()
    assert w == "arn:aws:iam::1:role/sym"  # shortest: the star matching nothing


def test_role_sym_slash_star_is_contained_in_role_s_star():
    assert L("role/sym/*").issubset(L("role/s*"))
    assert L("role/s*").contains(L("role/sym/*"))
    assert not L("role/s*").issubset(L("role/sym/*"))


def test_containment_is_language_inclusion_not_prefix_comparison():
    assert not L("a*b*").issubset(L("a*c"))
    assert L("a*b*").issubset(L("a*"))
    assert not L("a*").issubset(L("a*b*"))
    assert L("a?c").issubset(L("a*"))
    assert L("ab").issubset(L("a?", "x"))
    assert not L("a*").issubset(L("a?*"))  # "a" itself
    assert L("a?*").issubset(L("a*"))


def test_union_of_allowed_patterns_can_contain_what_none_contains_alone():
    assert L("a*").issubset(L("a", "a?*"))
    assert not L("a*").issubset(L("a"))
    assert not L("a*").issubset(L("a?*"))


def test_star_contains_everything_and_nothing_is_empty():
    assert Lang.everything().contains(L("x*y?z"))
    assert Lang.nothing().is_empty()
    assert (Lang.everything() - L("*")).is_empty()
    assert (~Lang.nothing()).contains(L("*"))


def test_action_languages_fold_case():
    assert L("sts:AssumeRole", ignore_case=True).issubset(L("STS:*", ignore_case=True))
    assert L("sts:assume*", ignore_case=True).issubset(L("sts:Assume*", ignore_case=True))
    assert not L("sts:*", ignore_case=True).issubset(L("sts:Assume*", ignore_case=True))


def test_accepts_agrees_with_matches():
    lang = L("arn:aws:iam::*:role/sym/*") - L("arn:aws:iam::1:*")
    assert lang.accepts("arn:aws:iam::2:role/sym/x")
    assert not lang.accepts("arn:aws:iam::1:role/sym/x")
    assert not lang.accepts("arn:aws:iam::2:role/x")


# --------------------------------------------------------------------------- witnesses


def test_witness_of_star_outside_the_sym_scope_is_a_plausible_role_arn():
    allowed = L("arn:aws:iam::111122223333:role/sym/*")
    w = (L("*") - allowed).witness(ROLE_SHAPES)
    assert w == "arn:aws:iam::123456789012:role/a"


def test_witness_account_avoids_the_allowed_account():
    allowed = L("arn:aws:iam::123456789012:role/*")
    w = (L("arn:aws:iam::*:role/*") - allowed).witness(ROLE_SHAPES)
    assert w is not None and w.startswith("arn:aws:iam::")
    account = w.split(":")[4]
    assert len(account) == 12 and account.isdigit() and account != "123456789012"
    assert not allowed.accepts(w)


def test_witness_prefers_lowercase_letters_outside_the_account():
    w = (L("role/*") - L("role/a*")).witness()
    assert w == "role/"
    w = (L("role/?*") - L("role/a*")).witness()
    assert w == "role/b"


def test_witness_renders_other_character_as_one_not_in_the_patterns():
    # every lowercase letter is spelled out, so "other" must be something else
    letters = "abcdefghijklmnopqrstuvwxyz"
    w = (L("?") - L(*letters)).witness()
    assert w is not None and len(w) == 1 and w not in letters


def test_witness_falls_back_to_no_shape_when_shape_is_impossible():
    w = (L("x*") - L("xy*")).witness(ROLE_SHAPES)
    assert w == "x"
    # "arn:..." starts with "a" but not "ab": the shape applies
    assert (L("a*") - L("ab*")).witness(ROLE_SHAPES) == "arn:aws:iam::123456789012:role/a"


def test_witness_of_empty_language_is_none():
    assert (L("role/sym/*") - L("role/*")).witness(ROLE_SHAPES) is None


def test_shape_fields_do_not_swallow_colons():
    syms = Symbols()
    pat = syms.encode(Template(("arn:aws:iam::", ACCT, ":role/*")))
    w = (L(pat) - L("arn:aws:iam::*:role/sym/*")).witness(ROLE_SHAPES)
    assert syms.decode_witness(w) == 'arn:aws:iam::<account of provider["aws"]>:role/a'


# --------------------------------------------------------------------------- unknowns


def test_same_unknown_is_the_same_symbol_and_different_ones_differ():
    syms = Symbols()
    a = syms.encode(Template(("arn:aws:iam::", ACCT, ":role/sym/*")))
    b = syms.encode(Template(("arn:aws:iam::", Unknown(CURRENT_ACCOUNT, 'provider["aws"]'), ":role/*")))
    c = syms.encode(Template(("arn:aws:iam::", OTHER_ACCT, ":role/*")))
    assert L(a).issubset(L(b))
    assert not L(a).issubset(L(c))
    assert not L(a).issubset(L("arn:aws:iam::111122223333:role/*"))


def test_wildcards_match_opaque_symbols():
    syms = Symbols()
    a = syms.encode(Template(("arn:aws:iam::", ACCT, ":role/sym/x")))
    assert matches("arn:aws:iam::*:role/sym/*", a)
    assert matches("arn:aws:iam::?:role/sym/*", a)
    assert L(a).issubset(L("arn:aws:iam::*:role/sym/*"))


def test_encode_can_turn_selected_unknowns_into_stars():
    syms = Symbols()
    t = Template(("arn:aws:iam::", ACCT, ":role/", unknown("var.name")))
    assert syms.encode(t, wildcard=lambda u: u.kind != CURRENT_ACCOUNT).endswith(":role/*")
    assert syms.encode(LStr("abc")) == "abc" and type(syms.encode(LStr("abc"))) is str
    assert len(syms.encode(unknown("x"))) == 1


def test_decode_witness_describes_unknowns():
    syms = Symbols()
    uuid = Unknown(GENERATED_UUID, "random_uuid.external_id")
    s = syms.encode(Template(("id-", uuid)))
    assert syms.decode_witness(s) == "id-<generated by random_uuid.external_id>"
    assert syms.unknown_of(s[-1]) == uuid


# --------------------------------------------------------------------------- brute force

ALPHABET = "ab/"
PATTERN_CHARS = "ab/*?"
patterns = st.text(alphabet=PATTERN_CHARS, min_size=0, max_size=5)
MAX_LEN = 6
ALL_STRINGS = ["".join(p) for n in range(MAX_LEN + 1) for p in itertools.product(ALPHABET + "c", repeat=n)]


def brute_difference(pattern: str, allowed: list[str]) -> list[str]:
    return [s for s in ALL_STRINGS if matches(pattern, s) and not any(matches(a, s) for a in allowed)]


@settings(max_examples=300, deadline=None)
@given(patterns, st.lists(patterns, max_size=3))
def test_containment_and_witness_agree_with_brute_force(pattern, allowed):
    lang = L(pattern) - L(*allowed)
    w = lang.witness()
    brute = brute_difference(pattern, allowed)
    if w is None:
        assert lang.is_empty()
        assert brute == []
        assert L(pattern).issubset(L(*allowed))
    else:
        assert not lang.is_empty()
        assert matches(pattern, w)
        assert not any(matches(a, w) for a in allowed)
        assert lang.accepts(w)
        if brute:
            assert len(w) <= min(len(s) for s in brute)  # shortest
        assert not L(pattern).issubset(L(*allowed))


@settings(max_examples=200, deadline=None)
@given(patterns, patterns, st.text(alphabet=ALPHABET + "c", max_size=6))
def test_boolean_operations_agree_with_matching(p, q, s):
    a, b = matches(p, s), matches(q, s)
    assert (L(p) | L(q)).accepts(s) == (a or b)
    assert (L(p) & L(q)).accepts(s) == (a and b)
    assert (L(p) - L(q)).accepts(s) == (a and not b)
    assert (~L(p)).accepts(s) == (not a)


@settings(max_examples=200, deadline=None)
@given(patterns, st.lists(patterns, max_size=3))
def test_shaped_witness_is_still_in_the_difference(pattern, allowed):
    arn = "arn:aws:iam::111122223333:role/"
    lang = L(arn + pattern) - L(*(arn + a for a in allowed))
    w = lang.witness(ROLE_SHAPES)
    assert (w is None) == lang.is_empty()
    if w is not None:
        assert matches(arn + pattern, w)
        assert not any(matches(arn + a, w) for a in allowed)


@settings(max_examples=100, deadline=None)
@given(patterns, st.text(alphabet=ALPHABET, max_size=5))
def test_case_insensitive_languages_agree_with_matches(p, s):
    upper = s.upper()
    assert L(p, ignore_case=True).accepts(upper) == matches(p, upper, ignore_case=True)
    assert matches(p, upper, ignore_case=True) == matches(p, s)


# --------------------------------------------------------------------------- value sets and shapes


def test_value_set_reads_unknown_account_as_twelve_characters_of_one_field():
    probe = Lang.value_set(Template(("arn:aws:iam::", ACCT, ":role/sym/probe")))
    assert probe.accepts("arn:aws:iam::123456789012:role/sym/probe")
    assert not probe.accepts("arn:aws:iam::1234:role/sym/probe")
    assert not probe.accepts("arn:aws:iam::1234567890:a:role/sym/probe")
    assert not probe.intersects(L("arn:aws:iam::*:role/sym/*secret*"))
    assert probe.intersects(L("arn:aws:iam::111122223333:role/sym/*"))


def test_value_set_treats_literal_wildcards_as_text_unless_asked():
    assert Lang.value_set("a*").accepts("a*") and not Lang.value_set("a*").accepts("ab")
    assert Lang.value_set("a*", as_pattern=True).accepts("ab")
    assert Lang.value_set(Template(("x", unknown("v")))).accepts("x:any/thing")


def test_shape_fields_exclude_separators():
    shape = Lang.shape("arn:#*:iam::?*:role/*#")
    assert shape.accepts("arn:aws:iam::1:role/a")
    assert not shape.accepts("arn:aws:iam::1:x:role/a")
    assert not shape.accepts("arn:aws:iam::1:role/a/")
    assert not shape.accepts("arn::iam::1:role/a")


def test_pathological_patterns_raise_too_complex_quickly():
    with pytest.raises(TooComplex):
        L("*a" + "?" * 20).is_empty()


# --------------------------------------------------------------------------- hostile sizes


def _regex_reference(pattern: str, text: str) -> bool:
    import re

    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(body, text, re.DOTALL) is not None


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab*?", max_size=8), st.text(alphabet="ab", max_size=10))
def test_glob_matching_agrees_with_a_regular_expression(pattern, text):
    assert matches(pattern, text) == _regex_reference(pattern, text)


def test_glob_matching_does_not_backtrack_exponentially():
    # a backtracking regular expression needs about 2**30 steps for this; the matcher a few thousand
    assert not matches("*a" * 30 + "b", "a" * 200)
    assert matches("*a" * 30 + "*", "a" * 200)


def test_a_union_of_hundreds_of_patterns_is_one_flat_node():
    lang = Lang.nothing()
    for i in range(500):
        lang = lang | L(f"arn:aws:iam::{100000000000 + i}:role/sym/*")
    assert lang._node[0] == "or" and len(lang._node) == 501  # one level, whatever the count
    assert lang.accepts("arn:aws:iam::100000000499:role/sym/x")
    assert not lang.accepts("arn:aws:iam::100000000500:role/sym/x")
    assert lang.issubset(L("arn:aws:iam::*:role/sym/*"))


def test_a_deep_alternation_of_operators_is_evaluated_without_recursion():
    lang = L("*")
    for i in range(3000):  # and, or, not alternate: nothing to flatten
        lang = (lang - L(f"x{i}*")) | L(f"y{i}")
    assert lang.accepts("y2999") and lang.accepts("zz")
    assert not lang.accepts("x5")
    assert not lang.is_empty()


@st.composite
def formulas(draw, depth=0):
    """A random boolean formula over patterns: (Lang, a function deciding one string)."""
    if depth > 6 or draw(st.booleans()):
        p = draw(patterns)
        return L(p), lambda s, p=p: matches(p, s)
    op = draw(st.sampled_from(["or", "and", "sub", "not"]))
    la, fa = draw(formulas(depth + 1))
    if op == "not":
        return ~la, lambda s: not fa(s)
    lb, fb = draw(formulas(depth + 1))
    if op == "or":
        return la | lb, lambda s: fa(s) or fb(s)
    if op == "and":
        return la & lb, lambda s: fa(s) and fb(s)
    return la - lb, lambda s: fa(s) and not fb(s)


@settings(max_examples=200, deadline=None)
@given(formulas(), st.text(alphabet=ALPHABET + "c", max_size=6))
def test_flattened_formulas_accept_what_their_patterns_decide(formula, s):
    lang, decide = formula
    assert lang.accepts(s) == decide(s)
    w = lang.witness()
    assert (w is None) == lang.is_empty()
    if w is not None:
        assert decide(w)


def test_an_automaton_too_large_is_refused_once_and_remembered():
    from sym_connector_lint.iam import patterns

    lang = Lang.union(L(f"arn:aws:iam::{100000000000 + 7919 * i}:role/sym/{i}*") for i in range(2500))
    for _ in range(2):
        with pytest.raises(TooComplex):
            lang.is_empty()
    info = patterns._compiled.cache_info()
    assert info.hits >= 1  # the second question did not build it again
