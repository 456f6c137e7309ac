"""Plain-Python rules and records. No Qt, no SQLite here."""
