"""Per-book settings (print fonts, …) kept in the book's meta table, so they travel with it."""

from __future__ import annotations

from branchdesk.store.database import Database
from branchdesk.store.tx import Writer

_PREFIX = "setting."


class SettingsRepo:
    def __init__(self, db: Database, writer: Writer) -> None:
        self.db = db
        self.writer = writer

    def get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [_PREFIX + key]).fetchone()
        return row[0] if row else default

    def all(self, prefix: str = "") -> dict[str, str]:
        rows = self.db.execute(
            "SELECT key, value FROM meta WHERE key LIKE ? ESCAPE '\\'",
            [(_PREFIX + prefix).replace("_", "\\_") + "%"],
        ).fetchall()
        return {key.removeprefix(_PREFIX): value for key, value in rows}

    def set(self, key: str, value: str) -> None:
        with self.writer.write("settings"):
            if value:
                self.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [_PREFIX + key, value],
                )
            else:
                self.db.execute("DELETE FROM meta WHERE key = ?", [_PREFIX + key])
