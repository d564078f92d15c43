"""ISO 3166 codes: vectorised membership checks, and hints for the few failing values."""

from __future__ import annotations

import polars as pl
import pytest

from toolkit.places import (
    country_hint,
    is_country,
    is_subdivision,
    subdivision_country,
    subdivision_hint,
)


def over(expr_of, values: list[str | None]) -> list:
    series = pl.Series("v", values, dtype=pl.String)
    return pl.DataFrame([series]).select(expr_of(pl.col("v"))).to_series().to_list()


def test_country_codes_are_current_alpha3_and_case_sensitive():
    values = ["IRQ", "SYR", "RUS", "USA", "irq", "IQ", "XYZ", "SUN", " IRQ", None]

    assert over(is_country, values) == [True, True, True, True] + [False] * 5 + [None]


def test_subdivision_codes_are_iso_3166_2():
    values = ["IQ-AN", "IQ-BG", "RU-MOS", "SY-RA", "iq-an", "IQ-ZZ", "IQ", None]

    assert over(is_subdivision, values) == [True, True, True, True, False, False, False, None]


def test_subdivision_country_is_the_alpha3_of_its_owner():
    values = ["IQ-AN", "RU-MOS", "SY-RA", "US-TX", "IQ-ZZ", None]

    assert over(subdivision_country, values) == ["IRQ", "RUS", "SYR", "USA", None, None]


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("irq", "did you mean IRQ? codes are upper case"),
        ("IQ", "did you mean IRQ? use alpha-3, not alpha-2"),
        ("Iraq", "did you mean IRQ?"),
        ("iraq", "did you mean IRQ?"),
        ("Syria", "did you mean SYR?"),
        ("Russia", "did you mean RUS?"),
        ("United States", "did you mean USA?"),
        ("Untied States", "did you mean USA?"),
        # Cyrillic А in the middle: looks like IRAQ's letters, is not
        ("IRАQ", "did you mean IRQ?"),
        # Cyrillic Ѕ (U+0405) for the S
        ("RU\u0405", "did you mean RUS? the value contains non-Latin look-alike letters"),
        ("XYZ", "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"),
        ("12", "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"),
    ],
)
def test_country_hint_guesses_what_the_editor_meant(typed, hint):
    assert country_hint(typed) == hint


def test_country_hint_for_a_one_letter_typo_names_the_nearest_code():
    assert country_hint("IRK") == "not an ISO 3166-1 alpha-3 code; did you mean IRQ?"


@pytest.mark.parametrize(
    ("typed", "country", "hint"),
    [
        ("iq-an", "IRQ", "did you mean IQ-AN? codes are upper case"),
        ("SY-RA", "IRQ", "SY-RA is a subdivision of SYR, not IRQ"),
        ("Anbar", "IRQ", "did you mean IQ-AN?"),
        ("Al Anbar", "IRQ", "did you mean IQ-AN?"),
        ("Anbr", "IRQ", "did you mean IQ-AN?"),
        ("Baghdad", "IRQ", "did you mean IQ-BG?"),
        ("IQ-ZZ", "IRQ", "use an ISO 3166-2 code of IRQ, like IQ-…"),
        ("X", "XYZ", "use an ISO 3166-2 code of XYZ, like XX-…"),
        ("X", None, "use an ISO 3166-2 subdivision code such as IQ-AN"),
    ],
)
def test_subdivision_hint_guesses_the_code_of_that_country(typed, country, hint):
    assert subdivision_hint(typed, country) == hint
