"""WeChat end to end: a push in → stored → assistant turn → the reply out, either in
the push's own response (passive reply) or through the fake customer-service API."""

from xml.etree import ElementTree

import pytest

from channels_app.models import Conversation, Message, OutboundMessage
from channels_app.services.messaging import outbound_queue
from crm.models import Interaction
from tests.channels_app.fakes.wechat import (
    ACCOUNT,
    SEND_PATH,
    TOKEN_PATH,
    decrypt,
    fixture,
    push,
    wechat_api,
)

TAN = "oWx_demo_tanweiming"


@pytest.fixture
def wechat(settings):
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 4.0
    with wechat_api(settings) as fake:
        yield fake


def test_buyer_question_is_answered_in_the_same_response_in_chinese(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"))
    fields = {child.tag: child.text for child in ElementTree.fromstring(response.content)}
    reply = Message.objects.get(direction="out")
    assert (fields["ToUserName"], fields["FromUserName"]) == (TAN, ACCOUNT)
    assert fields["Content"] == reply.text and reply.language == "zh-hans"
    assert OutboundMessage.objects.get(message=reply).status == "sent"
    assert wechat.calls == []
    lion_city = demo.companies["Lion City Electrical Pte. Ltd."]
    assert Interaction.objects.filter(company=lion_city, channel="wechat", direction="in").exists()
    assert Interaction.objects.filter(
        company=lion_city, channel="wechat", direction="out", author="assistant"
    ).exists()


def test_safe_mode_conversation_answers_encrypted(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"), safe=True)
    envelope = {child.tag: child.text for child in ElementTree.fromstring(response.content)}
    xml, _ = decrypt(envelope["Encrypt"])
    content = ElementTree.fromstring(xml).findtext("Content")
    assert content == Message.objects.get(direction="out").text
    assert wechat.calls == []


def test_slow_reply_and_later_staff_reply_go_through_the_customer_service_api(
    client, demo, wechat, settings, django_capture_on_commit_callbacks
):
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 0  # the assistant's turn misses the window
    with django_capture_on_commit_callbacks(execute=True):
        assert push(client, fixture("text.xml")).content == b"success"
    assistant_reply = Message.objects.get(direction="out")
    assert assistant_reply.delivery_status == "sent" and assistant_reply.language == "zh-hans"
    with django_capture_on_commit_callbacks(execute=True):
        outbound_queue(
            conversation=Conversation.objects.get(channel="wechat"),
            text="陈先生您好，样品明天寄出。",
            sender="staff",
            language="zh-hans",
        )
    assert [body["text"]["content"] for body in wechat.delivered()] == [
        assistant_reply.text,
        "陈先生您好，样品明天寄出。",
    ]
    assert all(body["touser"] == TAN for body in wechat.delivered())
    assert len(wechat.calls_to(TOKEN_PATH)) == 1  # the token is reused
    assert len(wechat.calls_to(SEND_PATH)) == 2


def test_retries_from_wechat_produce_one_message_and_one_reply(
    client, demo, wechat, settings, django_capture_on_commit_callbacks
):
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 0
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert push(client, fixture("text.xml")).content == b"success"
    assert Message.objects.filter(direction="in").count() == 1
    assert len(wechat.delivered()) == 1


def test_follow_event_retried_by_wechat_is_stored_and_handled_once(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = push(client, fixture("event_subscribe.xml"))
    replies = Message.objects.filter(direction="out").count()
    with django_capture_on_commit_callbacks(execute=True):
        retry = push(client, fixture("event_subscribe.xml"))
    assert first.status_code == retry.status_code == 200
    assert Message.objects.filter(direction="in", kind="event").count() == 1
    assert Message.objects.filter(direction="out").count() == replies <= 1
    assert Conversation.objects.get(channel="wechat").identity.address == "oWx_new_follower_01"
    assert wechat.calls == []
