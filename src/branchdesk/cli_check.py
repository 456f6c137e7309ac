"""branchdesk-cli check [--repair]: is the book whole, what exactly is damaged, and the
repair. Checking only reads: it never upgrades, creates or changes a file."""

from __future__ import annotations

import sys
from pathlib import Path


def check_command(path: Path, repair: bool) -> int:
    from branchdesk.store import CorruptBookError, open_book
    from branchdesk.store.book import inspect_book
    from branchdesk.store.repair import damage_in_file

    try:
        inspection = inspect_book(path)
    except CorruptBookError as exc:
        # quick_check failed at the door; say where, then offer the repair.
        print(f"错误：{exc}", file=sys.stderr)
        return _damaged(path, damage_in_file(path), repair)
    damage = damage_in_file(path)
    if damage:
        return _damaged(path, damage, repair)
    book = open_book(path, read_only=True, upgrade=False)
    try:
        name = book.branch.profile().name
        count = book.roster.count()
        # The points ledger keeps per-quarter sums; they must agree with the entries.
        sums = [] if "0004_points" in inspection.pending else book.points.sum_problems()
    finally:
        book.close(backup=False)
    if sums:
        print("账簿检查发现问题：", file=sys.stderr)
        for problem in sums:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"账簿完好：{path}（{name}，{count} 人）")
    if inspection.pending:
        print(
            f"提示：账簿来自旧版本，下次打开时会先备份，再升级（{'、'.join(inspection.pending)}）。"
        )
    return 0


def _damaged(path: Path, damage: list, repair: bool) -> int:
    print("账簿检查发现问题：", file=sys.stderr)
    for item in damage:
        print(f"  {item}", file=sys.stderr)
    if not repair:
        if damage and all(d.kind == "index" for d in damage):
            hint = "只有索引受损，记录本身完好，可以重建索引修复"
        else:
            hint = "将把能读出的记录重建到一个新文件，检查无误后可用 restore 恢复"
        print(
            f"修复：运行 branchdesk-cli --data {path} check --repair"
            f"（{hint}；修复前先自动保存一份副本）。也可以用 restore 从备份恢复。",
            file=sys.stderr,
        )
        return 1
    from branchdesk.store.lock import BookLock
    from branchdesk.store.repair import repair as run_repair

    with BookLock(path):
        result = run_repair(path)
    print(f"修复前的账簿已保存到：{result.kept}")
    if result.rebuilt is None:
        print(f"已重建索引（{'、'.join(result.reindexed)}），账簿已修复并通过完整检查。")
        return 0
    if result.remaining:
        print(f"已重建到 {result.rebuilt}，但仍有问题：", file=sys.stderr)
        for item in result.remaining:
            print(f"  {item}", file=sys.stderr)
        print("请从备份恢复。", file=sys.stderr)
        return 1
    print(
        f"已把能读出的记录重建到 {result.rebuilt}，并通过完整检查。请核对后用 "
        f"branchdesk-cli --data {path} restore {result.rebuilt} 恢复（当前账簿会先备份）。"
    )
    return 0
