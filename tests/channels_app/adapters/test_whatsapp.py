"""WhatsApp Cloud API adapter: webhooks verified and parsed in Meta's documented shapes,
replies sent to a fake Cloud API on loopback, the 24-hour window respected."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from channels_app.adapters import get_adapter
from channels_app.adapters.base import OutgoingMessage, SendError, split_text
from channels_app.adapters.whatsapp import template_language
from channels_app.models import Conversation, Message, OutboundMessage
from tests.channels_app.fakes import Answer
from tests.channels_app.fakes.whatsapp import (
    VERIFY_TOKEN,
    WhatsAppFake,
    at,
    deliver,
    fixture,
    signature,
    whatsapp_api,
)


@pytest.fixture
def whatsapp(settings):
    with whatsapp_api(settings) as fake:
        yield fake


def now_ts(offset: timedelta = timedelta(0)) -> int:
    return int((timezone.now() + offset).timestamp())


def outgoing(text="Hola Carlos", **fields) -> OutgoingMessage:
    return OutgoingMessage(
        recipient_address="+51987654321",
        text=text,
        conversation_id=1,
        message_id=1,
        language="es",
        **fields,
    )


# --- verification -------------------------------------------------------------------------


def test_subscription_handshake_echoes_the_challenge(client, db, whatsapp):
    response = client.get(
        "/hooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("params", "configured"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "guess"}, VERIFY_TOKEN),
        ({"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN}, VERIFY_TOKEN),
        ({"hub.mode": "subscribe", "hub.verify_token": ""}, ""),
    ],
    ids=["wrong-token", "wrong-mode", "no-token-configured"],
)
def test_handshake_without_the_verify_token_is_refused(
    client, db, whatsapp, settings, params, configured
):
    settings.WHATSAPP_VERIFY_TOKEN = configured
    response = client.get("/hooks/whatsapp/", {**params, "hub.challenge": "1158201444"})
    assert response.status_code == 403
    assert b"1158201444" not in response.content


@pytest.mark.parametrize(
    ("headers", "secret"),
    [
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, None),
        ({"X-Hub-Signature-256": signature(b"{}")}, None),
        ({}, None),
        ({"X-Hub-Signature-256": "sha256=é"}, None),
        (None, ""),
    ],
    ids=["bad-signature", "signature-of-another-body", "missing", "not-ascii", "no-app-secret"],
)
def test_unsigned_or_badly_signed_webhook_stores_nothing(
    client, demo, whatsapp, settings, headers, secret
):
    if secret is not None:
        settings.WHATSAPP_APP_SECRET = secret
    response = deliver(client, fixture("text"), headers=headers)
    assert response.status_code in (401, 403)
    assert not Message.objects.exists()


# --- parsing ------------------------------------------------------------------------------


def test_signed_text_message_is_stored_for_the_known_buyer(client, demo, whatsapp):
    assert deliver(client, fixture("text")).status_code == 200
    message = Message.objects.get(direction="in")
    assert message.conversation.contact.name == "Carlos Quispe"
    assert message.conversation.identity.address == "+51987654321"
    assert message.text.startswith("Hola, necesito 2000 paneles")
    assert message.provider_message_id.startswith("wamid.HBgLNTE5")
    assert message.sent_at == datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    assert message.kind == "text"


def test_every_message_of_a_batch_is_stored(client, demo, whatsapp):
    assert deliver(client, fixture("batch")).status_code == 200
    stored = Message.objects.filter(direction="in").order_by("sent_at")
    assert [(m.provider_message_id, m.conversation.identity.address) for m in stored] == [
        ("wamid.BATCH0001", "+51987654321"),
        ("wamid.BATCH0002", "+51987654321"),
        ("wamid.BATCH0003", "+5511987650000"),
        ("wamid.BATCH0004", "+971501234567"),
    ]
    assert {m.conversation.contact.name for m in stored} == {
        "Carlos Quispe",
        "Ana Souza",
        "Omar Haddad",
    }


def test_a_redelivered_batch_is_stored_once(client, demo, whatsapp):
    deliver(client, fixture("batch"))
    deliver(client, fixture("batch"))
    assert Message.objects.filter(direction="in").count() == 4


def test_unknown_sender_gets_the_profile_name(client, demo, whatsapp):
    payload = fixture("text")
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Chinedu Okafor"}, "wa_id": "2348035551212"}]
    value["messages"][0]["from"] = "2348035551212"
    deliver(client, payload)
    contact = Message.objects.get(direction="in").conversation.contact
    assert contact.name == "Chinedu Okafor"
    assert contact.phones == ["+2348035551212"]


@pytest.mark.parametrize(
    ("name", "kind", "text", "attachment"),
    [
        (
            "image_caption",
            "image",
            "¿Tienen este modelo en 4000K?",
            {"type": "image", "media_id": "1003383421387256", "mime_type": "image/jpeg"},
        ),
        (
            "sticker",
            "sticker",
            "[sticker]",
            {"type": "sticker", "media_id": "1229302721520870", "mime_type": "image/webp"},
        ),
        (
            "voice",
            "voice",
            "[voice message]",
            {
                "type": "voice",
                "media_id": "1262974115209437",
                "mime_type": "audio/ogg; codecs=opus",
                "voice": True,
            },
        ),
        (
            "document",
            "document",
            "Nuestra orden de compra",
            {
                "type": "document",
                "media_id": "1458200938521047",
                "mime_type": "application/pdf",
                "filename": "OC-2026-0142.pdf",
            },
        ),
        (
            "location",
            "location",
            "[location] Almacén Callao, Av. Néstor Gambetta 5500, Callao (-12.0508, -77.126)",
            {
                "type": "location",
                "latitude": -12.0508,
                "longitude": -77.126,
                "name": "Almacén Callao",
                "address": "Av. Néstor Gambetta 5500, Callao",
            },
        ),
        (
            "unsupported",
            "unknown",
            "[unsupported message]",
            {"type": "unsupported", "error": "Message type unknown"},
        ),
        ("interactive_button_reply", "text", "Sí, quiero muestras", None),
        (
            "reaction",
            "event",
            "[reaction 👍]",
            {"type": "reaction", "message_id": "wamid.FAKE000001"},
        ),
    ],
)
def test_each_message_type_is_kept_with_its_text_and_attachments(
    client, demo, whatsapp, name, kind, text, attachment
):
    assert deliver(client, fixture(name)).status_code == 200
    message = Message.objects.get(direction="in")
    assert (message.kind, message.text) == (kind, text)
    assert message.attachments == ([attachment] if attachment else [])


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"object": "whatsapp_business_account"}', b"\xff\xfe"]
)
def test_malformed_body_is_a_400_and_changes_nothing(client, demo, whatsapp, body):
    response = deliver(client, body)
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_other_webhook_fields_are_acknowledged_and_ignored(client, demo, whatsapp):
    payload = fixture("text")
    payload["entry"][0]["changes"][0]["field"] = "message_template_status_update"
    assert deliver(client, payload).status_code == 200
    assert not Message.objects.exists()


# --- delivery statuses --------------------------------------------------------------------


@pytest.fixture
def sent_reply(client, demo, whatsapp, django_capture_on_commit_callbacks):
    """Carlos wrote just now; the assistant's reply went out through the fake."""
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, at(fixture("text"), now_ts()))
    reply = Message.objects.get(direction="out")
    assert reply.delivery_status == "sent" and reply.provider_message_id.startswith("wamid.FAKE")
    return reply


