"""A rule set (积分细则) as a plain JSON object, and back — the shipped templates, the
`points scheme import/export` files and what the book stores are all this one shape.

```
{"period": "季度" | "年度", "base": 80, "floor": 0 | null, "ceiling": 100 | null,
 "annual": "平均" | "合计", "additions_cap": 20 | null,
 "scored": {"在职正式党员": true, "预备党员": true, "离退休": false, "流动党员": false},
 "bands": [{"name": "优秀", "min": 90}, …, {"name": "不合格", "min": null}],
 "items": [{"name": "…", "category": "基础" | "加分" | "扣分" | "一票否决",
            "points": -5, "cap": null, "veto_cap": null,
            "auto": {"types": ["支部党员大会", …], "出席": 1, "请假": -0.5, "无故缺席": -5}}]}
```
Points are written as numbers with at most one decimal. In ``auto.types`` the word
"三会一课" stands for 支部党员大会, 支委会, 党小组会 and 党课. Decoding lists every problem
with its place and returns no rule set unless all is well.
"""

from __future__ import annotations

from typing import Any

from branchdesk.domain.meetings import AttendanceStatus, MeetingType
from branchdesk.domain.points import (
    THREE_MEETINGS,
    Annual,
    AutoSource,
    Band,
    Item,
    ItemCategory,
    PeriodKind,
    RuleSet,
    Scored,
    format_points,
    parse_points,
    points_number,
)

SCORED_KEYS = ("在职正式党员", "预备党员", "离退休", "流动党员")
AUTO_KEYS = {
    AttendanceStatus.PRESENT.value: "present",
    AttendanceStatus.LEAVE.value: "leave",
    "无故缺席": "absent",
}


class RulesError(ValueError):
    """Every problem of a rule-set object, each with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


def _types(value: Any, place: str, problems: list[str]) -> frozenset[MeetingType]:
    if not isinstance(value, list) or not value:
        problems.append(f"{place}：应为会议类型的列表")
        return frozenset()
    out: set[MeetingType] = set()
    for t in value:
        if t == "三会一课":
            out.update(THREE_MEETINGS)
            continue
        try:
            out.add(MeetingType(t))
        except ValueError:
            problems.append(f"{place}：没有“{t}”这种会议类型")
    return frozenset(out)


def _points(value: Any, place: str, problems: list[str], *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    try:
        return parse_points(value)
    except ValueError as exc:
        problems.append(f"{place}：{exc}")
        return None


def rules_from_dict(data: Any) -> RuleSet:
    """Decode a rule-set object; raises RulesError listing every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RulesError(["积分细则应为一个 JSON 对象"])
    period = annual = None
    try:
        period = PeriodKind(str(data.get("period")))
    except ValueError:
        problems.append(f"period：应为“季度”或“年度”，不是“{data.get('period')}”")
    try:
        annual = Annual(data.get("annual", Annual.SUM.value))
    except ValueError:
        problems.append(f"annual：应为“合计”或“平均”，不是“{data.get('annual')}”")
    base = _points(data.get("base"), "base", problems)
    floor = _points(data.get("floor"), "floor", problems, optional=True)
    ceiling = _points(data.get("ceiling"), "ceiling", problems, optional=True)
    additions_cap = _points(data.get("additions_cap"), "additions_cap", problems, optional=True)
    if floor is not None and ceiling is not None and floor > ceiling:
        problems.append("floor：高于 ceiling")
    scored_data = data.get("scored", {})
    if not isinstance(scored_data, dict):
        problems.append('scored：应为对象，如 {"在职正式党员": true, …}')
        scored_data = {}
    for key, value in scored_data.items():
        if key not in SCORED_KEYS:
            problems.append(f"scored.{key}：应为 {'、'.join(SCORED_KEYS)} 之一")
        elif not isinstance(value, bool):
            problems.append(f"scored.{key}：应为 true 或 false")
    flags = [bool(scored_data.get(k, k in SCORED_KEYS[:2])) for k in SCORED_KEYS]
    scored = Scored(*flags)
    bands: list[Band] = []
    raw_bands = data.get("bands")
    if not isinstance(raw_bands, list) or not raw_bands:
        problems.append('bands：应为等次的列表，如 [{"name": "优秀", "min": 90}, …]')
        raw_bands = []
    for n, b in enumerate(raw_bands, start=1):
        place = f"bands 第{n}项"
        if not isinstance(b, dict) or not str(b.get("name", "")).strip():
            problems.append(f"{place}：应有 name")
            continue
        minimum = _points(b.get("min"), f"{place}.min", problems, optional=True)
        if minimum is None and n != len(raw_bands):
            problems.append(f"{place}：只有最后一个等次可以不设最低分")
        previous = bands[-1].minimum if bands else None
        if minimum is not None and previous is not None and minimum >= previous:
            problems.append(f"{place}：最低分应低于上一等次")
        bands.append(Band(str(b["name"]).strip(), minimum))
    items: list[Item] = []
    raw_items = data.get("items")
    if not isinstance(raw_items, list):
        problems.append("items：应为积分项目的列表")
        raw_items = []
    seen: set[str] = set()
    for n, it in enumerate(raw_items, start=1):
        place = f"items 第{n}项"
        if not isinstance(it, dict):
            problems.append(f"{place}：应为对象")
            continue
        name = str(it.get("name", "")).strip()
        if name:
            place += f"（{name}）"
        else:
            problems.append(f"{place}：name 不能为空")
        if name in seen:
            problems.append(f"{place}：与前面的项目重名")
        seen.add(name)
        try:
            category = ItemCategory(str(it.get("category")))
        except ValueError:
            problems.append(f"{place}.category：应为 基础/加分/扣分/一票否决 之一")
            continue
        points = _points(it.get("points"), f"{place}.points", problems)
        if points is not None:
            if category == ItemCategory.ADD and points < 0:
                problems.append(f"{place}.points：加分项目的分值应为正数")
            if category == ItemCategory.DEDUCT and points > 0:
                problems.append(f"{place}.points：扣分项目的分值应为负数")
        cap = _points(it.get("cap"), f"{place}.cap", problems, optional=True)
        if cap is not None and cap < 0:
            problems.append(f"{place}.cap：上限应为正数")
        veto_cap = _points(it.get("veto_cap"), f"{place}.veto_cap", problems, optional=True)
        auto = None
        raw_auto = it.get("auto")
        if raw_auto is not None:
            if not isinstance(raw_auto, dict):
                problems.append(f"{place}.auto：应为对象")
            else:
                types = _types(raw_auto.get("types"), f"{place}.auto.types", problems)
                values: dict[str, int | None] = {}
                for key, attr in AUTO_KEYS.items():
                    values[attr] = _points(
                        raw_auto.get(key), f"{place}.auto.{key}", problems, optional=True
                    )
                for key in raw_auto:
                    if key != "types" and key not in AUTO_KEYS:
                        problems.append(f"{place}.auto.{key}：应为 出席/请假/无故缺席 之一")
                auto = AutoSource(types, **values)
        items.append(Item(name, category, points or 0, cap, auto, veto_cap))
    if problems:
        raise RulesError(problems)
    assert period is not None and annual is not None and base is not None
    return RuleSet(
        period=period,
        base=base,
        items=tuple(items),
        bands=tuple(bands),
        scored=scored,
        floor=floor,
        ceiling=ceiling,
        annual=annual,
        additions_cap=additions_cap,
        name=str(data.get("name", "")),
    )


