"""What the assistant may answer from: published knowledge articles and active products,
searched with BM25 over one haystack document store per language (the default,
ASSISTANT_DOCUMENT_STORE = "memory"), or by embedding similarity in PostgreSQL with
pgvector ("pgvector", see `vectors.py`).

Every article and product is one document per language (its translation, or English
where there is none), indexed in its search form (see `text.py`); the text shown to
the buyer is kept in the document's meta. A question is searched in every language's
store, since buyers mix languages ("warranty?" in a Spanish chat), and each item
scores its best match; the hit is shown in the requested language. Per-language stores
keep BM25's word statistics per language: "the" is common among English documents,
not rare in a corpus of eight languages.

The index is built on the first search in a process and kept until a version key in
the cache (Redis) changes. Saving or deleting a product or an article changes it when
the transaction commits; until then, the writing thread searches a fresh index of its
own uncommitted data (not kept), so nothing rolled back lingers. Writes through
`QuerySet.update()` or `bulk_create` send no signals: call `knowledge_index_invalidate()`.
With pgvector the same holds; the documents live in the database instead of the
process, and a process writes them only if no other process has (see `vectors.py`).
"""

import math
import threading
import uuid
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.text import capfirst

from crm.models import Product

from ..models import KnowledgeArticle
from .text import search_terms

if TYPE_CHECKING:  # haystack is imported on the first search, never at start-up
    from haystack.components.retrievers.in_memory import InMemoryBM25Retriever

    from .vectors import VectorIndex

VERSION_KEY = "assistant-knowledge-version"
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
DEFAULT_LANGUAGE = "en"
# A hit must outweigh one word found in a single document of its language (BM25's largest
# IDF, which grows with the number of documents) by this factor. Below it a match is
# incidental: "500" in "I want to order 500 pcs" meets the lead-time example at 1.0, the
# weakest real answers (a lone "UN3480", "образец") score 1.2 and more.
MIN_SCORE_FACTOR = 1.15
STORES = ("memory", "pgvector")

Kind = Literal["article", "product"]


@dataclass(frozen=True)
class KnowledgeHit:
    kind: Kind
    key: str  # article slug or product SKU
    title: str
    text: str  # in the requested language, or English where it is not translated
    link: str
    score: float


@dataclass(frozen=True)
class _Shown:
    title: str
    text: str
    link: str


@dataclass(frozen=True)
class _Index:
    version: str
    retrievers: dict[str, "InMemoryBM25Retriever"]  # by language (memory)
    min_score: float
    shown: dict[tuple[Kind, str, str], _Shown]  # by (kind, key, language)
    vectors: "VectorIndex | None" = None  # pgvector


_lock = threading.Lock()
_index: _Index | None = None
_local = threading.local()  # .pending: this thread's open transaction changed the knowledge


def document_store_kind() -> str:
    """The configured document store, or ImproperlyConfigured with what to do instead."""
    kind = getattr(settings, "ASSISTANT_DOCUMENT_STORE", "memory")
    if kind in STORES:
        return kind
    raise ImproperlyConfigured(
        f"ASSISTANT_DOCUMENT_STORE = {kind!r} is not a document store Portolan knows; "
        f"use one of {', '.join(repr(name) for name in STORES)}."
    )


