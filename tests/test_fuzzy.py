"""Fuzzy dates (EDTF subset) and fuzzy counts: one parser each, pinned form by form."""

from __future__ import annotations

import calendar
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.fuzzy import (
    COUNT_FIELDS,
    DATE_FIELDS,
    canonical_count,
    parse_count,
    parse_fuzzy_date,
    parse_iso_date,
)


def parse_dates(values: list[str | None]) -> list[dict]:
    frame = pl.DataFrame({"text": values}, schema={"text": pl.String})
    return frame.select(parse_fuzzy_date(pl.col("text")).alias("p")).unnest("p").to_dicts()


def parse_counts(values: list[str | None]) -> list[dict]:
    frame = pl.DataFrame({"text": values}, schema={"text": pl.String})
    parsed = parse_count(pl.col("text"))
    return (
        frame.select(parsed.alias("p"), canonical_count(parsed).alias("canonical"))
        .unnest("p")
        .to_dicts()
    )


def D(y: int, m: int, d: int) -> date:
    return date(y, m, d)


# --- dates -----------------------------------------------------------------------------

# text -> (start, end, precision, approximate, uncertain)
VALID_DATES = {
    "2024-03-22": (D(2024, 3, 22), D(2024, 3, 22), "day", False, False),
    "2025-09": (D(2025, 9, 1), D(2025, 9, 30), "month", False, False),
    "2024-02": (D(2024, 2, 1), D(2024, 2, 29), "month", False, False),
    "2023-02": (D(2023, 2, 1), D(2023, 2, 28), "month", False, False),
    "2026": (D(2026, 1, 1), D(2026, 12, 31), "year", False, False),
    "2024-03-22/2024-03-24": (D(2024, 3, 22), D(2024, 3, 24), "day", False, False),
    "2024-01/2024-09": (D(2024, 1, 1), D(2024, 9, 30), "month", False, False),
    "2024-03-01/2024-08": (D(2024, 3, 1), D(2024, 8, 31), "month", False, False),
    "2024/2025": (D(2024, 1, 1), D(2025, 12, 31), "year", False, False),
    "../2025-09": (None, D(2025, 9, 30), "month", False, False),
    "2025-09/..": (D(2025, 9, 1), None, "month", False, False),
    "2024-03-22/..": (D(2024, 3, 22), None, "day", False, False),
    "../2026": (None, D(2026, 12, 31), "year", False, False),
    "2003~": (D(2003, 1, 1), D(2003, 12, 31), "year", True, False),
    "2003?": (D(2003, 1, 1), D(2003, 12, 31), "year", False, True),
    "2003%": (D(2003, 1, 1), D(2003, 12, 31), "year", True, True),
    "2011-12?": (D(2011, 12, 1), D(2011, 12, 31), "month", False, True),
    "2024-09-06~": (D(2024, 9, 6), D(2024, 9, 6), "day", True, False),
    "2024-01~/2024-03?": (D(2024, 1, 1), D(2024, 3, 31), "month", True, True),
    "../2024~": (None, D(2024, 12, 31), "year", True, False),
    " 2024 ": (D(2024, 1, 1), D(2024, 12, 31), "year", False, False),
    # an interval that ends before it starts parses; the date.order rule reports it
    "2024-03-22/2024-03-20": (D(2024, 3, 22), D(2024, 3, 20), "day", False, False),
}


@pytest.mark.parametrize("text", list(VALID_DATES))
def test_fuzzy_date_form_parses_to_its_range(text):
    (parsed,) = parse_dates([text])

    assert parsed["ok"] is True
    fields = tuple(parsed[k] for k in ("start", "end", "precision", "approximate", "uncertain"))
    assert fields == VALID_DATES[text]


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-13",
        "2024-00",
        "2024-04-31",
        "2024-1",
        "24",
        "20245",
        "..",
        "../..",
        "2024~?",
        "~2024",
        "2024-03-22/",
        "/2024",
        "..2024",
        "2024-03-22 / 2024-03-24",
        "22/03/2024",
        "September 2025",
        "text",
        "",
        "   ",
        "٢٠٢٤",
    ],
)
def test_text_outside_the_subset_is_not_a_date(text):
    (parsed,) = parse_dates([text])

    assert parsed == {
        "start": None,
        "end": None,
        "precision": None,
        "approximate": None,
        "uncertain": None,
        "ok": False,
    }


def test_missing_date_is_neither_valid_nor_invalid():
    (parsed,) = parse_dates([None])

    assert parsed["ok"] is None
    assert tuple(parsed) == DATE_FIELDS


def test_iso_date_is_strict_about_the_day():
    frame = pl.DataFrame({"t": ["2024-09-06", " 2024-09-06 ", "2024-02-30", "2024-09", None]})

    parsed = frame.select(parse_iso_date(pl.col("t"))).to_series().to_list()

    assert parsed == [D(2024, 9, 6), D(2024, 9, 6), None, None, None]


def test_parser_is_vectorised_over_a_whole_column():
    texts = list(VALID_DATES)

    parsed = parse_dates(texts)

    assert [p["start"] for p in parsed] == [v[0] for v in VALID_DATES.values()]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text()), min_size=1))
