"""积分管理: not built yet; the navigation shows a placeholder page."""

from branchdesk.areas import Area

AREA = Area(key="points", title="积分管理", placeholder="“积分管理”尚未完成，将在后续版本提供。")
