"""Shared by the printing tests (no tests here): reading PDFs back, made-up members, fonts."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from typing import Any

import pytest
from pypdf import PageObject, PdfReader

from branchdesk.areas.roster.demo import (
    _DEMO_EDU,
    _DEMO_PEOPLE,
    _GIVEN,
    _SURNAMES,
    GROUPS,
    make_id_number,
)
from branchdesk.domain.branch import Branch
from branchdesk.domain.members import Category, Member
from branchdesk.printing.fonts import FontSet, resolve_fonts
from branchdesk.printing.page import MM

BRANCH = Branch("市发展改革委机关第二党支部", "中共市发展改革委机关委员会")
ON = dt.date(2025, 12, 1)
STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica",
    "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
    "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats",
}  # fmt: skip


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    """The bundled font only: the same output on every machine."""
    return resolve_fonts(search_system=False)


@dataclass(frozen=True)
class Run:
    """One piece of text as pypdf reports it, with where its baseline starts on the page."""

    text: str
    x: float
    y: float
    size: float
    matrix: tuple[float, float, float, float]  # rotation/scale part of cm × tm
    font: str = ""  # the embedded font's name, subset prefix dropped ("UMingCN-0")

    @property
    def upright(self) -> bool:
        a, b, c, d = self.matrix
        return abs(b) < 1e-6 and abs(c) < 1e-6 and a > 0 and d > 0


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    runs: tuple[Run, ...]

    def texts(self) -> list[str]:
        return [r.text for r in self.runs]

    def find(self, text: str) -> list[Run]:
        return [r for r in self.runs if r.text == text]


def _runs(page: PageObject) -> list[Run]:
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.strip("\n")
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        m = (
            tm[0] * cm[0] + tm[1] * cm[2],
            tm[0] * cm[1] + tm[1] * cm[3],
            tm[2] * cm[0] + tm[3] * cm[2],
            tm[2] * cm[1] + tm[3] * cm[3],
        )
        base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1] if font else ""
        runs.append(Run(text, x, y, size, m, base))

    page.extract_text(visitor_text=visit)
    return runs


def read_pages(pdf: bytes) -> list[Page]:
    """Each page's size and text runs, in the order they are drawn."""
    pages = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        box = page.mediabox
        pages.append(Page(n, float(box.width), float(box.height), tuple(_runs(page))))
    return pages


def page_fonts(page: PageObject) -> list[Any]:
    """The font dictionaries a page's resources name."""
    resources: Any = page.get("/Resources")
    fonts: Any = resources.get_object().get("/Font") if resources is not None else None
    return list(fonts.get_object().values()) if fonts is not None else []


def font_problems(pdf: bytes) -> list[str]:
    """Fonts that are not embedded TrueType subsets (or are standard-14), by name."""
    reader = PdfReader(io.BytesIO(pdf))
    problems = []
    seen = 0
    for page in reader.pages:
        for ref in page_fonts(page):
            font = ref.get_object()
            seen += 1
            base = str(font.get("/BaseFont", "")).lstrip("/")
            subtype = font.get("/Subtype")
            descriptor = font.get("/FontDescriptor")
            if subtype == "/Type0":
                problems.append(f"{base}: CID font")
                continue
            if base.split("+")[-1] in STANDARD_14:
                problems.append(f"{base}: standard 14, not embedded")
                continue
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                problems.append(f"{base}: no /FontFile2")
    if not seen:
        problems.append("no fonts at all")
    return problems


def mm(value: float) -> float:
    return value * MM


def demo_members() -> list[Member]:
    out = []
    for n, (name, gender, eth, birth, join, full, post, grp) in enumerate(_DEMO_PEOPLE):
        b = dt.date.fromisoformat(birth)
        out.append(
            Member(
                name=name, gender=gender, ethnicity=eth, birth_date=b,
                id_number=make_id_number(b, gender, n + 11), education=_DEMO_EDU[n % 6],
                category=Category.FULL if full else Category.PROBATIONARY,
                join_date=dt.date.fromisoformat(join),
                full_date=dt.date.fromisoformat(full) if full else None,
                post=post, group_name=GROUPS[grp], id=n + 1,
            )
        )  # fmt: skip
    return out


def made_up_members(n: int, seed: int = 1) -> list[Member]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        gender = rng.choice("男女")
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 40))
        join = birth + dt.timedelta(days=365 * 20 + rng.randrange(0, 365 * 10))
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2)))
        out.append(
            Member(
                name=name, gender=gender, ethnicity="汉族", birth_date=birth,
                id_number=make_id_number(birth, gender, i), education=rng.choice(_DEMO_EDU),
                category=Category.FULL, join_date=join, full_date=join + dt.timedelta(days=365),
                post=rng.choice(("科员", "一级主任科员", "四级调研员", "处长")),
                group_name=rng.choice(GROUPS), id=1000 + i,
            )
        )  # fmt: skip
    return out
