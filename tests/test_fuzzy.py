"""Fuzzy dates (EDTF subset) and fuzzy counts: one parser each, pinned form by form."""

from __future__ import annotations

import calendar
import re
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.fuzzy import (
    COUNT_FIELDS,
    COUNT_FORMS,
    DATE_FIELDS,
    canonical_count,
    count_hint,
    count_problem,
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

    assert parsed == {**dict.fromkeys(DATE_FIELDS), "ok": False}


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


# --- per-side qualifiers --------------------------------------------------------------

# text -> (start_approximate, start_uncertain, end_approximate, end_uncertain)
PER_SIDE = {
    "2024-03-22~/2024-03-24?": (True, False, False, True),
    "2024-03-22?/2024-03-24~": (False, True, True, False),
    "2024-03-22%/2024-03-24": (True, True, False, False),
    "2024-03-22/2024-03-24%": (False, False, True, True),
    "2024-01~/2024-03?": (True, False, False, True),
    "2024/2025~": (False, False, True, False),
    "2024-03-22/2024-03-24": (False, False, False, False),
    # a single date is both sides of its own range
    "2003~": (True, False, True, False),
    "2003?": (False, True, False, True),
    "2003%": (True, True, True, True),
    "2024-09-06": (False, False, False, False),
    # an open side has no date, so no qualifier: null, like its day
    "../2024~": (None, None, True, False),
    "../2025-09": (None, None, False, False),
    "2025-09?/..": (False, True, None, None),
    "2024-03-22/..": (False, False, None, None),
}


@pytest.mark.parametrize("text", list(PER_SIDE))
def test_each_side_of_an_interval_keeps_its_own_qualifier(text):
    (parsed,) = parse_dates([text])

    sides = ("start_approximate", "start_uncertain", "end_approximate", "end_uncertain")
    assert tuple(parsed[k] for k in sides) == PER_SIDE[text]
    # the merged flags are still "either side"
    assert parsed["approximate"] is bool(parsed["start_approximate"] or parsed["end_approximate"])
    assert parsed["uncertain"] is bool(parsed["start_uncertain"] or parsed["end_uncertain"])


def test_missing_and_invalid_dates_have_no_side_qualifiers():
    missing, invalid = parse_dates([None, "2024-02-30~/2024-03-01?"])

    for parsed in (missing, invalid):
        assert [parsed[k] for k in DATE_FIELDS[5:9]] == [None] * 4


_QUALIFIER = st.sampled_from(["", "~", "?", "%"])
_SIDE = st.one_of(
    st.none(),  # an open end
    st.tuples(st.dates(min_value=date(1000, 1, 1)), _PRECISIONS, _QUALIFIER),
)


def _side_text(side) -> str:
    if side is None:
        return ".."
    day, precision, qualifier = side
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[
        precision
    ] + qualifier


def _flags(side) -> tuple[bool | None, bool | None]:
    if side is None:
        return None, None
    qualifier = side[2]
    return qualifier in "~%" and qualifier != "", qualifier in "?%" and qualifier != ""


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_SIDE, _SIDE).filter(lambda s: s != (None, None)), min_size=1))
def test_generated_intervals_keep_the_qualifier_of_each_side(intervals):
    texts = [f"{_side_text(a)}/{_side_text(b)}" for a, b in intervals]

    parsed = parse_dates(texts)

    assert all(p["ok"] for p in parsed)
    for (a, b), p in zip(intervals, parsed, strict=True):
        assert (p["start_approximate"], p["start_uncertain"]) == _flags(a)
        assert (p["end_approximate"], p["end_uncertain"]) == _flags(b)
        flags = [f for f in (*_flags(a), *_flags(b)) if f is not None]
        assert p["approximate"] is any(_flags(s)[0] for s in (a, b) if s is not None)
        assert p["uncertain"] is any(_flags(s)[1] for s in (a, b) if s is not None)
        assert len(flags) in (2, 4)


# --- against a strict reading of EDTF -------------------------------------------------
#
# An independent reading of the documented subset of EDTF (ISO 8601-2 levels 0 and 1):
# written here with `re` and `calendar`, not with the toolkit's polars expressions, and
# compared with the parser on every string of an enumeration of the subset (days of leap and
# common years, every month, the last days that do and do not exist, years; each with every
# qualifier; alone, as either end of an open interval, and as both ends of closed ones).

_EDTF_SIDE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%]?)")