def check_document_store(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check` reports a wrong ASSISTANT_DOCUMENT_STORE before a buyer does."""
    try:
        kind = document_store_kind()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="assistant.E001")]
    if kind == "pgvector":  # the package, the database and its 'vector' extension
        from .vectors import problems

        return [checks.Error(problem, id="assistant.E001") for problem in problems()]
    return []


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _product_facts(product: Product) -> str:
    """SKU, MOQ, HS code, certifications and packing, labelled in the active language."""

    def label(field: str) -> str:
        return capfirst(str(Product._meta.get_field(field).verbose_name))

    facts = [
        f"{label('sku')}: {product.sku}",
        f"{label('moq')}: {product.moq} {product.unit}",
    ]
    if product.hs_code:
        facts.append(f"{label('hs_code')}: {product.hs_code}")
    if product.certifications:
        facts.append(f"{label('certifications')}: {', '.join(product.certifications)}")
    if product.dangerous_goods:
        facts.append(f"{label('dangerous_goods')}: {product.dangerous_goods}")
    facts.append(f"{label('carton_units')}: {product.carton_units} {product.unit}")
    facts.append(f"{label('carton_gross_kg')}: {_decimal(product.carton_gross_kg)}")
    facts.append(f"{label('carton_cbm')}: {_decimal(product.carton_cbm)}")
    return " · ".join(facts)


def _translated(instance, field: str, language: str) -> str:
    return getattr(instance, f"{field}_{language.replace('-', '_')}") or ""


def _documents():
    """(kind, key, language, what is shown, what is searched) for everything answerable."""
    for article in KnowledgeArticle.objects.filter(is_published=True):
        for language in LANGUAGE_CODES:
            title = _translated(article, "title", language) or article.title_en or article.slug
            body = _translated(article, "body", language) or article.body_en or ""
            with translation.override(language):
                topic = str(article.get_topic_display())
            shown = _Shown(title=title, text=body, link=article.link)
            # the title twice: its words say what the article is about
            yield "article", article.slug, language, shown, " ".join((title, title, topic, body))
    for product in Product.objects.filter(active=True):
        for language in LANGUAGE_CODES:
            name = _translated(product, "name", language) or product.name_en or product.sku
            description = (
                _translated(product, "description", language) or product.description_en or ""
            )
            with translation.override(language):
                facts = _product_facts(product)
                category = str(product.get_category_display())
            text = "\n".join(part for part in (description, facts) if part)
            shown = _Shown(title=name, text=text, link="")
            # values, not labels: every product has a "certifications" label
            values = (product.sku, product.hs_code, product.dangerous_goods, product.unit)
            searched = " ".join(
                (name, name, category, description, *values, *product.certifications)
            )
            yield "product", product.sku, language, shown, searched


def _build_vectors(version: str) -> _Index:
    from .vectors import build

    shown: dict[tuple[Kind, str, str], _Shown] = {}
    rows = []
    for kind, key, language, display, searched in _documents():
        shown[(kind, key, language)] = display
        rows.append((kind, key, language, " ".join(search_terms(searched))))
    # version "": a writing transaction's own view, searched once and then discarded
    vectors = build(rows, transient=not version)
    # the evidence test in `vectors.py` is the bar; any similarity above it counts
    return _Index(version=version, retrievers={}, shown=shown, min_score=0.0, vectors=vectors)


def _build(version: str) -> _Index:
    if document_store_kind() == "pgvector":
        return _build_vectors(version)

    from haystack import Document
    from haystack.components.retrievers.in_memory import InMemoryBM25Retriever
    from haystack.document_stores.in_memory import InMemoryDocumentStore

    by_language: dict[str, list[Document]] = {language: [] for language in LANGUAGE_CODES}
    shown: dict[tuple[Kind, str, str], _Shown] = {}
    for kind, key, language, display, searched in _documents():
        shown[(kind, key, language)] = display
        by_language[language].append(
            Document(
                id=f"{kind}:{key}:{language}",
                content=" ".join(search_terms(searched)),
                meta={"kind": kind, "key": key, "language": language, **asdict(display)},
            )
        )
    retrievers = {}
    for language, documents in by_language.items():
        # The content is already tokenized: split on whitespace only.
        store = InMemoryDocumentStore(bm25_tokenization_regex=r"\S+", shared=False)
        store.write_documents(documents)
        retrievers[language] = InMemoryBM25Retriever(document_store=store)
    items = len(by_language[DEFAULT_LANGUAGE])  # every language has every item
    min_score = MIN_SCORE_FACTOR * math.log((items + 1) / 1.5)
    return _Index(version=version, retrievers=retrievers, shown=shown, min_score=min_score)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _current_index() -> _Index:
    global _index
    if getattr(_local, "pending", False):
        if transaction.get_connection().in_atomic_block:
            return _build(version="")
        _local.pending = False  # that transaction was rolled back
    version = _version()
    index = _index
    if index is not None and index.version == version:
        return index
    with _lock:
        if _index is None or _index.version != version:
            _index = _build(version)
        return _index


def _language(code: str) -> str:
    code = (code or "").lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    if code in LANGUAGE_CODES:
        return code
    return code[:2] if code[:2] in LANGUAGE_CODES else DEFAULT_LANGUAGE


def knowledge_search(query: str, *, language: str, top_k: int = 3) -> list[KnowledgeHit]:
    """The articles and products that best answer `query`, best first, shown in `language`
    (a Django code; English where an item is not translated). [] when nothing matches."""
    terms = search_terms(query)
    if not terms or top_k < 1:
        return []
    index = _current_index()
    searched = " ".join(terms)
    best: dict[tuple[Kind, str], float] = {}
    if index.vectors is not None:
        try:
            best = index.vectors.best(searched, top_k)
        finally:
            if index.vectors.transient:
                index.vectors.discard()
    for retriever in index.retrievers.values():
        for document in retriever.run(query=searched, top_k=top_k)["documents"]:
            item = (document.meta["kind"], document.meta["key"])
            best[item] = max(best.get(item, 0.0), document.score or 0.0)
    ranked = sorted(best.items(), key=lambda entry: (-entry[1], entry[0]))
    language = _language(language)
    hits = []
    for (kind, key), score in ranked[:top_k]:
        if score < index.min_score:
            break
        shown = index.shown[(kind, key, language)]
        hits.append(
            KnowledgeHit(
                kind=kind, key=key, title=shown.title, text=shown.text, link=shown.link, score=score
            )
        )
    return hits


def _committed() -> None:
    global _index
    _local.pending = False
    _index = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def knowledge_index_invalidate() -> None:
    """Make every process rebuild the index when the current transaction commits (at once
    outside a transaction); this thread sees its own changes meanwhile."""
    _local.pending = True
    transaction.on_commit(_committed)


def knowledge_index_forget() -> None:
    """Drop this process's index (tests start each case from the database)."""
    global _index
    _index = None
    _local.pending = False


def _on_change(sender, **kwargs) -> None:
    knowledge_index_invalidate()


KNOWLEDGE_MODELS = (Product, KnowledgeArticle)


def connect_invalidation() -> None:
    for model in KNOWLEDGE_MODELS:
        name = model.__name__
        post_save.connect(_on_change, sender=model, dispatch_uid=f"knowledge-save-{name}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"knowledge-delete-{name}")
