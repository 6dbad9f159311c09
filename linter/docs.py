"""Rule documentation from ``RuleMeta``: ``explain``, SARIF help and ``docs/rules/SYM00N.md``.

``python -m sym_connector_lint.docs [--check] [FOLDER]`` writes (or, with ``--check``, compares)
one Markdown file per rule and an index into FOLDER (default ``docs/rules``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .rule import RuleMeta
from .rules import all_rules


def documented_rules() -> list[RuleMeta]:
    """Every rule a user can meet, in ID order: the rules and the SYM000 suppression check."""
    return [r.meta for r in all_rules()]


def rule_names() -> dict[str, str]:
    """Each known rule's ID and its name, as ``settings.read_settings`` checks rule IDs against."""
    return {m.id: m.name for m in documented_rules()}


def find_rule(rule_id: str) -> RuleMeta | None:
    """A rule by ID (``SYM001``, any case) or name (``external-id``)."""
    key = rule_id.strip()
    for m in documented_rules():
        if m.id.upper() == key.upper() or m.name == key.lower():
            return m
    return None


def _suppress_line(meta: RuleMeta) -> str:
    if not meta.suppressible:
        return f'This rule cannot be suppressed inline; turn it off with `disable = ["{meta.id}"]`.'
    text = (
        "Put a comment inside the connector's role block (or on the line above it): it covers "
        "every finding of the rule on that connector, wherever the cause is. A comment in another "
        "block, or on the offending line, covers the findings placed there:\n\n"
        f'```hcl\n# sym-connector-lint:ignore {meta.id} reason="why this is acceptable"\n```'
    )
    if meta.checkov_id:
        text += f"\n\ncheckov's `#checkov:skip={meta.checkov_id}:<reason>` is honoured as well."
    return text


def _prose(text: str) -> str:
    """Markdown-escape '<' outside `code` (so arn:<partition>:... is not taken for an HTML tag)."""
    parts = text.split("`")
    return "`".join(p.replace("<", "\\<") if i % 2 == 0 else p for i, p in enumerate(parts))


def _fix(meta: RuleMeta) -> str:
    text = _prose(meta.fix)
    if meta.fix_in_call:
        text += (
            "\n\nWhen the cause is inside a registry module the connector is built by (the linter's "
            "model of it, or its copy in `.terraform/modules`), the change is in the module call: "
            + _prose(meta.fix_at("`module.<name>`"))
        )
    if meta.autofix:
        text += f"\n\nWith `--fix`: {_prose(meta.autofix)} (see [fixes](../fix.md))."
    return text


def _with_args(meta: RuleMeta) -> list[str]:
    """The line that says with which settings an example is linted (none when it needs none)."""
    if not meta.example_args:
        return []
    return [f"With `{' '.join(meta.example_args)}`:"]


def rule_markdown(meta: RuleMeta) -> str:
    """The documentation of one rule, in ruff's section layout."""
    facts = f"Severity: **{meta.severity}**."
    if meta.checkov_id:
        facts += f" checkov ID: `{meta.checkov_id}`."
    facts += f" Tags: {', '.join(meta.tags)}."
    parts = [
        f"# {meta.id} {meta.name}",
        _prose(meta.short) + ".",
        facts,
        "## What it does",
        _prose(meta.what),
        "## Why is this bad?",
        _prose(meta.why),
        "## Example",
        *_with_args(meta),
        f"```hcl\n{meta.bad_example.strip()}\n```",
        "## Use instead",
        *_with_args(meta),
        f"```hcl\n{meta.good_example.strip()}\n```",
        "## Fix",
        _fix(meta),
        "## Suppressing",
        _suppress_line(meta),
    ]
    if meta.references:
        parts += ["## References", "\n".join(f"- <{r}>" for r in meta.references)]
    return "\n\n".join(parts) + "\n"


def rule_text(meta: RuleMeta) -> str:
    """Plain-text help (SARIF ``help.text``, ``explain`` when piped): the Markdown without its
    code fences, escapes and emphasis; lines are never wrapped, so no word is broken."""
    lines = [
        ln.replace("\\<", "<").replace("**", "")
        for ln in rule_markdown(meta).splitlines()
        if not ln.startswith("```")
    ]
    return "\n".join(lines).strip() + "\n"


