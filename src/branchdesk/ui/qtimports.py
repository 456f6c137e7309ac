"""Importing the program's Qt modules quickly.

Once PySide6 is imported it looks at every module imported after it, to learn whether
the module may opt into PySide's ``__feature__`` switches (``snake_case``,
``true_property``): it asks ``inspect.getsource`` for the module's whole source and
searches it for "PySide6". ``getsource`` finds the file through several ``stat`` calls,
reads it through ``linecache`` and splits it into lines — about 0.3 ms a module, ~5 ms
for the forty-odd modules the main window's first picture imports after Qt.

`speed_up_feature_check` gives PySide the same answer the cheap way: for a module loaded
from a ``.py`` file, the file's bytes are searched for ``b"PySide6"`` (the same test on
the same text: the source is read in an ASCII-compatible encoding). Anything else (a
built-in module, a module from a zip, a file that cannot be read) still goes to PySide's
own check. The check is PySide's internal function; where a PySide release no longer
has it, nothing is changed and imports merely take their usual time.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

#: Where PySide keeps the check (its ``shibokensupport.feature`` module, a private part).
FEATURE_MODULE = "shibokensupport.feature"
CHECK = "_mod_uses_pyside"


def _quick(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)

    uses_pyside.original = original  # type: ignore[attr-defined]
    return uses_pyside


def speed_up_feature_check() -> bool:
    """Install the quick check (after PySide6 is imported); True when it is in place."""
    feature: Any = sys.modules.get(FEATURE_MODULE)
    original = getattr(feature, CHECK, None)
    if original is None or not callable(original):
        return False
    if getattr(original, "original", None) is None:
        setattr(feature, CHECK, _quick(original))
    return True
