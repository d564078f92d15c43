"""The CSV files for programs (exact, the default) and for people with a spreadsheet (excel)."""

from __future__ import annotations

import pytest
from conftest import TODAY, event_row
from libreoffice import convert, needs_soffice
from typer.testing import CliRunner

from toolkit import ExportError, export_table, load_schema, load_table
from toolkit.cli import app
from toolkit.schema import compile_schema

EVENTS = compile_schema(load_schema(), today=TODAY)

# starts OWASP names, in text columns (a clean value has no leading tab or CR: exports trim
# them); a negative coordinate; a value that stays as it is
ROWS = [
    event_row(notes='=HYPERLINK("http://evil.example","click")', actor2="+1", location="-"),
    event_row("iq-2024-002", notes="@SUM(1)", location="سوق الشيوخ"),
    event_row(
        "iq-2024-003",
        country="BRA",
        admin1="",
        location="Brasília",
        latitude="-15.7939",
        longitude="-47.8828",
    ),
]


def test_every_formula_start_is_neutralised_and_plain_numbers_only_outside_text():
    import polars as pl

    from toolkit.export.dialects import neutralised

    values = pl.Series(["=1+1", "+1", "-1", "@x", "\tx", "\rx", "-33.5", "a=b", None])
    text, number = (
        values.to_frame("v").select(neutralised(pl.col("v"), like)).to_series().to_list()
        for like in (True, False)
    )

    assert text == ["'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "'-33.5", "a=b", None]
    assert number == ["'=1+1", "+1", "-1", "'@x", "'\tx", "'\rx", "-33.5", "a=b", None]


@pytest.fixture
def table(write_csv):
    return write_csv([*ROWS, event_row("iq-2024-004", status="=1+1", latitude="=2+2")])


def _export(table, out, **kw):
    """Exports into `out/out` (`out` is where the input lies)."""
    return export_table(
        load_table(table), out / "out", EVENTS, quarantine=True, formats=("csv",), **kw
    )


def test_the_default_csv_is_exact(table, tmp_path):
    _export(table, tmp_path)

    raw = (tmp_path / "out" / "events.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    notes = load_table(tmp_path / "out" / "events.csv").frame.get_column("notes").to_list()
    assert notes[:2] == ['=HYPERLINK("http://evil.example","click")', "@SUM(1)"]


def test_the_excel_dialect_has_a_bom_crlf_and_no_formula(table, tmp_path):
    _export(table, tmp_path, csv_dialect="excel")

    raw = (tmp_path / "out" / "events.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfevent_id,")
    text = raw[3:].decode("utf-8")
    assert text.count("\r\n") == len(ROWS) + 1  # header and rows; none inside a value here
    clean = load_table(tmp_path / "out" / "events.csv").frame.to_dicts()
    assert [(r["notes"], r["actor2"], r["location"]) for r in clean] == [
        ('\'=HYPERLINK("http://evil.example","click")', "'+1", "'-"),
        ("'@SUM(1)", None, "سوق الشيوخ"),
        (clean[2]["notes"], None, "Brasília"),
    ]
    # a negative number in a number column is a number, not a formula
    assert (clean[2]["latitude"], clean[2]["longitude"]) == ("-15.7939", "-47.8828")


def test_the_rejected_file_follows_the_dialect_too(table, tmp_path):
    _export(table, tmp_path, csv_dialect="excel")

    raw = (tmp_path / "out" / "events.rejected.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrow,line,reasons,")
    rejected = load_table(tmp_path / "out" / "events.rejected.csv").frame.row(0, named=True)
    assert (rejected["status"], rejected["latitude"]) == ("'=1+1", "'=2+2")
    assert rejected["reasons"].startswith("value.vocabulary [status]: ")


def test_the_dialect_changes_only_the_csv_files(table, tmp_path):
    export_table(load_table(table), tmp_path / "a", EVENTS, quarantine=True)
    export_table(load_table(table), tmp_path / "b", EVENTS, quarantine=True, csv_dialect="excel")

    for name in ("events.parquet",):
        a = load_table(tmp_path / "a" / name).frame
        b = load_table(tmp_path / "b" / name).frame
        assert a.to_dicts() == b.to_dicts()
    assert load_table(tmp_path / "b" / "events.parquet").frame.get_column("notes")[0] == (
        '=HYPERLINK("http://evil.example","click")'
    )


def test_an_unknown_dialect_is_refused(table, tmp_path):
    with pytest.raises(ExportError, match="unknown CSV dialect 'tsv'; choose from exact, excel"):
        _export(table, tmp_path, csv_dialect="tsv")
    assert not (tmp_path / "out").exists()


def test_the_command_takes_the_dialect(write_csv, tmp_path):
    path = write_csv(ROWS)
    result = CliRunner().invoke(
        app, ["export", str(path), "--out", str(tmp_path / "out"), "--csv-dialect", "excel"]
    )

    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "events.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    bad = CliRunner().invoke(
        app, ["export", str(path), "--out", str(tmp_path / "x"), "--csv-dialect", "tsv"]
    )
    assert bad.exit_code == 2


@needs_soffice
def test_libreoffice_opens_the_excel_dialect_without_running_a_formula(table, tmp_path):
    # LibreOffice's default CSV import runs =… as a formula: the exact file is not for it
    for dialect in ("exact", "excel"):
        _export(table, tmp_path / dialect, csv_dialect=dialect)
    import openpyxl

    def formulas(dialect):
        book = convert(
            tmp_path / dialect / "out" / "events.csv", "xlsx", tmp_path / dialect, tmp_path
        )
        ws = openpyxl.load_workbook(book).active
        return [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]

    assert formulas("exact")  # the hazard is real
    assert formulas("excel") == []