def _edtf_side(text: str):
    """(first day, last day, precision rank, approximate, uncertain) of one side, or None."""
    m = _EDTF_SIDE.fullmatch(text)
    if not m:
        return None
    year, month, day, q = int(m[1]), m[2], m[3], m[4]
    if year < 1:  # year 0000 is EDTF but not a Python date; the enumeration starts at 1000
        return None
    if month is None:
        first, last, rank = date(year, 1, 1), date(year, 12, 31), 2
    else:
        mo = int(month)
        if not 1 <= mo <= 12:
            return None
        days = calendar.monthrange(year, mo)[1]
        if day is None:
            first, last, rank = date(year, mo, 1), date(year, mo, days), 1
        else:
            if not 1 <= int(day) <= days:
                return None
            first = last = date(year, mo, int(day))
            rank = 0
    return first, last, rank, q in ("~", "%"), q in ("?", "%")


def _edtf_reading(text: str) -> dict | None:
    """What a strict EDTF reader says of `text` (in the toolkit's field names), or None."""
    parts = text.split("/")
    if len(parts) == 1:
        side = _edtf_side(text)
        if side is None:
            return None
        first, last, rank, approx, unc = side
        return {
            "start": first,
            "end": last,
            "precision": ("day", "month", "year")[rank],
            "approximate": approx,
            "uncertain": unc,
            "start_approximate": approx,
            "start_uncertain": unc,
            "end_approximate": approx,
            "end_uncertain": unc,
            "ok": True,
        }
    if len(parts) != 2 or parts == ["..", ".."]:
        return None  # `../..` is EDTF, but names no date: outside the subset
    a = None if parts[0] == ".." else _edtf_side(parts[0])
    b = None if parts[1] == ".." else _edtf_side(parts[1])
    if (a is None and parts[0] != "..") or (b is None and parts[1] != ".."):
        return None
    ranks = [s[2] for s in (a, b) if s is not None]
    return {
        "start": a[0] if a else None,
        "end": b[1] if b else None,
        "precision": ("day", "month", "year")[max(ranks)],
        "approximate": any(s[3] for s in (a, b) if s),
        "uncertain": any(s[4] for s in (a, b) if s),
        "start_approximate": a[3] if a else None,
        "start_uncertain": a[4] if a else None,
        "end_approximate": b[3] if b else None,
        "end_uncertain": b[4] if b else None,
        "ok": True,
    }


def _documented_subset() -> list[str]:
    sides = []
    for year in (1000, 1900, 2000, 2023, 2024):
        sides.append(f"{year}")
        for month in (0, 1, 2, 4, 12, 13):
            sides.append(f"{year}-{month:02d}")
            for day in (0, 1, 28, 29, 30, 31, 32):
                sides.append(f"{year}-{month:02d}-{day:02d}")
    qualified = [s + q for s in sides for q in ("", "~", "?", "%")]
    closed = [
        f"{a}{qa}/{b}{qb}"
        for a in sides[::9]
        for b in sides[4::11]
        for qa, qb in (("", ""), ("~", "?"), ("%", ""), ("?", "%"))
    ]
    return [*qualified, *(f"../{s}" for s in qualified), *(f"{s}/.." for s in qualified), *closed]


