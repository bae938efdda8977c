"""WeChat Official Account: signed pushes (plain and safe mode), hostile XML, dedupe,
passive replies within the request, and the customer-service API with its token."""

import json
import time
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.core.cache import cache

from channels_app.adapters import get_adapter
from channels_app.adapters.base import OutgoingMessage, SendError
from channels_app.adapters.wechat import text_parts, wechat_decrypt
from channels_app.models import Conversation, Message, OutboundMessage
from channels_app.services.messaging import outbound_queue, outbound_send
from tests.channels_app.fakes.wechat import (
    ACCOUNT,
    APP_ID,
    ENCODING_AES_KEY,
    SEND_PATH,
    TOKEN,
    TOKEN_PATH,
    decrypt,
    encrypt,
    fixture,
    push,
    sign,
    wechat_api,
)

TAN = "oWx_demo_tanweiming"


@pytest.fixture
def wechat(settings):
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 4.0
    with wechat_api(settings) as fake:
        yield fake


@pytest.fixture
def no_passive(settings, wechat):
    """The reply is never ready within the passive window: it goes out through the API."""
    settings.WECHAT_PASSIVE_REPLY_SECONDS = 0
    return wechat


def handshake(client, *, signature=None, echostr="4875019231864227"):
    timestamp, nonce = str(int(time.time())), "1514693214"
    query = {
        "signature": signature or sign(TOKEN, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": echostr,
    }
    return client.get(f"/hooks/wechat/?{urlencode(query)}")


def reply_fields(response) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(response.content)}


# --- handshake and authenticity ---------------------------------------------------------


def test_handshake_echoes_echostr_when_signed_with_our_token(client, wechat):
    response = handshake(client)
    assert response.status_code == 200
    assert response.content == b"4875019231864227"
    assert response["Content-Type"].startswith("text/plain")


def test_handshake_with_a_wrong_signature_is_refused(client, wechat):
    response = handshake(client, signature=sign("another-token", "1", "2"))
    assert response.status_code == 403
    assert b"4875019231864227" not in response.content


