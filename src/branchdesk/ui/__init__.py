"""PySide6 GUI. Calls the store facade; never imports sqlite3."""
