"""The openpyxl internals the workbook writer relies on: pinned, and each use checked.

When an openpyxl upgrade changes one of them, the test of that use fails and names it; the
version pin in pyproject.toml keeps an unchecked openpyxl from being installed.
"""

from __future__ import annotations

import io
import re
import tomllib
import zipfile

import openpyxl
import polars as pl
import pytest
from conftest import ROOT
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import PatternFill

from toolkit.errors import ExportError
from toolkit.export import openpyxl_internals as internals
from toolkit.export.sheet_xml import render_rows


def test_pyproject_pins_openpyxl_to_the_versions_the_internals_support():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in project["project"]["dependencies"] if re.match(r"openpyxl\b", d)]

    assert pins == [f"openpyxl{internals.SUPPORTED}"]


def test_the_installed_openpyxl_is_a_supported_one():
    assert internals.supported(openpyxl.__version__), (
        f"openpyxl {openpyxl.__version__} is installed but the workbook writer's internals "
        f"are checked for openpyxl{internals.SUPPORTED}: check every use in "
        "toolkit/export/openpyxl_internals.py, then widen SUPPORTED and the pin"
    )


@pytest.mark.parametrize(
    ("version", "ok"),
    [("3.1.5", True), ("3.1.9", True), ("3.1.4", False), ("3.2.0", False), ("3.2.0b1", False)],
)
def test_supported_versions(version, ok):
    assert internals.supported(version) is ok


def test_an_unsupported_openpyxl_is_refused_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(openpyxl, "__version__", "3.2.0")

    with pytest.raises(ExportError) as caught:
        internals.check_supported()

    assert str(caught.value) == (
        "the workbook writer supports openpyxl>=3.1.5,<3.2, not 3.2.0; install a supported "
        "version (pip install 'openpyxl>=3.1.5,<3.2') or export csv, parquet"
    )


def _spliced(path, frame: pl.DataFrame, *, dimension: str, size_bound: int = 0, extras=None):
    """A write-only workbook with a header row, `frame`'s rows spliced into its sheet, and
    `extras(ws)` run on the sheet after its header."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("events")
    ws.freeze_panes = "A2"
    ws.append(frame.columns)
    if extras is not None:
        extras(ws)
    book = io.BytesIO()
    wb.save(book)
    with path.open("wb") as out:
        internals.splice_rows(
            book.getvalue(),
            ws,
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


def test_comments_and_links_reach_cells_openpyxl_did_not_write(tmp_path):
    frame = pl.DataFrame({"t": ["first", "second"]})

    def extras(ws):
        internals.add_comment(ws, 3, 1, "error: broken [rule.id]", "toolkit")
        internals.add_link(ws, "A3", "'Issues'!F2", tooltip="error: broken")

    path = _spliced(tmp_path / "book.xlsx", frame, dimension="A1:A3", extras=extras)
    ws = openpyxl.load_workbook(path)["events"]

    assert ws["A3"].value == "second"
    assert (ws["A3"].comment.text, ws["A3"].comment.author) == (
        "error: broken [rule.id]",
        "toolkit",
    )
    assert (ws["A3"].hyperlink.location, ws["A3"].hyperlink.tooltip) == (
        "'Issues'!F2",
        "error: broken",
    )
    assert ws["A2"].comment is None and ws["A2"].hyperlink is None


def test_comments_and_links_need_the_header_appended_first():
    ws = Workbook(write_only=True).create_sheet("events")

    with pytest.raises(RuntimeError, match="a write-only sheet has no _comments"):
        internals.add_comment(ws, 2, 1, "x", "toolkit")


def test_style_index_is_the_s_attribute_openpyxl_writes(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("events")
    cell = WriteOnlyCell(ws, value="x")
    cell.fill = PatternFill("solid", fgColor="FFC7CE")
    cell.number_format = "@"
    index = internals.style_index(cell)
    ws.append([cell])
    path = tmp_path / "book.xlsx"
    wb.save(path)

    with zipfile.ZipFile(path) as archive:
        sheet = archive.read(ws.path.lstrip("/")).decode()
    assert f'<c r="A1" s="{index}"' in sheet
    written = openpyxl.load_workbook(path)["events"]["A1"]
    assert (written.number_format, written.fill.fgColor.rgb) == ("@", "00FFC7CE")


def test_a_sheet_laid_out_otherwise_is_refused_not_garbled(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("events")  # no frozen pane: openpyxl still writes <sheetViews>
    ws.append(["t"])
    book = io.BytesIO()
    wb.save(book)
    broken = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == ws.path.lstrip("/"):
                data = data.replace(b"</sheetData>", b"")
            target.writestr(info, data)

    with pytest.raises(RuntimeError, match="is not laid out as expected"):
        internals.splice_rows(broken.getvalue(), ws, iter([]), io.BytesIO(), dimension="A1:A1")


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