def statuses_for(name: str, provider_message_id: str) -> dict:
    payload = fixture(name)
    for status in payload["entry"][0]["changes"][0]["value"]["statuses"]:
        status["id"] = provider_message_id
    return payload


@pytest.mark.parametrize(
    ("names", "final"),
    [
        (["status_sent"], "sent"),
        (["status_sent", "status_delivered"], "delivered"),
        (["status_delivered", "status_read"], "read"),
        (["status_failed"], "failed"),
        (["status_out_of_order"], "read"),
        (["status_read", "status_delivered", "status_sent"], "read"),
    ],
    ids=["sent", "delivered", "read", "failed", "out-of-order-batch", "out-of-order-webhooks"],
)
def test_statuses_are_applied_and_never_move_backwards(client, sent_reply, names, final):
    for name in names:
        assert (
            deliver(client, statuses_for(name, sent_reply.provider_message_id)).status_code == 200
        )
    sent_reply.refresh_from_db()
    assert sent_reply.delivery_status == final


def test_failed_status_carries_the_error(rf, settings, whatsapp):
    request = rf.post(
        "/hooks/whatsapp/",
        data=json.dumps(statuses_for("status_failed", "wamid.X")),
        content_type="application/json",
    )
    (update,) = get_adapter("whatsapp").parse(request).statuses
    assert (update.provider_message_id, update.status) == ("wamid.X", "failed")
    assert update.error == "131026 Message undeliverable: Message Undeliverable."
    assert update.at == datetime.fromtimestamp(1767250903, tz=UTC)


