"""Build resources/strokes/strokes.tsv, the table behind 姓氏笔画 sorting.

Output: one line per CJK ideograph, ``<char>\\t<total strokes>\\t<first stroke>``, in code-point
order. The first stroke is 1 横 (incl. 提), 2 竖, 3 撇, 4 点 (incl. 捺), 5 折 (every stroke with a
turn or hook, 竖钩 included, as in 《GB13000.1字符集汉字折笔规范》); it is empty where the source
has no stroke order for the character.

Sources (obtained through the ordinary package clients only):

* Total strokes: Unihan ``kTotalStrokes`` (first value, the zh-Hans one, where two are given),
  from Debian's ``unicode-data`` package (``apt-get install -y unicode-data``), which ships
  ``/usr/share/unicode/Unihan_IRGSources.txt.bz2``. Unicode License v3.
* First stroke: the stroke-order tables inside the npm packages ``cnchar-order`` (simplified
  characters) and ``cnchar-trad`` (traditional characters), both MIT, version pinned below.
  Only their data is read (the JSON literals in the published bundles); none of their code is
  used or copied.

Kept: CJK Unified Ideographs (U+4E00–U+9FFF), Extension A, Extension B and the CJK
Compatibility Ideographs block, wherever Unihan gives a stroke count.

Run from the repository root (needs ``npm`` on PATH unless ``--cnchar-dir`` is given):

    apt-get install -y unicode-data          # if /usr/share/unicode has no Unihan files
    .venv/bin/python tools/build_strokes.py            # writes resources/strokes/strokes.tsv
    .venv/bin/python tools/build_strokes.py --check    # exit 1 if the committed table is stale

``--cnchar-dir DIR`` reads the packages from ``DIR/node_modules/<name>`` or ``DIR/<name>``
(e.g. after ``npm install --no-save cnchar-order@3.2.6 cnchar-trad@3.2.6`` in DIR) instead of
fetching them with ``npm pack`` into a temporary folder.
"""

from __future__ import annotations

import argparse
import bz2
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "resources" / "strokes" / "strokes.tsv"
DEFAULT_UNIHAN = Path("/usr/share/unicode")

CNCHAR_VERSION = "3.2.6"
CNCHAR_PACKAGES = {"cnchar-order": "cnchar.order.min.js", "cnchar-trad": "cnchar.trad.min.js"}

# Code-point ranges kept in the table.
RANGES = (
    (0x3400, 0x4DBF),  # Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x2A6DF),  # Extension B
)

# cnchar names each stroke letter and says whether it is a 平笔 (no turn) or a 折笔.
# Every 折笔 is class 5; the 平笔 are mapped by name here, and an unknown name stops the build.
FLAT_CLASSES = {"横": 1, "提": 1, "竖": 2, "撇": 3, "点": 4, "点2": 4, "捺": 4}
FOLD_TYPE = "折笔"
FLAT_TYPE = "平笔"

_JSON_LITERAL = re.compile(r"JSON\.parse\('((?:[^'\\]|\\.)*)'\)")
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _in_ranges(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in RANGES)


# --- Unihan ---------------------------------------------------------------------------------


