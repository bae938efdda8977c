"""Canned responses: the demo set in all eight languages, inserted in the console in the
buyer's language with their first name, under the visibility rule; read through the API
and kept in the admin."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from channels_app.canned_demo import DEMO_CANNED_RESPONSES, canned_responses_demo_load
from channels_app.models import CannedResponse, Conversation, Message
from crm.models import User

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}
CARLOS = "+51987654321"  # Iluminación Andina, owned by rep1
COLUMNS = [code.replace("-", "_") for code, _name in settings.LANGUAGES]


@pytest.fixture
def canned(db):
    canned_responses_demo_load()


@pytest.fixture
def talk(client, demo, locmem, django_capture_on_commit_callbacks):
    """Carlos writes on WhatsApp; returns his conversation."""
    counter = iter(range(1, 1000))

    def send(text):
        body = {"messages": [{"id": f"wamid.k{next(counter)}", "from": CARLOS, "text": text}]}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/hooks/whatsapp/", body, content_type="application/json", **HEADERS
            )
        assert response.status_code == 200
        return Conversation.objects.get()

    return send


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_demo_load_is_idempotent_and_fills_every_language(db):
    assert canned_responses_demo_load() == len(DEMO_CANNED_RESPONSES) == 6
    CannedResponse.objects.filter(slug="holiday-closure").update(body_fr="")
    assert canned_responses_demo_load() == 0
    assert CannedResponse.objects.count() == 6
    for response in CannedResponse.objects.all():
        for column in COLUMNS:
            title = getattr(response, f"title_{column}")
            body = getattr(response, f"body_{column}")
            assert title and body, (response.slug, column)
            assert "{contact}" in body and "{rep}" in body, (response.slug, column)
        bodies = {getattr(response, f"body_{column}") for column in COLUMNS}
        assert len(bodies) == len(COLUMNS)  # translated, not copied


def test_console_inserts_the_response_in_the_buyers_language(talk, canned, demo):
    conversation = talk("Hola, ¿precio del panel LED 600x600?")
    assert conversation.language == "es"
    rep1 = demo.users["rep1"]
    sent = Message.objects.count()
    page = signed_in(rep1).get(f"/inbox/{conversation.pk}/")
    assert page.status_code == 200
    assert f"/inbox/{conversation.pk}/canned/thank-you-for-order/" in page.content.decode()

    response = signed_in(rep1).get(f"/inbox/{conversation.pk}/canned/thank-you-for-order/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    first_name = conversation.contact.name.split()[0]
    assert text.startswith(f"Buenos días, {first_name}:")
    assert "Muchas gracias por su pedido" in text
    assert text.rstrip().endswith(rep1.get_full_name() or rep1.username)
    assert "{contact}" not in text and "{rep}" not in text
    assert Message.objects.count() == sent  # nothing is sent until the rep presses Send


def test_console_falls_back_to_english_without_a_translation(talk, canned, demo):
    conversation = talk("Hola")
    CannedResponse.objects.filter(slug="holiday-closure").update(body_es="")
    response = signed_in(demo.users["rep1"]).get(
        f"/inbox/{conversation.pk}/canned/holiday-closure/"
    )
    assert response.status_code == 200
    assert "closed for the public holiday" in response.content.decode()


def test_console_refuses_hidden_conversations_and_unknown_responses(talk, canned, demo):
    conversation = talk("Hola")
    url = f"/inbox/{conversation.pk}/canned/greeting-and-introduction/"
    assert signed_in(demo.users["rep2"]).get(url).status_code == 404  # rep1's customer
    rep1 = signed_in(demo.users["rep1"])
    assert rep1.get(url).status_code == 200
    assert rep1.get(f"/inbox/{conversation.pk}/canned/no-such-answer/").status_code == 404
    assert rep1.post(url).status_code == 405
    assert Client().get(url).status_code == 302  # to the login page


def test_api_lists_responses_in_the_language_asked_for(canned, demo):
    client = APIClient()
    client.force_authenticate(demo.users["rep2"])
    response = client.get("/api/v1/canned-responses/", {"language": "ar"})
    assert response.status_code == 200, response.content
    payload = response.json()
    rows = payload["results"] if isinstance(payload, dict) else payload
    by_slug = {row["slug"]: row for row in rows}
    assert len(by_slug) == 6
    thanks = by_slug["thank-you-for-order"]
    assert thanks["language"] == "ar"
    assert thanks["title"] == "شكراً على طلبكم"
    assert thanks["body"].startswith("مرحباً {contact}،")
    assert client.post("/api/v1/canned-responses/", {}).status_code == 405
    assert APIClient().get("/api/v1/canned-responses/").status_code in (401, 403)


def test_admin_changelist_and_form_open_for_a_superuser(canned, django_user_model):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-x")
    client = signed_in(admin)
    changelist = client.get("/admin/channels_app/cannedresponse/")
    assert changelist.status_code == 200
    assert "Thank you for your order" in changelist.content.decode()
    canned = CannedResponse.objects.get(slug="thank-you-for-order")
    form = client.get(f"/admin/channels_app/cannedresponse/{canned.pk}/change/")
    assert form.status_code == 200
    assert "body_zh_hans" in form.content.decode()
