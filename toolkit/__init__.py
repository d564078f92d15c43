"""Event Table Toolkit: guard and publish a hand-curated table of news events.

The library never prints and never exits; the `toolkit` command is a thin layer over it.
"""

from typing import TYPE_CHECKING, Any

from toolkit.errors import ExportError, InputError, SchemaDefinitionError, ToolkitError
from toolkit.loading import Table, load_table
from toolkit.report import Finding, Report
from toolkit.schema import Schema, load_schema
from toolkit.validation import validate_table

if TYPE_CHECKING:
    from toolkit.export import ExportResult, export_table

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # the writers (openpyxl, pyarrow) load only when an export is asked for: validating in
    # CI should not pay their import time
    if name in ("ExportResult", "export_table"):
        import toolkit.export

        return getattr(toolkit.export, name)
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")


__all__ = [
    "ExportError",
    "ExportResult",
    "Finding",
    "InputError",
    "Report",
    "Schema",
    "SchemaDefinitionError",
    "Table",
    "ToolkitError",
    "__version__",
    "export_table",
    "load_schema",
    "load_table",
    "validate_table",
]
