"""The knowledge base: articles and products found in eight languages, kept current
when they change, and the demo articles consistent with the reference catalog."""

import json
import math
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from assistant.knowledge import (
    knowledge_demo_load,
    knowledge_index_forget,
    knowledge_index_invalidate,
    knowledge_search,
)
from assistant.knowledge.demo_articles import DEMO_ARTICLES
from assistant.knowledge.index import VERSION_KEY, check_document_store
from assistant.knowledge.text import search_terms
from assistant.models import AssistantTurn, KnowledgeArticle, KnowledgeTopic
from crm.models import Product

ARTICLES = {article["slug"]: article for article in DEMO_ARTICLES}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _fresh_index():
    """Each test searches its own database state, not an index an earlier test built."""
    knowledge_index_forget()
    yield
    knowledge_index_forget()


@pytest.fixture
def knowledge(demo, django_capture_on_commit_callbacks):
    """The demo catalog and articles, committed as far as the index can tell."""
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_demo_load()


def shown_body(slug: str, language: str) -> str:
    return "\n".join(ARTICLES[slug]["body"][language])


def states_number(text: str, number: int) -> bool:
    return re.search(rf"(?<![\d.,]){number}(?![\d.,]\d)", text) is not None


# -- the search form ------------------------------------------------------------------


def test_chinese_is_indexed_as_characters_and_bigrams():
    terms = search_terms("付款方式")
    assert {"付款", "款方", "方式", "付", "款"} <= set(terms)


def test_arabic_spellings_and_forms_meet():
    assert search_terms("الضَّمَانُ") == search_terms("ضمان")
    assert search_terms("أسعار") == search_terms("اسعار")
    assert search_terms("الشهادات") == search_terms("شهادة")


def test_case_accents_codes_and_inflections_meet():
    assert search_terms("GARANTÍA") == search_terms("garantia")
    assert "lc" in search_terms("L/C") and "lp606040" in search_terms("LP-6060-40")
    assert set(search_terms("Zahlung")) & set(search_terms("Zahlungsbedingungen"))


def test_greetings_and_function_words_are_not_search_terms():
    assert search_terms("Hi, how are you? 你好 مرحبا Guten Tag") == []


# -- articles -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, question, slug",
    [
        ("en", "What are your payment terms? Do you accept L/C?", "payment-terms"),
        ("en", "Tell me about your company", "company-profile"),
        ("en", "What are your business hours?", "company-profile"),
        ("zh-hans", "你们的付款方式是什么？", "payment-terms"),
        ("zh-hans", "交货期多久？", "shipping-and-lead-times"),
        ("zh-hans", "保修期多长？", "warranty"),
        ("es", "¿Envían muestras?", "samples-policy"),
        ("es", "¿Cuáles son las condiciones de pago?", "payment-terms"),
        ("pt", "Quais certificações vocês têm?", "certifications"),
        ("pt", "Qual é a garantia dos produtos?", "warranty"),
        ("ru", "Какие сроки поставки?", "shipping-and-lead-times"),
        ("ru", "Можно получить образец?", "samples-policy"),
        ("ar", "كم مدة الضمان على المنتجات؟", "warranty"),
        ("ar", "ما هي شروط الدفع؟", "payment-terms"),
        ("ar", "ما هي الشهادات المتوفرة؟", "certifications"),
        ("fr", "Pouvez-vous présenter votre entreprise ?", "company-profile"),
        ("fr", "Quel est le délai de livraison ?", "shipping-and-lead-times"),
        ("de", "Wie lange ist die Garantie?", "warranty"),
        ("de", "Welche Zertifikate habt ihr?", "certifications"),
    ],
)
def test_question_finds_the_article_in_the_buyers_language(knowledge, language, question, slug):
    hit = knowledge_search(question, language=language)[0]

    assert (hit.kind, hit.key) == ("article", slug)
    assert hit.title == ARTICLES[slug]["title"][language]
    assert hit.text == shown_body(slug, language)
    assert hit.score > 0


@pytest.mark.django_db
def test_answer_is_shown_in_the_requested_language_whatever_the_question_is_written_in(
    knowledge,
):
    hit = knowledge_search("warranty?", language="es")[0]

    assert hit.key == "warranty"
    assert hit.title == "Garantía"


