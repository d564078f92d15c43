"""The two ways an export writes its CSV files: exact text for programs, or for spreadsheets.

`exact` (the default) is the machine-readable file: UTF-8 without a byte-order mark, LF line
endings, every value exactly as the clean table holds it. It is not meant to be opened in a
spreadsheet: one turns `007` into 7, reads UTF-8 without a byte-order mark as Latin-1, and
runs text that starts like a formula (`=HYPERLINK(…)`) as one.

`excel` is for people who open the file in Excel or LibreOffice: UTF-8 with a byte-order mark
(so the program reads Arabic as Arabic), CRLF line endings, and every text that starts like a
formula (`=`, `+`, `-`, `@`, a tab or a carriage return) neutralised as OWASP recommends for
CSV injection: prefixed with a single quote, so the program shows it as text and never runs
it. The values are then no longer exact (`'=1+1`): programs read the `exact` file.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import polars as pl

DIALECTS = ("exact", "excel")
# what a spreadsheet takes for the start of a formula (OWASP, "CSV Injection")
_FORMULA_START = r"^[=+\-@\t\r]"
# a plain number in a number column (`-33.5`) is a number to a spreadsheet, not a formula
_NUMBER = r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$"


def neutralised(text: pl.Expr, text_like: bool) -> pl.Expr:
    """`text` with a `'` before every value a spreadsheet could take for a formula. In a
    column that is not text-like, a plain number (`-33.5`) is left as it is."""
    risky = text.str.contains(_FORMULA_START)
    if not text_like:
        risky = risky & ~text.str.contains(_NUMBER)
    return pl.when(risky).then(pl.concat_str([pl.lit("'"), text])).otherwise(text)


def write_csv(frame: pl.DataFrame, path: Path, dialect: str, text_like: Collection[str]) -> None:
    """Write `frame` in `dialect`; `text_like` names its columns of text (every value there
    that starts like a formula is neutralised, not just those that are not numbers)."""
    if dialect == "exact":
        frame.write_csv(path, line_terminator="\n")
        return
    if dialect != "excel":
        raise ValueError(f"unknown CSV dialect {dialect!r}")
    safe = frame.with_columns(
        neutralised(pl.col(name), name in text_like).alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
    safe.write_csv(path, include_bom=True, line_terminator="\r\n")
