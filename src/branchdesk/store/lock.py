"""One window per book: an OS-level lock on `<book>.lock`, released by the OS if we crash."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from branchdesk.store.errors import BookInUseError


def lock_path_for(book_path: Path) -> Path:
    return book_path.with_name(book_path.name + ".lock")


class BookLock:
    def __init__(self, book_path: Path) -> None:
        self.path = lock_path_for(book_path)
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 — held while open
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise BookInUseError(
                f"账簿“{self.path.name.removesuffix('.lock')}”已在另一个窗口中打开。"
                "请切换到那个窗口，或先关闭它再打开。"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> BookLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
