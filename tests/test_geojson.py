"""GeoJSON in: a FeatureCollection of points loads like any table, or is one clear error."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import polars as pl
import pytest
from conftest import EVENTS_CSV, HEADER, ROOT, event_row
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from toolkit import InputError, load_schema, load_table, validate_table
from toolkit.cli import app
from toolkit.loading import detect_format

BAD = ROOT / "fixtures" / "bad"
SHARED = ROOT.parent.parent / "shared" / "data"
if not SHARED.exists():  # a clone next to shared/ rather than a worktree under wt/
    SHARED = ROOT.parent / "shared" / "data"
UCDP_GEOJSON = SHARED / "ucdp-ged-23.1-central-african-republic.geojson"
UCDP_CSV = SHARED / "ucdp-ged-23.1-central-african-republic.csv"


def collection(*features: dict, **members) -> dict:
    return {"type": "FeatureCollection", **members, "features": list(features)}


def feature(properties: dict | None, point: list | None = None, **members) -> dict:
    geometry = None if point is None else {"type": "Point", "coordinates": point}
    return {"type": "Feature", **members, "properties": properties, "geometry": geometry}


def write(tmp_path: Path, doc, name: str = "t.geojson") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def load(tmp_path: Path, doc) -> pl.DataFrame:
    """The data columns of a loaded document (positions dropped)."""
    table = load_table(write(tmp_path, doc))
    return table.frame.select(table.columns)


def refused(path: Path) -> str:
    """The InputError message for a file, without the path prefix."""
    with pytest.raises(InputError) as raised:
        load_table(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    return message[len(f"{path}: ") :]


# --- what a table is made of ----------------------------------------------------------


def test_properties_are_columns_then_the_point_and_the_feature_is_the_row(tmp_path):
    path = write(
        tmp_path,
        collection(
            feature({"event_id": "a-1", "deaths": 3}, [44.3661, 33.3152]),
            feature({"event_id": "a-2", "deaths": 0}, [42.4412, 33.7856]),
        ),
    )

    table = load_table(path)

    assert table.format == "geojson"
    assert table.header == ("event_id", "deaths", "latitude", "longitude")
    assert table.rows == 2
    assert table.header_line is None
    assert table.frame["__row"].to_list() == [1, 2]
    assert table.frame["__line"].to_list() == [None, None]
    assert table.frame["__fields"].to_list() == [4, 4]
    assert table.cell("event_id", 1) is None
    assert table.frame.select(table.columns).rows() == [
        ("a-1", "3", "33.3152", "44.3661"),
        ("a-2", "0", "33.7856", "42.4412"),
    ]
    assert all(dtype == pl.String for dtype in table.frame.select(table.columns).dtypes)


def test_messy_points_fixture_loads_every_case_as_canonical_text():
    table = load_table(BAD / "messy-points.geojson")

    # `source_url` first appears in feature 3, `altitude` comes from feature 3's point
    assert table.header == (
        "event_id",
        "fatalities",
        "share",
        "verified",
        "notes",
        "source_url",
        "latitude",
        "longitude",
        "altitude",
    )
    assert table.frame.select(table.columns).rows() == [
        ("a-1", "3", "0.5", "true", "line one\nline two", None, "33.31", "44.36", None),
        # null geometry: empty coordinates; an empty string stays empty text
        ("a-2", None, "1e-7", "false", "", None, None, None, None),
        # properties in another order; 2.0 and 44.0 are written as the numbers they are
        ("a-3", "~2500", "2", None, None, "https://example.org/a-3", "33", "44", "35.5"),
        # "properties": null and a point with no coordinates: an empty row, still a row
        (None, None, None, None, None, None, None, None, None),
        # an integer too large for 64 bits keeps its digits; -0.0 is written as Parquet does
        ("a-5", "99999999999999999999", None, None, None, None, "90", "-0", None),
    ]


def test_values_of_mixed_json_types_in_one_property_each_get_their_canonical_text(tmp_path):
    values = ["text", 7, 2.5, 3.0, True, False, None, 10**20, -1e-300, ""]
    frame = load(tmp_path, collection(*(feature({"v": v}) for v in values)))

    assert frame["v"].to_list() == [
        "text",
        "7",
        "2.5",
        "3",
        "true",
        "false",
        None,
        "100000000000000000000",
        "-1e-300",
        "",
    ]


def test_a_property_missing_from_some_features_is_empty_there_and_keeps_first_order(tmp_path):
    frame = load(
        tmp_path,
        collection(
            feature({"b": "1"}),
            feature({}),
            feature({"c": "3", "a": "2", "b": "4"}),
            feature(None),
            feature({"d": None}),
        ),
    )

    assert frame.columns == ["b", "c", "a", "d", "latitude", "longitude"]
    assert frame.rows() == [
        ("1", None, None, None, None, None),
        (None, None, None, None, None, None),
        ("4", "3", "2", None, None, None),
        (None, None, None, None, None, None),
        (None, None, None, None, None, None),
    ]


def test_the_same_properties_in_another_order_stay_in_their_columns(tmp_path):
    frame = load(tmp_path, collection(feature({"a": "1", "b": "2"}), feature({"b": "4", "a": "3"})))

    assert frame.select("a", "b").rows() == [("1", "2"), ("3", "4")]


def test_an_empty_collection_is_a_table_of_zero_rows(tmp_path):
    table = load_table(write(tmp_path, collection()))

    assert table.rows == 0
    assert table.header == ("latitude", "longitude")


def test_a_third_coordinate_is_an_altitude_column_only_when_present(tmp_path):
    flat = load(tmp_path, collection(feature({"id": "x"}, [1.5, 2.5])))
    raised = load(tmp_path, collection(feature({}, [1.5, 2.5]), feature({}, [3, 4, 120])))

    assert flat.columns == ["id", "latitude", "longitude"]
    assert raised.rows() == [("2.5", "1.5", None), ("4", "3", "120")]
    assert raised.columns == ["latitude", "longitude", "altitude"]


def test_a_utf8_byte_order_mark_is_ignored(tmp_path):
    path = tmp_path / "bom.geojson"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(collection(feature({"a": "é"}))).encode())

    assert load_table(path).frame["a"].to_list() == ["é"]


def test_wgs84_crs_names_are_accepted(tmp_path):
    for name in (
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    ):
        crs = {"type": "name", "properties": {"name": name}}
        frame = load(tmp_path, collection(feature({"a": "1"}, [44, 33]), crs=crs))
        assert frame.rows() == [("1", "33", "44")]


# --- where the point and the properties overlap ---------------------------------------


def test_coordinate_properties_that_agree_with_the_point_are_one_column_in_their_place(
    tmp_path,
):
    frame = load(
        tmp_path,
        collection(
            feature({"latitude": "33.3152", "name": "a"}, [44.3661, 33.3152]),
            feature({"latitude": None, "name": "b"}, [44.0, 33.0]),  # filled from the point
            feature({"latitude": 35.5, "name": "c"}),  # no point: the property is the value
        ),
    )

    assert frame.columns == ["latitude", "name", "longitude"]
    assert frame.rows() == [
        ("33.3152", "a", "44.3661"),
        ("33", "b", "44"),
        ("35.5", "c", None),
    ]


def test_a_coordinate_property_that_is_not_the_points_number_is_refused(tmp_path):
    path = write(
        tmp_path,
        collection(feature({"longitude": "east"}, [44.0, 33.0])),
    )

    assert refused(path) == (
        "feature 1: property 'longitude' is 'east' but the point says '44'; "
        "make them agree (or rename the property)"
    )


def test_a_feature_id_becomes_the_first_column(tmp_path):
    frame = load(
        tmp_path,
        collection(feature({"name": "a"}, id=17), feature({"name": "b"}), feature({}, id="x-3")),
    )

    assert frame.columns == ["id", "name", "latitude", "longitude"]
    assert frame["id"].to_list() == ["17", None, "x-3"]


def test_a_feature_id_and_an_id_property_must_agree(tmp_path):
    agree = collection(feature({"id": "7", "n": "a"}, id=7), feature({"id": None}, id=8))
    differ = collection(feature({"id": 7}, id=7), feature({"id": 9}, id=8))

    assert load(tmp_path, agree).select("id", "n").rows() == [("7", "a"), ("8", None)]
    assert refused(write(tmp_path, differ, "differ.geojson")) == (
        "feature 2: property 'id' is '9' but the feature's \"id\" says '8'; "
        "make them agree (or rename the property)"
    )


# --- refused, with one clear line -----------------------------------------------------

REFUSED = {
    "not-json.geojson": "line 3, column 72: not valid JSON (Expecting ',' delimiter)",
    "single-feature.geojson": (
        "is a single GeoJSON Feature; a table is a FeatureCollection of points"
    ),
    "polygon.geojson": (
        "feature 2 has a 'Polygon' geometry; only points (or null) load as latitude/longitude"
    ),
    "one-coordinate.geojson": (
        "feature 2: the point's coordinates are [44.36]; "
        "expected [longitude, latitude] (numbers, optionally an altitude)"
    ),
    "coordinates-as-text.geojson": (
        'feature 1: the point\'s coordinates are ["44.36", "33.31"]; '
        "expected [longitude, latitude] (numbers, optionally an altitude)"
    ),
    "nested-property.geojson": (
        "feature 2: property 'actors' is an array; "
        "a table cell holds one value: flatten nested properties before loading"
    ),
    "point-disagrees.geojson": (
        "feature 2: property 'latitude' is '44.36' but the point says '33.31'; "
        "make them agree (or rename the property)"
    ),
    "member-outside-properties.geojson": (
        "feature 2 has a member 'title' outside its properties; "
        'it would be lost: move it into "properties"'
    ),
    "repeated-key.geojson": (
        "the key 'fatalities' appears twice in one object; JSON keeps only the last value"
    ),
    "projected-crs.geojson": (
        "coordinates are in 'urn:ogc:def:crs:EPSG::3857', not WGS 84 longitude/latitude; "
        "reproject the file first (e.g. ogr2ogr -t_srs EPSG:4326)"
    ),
    "nan-coordinate.geojson": "line 2, column 102: not valid JSON (NaN is not a JSON number)",
    "no-geometry-member.geojson": (
        'feature 2 has no "geometry" member (write "geometry": null for a feature without a place)'
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_bad_fixture_is_one_input_error(name):
    assert refused(BAD / name) == REFUSED[name]


def test_the_nan_position_is_where_the_nan_is():
    text = (BAD / "nan-coordinate.geojson").read_text()
    line = text.splitlines()[1]

    assert line[101:104] == "NaN"  # column 102, 1-based


def test_every_geojson_fixture_is_listed_in_the_readme():
    readme = (BAD / "README.md").read_text()
    fixtures = sorted(p.name for p in BAD.glob("*.geojson"))

    assert fixtures == sorted([*REFUSED, "messy-points.geojson"])
    assert [name for name in fixtures if f"`{name}`" not in readme] == []


@pytest.mark.parametrize("name", ["polygon.geojson", "not-json.geojson"])
def test_the_cli_exits_2_with_one_error_line(name):
    path = BAD / name

    result = CliRunner().invoke(app, ["validate", str(path)])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {path}: {REFUSED[name]}\n"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "no FeatureCollection: the file is empty"),
        (b" \n\t\n", "no FeatureCollection: the file is empty"),
        (b'{"type": "FeatureCollection", "features": []} []', None),
        (b"[]", "is not GeoJSON: expected a FeatureCollection, found an array"),
        (b'"text"', "is not GeoJSON: expected a FeatureCollection, found a string"),
        (b'{"features": []}', 'is not GeoJSON: the object has no "type": "FeatureCollection"'),
        (
            b'{"type": "Topology"}',
            'is not GeoJSON: expected "type": "FeatureCollection", found \'Topology\'',
        ),
        (
            b'{"type": "Point", "coordinates": [1, 2]}',
            "is a single GeoJSON Point; a table is a FeatureCollection of points",
        ),
        (b'{"type": "FeatureCollection"}', 'the FeatureCollection has no "features" array'),
        (
            b'{"type": "FeatureCollection", "features": {}}',
            '"features" is an object, expected an array of features',
        ),
        (
            b'{"type": "FeatureCollection", "features": [1]}',
            "feature 1 is a number, not a Feature object",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "feature"}]}',
            'feature 1 has "type" \'feature\', expected "Feature"',
        ),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"type": "Feature", "properties": [], "geometry": null}]}',
            'feature 1: "properties" is an array, expected an object or null',
        ),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"type": "Feature", "properties": {}, "geometry": "POINT (1 2)"}]}',
            'feature 1: "geometry" is a string, expected a Point object or null',
        ),
        (
            b'{"type": "FeatureCollection", "features": '
            b'[{"type": "Feature", "properties": {}, "geometry": {"type": "Point"}}]}',
            "feature 1: the point's coordinates are missing; "
            "expected [longitude, latitude] (numbers, optionally an altitude)",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            b'"geometry": {"type": "Point", "coordinates": [true, 1]}}]}',
            "feature 1: the point's coordinates are [true, 1]; "
            "expected [longitude, latitude] (numbers, optionally an altitude)",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
            b'"geometry": {"type": "Point", "coordinates": [1, 2, 3, 4]}}]}',
            "feature 1: the point's coordinates are [1, 2, 3, 4]; "
            "expected [longitude, latitude] (numbers, optionally an altitude)",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
            b'"properties": {"a": {"b": 1}}, "geometry": null}]}',
            "feature 1: property 'a' is an object; "
            "a table cell holds one value: flatten nested properties before loading",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            b'{"note": "Infinity"}, "geometry": {"type": "Point", "coordinates": [-Infinity, 1]}}]}',
            "line 1, column 146: not valid JSON (-Infinity is not a JSON number)",
        ),
        (
            b'{"type": "FeatureCollection", "crs": {"type": "EPSG", "properties": {"code": 3857}}, '
            b'"features": []}',
            "coordinates are in {'type': 'EPSG', 'properties': {'code': 3857}}, not WGS 84 "
            "longitude/latitude; reproject the file first (e.g. ogr2ogr -t_srs EPSG:4326)",
        ),
        (
            b'{"type": "FeatureCollection", "features": [{"type": "Feature", '
            b'"properties": {"caf\xe9": 1}, "geometry": null}]}',
            "line 1 is not valid UTF-8 (byte 0xe9); GeoJSON is always UTF-8",
        ),
        (b"[" * 100_000, "not a table: the JSON is nested too deeply"),
    ],
)
def test_malformed_documents_are_one_input_error(tmp_path, data, problem):
    path = tmp_path / "t.geojson"
    path.write_bytes(data)

    if problem is None:  # two documents in one file
        problem = "line 1, column 47: not valid JSON (Extra data)"
    assert refused(path) == problem


@pytest.mark.parametrize(
    "doc",
    [
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"a": "x\\ud800y"}, "geometry": null}]}',
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"\\udc00": "x"}, "geometry": null}]}',
    ],
)
def test_a_lone_surrogate_escape_is_refused_at_its_position(tmp_path, doc):
    position = doc.index("\\ud") + 1

    assert refused(write(tmp_path, doc)) == (
        f"line 1, column {position}: a \\u escape names half of a character "
        "(a lone UTF-16 surrogate); it is no text"
    )


def test_an_escaped_character_outside_the_basic_plane_is_text(tmp_path):
    doc = '{"type": "FeatureCollection", "features": [{"type": "Feature", '
    doc += '"properties": {"a": "\\ud83d\\ude00 \\u00e9"}, "geometry": null}]}'

    assert load(tmp_path, doc)["a"].to_list() == ["\U0001f600 é"]


def test_a_crs_that_is_not_a_named_one_is_refused_not_a_crash(tmp_path):
    path = write(tmp_path, collection(crs={"properties": [1]}))

    assert refused(path) == (
        "coordinates are in {'properties': [1]}, not WGS 84 longitude/latitude; "
        "reproject the file first (e.g. ogr2ogr -t_srs EPSG:4326)"
    )


def test_a_feature_bbox_is_allowed_and_not_a_column(tmp_path):
    frame = load(tmp_path, collection(feature({"a": "1"}, [44, 33], bbox=[44, 33, 44, 33])))

    assert frame.columns == ["a", "latitude", "longitude"]


def test_a_property_name_with_control_characters_is_shown_escaped(tmp_path):
    path = write(tmp_path, collection(feature({"a\n\x1b[31m": [1]})))

    assert refused(path) == (
        "feature 1: property 'a\\n\\x1b[31m' is an array; "
        "a table cell holds one value: flatten nested properties before loading"
    )


# --- registration ---------------------------------------------------------------------


def test_geojson_is_known_by_its_extension_and_json_is_not():
    assert detect_format(Path("events.geojson")) == "geojson"
    assert detect_format(Path("EVENTS.GEOJSON")) == "geojson"
    with pytest.raises(InputError, match=r"expected \.csv, \.xlsx, \.parquet or \.geojson$"):
        detect_format(Path("events.json"))


def test_sheet_option_is_refused_for_geojson(tmp_path):
    with pytest.raises(InputError, match=r"--sheet applies to \.xlsx workbooks only$"):
        load_table(write(tmp_path, collection()), sheet="events")


# --- the same table as a CSV ----------------------------------------------------------


def _events_as_geojson(rows: list[dict[str, str]]) -> dict:
    """The event rows as features: text properties, the point from latitude/longitude."""
    features = []
    for row in rows:
        properties = {k: (v or None) for k, v in row.items() if k not in ("latitude", "longitude")}
        point = [float(row["longitude"]), float(row["latitude"])] if row["latitude"] else None
        features.append(feature(properties, point))
    return collection(*features)


def _findings(report) -> list[tuple]:
    return [
        (f.severity, f.rule, f.column, f.row, f.value, f.message, f.hint) for f in report.findings
    ]


def test_the_event_table_as_geojson_gives_the_findings_of_its_csv(tmp_path, write_csv):
    rows = [
        event_row("iq-2024-001"),
        event_row("iq-2024-002", date="2024-02-30"),
        event_row("ru-2024-001", latitude="91", country="IRQ"),
        event_row("iq-2024-005", personnel="99999999999999999999"),
    ]
    csv_report = validate_table(load_table(write_csv(rows)))

    table = load_table(write(tmp_path, _events_as_geojson(rows)))
    report = validate_table(table)

    assert set(table.header) == set(HEADER)
    assert report.errors == csv_report.errors > 0
    assert _findings(report) == _findings(csv_report)
    assert {f.line for f in report.findings} == {None}
    assert ("date.invalid", "date", 2) in {(f.rule, f.column, f.row) for f in report.findings}


def test_the_reference_fixture_as_geojson_is_as_valid_as_the_csv(tmp_path):
    with EVENTS_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    report = validate_table(load_table(write(tmp_path, _events_as_geojson(rows))))
    csv_report = validate_table(load_table(EVENTS_CSV))

    assert report.valid == csv_report.valid
    assert _findings(report) == _findings(csv_report)


needs_shared = pytest.mark.skipif(
    not (UCDP_GEOJSON.exists() and UCDP_CSV.exists()), reason="shared UCDP files absent"
)


@needs_shared
def test_the_ucdp_geojson_loads_to_the_cells_of_its_csv():
    """Every column equal, row by row; two differences of spelling, not of value.

    - The coordinates are compared as numbers: the GeoJSON writes `7.0` and so does the CSV
      made from it, but a JSON number is a number, and the loader writes its canonical text
      (`7`, as the Parquet reader and every number column do), so the same point from two
      JSON writers loads the same.
    - An empty JSON string is empty text, where a blank CSV cell is missing: the toolkit
      treats both as missing, so they are compared as missing.
    """
    geo = load_table(UCDP_GEOJSON)
    plain = load_table(UCDP_CSV)

    assert geo.header == plain.header
    assert len(geo.header) == 48 and geo.header[-2:] == ("latitude", "longitude")
    assert geo.rows == plain.rows == 1848
    assert geo.frame["__row"].to_list() == list(range(1, 1849))
    text = [c for c in plain.columns if c not in ("latitude", "longitude")]

    def blank_is_missing(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.select(pl.when(pl.col(text).str.len_bytes() > 0).then(pl.col(text)))

    for column in text:
        assert blank_is_missing(geo.frame)[column].to_list() == (
            blank_is_missing(plain.frame)[column].to_list()
        ), column
    for column in ("latitude", "longitude"):
        assert geo.frame[column].cast(pl.Float64).to_list() == (
            plain.frame[column].cast(pl.Float64).to_list()
        ), column
    # the spelling differs only where the CSV kept a trailing `.0`
    spelled = geo.frame["latitude"] != plain.frame["latitude"]
    assert plain.frame.filter(spelled)["latitude"].str.ends_with(".0").all()
    assert spelled.sum() > 0


# --- properties over generated documents ----------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=False, allow_infinity=False),
)
_KEYS = st.sampled_from(["a", "b", "c", "latitude_text", "é", "a b"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dictionaries(_KEYS, _SCALARS, max_size=4),
            st.one_of(
                st.none(),
                st.tuples(
                    st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False)
                ),
            ),
        ),
        max_size=8,
    )
)
def test_every_generated_value_loads_to_its_own_text(tmp_path_factory, drawn):
    doc = collection(*(feature(p, None if pt is None else list(pt)) for p, pt in drawn))
    path = write(tmp_path_factory.mktemp("generated"), doc)

    table = load_table(path)

    first_seen = list(dict.fromkeys(k for p, _ in drawn for k in p))
    assert table.header == (*first_seen, "latitude", "longitude")
    assert table.rows == len(drawn)
    for (properties, point), cells in zip(
        drawn, table.frame.select(table.columns).iter_rows(named=True), strict=True
    ):
        for key in first_seen:
            assert _same(properties.get(key), cells[key]), (key, properties.get(key), cells[key])
        assert _same(None if point is None else point[1], cells["latitude"])
        assert _same(None if point is None else point[0], cells["longitude"])


def _same(value, cell: str | None) -> bool:
    """Whether a cell is the canonical text of a JSON value (independently of the loader)."""
    if value is None:
        return cell is None
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, int):
        return cell == str(value)
    if isinstance(value, float):
        # the number itself, exactly (it reads back to the same float), without a `.0`
        return (
            cell is not None
            and float(cell) == value
            and math.copysign(1, float(cell)) == math.copysign(1, value)
            and not cell.endswith(".0")
        )
    return cell == value


UCDP_SCHEMA = """\
name: ucdp
version: "0.1"
extra_columns: ignore
columns:
  - {name: id, kind: integer, required: true, unique: true}
  - {name: year, kind: integer, required: true, min: 1989, max: 2030}
  - {name: where_prec, kind: integer, min: 1, max: 7}
  - {name: number_of_sources, kind: integer, min: 0}
  - {name: best, kind: fuzzy_count, required: true}
  - {name: low, kind: fuzzy_count}
  - {name: high, kind: fuzzy_count}
  - {name: adm_1, kind: text}
  - {name: latitude, kind: latitude, required: true}
  - {name: longitude, kind: longitude, required: true}
rules:
  - {id: coordinates.pair, check: together, columns: [latitude, longitude]}
"""


@needs_shared
def test_the_ucdp_geojson_validates_to_the_findings_of_its_csv(tmp_path):
    schema_path = tmp_path / "ucdp.yaml"
    schema_path.write_text(UCDP_SCHEMA, encoding="utf-8")
    schema = load_schema(schema_path)

    geo = validate_table(load_table(UCDP_GEOJSON), schema)
    plain = validate_table(load_table(UCDP_CSV), schema)

    # number_of_sources is -1 where UCDP has no count: 229 real findings, the same in both
    assert geo.errors == plain.errors == 229
    assert _findings(geo) == _findings(plain)
    assert {f.line for f in geo.findings} == {None}
