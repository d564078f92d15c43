"""Event Table Toolkit: guard and publish a hand-curated table of news events.

The library never prints and never exits; the `toolkit` command is a thin layer over it.
"""

from toolkit.errors import ExportError, InputError, SchemaDefinitionError, ToolkitError
from toolkit.export import ExportResult, export_table
from toolkit.loading import Table, load_table
from toolkit.report import Finding, Report
from toolkit.schema import Schema, load_schema
from toolkit.validation import validate_table

__version__ = "0.1.0"

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
