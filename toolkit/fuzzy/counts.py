"""Fuzzy counts, as news reports give them.

    143        exact            low = best = high = 143
    ~2500      approximate      best = 2500
    143+       at least         low = 143       (also written >=143 or ≥143)
    <=50       at most          high = 50       (also written ≤50)
    100-999    a range          low = 100, high = 999 ("hundreds"; also 100–999, en dash)

Thousands separators (`2,500`) are accepted. `best` stays null where the source gives no
single figure; a bound the source does not give stays null too. A number must fit in a
signed 64-bit integer (9,223,372,036,854,775,807).

Accepted as they are, because each is the same notation in other typography and means
exactly one thing: `≥50` and `>=50` (= `50+`), `≤50` (= `<=50`), and a range with an en dash
(`100–999`, what word processors make of `100-999`). The clean CSV writes them in the
canonical spelling (`50+`, `<=50`, `100-999`), as it already writes `2,500` as `2500`; the
value as typed stays in the input and in findings.

Refused, with a hint naming the spelling to use (`count_problem`, `count_hint`):
- `<50` and `>50`: strict bounds. "Fewer than 50" is at most 49, but sources often write
  `<50` loosely for "up to 50"; turning it into either would put a number in the table that
  the source did not give, so the person who read the source decides (`<=49` or `<=50`).
- words (`about 50`, `c. 50`, `at least 50`, `hundreds`, …): language, not notation; the
  notation is the same for a table in any language (`~50`, `50+`, `100-999`).
- other dashes (`—`, `−`), `to`, decimals, other thousands separators, digits of other
  scripts, negative numbers, and numbers too large to store.
"""  # noqa: RUF002 (the dashes are the point)

from __future__ import annotations

import re
import unicodedata

import polars as pl

from toolkit.fuzzy.distinct import per_distinct

COUNT_FIELDS = ("low", "best", "high", "qualifier", "ok")
COUNT_FORMS = "143, ~2500, 143+, <=50, 100-999 (2,500 is fine)"
COUNT_LIMIT = 2**63 - 1  # the largest count a column (Int64) holds

_NUMBER = r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)"
# groups: 1 approximate, 2-3 at least (N+, >=N), 4 at most, 5-6 range, 7 exact
_PATTERN = (
    rf"^(?:~\s*{_NUMBER}|{_NUMBER}\s*\+|(?:>=|≥)\s*{_NUMBER}|(?:<=|≤)\s*{_NUMBER}"
    rf"|{_NUMBER}\s*[-–]\s*{_NUMBER}|{_NUMBER})$"
)
# Python's `\s` and `str.strip` also take \x1c-\x1f, polars' do not: the words below use
# polars' notion of blank (Unicode White_Space), so they agree with the parser on every value
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
_ACCEPTED = re.compile(_PATTERN.replace(r"\s", f"[{re.escape(_WHITE_SPACE)}]"))


def _number(group: pl.Expr) -> pl.Expr:
    return group.str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)


_DTYPE = pl.Struct(
    {"low": pl.Int64, "best": pl.Int64, "high": pl.Int64, "qualifier": pl.String, "ok": pl.Boolean}
)


