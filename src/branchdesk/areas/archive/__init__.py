"""档案: not built yet; the navigation shows a placeholder page."""

from branchdesk.areas import Area

AREA = Area(
    key="archive",
    title="档案",
    placeholder="“档案”（年度归档与打印）尚未完成，将在后续版本提供。",
)