@pytest.mark.django_db
def test_untranslated_article_and_unknown_language_fall_back_to_english(
    knowledge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.create(
            slug="pallets",
            topic=KnowledgeTopic.OTHER,
            title_en="Pallets",
            body_en="Full containers are floor-loaded; pallets on request.",
        )

    [french] = knowledge_search("pallets", language="fr")
    [unknown] = knowledge_search("pallets", language="ja")

    assert french.text == unknown.text == "Full containers are floor-loaded; pallets on request."
    assert french.title == "Pallets"


@pytest.mark.django_db
def test_unpublished_article_is_not_returned(knowledge, django_capture_on_commit_callbacks):
    article = KnowledgeArticle.objects.get(slug="payment-terms")
    with django_capture_on_commit_callbacks(execute=True):
        article.is_published = False
        article.save()

    hits = knowledge_search("你们的付款方式是什么？", language="zh-hans")

    assert "payment-terms" not in [hit.key for hit in hits]


@pytest.mark.django_db
def test_deleted_article_is_not_returned(knowledge, django_capture_on_commit_callbacks):
    assert knowledge_search("Garantie", language="de")[0].key == "warranty"
    with django_capture_on_commit_callbacks(execute=True):
        KnowledgeArticle.objects.filter(slug="warranty").delete()

    assert "warranty" not in [hit.key for hit in knowledge_search("Garantie", language="de")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["", "   ", "?!…", "👍👍", "asdfghjkl qwertyuiop", "hello", "你好", "مرحبا", "Danke!", "ok"],
)
def test_empty_or_meaningless_query_finds_nothing(knowledge, query):
    assert knowledge_search(query, language="en") == []


@pytest.mark.django_db
def test_top_k_limits_the_hits(knowledge):
    assert len(knowledge_search("LiFePO4 battery", language="en", top_k=2)) == 2
    assert knowledge_search("LiFePO4 battery", language="en", top_k=0) == []


# -- products -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, query, sku",
    [
        ("zh-hans", "投光灯", "FL-200"),
        ("ru", "прожектор 200 Вт", "FL-200"),
        ("ar", "لوح شمسي أحادي البلورة", "PV-M450"),
        ("de", "Wallbox Ladestation", "EVC-7K"),
        ("fr", "onduleur hybride", "INV-H5K"),
        ("es", "bombilla E27", "BL-A60-9"),
        ("pt", "IEC 61215", "PV-M450"),
        ("en", "LP-6060-40", "LP-6060-40"),
        ("en", "LiFePO4 12.8V 100Ah", "BAT-LFP-12100"),
    ],
)
def test_product_is_found_by_translated_name_spec_or_sku(knowledge, language, query, sku):
    hit = knowledge_search(query, language=language)[0]
    product = Product.objects.get(sku=sku)

    assert (hit.kind, hit.key) == ("product", sku)
    assert hit.title == getattr(product, f"name_{language.replace('-', '_')}")
    assert sku in hit.text


@pytest.mark.django_db
def test_product_facts_are_labelled_in_the_requested_language(knowledge):
    hit = knowledge_search("BAT-LFP-12100", language="zh-hans")[0]

    assert hit.title == "磷酸铁锂电池 12.8V 100Ah"
    assert "最小起订量: 20 pcs" in hit.text
    assert "UN38.3" in hit.text and "UN3480 class 9" in hit.text


@pytest.mark.django_db
def test_translated_product_description_is_searched_and_shown(
    knowledge, django_capture_on_commit_callbacks
):
    product = Product.objects.get(sku="HB-UFO-150")
    with django_capture_on_commit_callbacks(execute=True):
        product.description_pt = "Ideal para galpões logísticos com pé-direito alto."
        product.save()

    hit = knowledge_search("galpões", language="pt")[0]

    assert hit.key == "HB-UFO-150"
    assert hit.text.startswith("Ideal para galpões logísticos")


