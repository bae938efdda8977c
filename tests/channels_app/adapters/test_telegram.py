"""Telegram Bot API adapter: updates verified by the secret token and parsed in the
documented Update shape, replies sent to a fake Bot API on loopback, the webhook set up
by a management command that never prints the secret."""

import logging
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from channels_app.adapters import get_adapter
from channels_app.adapters.base import OutgoingMessage, SendError, split_text, utf16_units
from channels_app.models import Message, OutboundMessage
from crm.models import ChannelIdentity
from tests.channels_app.fakes import Answer
from tests.channels_app.fakes.telegram import (
    BOT_TOKEN,
    WEBHOOK_SECRET,
    TelegramFake,
    deliver,
    fixture,
    fixture_bytes,
    telegram_api,
)

GERMAN_ACK = "Vielen Dank, wir haben Ihre Nachricht erhalten und antworten Ihnen in Kürze."
HUGE_CHAT_ID = 9007199254740993  # 2^53 + 1: a float would turn it into ...992


@pytest.fixture
def telegram(settings):
    with telegram_api(settings) as fake:
        yield fake


def outgoing(text="Hallo Jonas", address="500100200") -> OutgoingMessage:
    return OutgoingMessage(
        recipient_address=address, text=text, conversation_id=1, message_id=1, language="de"
    )


# --- verification -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "configured"),
    [
        ("wrong-secret", WEBHOOK_SECRET),
        (None, WEBHOOK_SECRET),
        (WEBHOOK_SECRET[:-1], WEBHOOK_SECRET),
        ("", ""),
    ],
    ids=["wrong", "missing", "prefix", "none-configured"],
)
def test_update_without_the_secret_token_stores_nothing(
    client, demo, telegram, settings, secret, configured
):
    settings.TELEGRAM_WEBHOOK_SECRET = configured
    response = deliver(client, fixture_bytes("private_text"), secret=secret)
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_update_with_the_secret_token_is_stored_for_the_known_buyer(client, demo, telegram):
    assert deliver(client, fixture_bytes("private_text")).status_code == 200
    message = Message.objects.get(direction="in")
    assert message.conversation.contact.name == "Jonas Weber"
    assert message.conversation.identity.address == "500100200"
    assert message.provider_message_id == "update:734001001"
    assert message.text.startswith("Guten Tag, wir brauchen 500 LED-Panels")
    assert message.language == "de"
    assert message.sent_at == datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


# --- parsing ------------------------------------------------------------------------------


def test_same_update_twice_is_one_message(client, demo, telegram):
    for _ in range(2):
        assert deliver(client, fixture_bytes("private_text")).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_an_older_update_arriving_late_is_still_stored(client, demo, telegram):
    later = fixture("private_text")
    later["update_id"] += 10
    later["message"]["message_id"] += 10
    deliver(client, later)
    deliver(client, fixture("private_text"))  # a lower update_id, delivered after
    assert set(Message.objects.values_list("provider_message_id", flat=True)) == {
        "update:734001011",
        "update:734001001",
    }


def test_group_messages_are_ignored(client, demo, telegram):
    assert deliver(client, fixture_bytes("group_message")).status_code == 200
    assert not Message.objects.exists()
    assert not ChannelIdentity.objects.filter(address="-1001234567890123").exists()


def test_edited_message_is_stored_as_a_new_message(client, demo, telegram):
    deliver(client, fixture_bytes("private_text"))
    deliver(client, fixture_bytes("edited_message"))
    texts = list(
        Message.objects.filter(direction="in").order_by("sequence").values_list("text", "sent_at")
    )
    assert [text for text, _ in texts] == [
        "Guten Tag, wir brauchen 500 LED-Panels 60x60 DAP Hamburg. Wie ist der Preis?",
        "Guten Tag, wir brauchen 800 LED-Panels 60x60 DAP Hamburg. Wie ist der Preis?",
    ]
    assert texts[1][1] == datetime.fromtimestamp(1767250890, tz=UTC)  # when it was edited


