"""Schema YAML within bounds: what a real schema uses loads; a hostile file is refused at once."""

from __future__ import annotations

import time

import pytest
import yaml
from conftest import ROOT

from toolkit.errors import SchemaDefinitionError
from toolkit.schema.yaml_source import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_SCHEMA_BYTES,
    MAX_VALUES,
    load_yaml,
)

EVENTS_YAML = ROOT / "schemas" / "events.yaml"


def refusal(text: str) -> str:
    with pytest.raises(SchemaDefinitionError) as raised:
        load_yaml(text, "s.yaml")
    return str(raised.value)


def laughs(levels: int, width: int = 9) -> str:
    """A "billion laughs" document: `levels` lists of `width` aliases of the one before."""
    lines = ["lol0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_the_events_schema_loads_exactly_as_safe_load_reads_it():
    text = EVENTS_YAML.read_text(encoding="utf-8")

    assert load_yaml(text, "events.yaml") == yaml.safe_load(text)


def test_a_few_anchors_and_aliases_are_fine():
    text = "shared: &vocab [a, b, c]\none: *vocab\ntwo: *vocab\nbase: &b {x: 1}\nmore: {<<: *b, y: 2}\n"

    assert load_yaml(text, "s.yaml") == {
        "shared": ["a", "b", "c"],
        "one": ["a", "b", "c"],
        "two": ["a", "b", "c"],
        "base": {"x": 1},
        "more": {"x": 1, "y": 2},
    }


def test_a_billion_laughs_is_refused_in_milliseconds():
    start = time.perf_counter()

    message = refusal(laughs(9))

    assert time.perf_counter() - start < 1
    assert message == (
        "schema s.yaml: line 6: holds more than 200,000 values once its aliases are expanded "
        "(an alias bomb?)"
    )


def test_expansion_just_under_the_limit_loads():
    # 5 levels of 11: 11 + 11**2 + ... values, about 177,000
    assert sum(11**i for i in range(1, 6)) + 5 < MAX_VALUES

    assert len(load_yaml(laughs(5, width=11), "s.yaml")["lol4"]) == 11


def test_more_aliases_than_the_limit_are_refused():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"

    assert refusal(text) == f"schema s.yaml: line 2: uses more than {MAX_ALIASES} aliases"
    assert len(load_yaml(text.replace("*a, *a]", "*a]"), "s.yaml")["b"]) == MAX_ALIASES


def test_an_alias_inside_the_value_it_names_is_refused():
    assert refusal("a: &a\n  - 1\n  - *a\n") == (
        "schema s.yaml: line 3: alias *a refers to a value that holds it"
    )


def test_nesting_deeper_than_the_limit_is_refused():
    levels = MAX_DEPTH  # the document's mapping is one level, each list another

    assert refusal("x: " + "[" * levels + "]" * levels) == (
        f"schema s.yaml: line 1: nests deeper than {MAX_DEPTH} levels"
    )
    assert load_yaml("x: " + "[" * (levels - 2) + "]" * (levels - 2), "s.yaml")


def test_a_schema_larger_than_the_limit_is_refused_unread():
    text = "description: " + "x" * MAX_SCHEMA_BYTES + "\n"

    assert refusal(text) == (
        "schema s.yaml: is larger than 1,048,576 bytes; a schema describes columns, it does "
        "not hold data"
    )


def test_more_values_than_the_limit_without_any_alias_are_refused():
    text = "values: [" + ",".join(["a"] * MAX_VALUES) + "]\n"

    assert refusal(text).endswith(
        "holds more than 200,000 values once its aliases are expanded (an alias bomb?)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2\n", "schema s.yaml: line 2: expected ',' or ']', but got '<stream end>'"),
        ("a: *nowhere\n", "schema s.yaml: line 1: found undefined alias 'nowhere'"),
        (
            "a: " + "9" * 5000 + "\n",
            "schema s.yaml: a value cannot be read (Exceeds the limit (4300 digits) for integer "
            "string conversion: value has 5000 digits)",
        ),
        ("a: 2024-13-45\n", "schema s.yaml: a value cannot be read (month must be in 1..12)"),
    ],
)
def test_what_yaml_cannot_read_is_one_schema_error(text, message):
    assert refusal(text) == message
