"""What a fix is: edits of source text and how safe applying them is (as ruff's ``Fix``).

A ``Fix`` travels with its ``Finding`` (``Finding.autofix``) from the scan to every reporter,
so it is a plain frozen value, picklable like the finding. Its edits are exact: the text
between two positions of one file is replaced, positions counted as the loader counts them
(1-based lines, 1-based character columns, the end just after the last character replaced,
line breaks as ``\\n``). An edit's ``file`` is the real path of the file while the scan runs;
the report shows it relative to the current folder, as it shows the finding's own file.
"""

from __future__ import annotations

from dataclasses import dataclass

SAFE = "safe"  # restores the promise and changes nothing else the connector may do
UNSAFE = "unsafe"  # also changes what the connector may do (or may break what it is for)
APPLICABILITIES = (SAFE, UNSAFE)


@dataclass(frozen=True, order=True)
class Edit:
    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    content: str

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "location": {"line": self.line, "column": self.column},
            "end_location": {"line": self.end_line, "column": self.end_column},
            "content": self.content,
        }


@dataclass(frozen=True)
class Fix:
    """One way to repair a finding: a message (``Replace StringEqualsIfExists with StringEquals``),
    whether it is safe, and the edits that do it (several files at once, as a policy and a data
    source it needs)."""

    message: str
    applicability: str
    edits: tuple[Edit, ...]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.file for e in self.edits))

    @classmethod
    def from_dict(cls, d: dict) -> Fix:
        """The inverse of :meth:`to_dict` (a shard's saved results)."""
        edits = tuple(
            Edit(
                e["file"],
                e["location"]["line"],
                e["location"]["column"],
                e["end_location"]["line"],
                e["end_location"]["column"],
                e["content"],
            )
            for e in d["edits"]
        )
        return cls(d["message"], d["applicability"], edits)

    def to_dict(self) -> dict:
        return {
            "message": self.message,
            "applicability": self.applicability,
            "edits": [e.to_dict() for e in self.edits],
        }