def test_push_with_a_wrong_signature_is_refused_and_nothing_is_stored(client, demo, wechat):
    response = push(client, fixture("text.xml"), token="not-our-token")
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_push_with_an_old_timestamp_is_refused(client, demo, wechat):
    response = push(client, fixture("text.xml"), timestamp=str(int(time.time()) - 3600))
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_safe_mode_push_with_a_wrong_msg_signature_is_refused(client, demo, wechat):
    response = push(client, fixture("text.xml"), safe=True, msg_signature=sign("x", "y"))
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_push_encrypted_for_another_app_id_is_refused(client, demo, wechat):
    timestamp, nonce = str(int(time.time())), "77"
    encrypted = encrypt(fixture("text.xml"), app_id="wx_someone_else")
    query = {
        "signature": sign(TOKEN, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": sign(TOKEN, timestamp, nonce, encrypted),
    }
    body = f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()
    response = client.post(f"/hooks/wechat/?{urlencode(query)}", body, content_type="text/xml")
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_without_a_configured_token_every_request_is_refused(client, demo, wechat, settings):
    settings.WECHAT_TOKEN = ""
    assert handshake(client, signature=sign("", "1", "2")).status_code == 403
    assert push(client, fixture("text.xml"), token="").status_code == 403
    assert not Message.objects.exists()


# --- hostile and broken XML ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["external_entity.xml", "billion_laughs.xml"])
@pytest.mark.parametrize("safe", [False, True])
def test_xml_with_a_dtd_is_rejected_and_nothing_is_stored(client, demo, wechat, name, safe):
    response = push(client, fixture(name), safe=safe)
    assert response.status_code == 400
    assert b"root:" not in response.content
    assert not Message.objects.exists()


def test_unreadable_xml_is_a_400(client, demo, wechat):
    response = push(client, b"<xml><ToUserName>gh_</ToUser")
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_push_without_a_sender_is_a_400(client, demo, wechat):
    response = push(client, b"<xml><MsgType>text</MsgType><Content>hi</Content></xml>")
    assert response.status_code == 400
    assert not Message.objects.exists()


# --- storing ------------------------------------------------------------------------------


def test_text_push_is_stored_for_the_known_buyer(
    client, demo, no_passive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"))
    assert response.status_code == 200
    assert response.content == b"success"
    inbound = Message.objects.get(direction="in")
    assert inbound.channel == "wechat"
    assert inbound.provider_message_id == "24762662405509099"
    assert inbound.text == "你好，请问600x600面板灯2000个的价格是多少？"
    assert inbound.sent_at.timestamp() == 1741226400
    assert inbound.conversation.contact.name == "Tan Wei Ming"
    assert inbound.conversation.identity.address == TAN
    window = inbound.conversation.reply_window_expires_at - inbound.sent_at
    assert window.total_seconds() == 48 * 3600


@pytest.mark.parametrize(
    "name, kind, text, attachment",
    [
        ("image.xml", "image", "[image]", {"type": "image", "media_id": "media_id_image_demo"}),
        ("voice.xml", "voice", "[voice message]", {"type": "voice", "format": "amr"}),
        ("video.xml", "video", "[video]", {"type": "video", "media_id": "media_id_video_demo"}),
        ("location.xml", "location", "[location]", {"label": "Marina Bay, Singapore"}),
        ("link.xml", "unknown", "[link] 项目照明规格书 https://example.com/spec", {"type": "link"}),
    ],
)
def test_media_pushes_are_stored_with_their_kind_and_a_placeholder(
    client, demo, no_passive, name, kind, text, attachment
):
    assert push(client, fixture(name)).status_code == 200
    inbound = Message.objects.get(direction="in")
    assert (inbound.kind, inbound.text) == (kind, text)
    assert attachment.items() <= inbound.attachments[0].items()


def test_voice_with_speech_recognition_is_stored_as_what_was_said(client, demo, no_passive):
    xml = fixture("voice.xml").replace(
        b"<Format>",
        b"<Recognition><![CDATA[\xe6\x88\x91\xe8\xa6\x81\xe6\xa0\xb7\xe5\x93\x81]]></Recognition><Format>",
    )
    assert push(client, xml).status_code == 200
    assert Message.objects.get(direction="in").text == "我要样品"


def test_retried_push_is_stored_once_and_answered_the_same(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    answers = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = push(client, fixture("text.xml"))
        assert response.status_code == 200
        answers.append(reply_fields(response)["Content"])
    assert Message.objects.filter(direction="in").count() == 1
    assert Message.objects.filter(direction="out").count() == 1
    assert len(set(answers)) == 1
    assert wechat.calls == []


def test_follow_event_is_stored_once_and_unfollow_is_ignored(
    client, demo, no_passive, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert push(client, fixture("event_subscribe.xml")).content == b"success"
    event = Message.objects.get(direction="in")
    assert event.kind == "event"
    assert event.provider_message_id == "event:oWx_new_follower_01:1741226760"
    with django_capture_on_commit_callbacks(execute=True):
        assert push(client, fixture("event_unsubscribe.xml")).content == b"success"
    assert Message.objects.filter(direction="in").count() == 1


# --- answering ------------------------------------------------------------------------------


def test_reply_ready_in_time_is_the_passive_reply_and_no_api_call_is_made(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    fields = reply_fields(response)
    reply = Message.objects.get(direction="out")
    assert fields["ToUserName"] == TAN
    assert fields["FromUserName"] == ACCOUNT
    assert fields["MsgType"] == "text"
    assert fields["Content"] == reply.text
    assert reply.language == "zh-hans"
    assert reply.delivery_status == "sent"
    outbound = OutboundMessage.objects.get(message=reply)
    assert outbound.status == "sent" and outbound.payload["passive"] is True
    assert reply.conversation.last_outbound_at is not None
    assert wechat.calls == []


def test_safe_mode_round_trip_decrypts_the_push_and_encrypts_the_reply(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"), safe=True)
    assert response.status_code == 200
    assert Message.objects.get(direction="in").text.startswith("你好")
    envelope = reply_fields(response)
    assert envelope.keys() == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    assert envelope["MsgSignature"] == sign(
        TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"]
    )
    xml, app_id = decrypt(envelope["Encrypt"])
    assert app_id == APP_ID
    fields = {child.tag: child.text for child in ElementTree.fromstring(xml)}
    assert fields["ToUserName"] == TAN and fields["FromUserName"] == ACCOUNT
    assert fields["Content"] == Message.objects.get(direction="out").text
    assert wechat.calls == []


def test_adapter_decrypts_what_wechat_encrypts():
    xml = "<xml><Content><![CDATA[样品]]></Content></xml>".encode()
    assert wechat_decrypt(encrypt(xml), encoding_aes_key=ENCODING_AES_KEY, app_id=APP_ID) == xml


def test_reply_not_ready_in_time_goes_out_through_the_customer_service_api(
    client, demo, no_passive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("text.xml"))
    assert response.content == b"success"
    reply = Message.objects.get(direction="out")
    assert reply.delivery_status == "sent"
    assert OutboundMessage.objects.get(message=reply).payload.get("passive") is None
    assert no_passive.delivered() == [
        {"touser": TAN, "msgtype": "text", "text": {"content": reply.text}}
    ]
    send = no_passive.calls_to(SEND_PATH)[0]
    assert send.query["access_token"] == "ACCESS_TOKEN_1"
    # UTF-8 on the wire: WeChat shows \\u escapes literally.
    assert "\\u" not in send.raw.decode()


def test_conversation_with_a_person_gets_no_automatic_reply(
    client, demo, wechat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        push(client, fixture("text.xml"))
    Conversation.objects.update(status="human")
    with django_capture_on_commit_callbacks(execute=True):
        response = push(client, fixture("image.xml"))
    assert response.content == b"success"
    assert Message.objects.filter(direction="out").count() == 1
    assert wechat.calls == []


def test_reply_too_long_for_a_passive_reply_goes_out_in_parts(client, demo, wechat):
    adapter = get_adapter("wechat")
    long_text = "\n".join(f"第{n}行：600x600面板灯，36W，4000K，UGR<19。" for n in range(120))
    assert not adapter.fits_passive_reply(long_text)
    adapter.send(
        OutgoingMessage(recipient_address=TAN, text=long_text, conversation_id=1, message_id=1)
    )
    contents = [body["text"]["content"] for body in wechat.delivered()]
    assert len(contents) > 1
    assert all(len(content.encode()) <= 2000 for content in contents)
    assert "\n".join(contents) == long_text


def test_text_parts_cut_long_lines_within_the_limit():
    parts = text_parts("word " * 1000, limit=100)
    assert all(len(part.encode()) <= 100 for part in parts)
    assert " ".join(parts).split() == ["word"] * 1000
    assert text_parts("短" * 50, limit=30) == ["短" * 10] * 5


# --- the customer-service API and its token -------------------------------------------------


def queued_reply(client, text="您好，样品可以在7天内寄出。") -> OutboundMessage:
    """A WeChat conversation with Tan Wei Ming and a reply waiting in the outbox."""
    push(client, fixture("text.xml"))
    conversation = Conversation.objects.get(channel="wechat")
    message = outbound_queue(
        conversation=conversation, text=text, sender="staff", language="zh-hans"
    )
    return message.outbound


def test_access_token_is_fetched_once_and_cached(client, demo, no_passive):
    first = queued_reply(client, "一")
    second = outbound_queue(
        conversation=first.message.conversation, text="二", sender="staff"
    ).outbound
    assert outbound_send(outbound_id=first.pk) == "sent"
    assert outbound_send(outbound_id=second.pk) == "sent"
    assert len(no_passive.calls_to(TOKEN_PATH)) == 1
    token_call = no_passive.calls_to(TOKEN_PATH)[0]
    assert token_call.query == {
        "grant_type": "client_credential",
        "appid": APP_ID,
        "secret": "app-secret-for-tests-0123456789ab",
    }
    assert cache.get(get_adapter("wechat").token_cache_key()) == "ACCESS_TOKEN_1"


def test_expired_token_is_refreshed_and_the_send_retried_once(client, demo, no_passive):
    get_adapter("wechat").access_token()
    no_passive.expire_tokens()
    outbound = queued_reply(client)
    assert outbound_send(outbound_id=outbound.pk) == "sent"
    sends = no_passive.calls_to(SEND_PATH)
    assert [call.answer["errcode"] for call in sends] == [42001, 0]
    assert [call.query["access_token"] for call in sends] == ["ACCESS_TOKEN_1", "ACCESS_TOKEN_2"]
    assert len(no_passive.calls_to(TOKEN_PATH)) == 2


def test_token_refused_twice_is_not_retried_more_than_once(client, demo, no_passive):
    outbound = queued_reply(client)
    invalid = {"errcode": 40001, "errmsg": "invalid credential"}
    no_passive.then(SEND_PATH, invalid, invalid)
    assert outbound_send(outbound_id=outbound.pk) == "queued"
    assert len(no_passive.calls_to(SEND_PATH)) == 2
    outbound.refresh_from_db()
    assert "40001" in outbound.last_error


def test_reply_window_closed_fails_permanently_with_the_reason(client, demo, no_passive):
    outbound = queued_reply(client)
    no_passive.then(
        SEND_PATH,
        {"errcode": 45015, "errmsg": "response out of time limit or subscription is canceled"},
    )
    assert outbound_send(outbound_id=outbound.pk) == "failed"
    outbound.refresh_from_db()
    assert outbound.status == "failed" and outbound.attempts == 1
    assert "45015" in outbound.last_error and "48-hour" in outbound.last_error
    assert Message.objects.get(pk=outbound.message_id).delivery_status == "failed"


@pytest.mark.parametrize(
    "answer",
    [
        {"errcode": -1, "errmsg": "system error"},
        {"errcode": 45009, "errmsg": "reach max api daily quota limit"},
    ],
)
def test_busy_api_is_retried_later(client, demo, no_passive, answer):
    outbound = queued_reply(client)
    no_passive.then(SEND_PATH, answer)
    assert outbound_send(outbound_id=outbound.pk) == "queued"
    outbound.refresh_from_db()
    assert outbound.next_attempt_at is not None and str(answer["errcode"]) in outbound.last_error


def test_token_refusal_is_reported_without_leaking_the_secret(client, demo, no_passive):
    no_passive.then(
        TOKEN_PATH, {"errcode": 40164, "errmsg": "invalid ip 203.0.113.9, not in whitelist"}
    )
    with pytest.raises(SendError) as raised:
        get_adapter("wechat").send(
            OutgoingMessage(recipient_address=TAN, text="你好", conversation_id=1, message_id=1)
        )
    assert "40164" in raised.value.reason and not raised.value.permanent
    assert "app-secret" not in raised.value.reason


def test_api_down_is_a_retryable_error(settings, wechat):
    settings.WECHAT_API_BASE = "http://127.0.0.1:9"
    with pytest.raises(SendError) as raised:
        get_adapter("wechat").send(
            OutgoingMessage(recipient_address=TAN, text="你好", conversation_id=1, message_id=1)
        )
    assert not raised.value.permanent and "unreachable" in raised.value.reason
    assert "secret" not in raised.value.reason


def test_send_body_is_the_documented_json(wechat):
    get_adapter("wechat").send(
        OutgoingMessage(recipient_address=TAN, text="样品 OK", conversation_id=1, message_id=1)
    )
    call = wechat.calls_to(SEND_PATH)[0]
    assert call.method == "POST"
    assert json.loads(call.raw) == {
        "touser": TAN,
        "msgtype": "text",
        "text": {"content": "样品 OK"},
    }


def test_with_safe_mode_required_a_plain_push_is_refused(client, demo, wechat, settings):
    settings.WECHAT_REQUIRE_SAFE_MODE = True
    assert push(client, fixture("text.xml")).status_code == 403
    assert not Message.objects.exists()
    assert push(client, fixture("text.xml"), safe=True).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_a_captured_signature_cannot_carry_another_body(client, demo, wechat):
    timestamp, nonce = str(int(time.time())), "424242"
    query = urlencode(
        {"signature": sign(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}
    )
    first = client.post(f"/hooks/wechat/?{query}", fixture("text.xml"), content_type="text/xml")
    again = client.post(f"/hooks/wechat/?{query}", fixture("text.xml"), content_type="text/xml")
    forged = fixture("text.xml").replace(b"</Content>", b" forged</Content>")
    replay = client.post(f"/hooks/wechat/?{query}", forged, content_type="text/xml")
    assert (first.status_code, again.status_code, replay.status_code) == (200, 200, 403)
    assert Message.objects.filter(direction="in").count() == 1
