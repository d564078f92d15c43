"""The editors' round trip on the reference table: broken rows fixed in the workbook, a clean
row edited, a row typed in below the data, rows re-sorted; the returned workbook validates and
exports to the first clean CSV, byte for byte, with the edits applied.

The editor is LibreOffice typing into the cells (skipped when it is not installed) or a
program editing the file with openpyxl (always run).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from conftest import EVENTS_CSV, TODAY
from libreoffice import edit, needs_uno
from roundtrip import Scenario, check_returned, first_export

from toolkit import load_schema, load_table
from toolkit.loading.table import column_index
from toolkit.schema import compile_schema

EVENTS = compile_schema(load_schema(), today=TODAY)


def fixture_scenario() -> Scenario:
    """Three rows of the reference table broken, one edited, one new; the cells chosen are
    ones an editor types in one go (no line breaks)."""
    with EVENTS_CSV.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header, rows = list(reader.fieldnames or []), list(reader)
    plain = [i for i, r in enumerate(rows) if not any("\n" in v for v in r.values())]
    a, b, c, d = plain[:4]
    e = next(i for i in plain[4:] if rows[i]["latitude"])  # typed in with its coordinates
    return Scenario(
        header,
        rows,
        broken={
            a: ("source_date", "2024-02-30"),  # a date column: the wrong value shown as text
            b: ("status", rows[b]["status"].upper()),
            c: ("date", "2024-13"),
        },
        edits={d: {"notes": "=1+1", "personnel": "2,500"}},
        new_row={
            **rows[e],
            "event_id": "007",
            "notes": '=HYPERLINK("http://evil.example","click")',
            "location": "+1",
        },
    )


@pytest.fixture
def scenario(tmp_path) -> tuple[Scenario, Path]:
    s = fixture_scenario()
    return s, first_export(s, tmp_path, EVENTS)


def test_the_broken_rows_are_in_the_workbook_as_typed(scenario):
    s, first = scenario
    ws = openpyxl.load_workbook(first / "events.xlsx")["events"]

    assert ws.max_row == len(s.rows) + 1
    for i, (name, wrong) in s.broken.items():
        cell = ws.cell(row=i + 2, column=s.header.index(name) + 1)
        assert (cell.value, cell.data_type) == (wrong, "s")
        assert cell.comment is not None


def _typed_value(column, text: str) -> object:
    """What typing `text` puts in a cell of `column`, as a spreadsheet does for its format."""
    if column.text_cells:
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        return float(text)


def _openpyxl_editor(src: Path, dst: Path, s: Scenario, typing: list[tuple[str, str]]) -> None:
    """Types with openpyxl (text kept as text, as the Text format does), then re-sorts the
    rows by event_id, last first."""
    wb = openpyxl.load_workbook(src)
    ws = wb["events"]
    columns = {c.name: c for c in EVENTS.schema.columns}
    for ref, text in typing:
        cell = ws[ref]
        column = columns[s.header[column_index("".join(ch for ch in ref if ch.isalpha())) - 1]]
        cell.value = _typed_value(column, text)
        if isinstance(cell.value, str):
            cell.data_type = "s"  # what the Text format keeps: never a formula
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=len(s.header))]
    data.sort(key=lambda r: str(r[0]), reverse=True)
    for r, values in enumerate(data, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    wb.save(dst)


def test_a_workbook_edited_by_a_program_comes_back_whole(scenario, tmp_path):
    s, first = scenario
    returned = tmp_path / "returned.xlsx"

    _openpyxl_editor(first / "events.xlsx", returned, s, s.typing())

    keys = sorted([r["event_id"] for r in s.rows] + [s.new_row["event_id"]], reverse=True)
    check_returned(s, returned, first, tmp_path, EVENTS, order=keys)


@needs_uno
def test_a_workbook_edited_in_libreoffice_comes_back_whole(scenario, tmp_path):
    s, first = scenario
    returned = tmp_path / "returned.xlsx"
    typing = s.typing()
    last = len(s.rows) + 2  # the new row

    typed = edit(
        first / "events.xlsx",
        returned,
        [{"type": ref, "text": text} for ref, text in typing]
        + [{"sort": f"A2:S{last}", "column": 0, "descending": True}],
        tmp_path,
    )

    kinds = {t["text"]: t["type"] for t in typed}
    assert kinds["007"] == "TEXT"  # a Text column keeps the leading zeros
    assert kinds["=1+1"] == kinds['=HYPERLINK("http://evil.example","click")'] == "TEXT"
    assert kinds["+1"] == kinds["2,500"] == "TEXT"
    assert kinds[s.new_row["latitude"]] == "VALUE"  # a number column takes numbers
    order = load_table(returned).frame.get_column("event_id").to_list()
    assert order != [r["event_id"] for r in s.rows] + ["007"]  # re-sorted
    check_returned(s, returned, first, tmp_path, EVENTS, order=order)
