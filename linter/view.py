"""The instances interface: what the connector finder reads of a configuration, whatever its door.

Two front doors build it: the HCL evaluator (``evaluate.core.Evaluator``) and a plan, state or
IAM export (``load.plan.PlanView``). Each offers every resource instance with its address, type, arguments and spans, the module it
lives in, and the facts of its provider configuration (current account and partition,
default tags). ``connectors.py`` depends on these protocols alone, so a rule never knows
which door a value came through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Body, Span


class ModuleView(Protocol):
    """The module instance a resource instance lives in."""

    @property
    def address(self) -> str: ...  # "" for the root, else "module.a[0].module.b"

    @property
    def origin(self) -> str: ...  # root | local | installed | bundled | plan | registry

    @property
    def call_source(self) -> str | None: ...  # the literal source of the call (None: root or not known)

    @property
    def notes(self) -> list[str]: ...  # what the analysis of this module should say about itself

    @property
    def call(self) -> Any: ...  # the module call block (with a ``span``), or None

    @property
    def parent(self) -> ModuleView | None: ...

    def invalid_inputs(self) -> list: ...  # of InvalidInput: variables whose value fails a validation


class InstanceView(Protocol):
    """One resource or data source instance."""

    @property
    def address(self) -> str: ...

    @property
    def mode(self) -> str: ...  # managed | data

    @property
    def type(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def key(self) -> Any: ...  # None, an int, a str, or an Unknown

    @property
    def span(self) -> Span: ...

    @property
    def module(self) -> ModuleView: ...

    def has(self, name: str) -> bool: ...

    def arg(self, name: str) -> Any:
        """The value of argument ``name`` (None when it is not set)."""
        ...

    def arg_span(self, name: str) -> Span | None: ...

    def blocks(self, type_: str) -> Sequence[tuple[Body | None, Any, Span]]:
        """Nested blocks of a type (body, scope, span); a body of None is a dynamic block not known."""
        ...

    def provider(self) -> str:
        """The address of the provider configuration the instance uses (``aws``, ``aws.east``)."""
        ...


@dataclass(frozen=True)
class OpaqueRef:
    """A module call not analysed receives a resource (``attr`` "") or one of its attributes,
    or (``address`` "") a known string, such as a role's name written out."""

    argument: str
    span: Span  # the argument in the call
    address: str  # the resource's address ("" for a string)
    attr: str  # the attribute, or "" for the whole resource
    text: str = ""  # a known string handed on (address "")


@dataclass(frozen=True)
class OpaqueCall:
    """A module call whose module is not analysed (a remote source without a local copy)."""

    address: str
    source: str
    span: Span
    refs: tuple[OpaqueRef, ...]  # the resources and attributes its arguments hand it
    arguments: tuple[str, ...] = ()  # the names of the arguments it is given
    reason: str = ""  # why it is not analysed: "remote module", "version not modelled", ...


class InstancesView(Protocol):
    """A whole configuration (one root module) as instances and provider facts."""

    def all_instances(self) -> Sequence[InstanceView]: ...

    def opaque_calls(self) -> Sequence[OpaqueCall]:
        """Module calls not analysed and what they are handed (none in a plan: it expands every module)."""
        ...

    def eval_attr(self, expr: Any, scope: Any) -> Any:
        """The value of an expression of a nested block, in the scope ``blocks()`` gave with it."""
        ...

    def current_account(self, provider: str, module: Any = None) -> Any: ...

    def current_partition(self, provider: str, module: Any = None) -> Any: ...

    def default_tags(self, provider: str, module: Any) -> Any: ...

    def tags_all(self, inst: Any) -> Any: ...