def _parse(text: pl.Series) -> pl.Series:
    """Parse a whole column at once: the regex runs once, every field reads its captures."""
    groups = text.str.strip_chars().str.extract_groups(_PATTERN).struct.unnest()
    groups.columns = [f"g{i + 1}" for i in range(groups.width)]
    numbers = groups.select(
        approx=_number(pl.col("g1")),
        at_least=_number(pl.coalesce("g2", "g3")),
        at_most=_number(pl.col("g4")),
        range_low=_number(pl.col("g5")),
        range_high=_number(pl.col("g6")),
        exact=_number(pl.col("g7")),
        missing=pl.Series(text.is_null()),
    )
    c = {name: pl.col(name) for name in numbers.columns}
    # a range whose other end is too large to store is no range: neither end is kept
    in_range = c["range_low"].is_not_null() & c["range_high"].is_not_null()
    qualifier = (
        pl.when(c["exact"].is_not_null())
        .then(pl.lit("exact"))
        .when(c["approx"].is_not_null())
        .then(pl.lit("approximate"))
        .when(c["at_least"].is_not_null())
        .then(pl.lit("at_least"))
        .when(c["at_most"].is_not_null())
        .then(pl.lit("at_most"))
        .when(in_range)
        .then(pl.lit("range"))
    )
    out = numbers.select(
        low=pl.coalesce(c["exact"], c["at_least"], pl.when(in_range).then(c["range_low"])),
        best=pl.coalesce(c["exact"], c["approx"]),
        high=pl.coalesce(c["exact"], c["at_most"], pl.when(in_range).then(c["range_high"])),
        qualifier=qualifier,
        ok=pl.when(c["missing"]).then(None).otherwise(qualifier.is_not_null()),
    )
    return out.to_struct(text.name)


def parse_count(text: pl.Expr) -> pl.Expr:
    """Parse fuzzy-count text into a struct of COUNT_FIELDS (`ok` null when missing).

    Example:
        >>> pl.select(parse_count(pl.lit("2,500+")).struct.field("low")).item()
        2500
    """
    return text.map_batches(per_distinct(_parse), return_dtype=_DTYPE, is_elementwise=True)


def canonical_count(parsed: pl.Expr) -> pl.Expr:
    """The canonical text of a parsed count: no separators, no spaces (`~2500`, `100-999`)."""
    low, best, high = (parsed.struct.field(n).cast(pl.String) for n in ("low", "best", "high"))
    q = parsed.struct.field("qualifier")
    return (
        pl.when(q == "exact")
        .then(best)
        .when(q == "approximate")
        .then(pl.concat_str([pl.lit("~"), best]))
        .when(q == "at_least")
        .then(pl.concat_str([low, pl.lit("+")]))
        .when(q == "at_most")
        .then(pl.concat_str([pl.lit("<="), high]))
        .when(q == "range")
        .then(pl.concat_str([low, pl.lit("-"), high]))
    )


# --- words for a value that does not parse (Python, once per distinct failing value) ---

# a number as people type it: any thousands separator, so the hint can name the count
_LOOSE = r"([0-9]+(?:[,.'’ \u00a0\u202f\u2009][0-9]{3})*)"
_SEPARATED = re.compile(r"[0-9]+(?:[,.'’ \u00a0\u202f\u2009][0-9]{3})+")
_DOT_THOUSANDS = re.compile(r"[0-9]{1,3}\.[0-9]{3}")
_DECIMAL = re.compile(r"[~<=>≤≥+]*\s*[0-9]*[.,][0-9]+\s*\+?")
_APPROXIMATE = (
    r"about|approximately|approx\.?|around|roughly|circa|ca\.?|c\.?|some|nearly|almost"
    r"|an estimated|estimated|est\.?|≈|~~"
)
_SPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (rf"^[-−–—]\s*{_LOOSE}$", "negative"),
        (rf"^(?:>|more than|over|above|greater than|in excess of)\s*{_LOOSE}$", "more_than"),
        (rf"^(?:<|fewer than|less than|under|below)\s*{_LOOSE}$", "fewer_than"),
        (
            rf"^(?:at least|no fewer than|no less than|minimum(?: of)?|min\.?|=>)\s*{_LOOSE}$",
            "at_least",
        ),
        (rf"^{_LOOSE}\s*(?:\+\s*)?(?:or more|and more|and above|plus)$", "at_least"),
        (rf"^(?:at most|up to|no more than|maximum(?: of)?|max\.?|=<)\s*{_LOOSE}$", "at_most"),
        (rf"^{_LOOSE}\s*or (?:fewer|less)$", "at_most"),
        (rf"^(?:{_APPROXIMATE})\s*{_LOOSE}$", "approximate"),
        (rf"^{_LOOSE}\s*(?:approx\.?|\(approx\.?\)|or so|odd)$", "approximate"),
        (rf"^{_LOOSE}\s*(?:[‐‑‒—―−]|--|to|~)\s*{_LOOSE}$", "range"),
        (rf"^(?:between|from)\s+{_LOOSE}\s*(?:and|to|-|–)\s*{_LOOSE}$", "range"),
        (r"^(?:several |many )?hundreds(?: of\b.*)?$", "hundreds"),
        (r"^(?:several |many )?thousands(?: of\b.*)?$", "thousands"),
    )
)


