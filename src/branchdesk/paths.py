"""Where the book lives: --data FILE, else $BRANCHDESK_DATA, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

BOOK_FILENAME = "branchdesk.db"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("branchdesk", appauthor=False))


def default_book_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("BRANCHDESK_DATA")
    if env:
        return Path(env).expanduser()
    return data_dir() / BOOK_FILENAME


def log_dir(book_path: Path) -> Path:
    """Logs sit beside the book, so a user sending "the data folder" sends them too."""
    return book_path.parent / "logs"
