"""The knowledge index in PostgreSQL with pgvector (`ASSISTANT_DOCUMENT_STORE = "pgvector"`).

The documents `index.py` builds (one per item and language, in their search form) are
embedded by `embedding.py` and written with pgvector-haystack's `PgvectorDocumentStore`
into the table `assistant_knowledge_vectors` (created by the store, not by a migration)
of the database `ASSISTANT_PGVECTOR_URL` names, by default the project database. A
question is embedded the same way and `PgvectorEmbeddingRetriever` returns the nearest
documents by cosine similarity (exact search).

Generations: the rows of one state of the knowledge carry `meta.generation`, a digest
of what is written, so every process that reads the same articles and products uses
the same rows, and a search only reads its own generation. A process writes its
generation only if the table does not already hold all of it, under a PostgreSQL
advisory lock (two processes never write at once, and the extension and the table
are created once); it then deletes the other generations written more than
`GRACE_MINUTES` ago, which a process still using one would rewrite (a search that
finds its generation gone writes it again). A writing transaction's own uncommitted
view is written as a `pending-…` generation nobody else reads, and deleted after its
search.

Cosine similarity of lexical embeddings has no natural zero: "asdfghjkl" shares
character n-grams with everything. So a hit also needs evidence: the question's whole
search terms found in the document, each weighted by its IDF over the items (as BM25
does), must add up to `MIN_EVIDENCE_FACTOR` × the weight of a term found in one item
only.

Everything here runs with the knowledge index's lazy import: haystack and the
integration are imported on the first search. `problems()` (for `manage.py check`)
needs psycopg only.
"""

import hashlib
import json
import math
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from typing import Any

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from psycopg.conninfo import conninfo_to_dict, make_conninfo

TABLE = "assistant_knowledge_vectors"
# pg_advisory_lock key: the first 8 bytes of the table name's SHA-256, as a bigint.
LOCK_KEY = int.from_bytes(hashlib.sha256(TABLE.encode()).digest()[:8], "big", signed=True)
GRACE_MINUTES = 5
MIN_EVIDENCE_FACTOR = 0.6
MIN_CANDIDATES = 64  # documents fetched per question, before the evidence filter
CONNECT_TIMEOUT_SECONDS = 5
# libpq keywords Django's OPTIONS may carry for PostgreSQL (the rest are Django's own).
_LIBPQ_OPTIONS = (
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "application_name",
    "options",
    "target_session_attrs",
    "service",
    "passfile",
)

# One store (one connection) per process and connection string; its cursors are shared,
# so every use of a store holds this lock.
_store_lock = threading.RLock()
_stores: dict[str, Any] = {}


class PgvectorUnavailable(ImproperlyConfigured):
    pass


def connection_string() -> str:
    """ASSISTANT_PGVECTOR_URL, or the project database (settings.DATABASES['default'])."""
    url = getattr(settings, "ASSISTANT_PGVECTOR_URL", "")
    if url:
        return url
    database = settings.DATABASES["default"]
    options = database.get("OPTIONS") or {}
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "host": database.get("HOST"),
        "port": str(database.get("PORT") or ""),
        **{key: str(options[key]) for key in _LIBPQ_OPTIONS if options.get(key)},
    }
    return make_conninfo(**{key: value for key, value in params.items() if value})


def _where(conninfo: str) -> str:
    """The database a connection string names, without its password."""
    params = conninfo_to_dict(conninfo)
    host = params.get("host") or "localhost"
    port = params.get("port") or "5432"
    return f"{params.get('dbname') or params.get('user') or '?'} at {host}:{port}"


_ADVICE = (
    "Install pgvector on that server (https://github.com/pgvector/pgvector#installation, e.g. "
    "the postgresql-<version>-pgvector package or the pgvector/pgvector Docker image), or set "
    "ASSISTANT_PGVECTOR_URL to a database that has it (`make run` without DATABASE_URL starts "
    "the embedded pgserver, which bundles it), or use ASSISTANT_DOCUMENT_STORE=memory."
)


