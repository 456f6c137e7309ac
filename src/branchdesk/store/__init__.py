"""The only code that touches SQLite. `open_book` is the way in; `Book` is the facade."""

from branchdesk.store.book import Book, create_book, open_book
from branchdesk.store.errors import (
    BookError,
    BookInUseError,
    BookNotFoundError,
    CorruptBookError,
    FiledError,
    InputError,
    NewerBookError,
    NotABookError,
)

__all__ = [
    "Book",
    "BookError",
    "BookInUseError",
    "BookNotFoundError",
    "CorruptBookError",
    "FiledError",
    "InputError",
    "NewerBookError",
    "NotABookError",
    "create_book",
    "open_book",
]
