"""Replies longer than a provider's limit go out in parts. When a part fails, the parts
that went out are remembered: the retry sends only the rest, so the buyer gets every
part once and in order, or the reply fails visibly saying how many parts went out.
Delivery statuses of parts that arrive before the reply's ids are saved are kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from channels_app.adapters.base import split_text
from channels_app.adapters.whatsapp import TEMPLATE_PARAMETER_CHARS
from channels_app.models import Conversation, KeptDeliveryStatus, Message
from channels_app.services.messaging import outbound_queue, outbox_sweep
from tests.channels_app.fakes import telegram as telegram_fakes
from tests.channels_app.fakes import whatsapp as whatsapp_fakes
from tests.channels_app.fakes.telegram import TelegramFake, telegram_api
from tests.channels_app.fakes.wechat import SEND_PATH, wechat_api
from tests.channels_app.fakes.whatsapp import WhatsAppFake, whatsapp_api

# Three paragraphs of about 3,000 characters: three parts on WhatsApp and Telegram.
PARAGRAPHS = [
    ("Part one of the offer. " * 130).strip(),
    ("Part two: prices and lead times. " * 95).strip(),
    ("Part three, the terms. " * 130).strip(),
]
LONG_REPLY = "\n\n".join(PARAGRAPHS)
# The fakes' answer queue: None means the provider's normal success.
ACCEPTED = None


@pytest.fixture
def whatsapp(settings):
    with whatsapp_api(settings) as fake:
        yield fake


@pytest.fixture
def telegram(settings):
    with telegram_api(settings) as fake:
        yield fake


@pytest.fixture
def wechat(settings):
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 0  # every reply through the customer-service API
    with wechat_api(settings) as fake:
        yield fake


def whatsapp_conversation(client, capture) -> Conversation:
    """Carlos writes on WhatsApp (the assistant answers him); his open conversation."""
    payload = whatsapp_fakes.at(whatsapp_fakes.fixture("text"), int(timezone.now().timestamp()))
    with capture(execute=True):
        assert whatsapp_fakes.deliver(client, payload).status_code == 200
    return Conversation.objects.get(channel="whatsapp")


def telegram_conversation(client, capture) -> Conversation:
    with capture(execute=True):
        assert (
            telegram_fakes.deliver(client, telegram_fakes.fixture_bytes("private_text")).status_code
            == 200
        )
    return Conversation.objects.get(channel="telegram")


def staff_replies(conversation: Conversation, capture, text: str = LONG_REPLY) -> Message:
    with capture(execute=True):
        return outbound_queue(conversation=conversation, text=text, sender="staff")


def whatsapp_status(client, wamid: str, status: str) -> None:
    payload = whatsapp_fakes.fixture(f"status_{status}")
    payload["entry"][0]["changes"][0]["value"]["statuses"][0]["id"] = wamid
    assert whatsapp_fakes.deliver(client, payload).status_code == 200


def test_split_is_the_same_on_every_attempt():
    assert split_text(LONG_REPLY, 4096) == PARAGRAPHS
    assert split_text(LONG_REPLY, 4096) == split_text(LONG_REPLY, 4096)


def test_whatsapp_part_that_failed_is_retried_alone_and_early_status_is_kept(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    conversation = whatsapp_conversation(client, django_capture_on_commit_callbacks)
    whatsapp.requests.clear()
    whatsapp.then(ACCEPTED, WhatsAppFake.error(500, 131000, "Something went wrong"))
    reply = staff_replies(conversation, django_capture_on_commit_callbacks)

    outbound = reply.outbound
    outbound.refresh_from_db()
    (first_id,) = outbound.payload["parts_sent"]
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    assert "1 of 3 parts went out; a retry sends only the rest" in outbound.last_error
    # Meta reports part 1 delivered before the rest went out: kept, not lost.
    whatsapp_status(client, first_id, "delivered")
    reply.refresh_from_db()
    assert reply.delivery_status == "queued"
    assert KeptDeliveryStatus.objects.filter(provider_message_id=first_id).exists()

    moment = timezone.now()
    outbox_sweep(now=moment + timedelta(hours=1))
    outbox_sweep(now=moment + timedelta(hours=3))  # nothing left to send

    texts = [request.body["text"]["body"] for request in whatsapp.requests]
    assert texts == [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[1], PARAGRAPHS[2]]
    assert [request.status for request in whatsapp.requests] == [200, 500, 200, 200]
    assert [body["text"]["body"] for body in whatsapp.delivered()] == PARAGRAPHS
    ids = [f"wamid.FAKE{n:06d}" for n in (2, 3, 4)]  # the assistant's reply had 1
    reply.refresh_from_db()
    outbound.refresh_from_db()
    assert reply.provider_message_id == ",".join(ids) and ids[0] == first_id
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 2, "")
    # The kept status was applied once the ids were saved.
    assert reply.delivery_status == "delivered"
    assert not KeptDeliveryStatus.objects.exists()
    # Later statuses of any part still move the message forward, never back.
    whatsapp_status(client, ids[2], "read")
    whatsapp_status(client, ids[1], "delivered")
    reply.refresh_from_db()
    assert reply.delivery_status == "read"


def test_whatsapp_template_parts_resume_as_templates(
    client, demo, whatsapp, settings, django_capture_on_commit_callbacks
):
    conversation = whatsapp_conversation(client, django_capture_on_commit_callbacks)
    settings.WHATSAPP_TEMPLATE_NAME = "enquiry_followup"
    Conversation.objects.filter(pk=conversation.pk).update(
        reply_window_expires_at=timezone.now() - timedelta(hours=1)
    )
    whatsapp.requests.clear()
    whatsapp.then(ACCEPTED, WhatsAppFake.error(503, 131000, "Service unavailable"))
    text = " ".join(PARAGRAPHS)[: TEMPLATE_PARAMETER_CHARS * 3 - 100]
    staff_replies(conversation, django_capture_on_commit_callbacks, text)
    outbox_sweep(now=timezone.now() + timedelta(hours=1))

    def parameter(body):
        return body["template"]["components"][0]["parameters"][0]["text"]

    parts = split_text(text, TEMPLATE_PARAMETER_CHARS)
    assert len(parts) == 3
    assert [body["type"] for body in whatsapp.delivered()] == ["template"] * 3
    assert [parameter(body) for body in whatsapp.delivered()] == parts
    assert [parameter(request.body) for request in whatsapp.requests] == [
        parts[0],
        parts[1],
        parts[1],
        parts[2],
    ]
    assert Message.objects.get(sender="staff").delivery_status == "sent"


def test_whatsapp_permanent_failure_after_some_parts_fails_visibly(
    client, demo, whatsapp, django_capture_on_commit_callbacks
):
    conversation = whatsapp_conversation(client, django_capture_on_commit_callbacks)
    whatsapp.requests.clear()
    whatsapp.then(
        ACCEPTED,
        WhatsAppFake.error(500, 131000, "Something went wrong"),
        WhatsAppFake.error(400, 131026, "Message undeliverable"),
    )
    reply = staff_replies(conversation, django_capture_on_commit_callbacks)
    outbox_sweep(now=timezone.now() + timedelta(hours=1))
    outbox_sweep(now=timezone.now() + timedelta(hours=3))

    reply.refresh_from_db()
    outbound = reply.outbound
    assert (outbound.status, outbound.attempts) == ("failed", 2)
    assert outbound.last_error.startswith("WhatsApp 400 (code 131026): Message undeliverable")
    assert "(1 of 3 parts went out; the rest was not sent)" in outbound.last_error
    assert reply.delivery_status == "failed"
    assert reply.provider_message_id == "wamid.FAKE000002"  # the part the buyer has
    assert [body["text"]["body"] for body in whatsapp.delivered()] == PARAGRAPHS[:1]


def test_telegram_part_that_failed_is_retried_alone(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    conversation = telegram_conversation(client, django_capture_on_commit_callbacks)
    telegram.requests.clear()
    telegram.then(ACCEPTED, TelegramFake.error(500, "Internal Server Error"))
    reply = staff_replies(conversation, django_capture_on_commit_callbacks)
    reply.outbound.refresh_from_db()
    assert reply.outbound.payload["parts_sent"] == ["102"]  # the assistant's reply was 101

    outbox_sweep(now=timezone.now() + timedelta(hours=1))
    outbox_sweep(now=timezone.now() + timedelta(hours=3))

    sent = [r.body["text"] for r in telegram.requests if r.path.endswith("/sendMessage")]
    assert sent == [PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[1], PARAGRAPHS[2]]
    assert [body["text"] for body in telegram.delivered()] == PARAGRAPHS
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.provider_message_id) == ("sent", "102,103,104")
    assert (reply.outbound.status, reply.outbound.attempts) == ("sent", 2)


def test_telegram_blocked_after_some_parts_fails_visibly(
    client, demo, telegram, django_capture_on_commit_callbacks
):
    conversation = telegram_conversation(client, django_capture_on_commit_callbacks)
    telegram.requests.clear()
    telegram.then(
        ACCEPTED, ACCEPTED, TelegramFake.error(403, "Forbidden: bot was blocked by the user")
    )
    reply = staff_replies(conversation, django_capture_on_commit_callbacks)
    reply.refresh_from_db()
    assert reply.delivery_status == "failed"
    assert reply.outbound.status == "failed"
    assert "(2 of 3 parts went out; the rest was not sent)" in reply.outbound.last_error
    assert reply.provider_message_id == "102,103"
    assert [body["text"] for body in telegram.delivered()] == PARAGRAPHS[:2]


def test_wechat_part_that_failed_is_retried_alone(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    from tests.channels_app.fakes.wechat import fixture, push

    with django_capture_on_commit_callbacks(execute=True):
        assert push(client, fixture("text.xml")).content == b"success"
    conversation = Conversation.objects.get(channel="wechat")
    wechat.calls.clear()
    parts = ["第一部分。" * 120, "第二部分。" * 120, "第三部分。" * 120]  # 1,800 bytes each
    wechat.then(SEND_PATH, {"errcode": 0, "errmsg": "ok"}, {"errcode": -1, "errmsg": "system busy"})
    reply = staff_replies(conversation, django_capture_on_commit_callbacks, "\n".join(parts))
    reply.outbound.refresh_from_db()
    assert reply.outbound.payload["parts_sent"] == [""]  # WeChat gives no id; counted
    outbox_sweep(now=timezone.now() + timedelta(hours=1))

    assert [body["text"]["content"] for body in wechat.delivered()] == parts
    assert len(wechat.calls_to(SEND_PATH)) == 4  # part 2 twice: busy, then ok
    reply.refresh_from_db()
    assert (reply.delivery_status, reply.outbound.status) == ("sent", "sent")