def index_markdown(metas: list[RuleMeta]) -> str:
    rows = "\n".join(
        f"| [{m.id}]({m.id}.md) | {m.name} | {m.severity} | {'yes' if m.autofix else ''} | {m.short} |"
        for m in metas
    )
    return (
        "# Rules\n\n"
        "Generated from each rule's metadata by `python -m sym_connector_lint.docs`; do not edit by hand.\n\n"
        "| ID | name | severity | `--fix` | what a finding means |\n|---|---|---|---|---|\n" + rows + "\n"
    )


TABLE_START = "<!-- rules: generated from the rules' metadata by python -m sym_connector_lint.docs -->"
TABLE_END = "<!-- end of rules -->"
#: the pages that show the rule table, and where the rule pages are from each of them
TABLE_PAGES = {"README.md": "docs/rules/", "docs/usage.md": "rules/"}


def rules_table(metas: list[RuleMeta], link: str) -> str:
    """The table of every rule (ID, name, severity, what a finding means), as the README and the
    usage page show it; ``link`` is the folder of the rule pages from the page."""
    rows = "\n".join(f"| [{m.id}]({link}{m.id}.md) | {m.name} | {m.severity} | {m.short} |" for m in metas)
    return "| ID | name | severity | what it requires |\n|---|---|---|---|\n" + rows


def with_rules_table(page: str, link: str, metas: list[RuleMeta] | None = None) -> str:
    """``page`` with the text between its table markers replaced by the current rule table."""
    start, end = page.find(TABLE_START), page.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"no {TABLE_START!r} ... {TABLE_END!r} markers")
    table = rules_table(metas or documented_rules(), link)
    return page[: start + len(TABLE_START)] + "\n" + table + "\n" + page[end:]


def generated_docs() -> dict[str, str]:
    """File name -> content of every generated document."""
    metas = documented_rules()
    out = {f"{m.id}.md": rule_markdown(m) for m in metas}
    out["README.md"] = index_markdown(metas)
    return out


def stale_docs(folder: Path) -> list[str]:
    """Names of documents in ``folder`` that differ from what the metadata generates (or are extra)."""
    want = generated_docs()
    stale = [n for n, text in want.items() if not (folder / n).is_file() or (folder / n).read_text() != text]
    if folder.is_dir():
        stale += sorted(p.name for p in folder.glob("*.md") if p.name not in want)
    return stale


def stale_tables(root: Path) -> list[str]:
    """The pages under ``root`` (the repository) whose rule table is not the current one."""
    out = []
    for page, link in TABLE_PAGES.items():
        path = root / page
        if path.is_file() and with_rules_table(text := path.read_text(), link) != text:
            out.append(page)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m sym_connector_lint.docs [--check] [FOLDER]``: the rule pages in FOLDER (default
    ``docs/rules``) and, without FOLDER, the rule tables of the README and ``docs/usage.md``."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    folder = Path(rest[0] if rest else "docs/rules")
    pages = [] if rest else [p for p in TABLE_PAGES if Path(p).is_file()]
    if check:
        stale = [str(folder / n) for n in stale_docs(folder)] + (stale_tables(Path(".")) if pages else [])
        for n in stale:
            sys.stderr.write(f"{n}: out of date; run python -m sym_connector_lint.docs\n")
        return 1 if stale else 0
    folder.mkdir(parents=True, exist_ok=True)
    want = generated_docs()
    for name, text in want.items():
        (folder / name).write_text(text)
    for p in folder.glob("*.md"):
        if p.name not in want:
            p.unlink()
    for page in pages:
        Path(page).write_text(with_rules_table(Path(page).read_text(), TABLE_PAGES[page]))
    sys.stdout.write(
        f"wrote {len(want)} files to {folder}"
        + (f" and the tables of {', '.join(pages)}" if pages else "")
        + "\n"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
