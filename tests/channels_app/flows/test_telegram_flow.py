"""Telegram end to end: an update with the secret token in → stored → the assistant's
reply in the buyer's language → outbox → the fake Bot API on loopback receives
it; retries until it is delivered once, or visibly failed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assistant.models import AssistantTurn
from channels_app.models import Message, OutboundMessage
from channels_app.services.messaging import outbox_sweep
from tests.channels_app.fakes.telegram import TelegramFake, deliver, fixture_bytes, telegram_api


@pytest.fixture
def telegram(settings):
    with telegram_api(settings) as fake:
        yield fake


@pytest.mark.parametrize(
    ("update", "buyer", "chat_id", "language", "reply"),
    [
        ("private_text", "Jonas Weber", 500100200, "de", "quote:"),
        ("private_text_ru", "Dmitry Volkov", 700800900, "ru", "knowledge"),
    ],
)
def test_buyer_is_answered_in_their_language_on_telegram(
    client,
    demo,
    telegram,
    django_capture_on_commit_callbacks,
    update,
    buyer,
    chat_id,
    language,
    reply,
):
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, fixture_bytes(update)).status_code == 200
    inbound = Message.objects.get(direction="in")
    assert inbound.conversation.contact.name == buyer
    sent = Message.objects.get(direction="out")
    assert telegram.delivered() == [{"chat_id": chat_id, "text": sent.text}]
    assert (sent.language, sent.delivery_status) == (language, "sent")
    turn = AssistantTurn.objects.get()
    assert turn.action.startswith(reply) and turn.reply == sent.text
    assert sent.provider_message_id == "101"


def test_provider_fails_twice_then_delivers_exactly_once(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    telegram.then(
        TelegramFake.error(500, "Internal Server Error"),
        TelegramFake.error(500, "Internal Server Error"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fixture_bytes("private_text"))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    assert outbound.last_error == "Telegram 500: Internal Server Error"
    moment = timezone.now()
    outbox_sweep(now=moment + timedelta(hours=1))
    outbox_sweep(now=moment + timedelta(hours=3))
    outbox_sweep(now=moment + timedelta(hours=5))
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 3, "")
    assert [r.status for r in telegram.requests] == [500, 500, 200]
    assert telegram.delivered() == [
        {"chat_id": 500100200, "text": Message.objects.get(direction="out").text}
    ]
    assert Message.objects.get(direction="out").delivery_status == "sent"


def test_provider_down_past_the_budget_fails_visibly(
    client, demo, telegram, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_OUTBOX_MAX_ATTEMPTS = 3
    telegram.then(*[TelegramFake.error(502, "Bad Gateway")] * 10)
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fixture_bytes("private_text"))
    moment = timezone.now()
    for hours in range(1, 6):
        outbox_sweep(now=moment + timedelta(hours=hours))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 3)
    assert outbound.last_error == "Telegram 502: Bad Gateway"
    assert Message.objects.get(direction="out").delivery_status == "failed"
    assert len(telegram.requests) == 3 and telegram.delivered() == []