# --- sending ------------------------------------------------------------------------------


def test_reply_goes_to_the_cloud_api_as_a_text_message(sent_reply, whatsapp):
    (request,) = whatsapp.requests
    assert request.path == "/v21.0/106540352242922/messages"
    assert request.headers["authorization"] == "Bearer EAAG-access-token-for-tests"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "51987654321",
        "type": "text",
        "text": {"preview_url": False, "body": sent_reply.text},
    }


def test_long_text_is_split_at_4096_characters_on_a_boundary(whatsapp):
    words = " ".join(f"palabra{i:05d}" for i in range(800))  # 10,399 characters
    result = get_adapter("whatsapp").send(outgoing(words))
    bodies = [body["text"]["body"] for body in whatsapp.delivered()]
    assert len(bodies) == 3 and all(len(body) <= 4096 for body in bodies)
    assert " ".join(bodies) == words  # cut between words, nothing lost
    assert result.provider_message_ids == [
        "wamid.FAKE000001",
        "wamid.FAKE000002",
        "wamid.FAKE000003",
    ]


def test_split_prefers_paragraphs_and_never_cuts_an_emoji():
    paragraph = "Línea de producto. " * 150  # 2,850 characters
    parts = split_text(f"{paragraph}\n\n{paragraph}", 4096)
    assert parts == [paragraph.strip(), paragraph.strip()]
    family = "👨‍👩‍👧"  # three people joined by zero-width joiners
    unbroken = family * 1000
    parts = split_text(unbroken, 4096)
    assert "".join(parts) == unbroken
    assert all(not part.startswith("\u200d") and not part.endswith("\u200d") for part in parts)
    assert split_text("   ", 4096) == []


def test_rate_limit_retry_after_is_honoured(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    whatsapp.then(WhatsAppFake.error(429, 130429, "Rate limit hit", headers={"Retry-After": "7"}))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, at(fixture("text"), now_ts()))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    assert "130429" in outbound.last_error
    wait = (outbound.next_attempt_at - outbound.updated_at).total_seconds()
    assert 6 <= wait <= 8


@pytest.mark.parametrize(
    ("answer", "permanent", "retry_after"),
    [
        (WhatsAppFake.error(400, 131048, "Spam rate limit hit"), False, None),
        (
            WhatsAppFake.error(400, 80007, "Rate limit issues", headers={"Retry-After": "60"}),
            False,
            60,
        ),
        (WhatsAppFake.error(500, 131000, "Something went wrong"), False, None),
        (WhatsAppFake.error(503, 2, "Service temporarily unavailable"), False, None),
        (Answer(502, {"unexpected": "html"}), False, None),
        (Answer(disconnect=True), False, None),
        (WhatsAppFake.error(400, 131026, "Message undeliverable"), True, None),
        (WhatsAppFake.error(400, 100, "Invalid parameter", "Invalid WhatsApp number"), True, None),
    ],
    ids=["131048", "80007", "131000", "503", "502-not-json", "network", "131026", "bad-recipient"],
)
def test_provider_errors_map_to_retryable_or_permanent(whatsapp, answer, permanent, retry_after):
    whatsapp.then(answer)
    with pytest.raises(SendError) as raised:
        get_adapter("whatsapp").send(outgoing())
    assert raised.value.permanent is permanent
    assert raised.value.retry_after == retry_after
    assert raised.value.reason


