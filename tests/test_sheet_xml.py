"""The data sheet's rows rendered as SpreadsheetML by polars, and spliced into a workbook."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import polars as pl
from openpyxl import Workbook

from toolkit.export.sheet_xml import render_rows, splice_rows


def _xml(frame: pl.DataFrame, styles: dict[str, pl.Expr] | None = None, **kw: int) -> str:
    return b"".join(render_rows(frame, styles or {}, **kw)).decode("utf-8")


def test_text_numbers_dates_and_empty_cells_are_written_as_openpyxl_writes_them():
    frame = pl.DataFrame(
        {
            "t": ["a & b < c > d", " padded", None],
            "n": [1.5, None, -2.0],
            "i": [7, 8, None],
            "d": [date(2024, 3, 22), None, date(1900, 2, 28)],
        }
    )
    assert _xml(frame) == (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>a &amp; b &lt; c &gt; d</t></is></c>'
        '<c r="B2" t="n"><v>1.5</v></c><c r="C2" t="n"><v>7</v></c>'
        '<c r="D2" t="n"><v>45373</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve"> padded</t></is></c>'
        '<c r="C3" t="n"><v>8</v></c></row>'
        # openpyxl's serial for days before 1 March 1900 (Excel's phantom 29 February)
        '<row r="4"><c r="B4" t="n"><v>-2.0</v></c><c r="D4" t="n"><v>59</v></c></row>'
    )


def test_styles_apply_per_cell_and_a_styled_empty_cell_is_kept():
    frame = pl.DataFrame({"t": ["x", None, "y"]})
    styles = {"t": pl.when(pl.col("__position") >= 1).then(pl.lit(4, pl.UInt32))}
    assert _xml(frame, styles, first_row=5) == (
        '<row r="5"><c r="A5" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="6"><c r="A6" s="4"/></row>'
        '<row r="7"><c r="A7" s="4" t="inlineStr"><is><t>y</t></is></c></row>'
    )


def test_characters_xml_cannot_hold_are_stored_as_ooxml_escapes():
    frame = pl.DataFrame({"t": ["bell\x07 tab\t", "nul\x00"]})
    xml = _xml(frame)
    assert "<t>bell_x0007_ tab\t</t>" in xml.replace(' xml:space="preserve"', "")
    assert "<t>nul_x0000_</t>" in xml


def test_blocks_concatenate_to_the_whole_sheet():
    frame = pl.DataFrame({"t": [f"v{i}" for i in range(7)], "n": list(range(7))})
    blocks = list(render_rows(frame, {}, block_rows=3))
    assert len(blocks) == 3
    assert b"".join(blocks).decode() == _xml(frame, block_rows=100)


def _spliced(path, frame: pl.DataFrame, *, dimension: str, size_bound: int = 0):
    """A write-only workbook with a header row, and `frame`'s rows spliced into its sheet."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("events")
    ws.freeze_panes = "A2"
    ws.append(frame.columns)
    book = io.BytesIO()
    wb.save(book)
    with path.open("wb") as out:
        splice_rows(
            book.getvalue(),
            "xl/worksheets/sheet1.xml",
            render_rows(frame, {}),
            out,
            dimension=dimension,
            size_bound=size_bound,
        )
    return path


def test_spliced_rows_follow_the_header_and_the_sheet_gets_its_dimension(tmp_path):
    frame = pl.DataFrame({"t": ["first", "second"], "n": [1, 2]})
    path = _spliced(tmp_path / "book.xlsx", frame, dimension="A1:B3")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    read_only = openpyxl.load_workbook(path, read_only=True)["events"]
    assert read_only.max_row == 3  # the dimension record is there
    assert [list(r) for r in read_only.iter_rows(values_only=True)] == [
        ["t", "n"],
        ["first", 1],
        ["second", 2],
    ]


def _local_header_extra(path, member: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(member).header_offset
    raw = path.read_bytes()
    name_len, extra_len = (
        int.from_bytes(raw[offset + 26 : offset + 28], "little"),
        int.from_bytes(raw[offset + 28 : offset + 30], "little"),
    )
    start = offset + 30 + name_len
    return raw[start : start + extra_len]


def test_zip64_records_only_when_the_sheet_may_pass_4_gib(tmp_path):
    frame = pl.DataFrame({"t": ["x"]})
    for bound, zip64 in ((1_000, False), (5 << 30, True)):
        path = _spliced(tmp_path / f"book-{bound}.xlsx", frame, dimension="A1:A2", size_bound=bound)
        extra = _local_header_extra(path, "xl/worksheets/sheet1.xml")
        assert extra.startswith(b"\x01\x00") is zip64  # header id 0x0001: ZIP64
        assert openpyxl.load_workbook(path)["events"]["A2"].value == "x"


def test_the_size_bound_covers_the_worst_escapes():
    from toolkit.export.sheet_xml import xml_size_bound

    frame = pl.DataFrame({"t": ["&" * 50, "\x01" * 50, "<>" * 25], "n": [1.5, None, 2.0]})
    assert len(_xml(frame)) < xml_size_bound(frame)
