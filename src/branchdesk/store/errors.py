"""Errors the store raises; each message is Chinese and meant for the user."""

from __future__ import annotations


class BookError(Exception):
    """Something about the book file stops us from using it."""


class BookNotFoundError(BookError):
    pass


class NotABookError(BookError):
    pass


class CorruptBookError(BookError):
    pass


class NewerBookError(BookError):
    pass


class BookInUseError(BookError):
    pass


class InputError(ValueError):
    """User input that breaks a rule; the message names the field."""
