"""With a translation backend configured, the console shows a buyer's message in the
rep's language under the original (the fake OpenAI-compatible server on loopback)."""

import pytest
from django.core.cache import cache

from channels_app.models import Conversation
from crm.models import User
from tests.assistant.fake_openai import FakeOpenAI

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}


@pytest.fixture
def conversation(client, demo, locmem, django_capture_on_commit_callbacks):
    body = {
        "messages": [
            {"id": "wamid.t1", "from": "+51987654321", "text": "Necesito 2000 paneles para marzo"}
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/hooks/whatsapp/", body, content_type="application/json", **HEADERS)
    cache.clear()
    return Conversation.objects.get()


@pytest.fixture
def backend(settings):
    with FakeOpenAI() as fake:
        settings.ASSISTANT_LLM_BASE_URL = fake.base_url
        settings.ASSISTANT_LLM_TIMEOUT_SECONDS = 2.0
        settings.CONSOLE_TRANSLATION = "llm"
        yield fake


def page(client, conversation):
    client.force_login(User.objects.get(username="rep1"))
    return client.get(f"/inbox/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_buyer_message_is_shown_translated_and_cached(client, conversation, backend):
    backend.reply = "I need 2000 panels for March"
    html = page(client, conversation)
    assert "Necesito 2000 paneles para marzo" in html and "I need 2000 panels for March" in html
    assert "English" in backend.requests[0].raw_text  # asked for the rep's language
    page(client, conversation)
    assert len(backend.requests) == 1  # the second view read the cache


def test_a_translation_that_changes_a_number_is_not_shown(client, conversation, backend):
    backend.reply = "I need 3000 panels for March"
    assert "3000 panels" not in page(client, conversation)


def test_without_a_backend_only_the_original(client, conversation, settings):
    settings.CONSOLE_TRANSLATION = ""
    html = page(client, conversation)
    assert "Necesito 2000 paneles para marzo" in html and "Translation:" not in html