def _digits(text: str) -> str:
    """`text` with decimal digits of any script written as 0-9 (`٣` -> `3`)."""
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


def _int(number: str) -> int:
    return int(re.sub(r"[^0-9]", "", number))


def count_problem(value: str) -> tuple[str, str] | None:
    """The message and hint for a count that does not parse; None if it parses.

    Meant for the few distinct failing values of a column: a specific hint where the value
    is a common spelling of an accepted form, its own message for a number too large to
    store, and the list of accepted forms otherwise.

    Example:
        >>> count_problem("about 50")[1]
        'write ~50 for an approximate count'
    """
    text = value.strip(_WHITE_SPACE)
    if not text:
        return None
    generic = f"'{value}' is not a count in the accepted forms"
    accepted = _ACCEPTED.match(text)
    if accepted:
        largest = max(_int(g) for g in accepted.groups() if g)
        if largest <= COUNT_LIMIT:
            return None
        return (
            f"'{value}' is too large to store as a count",
            f"counts go up to {COUNT_LIMIT:,}; is it two numbers run together, "
            "or an id in the count column?",
        )
    ascii_digits = _digits(text)
    if ascii_digits != text:
        if _ACCEPTED.match(ascii_digits):
            return generic, f"write it with the digits 0-9: {ascii_digits}"
        text = ascii_digits
    for pattern, kind in _SPELLINGS:
        match = pattern.match(text)
        if match:
            return generic, _spelling_hint(kind, text, [_int(g) for g in match.groups() if g])
    if _DOT_THOUSANDS.fullmatch(text):
        return generic, (
            f"counts are whole numbers; if the dot separates thousands, write {_int(text)}"
        )
    if _SEPARATED.fullmatch(text):
        return generic, (
            f"write {_int(text)} (or {_int(text):,}): thousands are separated by commas, "
            "in groups of three"
        )
    if _DECIMAL.fullmatch(text):
        return generic, ("counts are whole numbers: write the figure the source gives, or a range")
    return generic, f"accepted forms: {COUNT_FORMS}"


def _spelling_hint(kind: str, text: str, numbers: list[int]) -> str:
    n = numbers[0] if numbers else 0
    if kind == "negative":
        return "counts cannot be negative; leave the cell empty when the source gives no figure"
    if kind == "more_than":
        return (
            f"'{text}' means more than {n}: write {n + 1}+ "
            f"(or {n}+ if the source means at least {n})"
        )
    if kind == "fewer_than":
        if n == 0:
            return "counts cannot be negative"
        return (
            f"'{text}' means at most {n - 1}: write <={n - 1} "
            f"(or <={n} if the source means up to {n})"
        )
    if kind == "at_least":
        return f"write {n}+ for 'at least {n}'"
    if kind == "at_most":
        return f"write <={n} for 'at most {n}'"
    if kind == "approximate":
        return f"write ~{n} for an approximate count"
    if kind == "range":
        return f"write {numbers[0]}-{numbers[1]} for a range (with a plain hyphen)"
    if kind == "hundreds":
        return "write a range: 100-999 for 'hundreds'"
    return "write a range: 1000-9999 for 'thousands'"


def count_hint(value: str) -> str:
    """The hint for a count that does not parse (the accepted forms unless a better one fits).

    Shaped for a rule's per-value hint: called once per distinct failing value.
    """
    problem = count_problem(value)
    return problem[1] if problem else f"accepted forms: {COUNT_FORMS}"
