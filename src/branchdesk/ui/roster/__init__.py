"""党员名册 pages and dialogs."""
