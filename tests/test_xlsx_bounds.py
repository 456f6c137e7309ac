"""Spreadsheets that used to explode: a whole-column merge, a stray cell at the last row,
a million rows. Each is read in a fresh process whose peak memory is measured; the
files are made here, by editing the sheet XML (openpyxl itself would build every cell)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from branchdesk.exchange.roster_xlsx import MAX_ROWS
from xlsx_samples import SAMPLE_HEADERS, make_sample_rows, write_rows

LIMIT_MB = 300
LAST_ROW = 1_048_576

# Peak memory of this process alone: VmHWM (ru_maxrss on Linux survives exec, so it
# would report the parent's peak).
PROBE = """
import json, re, resource, sys
from branchdesk.exchange.roster_xlsx import read_roster
report = read_roster(sys.argv[1])
try:
    status = open("/proc/self/status").read()
    peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({
    "members": len(report.members), "errors": [str(e) for e in report.errors[-3:]],
    "rows_read": report.rows_read, "peak_mb": peak,
}))
"""


def rewrite_sheet(path: Path, edit) -> None:
    """Apply ``edit`` to the first worksheet's XML inside the xlsx at ``path``."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(info.filename, data)


def roster_file(tmp_path: Path, name: str, edit=None) -> Path:
    path = tmp_path / name
    write_rows(
        path, SAMPLE_HEADERS, make_sample_rows(20, seed=3), title_rows=["某某党支部党员名册"]
    )
    if edit is not None:
        rewrite_sheet(path, edit)
    return path


def probe(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _dimension(xml: str, ref: str) -> str:
    return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml)


def whole_column_merge(xml: str) -> str:
    xml = _dimension(xml, f"A1:O{LAST_ROW}")
    merge = f'<mergeCell ref="H3:H{LAST_ROW}"/>'
    if "<mergeCells" in xml:
        return re.sub(r'<mergeCells count="(\d+)">', lambda m: f'<mergeCells count="'
                      f'{int(m.group(1)) + 1}">{merge}', xml)  # fmt: skip
    return xml.replace("</sheetData>", f'</sheetData><mergeCells count="1">{merge}</mergeCells>')


def stray_cell(xml: str) -> str:
    xml = _dimension(xml, f"A1:O{LAST_ROW}")
    cell = f'<row r="{LAST_ROW}"><c r="P{LAST_ROW}" t="inlineStr"><is><t>x</t></is></c></row>'
    return xml.replace("</sheetData>", cell + "</sheetData>")


def million_rows(xml: str) -> str:
    rows = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(23, 1_000_023))
    return _dimension(xml, "A1:O1000022").replace("</sheetData>", rows + "</sheetData>")


@pytest.mark.parametrize(
    "name, edit",
    [("merge.xlsx", whole_column_merge), ("stray.xlsx", stray_cell)],
)
def test_far_cells_are_read_quickly_and_in_little_memory(tmp_path, name, edit):
    path = roster_file(tmp_path, name, edit)
    assert path.stat().st_size < 10 * 2**20
    found = probe(path)
    assert found["peak_mb"] < LIMIT_MB, found
    assert found["members"] == 20 and found["rows_read"] == 20, found
    print(f"{name}: {found['peak_mb']:.0f} MB")


def test_a_million_rows_stop_at_the_cap_with_a_message(tmp_path, capsys):
    path = roster_file(tmp_path, "million.xlsx", million_rows)
    assert path.stat().st_size < 10 * 2**20
    found = probe(path)
    assert found["peak_mb"] < LIMIT_MB, found
    assert found["rows_read"] <= MAX_ROWS + 20
    assert f"超过 {MAX_ROWS} 行" in found["errors"][-1]
    print(f"million rows: {found['peak_mb']:.0f} MB")