def problems() -> list[str]:
    """What keeps the pgvector store from working here, in words an operator can act on."""
    for module in ("pgvector", "haystack_integrations.document_stores.pgvector"):
        try:
            found = find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return [
                "ASSISTANT_DOCUMENT_STORE = 'pgvector' needs the pgvector-haystack package "
                f"(module {module!r} is not installed): `pip install -r requirements.lock`, "
                "or use ASSISTANT_DOCUMENT_STORE=memory."
            ]
    conninfo = connection_string()
    where = _where(conninfo)
    try:
        with psycopg.connect(
            conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
        ) as connection:
            if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
                return []
            available = connection.execute(
                "SELECT bool_or(trusted) FROM pg_available_extension_versions WHERE name = 'vector'"
            ).fetchone()[0]
            if available is None:
                return [
                    "ASSISTANT_DOCUMENT_STORE = 'pgvector': the PostgreSQL database "
                    f"{where} has no 'vector' extension (it is not among "
                    f"pg_available_extensions). {_ADVICE}"
                ]
            may_create = connection.execute(
                "SELECT rolsuper OR (%s AND has_database_privilege(current_database(), 'CREATE'))"
                " FROM pg_roles WHERE rolname = current_user",
                (available,),
            ).fetchone()[0]
            if not may_create:
                return [
                    "ASSISTANT_DOCUMENT_STORE = 'pgvector': the 'vector' extension is available "
                    f"but not created in the database {where}, and this user may not create "
                    "it: run `CREATE EXTENSION vector;` in that database as a superuser."
                ]
    except psycopg.Error as error:
        return [
            f"ASSISTANT_DOCUMENT_STORE = 'pgvector': cannot reach the database {where}: "
            f"{str(error).strip()} (set ASSISTANT_PGVECTOR_URL, or DATABASE_URL)."
        ]
    return []  # created by the first search


@contextmanager
def _locked(conninfo: str) -> Iterator[psycopg.Connection]:
    """A connection holding the knowledge index's advisory lock (released on close)."""
    with psycopg.connect(
        conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
    ) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        yield connection


def _store(conninfo: str):
    """This process's store for `conninfo`: the extension and the table are created once,
    under the lock, by the first process that needs them."""
    store = _stores.get(conninfo)
    if store is not None:
        return store
    from haystack.utils import Secret
    from haystack_integrations.document_stores.pgvector import PgvectorDocumentStore

    from .embedding import DIMENSION

    store = PgvectorDocumentStore(
        connection_string=Secret.from_token(conninfo),
        create_extension=False,  # done below, under the lock, with a clear error
        table_name=TABLE,
        keyword_index_name=f"{TABLE}_keyword",
        language="simple",
        embedding_dimension=DIMENSION,
        vector_function="cosine_similarity",
        search_strategy="exact_nearest_neighbor",
    )
    try:
        with _locked(conninfo) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS vector")
            store.count_documents()  # creates the table and its index if missing
    except psycopg.Error as error:
        raise PgvectorUnavailable(
            " ".join(problems())
            or f"ASSISTANT_DOCUMENT_STORE = 'pgvector': {_where(conninfo)}: {error}"
        ) from error
    _stores[conninfo] = store
    return store


