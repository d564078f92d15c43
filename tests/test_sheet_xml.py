"""The data sheet's rows rendered as SpreadsheetML by polars, and spliced into a workbook."""

from __future__ import annotations

from datetime import date

import polars as pl

from toolkit.export.sheet_xml import render_rows


def _xml(frame: pl.DataFrame, styles: dict[str, pl.Expr] | None = None, **kw: object) -> str:
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


def test_a_typed_column_shows_values_that_did_not_parse_as_text():
    frame = pl.DataFrame(
        {"d": [date(2024, 3, 22), None, None], "__text.d": [None, "2024-02-30", None]}
    )
    assert _xml(frame, columns=["d"], texts={"d": "__text.d"}) == (
        '<row r="2"><c r="A2" t="n"><v>45373</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t>2024-02-30</t></is></c></row>'
        '<row r="4"></row>'
    )


def test_only_the_named_columns_are_cells_in_their_order():
    frame = pl.DataFrame({"b": ["x"], "a": [1], "__extra": ["not a cell"]})
    assert _xml(frame, columns=["a", "b"]) == (
        '<row r="2"><c r="A2" t="n"><v>1</v></c><c r="B2" t="inlineStr"><is><t>x</t></is></c></row>'
    )


def test_rows_with_a_height_get_it_as_a_custom_height():
    frame = pl.DataFrame({"t": ["one", "two\nlines"], "__height": [None, 30.0]})
    assert _xml(frame, columns=["t"], height="__height") == (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>one</t></is></c></row>'
        '<row r="3" ht="30.0" customHeight="1"><c r="A3" t="inlineStr"><is><t>two\nlines</t></is></c></row>'
    )


def test_the_size_bound_covers_the_worst_escapes():
    from toolkit.export.sheet_xml import xml_size_bound

    frame = pl.DataFrame({"t": ["&" * 50, "\x01" * 50, "<>" * 25], "n": [1.5, None, 2.0]})
    assert len(_xml(frame)) < xml_size_bound(frame)
