"""Writing what leaves the book (exports, PDFs with ID numbers, JSON of a meeting) so only
the user can read it: 0600 on POSIX whatever the umask, written to a temporary name and
moved into place, so a failure (disk full) never leaves half a file under the real name.
On Windows files under the user's profile are private to the user by its ACL."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: str | os.PathLike[str], data: bytes | str) -> Path:
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
