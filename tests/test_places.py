"""Location rules end to end: points in the wrong country, in the sea, and names typed for codes."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY, event_row
from toolkit import load_table, validate_table
from toolkit.report import render


def _findings(write_csv, **changes):
    path = write_csv([event_row("iq-2024-002", **changes)])
    report = validate_table(load_table(path), today=TODAY)
    return report, [
        (f.rule, f.column, f.line, f.message, f.hint)
        for f in report.findings
        if f.severity == "error"
    ]


@pytest.mark.parametrize(
    ("country", "lat", "lon"),
    [
        ("IRQ", "33.7856", "42.4412"),  # Ain al-Asad Air Base
        ("IRQ", "33.3152", "44.3661"),  # Baghdad
        ("IRQ", "30.5081", "47.7835"),  # Basra, on the Shatt al-Arab near the coast
        ("SYR", "35.5317", "35.7915"),  # Latakia, on the coast
        ("SYR", "35.9594", "39.0089"),  # Raqqa
        ("RUS", "55.8256", "37.3886"),  # Crocus City Hall, Krasnogorsk
    ],
)
def test_real_places_are_accepted_in_their_country(write_csv, country, lat, lon):
    _, errors = _findings(write_csv, country=country, admin1="", latitude=lat, longitude=lon)
    assert errors == []


def test_a_point_across_the_border_names_the_country_it_lies_in(write_csv):
    # Al-Bukamal, Syria: a few km west of the Iraqi border town of al-Qa'im
    _, errors = _findings(write_csv, admin1="", latitude="34.4536", longitude="40.9186")
    assert errors == [
        (
            "location.outside_country",
            "latitude",
            2,
            "point (34.4536, 40.9186) lies in Syria (SYR), not Iraq (IRQ)",
            "check the coordinates or the country",
        )
    ]


def test_a_point_in_the_persian_gulf_is_in_the_sea(write_csv):
    _, errors = _findings(write_csv, admin1="", latitude="27.0", longitude="51.5")
    assert [(r, m) for r, _, _, m, _ in errors] == [
        ("location.in_sea", "point (27.0, 51.5) lies in the sea, not in Iraq (IRQ)")
    ]


def test_null_island_is_always_flagged(write_csv):
    _, errors = _findings(write_csv, admin1="", latitude="0", longitude="0")
    assert [r for r, *_ in errors] == ["location.null_island"]


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("Iraq", "did you mean IRQ?"),
        ("Syrian Arab Republic", "did you mean SYR?"),
        ("Russia", "did you mean RUS?"),
    ],
)
def test_a_country_typed_as_a_name_gets_its_code_as_hint(write_csv, value, hint):
    _, errors = _findings(
        write_csv, country=value, admin1="", latitude="", longitude="", geo_precision="country"
    )
    assert [(r, h) for r, _, _, _, h in errors] == [("country.unknown", hint)]


@pytest.mark.parametrize(
    ("country", "value", "hint", "lat", "lon"),
    [
        ("IRQ", "Anbar", "did you mean IQ-AN?", "33.7856", "42.4412"),
        ("IRQ", "Al Anbar", "did you mean IQ-AN?", "33.7856", "42.4412"),
        ("RUS", "Moskovskaya oblast", "did you mean RU-MOS?", "55.8256", "37.3886"),
    ],
)
def test_an_admin1_typed_as_a_name_gets_the_subdivision_code(
    write_csv, country, value, hint, lat, lon
):
    report, errors = _findings(
        write_csv, country=country, admin1=value, latitude=lat, longitude=lon
    )
    assert [(r, h) for r, _, _, _, h in errors] == [("subdivision.unknown", hint)]
    assert f"hint: {hint}" in render(report, "text")


def test_a_subdivision_of_another_country_names_its_country(write_csv):
    _, errors = _findings(write_csv, admin1="SY-RA")
    assert [(r, m) for r, _, _, m, _ in errors] == [
        ("subdivision.wrong_country", "'SY-RA' is a subdivision of Syria (SYR), not of Iraq (IRQ)")
    ]


@pytest.mark.parametrize(
    ("country", "lat", "lon", "message"),
    [
        (
            "DZA",
            "27.1536",
            "-13.2033",
            "point (27.1536, -13.2033) lies in Western Sahara (ESH; disputed: claimed by MAR), "
            "not Algeria (DZA)",
        ),
        (
            "POL",
            "44.9521",
            "34.1024",
            "point (44.9521, 34.1024) lies in Ukraine (UKR; Crimea, disputed: claimed by RUS), "
            "not Poland (POL)",
        ),
        (
            "IRQ",
            "32.9925",
            "35.6906",
            "point (32.9925, 35.6906) lies in Israel (ISR; Golan Heights, disputed: claimed by "
            "SYR), not Iraq (IRQ)",
        ),
        (
            "ALB",
            "42.6629",
            "21.1655",
            "point (42.6629, 21.1655) lies in Kosovo (XKX; disputed: claimed by SRB), "
            "not Albania (ALB)",
        ),
    ],
)
def test_a_point_in_a_disputed_area_named_for_another_country_names_the_area(
    write_csv, country, lat, lon, message
):
    _, errors = _findings(write_csv, country=country, admin1="", latitude=lat, longitude=lon)
    assert [(r, m) for r, _, _, m, _ in errors] == [("location.outside_country", message)]


@pytest.mark.parametrize(
    ("country", "lat", "lon"),
    [
        ("MAR", "27.1536", "-13.2033"),  # Laayoune, Western Sahara
        ("ESH", "27.1536", "-13.2033"),
        ("RUS", "44.9521", "34.1024"),  # Simferopol, Crimea
        ("SYR", "32.9925", "35.6906"),  # Katzrin, Golan Heights
        ("SRB", "42.6629", "21.1655"),  # Pristina, Kosovo
        ("XKX", "42.6629", "21.1655"),
        ("PAK", "34.0837", "74.7973"),  # Srinagar, Kashmir
        ("SSD", "9.5960", "28.4360"),  # Abyei
    ],
)
def test_a_point_in_a_disputed_area_is_valid_for_each_claimant(write_csv, country, lat, lon):
    _, errors = _findings(write_csv, country=country, admin1="", latitude=lat, longitude=lon)
    assert errors == []
