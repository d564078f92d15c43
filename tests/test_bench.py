"""The benchmark's generator and runner: a smoke run, and generated data checked by the toolkit."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    sys.path.insert(0, str(BENCH))  # run.py imports generate
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


generate = _load("generate")


def _generate(tmp_path: Path, rows: int, *args: str, name: str = "events.csv") -> Path:
    out = tmp_path / name
    proc = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), str(rows), *args, str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _validate(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "validate", str(path), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def _planted(path: Path) -> dict[str, int]:
    return json.loads(path.with_name(path.name + ".meta.json").read_text("utf-8"))["planted"]


def test_clean_generated_table_validates(tmp_path: Path) -> None:
    path = _generate(tmp_path, 200, "--seed", "7", "--error-rate", "0")
    proc = _validate(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generated_table_uses_every_form(tmp_path: Path) -> None:
    df, planted = generate.generate(5000, seed=3)
    assert not any(planted.values())
    dates = df["date"]
    for pattern in (r"^\d{4}-\d{2}-\d{2}$", r"^\d{4}-\d{2}$", r"^\d{4}$", r"/", r"^\.\./", r"/\.\.$", "~", r"\?", "%"):  # fmt: skip
        assert dates.str.contains(pattern).any(), pattern
    counts = pl.concat([df["fatalities"], df["injured"], df["personnel"]]).drop_nulls()
    for pattern in (r"^\d+$", "^~", r"\+$", "^<=", r"^\d+-\d+$", ","):
        assert counts.str.contains(pattern).any(), pattern
    assert df["notes"].str.contains("\n").any()
    assert df["country"].n_unique() >= 60
    assert df["location"].drop_nulls().str.contains(r"[^\x00-\x7f]").any()


def test_generation_is_deterministic(tmp_path: Path) -> None:
    a = _generate(tmp_path, 500, "--seed", "5", "--error-rate", "0.05", name="a.csv")
    b = _generate(tmp_path, 500, "--seed", "5", "--error-rate", "0.05", name="b.csv")
    c = _generate(tmp_path, 500, "--seed", "6", "--error-rate", "0.05", name="c.csv")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_planted_errors_are_found(tmp_path: Path) -> None:
    path = _generate(tmp_path, 600, "--seed", "11", "--error-rate", "0.1")
    planted = _planted(path)
    assert sum(planted.values()) == 60 and all(planted.values())
    proc = _validate(path, "--format", "json", "--max-findings", "0")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    found: Counter[str] = Counter()
    for row in report["counts"]:
        if row["severity"] == "error":
            found[row["rule"]] += row["count"]
    expected = {generate.EXPECTED_RULES[kind]: n for kind, n in planted.items()}
    # every copy of a duplicated id is reported
    expected["value.unique"] = 2 * planted["duplicate_id"]
    assert set(found) == set(expected), (found, expected)
    for rule, n in expected.items():
        assert found[rule] >= n, (rule, found[rule], n)


def test_pathological_rows_break_two_rules_each(tmp_path: Path) -> None:
    path = _generate(tmp_path, 300, "--seed", "2", "--pathological")
    proc = _validate(path, "--format", "json", "--max-findings", "100000")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    per_row = Counter(f["row"] for f in report["findings"] if f["severity"] == "error")
    assert len(per_row) == 300
    assert set(per_row.values()) == {2}


def test_a_changed_copy_holds_the_changes_it_counts(tmp_path: Path) -> None:
    from toolkit import diff_tables, load_table

    old = _generate(tmp_path, 600, "--seed", "4", name="old.csv")
    new = _generate(tmp_path, 600, "--seed", "4", "--change-rate", "0.1", name="new.csv")
    changes = json.loads(new.with_name("new.csv.meta.json").read_text("utf-8"))["changes"]

    d = diff_tables(load_table(old), load_table(new))

    assert changes == {
        "changed": 10, "reformatted": changes["reformatted"], "removed": 10, "added": 10,
        "error": 10, "fixed": 0,
    }  # fmt: skip
    assert 0 < changes["reformatted"] <= 10
    assert [k for (k,) in d.added] == [f"new-{i:07}" for i in range(10)]
    assert (len(d.removed), len(d.changed), len(d.reformatted)) == (10, 20, changes["reformatted"])
    assert {r.cells[0].column for r in d.changed} == {"date", "fatalities"}
    assert d.introduced_count.errors == 10
    assert {f.rule for f in d.introduced} == {"date.invalid"}


@pytest.fixture(scope="module")
def smoke(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "latest.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--rows", "1000", "--repeat", "1",
         "--data-dir", str(tmp / "data"), "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=600,
    )  # fmt: skip
    return proc, out


def test_smoke_run_writes_every_case(smoke: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    proc, out = smoke
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    result = json.loads(out.read_text("utf-8"))
    run = _load("run")
    assert set(result["cases"]) == set(run.CASE_NAMES)
    for name, case in result["cases"].items():
        if case["skipped"]:
            assert name == "frictionless_100k", name
            assert "frictionless" in case["skipped"]
            continue
        assert case["error"] is None, (name, case["error"])
        assert case["median_s"] > 0 and case["peak_rss_mib"] > 0, name
    assert result["cases"]["validate_1m"]["rows"] == 1000
    assert result["cases"]["export_xlsx_100k"]["rows"] == 100
    assert result["machine"]["cores"] >= 1
    assert result["machine"]["versions"]["polars"]
    assert len(result["targets"]) == 9
    assert all(t["pass"] in (True, False, None) for t in result["targets"])
    assert "targets" in proc.stdout
