"""Files in and out of the book: spreadsheets and the like. No Qt, no SQLite here."""
