"""Properties over generated input: no text crashes a parser, and export loses no row.

Round trips through CSV, Parquet and XLSX are pinned by the export tests; these properties
cover what hostile text does to the parsers and what quarantine does to row accounting.
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import HEADER, event_row
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from toolkit import export_table, load_schema, load_table, validate_table
from toolkit.fuzzy import parse_count, parse_fuzzy_date
from toolkit.schema import compile_schema

PROPERTY = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Hostile text: anything printable or not, plus characters that commonly trip parsers
# (digits from other scripts, separators, EDTF punctuation, control and invisible marks).
_TRICKY = st.sampled_from(
    [
        *"0123456789-/.~?%+<=,: ",
        *["\x00", "\x0b", "\r", "\n", "\u00a0", "\u200f", "\u202e", "\ufeff"],
        *["٣", "۲", "१", "Ｉ", "І", "ß", "..", "9" * 30, "-0", "<=", "//"],
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.lists(_TRICKY, max_size=12).map("".join),
    st.from_regex(r"\A[0-9~?%./-]{0,24}\Z"),
)

COMPILED = compile_schema(load_schema())


def _parse(parser, values: list[str | None]) -> pl.DataFrame:
    return (
        pl.DataFrame({"v": values}, schema={"v": pl.String}).select(parser(pl.col("v"))).unnest("v")
    )


@PROPERTY
@given(st.lists(st.one_of(st.none(), TEXT), min_size=1, max_size=8))
def test_no_text_crashes_the_date_parser(values):
    parsed = _parse(parse_fuzzy_date, values).select(
        "ok",
        # compared in polars: year 0000 is a valid EDTF year but not a Python date
        ordered=pl.col("start").is_null()
        | pl.col("end").is_null()
        | (pl.col("start") <= pl.col("end")),
    )

    assert parsed.height == len(values)
    for value, (ok, ordered) in zip(values, parsed.iter_rows(), strict=True):
        if value is None:
            assert ok is None
        else:
            assert ok in (True, False)
            assert ordered or not ok


@PROPERTY
@given(st.lists(st.one_of(st.none(), TEXT), min_size=1, max_size=8))
def test_no_text_crashes_the_count_parser(values):
    parsed = _parse(parse_count, values)

    assert parsed.height == len(values)
    for value, row in zip(values, parsed.iter_rows(named=True), strict=True):
        if value is None:
            assert row["ok"] is None
        elif row["ok"]:
            bounds = [b for b in (row["low"], row["best"], row["high"]) if b is not None]
            assert bounds and all(b >= 0 for b in bounds)
        else:
            assert row["ok"] is False


# the column of each kind the events schema checks: fuzzy date, fuzzy count, country,
# subdivision, numbers (latitude/longitude), ISO date, URL, vocabulary and plain text
CHECKED = [
    "date",
    "personnel",
    "country",
    "admin1",
    "latitude",
    "longitude",
    "source_date",
    "source_url",
    "status",
    "event_id",
]


@settings(PROPERTY, max_examples=30)  # one validation costs ~0.2 s
@given(value=TEXT)
@example(value="\x1f")  # Python's str.strip removes it; the toolkit reports it
def test_no_text_crashes_validation_it_parses_or_is_a_finding(tmp_path_factory, value):
    """The value in every checked column of one row: a report comes back, never an exception.

    And one parser per format: `date.invalid` / `count.invalid` exactly when the parser that
    exports the value says it does not parse.
    """
    row = event_row("iq-2024-002", **dict.fromkeys(CHECKED, value))
    path = tmp_path_factory.mktemp("one") / "one.parquet"
    # Parquet holds any text (NUL, lone CR) that a CSV file could not carry
    pl.DataFrame([row], schema=dict.fromkeys(HEADER, pl.String)).write_parquet(path)

    report = validate_table(load_table(path), COMPILED)

    assert all(f.row in (1, None) and f.message for f in report.findings)
    assert report.valid or report.findings
    rules = {(f.rule, f.column) for f in report.findings}
    # blank as the toolkit sees it (Unicode White_Space); Python's str.strip also removes
    # \x1c-\x1f, which the toolkit keeps as a value and reports as control characters
    if pl.select(pl.lit(value, pl.String).str.strip_chars()).item():
        date_ok = _parse(parse_fuzzy_date, [value])["ok"].item()
        count_ok = _parse(parse_count, [value])["ok"].item()
        assert (("date.invalid", "date") in rules) is (not date_ok)
        assert (("count.invalid", "personnel") in rules) is (not count_ok)
    else:
        assert ("value.required", "date") in rules


@pytest.mark.parametrize("value", ["../1850", "../1899-12", "../0000"])
def test_an_open_start_date_that_ends_before_the_minimum_is_out_of_range(tmp_path, value):
    path = tmp_path / "one.parquet"
    row = event_row("iq-2024-002", date=value)
    pl.DataFrame([row], schema=dict.fromkeys(HEADER, pl.String)).write_parquet(path)

    report = validate_table(load_table(path), COMPILED)

    assert [(f.rule, f.column) for f in report.findings] == [("date.range", "date")]


# --- accounting ------------------------------------------------------------------------

GOOD = ["iq-2024-001", "iq-2024-002", "sy-2024-001", "ru-2024-001", "iq-2003-001"]
# each change makes a row fail with an error
BAD = [
    {"date": "2024-02-30"},
    {"country": "ІRQ"},
    {"personnel": "999-100"},
    {"latitude": "91"},
    {"status": "done"},
    {"actor1": "US\x07 forces"},
    {"source_date": ""},
]
# each change only warns: the row is still exported
WARN = [{"source_url": ""}, {"location": "Baghdad\u00a0"}, {}]


@st.composite
def tables(draw):
    kinds = draw(st.lists(st.sampled_from(["good", "bad", "warn"]), min_size=1, max_size=12))
    rows, bad = [], 0
    for i, kind in enumerate(kinds):
        base = draw(st.sampled_from(GOOD))
        change = {}
        if kind == "bad":
            change, bad = draw(st.sampled_from(BAD)), bad + 1
        elif kind == "warn":
            change = draw(st.sampled_from(WARN))
        rows.append(event_row(base, **{"event_id": f"ev-{i}", **change}))
    return rows, bad


@settings(PROPERTY, max_examples=30)
@given(tables())
def test_rows_exported_plus_rows_rejected_equals_rows_read(tmp_path_factory, drawn):
    rows, bad = drawn
    tmp = tmp_path_factory.mktemp("accounting")
    path = tmp / "events.parquet"
    pl.DataFrame(rows, schema=dict.fromkeys(HEADER, pl.String)).write_parquet(path)
    table = load_table(path)

    result = export_table(table, tmp / "out", COMPILED, formats=("csv",), quarantine=True)

    assert result.ok
    assert result.exported_rows + result.rejected_rows == table.rows == len(rows)
    assert result.rejected_rows == bad
    exported = pl.read_csv(tmp / "out" / "events.csv", infer_schema=False)
    rejected = pl.read_csv(tmp / "out" / "events.rejected.csv", infer_schema=False)
    assert exported.height + rejected.height == len(rows)
    assert sorted(exported["event_id"].to_list() + rejected["event_id"].to_list()) == sorted(
        r["event_id"] for r in rows
    )
    assert result.manifest["rows"] == {
        "input": len(rows),
        "exported": result.exported_rows,
        "rejected": result.rejected_rows,
    }
