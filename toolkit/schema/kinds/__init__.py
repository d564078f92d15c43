"""Column kinds: one module per kind, each a `Column` subclass registered by its `kind` name.

Adding a kind is adding a module here: it is found and registered when this package loads.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from toolkit.schema.kinds.base import Column, Output, RuleContext

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        import_module(f"{__name__}.{_module.name}")

KINDS: dict[str, type[Column]] = dict(sorted(Column.registry.items()))


__all__ = ["KINDS", "Column", "Output", "RuleContext"]
