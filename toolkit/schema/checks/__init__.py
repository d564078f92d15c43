"""Table checks: one module per check, each a `TableCheck` subclass registered by its name.

Adding a check is adding a module here: it is found and registered when this package loads.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module

from toolkit.schema.checks.base import Condition, TableCheck

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        import_module(f"{__name__}.{_module.name}")

CHECKS: dict[str, type[TableCheck]] = dict(sorted(TableCheck.registry.items()))

__all__ = ["CHECKS", "Condition", "TableCheck"]
