"""Schema files: the built-in one loads; a broken one is refused naming the file and problem."""

from __future__ import annotations

import textwrap

import polars as pl
import pytest
from conftest import HEADER, INVALID, ROOT
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit import SchemaDefinitionError, load_schema, load_table, validate_table
from toolkit.cli import app

GOOD_COLUMN = "  - {name: a, kind: text}\n"

# schema text -> the problem named after "schema <file>: "
BROKEN = {
    "unknown-kind": (
        "name: t\ncolumns:\n  - {name: a, kind: timestamp}\n",
        "column 'a': kind must be one of country, date, datetime, fuzzy_count, fuzzy_date, "
        "integer, latitude, longitude, number, subdivision, text, time, url, vocabulary; "
        "got 'timestamp'",
    ),
    "bad-yaml": (
        "name: [unclosed\ncolumns: []\n",
        "line 2: expected ',' or ']', but got ':'",
    ),
    "tab-indent": (
        "name: t\ncolumns:\n\t- {name: a, kind: text}\n",
        "line 3: found character '\\t' that cannot start any token",
    ),
    "missing-name": (
        "version: '1'\ncolumns:\n" + GOOD_COLUMN,
        "top level: the schema needs a name",
    ),
    "not-a-mapping": ("- a\n- b\n", "top level: expected a mapping with name, version and columns"),
    "empty-file": ("", "top level: expected a mapping with name, version and columns"),
    "no-columns": (
        "name: t\ncolumns: []\n",
        "top level: the schema needs a non-empty list of columns",
    ),
    "unknown-top-level-key": (
        "name: t\ncolums: []\ncolumns:\n" + GOOD_COLUMN,
        "top level: unknown key(s) colums",
    ),
    "column-without-name": (
        "name: t\ncolumns:\n  - {kind: text}\n",
        "columns[0]: a column needs a name (text, not starting with '__')",
    ),
    "reserved-column-name": (
        "name: t\ncolumns:\n  - {name: __row, kind: text}\n",
        "columns[0]: a column needs a name (text, not starting with '__')",
    ),
    "unknown-column-key": (
        "name: t\ncolumns:\n  - {name: a, kind: text, requird: true}\n",
        "column 'a': unknown key(s) requird",
    ),
    "duplicate-column": (
        "name: t\ncolumns:\n" + GOOD_COLUMN * 2,
        "columns: declared more than once: a",
    ),
    "bad-regex": (
        "name: t\ncolumns:\n  - {name: a, kind: text, pattern: '[a-'}\n",
        "column 'a': pattern is not a usable regular expression (unclosed character class)",
    ),
    "vocabulary-without-values": (
        "name: t\ncolumns:\n  - {name: a, kind: vocabulary}\n",
        "column 'a': a vocabulary column needs a non-empty list of values",
    ),
    "bad-required": (
        "name: t\ncolumns:\n  - {name: a, kind: text, required: sometimes}\n",
        "column 'a': required must be true, false or warning",
    ),
    "bad-severity": (
        "name: t\ncolumns:\n  - {name: a, kind: text, severity: fatal}\n",
        "column 'a': severity must be 'error' or 'warning', not 'fatal'",
    ),
    "bad-max-length": (
        "name: t\ncolumns:\n  - {name: a, kind: text, max_length: 0}\n",
        "column 'a': max_length must be a positive integer",
    ),
    "min-on-text": (
        "name: t\ncolumns:\n  - {name: a, kind: text, min: 1}\n",
        "column 'a': min does not apply to kind text",
    ),
    "bad-date-bound": (
        "name: t\ncolumns:\n  - {name: a, kind: fuzzy_date, min: 'soon'}\n",
        "column 'a': min must be an ISO date, got 'soon'",
    ),
    "subdivision-of-unknown-column": (
        "name: t\ncolumns:\n  - {name: a, kind: subdivision, country: nation}\n",
        "column 'a': country refers to unknown column 'nation' (nor is it a country code or name)",
    ),
    "rule-refers-to-unknown-column": (
        "name: t\ncolumns:\n  - {name: lat, kind: latitude}\n"
        "rules:\n  - {id: coordinates.pair, check: together, columns: [lat, lon]}\n",
        "rule 'coordinates.pair': refers to column 'lon', which the schema does not declare",
    ),
    "rule-with-unknown-check": (
        "name: t\ncolumns:\n" + GOOD_COLUMN + "rules:\n  - {id: a.b, check: distinct}\n",
        "rule 'a.b': check must be one of expression, not_after, order, point_in_country, "
        "requires, sum, together, unique; got 'distinct'",
    ),
    "rule-missing-what-it-needs": (
        "name: t\ncolumns:\n"
        + GOOD_COLUMN
        + "rules:\n  - {id: a.b, check: not_after, column: a}\n",
        "rule 'a.b': check not_after needs other",
    ),
    "rule-id-not-dotted": (
        "name: t\ncolumns:\n" + GOOD_COLUMN + "rules:\n  - {id: Pair, check: together}\n",
        "rules[0]: id must be a dotted name like 'date.after_source', got 'Pair'",
    ),
    "bad-extra-columns": (
        "name: t\nextra_columns: maybe\ncolumns:\n" + GOOD_COLUMN,
        "extra_columns: must be error, warning or ignore",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_schema_file_is_refused_naming_the_file_and_problem(tmp_path, case):
    text, problem = BROKEN[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(SchemaDefinitionError) as raised:
        load_schema(path)

    assert str(raised.value) == f"schema {path}: {problem}"


def test_missing_schema_file_is_refused(tmp_path):
    with pytest.raises(SchemaDefinitionError) as raised:
        load_schema(tmp_path / "nope.yaml")

    assert str(raised.value) == f"schema {tmp_path / 'nope.yaml'}: no such file"


def test_a_directory_is_not_a_schema(tmp_path):
    with pytest.raises(SchemaDefinitionError) as raised:
        load_schema(tmp_path)

    assert str(raised.value) == f"schema {tmp_path}: is a directory"


def test_a_pattern_polars_cannot_run_is_refused_when_the_schema_loads(tmp_path):
    path = tmp_path / "lookahead.yaml"
    path.write_text("name: t\ncolumns:\n  - {name: a, kind: text, pattern: '^(?!x)\\w+$'}\n")
    table_path = tmp_path / "t.csv"
    table_path.write_text("a\nabc\nxyz\n")

    with pytest.raises(SchemaDefinitionError, match=r"lookahead\.yaml: column 'a': pattern"):
        validate_table(load_table(table_path), load_schema(path))


def test_built_in_schema_is_the_events_schema_in_the_repository():
    built_in = load_schema()
    from_file = load_schema(ROOT / "schemas" / "events.yaml")

    assert built_in.source == "events.yaml (built-in)"
    assert (built_in.name, built_in.version) == ("events", "1.0")
    assert built_in.names == tuple(HEADER)
    assert built_in.columns == from_file.columns
    assert built_in.rules == from_file.rules
    assert built_in.sha256 == from_file.sha256


def test_events_schema_declares_the_design_table():
    schema = load_schema()
    kinds = {c.name: c.kind for c in schema.columns}
    required = {c.name for c in schema.columns if c.required}

    assert kinds == {
        "event_id": "text",
        "date": "fuzzy_date",
        "status": "vocabulary",
        "event_type": "vocabulary",
        "actor1": "text",
        "actor2": "text",
        "country": "country",
        "admin1": "subdivision",
        "location": "text",
        "latitude": "latitude",
        "longitude": "longitude",
        "geo_precision": "vocabulary",
        "fatalities": "fuzzy_count",
        "injured": "fuzzy_count",
        "personnel": "fuzzy_count",
        "source": "text",
        "source_url": "url",
        "source_date": "date",
        "notes": "text",
    }
    assert required == {
        "event_id",
        "date",
        "status",
        "event_type",
        "actor1",
        "country",
        "geo_precision",
        "source",
        "source_url",
        "source_date",
    }
    assert schema.column("source_url").required_severity == "warning"
    assert schema.column("status").values == ("occurred", "ongoing", "planned")
    assert schema.column("geo_precision").values == ("point", "locality", "admin1", "country")
    assert schema.column("notes").max_length == 32767
    assert [r.id for r in schema.rules] == [
        "coordinates.pair",
        "location.needs_coordinates",
        "location.outside_country",
        "date.after_source",
    ]


def test_a_schema_accepts_warning_severity_and_ignores_extra_columns(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            name: loose
            extra_columns: ignore
            columns:
              - {name: a, kind: integer, severity: warning}
            """
        )
    )
    table = tmp_path / "t.csv"
    table.write_text("a,b\nx,y\n")

    report = validate_table(load_table(table), load_schema(path))

    assert [(f.severity, f.rule, f.column, f.row) for f in report.findings] == [
        ("warning", "integer.invalid", "a", 1)
    ]
    assert report.valid is True


# --- the CLI turns a broken schema into exit 2 and one line ----------------------------


@pytest.mark.parametrize("case", ["unknown-kind", "bad-yaml", "missing-name", "bad-regex"])
def test_cli_reports_a_broken_schema_in_one_line_with_exit_2(tmp_path, case):
    text, problem = BROKEN[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(
        app, ["validate", str(INVALID / "date-invalid.csv"), "-s", str(path)]
    )

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: schema {path}: {problem}\n"
    assert "Traceback" not in result.stderr


@given(st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=60))
def test_uniqueness_by_hash_then_text_equals_is_duplicated(values):
    from toolkit.schema.kinds.base import _duplicated_series

    text = pl.Series("id", values, dtype=pl.String)
    assert _duplicated_series(text).to_list() == text.is_duplicated().to_list()
