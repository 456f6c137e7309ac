"""A process killed mid-stream of writes loses nothing it had acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from branchdesk.store import create_book, open_book

WRITER = textwrap.dedent(
    """
    import sys
    from branchdesk.domain.members import Member
    from branchdesk.store import open_book
    book = open_book(sys.argv[1])
    i = 0
    while True:
        book.roster.add(Member(name=f"党员{i}", notes="记录" * 200))
        print(i, flush=True)  # acknowledged: the transaction has committed
        i += 1
    """
)


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX-only")
@pytest.mark.parametrize("acknowledged_before_kill", [1, 150])
def test_sigkill_during_writes_keeps_every_acknowledged_write(book_path, acknowledged_before_kill):
    create_book(book_path, "测试党支部").close(backup=False)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(book_path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    acked: list[int] = []
    assert proc.stdout is not None
    while len(acked) < acknowledged_before_kill:
        line = proc.stdout.readline()
        assert line, "writer stopped early"
        acked.append(int(line))
    proc.send_signal(signal.SIGKILL)
    rest = proc.stdout.read()  # lines written between our last read and the kill
    acked += [int(x) for x in rest.split()]
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    book = open_book(book_path)
    try:
        assert book.integrity_problems() == []
        names = {m.name for m in book.roster.members()}
        missing = [i for i in acked if f"党员{i}" not in names]
        assert missing == []
        assert len(names) >= len(acked)
    finally:
        book.close(backup=False)
