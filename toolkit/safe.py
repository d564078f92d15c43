"""The one way a name or value is shown to a person or a CI log: visibly, on one line, bounded.

Table cells, header names, sheet names and file names come from outside and can hold
anything: a newline that starts a GitHub workflow command of its own (`::add-mask::…`), an
ESC sequence that clears a terminal or plants a hyperlink, a bare CR that overwrites a line
and fakes a verdict, characters XML 1.0 cannot hold (a JUnit report no CI system can parse),
bidi controls that make a line read differently from what it says, or ten megabytes.
`visible` turns every such character into a backslash escape, so a reader sees it and no
terminal, CI runner or XML parser acts on it, and cuts a long value after `limit` characters.

Backslashes themselves are kept as they are, so a Windows path or a pattern in a hint reads as
typed and `visible(visible(x)) == visible(x)` (validation may already have shown a value
inside a message; rendering the message again changes nothing). The exact value is in the
JSON report.
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

VALUE_LIMIT = 200  # characters of one value or name
MESSAGE_LIMIT = 1_000  # a message or hint: its words plus the (already bounded) values it names
PATH_LIMIT = 1_000  # a file path (Linux allows 4,096 bytes)

_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

# Escaped, each for a reason:
# - C0 controls, DEL and C1 controls: line breaks, ESC/CSI/OSC (U+009B is CSI on its own in
#   some terminals), BEL, NEL; XML 1.0 cannot hold most of C0 at all.
# - U+2028/U+2029 (line and paragraph separators): line breaks for editors, browsers, JSON.
# - bidi marks and controls (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069): reorder what
#   follows, so a line can read differently from its characters.
# - U+200B, U+2060, U+FEFF, U+00AD, U+180E: zero-width characters a reader cannot see but a
#   look-up trips on (the joiners U+200C/U+200D stay: Persian words and emoji need them); U+00A0 and U+2000-U+200A: spaces that look like a space and are
#   not one (the characters validation reports as invisible).
# - tag characters (U+E0000-U+E007F): invisible letters that can smuggle text past a reader.
# - surrogates (a file name that is not UTF-8 decodes to them; no stream can encode them)
#   and U+FFFE/U+FFFF (not characters; XML 1.0 cannot hold them).
# - `[` after `##`: GitHub's runner still obeys the old `##[command]` syntax anywhere in a
#   line, so `##[add-mask]…` in a value would be a command even mid-line.
_BEYOND_C0 = (
    "\x7f-\xa0\xad\u061c\u180e\u2000-\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069"
    "\ud800-\udfff\ufeff\ufffe\uffff\U000e0000-\U000e007f"
)
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]|(?<=##)\\[")
# The same test for polars (Rust regex: no look-behind; its strings hold no surrogates).
_UNSAFE_IN_POLARS = (
    "[\x00-\x1f\x7f-\xa0\xad\u061c\u180e\u2000-\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060"
    "\u2066-\u2069\ufeff\ufffe\uffff\U000e0000-\U000e007f]|##\\["
)
# JSON text escapes C0 inside its strings itself (and needs its own line breaks between them).
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]|(?<=##)\\[")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str, limit: int | None = VALUE_LIMIT) -> str:
    """`text` on one line, every control or invisible character as an escape, at most `limit`
    characters of it (then `… (N characters)`, N being the length of `text`).

    Example:
        >>> visible("x\\x1b[2J\\n::error::y")
        'x\\\\x1b[2J\\\\n::error::y'
        >>> visible("a" * 500, limit=3)
        'aaa… (500 characters)'
    """
    if limit is None or len(text) <= limit:
        shown = _UNSAFE.sub(_escape, text)
        if limit is None or len(shown) <= limit:
            return shown
    # Cut on a whole character or escape, counting what is shown; the head holds at most
    # `limit` characters of `text` since no character is shown shorter than itself.
    head = text[:limit]
    parts: list[str] = []
    room = limit
    pos = 0
    for match in [*_UNSAFE.finditer(head), None]:
        end = match.start() if match else len(head)
        run = head[pos:end][:room]
        parts.append(run)
        room -= len(run)
        if match is None or room == 0:
            break
        escaped = _escape(match)
        if len(escaped) > room:
            break
        parts.append(escaped)
        room -= len(escaped)
        pos = match.end()
    return "".join(parts) + f"… ({len(text):,} characters)"


def visible_path(path: str | PurePath, limit: int = PATH_LIMIT) -> str:
    """A file path for a report line: `visible`, and never starting with `::` (GitHub's
    runner reads a line that starts with `::`, after spaces, as a command): a relative path
    that would is shown as `./…`, the same file.

    Example:
        >>> visible_path("::error::x.csv")
        './::error::x.csv'
    """
    shown = visible(str(path), limit)
    return f"./{shown}" if shown.lstrip().startswith(":") else shown


def json_visible(encoded: str) -> str:
    """JSON text (as `json.dumps` writes it) with every character `visible` escapes that JSON
    leaves raw written as a `\\u` escape, so it decodes to exactly the same values and no
    terminal or CI runner acts on it.

    Example:
        >>> json_visible('{"v": "##[error]\\u2028"}')
        '{"v": "##\\\\u005berror]\\\\u2028"}'
    """
    return _JSON_UNSAFE.sub(_json_escape, encoded)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON writes a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _visible_series(values: pl.Series, limit: int | None) -> pl.Series:
    needs = values.str.contains(_UNSAFE_IN_POLARS)
    if limit is not None:
        needs = needs | (values.str.len_chars() > limit)
    at = needs.fill_null(False).arg_true()
    if at.is_empty():
        return values
    return values.scatter(at, [visible(v, limit) for v in values.gather(at).to_list()])


def visible_expr(expr: pl.Expr, limit: int | None = VALUE_LIMIT) -> pl.Expr:
    """`visible` over a string column, for messages built as polars expressions: polars finds
    the values that need it, and only those pass through Python.

    Example:
        pl.concat_str([pl.lit("'"), visible_expr(pl.col("date")), pl.lit("' is not a date")])
    """
    import polars as pl

    return expr.map_batches(
        partial(_visible_series, limit=limit), return_dtype=pl.String, is_elementwise=True
    )
