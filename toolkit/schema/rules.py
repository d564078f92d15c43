"""A rule is one named, vectorised check with the words to explain a failure.

`ok` is a boolean polars expression over the prepared frame (true or null = pass). `message`
and `hint` are templates: `{value}` is the text of the rule's column as typed, `{name}` the
text of any other column or of a field expression given in `fields`. Fields and templates are
evaluated over the rule's failing rows only (a window in a field sees just those rows).
`suggest` is the one place Python runs per value: it maps each distinct failing value (plus
the values of the `suggest_from` expressions) to a hint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl

from toolkit.schema.options import Severity

_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.]+)\}")
# A value is shown in a message up to this many characters (a 10 MB cell stays out of the
# report); the rest is replaced by its length.
SHOWN_CHARS = 200


@dataclass(frozen=True)
class Rule:
    """One check, reported under a stable dotted `id` on `column`.

    `variant` tells apart two checks with one id on one column (a column's minimum and
    maximum are both `value.range`, each with its own message).
    """

    id: str
    column: str
    severity: Severity
    ok: pl.Expr
    message: str
    hint: str | None = None
    fields: Mapping[str, pl.Expr] = field(default_factory=dict)
    suggest: Callable[..., str | None] | None = None
    suggest_from: tuple[pl.Expr, ...] = ()
    variant: str = ""

    @property
    def key(self) -> str:
        """Unique name of this check inside a compiled schema."""
        return f"{self.id}@{self.column}" + (f"#{self.variant}" if self.variant else "")


def shown(text: pl.Expr) -> pl.Expr:
    """Text as a message shows it: at most SHOWN_CHARS characters, then how long it was."""
    length = text.str.len_chars()
    return (
        pl.when(length > SHOWN_CHARS)
        .then(
            pl.concat_str(
                [
                    text.str.slice(0, SHOWN_CHARS),
                    pl.lit("… ("),
                    length.cast(pl.String),
                    pl.lit(" characters)"),
                ]
            )
        )
        .otherwise(text)
    )


def fill_template(template: str, column: str, names: set[str]) -> pl.Expr:
    """Turn `"'{value}' is not {x}"` into a polars string expression."""
    parts: list[pl.Expr] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(template):
        if match.start() > pos:
            parts.append(pl.lit(template[pos : match.start()]))
        name = match.group(1)
        source = column if name == "value" else name
        if source in names:
            parts.append(shown(pl.col(source).cast(pl.String)).fill_null(""))
        else:
            parts.append(pl.lit(match.group(0)))
        pos = match.end()
    if pos < len(template):
        parts.append(pl.lit(template[pos:]))
    if not parts:
        return pl.lit("")
    return pl.concat_str(parts)
