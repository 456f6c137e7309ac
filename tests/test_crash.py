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


KILLS = 200


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX-only")
def test_200_sigkills_lose_no_acknowledged_write(book_path):
    """`make slow`: the same writer killed KILLS times at random points of its stream."""
    import random
    import time

    rng = random.Random(13)
    create_book(book_path, "测试党支部").close(backup=False)
    acked: list[int] = []
    start = 0
    for kill in range(KILLS):
        script = WRITER.replace("i = 0", f"i = {start}")
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(book_path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        for _ in range(rng.randint(1, 40)):
            line = proc.stdout.readline()
            assert line, f"writer stopped early (kill {kill})"
            acked.append(int(line))
        time.sleep(rng.random() / 200)  # land anywhere inside the next transaction
        proc.send_signal(signal.SIGKILL)
        acked += [int(x) for x in proc.stdout.read().split()]
        proc.wait()
        assert proc.returncode == -signal.SIGKILL
        start = max(acked) + 1_000  # names stay unique even for unacknowledged writes
        if kill % 25 == 24:
            book = open_book(book_path)
            try:
                assert book.integrity_problems() == []
            finally:
                book.close(backup=False)
    book = open_book(book_path)
    try:
        assert book.integrity_problems() == []
        names = {m.name for m in book.roster.members()}
        assert [i for i in acked if f"党员{i}" not in names] == []
    finally:
        book.close(backup=False)