def _generation(rows: list[tuple[str, str, str, str]]) -> str:
    digest = hashlib.sha256()
    for row in sorted(rows):
        digest.update(json.dumps(row, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:32]


def _minute() -> int:
    """Minutes since the epoch: an integer (pgvector-haystack compares floats as `real`)."""
    return int(time.time() // 60)


def _only(generation: str) -> dict:
    return {"field": "meta.generation", "operator": "==", "value": generation}


@dataclass
class VectorIndex:
    """One generation of the knowledge in pgvector, and what this process needs to
    judge its hits: each term's IDF over the items."""

    conninfo: str
    generation: str
    documents: list  # haystack Documents, embedded: rewritten if the rows went missing
    idf: dict[str, float]
    min_evidence: float
    transient: bool
    _retriever: Any = field(default=None, repr=False)

    def write(self) -> None:
        """Write this generation unless the table already holds all of it; then delete
        generations written by others more than GRACE_MINUTES ago."""
        from haystack.document_stores.types import DuplicatePolicy

        with _store_lock:
            store = _store(self.conninfo)
            with _locked(self.conninfo):
                present = store.count_documents_by_filter(_only(self.generation))
                if present != len(self.documents):
                    store.write_documents(self.documents, policy=DuplicatePolicy.OVERWRITE)
                if not self.transient:
                    store.delete_by_filter(
                        {
                            "operator": "AND",
                            "conditions": [
                                {
                                    "field": "meta.generation",
                                    "operator": "!=",
                                    "value": self.generation,
                                },
                                {
                                    "field": "meta.built_minute",
                                    "operator": "<",
                                    "value": _minute() - GRACE_MINUTES,
                                },
                            ],
                        }
                    )

    def discard(self) -> None:
        """Delete a transient generation (a writing transaction's own view)."""
        with _store_lock:
            _store(self.conninfo).delete_by_filter(_only(self.generation))

    def _retrieve(self, embedding: list[float], top_k: int) -> list:
        from haystack_integrations.components.retrievers.pgvector import (
            PgvectorEmbeddingRetriever,
        )

        with _store_lock:
            if self._retriever is None:
                self._retriever = PgvectorEmbeddingRetriever(
                    document_store=_store(self.conninfo), vector_function="cosine_similarity"
                )
            result = self._retriever.run(
                query_embedding=embedding, filters=_only(self.generation), top_k=top_k
            )
        return result["documents"]

    def best(self, searched: str, top_k: int) -> dict[tuple[str, str], float]:
        """Each item's best cosine similarity to the question (in its search form), among
        documents with enough evidence."""
        from .embedding import HashingTextEmbedder

        embedding = HashingTextEmbedder().run(text=searched)["embedding"]
        candidates = max(MIN_CANDIDATES, top_k * len({d.meta["language"] for d in self.documents}))
        documents = self._retrieve(embedding, candidates)
        if not documents and self.documents:  # deleted by a process with newer data
            self.write()
            documents = self._retrieve(embedding, candidates)
        terms = set(searched.split())
        best: dict[tuple[str, str], float] = {}
        for document in documents:
            shared = terms.intersection((document.content or "").split())
            if sum(self.idf.get(term, 0.0) for term in shared) < self.min_evidence:
                continue
            item = (document.meta["kind"], document.meta["key"])
            best[item] = max(best.get(item, 0.0), document.score or 0.0)
        return best


def build(rows: list[tuple[str, str, str, str]], *, transient: bool) -> VectorIndex:
    """The index of `rows` — (kind, key, language, search form) — written to pgvector.
    `transient`: a writing transaction's own view, under a generation of its own."""
    from haystack import Document

    from .embedding import HashingDocumentEmbedder

    conninfo = connection_string()
    generation = f"pending-{uuid.uuid4().hex}" if transient else _generation(rows)
    built_minute = _minute()
    documents = [
        Document(
            id=hashlib.sha256(f"{generation}\0{kind}\0{key}\0{language}".encode()).hexdigest(),
            content=searched,
            meta={
                "generation": generation,
                "kind": kind,
                "key": key,
                "language": language,
                "built_minute": built_minute,
            },
        )
        for kind, key, language, searched in rows
    ]
    documents = HashingDocumentEmbedder().run(documents=documents)["documents"]
    item_terms: dict[tuple[str, str], set[str]] = {}
    for kind, key, _language, searched in rows:
        item_terms.setdefault((kind, key), set()).update(searched.split())
    frequency: dict[str, int] = {}
    for terms in item_terms.values():
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    items = len(item_terms)
    idf = {term: math.log((items + 1) / (count + 0.5)) for term, count in frequency.items()}
    index = VectorIndex(
        conninfo=conninfo,
        generation=generation,
        documents=documents,
        idf=idf,
        min_evidence=MIN_EVIDENCE_FACTOR * math.log((items + 1) / 1.5),
        transient=transient,
    )
    index.write()
    return index
