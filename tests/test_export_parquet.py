"""The analysts' Parquet: real types, fuzzy values expanded, zstd, schema and input recorded."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import EVENTS_CSV, TODAY, event_row

import toolkit
from toolkit import export_table, load_schema, load_table
from toolkit.schema import compile_schema

EVENTS = compile_schema(load_schema(), today=TODAY)
VOCABULARY = "vocabulary"  # Enum or Categorical: polars reads an Enum back as Categorical
EXPECTED_TYPES: dict[str, object] = {
    "event_id": pl.String,
    "date": pl.String,
    "date_start": pl.Date,
    "date_end": pl.Date,
    "date_precision": VOCABULARY,
    "date_approximate": pl.Boolean,
    "date_uncertain": pl.Boolean,
    "date_start_approximate": pl.Boolean,
    "date_start_uncertain": pl.Boolean,
    "date_end_approximate": pl.Boolean,
    "date_end_uncertain": pl.Boolean,
    "status": VOCABULARY,
    "event_type": VOCABULARY,
    "actor1": pl.String,
    "actor2": pl.String,
    "country": pl.String,
    "admin1": pl.String,
    "location": pl.String,
    "latitude": pl.Float64,
    "longitude": pl.Float64,
    "geo_precision": VOCABULARY,
    **{
        name: dtype
        for count in ("fatalities", "injured", "personnel")
        for name, dtype in (
            (count, pl.String),
            (f"{count}_low", pl.Int64),
            (f"{count}_best", pl.Int64),
            (f"{count}_high", pl.Int64),
            (f"{count}_qualifier", VOCABULARY),
        )
    },
    "source": pl.String,
    "source_url": pl.String,
    "source_date": pl.Date,
    "notes": pl.String,
}
DERIVED = [
    "date_start",
    "date_end",
    "date_precision",
    "date_approximate",
    "date_uncertain",
    "date_start_approximate",
    "date_start_uncertain",
    "date_end_approximate",
    "date_end_uncertain",
    *(
        f"{c}_{f}"
        for c in ("fatalities", "injured", "personnel")
        for f in ("low", "best", "high", "qualifier")
    ),
]


@pytest.fixture(scope="module")
def parquet(tmp_path_factory) -> Path:
    """fixtures/events.csv exported to Parquet (and CSV, to compare with)."""
    out = tmp_path_factory.mktemp("parquet")
    export_table(load_table(EVENTS_CSV), out, EVENTS, formats=("csv", "parquet"))
    return out / "events.parquet"


@pytest.fixture(scope="module")
def frame(parquet) -> pl.DataFrame:
    return pl.read_parquet(parquet)


def test_columns_are_the_schema_columns_with_their_expansions_in_order(frame):
    assert frame.columns == list(EXPECTED_TYPES)


def test_columns_have_real_types(frame):
    for name, expected in EXPECTED_TYPES.items():
        dtype = frame.schema[name]
        if expected is VOCABULARY:
            assert isinstance(dtype, pl.Enum | pl.Categorical), name
        else:
            assert dtype == expected, name


def test_arrow_types_dates_nullable_int64_and_dictionaries(parquet):
    schema = pq.read_schema(parquet)

    for name in ("date_start", "date_end", "source_date"):
        assert schema.field(name).type == pa.date32()
    for name in ("fatalities_low", "fatalities_best", "fatalities_high", "personnel_best"):
        assert schema.field(name).type == pa.int64()
        assert schema.field(name).nullable
    assert schema.field("latitude").type == pa.float64()
    for name in ("status", "event_type", "geo_precision", "date_precision", "injured_qualifier"):
        assert pa.types.is_dictionary(schema.field(name).type), name
        assert pa.types.is_string(schema.field(name).type.value_type) or pa.types.is_large_string(
            schema.field(name).type.value_type
        )


def test_vocabularies_keep_the_schema_values(frame):
    assert frame.get_column("status").cast(pl.String).to_list() == [
        "occurred",
        "planned",
        "planned",
        "planned",
        "planned",
        "occurred",
        "occurred",
        "occurred",
        "occurred",
        "ongoing",
        "ongoing",
        "occurred",
        "occurred",
        "occurred",
        "occurred",
        "planned",
        "planned",
    ]


def test_fuzzy_dates_of_the_fixture_expand_into_start_end_precision_and_qualifiers(frame):
    rows = frame.select(
        "event_id",
        "date",
        "date_start",
        "date_end",
        pl.col("date_precision").cast(pl.String),
        "date_approximate",
        "date_uncertain",
    ).rows()

    d = date
    by = ("../2024-09-06", None, d(2024, 9, 6), "day", False, False)
    assert rows == [
        ("iq-2024-001", *by),
        ("iq-2024-009", "../2025-12", None, d(2025, 12, 31), "month", False, False),
        ("iq-2024-002", "../2025-09", None, d(2025, 9, 30), "month", False, False),
        ("iq-2024-004", "../2026-12", None, d(2026, 12, 31), "month", False, False),
        # "within a month" of the report, and "could": the end is uncertain
        (
            "iq-2024-010",
            "2024-09-06/2024-10-06?",
            d(2024, 9, 6),
            d(2024, 10, 6),
            "day",
            False,
            True,
        ),
        ("iq-2024-007", *by),
        ("iq-2003-001", "2003", d(2003, 1, 1), d(2003, 12, 31), "year", False, False),
        ("iq-2011-001", "2011", d(2011, 1, 1), d(2011, 12, 31), "year", False, False),
        ("iq-2014-001", "2014", d(2014, 1, 1), d(2014, 12, 31), "year", False, False),
        ("iq-2024-005", "2024", d(2024, 1, 1), d(2024, 12, 31), "year", False, False),
        ("sy-2024-001", "2024", d(2024, 1, 1), d(2024, 12, 31), "year", False, False),
        ("ru-2024-001", "2024", d(2024, 1, 1), d(2024, 12, 31), "year", False, False),
        ("iq-2024-006", *by),
        ("ir-2024-001", *by),
        ("iq-2024-008", *by),
        ("iq-2024-003", "../2025-09", None, d(2025, 9, 30), "month", False, False),
        ("iq-2024-011", "../2025-09", None, d(2025, 9, 30), "month", False, False),
    ]
    sides = frame.filter(pl.col("event_id") == "iq-2024-010").select(
        "date_start_approximate",
        "date_start_uncertain",
        "date_end_approximate",
        "date_end_uncertain",
    )
    assert sides.row(0) == (False, False, False, True)


FORMS = [  # every form of the EDTF subset and of fuzzy counts, with their expansion
    # date, start, end, precision, approximate, uncertain, (start ~, start ?, end ~, end ?)
    ("2024-03-22", date(2024, 3, 22), date(2024, 3, 22), "day", False, False, (False,) * 4),
    ("2025-09", date(2025, 9, 1), date(2025, 9, 30), "month", False, False, (False,) * 4),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "year", False, False, (False,) * 4),
    (
        "2024-03-22/2024-03-24",
        date(2024, 3, 22),
        date(2024, 3, 24),
        "day",
        False,
        False,
        (False,) * 4,
    ),
    ("../2025-09", None, date(2025, 9, 30), "month", False, False, (None, None, False, False)),
    ("2025-09/..", date(2025, 9, 1), None, "month", False, False, (False, False, None, None)),
    (
        "2003~",
        date(2003, 1, 1),
        date(2003, 12, 31),
        "year",
        True,
        False,
        (True, False, True, False),
    ),
    (
        "2011-12?",
        date(2011, 12, 1),
        date(2011, 12, 31),
        "month",
        False,
        True,
        (False, True, False, True),
    ),
    ("2014%", date(2014, 1, 1), date(2014, 12, 31), "year", True, True, (True, True, True, True)),
    (
        "2024-03-22~/2024-03-24?",
        date(2024, 3, 22),
        date(2024, 3, 24),
        "day",
        True,
        True,
        (True, False, False, True),
    ),
]
COUNTS = [  # count, canonical text, low, best, high, qualifier
    ("143", "143", 143, 143, 143, "exact"),
    ("~2,500", "~2500", None, 2500, None, "approximate"),
    ("143+", "143+", 143, None, None, "at_least"),
    ("<=50", "<=50", None, None, 50, "at_most"),
    ("100-999", "100-999", 100, None, 999, "range"),
]


def test_every_date_and_count_form_expands_as_documented(write_csv, tmp_path):
    base = event_row("iq-2024-002")  # planned: a date may be later than the report
    rows = [
        {**base, "event_id": f"f{i}", "date": form[0], "fatalities": COUNTS[i % len(COUNTS)][0]}
        for i, form in enumerate(FORMS)
    ]
    exported = export_table(
        load_table(write_csv(rows)), tmp_path / "out", EVENTS, formats=("parquet",)
    )
    assert exported.ok
    frame = pl.read_parquet(tmp_path / "out" / "events.parquet")

    dates = frame.select(
        "date",
        "date_start",
        "date_end",
        pl.col("date_precision").cast(pl.String),
        "date_approximate",
        "date_uncertain",
        pl.concat_list(
            "date_start_approximate",
            "date_start_uncertain",
            "date_end_approximate",
            "date_end_uncertain",
        ),
    ).rows()
    assert dates == [(*form[:6], list(form[6])) for form in FORMS]
    counts_seen = frame.select(
        "fatalities", "fatalities_low", "fatalities_best", "fatalities_high",
        pl.col("fatalities_qualifier").cast(pl.String),
    ).rows()  # fmt: skip
    assert counts_seen == [COUNTS[i % len(COUNTS)][1:] for i in range(len(FORMS))]


def counts(frame: pl.DataFrame, name: str) -> list[tuple[object, ...]]:
    """(event_id, text, low, best, high, qualifier) for the rows where `name` is given."""
    return (
        frame.filter(pl.col(name).is_not_null())
        .select(
            "event_id",
            name,
            f"{name}_low",
            f"{name}_best",
            f"{name}_high",
            pl.col(f"{name}_qualifier").cast(pl.String),
        )
        .rows()
    )


def test_fuzzy_counts_of_the_fixture_expand_into_low_best_high_and_qualifier(frame):
    assert counts(frame, "fatalities") == [("ru-2024-001", "143+", 143, None, None, "at_least")]
    assert counts(frame, "injured") == []
    assert counts(frame, "personnel") == [
        ("iq-2024-002", "100-999", 100, None, 999, "range"),
        ("iq-2024-005", "~2500", None, 2500, None, "approximate"),
        ("sy-2024-001", "~900", None, 900, None, "approximate"),
    ]


def test_a_missing_count_is_null_in_every_expanded_column(frame):
    row = frame.filter(pl.col("event_id") == "iq-2024-001").row(0, named=True)

    assert [row[f"fatalities_{f}"] for f in ("low", "best", "high", "qualifier")] == [None] * 4


def test_coordinates_and_source_date_are_typed(frame):
    row = frame.filter(pl.col("event_id") == "ru-2024-001").row(0, named=True)

    assert (row["latitude"], row["longitude"]) == (55.7558, 37.6173)
    assert row["source_date"] == date(2024, 9, 6)
    assert frame.filter(pl.col("event_id") == "iq-2024-004").row(0, named=True)["latitude"] is None


def test_every_column_chunk_is_zstd_compressed(parquet):
    metadata = pq.ParquetFile(parquet).metadata

    assert metadata.num_rows == 17
    assert {
        metadata.row_group(g).column(c).compression
        for g in range(metadata.num_row_groups)
        for c in range(metadata.num_columns)
    } == {"ZSTD"}


def test_file_metadata_names_the_schema_and_the_input(parquet):
    metadata = {
        k.decode(): v.decode()
        for k, v in (pq.read_metadata(parquet).metadata or {}).items()
        if k != b"ARROW:schema"
    }

    assert metadata == {
        "toolkit.version": toolkit.__version__,
        "schema.name": "events",
        "schema.version": "1.0",
        "schema.sha256": EVENTS.schema.sha256,
        "input.name": "events.csv",
        "input.sha256": hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest(),
        "toolkit.derived": json.dumps(DERIVED),
    }


def test_each_column_carries_its_description_and_source(parquet):
    schema = pq.read_schema(parquet)

    for column in EVENTS.schema.columns:
        field = schema.field(column.name)
        assert field.metadata[b"description"] == column.description.encode(), column.name
        assert b"source" not in field.metadata
    described = {
        name: (schema.field(name).metadata[b"description"], schema.field(name).metadata[b"source"])
        for name in DERIVED
    }
    assert described["date_start"] == (b"First day date can mean (null: open).", b"date")
    assert described["date_end_uncertain"] == (
        b"The end of date is uncertain (? or %) (null: open).",
        b"date",
    )
    assert described["personnel_best"] == (
        b"The single figure the source gives for personnel (null: none given).",
        b"personnel",
    )
    assert described["personnel_qualifier"] == (
        b"How personnel is given: exact, approximate, at_least, at_most or range.",
        b"personnel",
    )
    assert all(text and source for text, source in described.values())


def test_pyarrow_reads_the_same_table_as_polars(parquet, frame):
    table = pq.read_table(parquet)

    assert table.num_rows == 17
    assert table.column_names == frame.columns
    assert table.column("fatalities_low").to_pylist() == frame["fatalities_low"].to_list()
    assert table.column("date_end").to_pylist() == frame["date_end"].to_list()


def test_pandas_reads_it_with_nullable_counts(parquet, frame):
    pd = pytest.importorskip("pandas")

    df = pd.read_parquet(parquet)

    assert list(df.columns) == list(EXPECTED_TYPES)
    assert df["fatalities_low"].isna().sum() == frame["fatalities_low"].null_count()


def test_loading_the_parquet_drops_the_expansions_and_validates(parquet):
    table = load_table(parquet)

    assert table.columns == EVENTS.schema.names
    report = toolkit.validate_table(table, EVENTS)
    assert (report.errors, report.warnings) == (
        0,
        17,
    )  # every row lacks a source_url: the report gives none


def test_csv_to_parquet_to_csv_gives_the_clean_csv_byte_for_byte(parquet, tmp_path):
    export_table(load_table(parquet), tmp_path, EVENTS, formats=("csv",))

    assert (tmp_path / "events.csv").read_bytes() == (parquet.parent / "events.csv").read_bytes()


def test_count_text_reused_from_the_csv_is_what_parquet_composes_itself(write_csv):
    from toolkit.export.frames import analysis, clean_text
    from toolkit.validation import run_validation

    path = write_csv(
        [
            event_row(fatalities="2,500", injured="~ 40", personnel="100 - 999"),
            event_row("iq-2024-002", fatalities="12+", injured="<=5", personnel=""),
        ]
    )
    validation = run_validation(load_table(path), EVENTS)
    spec = validation.compiled.schema
    clean = clean_text(validation.frame, spec)

    reused = analysis(validation.frame, spec, clean)
    assert reused.equals(analysis(validation.frame, spec))
    assert reused.select("fatalities", "injured", "personnel").rows() == [
        ("2500", "~40", "100-999"),
        ("12+", "<=5", None),
    ]