@pytest.mark.django_db
def test_inactive_product_is_not_returned(knowledge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Product.objects.filter(sku="FL-200").update(active=False)
        knowledge_index_invalidate()  # update() sends no signal

    assert "FL-200" not in [hit.key for hit in knowledge_search("投光灯", language="zh-hans")]


# -- re-indexing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_edit_reindexes_when_the_transaction_commits(knowledge, django_capture_on_commit_callbacks):
    assert knowledge_search("Kilimanjaro", language="en") == []
    version = cache.get(VERSION_KEY)
    article = KnowledgeArticle.objects.get(slug="warranty")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.body_en += "\nClaims from Kilimanjaro base camps are welcome."
        article.save()
    assert cache.get(VERSION_KEY) == version  # other processes keep their index until commit
    for callback in callbacks:
        callback()

    assert cache.get(VERSION_KEY) != version
    assert knowledge_search("Kilimanjaro", language="en")[0].key == "warranty"


@pytest.mark.django_db
def test_writing_transaction_sees_its_own_uncommitted_edit(knowledge):
    article = KnowledgeArticle.objects.get(slug="samples-policy")
    article.title_en = "Samples and Kilimanjaro swatches"
    article.save()

    assert knowledge_search("Kilimanjaro", language="en")[0].title == article.title_en


@pytest.mark.django_db(transaction=True)
def test_rolled_back_edit_leaves_no_trace():
    knowledge_demo_load()  # autocommit: committed and re-indexed at once
    assert knowledge_search("Kilimanjaro", language="en") == []

    with pytest.raises(RuntimeError), transaction.atomic():
        article = KnowledgeArticle.objects.get(slug="warranty")
        article.body_en += " Kilimanjaro."
        article.save()
        assert knowledge_search("Kilimanjaro", language="en")[0].key == "warranty"
        raise RuntimeError("roll back")

    assert knowledge_search("Kilimanjaro", language="en") == []
    assert knowledge_search("warranty", language="en")[0].key == "warranty"


@pytest.mark.django_db(transaction=True)
def test_committed_edit_is_found_by_the_next_search():
    knowledge_demo_load()
    knowledge_search("warranty", language="en")  # builds and keeps the index

    with transaction.atomic():
        article = KnowledgeArticle.objects.get(slug="warranty")
        article.body_de += " Kilimandscharo-Basislager eingeschlossen."
        article.save()

    assert knowledge_search("Kilimandscharo", language="de")[0].key == "warranty"


# -- configuration --------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_document_store_is_refused_with_a_reason(knowledge, settings):
    store = "elasticsearch"  # pgvector's own check: test_knowledge_pgvector.py
    settings.ASSISTANT_DOCUMENT_STORE = store

    with pytest.raises(ImproperlyConfigured, match=store):
        knowledge_search("warranty", language="en")
    [error] = check_document_store()
    assert error.id == "assistant.E001"


def test_memory_document_store_passes_the_check(settings):
    settings.ASSISTANT_DOCUMENT_STORE = "memory"

    assert check_document_store() == []


# -- demo articles --------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_load_is_idempotent_and_keeps_an_unpublished_article_unpublished():
    assert knowledge_demo_load() == 6
    KnowledgeArticle.objects.filter(slug="samples-policy").update(is_published=False)

    assert knowledge_demo_load() == 0
    assert KnowledgeArticle.objects.count() == 6
    assert not KnowledgeArticle.objects.get(slug="samples-policy").is_published


@pytest.mark.django_db
def test_demo_articles_cover_every_topic_in_every_language():
    knowledge_demo_load()

    topics = set(KnowledgeArticle.objects.values_list("topic", flat=True))
    assert topics == set(KnowledgeTopic.values) - {KnowledgeTopic.OTHER}
    for article in KnowledgeArticle.objects.all():
        for language in LANGUAGES:
            column = language.replace("-", "_")
            assert getattr(article, f"title_{column}"), (article.slug, language)
            assert getattr(article, f"body_{column}") == shown_body(article.slug, language)


def test_demo_articles_state_the_reference_catalog_facts():
    catalog = json.loads(Path(settings.PORTOLAN_REFERENCE_CATALOG).read_text(encoding="utf-8"))
    products = {product["sku"]: product for product in catalog["products"]}

    def lead_days(sku: str, quantity: int) -> int:
        product = products[sku]
        return product["base_lead_days"] + math.ceil(quantity / product["daily_capacity"])

    bases = [product["base_lead_days"] for product in products.values()]
    certificates = {
        certificate.replace("TUV", "TÜV")
        for product in products.values()
        for certificate in product["certifications"]
    }
    for language in LANGUAGES:
        payment = shown_body("payment-terms", language)
        assert "USD" in payment and "30" in payment and "70" in payment
        shipping = shown_body("shipping-and-lead-times", language)
        assert "FOB" in shipping
        assert states_number(shipping, min(bases)) and states_number(shipping, max(bases))
        assert states_number(shipping, lead_days("LP-6060-40", 1000)), language
        assert states_number(shipping, lead_days("SL-AIO-100", 500)), language
        assert "UN3480" in shipping  # the battery's dangerous goods class
        listed = shown_body("certifications", language)
        assert all(certificate in listed for certificate in certificates), language
        company = shown_body("company-profile", language)
        assert catalog["seller"]["name"] in company and "UTC+8" in company


@pytest.mark.django_db
def test_demo_data_command_loads_the_knowledge_articles():
    out = StringIO()
    call_command("demo_data", stdout=out)

    assert "6 knowledge articles" in out.getvalue()
    assert KnowledgeArticle.objects.count() == 6


# -- admin ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_pages_render_for_a_superuser(admin_client):
    knowledge_demo_load()
    article = KnowledgeArticle.objects.get(slug="warranty")
    turn = AssistantTurn.objects.create(text="¿Garantía?", language="es", intent="product_info")

    pages = [
        reverse("admin:assistant_knowledgearticle_changelist"),
        reverse("admin:assistant_knowledgearticle_add"),
        reverse("admin:assistant_knowledgearticle_change", args=[article.pk]),
        reverse("admin:assistant_assistantturn_changelist"),
        reverse("admin:assistant_assistantturn_change", args=[turn.pk]),
    ]
    for page in pages:
        assert admin_client.get(page).status_code == 200, page
    assert "الضمان" in admin_client.get(pages[2]).content.decode()


@pytest.mark.django_db
def test_assistant_turns_are_read_only_in_the_admin(admin_client):
    turn = AssistantTurn.objects.create(text="hola", language="es", intent="greeting")

    assert admin_client.get(reverse("admin:assistant_assistantturn_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:assistant_assistantturn_change", args=[turn.pk]), {"text": "changed"}
    )
    assert response.status_code == 403
    turn.refresh_from_db()
    assert turn.text == "hola"
