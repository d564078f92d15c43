"""Event Table Toolkit: guard and publish a hand-curated table of news events.

The library never prints and never exits; the `toolkit` command is a thin layer over it.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from toolkit.errors import ExportError, InputError, SchemaDefinitionError, ToolkitError
from toolkit.version import __version__

if TYPE_CHECKING:
    from toolkit.diff import TableDiff, diff_tables
    from toolkit.export import ExportResult, export_table
    from toolkit.loading import Table, load_table
    from toolkit.report import Finding, Report
    from toolkit.schema import Schema, load_schema
    from toolkit.validation import validate_table


# Names load on first use: `import toolkit` stays light, and validating in CI does not pay
# for the writers (openpyxl, pyarrow) that only an export needs.
_LAZY = {
    "TableDiff": "toolkit.diff",
    "diff_tables": "toolkit.diff",
    "ExportResult": "toolkit.export",
    "export_table": "toolkit.export",
    "Table": "toolkit.loading",
    "load_table": "toolkit.loading",
    "Finding": "toolkit.report",
    "Report": "toolkit.report",
    "Schema": "toolkit.schema",
    "load_schema": "toolkit.schema",
    "validate_table": "toolkit.validation",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    return getattr(import_module(module), name)


__all__ = [
    "ExportError",
    "ExportResult",
    "Finding",
    "InputError",
    "Report",
    "Schema",
    "SchemaDefinitionError",
    "Table",
    "TableDiff",
    "ToolkitError",
    "__version__",
    "diff_tables",
    "export_table",
    "load_schema",
    "load_table",
    "validate_table",
]
