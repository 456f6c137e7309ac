"""The data folder's log: private (folder 0700, file 0600 on POSIX) and free of personal
data — a failure is logged by its type and where in the code it happened, never by its
message or values, which may hold a name or a 公民身份号码."""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path
from types import TracebackType

LOG_NAME = "branchdesk.log"


def private_log_file(folder: Path) -> Path:
    """Create ``folder``/branchdesk.log readable only by the user, and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    if os.name == "posix":
        os.chmod(folder, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)
    return path


def file_handler(folder: Path) -> logging.FileHandler:
    handler = logging.FileHandler(private_log_file(folder), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def add_file_handler(folder: Path) -> Path:
    """Log everything of this process to the private log in ``folder``."""
    handler = file_handler(folder)
    path = Path(handler.baseFilename)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return path


def describe_failure(
    exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None
) -> str:
    """The exception's type and its stack (file, line, function) — no message, no values."""
    lines = [f"{exc_type.__module__}.{exc_type.__qualname__}"]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
    cause = exc.__cause__ or exc.__context__ if exc is not None else None
    if cause is not None:
        lines.append("caused by " + describe_failure(type(cause), None, cause.__traceback__))
    return "\n".join(lines)
