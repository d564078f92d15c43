"""Shared fixtures: where the repository is, the reference table, and a CSV writer."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests are deterministic unless asked otherwise: a fresh clone's `make test` and CI
# draw the same examples every run and keep no example database, so a landing never fails
# by chance. `HYPOTHESIS_PROFILE=explore` draws new random examples (and remembers failures)
# for a developer hunting bugs; a failure found that way becomes a pinned test.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

ROOT = Path(__file__).resolve().parent.parent
EVENTS_CSV = ROOT / "fixtures" / "events.csv"
INVALID = ROOT / "fixtures" / "invalid"
# "today" for every rule that looks at the calendar, so the suite does not age.
TODAY = date(2026, 11, 28)


def _events() -> tuple[list[str], dict[str, dict[str, str]]]:
    with EVENTS_CSV.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), {r["event_id"]: r for r in reader}


HEADER, _BY_ID = _events()

WriteCsv = Callable[..., Path]


# The report the fixture comes from gives no link, so its rows have no source_url (a warning
# each). Rows built for other tests get this link, so only the problems they plant show.
LINK = "https://example.org/us-iraq-withdrawal-report"


def event_row(base: str = "iq-2024-001", /, **changes: str) -> dict[str, str]:
    """A valid row of fixtures/events.csv with some cells replaced (and a source_url)."""
    row = {**_BY_ID[base], "source_url": LINK}
    unknown = set(changes) - set(row)
    assert not unknown, f"not event columns: {unknown}"
    row.update(changes)
    return row


def csv_text(rows: Iterable[dict[str, str] | Sequence[str]], header: Sequence[str] = HEADER) -> str:
    """CSV text (LF line endings) of `header` and `rows` (dicts keyed by header, or lists)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return out.getvalue()


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture
def events_csv() -> Path:
    return EVENTS_CSV


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """`write_csv(rows, header=HEADER, name="events.csv")` writes a CSV into tmp_path."""

    def write(
        rows: Iterable[dict[str, str] | Sequence[str]],
        *,
        header: Sequence[str] = HEADER,
        name: str = "events.csv",
    ) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(rows, header), encoding="utf-8", newline="")
        return path

    return write
