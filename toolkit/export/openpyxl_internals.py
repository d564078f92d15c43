"""What the workbook writer needs from openpyxl beyond its public API: here, and nowhere else.

openpyxl's write-only sheets write each cell as it is appended, and collect the cell's comment
and hyperlink on the way. The data sheet's rows are not appended: `sheet_xml` renders them
with polars (about 15 times faster) and `splice_rows` puts them into the sheet file openpyxl
wrote. So their comments and links are handed to the sheet's writer the way its own row
writer hands them (`_comments`, `_hyperlinks`), a cell's `s` index is openpyxl's `style_id`,
and the rows go where openpyxl's sheet file keeps them.

Each of these depends on how openpyxl 3.1 works inside. `SUPPORTED` is the range of versions
pinned in pyproject.toml; `check_supported` refuses others with a clear error, and
tests/test_openpyxl_internals.py fails, naming the use that broke, when an upgrade changes
any of them.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.errors import ExportError

SUPPORTED = ">=3.1.5,<3.2"
_LOWEST, _BELOW = (3, 1, 5), (3, 2)


def _version(text: str) -> tuple[int, ...]:
    parts = []
    for part in text.split("."):
        digits = "".join(ch for ch in part if ch.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def supported(version: str) -> bool:
    """Whether the workbook writer works with openpyxl `version` (`SUPPORTED`)."""
    return _LOWEST <= _version(version) < _BELOW


def check_supported() -> None:
    """Refuse an openpyxl outside `SUPPORTED` before anything is written."""
    if not supported(openpyxl.__version__):
        raise ExportError(
            f"the workbook writer supports openpyxl{SUPPORTED}, not {openpyxl.__version__}; "
            f"install a supported version (pip install 'openpyxl{SUPPORTED}') or export csv, parquet"
        )


def _collected(ws: Worksheet, name: str) -> list[object]:
    """The list openpyxl's sheet writer collects comments or links in. The writer makes it
    anew when the first row is appended, so anything handed over before is lost: the header
    must be appended first."""
    found = getattr(ws, name, None)
    if getattr(ws, "_writer", None) is None or not isinstance(found, list):
        raise RuntimeError(
            f"openpyxl {openpyxl.__version__}: a write-only sheet has no {name} to add to "
            "(append its header first)"
        )
    return found


def add_comment(ws: Worksheet, row: int, column: int, text: str, author: str) -> None:
    """Attach a comment to a cell of the write-only sheet `ws` that openpyxl does not write."""
    cell = WriteOnlyCell(ws)
    cell.row, cell.column = row, column
    cell.comment = Comment(text, author)
    _collected(ws, "_comments").append(CommentRecord.from_cell(cell))


def add_link(ws: Worksheet, ref: str, location: str, tooltip: str | None = None) -> None:
    """Link cell `ref` of the write-only sheet `ws` (a cell openpyxl does not write) to
    `location` in the workbook (`'Issues'!F2`)."""
    _collected(ws, "_hyperlinks").append(Hyperlink(ref=ref, location=location, tooltip=tooltip))


def style_index(cell: Cell) -> int:
    """The `s` index of the cell's style in the workbook's cellXfs: openpyxl registers the
    style with the workbook and writes this number."""
    return int(cell.style_id)


def splice_rows(
    workbook: bytes,
    ws: Worksheet,
    rows: Iterator[bytes],
    out: io.BufferedIOBase,
    *,
    dimension: str,
    size_bound: int = 0,
) -> None:
    """Copy the workbook zip `workbook` (saved by openpyxl) to `out`, adding `rows` at the end
    of the write-only sheet `ws`'s data.

    `ws` holds only its header row; `dimension` (e.g. `A1:S101`) becomes its dimension record,
    which openpyxl's write-only mode leaves out. The member gets ZIP64 records only when
    `size_bound` says it may pass 4 GiB: Excel is known to reject ZIP64 records it does not
    need.
    """
    sheet = ws.path.lstrip("/")  # openpyxl's ExcelWriter stores the sheet at its path
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename != sheet:
                target.writestr(info, data)
                continue
            text = data.decode("utf-8")
            head, end, tail = text.partition("</sheetData>")
            if not end or "<sheetViews>" not in head:
                raise RuntimeError(
                    f"openpyxl {openpyxl.__version__}: {sheet} is not laid out as expected"
                )
            head = head.replace("<sheetViews>", f'<dimension ref="{dimension}" /><sheetViews>', 1)
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            zip64 = size_bound >= 0xFFFF_FFFF
            with target.open(member, "w", force_zip64=zip64) as stream:
                stream.write(head.encode("utf-8"))
                for block in rows:
                    stream.write(block)
                stream.write((end + tail).encode("utf-8"))
