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
        return exc.line or 0, exc.message.removeprefix("syntax error: ").split(":")[0]
    return None


# ---------------------------------------------------------------------------- generated inputs

#: What a mutation inserts: line breaks and the whitespace HCL does not allow, comments, bytes
#: that are not UTF-8, NULs, stray words, brackets, template sequences, operators.
INSERTS = [
    b"\n", b" ", b"\r", b"\x0b", b"\x0c", b"\x00", b"\xc2\xa0", b"\xff", b"\xe9", b"#", b"# c\n",
    b"// c\n", b"/* c */", b"/*\n*/", b"x", b"foo ", b"=", b",", b"{", b"}", b"[", b"]", b"(", b")",
    b'"', b"${", b"%{", b"~", b"$", b"%", b"\\", b"<<EOT\n", b"EOT\n", b".", b"*", b"::", b"?", b":",
    b"...", b"=>", b"-", b"!", b"0x1", b"1e", b"for ", b"if ", b"in ", b"\t", b"'", b";", b"@",
    b"\xe2\x80\x9c", b"${}", b"\\q",
]  # fmt: skip
#: Comments and line breaks put between two tokens.
BETWEEN = [b"\n", b" # c\n", b" /* c */ ", b"/*\n*/", b" // x\n", b"/**/"]
_BOUNDARY = re.compile(rb"[ \t]|(?<=[\w\])}\"])(?=\W)")


def mutate(data: bytes, rnd) -> bytes:
    """One to three random edits of ``data``: a deletion, an insertion, a copied run of bytes, or a
    comment or line break put between two tokens."""
    b = bytearray(data)
    for _ in range(rnd.randrange(1, 4)):
        op = rnd.randrange(5)
        i = rnd.randrange(len(b) + 1)
        if op == 0 and b:
            del b[min(i, len(b) - 1)]
        elif op in (1, 2):
            b[i:i] = rnd.choice(INSERTS)
        elif op == 3 and b:
            j = rnd.randrange(len(b))
            b[i:i] = b[j : j + rnd.randrange(1, 30)]
        else:
            places = [m.start() for m in _BOUNDARY.finditer(bytes(b))]
            if places:
                k = rnd.choice(places)
                b[k:k] = rnd.choice(BETWEEN)
    return bytes(b)


COMMENTS = (" /* c */ ", "/* a\nb */", " # c\n", " // c\n", "/**/")


def _leaves(text: str) -> tuple[bytes, list]:
    """The text's bytes and the leaves (tokens) of tree-sitter's tree of it, in order."""
    from sym_connector_lint.load.hcl_ts import _language, for_tree_sitter

    data = text.encode("utf-8", "surrogateescape")
    root = _language()["parser"].parse(for_tree_sitter(data)).root_node
    out: list = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.child_count == 0:
            out.append(node)
        else:
            stack.extend(reversed(node.children))
    return data, out


#: Tokens next to which no comment may stand: a template's text, a heredoc's markers, a strip marker.
_TEXT = frozenset(("template_literal", "heredoc_identifier", "<<", "<<-"))


def with_comments(text: str, rnd, n: int = 6, kinds: tuple = COMMENTS) -> str:
    """``text`` with ``n`` comments put between tokens of its expressions and bodies (where
    whitespace may stand), of every kind (``kinds``): ``/* */`` inline and across lines, ``#``, ``//``."""
    data, leaves = _leaves(text)
    places = []
    for prev, tok in zip(leaves, leaves[1:] + [None], strict=True):
        at = tok.start_byte if tok is not None else len(data)
        kind = tok.type if tok is not None else "eof"
        if prev.type in _TEXT or prev.type == "quoted_template_start" or kind in _TEXT:
            continue
        if kind in ("quoted_template_end", "~") or (
            prev.type == "~" and kind in ("}", "template_interpolation_end", "template_directive_end")
        ):
            continue
        if (
            kind == "~"
            or prev.type in ("template_interpolation_start", "template_directive_start")
            and kind == "~"
        ):
            continue
        if prev.type == "comment" or kind == "comment":
            continue
        places.append(at)
    out = data
    for at in sorted(rnd.sample(places, min(n, len(places))), reverse=True):
        comment = rnd.choice(kinds).encode()
        out = out[:at] + comment + out[at:]
    return out.decode("utf-8", "surrogateescape")


# ---------------------------------------------------------------------------- comparing


def compare(texts: list[bytes], found: list[list[tuple[int, str]]]) -> dict:
    """How the linter's verdicts agree with Terraform's, by kind, with the disagreeing inputs.

    ``missed``: Terraform refuses, the linter accepts; ``refused``: the reverse; ``place``: both
    refuse but the linter's line is none of Terraform's; ``words``: same line, another summary.
    Two divergences are known and counted apart: the linter's nesting bound, and bytes that are
    not UTF-8 next to an identifier (HCL's scanner reads some as identifier characters: its
    generated Unicode tables accept a lead byte followed by any bytes; the linter refuses them).
    """
    out: dict = {k: [] for k in ("agree", "missed", "refused", "place", "words", "nesting", "bad-bytes")}
    for data, theirs in zip(texts, found, strict=True):
        mine = linter_verdict(data)
        if mine is not None and mine[1] == "Expression nested too deeply":
            kind = "nesting"
        elif (
            mine is not None
            and _bad_bytes_on(data, mine[0])
            and (mine[0], "Invalid character encoding") not in theirs
        ):
            kind = "bad-bytes"
        elif mine is None:
            kind = "missed" if theirs else "agree"
        elif not theirs:
            kind = "refused"
        elif mine in theirs:
            kind = "agree"
        elif mine[0] in {line for line, _ in theirs}:
            kind = "words"
        else:
            kind = "place"
        out[kind].append((data, theirs, mine))
    return out


def _bad_bytes_on(data: bytes, line: int) -> bool:
    lines = data.split(b"\n")
    if not 0 < line <= len(lines):
        return False
    text = lines[line - 1].decode("utf-8", "surrogateescape")
    return any("\udc80" <= c <= "\udcff" for c in text)
