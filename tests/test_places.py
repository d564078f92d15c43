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