def test_no_text_crashes_the_date_parser(texts):
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})

    ok = frame.select(parse_fuzzy_date(pl.col("text")).struct.field("ok")).to_series().to_list()

    assert [v is None for v in ok] == [t is None for t in texts]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="0123456789-/.~?% ", max_size=25), min_size=1))
def test_no_date_like_text_crashes_the_date_parser(texts):
    parsed = (
        pl.DataFrame({"text": texts}, schema={"text": pl.String})
        .select(parse_fuzzy_date(pl.col("text")).struct.field("ok", "precision"))
        .to_dicts()
    )

    assert all(p["ok"] in (True, False) for p in parsed)
    assert all((p["precision"] is not None) == p["ok"] for p in parsed)


_PRECISIONS = st.sampled_from(["day", "month", "year"])


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.dates(min_value=date(1000, 1, 1)), _PRECISIONS), min_size=1))
def test_a_generated_day_month_or_year_round_trips(values):
    texts, expected = [], []
    for day, precision in values:
        iso = day.isoformat()
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        texts.append({"day": iso, "month": iso[:7], "year": iso[:4]}[precision])
        expected.append(
            {
                "day": (day, day, "day"),
                "month": (day.replace(day=1), last, "month"),
                "year": (date(day.year, 1, 1), date(day.year, 12, 31), "year"),
            }[precision]
        )

    parsed = parse_dates(texts)

    assert all(p["ok"] for p in parsed)
    assert [(p["start"], p["end"], p["precision"]) for p in parsed] == expected


# --- counts ----------------------------------------------------------------------------

# text -> (low, best, high, qualifier, canonical)
VALID_COUNTS = {
    "143": (143, 143, 143, "exact", "143"),
    "0": (0, 0, 0, "exact", "0"),
    "007": (7, 7, 7, "exact", "7"),
    "~2500": (None, 2500, None, "approximate", "~2500"),
    "~ 2500": (None, 2500, None, "approximate", "~2500"),
    "143+": (143, None, None, "at_least", "143+"),
    "143 +": (143, None, None, "at_least", "143+"),
    "<=50": (None, None, 50, "at_most", "<=50"),
    "<= 50": (None, None, 50, "at_most", "<=50"),
    "100-999": (100, None, 999, "range", "100-999"),
    "100 - 999": (100, None, 999, "range", "100-999"),
    "2,500": (2500, 2500, 2500, "exact", "2500"),
    "~2,500": (None, 2500, None, "approximate", "~2500"),
    "1,000,000": (1000000, 1000000, 1000000, "exact", "1000000"),
    "1,000-2,000": (1000, None, 2000, "range", "1000-2000"),
    " 143 ": (143, 143, 143, "exact", "143"),
    # out of order parses; the count.order rule reports it
    "999-100": (999, None, 100, "range", "999-100"),
}


@pytest.mark.parametrize("text", list(VALID_COUNTS))
def test_fuzzy_count_form_parses_to_low_best_high(text):
    (parsed,) = parse_counts([text])

    assert parsed["ok"] is True
    fields = tuple(parsed[k] for k in ("low", "best", "high", "qualifier", "canonical"))
    assert fields == VALID_COUNTS[text]


@pytest.mark.parametrize(
    "text",
    [
        "hundreds",
        "-5",
        "12,34",
        "2,50",
        "1000,000",
        "1.5",
        ">=50",
        "<50",
        "~",
        "+",
        "100-",
        "99999999999999999999",
        "",
        "٣",
    ],
)
def test_text_outside_the_forms_is_not_a_count(text):
    (parsed,) = parse_counts([text])

    assert parsed == {
        "low": None,
        "best": None,
        "high": None,
        "qualifier": None,
        "ok": False,
        "canonical": None,
    }


def test_missing_count_is_neither_valid_nor_invalid():
    (parsed,) = parse_counts([None])

    assert parsed["ok"] is None
    assert tuple(k for k in parsed if k != "canonical") == COUNT_FIELDS


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text()), min_size=1))
def test_no_text_crashes_the_count_parser(texts):
    frame = pl.DataFrame({"text": texts}, schema={"text": pl.String})

    ok = frame.select(parse_count(pl.col("text")).struct.field("ok")).to_series().to_list()

    assert [v is None for v in ok] == [t is None for t in texts]


def _count_text(draw_value: tuple[str, int, int]) -> str:
    form, a, b = draw_value
    number = f"{a:,}" if a % 2 else str(a)
    return {
        "exact": number,
        "approximate": f"~{number}",
        "at_least": f"{number}+",
        "at_most": f"<={number}",
        "range": f"{a}-{b}",
    }[form]


_COUNTS = st.tuples(
    st.sampled_from(["exact", "approximate", "at_least", "at_most", "range"]),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(_COUNTS, min_size=1))
def test_canonical_count_reparses_to_the_same_count(values):
    texts = [_count_text(v) for v in values]

    first = parse_counts(texts)
    again = parse_counts([f["canonical"] for f in first])

    assert [f["qualifier"] for f in first] == [v[0] for v in values]
    keys = ("low", "best", "high", "qualifier", "canonical")
    assert [tuple(a[k] for k in keys) for a in again] == [tuple(f[k] for k in keys) for f in first]
