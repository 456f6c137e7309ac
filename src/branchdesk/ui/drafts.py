"""Drafts: what the user typed into a form, kept until it is saved or discarded, so a
crash or a closed window never loses it. They live inside the book (store.drafts)."""

from __future__ import annotations

import logging
from typing import Any

from branchdesk.store import Book, BookError

log = logging.getLogger(__name__)


class DraftStore:
    """The forms' view of the book's drafts. A draft that cannot be written just now (the
    book is busy, read-only or the disk full) is skipped, not an error: the form still
    holds the text, and the next keystroke tries again."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self.repo = book.drafts

    def save(self, key: str, fields: dict[str, Any]) -> None:
        if self.book.closed:  # a form's draft timer firing while the window closes
            return
        try:
            self.repo.save(key, fields)
        except BookError as exc:
            log.warning("草稿未能保存：%s", type(exc).__name__)

    def load(self, key: str) -> dict[str, Any] | None:
        if self.book.closed:
            return None
        try:
            return self.repo.load(key)
        except BookError:
            return None

    def kept(self) -> list[str]:
        """The forms with a draft kept, oldest first."""
        if self.book.closed:
            return []
        try:
            return self.repo.keys()
        except BookError:
            return []

    def discard(self, key: str) -> None:
        if self.book.closed:
            return
        try:
            self.repo.discard(key)
        except BookError as exc:
            log.warning("草稿未能删除：%s", type(exc).__name__)