@pytest.mark.parametrize(
    ("name", "kind", "text", "attachment"),
    [
        (
            "photo",
            "image",
            "Haben Sie dieses Modell auch in 4000K?",
            {"type": "image", "file_id": "AgACAgIAAxkBAAIBs-large", "mime_type": "image/jpeg"},
        ),
        (
            "sticker",
            "sticker",
            "[sticker]",
            {
                "type": "sticker",
                "file_id": "CAACAgIAAxkBAAIBt-sticker",
                "mime_type": "",
                "emoji": "👍",
            },
        ),
        (
            "voice",
            "voice",
            "[voice message]",
            {"type": "voice", "file_id": "AwACAgIAAxkBAAIBu-voice", "mime_type": "audio/ogg"},
        ),
        (
            "location",
            "location",
            "[location] 53.5461, 9.9661",
            {
                "type": "location",
                "latitude": 53.5461,
                "longitude": 9.9661,
                "name": "",
                "address": "",
            },
        ),
    ],
)
def test_each_message_kind_is_kept_with_its_text_and_attachments(
    client, demo, telegram, name, kind, text, attachment
):
    assert deliver(client, fixture_bytes(name)).status_code == 200
    message = Message.objects.get(direction="in")
    assert (message.kind, message.text) == (kind, text)
    assert message.attachments == [attachment]


def test_sender_name_and_language_come_from_the_sender(client, demo, telegram):
    deliver(client, fixture_bytes("huge_chat_id"))
    message = Message.objects.get(direction="in")
    assert message.conversation.contact.name == "Li Wei"
    assert message.language == "en"


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"message": {}}', b'{"update_id": "1"}'])
def test_malformed_update_is_a_400_and_changes_nothing(client, demo, telegram, body):
    assert deliver(client, body).status_code == 400
    assert not Message.objects.exists()


def test_updates_that_are_not_messages_are_acknowledged_and_ignored(client, demo, telegram):
    update = {"update_id": 734001100, "my_chat_member": {"chat": {"id": 500100200}}}
    assert deliver(client, update).status_code == 200
    assert not Message.objects.exists()


# --- sending ------------------------------------------------------------------------------


def test_chat_id_beyond_2_to_the_53_round_trips_exactly(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fixture_bytes("huge_chat_id"))
    identity = ChannelIdentity.objects.get(channel="telegram", contact__name="Li Wei")
    assert identity.address == str(HUGE_CHAT_ID)
    (request,) = telegram.requests
    assert request.body["chat_id"] == HUGE_CHAT_ID
    assert b'"chat_id":9007199254740993' in request.raw  # an exact integer, not 9.007e15
    assert Message.objects.get(direction="out").delivery_status == "sent"


def test_reply_goes_to_sendmessage_with_the_chat_id_as_a_number(telegram):
    result = get_adapter("telegram").send(outgoing(GERMAN_ACK))
    (request,) = telegram.requests
    assert request.path == f"/bot{BOT_TOKEN}/sendMessage"
    assert request.body == {"chat_id": 500100200, "text": GERMAN_ACK}
    assert result.provider_message_ids == ["101"]


def test_long_text_is_split_past_4096_characters_into_several_messages(telegram):
    text = "\n".join(f"Position {i:04d}: LED-Panel 60x60, 40 W, 4000 K." for i in range(250))
    result = get_adapter("telegram").send(outgoing(text))
    texts = [body["text"] for body in telegram.delivered()]
    assert len(texts) == 3 and all(len(part) <= 4096 for part in texts)
    assert "\n".join(texts) == text  # cut at line ends, nothing lost
    assert result.provider_message_ids == ["101", "102", "103"]


def test_split_counts_utf16_units_as_telegram_does():
    emoji = "💡" * 3000  # 3,000 characters, 6,000 UTF-16 code units
    parts = split_text(emoji, 4096, measure=utf16_units)
    assert [len(part) for part in parts] == [2048, 952]
    assert split_text(" \n ", 4096, measure=utf16_units) == []


def test_rate_limit_retry_after_is_honoured(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    telegram.then(TelegramFake.error(429, "Too Many Requests: retry after 17", retry_after=17))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fixture_bytes("private_text"))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    wait = (outbound.next_attempt_at - outbound.updated_at).total_seconds()
    assert 16 <= wait <= 18


