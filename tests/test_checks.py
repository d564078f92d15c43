"""Table checks: each pinned to its findings, and refused when it names a column it cannot use."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from conftest import TODAY
from typer.testing import CliRunner

from toolkit import SchemaDefinitionError, load_table, validate_table
from toolkit.cli import app
from toolkit.schema import CHECKS, compile_schema, parse_schema

COLUMNS = """\
columns:
  - {name: id, kind: integer}
  - {name: low, kind: integer}
  - {name: best, kind: integer}
  - {name: high, kind: integer}
  - {name: start, kind: date}
  - {name: end, kind: fuzzy_date}
  - {name: count, kind: fuzzy_count}
  - {name: status, kind: vocabulary, values: [occurred, planned]}
  - {name: note, kind: text}
"""
HEADER = "id,low,best,high,start,end,count,status,note"


def _schema(rules: str):
    text = "name: t\n" + COLUMNS + "rules:\n" + textwrap.indent(textwrap.dedent(rules), "  ")
    return compile_schema(parse_schema(text, "t.yaml"), today=TODAY)


def _findings(tmp_path: Path, rules: str, *rows: str) -> list[tuple]:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = validate_table(load_table(path), _schema(rules))
    return [(f.rule, f.column, f.line, f.message) for f in report.findings]


def test_order_across_counts_finds_each_row_once(tmp_path):
    rules = "- {id: deaths.order, check: order, columns: [low, best, high]}\n"

    assert _findings(
        tmp_path,
        rules,
        "1,3,5,9,,,,,",
        "2,5,3,9,,,,,",  # low > best
        "3,1,9,4,,,,,",  # best > high
        "4,9,,3,,,,,",  # best missing: low > high still breaks the order
        "5,,7,,,,,,",
    ) == [
        ("deaths.order", "low", 3, "low ≤ best ≤ high does not hold: low '5', best '3', high '9'"),
        ("deaths.order", "low", 4, "low ≤ best ≤ high does not hold: low '1', best '9', high '4'"),
        ("deaths.order", "low", 5, "low ≤ best ≤ high does not hold: low '9', best '', high '3'"),
    ]


def test_order_of_dates_compares_a_fuzzy_date_by_what_it_can_mean(tmp_path):
    rules = "- {id: date.order, check: order, columns: [start, end]}\n"

    assert _findings(
        tmp_path,
        rules,
        "1,,,,2024-03-22,2024-03,,,",  # March 2024 may end after the 22nd
        "2,,,,2024-03-22,2024-02,,,",  # February ends before
        "3,,,,2024-03-22,../2024-01,,,",  # on or before January
        "4,,,,2024-03-22,2024-03-01/..,,,",  # open end: may be after
    ) == [
        ("date.order", "start", 3, "start ≤ end does not hold: start '2024-03-22', end '2024-02'"),
        (
            "date.order",
            "start",
            4,
            "start ≤ end does not hold: start '2024-03-22', end '../2024-01'",
        ),
    ]


def test_not_after_works_on_numbers_too(tmp_path):
    rules = "- {id: counts.low_not_after_high, check: not_after, column: low, other: high}\n"

    assert _findings(tmp_path, rules, "1,2,,1,,,,,", "2,1,,2,,,,,") == [
        ("counts.low_not_after_high", "low", 2, "low is after high (1)")
    ]


def test_sum_names_the_terms_and_skips_rows_with_a_missing_part(tmp_path):
    rules = "- {id: deaths.sum, check: sum, total: best, parts: [low, high]}\n"

    assert _findings(tmp_path, rules, "1,1,4,3,,,,,", "2,1,5,3,,,,,", "3,,5,3,,,,,") == [
        ("deaths.sum", "best", 3, "best '5' is not low + high (1 + 3 = 4)")
    ]


def test_sum_can_count_a_missing_part_as_zero(tmp_path):
    rules = "- {id: deaths.sum, check: sum, total: best, parts: [low, high], missing: zero}\n"

    assert _findings(tmp_path, rules, "1,,4,3,,,,,", "2,,3,3,,,,,") == [
        ("deaths.sum", "best", 2, "best '4' is not low + high ( + 3 = 3)")
    ]


def test_unique_over_a_combination_reports_every_copy(tmp_path):
    rules = "- {id: rows.unique, check: unique, columns: [low, status]}\n"

    found = _findings(
        tmp_path,
        rules,
        "1,1,,,,,,occurred,",
        "2,1,,,,,,planned,",
        "3,1,,,,,,occurred,",
        "4,,,,,,,,",
    )

    message = "the combination low '1', status 'occurred' appears 2 times (first in row 1)"
    assert found == [("rows.unique", "low", 2, message), ("rows.unique", "low", 4, message)]


def test_an_expression_rule_runs_over_typed_values_with_a_condition(tmp_path):
    rules = """\
    - id: deaths.best_above_low
      check: expression
      expression: "best >= low AND count <= high"
      when: "status = 'occurred'"
    """

    assert _findings(
        tmp_path,
        rules,
        "1,2,3,9,,,~5,occurred,",
        "2,4,3,9,,,~5,occurred,",  # best < low
        "3,2,3,9,,,12,occurred,",  # count's best figure above high
        "4,4,3,9,,,,planned,",  # not occurred: not checked
        "5,,3,9,,,,occurred,",  # a missing value: not checked
    ) == [
        (
            "deaths.best_above_low",
            "best",
            3,
            "best >= low AND count <= high does not hold: best '3', low '4', count '~5', high '9'",
        ),
        (
            "deaths.best_above_low",
            "best",
            4,
            "best >= low AND count <= high does not hold: best '3', low '2', count '12', high '9'",
        ),
    ]


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_every_check_takes_a_when_condition(tmp_path, check):
    options = {
        "expression": "expression: 'low <= high'",
        "not_after": "column: low, other: high",
        "order": "columns: [low, high]",
        "point_in_country": None,
        "requires": "columns: [low]",
        "sum": "total: best, parts: [low, high]",
        "together": "columns: [low, high]",
        "unique": "columns: [low]",
    }[check]
    if options is None:
        pytest.skip("point_in_country has its own tests (tests/test_places.py)")
    rules = f"- {{id: a.b, check: {check}, {options}, when: {{column: status, in: [occurred]}}}}\n"

    # every check fails on one or two of these rows: low > high, low missing, low repeated
    rows = ("1,9,1,5,,,,{s},", "2,,1,5,,,,{s},", "3,9,1,5,,,,{s},")
    planned = _findings(tmp_path, rules, *(r.format(s="planned") for r in rows))
    occurred = _findings(tmp_path, rules, *(r.format(s="occurred") for r in rows))

    assert planned == []
    assert occurred and {f[0] for f in occurred} == {"a.b"}


# --- a rule that names a column it cannot use is a schema error --------------------------


BAD_REFERENCES = {
    "order-on-text": (
        "- {id: a.b, check: order, columns: [note, low]}",
        "check order compares values, but column 'note' is of kind text, which has no order "
        "(use a number, count, date or time kind)",
    ),
    "order-of-a-date-and-a-number": (
        "- {id: a.b, check: order, columns: [start, low]}",
        "check order cannot compare columns of different kinds: start (date), low (integer)",
    ),
    "not-after-on-text": (
        "- {id: a.b, check: not_after, column: note, other: low}",
        "check not_after compares values, but column 'note' is of kind text, which has no "
        "order (use a number, count, date or time kind)",
    ),
    "sum-of-a-date": (
        "- {id: a.b, check: sum, total: best, parts: [low, start]}",
        "check sum adds numbers, but column 'start' is of kind date (use integer, number or "
        "fuzzy_count)",
    ),
    "point-in-a-text-country": (
        "- {id: a.b, check: point_in_country, country: note, latitude: low, longitude: high}",
        "country names column 'note', which is of kind text, not country",
    ),
    "point-with-integer-latitude": (
        "- {id: a.b, check: point_in_country, country: USA, latitude: low, longitude: high}",
        "latitude names column 'low', which is of kind integer, not latitude",
    ),
    "point-in-no-country": (
        "- {id: a.b, check: point_in_country, country: Atlantis, latitude: low, longitude: high}",
        "country refers to unknown column 'Atlantis' (nor is it a country code or name)",
    ),
    "expression-on-unknown-column": (
        "- {id: a.b, check: expression, expression: 'lowest <= high'}",
        "refers to column 'lowest', which the schema does not declare",
    ),
    "expression-not-boolean": (
        "- {id: a.b, check: expression, expression: 'low + high'}",
        "expression must be true or false for each row, but gives Int64",
    ),
    "expression-unreadable": (
        "- {id: a.b, check: expression, expression: 'low <= (high'}",
        "expression is not an expression polars can read",
    ),
    "when-on-unknown-column": (
        "- {id: a.b, check: together, columns: [low, high], when: {column: state, in: [x]}}",
        "refers to column 'state', which the schema does not declare",
    ),
    "order-of-one-column": (
        "- {id: a.b, check: order, columns: [low]}",
        "check order needs at least two columns",
    ),
    "unknown-option": (
        "- {id: a.b, check: sum, total: best, parts: [low], columns: [high]}",
        "unknown key(s) columns",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_REFERENCES))
def test_a_rule_naming_a_column_it_cannot_use_is_refused(case):
    rule, problem = BAD_REFERENCES[case]

    with pytest.raises(SchemaDefinitionError) as raised:
        parse_schema("name: t\n" + COLUMNS + "rules:\n  " + rule + "\n", "t.yaml")

    assert str(raised.value).startswith("schema t.yaml: rule 'a.b': " + problem)


def test_the_cli_refuses_a_wrong_kind_with_exit_2_naming_file_rule_and_column(tmp_path):
    schema = tmp_path / "s.yaml"
    schema.write_text(
        "name: t\n" + COLUMNS + "rules:\n  " + BAD_REFERENCES["order-on-text"][0] + "\n"
    )
    table = tmp_path / "t.csv"
    table.write_text(HEADER + "\n1,,,,,,,,\n")

    result = CliRunner().invoke(app, ["validate", str(table), "--schema", str(schema)])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: schema {schema}: rule 'a.b': check order compares values, but column 'note' "
        "is of kind text, which has no order (use a number, count, date or time kind)\n"
    )
