"""django-q2 task entry points: thin wrappers around services."""

from .services.quotes import quotes_expire


def quotes_expire_daily() -> int:
    """Mark quotes past their validity as expired and task their owners."""
    return quotes_expire()
