"""Evaluating one expression in a scope: templates, objects, calls, operators, ``for`` expressions.

Values not known before apply stay symbolic (see ``values.py``). Unsupported functions,
failures and budget overruns become unknowns with a note: evaluation never raises for a
problem of the input, never runs for long and never builds more than its budget (``budget.py``:
steps, elements, characters, counted where each value is made).
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..model import (
    BinOp,
    Call,
    Conditional,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    ObjectExpr,
    ScopeRef,
    Span,
    Splat,
    TemplateExpr,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    UnaryOp,
)
from ..values import (
    ACCOUNT_ID,
    CURRENT_ACCOUNT,
    CURRENT_PARTITION,
    CURRENT_REGION,
    GENERATED_UUID,
    PARTITIONS,
    RESOURCE_ATTR,
    LDict,
    LList,
    LStr,
    More,
    Template,
    Unknown,
    element_of,
    is_known,
    make_template,
    maybe,
    more,
    more_of,
    named,
    unknown,
)
from . import functions as fn
from .budget import EXPANSION, STEPS, Budget, OverBudget, bounded_number
from .budget import active as budget_active
from .failures import failure, first_failure, is_failure
from .instances import _PROXIES, Note, Scope
from .references import References
from .render import render

if TYPE_CHECKING:
    from ..load.fileview import FileView

EXPANSION_BUDGET = EXPANSION  # elements a single for-expression or count may produce
STEP_BUDGET = STEPS  # expression evaluations for one root module (a few seconds at most)
OVER_BUDGET = "evaluation budget exceeded"  # the reason of an unknown the budget made


class BudgetExceeded(Exception):
    pass


class ExpressionEvaluator(References):
    """The expression half of the evaluator; ``core.Evaluator`` adds the module tree."""

    notes: list[Note]
    steps: int
    budget: Budget  # what this root module's evaluation may still build
    files: FileView  # what file() and templatefile() may read
    _noted: set[tuple[Span | None, str]]

    def note(self, span: Span | None, message: str) -> None:
        key = (span, message)
        if key not in self._noted:
            self._noted.add(key)
            self.notes.append(Note(span, message))

    # ------------------------------------------------------------------ evaluation
    def eval_attr(self, expr, scope: Scope):
        """Evaluate an attribute's expression; never raises for a problem of the input."""
        try:
            return self.eval(expr, scope)
        except BudgetExceeded:
            self.note(
                expr.span,
                f"{OVER_BUDGET} (more than {STEP_BUDGET:,} steps in one root module); value analysed as unknown",
            )
            return unknown(OVER_BUDGET, span=expr.span)
        except RecursionError:
            self.note(expr.span, "expression nested too deeply; value analysed as unknown")
            return unknown("expression nested too deeply", span=expr.span)

    def eval(self, e, scope: Scope):
        self.steps += 1
        if self.steps > STEP_BUDGET:
            raise BudgetExceeded()
        t = type(e)
        if t is Lit:
            v = e.value
            if isinstance(v, str):
                return self.made(LStr(_nfc(v), e.span), e.span)
            return v
        if t is ScopeRef:  # a name: a for expression's own binds a value named already
            return self.eval_name(e, scope)
        if t is GetAttr:
            v = self.eval_getattr(e, scope)
        elif t is Index:
            v = self.eval_index(e, scope)
        elif t is Conditional:
            v = self.eval_conditional(e, scope)
        elif t is BinOp:
            v = self.eval_binop(e, scope)
        elif t is UnaryOp:
            v = self.eval_unary(e, scope)
        # the constructors: what they make is counted against the budget
        elif t is TemplateExpr:
            v = self.made(self.eval_template(e, scope), e.span)
        elif t is TupleExpr:
            items = [self.eval(x, scope) for x in e.items]
            refused = next((x for x in items if _refused(x)), None)  # built from it: refused too
            v = first_failure(items) or refused or self.made(LList(items, e.span), e.span)
        elif t is ObjectExpr:
            v = self.made(self.eval_object(e, scope), e.span)
        elif t is Splat:
            v = self.made(self.eval_splat(e, scope), e.span)
        elif t is Call:
            v = self.made(self.eval_call(e, scope), e.span)
        elif t is ForExpr:
            v = self.made(self.eval_for(e, scope), e.span)
        else:
            return unknown("unsupported expression", type(e).__name__, getattr(e, "span", None))
        if isinstance(v, Unknown) and not v.text:
            return named(v, render(e))  # an unknown is named by the expression that made it
        return v

    def made(self, value, span: Span | None):
        """``value``, just made by an expression, counted against the budget (or an unknown)."""
        if isinstance(value, str):  # the common case, without measuring
            budget = self.budget
            if len(value) > budget.characters:
                return self.over_budget(OverBudget(budget.too_many_characters()), span)
            budget.characters -= len(value)
            return value
        if isinstance(value, (list, dict, Template)):
            try:
                self.budget.charge(value)
            except OverBudget as exc:
                return self.over_budget(exc, span)
        return value

    def over_budget(self, exc: OverBudget, span: Span | None):
        self.note(span, f"{OVER_BUDGET} ({exc.what} in one root module); value analysed as unknown")
        return unknown(OVER_BUDGET, exc.what, span)

    # ---- templates
    def eval_template(self, e: TemplateExpr, scope: Scope):
        if (
            len(e.parts) == 1
            and not isinstance(e.parts[0], str)
            and type(e.parts[0])
            not in (
                TemplateIf,
                TemplateFor,
            )
        ):
            v = self.eval(e.parts[0], scope)  # "${x}" is x itself, unconverted
            return v
        try:
            return self._template(e, scope)
        except OverBudget as exc:
            return self.over_budget(exc, e.span)
        except _Tainted as t:  # a text too large to build stays one unknown: its copies are not counted
            return t.value

    def _template(self, e: TemplateExpr, scope: Scope):
        parts: list = []
        origins: list = []
        for p in e.parts:
            if isinstance(p, str):
                parts.append(_nfc(p))
                continue
            if type(p) is TemplateIf:
                c = self.eval(p.cond, scope)
                if isinstance(c, (Unknown, Template)):  # either branch's text: a hole
                    parts.append(unknown("template condition not known", span=p.span))
                    continue
                branch = p.then if c else p.else_
                if branch is not None:
                    parts.append(self._template_str(self.eval_template_parts(branch, scope), e.span))
                continue
            if type(p) is TemplateFor:
                self._template_for(p, scope, e.span, parts)
                continue
            v = self.eval(p, scope)
            if is_failure(v):
                return v
            if type(v) is not LStr or v.origins or v.span is None or v.span.file != e.span.file:
                origins.extend(_origins(v, e.span))
            parts.append(self._template_str(v, e.span))
        # the text is counted before it is joined; a part the budget refused makes it refused
        size = 0
        for x in parts:
            if isinstance(x, str):
                size += len(x)
            elif isinstance(x, Template):
                size += sum(len(q) for q in x.parts if isinstance(q, str))
            elif _refused(x):
                raise _Tainted(x)
        self.budget.reserve(characters=size)
        out = make_template(parts, e.span)
        if origins:
            if isinstance(out, LStr):
                out.origins = tuple(dict.fromkeys(origins))
            elif isinstance(out, Template):
                out = Template(out.parts, out.span, tuple(dict.fromkeys(origins)))
        return out

    def _template_for(self, p: TemplateFor, scope: Scope, span: Span, parts: list) -> None:
        """The text of a template ``for`` directive into ``parts``, counted as it grows."""
        coll = self.eval(p.coll, scope)
        items = self._iter_items(coll, span)
        if items is None:  # text for elements not known: a hole
            parts.append(unknown("template for over an unknown collection", span=p.span))
            return
        room, size = self.budget.characters, 0
        for k, v in items:
            if isinstance(v, More):
                parts.append(unknown("template for over elements not known", v.key, p.span))
                continue
            b = {p.val_var: v}
            if p.key_var:
                b[p.key_var] = k
            x = self._template_str(self.eval_template_parts(p.body, scope.bind(**b)), span)
            if _refused(x):
                raise _Tainted(x)
            parts.append(x)
            size += len(x) if isinstance(x, str) else 1
            if size > room:
                raise OverBudget(self.budget.too_many_characters())

    def eval_template_parts(self, t: TemplateExpr, scope: Scope):
        return self.eval_template(TemplateExpr(t.parts + ("",), t.span), scope)

    def _template_str(self, v, span):
        if isinstance(v, (Unknown, Template)):
            return v
        if isinstance(v, _PROXIES):
            return unknown("object in template", span=span)
        try:
            return fn.to_str(v, "interpolated value")
        except fn.FunctionError as exc:
            return failure(str(exc), span=span)

    # ---- objects
    def eval_object(self, e: ObjectExpr, scope: Scope):
        out = LDict({}, e.span)
        for k_expr, v_expr in e.items:
            k = self.eval(k_expr, scope)
            v = self.eval(v_expr, scope)
            if is_failure(k) or is_failure(v):
                return k if is_failure(k) else v
            if isinstance(k, (Unknown, Template)):
                self.note(k_expr.span, "object key not known")
                continue
            k = fn.to_str(k) if not isinstance(k, str) else str(k)
            out[k] = v
            out.key_spans[k] = v_expr.span
        return out

    # ---- calls
    def eval_call(self, e: Call, scope: Scope):
        name = e.name.removeprefix("core::").removeprefix("provider::terraform::")
        if name in ("try", "can"):
            return self._try_can(name, e, scope)
        if name in fn.FILE_FUNCTIONS or name == "templatestring":
            return self._file_fn(name, e, scope)
        args = [self.eval(a, scope) for a in e.args]
        failed = first_failure(args)
        if failed is not None:
            return failed  # Terraform reports the argument's error and does not call
        if e.expand_last and args:
            last = args.pop()
            if isinstance(last, Unknown):
                return unknown(f"{name}(...) of an unknown list", span=e.span)
            args.extend(last if isinstance(last, list) else [last])
        f = fn.lookup_function(name)
        if f is None:
            self.note(e.span, f"function {name}() is not supported; its result is analysed as unknown")
            return unknown("unsupported function", name, e.span)
        args = [self.materialize(a) for a in args]
        return self._apply(name, f, args, e.span)

    def _apply(self, name: str, f, args: list, span: Span | None):
        """Call a function; what it cannot be applied to is an evaluation error with a note."""
        try:
            with budget_active(self.budget):
                out = f(args, span)
            if isinstance(out, Unknown) and out.cause is None:
                out = named(out, "", next((a for a in args if not is_known(a)), None))
            if isinstance(out, Unknown) and out.key in fn.NOTED:
                self.note(span, f"{name}(): {out.key}; its result is analysed as unknown")
            return out
        except OverBudget as exc:
            return self.over_budget(exc, span)
        except fn.FunctionError as exc:
            self.note(span, f"{name}(): {exc}")
            return failure(f"{name}() failed", str(exc), span)
        except (
            TypeError,
            ValueError,
            ZeroDivisionError,
            IndexError,
            KeyError,
            AttributeError,
            OverflowError,
        ) as exc:
            self.note(span, f"{name}(): cannot be applied to these arguments ({exc})")
            return failure(f"{name}() failed", str(exc), span)

    def _try_can(self, name: str, e: Call, scope: Scope):
        """``try``: the first argument that evaluates without error; ``can``: whether it does.

        Every evaluation error counts (a distinct kind of value); a value known only after apply
        is no error: ``try`` keeps it (unknown), ``can`` of it is unknown.
        """
        if name == "can" and len(e.args) != 1:
            return failure("can() takes exactly one argument", span=e.span)
        if not e.args:
            return failure("try() needs at least one argument", span=e.span)
        for a in e.args:
            v = self.eval(a, scope)
            if name == "can":
                if is_failure(v):
                    return False
                return (
                    True if is_known(v) else unknown("can() of a value known only after apply", span=e.span)
                )
            if not is_failure(v):
                return v
        self.note(e.span, "try(): no expression succeeded")
        return failure("try() failed", "no expression succeeded", e.span)

    def _file_fn(self, name: str, e: Call, scope: Scope):
        if not e.args:
            return failure(f"{name}() needs arguments", span=e.span)
        if name == "templatestring":
            return self._template_fn(name, e, scope, self.eval(e.args[0], scope), "<templatestring>")
        path = self.eval(e.args[0], scope)
        if is_failure(path):
            return path
        if not isinstance(path, str):
            return unknown(f"{name}() of an unknown path", span=e.span)
        files = self.files
        if name == "templatefile":
            # paths are relative to the root module's folder, as Terraform's working directory
            text = files.text(str(path))
            if text is None:
                self.note(
                    e.span, f"{name}({str(path)!r}): {files.unreadable(str(path))}; analysed as unknown"
                )
                return unknown(f"{name}() not readable", str(path), e.span)
            return self._template_fn(name, e, scope, LStr(text, e.span), str(path))
        rest = [self.materialize(self.eval(a, scope)) for a in e.args[1:]]
        access = fn.FileAccess(read_text=files.text, list_files=files.list_files)
        out = self._apply(name, lambda a, s: fn.call_file_function(name, a, access, s), [path, *rest], e.span)
        if isinstance(out, Unknown) and "not readable" in out.key:
            self.note(e.span, f"{name}({str(path)!r}): {files.unreadable(str(path))}; analysed as unknown")
        return out

    def _template_fn(self, name: str, e: Call, scope: Scope, text, shown: str):
        if is_failure(text):
            return text
        if not isinstance(text, str):
            return unknown(f"{name}() of a template known only after apply", span=e.span)
        tvars = self.eval(e.args[1], scope) if len(e.args) > 1 else LDict({})
        if is_failure(tvars):
            return tvars
        if not isinstance(tvars, dict):
            return unknown(f"{name}() variables not known", span=e.span)
        tmpl = self.files.parse_template(str(text), shown, e.span)
        if not isinstance(tmpl, TemplateExpr):
            self.note(e.span, f"{name}({shown!r}): {tmpl}")
            return failure(f"{name}() failed", str(tmpl), e.span)
        return self.eval_template(tmpl, Scope(scope.module, dict(tvars)))

    # ---- operators
    def eval_conditional(self, e: Conditional, scope: Scope):
        c = self.eval(e.cond, scope)
        if is_failure(c):
            return c
        if isinstance(c, (Unknown, Template)):
            then = self.eval(e.then, scope)
            else_ = self.eval(e.else_, scope)
            if then == else_ and is_known(then):
                return then
            if (
                isinstance(then, list)
                and isinstance(else_, list)
                and not (is_failure(then) or is_failure(else_))
            ):
                # one list or the other: each element is one of theirs, maybe
                out = [x if isinstance(x, More) else maybe(x, c, e.span) for x in [*then, *else_]]
                return LList(out, e.span)
            return named(unknown("condition not known", "", e.span), "", c)
        return self.eval(e.then if c else e.else_, scope)

    def eval_binop(self, e: BinOp, scope: Scope):
        op = e.op
        left = self.eval(e.left, scope)
        if is_failure(left):
            return left
        if op == "&&" and left is False:
            return False
        if op == "||" and left is True:
            return True
        right = self.eval(e.right, scope)
        if is_failure(right):
            return right
        if op in ("==", "!="):
            if (
                not is_known(left)
                or not is_known(right)
                or isinstance(left, _PROXIES)
                or isinstance(right, _PROXIES)
            ):
                eq = _refined_equal(left, right)
                if eq is None:
                    return named(unknown("comparison of unknown values", span=e.span), "", [left, right])
                return eq if op == "==" else not eq
            eq = _tf_equal(left, right)
            return eq if op == "==" else not eq
        if op in ("&&", "||"):
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if op == "&&" else (left or right)
            if op == "&&" and right is False:
                return False
            if op == "||" and right is True:
                return True
            return named(unknown("logic on unknown values", span=e.span), "", [left, right])
        try:
            a, b = _num(left), _num(right)
        except ValueError:
            return failure("arithmetic on non-numbers", op, e.span)
        if a is None or b is None:
            return named(unknown("arithmetic on unknown values", span=e.span), "", [left, right])
        try:
            return bounded_number(
                {
                    "+": lambda: a + b,
                    "-": lambda: a - b,
                    "*": lambda: a * b,
                    "/": lambda: a / b,
                    "%": lambda: a % b,
                    "<": lambda: a < b,
                    ">": lambda: a > b,
                    "<=": lambda: a <= b,
                    ">=": lambda: a >= b,
                }[op]()
            )
        except OverflowError:  # a quotient of whole numbers beyond a float's range
            return float("inf") if (a < 0) == (b < 0) else float("-inf")
        except (ZeroDivisionError, KeyError):
            return failure("arithmetic failed", op, e.span)

    def eval_unary(self, e: UnaryOp, scope: Scope):
        v = self.eval(e.operand, scope)
        if is_failure(v):
            return v
        if e.op == "!":
            return (not v) if isinstance(v, bool) else unknown("negation of unknown", span=e.span)
        try:
            n = _num(v)
        except ValueError:
            return unknown("negative of a non-number", span=e.span)
        return -n if n is not None else unknown("negative of unknown", span=e.span)

    def _iter_items(self, coll, span):
        if isinstance(coll, dict):
            return [(k, coll[k]) for k in sorted(coll)]
        if isinstance(coll, list):
            return list(enumerate(coll))
        return None

    def eval_for(self, e: ForExpr, scope: Scope):
        coll = self.eval(e.coll, scope)
        if is_failure(coll):
            return coll
        if isinstance(coll, Unknown) and not isinstance(coll, Template) and e.key_expr is None:
            coll = [more_of(coll, e.span)]  # a list of unknown length: "maybe elements"
        items = self._iter_items(coll, e.span)
        if items is None:
            return unknown("for over an unknown collection", span=e.span)
        if len(items) > EXPANSION_BUDGET:
            self.note(e.span, f"for expression over {len(items)} elements is over the budget")
            return unknown("for expression over budget", span=e.span)
        out_list: list = []
        out_map = LDict({}, e.span)
        index_known = True
        for k, v in items:
            maybe = isinstance(v, More)  # zero or more elements: bind a stand-in for one of them
            why = v.of if maybe else None  # what makes this element a "maybe" (for why_unknown)
            if maybe:
                index_known = False
                v = element_of(v, e.span)
            b = {e.val_var: v}
            if e.key_var:
                b[e.key_var] = k if index_known else unknown("index not known", span=e.span)
            s = scope.bind(**b)
            if e.cond is not None:
                c = self.eval(e.cond, s)
                if is_failure(c):
                    return c
                if c is False or (not isinstance(c, (Unknown, Template)) and not c):
                    continue
                if isinstance(c, (Unknown, Template)):
                    maybe = True  # an unknown filter: this element, maybe
                    why = why or c
            if e.key_expr is None:
                val = self.eval(e.val_expr, s)
                if is_failure(val):
                    return val
                out_list.append(
                    named(more("a for expression over values not known", span=e.span, each=val), "", why)
                    if maybe
                    else val
                )
            else:
                if maybe:
                    return unknown("for condition not known", span=e.span)
                key = self.eval(e.key_expr, s)
                if is_failure(key):
                    return key
                if isinstance(key, (Unknown, Template)):
                    return unknown("for key not known", span=e.span)
                key = fn.to_str(key)
                val = self.eval(e.val_expr, s)
                if is_failure(val):
                    return val
                if e.group:
                    out_map.setdefault(key, LList([], e.span)).append(val)
                elif key in out_map:
                    self.note(e.span, f"for expression produces the key {key!r} twice")
                    return failure("duplicate key in for expression", key, e.span)
                else:
                    out_map[key] = val
        return out_map if e.key_expr is not None else LList(out_list, e.span)


