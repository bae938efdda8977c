"""WhatsApp end to end: a signed webhook in → stored → the assistant's acknowledgement in
the buyer's language → outbox → the fake Cloud API on loopback receives it; retries
until it is delivered once, or visibly failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app.models import Message, OutboundMessage
from channels_app.services.messaging import outbox_sweep
from crm.models import Interaction
from tests.channels_app.fakes.whatsapp import WhatsAppFake, at, deliver, fixture, whatsapp_api


@pytest.fixture
def whatsapp(settings):
    with whatsapp_api(settings) as fake:
        yield fake


def carlos_writes(client, capture, text="Hola, ¿precio del panel LED 60x60 CIF Callao?"):
    payload = at(fixture("text"), int(timezone.now().timestamp()))
    payload["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"] = text
    with capture(execute=True):
        assert deliver(client, payload).status_code == 200


def test_carlos_is_answered_in_spanish_on_whatsapp(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    carlos_writes(client, django_capture_on_commit_callbacks)
    inbound = Message.objects.get(direction="in")
    assert inbound.conversation.contact.name == "Carlos Quispe"
    (body,) = whatsapp.delivered()
    reply = Message.objects.get(direction="out")
    assert (body["to"], body["type"], body["text"]["body"]) == ("51987654321", "text", reply.text)
    assert (reply.language, reply.delivery_status) == ("es", "sent")
    assert "9,51" in reply.text  # the panel's silver-tier price, formatted for Spanish
    assert reply.provider_message_id == "wamid.FAKE000001"
    andina = demo.companies["Iluminación Andina S.A.C."]
    assert Interaction.objects.filter(
        company=andina, direction="in", text__contains="60x60"
    ).exists()
    assert Interaction.objects.filter(company=andina, direction="out", text=reply.text).exists()

    # Meta then reports the reply delivered and read.
    for name in ("status_delivered", "status_read"):
        payload = fixture(name)
        payload["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = reply.provider_message_id
        assert deliver(client, payload).status_code == 200
    reply.refresh_from_db()
    assert reply.delivery_status == "read"


def test_a_redelivered_webhook_is_answered_once(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    payload = at(fixture("text"), int(timezone.now().timestamp()))
    for _ in range(3):  # Meta retries when our 200 got lost
        with django_capture_on_commit_callbacks(execute=True):
            deliver(client, payload)
    assert Message.objects.filter(direction="in").count() == 1
    assert len(whatsapp.delivered()) == 1


def test_provider_fails_twice_then_delivers_exactly_once(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    whatsapp.then(
        WhatsAppFake.error(500, 131000, "Something went wrong"),
        WhatsAppFake.error(500, 131000, "Something went wrong"),
    )
    carlos_writes(client, django_capture_on_commit_callbacks)
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    moment = timezone.now()
    assert outbox_sweep(now=moment)["due"] == 0  # backing off, not due yet
    outbox_sweep(now=moment + timedelta(hours=1))
    outbox_sweep(now=moment + timedelta(hours=3))
    outbox_sweep(now=moment + timedelta(hours=5))  # nothing left to send
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 3, "")
    assert [r.status for r in whatsapp.requests] == [500, 500, 200]
    assert [body["text"]["body"] for body in whatsapp.delivered()] == [
        Message.objects.get(direction="out").text
    ]
    assert Message.objects.get(direction="out").delivery_status == "sent"


def test_provider_down_past_the_budget_fails_visibly(
    client, demo, whatsapp, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_OUTBOX_MAX_ATTEMPTS = 3
    whatsapp.stop()  # connections refused from now on
    carlos_writes(client, django_capture_on_commit_callbacks)
    moment = timezone.now()
    for hours in range(1, 6):
        outbox_sweep(now=moment + timedelta(hours=hours))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 3)
    assert outbound.last_error.startswith("WhatsApp unreachable: ConnectError")
    assert Message.objects.get(direction="out").delivery_status == "failed"
    assert whatsapp.requests == []
