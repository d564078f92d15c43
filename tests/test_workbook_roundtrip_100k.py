"""The editors' round trip on a 100,000-row table (bench/generate.py): the workbook holds
every row, and after fixes, an edit, a new row and a re-sort it exports the first clean CSV
byte for byte with the edits applied.

LibreOffice takes about six minutes to sort 100,000 rows, so here the editor is a program
that edits the sheet's XML (as a spreadsheet saves it: typed text as strings, numbers and
dates as numbers); `bench/workbook_roundtrip.py` times the same round trip in LibreOffice.
Takes about 30 s.
"""

from __future__ import annotations

import csv
import html
import re
import subprocess
import sys
import zipfile
from datetime import date

import pytest
from conftest import ROOT
from roundtrip import Scenario, check_returned, first_export

from toolkit import load_schema
from toolkit.loading.table import column_index, column_letter
from toolkit.schema import compile_schema

ROWS = 100_000
EVENTS = compile_schema(load_schema())
_ROW = re.compile(r'<row r="(\d+)"[^>]*>(.*?)</row>', re.S)
_CELL = re.compile(r'<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[list[str], list[dict[str, str]]]:
    path = tmp_path_factory.mktemp("generated") / "events.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(ROWS), "--seed", "7", str(path)],
        check=True,
        capture_output=True,
    )
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _text(value: str) -> str:
    return f'<is><t xml:space="preserve">{html.escape(value, quote=False)}</t></is>'


def _edit_sheet(sheet: str, header: list[str], typing: list[tuple[str, str]]) -> str:
    """The sheet with `typing` applied (text as strings, as the Text columns keep it; in the
    number and date columns of a new row, numbers and dates) and its rows sorted by their
    first cell, last first."""
    head, rest = sheet.split("<sheetData>", 1)
    body, tail = rest.split("</sheetData>", 1)
    rows = {
        int(m[1]): dict((c[1], c[0]) for c in _CELL.finditer(m[2])) for m in _ROW.finditer(body)
    }
    kinds = {c.name: c for c in EVENTS.schema.columns}
    date_style = re.search(r's="(\d+)"', rows[2][column_letter(header.index("source_date") + 1)])
    for ref, value in typing:
        letter, n = re.match(r"([A-Z]+)(\d+)", ref).groups()  # type: ignore[union-attr]
        column = kinds[header[column_index(letter) - 1]]
        cells = rows.setdefault(int(n), {})
        if column.text_cells or letter in cells:  # a retyped cell of a broken row is Text
            cells[letter] = f'<c r="{ref}" t="inlineStr">{_text(value)}</c>'
        elif column.name == "source_date":
            serial = (date.fromisoformat(value) - date(1899, 12, 30)).days
            cells[letter] = f'<c r="{ref}" s="{date_style[1]}"><v>{serial}</v></c>'  # type: ignore[index]
        else:
            cells[letter] = f'<c r="{ref}"><v>{value}</v></c>'

    def key(cells: dict[str, str]) -> str:
        return html.unescape(re.search(r"<t[^>]*>(.*?)</t>", cells["A"], re.S)[1])  # type: ignore[index]

    header_row = rows.pop(1)
    ordered = [header_row, *sorted(rows.values(), key=key, reverse=True)]
    out = []
    for r, cells in enumerate(ordered, start=1):
        xml = "".join(
            re.sub(r'^<c r="([A-Z]+)\d+"', rf'<c r="\g<1>{r}"', cells[k])
            for k in sorted(cells, key=column_index)
        )
        out.append(f'<row r="{r}">{xml}</row>')
    return f"{head}<sheetData>{''.join(out)}</sheetData>{tail}"


def test_a_100k_row_workbook_comes_back_whole(table, tmp_path):
    header, rows = table
    s = Scenario(
        header,
        rows,
        broken={
            10: ("source_date", "2024-02-30"),
            50_000: ("status", "Occurred"),
            99_990: ("fatalities", "9-3"),
        },
        edits={777: {"notes": "=1+1", "personnel": "2,500"}},
        new_row={**rows[5], "event_id": "007", "location": "+1"},
    )
    first = first_export(s, tmp_path, EVENTS)
    returned = tmp_path / "returned.xlsx"
    with (
        zipfile.ZipFile(first / "events.xlsx") as source,
        zipfile.ZipFile(returned, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = _edit_sheet(data.decode(), header, s.typing()).encode()
            target.writestr(info, data)

    keys = sorted([r["event_id"] for r in rows] + ["007"], reverse=True)
    check_returned(s, returned, first, tmp_path, EVENTS, order=keys)
