"""Drafts: what the user typed into a form, kept on disk until it is saved or discarded,
so a crash or a closed window never loses it."""

from __future__ import annotations

import json
import os
from pathlib import Path


class DraftStore:
    """One JSON file per form in ``<book>-drafts/``; readable only by the user."""

    def __init__(self, book_path: Path) -> None:
        self.folder = book_path.with_name(book_path.stem + "-drafts")

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def save(self, key: str, fields: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.folder, 0o700)
        tmp = self._path(key).with_suffix(".part")
        fd = os.open(tmp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(fields, fh, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._path(key))

    def load(self, key: str) -> dict[str, str] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def kept(self) -> list[str]:
        """The forms with a draft kept, oldest first."""
        try:
            files = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
        except OSError:
            return []
        return [p.stem for p in files]

    def discard(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
