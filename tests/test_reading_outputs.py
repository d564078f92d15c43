"""Every snippet of the README's "Reading the outputs" runs as printed, on a fresh export.

A snippet's `print(...)  # text` lines must print that text.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from conftest import EVENTS_CSV, ROOT, TODAY

from toolkit import export_table, load_schema, load_table
from toolkit.schema import compile_schema


def _snippets() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reading the outputs\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return {re.search(r"^import (\w+)", b, re.M)[1]: b for b in blocks}  # type: ignore[index]


SNIPPETS = _snippets()


def test_the_section_has_one_snippet_per_reader():
    assert sorted(SNIPPETS) == ["duckdb", "pandas", "polars", "pyarrow"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    work = tmp_path_factory.mktemp("reading")
    export_table(load_table(EVENTS_CSV), work / "out", compile_schema(load_schema(), today=TODAY))
    return work


@pytest.mark.parametrize("reader", sorted(SNIPPETS))
def test_the_snippet_runs_as_printed(reader, exported, monkeypatch):
    if reader == "duckdb":
        pytest.importorskip("duckdb")  # a test-only dependency
    code = SNIPPETS[reader]
    monkeypatch.chdir(exported)
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README.md ({reader})", "exec"), {})

    expected = re.findall(r"^print\(.*\)  # (.*)$", code, re.M)
    assert printed.getvalue().splitlines() == expected