def _unihan_file(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("Unihan_IRGSources.txt", "Unihan_IRGSources.txt.bz2"):
        if (path / name).is_file():
            return path / name
    raise SystemExit(
        f"No Unihan_IRGSources.txt(.bz2) in {path}: install Debian's unicode-data package "
        "or pass --unihan"
    )


def read_total_strokes(path: Path) -> dict[int, int]:
    """Code point -> kTotalStrokes (the first, zh-Hans value where two are given)."""
    source = _unihan_file(path)
    opener = bz2.open if source.suffix == ".bz2" else open
    strokes: dict[int, int] = {}
    with opener(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\tkTotalStrokes\t" not in line:
                continue
            code, _field, value = line.rstrip("\n").split("\t")
            strokes[int(code[2:], 16)] = int(value.split()[0])
    if not strokes:
        raise SystemExit(f"{source} has no kTotalStrokes entries")
    return strokes


# --- cnchar data ----------------------------------------------------------------------------


def _js_unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        esc = m.group(1)
        if esc[0] in "ux" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _SIMPLE_ESCAPES.get(esc, esc)

    return _JS_ESCAPE.sub(repl, text)


def json_literals(bundle: Path) -> list[object]:
    """The values of every ``JSON.parse('…')`` literal in a published bundle (data only)."""
    text = bundle.read_text(encoding="utf-8")
    return [json.loads(_js_unescape(m.group(1))) for m in _JSON_LITERAL.finditer(text)]


def stroke_letter_classes(literals: Iterable[object]) -> dict[str, int]:
    """cnchar's stroke-letter table turned into letter -> 1..5."""
    for value in literals:
        if (
            isinstance(value, dict)
            and value
            and all(isinstance(v, dict) and "type" in v and "name" in v for v in value.values())
        ):
            classes: dict[str, int] = {}
            for letter, info in value.items():
                if info["type"] == FOLD_TYPE:
                    classes[letter] = 5
                elif info["type"] == FLAT_TYPE and info["name"] in FLAT_CLASSES:
                    classes[letter] = FLAT_CLASSES[info["name"]]
                else:
                    raise SystemExit(f"cnchar stroke letter {letter!r} is unknown: {info}")
            return classes
    raise SystemExit("cnchar-order: stroke-letter table not found")


def stroke_orders(literals: Iterable[object], letters: str) -> dict[str, str]:
    """The largest ``{char: 'jjfj', …}`` table among the literals."""
    pattern = re.compile(f"[{re.escape(letters)}]+")
    best: dict[str, str] = {}
    for value in literals:
        if (
            isinstance(value, dict)
            and len(value) > len(best)
            and all(
                isinstance(k, str) and len(k) == 1 and isinstance(v, str) and pattern.fullmatch(v)
                for k, v in value.items()
            )
        ):
            best = value
    if len(best) < 1000:
        raise SystemExit("stroke-order table not found in the cnchar bundle")
    return best


def _bundle_from_dir(root: Path, package: str) -> Path | None:
    for base in (root / "node_modules" / package, root / package, root / package / "package"):
        candidate = base / CNCHAR_PACKAGES[package]
        if candidate.is_file():
            return candidate
    return None


def fetch_bundles(cnchar_dir: Path | None, workdir: Path) -> dict[str, Path]:
    bundles: dict[str, Path] = {}
    for package, filename in CNCHAR_PACKAGES.items():
        if cnchar_dir is not None:
            found = _bundle_from_dir(cnchar_dir, package)
            if found is None:
                raise SystemExit(f"{package} not found under {cnchar_dir}")
            bundles[package] = found
            continue
        spec = f"{package}@{CNCHAR_VERSION}"
        out = subprocess.run(
            ["npm", "pack", "--silent", spec],
            cwd=workdir,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        tarball = workdir / out[-1]
        target = workdir / f"{package}.js"
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(f"package/{filename}")
            if member is None:
                raise SystemExit(f"{spec} has no {filename}")
            target.write_bytes(member.read())
        bundles[package] = target
    return bundles


def read_first_strokes(bundles: dict[str, Path]) -> dict[str, int]:
    """Char -> first-stroke class; simplified table first, traditional fills the gaps."""
    order_literals = json_literals(bundles["cnchar-order"])
    classes = stroke_letter_classes(order_literals)
    letters = "".join(classes)
    first: dict[str, int] = {}
    for package in ("cnchar-order", "cnchar-trad"):
        literals = order_literals if package == "cnchar-order" else json_literals(bundles[package])
        for char, strokes in stroke_orders(literals, letters).items():
            first.setdefault(char, classes[strokes[0]])
    return first


# --- output ---------------------------------------------------------------------------------


def build_table(total: dict[int, int], first: dict[str, int]) -> str:
    lines = []
    for cp in sorted(total):
        if not _in_ranges(cp):
            continue
        char = chr(cp)
        fs = first.get(char)
        lines.append(f"{char}\t{total[cp]}\t{fs if fs is not None else ''}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unihan", type=Path, default=DEFAULT_UNIHAN)
    parser.add_argument("--cnchar-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args(argv)

    total = read_total_strokes(args.unihan)
    with tempfile.TemporaryDirectory() as tmp:
        first = read_first_strokes(fetch_bundles(args.cnchar_dir, Path(tmp)))
    table = build_table(total, first)

    rows = table.count("\n")
    with_first = sum(1 for line in table.splitlines() if not line.endswith("\t"))
    outside = "".join(sorted(c for c in first if not _in_ranges(ord(c)) or ord(c) not in total))
    print(
        f"{rows} characters with stroke counts, {with_first} with a first stroke "
        f"(cnchar has {len(first)}; not in the table: {outside or 'none'})",
        file=sys.stderr,
    )
    data = table.encode("utf-8")
    if args.check:
        current = args.out.read_bytes() if args.out.is_file() else b""
        if current != data:
            print(f"{args.out} is out of date", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date", file=sys.stderr)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
