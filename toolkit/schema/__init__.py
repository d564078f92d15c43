"""Schemas: the YAML format (model), column kinds, table rules, and the pandera compiler."""

from toolkit.schema.compile import CompiledSchema, compile_schema
from toolkit.schema.model import ColumnSpec, Schema, TableRuleSpec, load_schema, parse_schema
from toolkit.schema.rules import Rule

__all__ = [
    "ColumnSpec",
    "CompiledSchema",
    "Rule",
    "Schema",
    "TableRuleSpec",
    "compile_schema",
    "load_schema",
    "parse_schema",
]
