"""Read a plan's (or a state's) JSON one element at a time, keeping only what the rules can use.

A 100 MB plan decoded whole takes about six times its size in memory. Here the big arrays
(``resource_changes``, the resources of ``planned_values``, ``prior_state`` and
``configuration``, ``relevant_attributes``) are walked element by element with the C
decoder's ``raw_decode``, and an element is kept only when its resource type can matter
to a runtime connector. What comes out has the shape of the plan, so the plan reader does
not know the difference.
"""

from __future__ import annotations

import json
import re

from ..errors import LoadError

#: resource types a connector, its permissions, tags or accounts can depend on
RELEVANT_TYPES = frozenset(
    {
        "aws_iam_role",
        "aws_iam_policy",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_policy_attachment",
        "aws_iam_role_policy_attachments_exclusive",
        "aws_iam_role_policies_exclusive",
        "aws_iam_policy_document",
        "aws_caller_identity",
        "aws_partition",
        "aws_region",
        "sym_integration",
        "sym_runtime",
        "terraform_data",
    }
)
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_ARN_ACCOUNT = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:([0-9]{12}):")


def relevant(res) -> bool:
    t = res.get("type") if isinstance(res, dict) else None
    return not isinstance(t, str) or t in RELEVANT_TYPES or t.startswith("random_")


class _Reader:
    def __init__(self, text: str, shown: str):
        self.s = text
        self.shown = shown
        self.arn_accounts: dict = {}  # provider name -> an account seen in an existing resource's ARN

    def fail(self, pos: int, msg: str):
        line = self.s.count("\n", 0, pos) + 1
        col = pos - (self.s.rfind("\n", 0, pos) + 1) + 1
        raise LoadError(self.shown, line, f"not valid JSON ({msg})", col)

    def ws(self, i: int) -> int:
        m = _WS.match(self.s, i)  # matches the empty string at worst
        return m.end() if m else i

    def value(self, i: int):
        try:
            return _DECODER.raw_decode(self.s, i)
        except json.JSONDecodeError as exc:
            self.fail(exc.pos, exc.msg)
        except RecursionError:
            raise LoadError(self.shown, None, "JSON nested too deeply") from None

    def expect(self, i: int, ch: str) -> int:
        i = self.ws(i)
        if not self.s.startswith(ch, i):
            self.fail(i, f"Expecting {ch!r}")
        return i + 1

    # -------------------------------------------------------------- walking
    def walk(self, i: int, rule):
        """Decode the value at ``i`` following ``rule``; (value, end)."""
        i = self.ws(i)
        if rule is None:
            return self.value(i)
        kind = rule[0]
        ch = self.s[i : i + 1]
        if kind == "object" and ch == "{":
            return self.object(i, rule[1], rule[2] if len(rule) > 2 else None)
        if kind == "array" and ch == "[":
            return self.array(i, rule[1], rule[2])
        return self.value(i)  # not the expected shape: decode it whole, the reader copes

    def object(self, i: int, fields: dict, default):
        out: dict = {}
        i = self.ws(i + 1)
        if self.s.startswith("}", i):
            return out, i + 1
        while True:
            i = self.ws(i)
            if not self.s.startswith('"', i):
                self.fail(i, "Expecting property name enclosed in double quotes")
            key, i = self.value(i)
            i = self.expect(i, ":")
            out[key], i = self.walk(i, fields.get(key, default))
            i = self.ws(i)
            if self.s.startswith(",", i):
                i += 1
                continue
            if self.s.startswith("}", i):
                return out, i + 1
            self.fail(i, "Expecting ',' delimiter")

    def array(self, i: int, element_rule, keep):
        out: list = []
        i = self.ws(i + 1)
        if self.s.startswith("]", i):
            return out, i + 1
        while True:
            item, i = self.walk(i, element_rule)
            if keep is None or keep(item, self):
                out.append(item)
            i = self.ws(i)
            if self.s.startswith(",", i):
                i += 1
                continue
            if self.s.startswith("]", i):
                return out, i + 1
            self.fail(i, "Expecting ',' delimiter")


def _note_arn(res, reader: _Reader) -> None:
    """Remember an account from an existing resource's ARN (the fallback current account)."""
    if not isinstance(res, dict):
        return
    change = res.get("change")
    values = change.get("before") if isinstance(change, dict) else res.get("values")
    arn = values.get("arn") if isinstance(values, dict) else None
    provider = res.get("provider_name")
    if isinstance(arn, str) and isinstance(provider, str) and provider not in reader.arn_accounts:
        m = _ARN_ACCOUNT.match(arn)
        if m:
            reader.arn_accounts[provider] = m.group(1)


def _keep_resource(res, reader: _Reader) -> bool:
    if relevant(res):
        return True
    _note_arn(res, reader)
    return False


def _drop(item, reader) -> bool:
    return False


# rules: ("object", {key: rule}, default rule) | ("array", element rule, keep function) | None (decode whole)
_MODULE_VALUES: tuple = ("object", {})
_MODULE_VALUES[1].update(
    {
        "resources": ("array", None, _keep_resource),
        "child_modules": ("array", _MODULE_VALUES, None),
    }
)
_MODULE_CONFIG: tuple = ("object", {})
_MODULE_CONFIG[1].update(
    {
        "resources": ("array", None, lambda r, _: relevant(r)),
        "module_calls": ("object", {}, ("object", {"module": _MODULE_CONFIG})),
    }
)
_PLAN = (
    "object",
    {
        "resource_changes": ("array", None, _keep_resource),
        "resource_drift": ("array", None, _drop),
        "relevant_attributes": ("array", None, _drop),
        "planned_values": ("object", {"root_module": _MODULE_VALUES}),
        "prior_state": ("object", {"values": ("object", {"root_module": _MODULE_VALUES})}),
        "values": ("object", {"root_module": _MODULE_VALUES}),  # a state's `terraform show -json`
        "configuration": ("object", {"root_module": _MODULE_CONFIG}),
    },
)


def load_plan_text(text: str, shown: str):
    """The plan in ``text``, with resources that cannot matter left out (see RELEVANT_TYPES)."""
    reader = _Reader(text, shown)
    i = reader.ws(0)
    if not text.startswith("{", i):
        value, end = reader.value(i)  # not an object: let the caller say it is not a plan
    else:
        value, end = reader.walk(i, _PLAN)
    if reader.ws(end) != len(text):
        reader.fail(reader.ws(end), "Extra data")
    if isinstance(value, dict) and reader.arn_accounts:
        value["__arn_accounts__"] = reader.arn_accounts
    return value
