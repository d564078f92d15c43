"""GeoJSON reader: a FeatureCollection of points loads like any other table.

How UCDP and many other event datasets publish: one Feature per event, its `properties` the
columns, its point the place. The table gets

- one column per property, in the order the properties first appear (a property that only
  later features carry is still a column; features without it are empty there);
- then `latitude` and `longitude` from each point (the order of the UCDP CSV release), and
  `altitude` only when some point has a third coordinate;
- the feature's position (1-based) as the row; there are no lines (`line` stays null, as
  for Parquet).

Values become the canonical text of Parquet cells (`number_text`): strings as they are,
integers `3`, other numbers as the number they are (`5.399784`; `7.0` is `7`, `1e-07` is
`1e-7`), so the same data written by two JSON writers loads the same; `true`/`false`; null
is missing. An empty string stays an empty string (the toolkit treats it as missing, like a
blank CSV cell). A null geometry, or a point with no coordinates, gives empty
`latitude`/`longitude`.

Refused with one `InputError` each, naming the feature (its position) and the member:
- text that is not JSON (with its line and column) or not UTF-8; `NaN`/`Infinity`; a
  `\\ud800` escape that is half a character; a key repeated inside one object (JSON keeps
  the last one, silently dropping a value);
- anything but a FeatureCollection; a coordinate reference system other than WGS 84
  longitude/latitude;
- a geometry other than Point; coordinates that are not 2 or 3 numbers; a feature without
  a `geometry` member (`"geometry": null` is fine);
- a member of a feature outside `type`, `id`, `properties`, `geometry` and `bbox` (it would
  be lost; a point's `bbox` is the point again, so it is not kept);
- nested values (an object or array as a property), as the Parquet reader refuses nested
  columns: a cell holds one value, and JSON text written into it would be a blob that no
  column kind can check and whose text depends on the writer (key order, spacing). Flatten
  such properties before loading (`ogr2ogr`, `jq`).

Where the point and the properties overlap, one column holds both and nothing is dropped:
a property named `latitude` (`longitude`, `altitude`) keeps its place and its text, is filled
from the point where it is empty, and must agree with the point (as numbers) where both are
given; otherwise the file is refused, naming the first feature where they differ. Refusing
every such file would turn away the many exports that repeat the point in the properties;
keeping both would need a second name for one of them. A feature's own `id` (outside its
properties) is treated the same way against a property `id`, and otherwise becomes the
first column `id`.

Speed: Python's `json` parses the document once; the columns are then built whole (one
typed polars Series per JSON type present in a column), with lists made at C speed. The
parse is most of the time and the parsed objects most of the memory (`bench/load_geojson.py`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from toolkit.errors import InputError
from toolkit.loading.source import read_source
from toolkit.loading.table import Table, make_table, number_text

LATITUDE, LONGITUDE, ALTITUDE = "latitude", "longitude", "altitude"
FEATURE_ID = "id"

_FEATURE_MEMBERS = frozenset({"type", "id", "properties", "geometry", "bbox"})
# names of WGS 84 longitude/latitude; RFC 7946 dropped `crs`, older files still carry it
_WGS84 = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg:6.6:4326",
        "epsg:4326",
        "crs84",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "http://www.opengis.net/def/crs/epsg/0/4326",
    }
)
_GEOMETRIES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
_MISSING = object()
_JSON_TYPES: dict[type, str] = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _member(objects: list[dict[str, Any]], key: str, default: Any = None) -> list[Any]:
    """`key` of every object (`default` where absent), looked up at C speed."""
    return list(map(dict.get, objects, repeat(key), repeat(default)))


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _first(values: Iterable[Any], bad: Callable[[Any], bool]) -> int:
    """1-based position of the first value for which `bad` holds (error paths only)."""
    return next(i for i, v in enumerate(values, 1) if bad(v))


# --- parsing --------------------------------------------------------------------------


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _RepeatedKeyError(key)
            seen.add(key)
    return out


class _RepeatedKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|NaN|-?Infinity')


def _position(text: str, offset: int) -> str:
    """`line L, column C: ` of a character offset, as JSON errors name it (error paths only)."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}: "


