"""The run's notes as a reader takes them in: one line per kind, with a count and what to do.

A scan gathers notes as lines of text (``file:line: subject: what happened``), from every
stage: the loader, the evaluator, the connector finder, the report. ``summarise`` groups them
once, at the end, so that no stage needs to know how many others said the same:

- a note that can change a connector's verdict stands alone: one recorded on a connector (an
  argument its module ignores, an attachment that is not counted), a drift, a rule that checked
  nothing, a baseline entry that matches no finding;
- a note of a known kind is counted, in one line that says what to do ("11 module calls not
  analysed: not downloaded; run `terraform init`");
- any other note is grouped with the notes that say the same thing in other places (its text
  without the place and subject it starts with).

``--verbose`` lists every note; the JSON report keeps each group's kind, count and every note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

ALONE = "connector"  # the kind of a note recorded on a connector

# a path of a configuration, variable or JSON input file inside a message: main.tf, envs/prod/x.tf.json
PATH_WORD = re.compile(
    r"(?<![\w./<>-])(?:[\w.-]+/)*[\w.-]*\w\.(?:tf|tf\.json|tfvars|tfvars\.json|json|tofu|tofu\.json)(?![\w/-])"
)


def rewrite_paths(text: str, move: Callable[[str], str]) -> str:
    """``text`` with each path of an input file in it replaced by ``move(path)`` (which returns a
    word that is no path of a scanned file as it is)."""
    if "." not in text:
        return text
    return PATH_WORD.sub(lambda m: move(m.group(0)), text)


@dataclass(frozen=True)
class NoteGroup:
    kind: str  # module-not-analysed | bundled-model | opentofu-files | checked-nothing | drift | ...
    message: str  # the line a reader is shown
    items: tuple[str, ...]  # every note of the group, in the order the run said them

    @property
    def count(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "count": self.count, "message": self.message, "items": list(self.items)}


_PLACE = re.compile(r"^(?P<file>[^\s:<>][^:]*?):(?P<line>\d+): ")  # main.tf:12:
_FILE = re.compile(r"^(?P<file>[^\s:<>]+\.(?:tf|tf\.json|tfvars|tfvars\.json|json|tofu|tofu\.json)): ")
_SUBJECT = re.compile(
    r'^(?P<subject>(?:[A-Za-z_][\w-]*(?:\[[^\]]*\])?\.)+[\w-]+(?:\[[^\]]*\])?|[a-z_]+ "[^"]*"): '
)


def _message(note: str) -> str:
    """A note's text without the place (``file:line: ``) and subject (``module.x: ``) it starts with."""
    rest = note
    m = _PLACE.match(rest) or _FILE.match(rest)
    if m:
        rest = rest[m.end() :]
    m = _SUBJECT.match(rest)
    if m:
        rest = rest[m.end() :]
    return rest


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


VERBOSE = "(`--verbose` lists them)"


@dataclass(frozen=True)
class Kind:
    """A kind of note: how to recognise it (in the text after its place and subject) and the line
    that says how many there are and what to do."""

    name: str
    pattern: re.Pattern
    summary: Callable[[list[str], list[re.Match]], str]
    alone: bool = False  # each note is its own line (it can change a verdict)


def _modules(items: list[str], matches: list[re.Match]) -> str:
    if len(items) == 1:
        return f"{items[0]}; run `terraform init` to analyse it"
    return (
        f"{_plural(len(items), 'module call')} not analysed: not downloaded; run `terraform init` {VERBOSE}"
    )


def _bundled(items: list[str], matches: list[re.Match]) -> str:
    lines: dict[str, dict[str, str]] = {}  # source -> release line -> as of
    for m in matches:
        lines.setdefault(m["source"], {}).setdefault(m["line"], m["newest"])
    models = "; ".join(
        f"{src} "
        + " and ".join(f"{line} (as of {newest})" for line, newest in sorted(per.items(), reverse=True))
        for src, per in lines.items()
    )
    return (
        f"registry module calls without a local copy are analysed with this linter's model of the "
        f"release line their version selects, not the module's code: {models}; `terraform init` "
        f"lets the linter read the module itself"
    )


def _tofu(items: list[str], matches: list[re.Match]) -> str:
    if len(items) == 1:
        return items[0]
    return (
        f"{_plural(len(items), 'folder')} with OpenTofu files (.tofu) that are not read: each folder is "
        f"read as Terraform reads it {VERBOSE}"
    )


def _each(items: list[str], matches: list[re.Match]) -> str:
    return items[0]


KINDS: tuple[Kind, ...] = (
    Kind(
        "module-not-analysed",
        re.compile(
            r"^source '.*' (?:is not available locally|comes from Sym's own registry.*); not analysed$"
            r"|^\S+ version \"[^\"]*\" selects no release this linter models .*; not analysed$"
        ),
        _modules,
    ),
    Kind(
        "bundled-model",
        re.compile(
            r"^(?P<source>\S+) (?:version \"[^\"]*\" selects|with no version selects) \S+ and has no local "
            r"copy: analysed with this linter's model of the (?P<line>\S+) module \(as of (?P<newest>[^)]+)\)$"
        ),
        _bundled,
    ),
    Kind("opentofu-files", re.compile(r"OpenTofu files are not read"), _tofu),
    Kind("checked-nothing", re.compile(r"^SYM\d{3} \S+ checked nothing: "), _each, alone=True),
    Kind("drift", re.compile(r"^drift: "), _each, alone=True),
    Kind("baseline", re.compile(r"^\d+ (?:entry|entries) of the baseline "), _each, alone=True),
)


def kind_of(note: str) -> tuple[Kind | None, re.Match | None]:
    """The kind a note is of (matched on its whole text, then on its text after place and subject)."""
    for text in dict.fromkeys((note, _message(note))):
        for k in KINDS:
            m = k.pattern.search(text)
            if m:
                return k, m
    return None, None


def is_bundled_model_note(note: str) -> bool:
    """The note that a registry call is analysed with a bundled model: said once per run."""
    k, _ = kind_of(note)
    return k is not None and k.name == "bundled-model"


def summarise(notes: Iterable[str], alone: Iterable[str] = ()) -> tuple[NoteGroup, ...]:
    """The run's notes in groups, in the order they were first said; ``alone`` are the notes
    recorded on a connector (each stands alone unless it is of a kind said once per run)."""
    notes = list(dict.fromkeys(notes))
    alone = set(alone)
    order: list[tuple] = []
    groups: dict[tuple, tuple[Kind | None, list[str], list[re.Match]]] = {}
    for n in notes:
        k, m = kind_of(n)
        if k is not None and not k.alone:
            key: tuple = ("kind", k.name)
        elif k is not None or n in alone:
            key = ("alone", n)
        else:
            key = ("same", _message(n))
        if key not in groups:
            groups[key] = (k, [], [])
            order.append(key)
        groups[key][1].append(n)
        if m is not None:
            groups[key][2].append(m)
    out = []
    for key in order:
        k, items, matches = groups[key]
        if k is not None:
            out.append(NoteGroup(k.name, k.summary(items, matches), tuple(items)))
        elif key[0] == "alone":
            out.append(NoteGroup(ALONE, items[0], tuple(items)))
        elif len(items) == 1:
            out.append(NoteGroup("other", items[0], tuple(items)))
        else:
            out.append(
                NoteGroup(
                    "other", f"{key[1]} ({_plural(len(items), 'place')}; {VERBOSE[1:-1]})", tuple(items)
                )
            )
    return tuple(out)
