"""`kind: text` — any text; the options every column has, and line breaks when multi-line."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.kinds.base import _CONTROL, Column
from toolkit.schema.options import option

_SEPARATORS = r"[\u2028\u2029\x85]"


@dataclass(frozen=True, kw_only=True)
class TextColumn(Column):
    """Free text. `multiline: true` allows line breaks and tabs (notes, quotes)."""

    kind = "text"
    summary = "any text"

    multiline: bool = option(opt.flag, False)

    def accepts(self) -> str:
        return "any text, on several lines if need be" if self.multiline else "any text on one line"

    def control_characters(self) -> str:
        return _CONTROL if self.multiline else super().control_characters()

    def control_words(self) -> str:
        return "" if self.multiline else super().control_words()

    def control_hint(self, raw: pl.Expr) -> pl.Expr:
        if not self.multiline:
            return super().control_hint(raw)
        retype = "retype the value; control characters usually come from copy and paste"
        return (
            pl.when(raw.str.replace_all(_SEPARATORS, "").str.contains(_CONTROL))
            .then(pl.lit(retype))
            .otherwise(
                pl.lit(
                    "replace the Unicode line separators (U+2028, U+2029, U+0085) with ordinary line breaks"
                )
            )
        )

    def line_break_hint(self) -> str:
        return (
            f"remove the line breaks and tabs, or declare {self.name} `multiline: true` "
            "in the schema if its values may span lines"
        )
