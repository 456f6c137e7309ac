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


#: How many books the first-start dialog offers.
RECENT_LIMIT = 5


def recent_file() -> Path:
    """The list of books opened on this computer ($BRANCHDESK_RECENT, else the user's
    config folder): a book opened from a USB stick or another folder is found again."""
    env = os.environ.get("BRANCHDESK_RECENT")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("branchdesk", appauthor=False)) / "recent.json"


def recent_books(existing_only: bool = True) -> list[Path]:
    """Most recent first. A damaged list is treated as empty: it is only a convenience."""
    import json

    try:
        names = json.loads(recent_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(names, list):
        return []
    paths = [Path(n) for n in names if isinstance(n, str)]
    return [p for p in paths if p.exists()] if existing_only else paths


def remember_book(path: Path) -> None:
    """Put ``path`` first in the recent list. Never fails the caller."""
    import json

    path = Path(path).resolve()
    names = [str(path)] + [str(p) for p in recent_books(False) if p.resolve() != path]
    try:
        target = recent_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(names[:RECENT_LIMIT], ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass


def start_book_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The book the window opens: --data, else $BRANCHDESK_DATA, else the last book opened
    here (if it is still there), else the default file in the user data folder."""
    if explicit or os.environ.get("BRANCHDESK_DATA"):
        return default_book_path(explicit)
    recent = recent_books()
    return recent[0] if recent else default_book_path()


def _encrypted_file() -> Path:
    """Which books on this computer have a password (账簿密码): only their paths, never a
    password or anything derived from one. Beside the recent list."""
    return recent_file().with_name("encrypted.json")


def encrypted_books() -> set[Path]:
    import json

    try:
        names = json.loads(_encrypted_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {Path(n) for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def is_marked_encrypted(path: Path) -> bool:
    return Path(path).resolve() in encrypted_books()


def mark_encrypted(path: Path, encrypted: bool) -> None:
    """Remember (or forget) that ``path`` has a password. Never fails the caller."""
    import json

    path = Path(path).resolve()
    names = {p for p in encrypted_books() if p != path}
    if encrypted:
        names.add(path)
    try:
        target = _encrypted_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(sorted(map(str, names)), ensure_ascii=False), encoding="utf-8")
    except OSError:
        pass
