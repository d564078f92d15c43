"""Schemas: the YAML format (model), column kinds, table checks, and the pandera compiler."""

from toolkit.schema.checks import CHECKS, TableCheck
from toolkit.schema.compile import CompiledSchema, compile_schema
from toolkit.schema.kinds import KINDS, Column, Output
from toolkit.schema.model import Schema, load_schema, parse_schema
from toolkit.schema.rules import Rule

__all__ = [
    "CHECKS",
    "KINDS",
    "Column",
    "CompiledSchema",
    "Output",
    "Rule",
    "Schema",
    "TableCheck",
    "compile_schema",
    "load_schema",
    "parse_schema",
]