def test_undeliverable_recipient_fails_at_once_with_the_reason(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    whatsapp.then(WhatsAppFake.error(400, 131026, "Message undeliverable", "Not on WhatsApp"))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, at(fixture("text"), now_ts()))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 1)
    assert "131026" in outbound.last_error and "Not on WhatsApp" in outbound.last_error
    assert Message.objects.get(direction="out").delivery_status == "failed"


def test_provider_down_is_retried(settings, whatsapp):
    whatsapp.stop()
    with pytest.raises(SendError) as raised:
        get_adapter("whatsapp").send(outgoing())
    assert not raised.value.permanent and "unreachable" in raised.value.reason


# --- the 24-hour window -------------------------------------------------------------------


def test_outside_the_window_an_approved_template_carries_the_reply(
    client, demo, whatsapp, settings, django_capture_on_commit_callbacks
):
    settings.WHATSAPP_TEMPLATE_NAME = "portolan_follow_up"
    two_days_ago = now_ts(-timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, at(fixture("text"), two_days_ago))
    assert Conversation.objects.get().reply_window_expires_at < timezone.now()
    (body,) = whatsapp.delivered()
    assert body["type"] == "template" and "text" not in body
    assert body["template"] == {
        "name": "portolan_follow_up",
        "language": {"code": "es"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {
                        "type": "text",
                        "text": " ".join(Message.objects.get(direction="out").text.split()),
                    }
                ],
            }
        ],
    }
    assert Message.objects.get(direction="out").delivery_status == "sent"


def test_outside_the_window_without_a_template_nothing_is_sent_and_the_rep_sees_why(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    payload = at(fixture("text"), now_ts(-timedelta(days=2)))
    value = payload["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Chinedu Okafor"}, "wa_id": "2348035551212"}]
    value["messages"][0]["from"] = "2348035551212"  # a new prospect: no email to fall back on
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, payload)
    outbound = OutboundMessage.objects.get()
    assert (outbound.channel, outbound.status, outbound.attempts) == ("whatsapp", "failed", 1)
    assert "outside WhatsApp's 24-hour window and no template configured" in outbound.last_error
    assert Message.objects.get(direction="out").delivery_status == "failed"
    assert whatsapp.requests == []  # free text was never attempted


def test_window_closed_by_whatsapps_clock_falls_back_to_the_template(whatsapp, settings):
    settings.WHATSAPP_TEMPLATE_NAME = "portolan_follow_up"
    whatsapp.then(WhatsAppFake.error(400, 131047, "Re-engagement message"))
    result = get_adapter("whatsapp").send(outgoing("Hola Carlos\n\nsu cotización   está lista"))
    assert [r.body["type"] for r in whatsapp.requests] == ["text", "template"]
    parameter = whatsapp.requests[1].body["template"]["components"][0]["parameters"][0]
    assert parameter["text"] == "Hola Carlos su cotización está lista"  # no line breaks
    assert result.provider_message_ids == ["wamid.FAKE000001"]


def test_window_closed_by_whatsapps_clock_without_a_template_fails_permanently(whatsapp):
    whatsapp.then(WhatsAppFake.error(400, 131047, "Re-engagement message"))
    with pytest.raises(SendError) as raised:
        get_adapter("whatsapp").send(outgoing())
    assert raised.value.permanent and "24-hour window" in raised.value.reason


@pytest.mark.parametrize(
    ("language", "code"),
    [
        ("es", "es"),
        ("pt", "pt_BR"),
        ("zh-hans", "zh_CN"),
        ("ar", "ar"),
        ("en", "en_US"),
        ("", "en_US"),
    ],
)
def test_template_language_codes(language, code):
    assert template_language(language) == code
