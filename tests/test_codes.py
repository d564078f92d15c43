"""ISO 3166 codes and names: exact recognition, vectorised membership checks, and hints."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pycountry
import pytest

from toolkit.places import (
    codes,
    country_code,
    country_hint,
    country_label,
    is_country,
    is_subdivision,
    subdivision_code,
    subdivision_country,
    subdivision_hint,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SPELLINGS = Path(__file__).with_name("data") / "country-spellings.tsv"

ALPHA3 = frozenset({"alpha3"})
ALPHA2 = frozenset({"alpha2"})
NUMERIC = frozenset({"numeric"})
NAME = frozenset({"name"})
ANY = frozenset({"alpha3", "alpha2", "numeric", "name"})
CODE = frozenset({"code"})
SUB_NAME = frozenset({"name"})
SUB_ANY = frozenset({"code", "name"})


def over(expr_of, values: list[str | None]) -> list:
    series = pl.Series("v", values, dtype=pl.String)
    return pl.DataFrame([series]).select(expr_of(pl.col("v"))).to_series().to_list()


# --- column-wide checks ------------------------------------------------------------------------


def test_country_codes_are_current_alpha3_and_case_sensitive():
    values = ["IRQ", "SYR", "RUS", "USA", "XKX", "irq", "IQ", "XYZ", "SUN", " IRQ", None]

    assert over(is_country, values) == [True] * 5 + [False] * 5 + [None]


def test_subdivision_codes_are_iso_3166_2():
    values = ["IQ-AN", "IQ-BG", "RU-MOS", "SY-RA", "iq-an", "IQ-ZZ", "IQ", None]

    assert over(is_subdivision, values) == [True, True, True, True, False, False, False, None]


def test_subdivision_country_is_the_alpha3_of_its_owner():
    values = ["IQ-AN", "RU-MOS", "SY-RA", "US-TX", "IQ-ZZ", None]

    assert over(subdivision_country, values) == ["IRQ", "RUS", "SYR", "USA", None, None]


# --- country_code ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "forms", "code"),
    [
        ("IRQ", ALPHA3, "IRQ"),
        ("IQ", ALPHA2, "IRQ"),
        ("368", NUMERIC, "IRQ"),
        ("004", NUMERIC, "AFG"),
        ("XKX", ALPHA3, "XKX"),
        ("XK", ALPHA2, "XKX"),
        ("IQ", ANY, "IRQ"),
        ("Iraq", ANY, "IRQ"),
        # codes are exact: case, form and the three digits of a numeric code all matter
        ("irq", ALPHA3, None),
        ("IQ", ALPHA3, None),
        ("IRQ", ALPHA2, None),
        ("4", NUMERIC, None),
        ("Iraq", ALPHA3, None),
        ("412", NUMERIC, None),  # country_converter's number for Kosovo; ISO has none
        ("SUN", ALPHA3, None),  # withdrawn
        ("", ANY, None),
    ],
)
def test_country_code_matches_each_form_exactly(value, forms, code):
    assert country_code(value, forms) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Central African Republic", "CAF"),
        ("central african republic", "CAF"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("CÔTE D’IVOIRE", "CIV"),
        ("Ivory Coast", "CIV"),
        ("Burma", "MMR"),
        ("Myanmar (Burma)", "MMR"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Syria", "SYR"),
        ("Syrian Arab Republic", "SYR"),
        ("Congo, Dem. Rep.", "COD"),
        ("Congo-Kinshasa", "COD"),
        ("Korea, Rep.", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Korea, Dem. People's Rep.", "PRK"),
        ("United States", "USA"),
        ("U.S.", "USA"),
        ("UAE", "ARE"),
        ("St. Lucia", "LCA"),
        ("Saint Lucia", "LCA"),
        ("Republic of China", "TWN"),
        ("Falkland Islands", "FLK"),
        ("Kosovo", "XKX"),
        ("Turkey", "TUR"),
        ("Northern Iraq", "IRQ"),
        # ambiguous short names, resolved as the maintained data does: "Congo" is ISO's short
        # name of the Republic of the Congo; country_converter reads "Korea" as South Korea
        ("Congo", "COG"),
        ("Korea", "KOR"),
    ],
)
def test_country_names_are_recognised_from_maintained_data(value, code):
    assert country_code(value, NAME) == code


@pytest.mark.parametrize(
    "value",
    [
        "Baghdad, Iraq",  # a place in a country: every word must belong to country names
        "Iraqi forces",
        "Iraqi",  # a demonym: the pattern matches its start only
        "Iraq and Syria",  # two countries
        "Czechoslovakia",  # divided (ISO 3166-3), so no one current country
        "Yugoslavia",
        "Soviet Union",
        "Holland",  # no maintained source lists it as the Netherlands' name
        "CAR",  # an abbreviation no source lists
        "Irak",  # a misspelling: no guessing in recognition
        "IRQ",  # a code is not a name
    ],
)
def test_text_that_is_not_one_country_s_name_is_not_recognised(value):
    assert country_code(value, NAME) is None


def test_no_name_of_one_country_folds_like_another_s():
    # _names lets pycountry's names win over country_converter's; this pins that no name of
    # the two sources actually collides, so the order decides nothing today
    by_source: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None):
                by_source.setdefault(codes.fold(getattr(c, attr)), set()).add(c.alpha_3)
    for row in codes._converter_rows():
        if row["ISO3"] in codes.country_codes():
            for name in (row["name_short"], row["name_official"]):
                by_source.setdefault(codes.fold(name), set()).add(row["ISO3"])
    assert {name: cs for name, cs in by_source.items() if len(cs) > 1} == {}


def test_kosovo_is_accepted_with_its_name_and_label():
    assert codes.country_name("XKX") == "Kosovo"
    assert country_label("XKX") == "Kosovo (XKX)"
    assert country_label("IRQ") == "Iraq (IRQ)"
    assert country_label("SYR") == "Syria (SYR)"
    assert country_label("XYZ") == "XYZ"


# --- country_hint ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("irq", "did you mean IRQ? codes are upper case"),
        ("IQ", "did you mean IRQ? use alpha-3, not alpha-2"),
        ("368", "did you mean IRQ? use alpha-3, not numeric"),
        ("Iraq", "did you mean IRQ?"),
        ("iraq", "did you mean IRQ?"),
        ("Syria", "did you mean SYR?"),
        ("Russia", "did you mean RUS?"),
        ("United States", "did you mean USA?"),
        ("Untied States", "did you mean USA?"),
        ("Baghdad, Iraq", "did you mean IRQ?"),
        ("Iraq and Syria", "did you mean IRQ or SYR?"),
        # the four wrong hints of the old matcher
        ("Republic of Korea", "did you mean KOR?"),
        ("Republic of China", "did you mean TWN?"),
        ("Falkland Islands", "did you mean FLK?"),
        ("CAR", "not an ISO 3166-1 alpha-3 code; did you mean CAF or CAN?"),
        ("IRK", "not an ISO 3166-1 alpha-3 code; did you mean IRL, IRN or IRQ?"),
        ("KSA", "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"),
        # Cyrillic А in the middle: looks like IRAQ's letters, is not
        ("IRАQ", "did you mean IRQ? the value contains non-Latin look-alike letters"),
        # Cyrillic Ѕ (U+0405) for the S
        ("RU\u0405", "did you mean RUS? the value contains non-Latin look-alike letters"),
        ("XYZ", "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"),
        ("12", "use an ISO 3166-1 alpha-3 code such as IRQ, SYR, RUS or USA"),
        ("IRQ", None),  # accepted: nothing to hint
    ],
)
def test_country_hint_guesses_what_the_editor_meant(typed, hint):
    assert country_hint(typed, ALPHA3) == hint


def test_country_hint_defaults_to_alpha3_columns():
    assert country_hint("Iraq") == "did you mean IRQ?"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        (
            "ANT",
            "ANT (Netherlands Antilles) was withdrawn from ISO 3166-1 in 2010; use CUW, SXM or BES",
        ),
        ("ZAR", "ZAR (Zaire) was withdrawn from ISO 3166-1 in 1997; use COD"),
        ("ZR", "ZAR (Zaire) was withdrawn from ISO 3166-1 in 1997; use COD"),
        (
            "SCG",
            "SCG (Serbia and Montenegro) was withdrawn from ISO 3166-1 in 2006; use SRB or MNE",
        ),
        # YUCS: Yugoslavia became CS, Serbia and Montenegro, withdrawn in its turn
        ("YUG", "YUG (Yugoslavia) was withdrawn from ISO 3166-1 in 2003; use SRB or MNE"),
        ("Yugoslavia", "YUG (Yugoslavia) was withdrawn from ISO 3166-1 in 2003; use SRB or MNE"),
        ("CSK", "CSK (Czechoslovakia) was withdrawn from ISO 3166-1 in 1993; use CZE or SVK"),
        (
            "Czechoslovakia",
            "CSK (Czechoslovakia) was withdrawn from ISO 3166-1 in 1993; use CZE or SVK",
        ),
        ("BUR", "BUR (Burma) was withdrawn from ISO 3166-1 in 1989; use MMR"),
        ("Burma", "did you mean MMR?"),  # a name of the country today, too
    ],
)
def test_withdrawn_codes_name_their_successors(typed, hint):
    assert country_hint(typed, ALPHA3) == hint


def test_the_soviet_union_names_its_successors():
    hint = country_hint("SUN", ALPHA3)
    assert hint == (
        "SUN (USSR) was withdrawn from ISO 3166-1 in 1992; "
        "use RUS, ARM, AZE, EST, GEO, KAZ, KGZ, LVA, LTU, MDA, TJK, TKM or UZB"
    )
    assert country_hint("Soviet Union", ALPHA3) == hint
    assert country_hint("USSR", ALPHA3) == hint


@pytest.mark.parametrize(
    ("typed", "forms", "hint"),
    [
        ("Iraq", ALPHA2, "did you mean IQ?"),
        ("IRQ", ALPHA2, "did you mean IQ? use alpha-2, not alpha-3"),
        ("Iraq", NUMERIC, "did you mean 368?"),
        ("4", NUMERIC, "did you mean 004? numeric codes have three digits"),
        ("IRQ", NAME, "did you mean Iraq? use a name, not alpha-3"),
        ("Untied States", NAME, "did you mean United States?"),
        (
            "ZAR",
            NAME,
            "ZAR (Zaire) was withdrawn from ISO 3166-1 in 1997; use Congo, The Democratic Republic of the",
        ),
        ("XYZ", NAME, "use a country's name, such as Iraq, Syria, Russia or United States"),
        ("Iraq", NAME, None),
        (
            "IQ",
            frozenset({"alpha3", "name"}),
            "did you mean IRQ? use alpha-3 or a name, not alpha-2",
        ),
    ],
)
def test_country_hint_suggests_the_form_the_column_accepts(typed, forms, hint):
    assert country_hint(typed, forms) == hint


# Spellings the hint cannot place, and why. Every other spelling gets exactly its code.
WITHOUT_A_SINGLE_HINT = {
    "U.S. Outlying Islands": "country_converter's pattern needs 'minor outlying'",
    "Pleasant Island": "a 19th-century name of Nauru no source here lists",
    "Holland": "a region's name used for the Netherlands; no source here lists it",
    "KSA": "no source here lists it; only its last letter is ever guessed",
    "America": "no source here lists it as the United States' name",
    "CAR": "offered with CAN: both differ from it in the last letter only",
}


def _codes_in(hint: str | None) -> list[str]:
    if not hint or hint == codes._country_fallback(ALPHA3):
        return []
    return [c for c in re.findall(r"\b[A-Z]{3}\b", hint) if c in codes.country_codes()]


def test_hints_place_real_spellings_from_other_sources():
    # tests/data/country-spellings.tsv: CLDR's English names, REST Countries' English spellings,
    # World Bank names, former names and abbreviations, none from the matcher's sources
    with SPELLINGS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    right, other, wrong = [], {}, {}
    for row in rows:
        value, want = row["spelling"], row["code"]
        got = [value] if country_code(value, ALPHA3) == want else _codes_in(country_hint(value))
        if got in ([want], [value]):
            right.append(value)
        elif want in got or not got:
            other[value] = got
        else:
            wrong[value] = (want, got)
    assert len(rows) > 500
    assert wrong == {}
    assert set(other) == set(WITHOUT_A_SINGLE_HINT)
    assert len(right) / len(rows) >= 0.95


def test_names_of_the_held_out_spellings_are_mostly_recognised():
    with SPELLINGS.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    recognised = [r for r in rows if country_code(r["spelling"], NAME) == r["code"]]
    wrong = [(r["spelling"], country_code(r["spelling"], NAME)) for r in rows]
    wrong = [(s, c) for (s, c), r in zip(wrong, rows, strict=True) if c and c != r["code"]]
    assert wrong == []
    assert len(recognised) / len(rows) >= 0.95


# --- subdivisions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "country", "forms", "code"),
    [
        ("IQ-AN", "IRQ", CODE, "IQ-AN"),
        ("SY-RA", "IRQ", CODE, "SY-RA"),  # the code is known; its country is another finding
        ("iq-an", "IRQ", CODE, None),
        ("Anbar", "IRQ", CODE, None),  # a name where only codes are accepted
        ("Colorado", "USA", SUB_NAME, "US-CO"),
        ("colorado", "USA", SUB_NAME, "US-CO"),
        ("Colorado", None, SUB_NAME, "US-CO"),  # one subdivision in the world has that name
        ("Washington ", "USA", SUB_NAME, "US-WA"),
        ("District of Columbia", "USA", SUB_NAME, "US-DC"),
        ("Georgia", "USA", SUB_NAME, "US-GA"),
        ("Ouaka", "CAF", SUB_NAME, "CF-UK"),
        ("Ouaka province", "CAF", SUB_NAME, "CF-UK"),
        ("Ouaka Prefecture", "CAF", SUB_NAME, "CF-UK"),
        ("Prefecture of Ouaka", "CAF", SUB_NAME, "CF-UK"),
        ("Bangui", "CAF", SUB_NAME, "CF-BGF"),
        ("Mambéré-Kadéï", "CAF", SUB_NAME, "CF-HS"),  # ISO: Haute-Sangha / Mambéré-Kadéï
        ("Ombella-M'Poko", "CAF", SUB_NAME, "CF-MP"),
        ("Anbar", "IRQ", SUB_NAME, "IQ-AN"),
        ("Al Anbar", "IRQ", SUB_NAME, "IQ-AN"),
        ("al-Anbār Governorate", "IRQ", SUB_NAME, "IQ-AN"),
        ("Bashkortostan", "RUS", SUB_NAME, "RU-BA"),  # ISO: Bashkortostan, Respublika
        ("IQ-AN", "IRQ", SUB_ANY, "IQ-AN"),
        ("Anbar", "IRQ", SUB_ANY, "IQ-AN"),
        ("Colorado", "CAF", SUB_NAME, None),  # not a subdivision of that country
        ("Mexico City", "MEX", SUB_NAME, None),  # "city" is not taken for a type word there
        ("Anbr", "IRQ", SUB_NAME, None),  # no guessing in recognition
    ],
)
def test_subdivision_code_from_codes_and_names(value, country, forms, code):
    assert subdivision_code(value, country, forms) == code


def test_a_name_shared_by_subdivisions_of_two_countries_needs_the_country():
    # "Central" is a region or province in several countries
    assert subdivision_code("Central", None, SUB_NAME) is None
    assert subdivision_code("Central", "GHA", SUB_NAME) == "GH-CP"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data absent")
def test_every_province_of_the_ucdp_table_is_a_subdivision_of_caf():
    path = SHARED / "ucdp-ged-23.1-central-african-republic.csv"
    if not path.exists():
        pytest.skip("UCDP file absent")
    names = pl.read_csv(path, infer_schema=False)["adm_1"].drop_nulls().unique().sort()
    got = {v: subdivision_code(v, "CAF", SUB_NAME) for v in names}
    assert got == {
        "Bamingui-Bangoran province": "CF-BB",
        "Bangui province": "CF-BGF",
        "Basse-Kotto province": "CF-BK",
        "Haut-Mbomou province": "CF-HM",
        "Haute-Kotto province": "CF-HK",
        "Kémo province": "CF-KG",  # renamed; ISO: Kémo-Gribingui
        "Lobaye province": "CF-LB",
        "Mambéré-Kadéi province": "CF-HS",
        "Mbomou province": "CF-MB",
        "Nana-Grébizi province": "CF-KB",  # renamed; ISO: Gribingui
        "Nana-Mambéré province": "CF-NM",
        "Ombella-M'Poko province": "CF-MP",
        "Ouaka province": "CF-UK",
        "Ouham province": "CF-AC",
        "Ouham-Pendé province": "CF-OP",
        "Sangha-Mbaéré province": "CF-SE",  # renamed; ISO: Sangha
        "Vakaga province": "CF-VK",
    }


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data absent")
def test_every_state_of_the_wapo_table_is_a_subdivision_of_usa():
    path = SHARED / "wapo-school-shootings.csv"
    if not path.exists():
        pytest.skip("WaPo file absent")
    states = pl.read_csv(path, infer_schema=False)["state"].drop_nulls().unique()
    got = {v: subdivision_code(v, "USA", SUB_NAME) for v in states}
    assert None not in got.values()
    assert got["District of Columbia"] == "US-DC"
    assert got["Washington "] == got["Washington"] == "US-WA"  # trailing space in the data
    assert got["Pennsylvania "] == "US-PA"
    assert {c.split("-")[0] for c in got.values()} == {"US"}


@pytest.mark.parametrize(
    ("typed", "country", "hint"),
    [
        ("iq-an", "IRQ", "did you mean IQ-AN? codes are upper case"),
        ("SY-RA", "IRQ", "SY-RA is a subdivision of SYR, not IRQ"),
        ("Anbar", "IRQ", "did you mean IQ-AN?"),
        ("Al Anbar", "IRQ", "did you mean IQ-AN?"),
        ("Anbr", "IRQ", "did you mean IQ-AN?"),
        ("Baghdad", "IRQ", "did you mean IQ-BG?"),
        ("Basra", "IRQ", "did you mean IQ-BA?"),
        ("Erbil", "IRQ", "did you mean IQ-AR?"),
        ("Ouaka province", "CAF", "did you mean CF-UK?"),
        ("IQ-ZZ", "IRQ", "use an ISO 3166-2 code of IRQ, like IQ-…"),
        ("X", "XYZ", "use an ISO 3166-2 code of XYZ, like XX-…"),
        ("X", None, "use an ISO 3166-2 subdivision code such as IQ-AN"),
    ],
)
def test_subdivision_hint_guesses_the_code_of_that_country(typed, country, hint):
    assert subdivision_hint(typed, country) == hint


@pytest.mark.parametrize(
    ("typed", "country", "hint"),
    [
        ("IQ-AN", "IRQ", "did you mean Al Anbār? use the subdivision's name"),
        ("Anbr", "IRQ", "did you mean Al Anbār?"),
        ("Nowhere", "IRQ", "use the name of a subdivision of Iraq (IRQ)"),
    ],
)
def test_subdivision_hint_for_a_name_column_suggests_names(typed, country, hint):
    assert subdivision_hint(typed, country, SUB_NAME) == hint