def test_the_parser_agrees_with_a_strict_reading_of_edtf_on_the_documented_subset():
    texts = _documented_subset()

    parsed = parse_dates(texts)

    assert len(texts) > 3000
    valid = 0
    for text, p in zip(texts, parsed, strict=True):
        expected = _edtf_reading(text)
        if expected is None:
            assert p["ok"] is False, text
        else:
            assert p == expected, text
            valid += 1
    assert 1000 < valid < len(texts)  # both kinds are exercised


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
    # the same notation in other typography: written back in the canonical spelling
    ">=50": (50, None, None, "at_least", "50+"),
    "≥50": (50, None, None, "at_least", "50+"),
    "≥ 2,500": (2500, None, None, "at_least", "2500+"),
    "≤50": (None, None, 50, "at_most", "<=50"),
    "100–999": (100, None, 999, "range", "100-999"),
    "1,000 – 2,000": (1000, None, 2000, "range", "1000-2000"),
    "9223372036854775807": (2**63 - 1, 2**63 - 1, 2**63 - 1, "exact", "9223372036854775807"),
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
        "<50",
        ">50",
        "about 50",
        "c. 50",
        "100—999",
        "100 to 999",
        "=>50",
        "≥",
        "9223372036854775808",
        "1-99999999999999999999",
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
    spelling = b % 3  # every accepted spelling of a form, chosen by the other number
    return {
        "exact": number,
        "approximate": f"~{number}",
        "at_least": (f"{number}+", f">={number}", f"≥ {number}")[spelling],
        "at_most": (f"<={number}", f"≤{number}", f"<= {number}")[spelling],
        "range": (f"{a}-{b}", f"{a}–{b}", f"{a} – {b}")[spelling],
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


# --- words for counts that do not parse -----------------------------------------------

GENERIC_HINT = f"accepted forms: {COUNT_FORMS}"

# value -> the hint; every message is the generic one but for a number too large to store
COUNT_HINTS = {
    "<50": "'<50' means at most 49: write <=49 (or <=50 if the source means up to 50)",
    "< 1,000": "'< 1,000' means at most 999: write <=999 (or <=1000 if the source means up to 1000)",
    "fewer than 10": (
        "'fewer than 10' means at most 9: write <=9 (or <=10 if the source means up to 10)"
    ),
    ">50": "'>50' means more than 50: write 51+ (or 50+ if the source means at least 50)",
    "more than 100": (
        "'more than 100' means more than 100: write 101+ (or 100+ if the source means at least 100)"
    ),
    "<0": "counts cannot be negative",
    "about 50": "write ~50 for an approximate count",
    "About 2,500": "write ~2500 for an approximate count",
    "c. 50": "write ~50 for an approximate count",
    "ca. 50": "write ~50 for an approximate count",
    "approximately 1 000": "write ~1000 for an approximate count",
    "50 approx.": "write ~50 for an approximate count",
    "at least 143": "write 143+ for 'at least 143'",
    "143 or more": "write 143+ for 'at least 143'",
    "up to 30": "write <=30 for 'at most 30'",
    "at most 5": "write <=5 for 'at most 5'",
    "100—999": "write 100-999 for a range (with a plain hyphen)",
    "100 − 999": "write 100-999 for a range (with a plain hyphen)",
    "100 to 999": "write 100-999 for a range (with a plain hyphen)",
    "between 10 and 50": "write 10-50 for a range (with a plain hyphen)",
    "hundreds": "write a range: 100-999 for 'hundreds'",
    "Thousands": "write a range: 1000-9999 for 'thousands'",
    "-5": "counts cannot be negative; leave the cell empty when the source gives no figure",
    "−5": "counts cannot be negative; leave the cell empty when the source gives no figure",
    "1.5": "counts are whole numbers: write the figure the source gives, or a range",
    "12,34": "counts are whole numbers: write the figure the source gives, or a range",
    "2.500": "counts are whole numbers; if the dot separates thousands, write 2500",
    "2 500": "write 2500 (or 2,500): thousands are separated by commas, in groups of three",
    "1.000.000": (
        "write 1000000 (or 1,000,000): thousands are separated by commas, in groups of three"
    ),
    "1000,000": (
        "write 1000000 (or 1,000,000): thousands are separated by commas, in groups of three"
    ),
    "٣": "write it with the digits 0-9: 3",
    "١٠٠-٩٩٩": "write it with the digits 0-9: 100-999",
    "hundred": GENERIC_HINT,
    "~": GENERIC_HINT,
    "n/a": GENERIC_HINT,
}


@pytest.mark.parametrize("value", list(COUNT_HINTS))
def test_a_common_spelling_gets_a_hint_naming_the_accepted_one(value):
    (parsed,) = parse_counts([value])

    assert parsed["ok"] is False
    assert count_problem(value) == (
        f"'{value}' is not a count in the accepted forms",
        COUNT_HINTS[value],
    )
    assert count_hint(value) == COUNT_HINTS[value]


@pytest.mark.parametrize(
    "value",
    ["99999999999999999999", " 9223372036854775808 ", "1-99999999999999999999"],
)
def test_a_number_too_large_to_store_gets_its_own_message(value):
    (parsed,) = parse_counts([value])

    assert parsed["ok"] is False
    assert count_problem(value) == (
        f"'{value}' is too large to store as a count",
        "counts go up to 9,223,372,036,854,775,807; is it two numbers run together, "
        "or an id in the count column?",
    )


@pytest.mark.parametrize("value", ["143", "≥50", "100–999", " 2,500 ", "", "   "])
def test_a_count_that_parses_or_is_blank_has_no_problem(value):
    assert count_problem(value) is None
    assert count_hint(value) == GENERIC_HINT


_COUNT_LIKE = st.one_of(
    st.text(max_size=16),
    st.text(alphabet="0123456789,.+-–—~<=>≤≥ \x1f\u00a0\u3000", max_size=16),
    st.from_regex(r"\A(?:about |c\. |<|>|≥|~)?[0-9]{1,22}(?:[-–][0-9]{1,22})?\Z"),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_COUNT_LIKE, min_size=1, max_size=20))
def test_the_words_agree_with_the_parser_on_which_values_fail(values):
    parsed = parse_counts(values)
    blank = pl.Series(values, dtype=pl.String).str.strip_chars().str.len_chars().eq(0).to_list()

    for value, p, is_blank in zip(values, parsed, blank, strict=True):
        problem = count_problem(value)
        if is_blank:
            assert problem is None
        else:
            assert (problem is None) is p["ok"], (value, problem)
        if problem is not None:
            message, hint = problem
            assert message.startswith(f"'{value}' is ")
            assert hint and hint == count_hint(value)
            assert "\n" not in hint.replace(value, "")
