"""档案 in the window: the filing steps, corrections beside filed records, the audit trail,
and the search box (Ctrl+F)."""
