"""Compare two versions of a table: rows added, removed and changed by key, and the findings
a change introduces or fixes (the merge gate for a table kept in git)."""

from toolkit.diff.compare import diff_tables
from toolkit.diff.model import CellChange, ChangedRow, DuplicateKey, Key, Position, TableDiff, Tally
from toolkit.diff.versions import load_version

__all__ = [
    "CellChange",
    "ChangedRow",
    "DuplicateKey",
    "Key",
    "Position",
    "TableDiff",
    "Tally",
    "diff_tables",
    "load_version",
]
