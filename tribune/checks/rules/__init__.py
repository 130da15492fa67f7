"""The guideline checks: one module each. Every module in this package is imported when
the app starts, and its `@check(...)` functions register themselves; adding a check is
adding a file (docs/patterns.md)."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
