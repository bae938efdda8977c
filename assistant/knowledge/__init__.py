"""The assistant's knowledge base: search over published articles and active products
in eight languages (`index.py`), and the demo articles (`demo.py`)."""

from .demo import knowledge_demo_load
from .index import (
    KnowledgeHit,
    knowledge_index_forget,
    knowledge_index_invalidate,
    knowledge_search,
)

__all__ = [
    "KnowledgeHit",
    "knowledge_demo_load",
    "knowledge_index_forget",
    "knowledge_index_invalidate",
    "knowledge_search",
]
