"""The example schemas on the shared real tables: every known problem found at its line, no
false alarms, typed exports. Skipped when ../shared/data is not beside the checkout."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest
from conftest import ROOT

from toolkit import export_table, load_schema, load_table, validate_table

SHARED = ROOT.parent / "shared" / "data"
UCDP = SHARED / "ucdp-ged-23.1-central-african-republic.csv"
UCDP_GEOJSON = SHARED / "ucdp-ged-23.1-central-african-republic.geojson"
WAPO = SHARED / "wapo-school-shootings.csv"
EXAMPLES = ROOT / "schemas" / "examples"

pytestmark = pytest.mark.skipif(
    not (UCDP.exists() and UCDP_GEOJSON.exists() and WAPO.exists()), reason="../shared/data absent"
)

# ../shared/data/README.md: the events that break low <= best <= high
UCDP_ORDER_BROKEN = {
    "256002", "255999", "256000", "256001", "30272", "214188", "162775", "259286", "262281",
    "197881", "258743", "258744", "150819", "152964", "152965", "214122", "252108", "252110",
    "234081", "423913",
}  # fmt: skip


def _report(path, schema):
    table = load_table(path)
    return table, validate_table(table, load_schema(EXAMPLES / schema), max_findings=None)


def _lines_of(table, column: str, values) -> dict[str, int]:
    frame = table.frame.filter(pl.col(column).is_in(list(values)))
    return dict(zip(frame[column].to_list(), frame["__line"].to_list(), strict=True))


def test_ucdp_finds_the_20_broken_estimates_at_their_lines_and_nothing_else():
    table, report = _report(UCDP, "ucdp-ged.yaml")

    lines = _lines_of(table, "id", UCDP_ORDER_BROKEN)
    assert sorted((f.rule, f.column, f.line) for f in report.findings) == sorted(
        ("deaths.estimates_order", "low", line) for line in lines.values()
    )
    assert (report.errors, report.warnings) == (20, 0)
    first = min(report.findings, key=lambda f: f.line or 0)
    assert first.message == "the estimates are out of order: low 7, best 6, high 7"


def test_ucdp_geojson_gives_the_findings_of_its_csv():
    _, from_csv = _report(UCDP, "ucdp-ged.yaml")
    _, from_geojson = _report(UCDP_GEOJSON, "ucdp-ged.yaml")

    assert [(f.rule, f.column, f.row, f.value, f.message) for f in from_geojson.findings] == [
        (f.rule, f.column, f.row, f.value, f.message) for f in from_csv.findings
    ]
    assert {f.line for f in from_geojson.findings} == {None}  # a feature has no line


def test_wapo_finds_the_known_problems_at_their_lines():
    table, report = _report(WAPO, "wapo-school-shootings.yaml")
    uid = dict(zip(table.frame["__row"].to_list(), table.frame["uid"].to_list(), strict=True))
    found = {(f.rule, uid[f.row]) for f in report.findings}
    lines = _lines_of(table, "uid", ["337", "343", "348", "263"])

    assert {("casualties.sum", u) for u in ("337", "343", "348")} <= found
    sums = [f for f in report.findings if f.rule == "casualties.sum"]
    assert sorted(f.line for f in sums) == sorted(lines[u] for u in ("337", "343", "348"))
    assert sums[0].message == "casualties '0' is not killed + injured (0 + 2 = 2)"
    lost_zeros = {f.value for f in report.findings if f.rule == "value.pattern"}
    assert lost_zeros == {"51393001212", "1195358", "753892", "1056711", "902910"}
    assert ("nces.state", "263") in found
    times = {f.value for f in report.findings if f.rule == "time.invalid"}
    assert {"2:30PM", "15:18", "11:30"} <= times and len(times) == 8


def test_wapo_findings_are_the_documented_ones_and_no_others():
    _, report = _report(WAPO, "wapo-school-shootings.yaml")

    by_rule = Counter()
    for c in report.counts:
        by_rule[(c.rule, c.severity)] += c.count
    assert dict(by_rule) == {
        ("casualties.sum", "error"): 3,
        ("value.pattern", "error"): 5,
        ("nces.state", "error"): 1,
        ("time.invalid", "error"): 9,
        ("date.weekday", "error"): 7,
        ("enrollment.groups", "error"): 3,
        ("value.vocabulary", "error"): 17,
        ("text.whitespace", "warning"): 44,
    }
    # no false alarms from format: dates, states by name, separators and NULLs all read
    rules = {c.rule for c in report.counts}
    assert not rules & {"date.invalid", "subdivision.unknown", "integer.invalid", "number.invalid"}


@pytest.mark.parametrize(
    ("path", "schema", "types"),
    [
        (
            UCDP,
            "ucdp-ged.yaml",
            {
                "date_start": pl.Date,
                "best": pl.Int64,
                "country_iso3": pl.String,
                "adm_1_code": pl.String,
                "latitude": pl.Float64,
                "number_of_sources": pl.Int64,
            },
        ),
        (
            WAPO,
            "wapo-school-shootings.yaml",
            {
                "date": pl.Date,
                "time": pl.Time,
                "enrollment": pl.Int64,
                "state_code": pl.String,
                "staffing": pl.Float64,
            },
        ),
    ],
)
def test_export_writes_typed_parquet(tmp_path, path, schema, types):
    result = export_table(
        load_table(path),
        tmp_path,
        load_schema(EXAMPLES / schema),
        formats=("parquet",),
        quarantine=True,
    )

    frame = pl.read_parquet(tmp_path / f"{path.stem}.parquet")
    assert {name: frame.schema[name] for name in types} == types
    assert frame.height == result.exported_rows
    if path == UCDP:
        assert frame.select("country", "country_iso3").unique().rows() == [
            ("Central African Republic", "CAF")
        ]
        assert frame.filter(pl.col("adm_1") == "Ouaka province")[
            "adm_1_code"
        ].unique().to_list() == ["CF-UK"]
        assert frame["number_of_sources"].null_count() > 0  # -1 is 'not recorded'
    else:
        assert frame.filter(pl.col("state") == "District of Columbia")["state_code"][0] == "US-DC"
        assert frame["enrollment"].max() > 1000  # "1,369" read as 1369
