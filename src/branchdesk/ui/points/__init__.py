"""积分管理 pages and dialogs."""
