"""Where the app's read-only resources (stroke table, fonts, …) live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ENV_VAR = "BRANCHDESK_RESOURCES"


def resources_dir() -> Path:
    """The ``resources`` folder.

    In order: the folder named by ``$BRANCHDESK_RESOURCES``; ``<bundle>/resources`` when frozen
    by PyInstaller (``sys._MEIPASS``); ``<repo>/resources`` in a source checkout or an editable
    install. Not cached, so the variable can be set late (tests do).
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    # src/branchdesk/resources.py -> parents: branchdesk, src, <repo>
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    # An installed wheel carries the folder as the package data branchdesk/_resources.
    return Path(__file__).resolve().parent / "_resources"
