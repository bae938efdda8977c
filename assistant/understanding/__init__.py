"""The assistant's understanding layer: language, intent, entities, sentiment and
whether a person should take over, for one buyer message. Pure Python, offline."""

from .core import understand, warm_up
from .types import Item, Understanding

__all__ = ["Item", "Understanding", "understand", "warm_up"]
