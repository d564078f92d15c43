"""`kind: vocabulary` — one of the listed values, or several with a declared `separator`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from toolkit.schema import options as opt
from toolkit.schema.kinds.base import Column, Output, RuleContext, rows
from toolkit.schema.options import OptionError, option
from toolkit.schema.profile import Detection, Profile
from toolkit.schema.rules import Rule

SEPARATORS = (";", "|")
# columns named like these hold names or prose, however few distinct values a table has
FREE_TEXT_NAMES = frozenset(
    [
        "name",
        "names",
        "location",
        "place",
        "city",
        "town",
        "village",
        "actor",
        "actors",
        "title",
        "description",
        "notes",
        "note",
        "comment",
        "comments",
        "address",
        "source",
        "headline",
        "school",
        "district",
        "county",
        "site",
    ]
)
MAX_VALUES = 20  # `toolkit init`: at most this many distinct values make a vocabulary
MAX_VALUE_CHARS = 40
MEAN_VALUE_CHARS = 16  # codes are short; names of actors or places run longer


def _few(values: pl.Series, counts: pl.Series) -> bool:
    """Few distinct short values, each used at least twice on average (a code list)."""
    lengths = values.str.len_chars()
    return (
        2 <= values.len() <= MAX_VALUES
        and int(counts.sum()) >= 2 * values.len()
        and int(lengths.max() or 0) <= MAX_VALUE_CHARS  # type: ignore[arg-type]
        and float(lengths.mean() or 0) <= MEAN_VALUE_CHARS  # type: ignore[arg-type]
    )


def _listed(table: pl.DataFrame) -> str:
    """`occurred (9), planned (4), ongoing (3)`."""
    return ", ".join(f"{v} ({n:,})" for v, n in table.iter_rows())


def _separator(value: object) -> str:
    if not isinstance(value, str) or len(value) != 1 or value.isalnum() or value.isspace():
        raise OptionError(f"must be one character such as ';' or '|', got {value!r}")
    return value


def closest(values: tuple[str, ...]) -> Callable[[str], str]:
    """A hint for a value that is not in `values`: the case-insensitive or closest match."""
    lowered = {v.lower(): v for v in values}

    def suggest(value: str) -> str:
        text = value.strip()
        if text.lower() in lowered:
            return f"did you mean {lowered[text.lower()]!r}? values are case-sensitive"
        match = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
        if match:
            return f"did you mean {lowered[match[0]]!r}? allowed: {', '.join(values)}"
        return f"allowed: {', '.join(values)}"

    return suggest


@dataclass(frozen=True, kw_only=True)
class VocabularyColumn(Column):
    """A controlled value (case-sensitive). With `separator`, a cell holds several values
    (`B;H`), each checked; Parquet then also gets `<name>_items`, the list of them."""

    kind = "vocabulary"
    summary = "one of the allowed values"

    values: tuple[str, ...] = option(opt.text_list, ())
    separator: str | None = option(_separator)

    detect_rank = 100

    @classmethod
    def detect(cls, profile: Profile) -> Detection | None:
        if profile.multiline or profile.distinct < 2:
            return None
        words = set(re.split(r"[^a-z]+", profile.lowered_name()))
        if words & FREE_TEXT_NAMES:
            return None  # a few repeated place or actor names are still names, not a code list
        for separator in SEPARATORS:
            if profile.values.str.contains(separator, literal=True).any():
                items = (
                    pl.DataFrame({"v": profile.values, "n": profile.counts})
                    .select(
                        pl.col("v").str.split(separator).list.eval(pl.element().str.strip_chars()),
                        "n",
                    )
                    .explode("v")
                    .group_by("v")
                    .agg(pl.col("n").sum())
                    .sort(["n", "v"], descending=[True, False])
                )
                if _few(items["v"], items["n"]):
                    values = items["v"].to_list()
                    why = f"{rows(profile.present)}, each one or more of {len(values)} values separated by {separator!r}: {_listed(items)}"
                    return Detection(cls.kind, why, {"values": values, "separator": separator})
                return None
        if not _few(profile.values, profile.counts):
            return None
        table = pl.DataFrame({"v": profile.values, "n": profile.counts})
        why = f"{rows(profile.present)}, {profile.distinct} distinct: {_listed(table)}"
        return Detection(cls.kind, why, {"values": profile.values.to_list()})

    def accepts(self) -> str:
        if self.separator:
            return f"one or more of the allowed values, separated by {self.separator!r}"
        return self.summary

    def check_options(self) -> None:
        if not self.values:
            raise OptionError("a vocabulary column needs a non-empty list of values")
        if self.separator and any(self.separator in v for v in self.values):
            raise OptionError(f"a value contains the separator {self.separator!r}")

    def parse(self) -> dict[str, pl.Expr]:
        if not self.separator:
            return {}
        items = self.value.str.split(self.separator, literal=True).list.eval(
            pl.element().str.strip_chars()
        )
        return {"items": items}

    def kind_rules(self, context: RuleContext) -> list[Rule]:
        v, allowed = self.value, list(self.values)
        if not self.separator:
            return [
                Rule(
                    "value.vocabulary",
                    self.name,
                    self.severity,
                    (v.is_null() | v.is_in(allowed)).fill_null(False),
                    f"'{{value}}' is not an allowed {self.name}",
                    suggest=closest(self.values),
                )
            ]
        items = self.field("items")
        bad = items.list.filter(~pl.element().is_in(allowed))
        suggest = closest(self.values)
        separator = self.separator
        return [
            Rule(
                "value.vocabulary",
                self.name,
                self.severity,
                (v.is_null() | (bad.list.len() == 0)).fill_null(False),
                f"'{{value}}' has values that are not allowed in {self.name}: {{bad}}",
                fields={"bad": bad.list.eval(pl.format("'{}'", pl.element())).list.join(", ")},
                suggest=lambda value: "; ".join(
                    suggest(item)
                    for item in dict.fromkeys(x.strip() for x in value.split(separator))
                    if item not in self.values
                ),
            )
        ]

    def choices(self) -> tuple[str, ...]:
        return () if self.separator else self.values

    def canonical(self) -> pl.Expr:
        if not self.separator:
            return self.value
        return self.field("items").list.join(self.separator)

    def outputs(self) -> list[Output]:
        # an Enum can only hold allowed values: a column whose findings only warn keeps text
        enum = pl.Enum(list(self.values)) if self.severity == "error" else pl.String
        if not self.separator:
            return [Output(self.name, self.value.cast(enum), self.description, self.name)]
        return [
            Output(self.name, self.canonical(), self.description, self.name, canonical=True),
            Output(
                f"{self.name}_items",
                self.field("items").cast(pl.List(enum)),
                f"The values of {self.name}, one list item each.",
                self.name,
            ),
        ]
