"""谈心谈话: not built yet; the navigation shows a placeholder page."""

from branchdesk.areas import Area

AREA = Area(key="talks", title="谈心谈话", placeholder="“谈心谈话”尚未完成，将在后续版本提供。")