def _constant_position(text: str) -> str:
    """Where the first NaN or Infinity outside a string is."""
    for match in _TOKEN.finditer(text):
        if not match.group().startswith('"'):
            return _position(text, match.start())
    return ""


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{path}: line {line} is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "GeoJSON is always UTF-8"
        ) from exc
    if not text.strip():
        raise InputError(f"{path}: no FeatureCollection: the file is empty")
    return text


def _parse(path: Path, text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    except _RepeatedKeyError as exc:
        raise InputError(
            f"{path}: the key {exc.key!r} appears twice in one object; "
            "JSON keeps only the last value"
        ) from exc
    except ValueError as exc:  # NaN, Infinity: Python's json accepts them, JSON does not
        raise InputError(f"{path}: {_constant_position(text)}not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise InputError(f"{path}: not a table: the JSON is nested too deeply") from exc


# a high half with its low half (a character), or either half alone (6 characters: no text)
_ESCAPED_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?:\\u[dD][c-fC-F][0-9a-fA-F]{2})?"
    r"|\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _lone_surrogate(path: Path, text: str) -> InputError:
    """The error for a `\\ud800` escape that is half of a character (error path only)."""
    lone = (m for m in _ESCAPED_SURROGATE.finditer(text) if len(m.group()) == 6)
    where = next((_position(text, m.start()) for m in lone), "")
    return InputError(
        f"{path}: {where}a \\u escape names half of a character (a lone UTF-16 surrogate); "
        "it is no text"
    )


def _collection(path: Path, doc: Any) -> list[Any]:
    """The features of a FeatureCollection, after checking it is one in WGS 84."""
    if not isinstance(doc, dict):
        raise InputError(
            f"{path}: is not GeoJSON: expected a FeatureCollection, found {_kind(doc)}"
        )
    kind = doc.get("type")
    if kind != "FeatureCollection":
        if kind == "Feature" or kind in _GEOMETRIES or kind == "GeometryCollection":
            raise InputError(
                f"{path}: is a single GeoJSON {kind}; a table is a FeatureCollection of points"
            )
        raise InputError(
            f'{path}: is not GeoJSON: expected "type": "FeatureCollection", found {kind!r}'
            if "type" in doc
            else f'{path}: is not GeoJSON: the object has no "type": "FeatureCollection"'
        )
    crs = doc.get("crs")
    if crs is not None:
        properties = crs.get("properties") if isinstance(crs, dict) else None
        name = properties.get("name") if isinstance(properties, dict) else None
        if not isinstance(name, str) or name.strip().lower() not in _WGS84:
            raise InputError(
                f"{path}: coordinates are in {_clip(repr(name if isinstance(name, str) else crs))}, "
                "not WGS 84 longitude/latitude; reproject the file first "
                "(e.g. ogr2ogr -t_srs EPSG:4326)"
            )
    features = doc.get("features")
    if not isinstance(features, list):
        raise InputError(
            f'{path}: the FeatureCollection has no "features" array'
            if features is None
            else f'{path}: "features" is {_kind(features)}, expected an array of features'
        )
    return features


def _check_features(path: Path, features: list[Any]) -> set[str]:
    """Every feature is an object of type Feature with no members that would be lost.

    Returns the members the features have between them.
    """
    if not set(map(type, features)) <= {dict}:
        i = _first(features, lambda f: not isinstance(f, dict))
        raise InputError(f"{path}: feature {i} is {_kind(features[i - 1])}, not a Feature object")
    kinds = {f.get("type") for f in features}
    if kinds - {"Feature"}:
        i = _first(features, lambda f: f.get("type") != "Feature")
        raise InputError(
            f'{path}: feature {i} has "type" {features[i - 1].get("type")!r}, expected "Feature"'
        )
    members = set(chain.from_iterable(features))
    if members - _FEATURE_MEMBERS:
        i = _first(features, lambda f: bool(set(f) - _FEATURE_MEMBERS))
        extra = sorted(set(features[i - 1]) - _FEATURE_MEMBERS)[0]
        raise InputError(
            f"{path}: feature {i} has a member {extra!r} outside its properties; "
            'it would be lost: move it into "properties"'
        )
    return members


# --- values ---------------------------------------------------------------------------


def _typed_text(kind: type, values: list[Any]) -> pl.Series:
    """Canonical text of values that are all `kind` or None."""
    if kind is str:
        return pl.Series(values, dtype=pl.String)
    if kind is bool:
        return pl.Series(values, dtype=pl.Boolean).cast(pl.String)
    if kind is int:
        try:
            return pl.Series(values, dtype=pl.Int64).cast(pl.String)
        except (OverflowError, TypeError):  # beyond 64 bits: Python's own digits are exact
            return pl.Series([None if v is None else str(v) for v in values], dtype=pl.String)
    numbers = pl.Series("n", values, dtype=pl.Float64)
    return numbers.to_frame().select(number_text(pl.col("n"))).to_series()


def _column_text(path: Path, name: str, values: list[Any]) -> pl.Series:
    """One property across all features, as canonical text (None where missing)."""
    kinds = set(map(type, values)) - {type(None)}
    nested = kinds & {dict, list}
    if nested:
        i = _first(values, lambda v: isinstance(v, (dict, list)))
        raise InputError(
            f"{path}: feature {i}: property {name!r} is {_kind(values[i - 1])}; "
            "a table cell holds one value: flatten nested properties before loading"
        )
    if not kinds:
        return pl.Series(name, [None] * len(values), dtype=pl.String)
    if kinds == {str}:
        return pl.Series(name, values, dtype=pl.String)
    parts = [
        _typed_text(k, values if len(kinds) == 1 else [v if type(v) is k else None for v in values])
        for k in sorted(kinds, key=lambda k: k.__name__)
    ]
    return pl.select(pl.coalesce(parts)).to_series().rename(name)


def _properties(path: Path, features: list[Any]) -> dict[str, pl.Series]:
    props = _member(features, "properties")
    if not set(map(type, props)) <= {dict, type(None)}:
        i = _first(props, lambda p: not isinstance(p, (dict, type(None))))
        raise InputError(
            f'{path}: feature {i}: "properties" is {_kind(props[i - 1])}, expected an object or null'
        )
    present = [p for p in props if p]
    names = list(dict.fromkeys(chain.from_iterable(present)))
    if len(present) < len(props):
        props = [p or {} for p in props]
    return {name: _column_text(path, name, _member(props, name)) for name in names}


def _points(path: Path, features: list[Any]) -> dict[str, pl.Series]:
    """latitude, longitude (and altitude when given) of each feature's point, as text."""
    geometries = _member(features, "geometry", _MISSING)
    if _MISSING in geometries:
        i = _first(geometries, lambda g: g is _MISSING)
        raise InputError(
            f'{path}: feature {i} has no "geometry" member (write "geometry": null '
            "for a feature without a place)"
        )
    if not set(map(type, geometries)) <= {dict, type(None)}:
        i = _first(geometries, lambda g: not isinstance(g, (dict, type(None))))
        raise InputError(
            f'{path}: feature {i}: "geometry" is {_kind(geometries[i - 1])}, '
            "expected a Point object or null"
        )
    kinds = {g.get("type") for g in geometries if g is not None}
    if kinds - {"Point"}:
        i = _first(geometries, lambda g: g is not None and g.get("type") != "Point")
        raise InputError(
            f"{path}: feature {i} has a {geometries[i - 1].get('type')!r} geometry; only "
            "points (or null) load as latitude/longitude"
        )
    coordinates = [None if g is None else g.get("coordinates", _MISSING) for g in geometries]
    lengths = np.fromiter(
        (len(c) if type(c) is list else 0 if c is None else -1 for c in coordinates),
        np.int64,
        count=len(coordinates),
    )
    flat = (
        list(chain.from_iterable(c for c in coordinates if c))
        if ((lengths == 0) | (lengths == 2) | (lengths == 3)).all()
        else None
    )
    if flat is None or not set(map(type, flat)) <= {int, float}:
        i = _first(
            coordinates,
            lambda c: (
                c is not None
                and (
                    type(c) is not list
                    or len(c) not in (0, 2, 3)
                    or not all(type(x) in (int, float) for x in c)
                )
            ),
        )
        shown = "missing" if coordinates[i - 1] is _MISSING else json.dumps(coordinates[i - 1])
        raise InputError(
            f"{path}: feature {i}: the point's coordinates are {_clip(shown)}; "
            "expected [longitude, latitude] (numbers, optionally an altitude)"
        )
    values = pl.Series("v", flat, dtype=pl.Float64)
    text = values.to_frame().select(number_text(pl.col("v"))).to_series()
    # the flat coordinates go back to their features: feature i owns flat[start[i]:...]
    start = np.cumsum(lengths) - lengths
    out: dict[str, pl.Series] = {}
    for name, offset, mask in (
        (LATITUDE, 1, lengths > 0),
        (LONGITUDE, 0, lengths > 0),
        (ALTITUDE, 2, lengths == 3),
    ):
        if name == ALTITUDE and not mask.any():
            break
        column = pl.Series(name, [None] * len(features), dtype=pl.String)
        if mask.any():
            column = column.scatter(np.flatnonzero(mask), text.gather(start[mask] + offset))
        out[name] = column
    return out


def _feature_ids(path: Path, features: list[Any]) -> pl.Series:
    return _column_text(path, FEATURE_ID, _member(features, FEATURE_ID))


# --- assembling -----------------------------------------------------------------------


def _merge(
    path: Path, name: str, given: pl.Series, derived: pl.Series, what: str, numeric: bool
) -> pl.Series:
    """One column from a property and the same value taken from the feature; refuse conflicts."""
    frame = pl.DataFrame({"given": given, "derived": derived})
    g, d = pl.col("given"), pl.col("derived")
    if numeric:
        differs = g.cast(pl.Float64, strict=False).is_null() | (
            g.cast(pl.Float64, strict=False) != d.cast(pl.Float64)
        )
    else:
        differs = g != d
    conflicts = frame.select(pl.arg_where(g.is_not_null() & d.is_not_null() & differs)).to_series()
    if conflicts.len():
        i = int(conflicts[0])
        raise InputError(
            f"{path}: feature {i + 1}: property {name!r} is {given[i]!r} but the {what} "
            f"says {derived[i]!r}; make them agree (or rename the property)"
        )
    return frame.select(pl.coalesce(g, d)).to_series().rename(name)


def read_geojson(path: Path) -> Table:
    """Read a GeoJSON FeatureCollection of points as an all-text Table, one row per feature."""
    source = read_source(path)  # read once, within bounds; the manifest hashes these bytes
    text = _decode(path, source.data)
    doc = _parse(path, text)
    del text  # the parsed objects are several times its size: hold one copy, not two
    features = _collection(path, doc)
    del doc
    try:
        columns = _columns(path, features)
    except UnicodeEncodeError as exc:  # polars takes only real text
        raise _lone_surrogate(path, _decode(path, source.data)) from exc
    count = len(features)
    features.clear()  # free the objects before the frame is assembled
    return make_table(
        path,
        "geojson",
        list(columns),
        pl.DataFrame(list(columns.values())),
        rows=pl.Series(np.arange(1, count + 1)),
        lines=pl.Series([None] * count, dtype=pl.UInt32),
        header_line=None,
        digest=source.digest,
    )


def _columns(path: Path, features: list[Any]) -> dict[str, pl.Series]:
    """Every column of the table, in order, as text."""
    members = _check_features(path, features)
    columns = _properties(path, features)
    if FEATURE_ID in members:
        ids = _feature_ids(path, features)
        if FEATURE_ID in columns:
            columns[FEATURE_ID] = _merge(
                path, FEATURE_ID, columns[FEATURE_ID], ids, 'feature\'s "id"', numeric=False
            )
        else:
            columns = {FEATURE_ID: ids, **columns}
    for name, point in _points(path, features).items():
        if name in columns:
            columns[name] = _merge(path, name, columns[name], point, "point", numeric=True)
        else:
            columns[name] = point
    return columns
