"""The knowledge index in PostgreSQL with pgvector (ASSISTANT_DOCUMENT_STORE=pgvector).

The vectors go to an embedded PostgreSQL started for this module (pgserver, whose
build bundles the 'vector' extension), named by ASSISTANT_PGVECTOR_URL; the ORM stays
on the test database of the system PostgreSQL, which has no 'vector' extension. So one
database per role: the articles and products are read, committed and rolled back where
the rest of the suite keeps them, and the check is tried against a real server that
lacks the extension.
"""

import psycopg
import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from assistant.knowledge import knowledge_demo_load, knowledge_search
from assistant.knowledge.demo_articles import DEMO_ARTICLES
from assistant.knowledge.index import VERSION_KEY, check_document_store
from assistant.knowledge.vectors import TABLE
from crm.models import Product
from crm.services.demo import demo_data_load

ARTICLES = {article["slug"]: article for article in DEMO_ARTICLES}


@pytest.fixture(scope="module")
def vector_database(tmp_path_factory):
    """An embedded PostgreSQL with pgvector available, and its URL (deleted afterwards)."""
    import pgserver

    server = pgserver.get_server(str(tmp_path_factory.mktemp("pgvector")), cleanup_mode="delete")
    server.psql("CREATE DATABASE knowledge;")
    yield server.get_uri("knowledge")
    server.cleanup()


@pytest.fixture(autouse=True)
def _pgvector_store(settings, vector_database):
    settings.ASSISTANT_DOCUMENT_STORE = "pgvector"
    settings.ASSISTANT_PGVECTOR_URL = vector_database


@pytest.fixture
def knowledge(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_demo_load()


def generations(url: str) -> dict[str, int]:
    """Rows per generation in the vector table."""
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            f"SELECT meta->>'generation', count(*) FROM {TABLE} GROUP BY 1"  # noqa: S608
        ).fetchall()
    return dict(rows)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, question, kind, key",
    [
        ("zh-hans", "你们的付款方式是什么？", "article", "payment-terms"),
        ("zh-hans", "保修期多长？", "article", "warranty"),
        ("zh-hans", "投光灯", "product", "FL-200"),
        ("ar", "كم مدة الضمان على المنتجات؟", "article", "warranty"),
        ("ar", "ما هي شروط الدفع؟", "article", "payment-terms"),
        ("ar", "لوح شمسي أحادي البلورة", "product", "PV-M450"),
        ("es", "¿Envían muestras?", "article", "samples-policy"),
        ("es", "¿Cuáles son las condiciones de pago?", "article", "payment-terms"),
        ("es", "bombilla E27", "product", "BL-A60-9"),
    ],
)
def test_question_finds_the_item_through_pgvector(
    knowledge, vector_database, language, question, kind, key
):
    hit = knowledge_search(question, language=language)[0]

    assert (hit.kind, hit.key) == (kind, key)
    assert 0 < hit.score <= 1  # a cosine similarity, not a BM25 score
    if kind == "product":
        product = Product.objects.get(sku=key)
        assert hit.title == getattr(product, f"name_{language.replace('-', '_')}")
    else:
        assert hit.title == ARTICLES[key]["title"][language]
    # written to the embedded server: 6 articles and 12 products in 8 languages
    assert sorted(generations(vector_database).values()) == [144]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["asdfghjkl qwertyuiop", "Kilimanjaro", "你好", "👍👍"])
def test_meaningless_question_finds_nothing(knowledge, query):
    assert knowledge_search(query, language="en") == []


@pytest.mark.django_db
def test_product_change_reindexes_when_the_transaction_commits(
    knowledge, vector_database, django_capture_on_commit_callbacks
):
    assert knowledge_search("Kilimanjaro", language="es") == []
    version = cache.get(VERSION_KEY)
    before = set(generations(vector_database))
    product = Product.objects.get(sku="HB-UFO-150")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product.description_es = "Probada en los almacenes del Kilimanjaro."
        product.save()
    assert cache.get(VERSION_KEY) == version  # other processes keep their index until commit
    for callback in callbacks:
        callback()

    assert cache.get(VERSION_KEY) != version
    hit = knowledge_search("Kilimanjaro", language="es")[0]
    assert (hit.kind, hit.key) == ("product", "HB-UFO-150")
    assert hit.text.startswith("Probada en los almacenes del Kilimanjaro.")
    written = set(generations(vector_database)) - before
    assert len(written) == 1  # one new generation, all of it
    assert generations(vector_database)[written.pop()] == 144


@pytest.mark.django_db(transaction=True)
def test_rolled_back_product_change_does_not_linger(vector_database):
    demo_data_load()  # autocommit: committed and re-indexed at once
    knowledge_demo_load()
    assert knowledge_search("Kilimanjaro", language="es") == []

    with pytest.raises(RuntimeError), transaction.atomic():
        product = Product.objects.get(sku="FL-200")
        product.name_es = "Reflector LED Kilimanjaro 200W"
        product.save()
        assert knowledge_search("Kilimanjaro", language="es")[0].key == "FL-200"
        raise RuntimeError("roll back")

    assert knowledge_search("Kilimanjaro", language="es") == []
    assert knowledge_search("reflector", language="es")[0].key == "FL-200"
    assert not [name for name in generations(vector_database) if name.startswith("pending-")]


@pytest.mark.django_db
def test_generation_deleted_by_another_process_is_written_again(knowledge, vector_database):
    assert knowledge_search("warranty", language="en")[0].key == "warranty"
    with psycopg.connect(vector_database, autocommit=True) as connection:
        connection.execute(f"DELETE FROM {TABLE}")  # noqa: S608

    assert knowledge_search("warranty", language="en")[0].key == "warranty"
    assert sorted(generations(vector_database).values()) == [144]


# -- configuration --------------------------------------------------------------------


def test_check_passes_with_a_database_that_has_pgvector():
    assert check_document_store() == []


@pytest.mark.django_db
def test_check_reports_a_database_without_the_vector_extension(settings):
    settings.ASSISTANT_PGVECTOR_URL = ""  # the project database: the system PostgreSQL

    [error] = check_document_store()

    assert error.id == "assistant.E001"
    assert "has no 'vector' extension" in error.msg
    assert "127.0.0.1:5432" in error.msg and "ASSISTANT_PGVECTOR_URL" in error.msg
    with pytest.raises(ImproperlyConfigured, match="has no 'vector' extension"):
        knowledge_search("warranty", language="en")


def test_check_reports_an_unreachable_database(settings, tmp_path):
    settings.ASSISTANT_PGVECTOR_URL = f"postgresql://postgres@/nowhere?host={tmp_path}"

    [error] = check_document_store()

    assert error.id == "assistant.E001"
    assert "cannot reach the database nowhere" in error.msg