def test_blocked_bot_fails_permanently_with_the_reason(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    telegram.then(TelegramFake.error(403, "Forbidden: bot was blocked by the user"))
    with django_capture_on_commit_callbacks(execute=True):
        deliver(client, fixture_bytes("private_text"))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("failed", 1)
    assert outbound.last_error == "Telegram 403: Forbidden: bot was blocked by the user"
    assert Message.objects.get(direction="out").delivery_status == "failed"


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [
        (TelegramFake.error(500, "Internal Server Error"), False),
        (TelegramFake.error(502, "Bad Gateway"), False),
        (Answer(disconnect=True), False),
        (TelegramFake.error(400, "Bad Request: chat not found"), True),
        (TelegramFake.error(403, "Forbidden: user is deactivated"), True),
    ],
    ids=["500", "502", "network", "chat-not-found", "deactivated"],
)
def test_provider_errors_map_to_retryable_or_permanent(telegram, answer, permanent):
    telegram.then(answer)
    with pytest.raises(SendError) as raised:
        get_adapter("telegram").send(outgoing())
    assert raised.value.permanent is permanent


def test_the_bot_token_never_appears_in_errors_or_logs(telegram, settings, caplog):
    settings.TELEGRAM_BOT_TOKEN = "999:wrong-token"
    with caplog.at_level(logging.INFO, logger="httpx"), pytest.raises(SendError) as raised:
        get_adapter("telegram").send(outgoing())
    assert "TELEGRAM_BOT_TOKEN" in raised.value.reason and not raised.value.permanent
    assert "wrong-token" not in raised.value.reason
    assert caplog.records and "wrong-token" not in caplog.text
    telegram.stop()
    with caplog.at_level(logging.INFO, logger="httpx"), pytest.raises(SendError) as raised:
        get_adapter("telegram").send(outgoing())
    assert "unreachable" in raised.value.reason and "wrong-token" not in raised.value.reason


def test_not_a_chat_id_fails_permanently(telegram):
    with pytest.raises(SendError) as raised:
        get_adapter("telegram").send(outgoing(address="@jweber"))
    assert raised.value.permanent and telegram.requests == []


# --- setting the webhook ------------------------------------------------------------------


def test_set_webhook_command_registers_url_secret_and_updates(telegram):
    out = StringIO()
    call_command("telegram_set_webhook", "https://crm.brightway.example/", stdout=out)
    set_webhook = next(r for r in telegram.requests if r.path.endswith("/setWebhook"))
    assert set_webhook.body == {
        "url": "https://crm.brightway.example/hooks/telegram/",
        "secret_token": WEBHOOK_SECRET,
        "allowed_updates": ["message", "edited_message"],
        "drop_pending_updates": False,
    }
    printed = out.getvalue()
    assert "https://crm.brightway.example/hooks/telegram/" in printed
    assert "message, edited_message" in printed
    assert WEBHOOK_SECRET not in printed and WEBHOOK_SECRET[:12] not in printed
    assert BOT_TOKEN not in printed


@pytest.mark.parametrize(
    ("url", "setting", "value", "message"),
    [
        ("http://crm.example", None, None, "HTTPS"),
        ("https://crm.example", "TELEGRAM_WEBHOOK_SECRET", "has spaces!", "A-Z"),
        ("https://crm.example", "TELEGRAM_WEBHOOK_SECRET", "", "A-Z"),
        ("https://crm.example", "TELEGRAM_BOT_TOKEN", "", "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_set_webhook_command_refuses_what_telegram_would(
    telegram, settings, url, setting, value, message
):
    if setting:
        setattr(settings, setting, value)
    with pytest.raises(CommandError, match=message):
        call_command("telegram_set_webhook", url, stdout=StringIO())
    assert telegram.requests == []


def test_set_webhook_command_reports_telegrams_refusal(telegram):
    telegram.then(TelegramFake.error(400, "Bad Request: bad webhook: Failed to resolve host"))
    with pytest.raises(CommandError, match="Failed to resolve host") as raised:
        call_command("telegram_set_webhook", "https://nowhere.invalid", stdout=StringIO())
    assert WEBHOOK_SECRET not in str(raised.value)
