"""Exceptions that stop a run. Bad *data* is never an exception: it is a finding."""

from __future__ import annotations


class ToolkitError(Exception):
    """A failure a person can act on; the CLI prints it as one `error:` line (exit 2)."""


class InputError(ToolkitError):
    """The table cannot be read: missing, unreadable, not the format it claims to be."""


class SchemaDefinitionError(ToolkitError):
    """A schema file is missing, not YAML, or describes something the toolkit cannot check."""


class ExportError(ToolkitError):
    """An output cannot be written: limits of the format, an unwritable directory, a full disk."""
