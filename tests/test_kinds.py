"""Column kinds as real tables write them: each form pinned to its findings and its exports."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import pytest
from conftest import TODAY

from toolkit import SchemaDefinitionError, export_table, load_table, validate_table
from toolkit.schema import KINDS, compile_schema, parse_schema
from toolkit.schema.kinds import Column


def _schema(columns: str, rules: str = "", top: str = ""):
    text = f"name: t\n{top}columns:\n{textwrap.indent(textwrap.dedent(columns), '  ')}"
    if rules:
        text += f"rules:\n{textwrap.indent(textwrap.dedent(rules), '  ')}"
    return compile_schema(parse_schema(text, "t.yaml"), today=TODAY)


def _table(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _findings(schema, path: Path) -> list[tuple]:
    report = validate_table(load_table(path), schema)
    return [(f.rule, f.column, f.line, f.value) for f in report.findings]


def _export(schema, path: Path, out: Path) -> tuple[str, pl.DataFrame]:
    result = export_table(load_table(path), out, schema, formats=("csv", "parquet"))
    assert result.ok, result.refused
    stem = path.stem
    return (out / f"{stem}.csv").read_text("utf-8"), pl.read_parquet(out / f"{stem}.parquet")


# --- dates, date-times, times ------------------------------------------------------------


def test_a_date_in_a_declared_format_is_calendar_checked_and_exported_as_iso(tmp_path):
    schema = _schema('- {name: d, kind: date, format: "%m/%d/%Y"}\n')
    path = _table(tmp_path, "d\n4/20/1999\n2/30/2020\n3/5/20\n12/01/2024\n")

    assert _findings(schema, path) == [
        ("date.invalid", "d", 3, "2/30/2020"),  # no 30 February
        ("date.invalid", "d", 4, "3/5/20"),  # %Y is four digits, not the year 20
    ]
    report = validate_table(load_table(path), schema)
    assert report.findings[0].message == "'2/30/2020' is not a date in the form %m/%d/%Y"
    assert report.findings[0].hint == "write the date like 09/06/2024 (%m/%d/%Y)"


def test_dates_in_a_format_export_as_iso_text_and_real_dates(tmp_path):
    schema = _schema('- {name: d, kind: date, format: "%m/%d/%Y"}\n')
    path = _table(tmp_path, "d\n4/20/1999\n\n12/01/2024\n")

    csv, parquet = _export(schema, path, tmp_path / "out")

    assert csv == "d\n1999-04-20\n2024-12-01\n"
    assert parquet.schema == pl.Schema({"d": pl.Date})
    assert parquet["d"].to_list() == [date(1999, 4, 20), date(2024, 12, 1)]


def test_a_date_format_with_a_time_part_needs_midnight(tmp_path):
    schema = _schema('- {name: d, kind: date, format: "%Y-%m-%dT%H:%M:%S"}\n')
    path = _table(tmp_path, "d\n2009-02-20T00:00:00\n2009-02-20T10:30:00\n2009-02-30T00:00:00\n")

    assert _findings(schema, path) == [
        ("date.time_of_day", "d", 3, "2009-02-20T10:30:00"),
        ("date.invalid", "d", 4, "2009-02-30T00:00:00"),
    ]
    _, parquet = _export(
        schema, _table(tmp_path, "d\n2009-02-20T00:00:00\n", "ok.csv"), tmp_path / "out"
    )
    assert parquet["d"].to_list() == [date(2009, 2, 20)]


def test_several_date_formats_are_tried_in_order(tmp_path):
    schema = _schema('- {name: d, kind: date, format: ["%Y-%m-%d", "%d.%m.%Y"]}\n')
    path = _table(tmp_path, "d\n2024-03-22\n22.03.2024\n03/22/2024\n")

    assert _findings(schema, path) == [("date.invalid", "d", 4, "03/22/2024")]


def test_a_datetime_column_is_iso_by_default_and_exports_a_datetime(tmp_path):
    schema = _schema("- {name: m, kind: datetime, min: '2000-01-01T00:00:00'}\n")
    path = _table(
        tmp_path, "m\n2009-02-20T10:30:00\n2009-02-20 23:59:59\n1999-12-31T23:00:00\n2009-02-20\n"
    )

    assert _findings(schema, path) == [
        ("datetime.range", "m", 4, "1999-12-31T23:00:00"),
        ("datetime.invalid", "m", 5, "2009-02-20"),
    ]
    csv, parquet = _export(
        schema,
        _table(tmp_path, "m\n2009-02-20T10:30:00\n2009-02-20 23:59:59\n", "ok.csv"),
        tmp_path / "out",
    )
    assert csv == "m\n2009-02-20T10:30:00\n2009-02-20T23:59:59\n"
    assert parquet.schema == pl.Schema({"m": pl.Datetime("us")})
    assert parquet["m"][1] == datetime(2009, 2, 20, 23, 59, 59)


def test_times_in_a_twelve_hour_format_are_strict_about_their_form(tmp_path):
    schema = _schema('- {name: t, kind: time, format: "%I:%M %p"}\n')
    path = _table(tmp_path, "t\n11:19 AM\n2:30PM\n15:18\n12:00 AM\n13:00 PM\n9:5 AM\n")

    assert _findings(schema, path) == [
        ("time.invalid", "t", 3, "2:30PM"),
        ("time.invalid", "t", 4, "15:18"),
        ("time.invalid", "t", 6, "13:00 PM"),
        ("time.invalid", "t", 7, "9:5 AM"),
    ]
    csv, parquet = _export(
        schema, _table(tmp_path, "t\n11:19 AM\n12:00 AM\n", "ok.csv"), tmp_path / "out"
    )
    assert csv == "t\n11:19:00\n00:00:00\n"
    assert parquet["t"].to_list() == [time(11, 19), time(0, 0)]


def test_a_time_column_is_24_hour_by_default_with_bounds(tmp_path):
    schema = _schema("- {name: t, kind: time, min: '07:00', max: '18:00'}\n")
    path = _table(tmp_path, "t\n15:18\n06:59:59\n18:00:01\n25:00\n")

    assert _findings(schema, path) == [
        ("time.range", "t", 3, "06:59:59"),
        ("time.range", "t", 4, "18:00:01"),
        ("time.invalid", "t", 5, "25:00"),
    ]


# --- numbers -----------------------------------------------------------------------------


def test_thousands_separators_are_accepted_only_where_declared(tmp_path):
    schema = _schema(
        """\
        - {name: grouped, kind: integer, thousands: ","}
        - {name: plain, kind: integer}
        - {name: decimal, kind: number, thousands: ","}
        """
    )
    path = _table(
        tmp_path,
        'grouped,plain,decimal\n"1,369","1,369","1,369.5"\n"1,36",12,"12,5"\n2500,-3,-0.5\n',
    )

    assert _findings(schema, path) == [
        ("integer.invalid", "plain", 2, "1,369"),
        ("integer.invalid", "grouped", 3, "1,36"),
        ("number.invalid", "decimal", 3, "12,5"),
    ]
    schema = _schema(
        '- {name: grouped, kind: integer, thousands: ","}\n'
        '- {name: decimal, kind: number, thousands: ","}\n'
    )
    ok = _table(tmp_path, 'grouped,decimal\n"1,369","1,369.5"\n2500,-0.5\n', "ok.csv")
    csv, parquet = _export(schema, ok, tmp_path / "out")
    assert csv == "grouped,decimal\n1369,1369.5\n2500,-0.5\n"
    assert parquet["grouped"].to_list() == [1369, 2500]


def test_min_and_max_are_separate_findings_with_their_own_message(tmp_path):
    schema = _schema("- {name: n, kind: integer, min: 3, max: 100}\n")
    path = _table(tmp_path, "n\n1\n50\n101\n")

    report = validate_table(load_table(path), schema)

    assert [(f.rule, f.line, f.message) for f in report.findings] == [
        ("value.range", 2, "'1' is below the minimum 3"),
        ("value.range", 4, "'101' is above the maximum 100"),
    ]


@pytest.mark.parametrize(
    ("column", "problem"),
    [
        ("{name: n, kind: integer, min: 5, max: 1}", "min (5) is greater than max (1)"),
        (
            "{name: d, kind: date, min: '2024-01-01', max: '2023-01-01'}",
            "min (2024-01-01) is greater than max (2023-01-01)",
        ),
        ("{name: n, kind: integer, thousands: x}", "thousands must be one of"),
        ("{name: n, kind: text, min: 1}", "min does not apply to kind text"),
        ("{name: d, kind: date, format: 'YYYY-MM-DD'}", "'YYYY-MM-DD' has no strftime directive"),
        (
            "{name: v, kind: vocabulary, values: [a;b], separator: ';'}",
            "a value contains the separator ';'",
        ),
    ],
)
def test_unusable_options_are_refused_when_the_schema_loads(column, problem):
    with pytest.raises(SchemaDefinitionError) as raised:
        parse_schema(f"name: t\ncolumns:\n  - {column}\n", "t.yaml")

    assert str(raised.value).startswith("schema t.yaml: column ")
    assert problem in str(raised.value)


# --- missing values ------------------------------------------------------------------------


def test_declared_missing_values_are_nulls_everywhere(tmp_path):
    schema = _schema(
        """\
        - {name: sources, kind: integer, min: 0, missing_values: ["-1"]}
        - {name: staffing, kind: number}
        - {name: note, kind: text, required: true}
        """,
        top='missing_values: ["NULL", "NA"]\n',
    )
    path = _table(tmp_path, "sources,staffing,note\n-1,NULL,a\n3,12.5,NA\n-2,NA,b\n")

    assert _findings(schema, path) == [
        ("value.required", "note", 3, "NA"),  # the value as typed
        ("value.range", "sources", 4, "-2"),
    ]
    ok = _table(tmp_path, "sources,staffing,note\n-1,NULL,a\n3, NA ,b\n", "ok.csv")
    csv, parquet = _export(schema, ok, tmp_path / "out")
    assert csv == "sources,staffing,note\n,,a\n3,,b\n"
    assert parquet["sources"].to_list() == [None, 3]
    assert parquet["staffing"].to_list() == [None, None]


# --- vocabularies, single and multi-valued ---------------------------------------------------


def test_a_multi_valued_cell_checks_each_item(tmp_path):
    schema = _schema("- {name: tags, kind: vocabulary, values: [B, H, W], separator: ';'}\n")
    path = _table(tmp_path, "tags\nB;H\nW\nB; X;Y\nb\n")

    report = validate_table(load_table(path), schema)

    assert [(f.rule, f.line, f.value, f.message, f.hint) for f in report.findings] == [
        (
            "value.vocabulary",
            4,
            "B; X;Y",
            "'B; X;Y' has values that are not allowed in tags: 'X', 'Y'",
            "allowed: B, H, W; allowed: B, H, W",
        ),
        (
            "value.vocabulary",
            5,
            "b",
            "'b' has values that are not allowed in tags: 'b'",
            "did you mean 'B'? values are case-sensitive",
        ),
    ]


def test_a_multi_valued_cell_exports_its_items_trimmed_and_as_a_list(tmp_path):
    schema = _schema("- {name: tags, kind: vocabulary, values: [B, H, W], separator: ';'}\n")
    path = _table(tmp_path, "tags\nB; H\nW\n\n")

    csv, parquet = _export(schema, path, tmp_path / "out")

    assert csv == "tags\nB;H\nW\n"
    assert parquet["tags"].to_list() == ["B;H", "W"]
    assert parquet["tags_items"].to_list() == [["B", "H"], ["W"]]
    assert parquet.schema["tags_items"] == pl.List(pl.Enum(["B", "H", "W"]))


# --- countries and subdivisions in their forms -------------------------------------------------


def test_countries_by_name_are_checked_and_get_their_code_in_parquet(tmp_path):
    schema = _schema("- {name: country, kind: country, forms: [name, alpha3]}\n")
    path = _table(tmp_path, "country\nCentral African Republic\nIRQ\nAtlantis\n")

    report = validate_table(load_table(path), schema)

    assert [(f.rule, f.line, f.message) for f in report.findings] == [
        (
            "country.unknown",
            4,
            "'Atlantis' is not a country name or an ISO 3166-1 alpha-3 code",
        )
    ]
    _, parquet = _export(
        schema,
        _table(tmp_path, "country\nCentral African Republic\nIRQ\n", "ok.csv"),
        tmp_path / "out",
    )
    assert parquet.select("country", "country_iso3").rows() == [
        ("Central African Republic", "CAF"),
        ("IRQ", "IRQ"),
    ]


def test_subdivisions_by_name_are_checked_against_the_row_country(tmp_path):
    schema = _schema(
        """\
        - {name: country, kind: country, forms: [name]}
        - {name: province, kind: subdivision, country: country, forms: [name]}
        """
    )
    path = _table(
        tmp_path,
        "country,province\n"
        "Central African Republic,Ouaka province\n"
        "Central African Republic,Ouaka\n"
        "Iraq,Anbar\n"
        "Iraq,Ouaka\n",
    )

    report = validate_table(load_table(path), schema)

    assert [(f.rule, f.line, f.message) for f in report.findings] == [
        ("subdivision.unknown", 5, "'Ouaka' is not a subdivision of Iraq (IRQ)")
    ]
    _, parquet = _export(
        schema,
        _table(
            tmp_path,
            "country,province\nIraq,Anbar\nCentral African Republic,Ouaka province\n",
            "ok.csv",
        ),
        tmp_path / "out",
    )
    assert parquet["province_code"].to_list() == ["IQ-AN", "CF-UK"]


def test_a_fixed_country_serves_a_single_country_table(tmp_path):
    schema = _schema(
        """\
        - {name: state, kind: subdivision, country: USA, forms: [name]}
        - {name: lat, kind: latitude}
        - {name: lon, kind: longitude}
        """,
        rules="- {id: location.outside_country, check: point_in_country, country: USA, latitude: lat, longitude: lon}\n",
    )
    path = _table(
        tmp_path,
        "state,lat,lon\nColorado,39.6,-105.07\nDistrict of Columbia,38.9,-77.03\nOuaka,39.6,-105.07\nColorado,35.0,-40.0\n",
    )

    assert _findings(schema, path) == [
        ("subdivision.unknown", "state", 4, "Ouaka"),
        ("location.in_sea", "lat", 5, "35.0"),
    ]


# --- every kind is documented, every module registers one -------------------------------------


def test_every_kind_module_registers_its_kind_and_the_format_documents_it(repo_root):
    # base.py and scalar.py hold what kinds share; every other module is one kind's
    modules = {p.stem for p in (repo_root / "toolkit/schema/kinds").glob("*.py")} - {
        "__init__",
        "base",
        "scalar",
    }
    registered = {cls.__module__.rsplit(".", 1)[1] for cls in KINDS.values()}
    readme = (repo_root / "schemas" / "README.md").read_text("utf-8")

    assert modules == registered
    assert all(issubclass(cls, Column) and cls.kind == name for name, cls in KINDS.items())
    assert [k for k in KINDS if f"`{k}`" not in readme.split("## Rules across columns")[0]] == []
