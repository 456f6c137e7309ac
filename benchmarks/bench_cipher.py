"""账簿密码: what a password costs. Opening the demo book plain and encrypted (each
encrypted connection runs SQLCipher's PBKDF2-HMAC-SHA512 with 256,000 iterations — the
price of the key derivation, by design), the password check, reading the roster, a backup,
and setting the password (backup + sqlcipher_export + verify + swap).

No target in the issue; the figures say what the user waits for. Baseline: opening the same
book without a password.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_cipher.py
"""

from __future__ import annotations

import time
from pathlib import Path

from _common import Result, main, temp_dir

PASSWORD = "benchmark-password"


def run(quick: bool = False) -> Result:
    from branchdesk.demo import create_demo_book
    from branchdesk.store import cipher, open_book
    from branchdesk.store.connection import forget_all_keys

    reps = 3 if quick else 9
    clock = time.perf_counter
    result = Result("账簿密码 (SQLCipher), demo book")
    if not cipher.available():
        result.notes.append("sqlcipher3 is not installed: nothing to measure.")
        return result.finish()
    with temp_dir("cipher") as tmp:
        plain = Path(tmp) / "plain.db"
        create_demo_book(plain).close(backup=False)
        enc = Path(tmp) / "enc.db"
        book = create_demo_book(enc)
        t0 = clock()
        cipher.set_password(book, PASSWORD)
        set_time = clock() - t0
        book.close(backup=False)
        base = "baseline: open + close the plain book"
        t: dict[str, list[float]] = {base: [], "open + close the encrypted book": [],
                                     "unlock (password check)": [],
                                     "roster of the encrypted book": [],
                                     "backup of the encrypted book": []}  # fmt: skip
        for _ in range(reps):
            t0 = clock()
            open_book(plain).close(backup=False)
            t[base].append(clock() - t0)
            forget_all_keys()
            t0 = clock()
            cipher.unlock(enc, PASSWORD)
            t["unlock (password check)"].append(clock() - t0)
            t0 = clock()
            b = open_book(enc)
            b.close(backup=False)
            t["open + close the encrypted book"].append(clock() - t0)
        b = open_book(enc)
        for _ in range(reps):
            t0 = clock()
            b.roster.members()
            t["roster of the encrypted book"].append(clock() - t0)
        for _ in range(min(reps, 3)):
            t0 = clock()
            b.backup("manual")
            t["backup of the encrypted book"].append(clock() - t0)
        b.close(backup=False)
        for case, samples in t.items():
            result.add(case, samples, baseline=None if case == base else base)
        result.add("set the password (backup, export, verify, swap)", [set_time])
        result.notes.append(f"book file {enc.stat().st_size // 1024} KiB")
    return result.finish()


if __name__ == "__main__":
    main(run)
