"""Drafts: what the user typed into a form and has not saved yet, kept inside the book.

Inside, not beside it: a draft of a member holds the 公民身份号码, and the book is the one
file that is private, backed up and (one day) encrypted. A draft goes when it is saved or
discarded, and when its record is deleted (triggers in 0003_drafts).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from branchdesk.store.database import Database

log = logging.getLogger(__name__)
DRAFT_WAIT_MS = 200


class DraftsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    def save(self, key: str, fields: dict[str, Any]) -> None:
        """Raises BookBusyError at once (after DRAFT_WAIT_MS) when another program is
        writing: a draft is saved while the user types, so it must never freeze the form;
        the next keystroke tries again."""
        import json

        text = json.dumps(fields, ensure_ascii=False)
        with self._short_wait(), self.db.atomic():
            self.db.execute(
                "INSERT INTO draft (key, fields) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                " SET fields = excluded.fields, updated_at = datetime('now')",
                [key, text],
            )

    @contextlib.contextmanager
    def _short_wait(self) -> Iterator[None]:
        from branchdesk.store.database import BUSY_TIMEOUT_MS

        self.db.execute(f"PRAGMA busy_timeout={DRAFT_WAIT_MS}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def load(self, key: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT fields FROM draft WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        try:
            import json

            data = json.loads(row[0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def discard(self, key: str) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM draft WHERE key = ?", [key])

    def keys(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT key FROM draft ORDER BY updated_at, rowid")]


def legacy_folder(book_path: Path) -> Path:
    """Where versions before 0003_drafts kept drafts: JSON files beside the book."""
    return book_path.with_name(book_path.stem + "-drafts")


def adopt_legacy_drafts(repo: DraftsRepo, book_path: Path) -> int:
    """Move drafts from the old `<book>-drafts/` folder into the book, then delete the
    files (they held ID numbers in clear). Returns how many were moved."""
    folder = legacy_folder(book_path)
    if not folder.is_dir():
        return 0
    moved = 0
    for path in sorted(folder.glob("*.json")):
        try:
            import json

            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and repo.load(path.stem) is None:
            repo.save(path.stem, data)
            moved += 1
        path.unlink(missing_ok=True)
    for leftover in folder.glob("*.part"):
        leftover.unlink(missing_ok=True)
    try:
        os.rmdir(folder)
    except OSError:
        log.warning("旧草稿文件夹未能删除（其中还有其他文件）")
    return moved
