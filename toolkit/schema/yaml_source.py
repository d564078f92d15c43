"""Reading a schema's YAML with bounds: a hostile file is refused in milliseconds.

PyYAML's `safe_load` shares one object for every alias of an anchor, so nine lines of
"billion laughs" load at once, and then every walk over the result (checking it, printing it)
visits a billion strings: minutes and gigabytes. Here the document is measured while it is
composed, before anything is built or walked: its size as text, its nesting depth, how many
aliases it uses and how many values it holds with every alias expanded.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, SequenceNode
from yaml.resolver import Resolver

from toolkit.errors import SchemaDefinitionError

# The events schema is 4 KB, nests 5 deep, uses no alias and holds ~400 values; these leave
# room for any real schema (a vocabulary of 100,000 entries) and stop a bomb early.
MAX_SCHEMA_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_ALIASES = 100
MAX_VALUES = 200_000  # scalars, mappings and sequences, every alias expanded


class _Bounds(Composer):
    """A composer that measures the document as it composes it (a mixin of the loaders)."""

    def _start(self, source: str) -> None:
        self._source = source
        self._open: list[str | None] = []  # anchors of the nodes being composed
        self._aliases = 0
        self._sizes: dict[int, int] = {}  # id(collection node) -> values, aliases expanded

    def _refuse(self, mark: Mark, problem: str) -> SchemaDefinitionError:
        return SchemaDefinitionError(f"schema {self._source}: line {mark.line + 1}: {problem}")

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise self._refuse(event.start_mark, f"uses more than {MAX_ALIASES} aliases")
            if event.anchor in self._open:
                raise self._refuse(
                    event.start_mark, f"alias *{event.anchor} refers to a value that holds it"
                )
        if len(self._open) >= MAX_DEPTH:
            raise self._refuse(event.start_mark, f"nests deeper than {MAX_DEPTH} levels")
        self._open.append(getattr(event, "anchor", None))
        node: Node = super().compose_node(parent, index)  # type: ignore[arg-type]
        self._open.pop()
        if isinstance(node, (SequenceNode, MappingNode)) and id(node) not in self._sizes:
            # a new collection (an alias returns one measured already): its values, with
            # those of every alias inside it expanded
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else [part for pair in node.value for part in pair]
            )
            size = 1 + sum(self._sizes.get(id(child), 1) for child in children)
            if size > MAX_VALUES:
                raise self._refuse(
                    event.start_mark,
                    f"holds more than {MAX_VALUES:,} values once its aliases are expanded "
                    "(an alias bomb?)",
                )
            self._sizes[id(node)] = size
        return node


class _PythonLoader(_Bounds, yaml.SafeLoader):
    """PyYAML's own scanner and parser: slower, with the clearer messages for broken YAML."""

    def __init__(self, text: str, source: str) -> None:
        yaml.SafeLoader.__init__(self, text)
        self._start(source)


_LOADERS: list[type[_Bounds]] = []
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _LibyamlLoader(_Bounds, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml's scanner and parser (four times faster), the same bounded composer."""

        def __init__(self, text: str, source: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start(source)

    _LOADERS.append(_LibyamlLoader)
_LOADERS.append(_PythonLoader)


def _load(loader_type: type[_Bounds], text: str, source: str) -> Any:
    loader = loader_type(text, source)  # type: ignore[call-arg]
    try:
        return loader.get_single_data()  # type: ignore[attr-defined]
    finally:
        loader.dispose()  # type: ignore[attr-defined]


def load_yaml(text: str, source: str) -> Any:
    """Parse schema YAML safely and within bounds; problems raise SchemaDefinitionError.

    Example:
        >>> load_yaml("name: events\nversion: 1\n", "events.yaml")
        {'name': 'events', 'version': 1}
    """
    if len(text) > MAX_SCHEMA_BYTES or len(text.encode("utf-8")) > MAX_SCHEMA_BYTES:
        raise SchemaDefinitionError(
            f"schema {source}: is larger than {MAX_SCHEMA_BYTES:,} bytes; "
            "a schema describes columns, it does not hold data"
        )
    try:
        try:
            return _load(_LOADERS[0], text, source)
        except yaml.YAMLError:
            if len(_LOADERS) == 1:
                raise
            # libyaml's messages drop the character at fault: PyYAML says it (and decides)
            return _load(_LOADERS[1], text, source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise SchemaDefinitionError(f"schema {source}: {where}: {problem}") from exc
    except (ValueError, OverflowError, RecursionError) as exc:  # e.g. a 5,000-digit integer
        raise SchemaDefinitionError(
            f"schema {source}: a value cannot be read ({str(exc).split(';')[0].strip()})"
        ) from exc