def _refused(v) -> bool:
    """A value the budget refused: a tuple or template built from it is refused as well (its
    copies are not counted again, nor kept as many unknowns)."""
    return isinstance(v, Unknown) and v.key == OVER_BUDGET


class _Tainted(Exception):
    """A part of a template is a value the budget refused: so is the template."""

    def __init__(self, value: Unknown):
        self.value = value


def _nfc(text: str) -> str:
    """String literals as Terraform reads them: Unicode normalised to NFC."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _origins(v, span: Span) -> list:
    """Where an interpolated value came from, when that is another file (a module argument)."""
    out = [o for o in getattr(v, "origins", ()) or () if o.file != span.file]
    vs = getattr(v, "span", None)
    if isinstance(vs, Span) and vs.file != span.file and vs.line:
        out.insert(0, vs)
    return out


_ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
_SAME_VALUE_KINDS = (CURRENT_ACCOUNT, CURRENT_PARTITION, CURRENT_REGION, GENERATED_UUID, RESOURCE_ATTR)


def _refined_equal(a, b) -> bool | None:
    """``a == b`` where a side is not known, when what is known of it decides; else None.

    The same account, partition, generated value or resource attribute is equal to itself;
    an account is 12 digits and a partition one of AWS's, so they differ from a literal
    that is not one, and none of them is null or empty (Terraform refines them so too). A
    string with holes differs from a literal its known text cannot be (``"arn:${x}" != ""``).
    """
    if isinstance(b, Unknown) and not isinstance(a, Unknown):
        a, b = b, a
    if isinstance(b, Template) and not isinstance(a, (Template, Unknown)):
        a, b = b, a
    if isinstance(a, Template):  # a string with holes: its known text may rule a value out
        if a == b and all(u.kind in _SAME_VALUE_KINDS for u in a.unknowns()):
            return True
        if b is None:
            return False  # a template is a string, never null
        if isinstance(b, str) and not isinstance(b, Template):
            pattern = "".join(re.escape(p) if isinstance(p, str) else ".*" for p in a.parts)
            return None if re.fullmatch(pattern, b, re.S) else False
        return None
    if not isinstance(a, Unknown) or isinstance(a, More):
        return None
    if isinstance(b, Unknown):
        return True if a == b and a.kind in _SAME_VALUE_KINDS else None
    if a.kind not in _SAME_VALUE_KINDS and a.kind != ACCOUNT_ID:
        return None
    if b is None or (isinstance(b, str) and not isinstance(b, Template) and b == ""):
        return False
    if not isinstance(b, str) or isinstance(b, Template):
        return None
    if a.kind in (CURRENT_ACCOUNT, ACCOUNT_ID) and not _ACCOUNT_ID.match(b):
        return False
    if a.kind == CURRENT_PARTITION and b not in PARTITIONS:
        return False
    return None


def _tf_equal(a, b) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    return a == b


def _num(v):
    if isinstance(v, (Unknown, Template)):
        return None
    if isinstance(v, bool):
        raise ValueError("bool")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        f = float(v)
        return int(f) if f.is_integer() else f
    raise ValueError(type(v).__name__)
