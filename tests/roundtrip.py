"""The editors' round trip, as tests and the bench run it: a table with broken rows is
exported with --quarantine, an editor fixes the broken cells, edits a clean row, types a new
row below the data and re-sorts the rows, and the returned workbook is exported again.

`Scenario` knows the table, the edits and what the returned workbook must give: the clean CSV
of the same table with the same edits applied (a CSV exported from it), and, for every row
the editor did not touch, the very bytes of the first export's clean CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from toolkit import export_table, load_table, validate_table
from toolkit.cli import app
from toolkit.loading.table import column_letter


def records(text: str) -> tuple[str, dict[str, str]]:
    """The header line and each record's exact text (its line breaks included) by its key
    (the first field) of a CSV file the toolkit wrote."""
    out: list[str] = []
    start, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            out.append(text[start : i + 1])
            start = i + 1
    assert start == len(text), "the file ends inside a record"
    header, rows = out[0], out[1:]
    keyed = {next(csv.reader(io.StringIO(r)))[0]: r for r in rows}
    assert len(keyed) == len(rows), "keys repeat"
    return header, keyed


@dataclass
class Scenario:
    """A table (header and rows as dicts of text), its broken cells and an editor's edits."""

    header: list[str]
    rows: list[dict[str, str]]
    broken: dict[int, tuple[str, str]]  # row index -> (column, the value typed wrongly)
    edits: dict[int, dict[str, str]] = field(default_factory=dict)  # clean rows changed
    new_row: dict[str, str] = field(default_factory=dict)  # typed below the data

    def input_rows(self) -> list[dict[str, str]]:
        rows = [dict(r) for r in self.rows]
        for i, (name, wrong) in self.broken.items():
            rows[i][name] = wrong
        return rows

    def edited_rows(self) -> list[dict[str, str]]:
        """The table as the editor leaves it (before sorting)."""
        rows = [dict(r) for r in self.rows]
        for i, changes in self.edits.items():
            rows[i].update(changes)
        return [*rows, dict(self.new_row)] if self.new_row else rows

    def touched(self) -> set[str]:
        keys = {self.rows[i][self.header[0]] for i in [*self.broken, *self.edits]}
        return keys | ({self.new_row[self.header[0]]} if self.new_row else set())

    def typing(self) -> list[tuple[str, str]]:
        """(cell, text) for everything the editor types: the fixes (the right value), the
        edits, and the new row below the data."""
        letter = {name: column_letter(i + 1) for i, name in enumerate(self.header)}
        typed = [
            (f"{letter[name]}{i + 2}", self.rows[i][name]) for i, (name, _) in self.broken.items()
        ]
        for i, changes in self.edits.items():
            typed += [(f"{letter[n]}{i + 2}", v) for n, v in changes.items()]
        below = len(self.rows) + 2
        typed += [(f"{letter[n]}{below}", v) for n, v in self.new_row.items() if v]
        return typed


def csv_of(header: list[str], rows: list[dict[str, str]], newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def first_export(scenario: Scenario, work: Path, schema) -> Path:
    """The table exported with --quarantine; returns the output directory."""
    path = work / "events.csv"
    path.write_text(csv_of(scenario.header, scenario.input_rows()), encoding="utf-8", newline="")
    result = export_table(load_table(path), work / "out", schema, quarantine=True)
    assert result.rejected_rows == len(scenario.broken)
    return work / "out"


def expected_export(scenario: Scenario, work: Path, schema) -> dict[str, str]:
    """The clean CSV records of the table with the editor's edits applied, exported directly."""
    path = work / "expected" / "events.csv"
    path.parent.mkdir()
    path.write_text(csv_of(scenario.header, scenario.edited_rows()), encoding="utf-8", newline="")
    result = export_table(load_table(path), work / "expected" / "out", schema, formats=("csv",))
    assert result.ok and result.rejected_rows == 0
    return records((work / "expected" / "out" / "events.csv").read_text(encoding="utf-8"))[1]


def check_returned(
    scenario: Scenario, returned: Path, first: Path, work: Path, schema, *, order: list[str]
) -> None:
    """The returned workbook validates, and `toolkit export returned.xlsx --to csv` gives the
    first clean CSV for every untouched row byte for byte, the edits applied, in `order`."""
    report = validate_table(load_table(returned), schema)
    assert report.errors == 0, report.findings[:5]
    out = work / "again"
    result = CliRunner().invoke(app, ["export", str(returned), "--to", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    header, again = records((out / f"{returned.stem}.csv").read_text(encoding="utf-8"))
    first_header, original = records((first / "events.csv").read_text(encoding="utf-8"))
    assert header == first_header
    untouched = {k: v for k, v in original.items() if k not in scenario.touched()}
    assert {k: again[k] for k in untouched} == untouched  # byte for byte
    assert again == expected_export(scenario, work, schema)
    assert list(again) == order
