"""Reading the options of a schema file: each option is a dataclass field with its reader.

A column kind or a table check declares its options as fields made with `option(read)`; the
reader turns the YAML value into the stored value or raises `OptionError` with the words a
person needs. `read_options` applies the readers and refuses unknown keys, so every kind and
check reads its part of the file the same way, and the messages name the option.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, Literal

import polars as pl

Severity = Literal["error", "warning"]
SEVERITIES = ("error", "warning")

Reader = Callable[[Any], Any]


class OptionError(ValueError):
    """An option's value is unusable; the message is shown after the column or rule it is in."""


def option(read: Reader, default: Any = None, *, doc: str = "") -> Any:
    """A dataclass field read from the schema file with `read` (absent: `default`)."""
    return dataclasses.field(default=default, metadata={"read": read, "doc": doc})


def read_options(
    cls: type, raw: Mapping[str, Any], *, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The constructor arguments of dataclass `cls` read from the mapping `raw`.

    Keys in `skip` are handled by the caller. A key that is no option of `cls` is refused.
    """
    fields = {f.name: f for f in dataclasses.fields(cls) if "read" in f.metadata}
    unknown = sorted(set(raw) - set(fields) - set(skip))
    if unknown:
        raise OptionError(f"unknown key(s) {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for name, value in raw.items():
        if name in skip:
            continue
        try:
            out[name] = fields[name].metadata["read"](value)
        except OptionError as exc:
            raise OptionError(f"{name} {exc}") from exc
    return out


def option_names(cls: type) -> tuple[str, ...]:
    """The schema-file keys `cls` reads, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if "read" in f.metadata)


# --- readers ---------------------------------------------------------------------------


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise OptionError(f"must be true or false, not {value!r}")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise OptionError(f"must be text, not {value!r}")
    return value


def description(value: Any) -> str:
    """Text with its whitespace made single spaces (a folded YAML block ends in a line break)."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise OptionError(f"must be text, not {value!r}")
    return " ".join(str(value).split())


def severity(value: Any) -> Severity:
    if value not in SEVERITIES:
        raise OptionError(f"must be 'error' or 'warning', not {value!r}")
    return value  # type: ignore[no-any-return]


def positive_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise OptionError("must be a positive integer")
    return value


def number(value: Any) -> int | float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise OptionError(f"must be a number, got {value!r}")
    return value


def non_negative(value: Any) -> float:
    """A number of at least 0 (a tolerance, a distance)."""
    result = number(value)
    if result < 0:
        raise OptionError("must not be negative")
    return float(result)


def iso_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # YAML reads an unquoted 2024-01-01 as a date
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise OptionError(f"must be an ISO date, got {value!r}") from exc


def iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError as exc:
        raise OptionError(f"must be an ISO date and time, got {value!r}") from exc


def iso_time(value: Any) -> time:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 12:30 as a sexagesimal number (750)
        value = f"{value // 60:02d}:{value % 60:02d}"
    try:
        return time.fromisoformat(str(value))
    except ValueError as exc:
        raise OptionError(f"must be a time like 08:30 or 17:45:00, got {value!r}") from exc


def text_list(value: Any) -> tuple[str, ...]:
    """A list of plain values (numbers are taken as their text: `[1, 2]` is `['1', '2']`)."""
    if not isinstance(value, list) or not all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        raise OptionError("must be a list of plain values")
    return tuple(str(v) for v in value)


def missing_values(value: Any) -> tuple[str, ...]:
    """Markers that mean "no value" (`NULL`, `NA`, `-1`); compared after trimming."""
    values = text_list(value)
    return tuple(v.strip() for v in values)


def regex(value: Any) -> str:
    problem = regex_problem(value)
    if problem:
        raise OptionError(f"is not a usable regular expression ({problem})")
    return value  # type: ignore[no-any-return]


def regex_problem(pattern: object) -> str | None:
    """Why polars cannot run `pattern` (it has no look-around or back-references), or None."""
    if not isinstance(pattern, str):
        return "it must be text"
    try:
        pl.select(pl.lit("x").str.contains(pattern))
    except pl.exceptions.PolarsError as exc:
        lines = [x.strip() for x in str(exc).splitlines()]
        reason = [x.removeprefix("error: ") for x in lines if x.startswith("error: ")]
        return (reason or lines or ["invalid"])[0]
    return None


def column_name(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise OptionError(f"must name a column, got {value!r}")
    return value


def column_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise OptionError("must be a list of column names")
    return tuple(value)


def one_of(*choices: str) -> Reader:
    def read(value: Any) -> str:
        if value not in choices:
            raise OptionError(f"must be one of {', '.join(choices)}; got {value!r}")
        return value  # type: ignore[no-any-return]

    return read


def some_of(*choices: str) -> Reader:
    """One choice or a list of them, stored as a tuple in the order given."""

    def read(value: Any) -> tuple[str, ...]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or any(v not in choices for v in values):
            raise OptionError(f"must be one or more of {', '.join(choices)}; got {value!r}")
        return tuple(dict.fromkeys(values))

    return read


_STRFTIME = re.compile(r"%[-_0^#]?[A-Za-z%]")


def strftime_formats(value: Any) -> tuple[str, ...]:
    """One format (`%m/%d/%Y`) or a list of them, tried in order."""
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise OptionError(
            f"must be a strftime format like '%m/%d/%Y' or a list of them; got {value!r}"
        )
    for v in values:
        if not _STRFTIME.search(v):
            raise OptionError(f"{v!r} has no strftime directive (like %Y, %m, %d, %H, %M)")
    return tuple(values)