def _number(tenths: int | None) -> int | float | None:
    return points_number(tenths)


def rules_to_dict(rules: RuleSet) -> dict[str, Any]:
    """The object `rules_from_dict` reads back to an equal rule set."""
    items = []
    for it in rules.items:
        row: dict[str, Any] = {
            "name": it.name,
            "category": it.category.value,
            "points": _number(it.points),
        }
        if it.cap is not None:
            row["cap"] = _number(it.cap)
        if it.veto_cap is not None:
            row["veto_cap"] = _number(it.veto_cap)
        if it.auto is not None:
            auto: dict[str, Any] = {"types": [t.value for t in MeetingType if t in it.auto.types]}
            for key, attr in AUTO_KEYS.items():
                value = getattr(it.auto, attr)
                if value is not None:
                    auto[key] = _number(value)
            row["auto"] = auto
        items.append(row)
    return {
        "name": rules.name,
        "period": rules.period.value,
        "base": _number(rules.base),
        "floor": _number(rules.floor),
        "ceiling": _number(rules.ceiling),
        "annual": rules.annual.value,
        "additions_cap": _number(rules.additions_cap),
        "scored": dict(
            zip(
                SCORED_KEYS,
                (
                    rules.scored.full,
                    rules.scored.probationary,
                    rules.scored.retired,
                    rules.scored.mobile,
                ),
                strict=True,
            )
        ),  # fmt: skip
        "bands": [{"name": b.name, "min": _number(b.minimum)} for b in rules.bands],
        "items": items,
    }


def describe_item(item: Item) -> str:
    """One line for the README / the GUI: "缺席（扣分）：请假 -0.5，无故缺席 -5（自动）"."""
    text = f"{item.name}（{item.category.value}）"
    if item.auto is not None:
        parts = [
            f"{key} {format_points(getattr(item.auto, attr))}"
            for key, attr in AUTO_KEYS.items()
            if getattr(item.auto, attr) is not None
        ]
        return text + "：" + "，".join(parts) + "（自动）"
    text += f"：{format_points(item.points)}"
    if item.cap is not None:
        text += f"，每期至多 {format_points(item.cap)}"
    return text
