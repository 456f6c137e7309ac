"""Building the search index on a worker is not taken for another program's write: its
commits change no record, so no page is read again and no "账簿内容已更新" is shown for it
(the 年度落实情况 page of a 5,000-member branch held the window 100–230 ms when it was).
What someone else committed meanwhile is still announced."""

from __future__ import annotations

import sqlite3

import pytest

from branchdesk.store.changes import EVERYTHING


def _changes(book) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    book.changes.subscribe(lambda change: seen.append(change.area))
    return seen


def _stale_index(book) -> None:  # type: ignore[no-untyped-def]
    """The book's index to be built afresh (as on a book's first opening): the next run
    writes every source's rows."""
    from branchdesk.areas import opened

    opened(book)  # as the window does: the audited tables the index follows
    book.search.indexer()()
    conn = sqlite3.connect(book.path, timeout=10)
    conn.execute("DELETE FROM search_state")
    conn.commit()
    conn.close()
    assert book.poll_external() is True  # (that write announced, before the test looks)


def _run_indexer(book, meanwhile=None) -> None:  # type: ignore[no-untyped-def]
    """As keep_search_index does, with the worker's part run here: ``meanwhile`` runs
    while the index is written (between its commits)."""
    import branchdesk.store.search as search

    repo = book.search
    index = repo.indexer()
    assert index is not None
    book.poll_external()
    repo.indexing = True
    maintain = search.maintain

    def maintain_and(conn):  # type: ignore[no-untyped-def]
        result = maintain(conn)
        assert book.poll_external() is False  # the window's poll timer firing meanwhile
        if meanwhile is not None:
            meanwhile()
        return result

    search.maintain = maintain_and
    try:
        index()
    finally:
        search.maintain = maintain
        repo.indexing = False
    book.index_done()


def test_the_index_build_alone_announces_nothing(demo_book) -> None:  # type: ignore[no-untyped-def]
    _stale_index(demo_book)
    seen = _changes(demo_book)
    version = demo_book._data_version()
    _run_indexer(demo_book)
    assert demo_book._data_version() != version  # written, by another connection
    assert seen == []
    assert demo_book.poll_external() is False  # nor later, as another program's write
    assert demo_book.search.meetings("党员")  # and the index is there to search


@pytest.mark.parametrize("when", ["before", "meanwhile"])
def test_another_programs_write_around_the_index_build_is_announced(
    demo_book,
    when: str,  # type: ignore[no-untyped-def]
) -> None:
    _stale_index(demo_book)
    seen = _changes(demo_book)

    def other_program() -> None:
        conn = sqlite3.connect(demo_book.path, timeout=10)
        conn.execute("UPDATE meta SET value = '检查人甲' WHERE key = 'setting.archive.checker'")
        conn.commit()
        conn.close()

    if when == "before":
        other_program()
        _run_indexer(demo_book)
    else:
        _run_indexer(demo_book, meanwhile=other_program)
    assert seen == [EVERYTHING]
    assert demo_book.poll_external() is False  # announced once
