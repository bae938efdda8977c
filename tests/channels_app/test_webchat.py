"""The website chat socket against the real ASGI application, Redis channel layer and
PostgreSQL. Tasks run inline (django-q2 sync mode), so a stored message is processed and
its reply sent (pushed to the conversation's group) as soon as it commits."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.core import signing
from django.core.cache import cache

from channels_app import consumers
from channels_app.adapters import get_adapter
from channels_app.adapters.base import WebhookRejected
from channels_app.adapters.web import WebChatAdapter, conversation_group
from channels_app.models import Conversation, Message, OutboundMessage, Sender
from channels_app.services import webchat
from channels_app.services.messaging import outbound_queue, outbound_send
from config.asgi import application
from crm.models import ChannelIdentity

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://testserver")]


@pytest.fixture(autouse=True)
def _clean_limits():
    """Rate-limit counters live in the shared cache: start every test from zero."""
    cache.clear()
    yield
    cache.clear()


def run(scenario):
    return async_to_sync(scenario)()


async def connect(headers=ORIGIN, client=("203.0.113.7", 50000)):
    socket = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    socket.scope["client"] = client
    connected, _ = await socket.connect()
    assert connected
    return socket


async def hello(socket, token=None, last_seq=0, lang="es-PE", **extra):
    await socket.send_json_to(
        {"type": "hello", "token": token, "last_seq": last_seq, "lang": lang, "page": "/", **extra}
    )
    return await socket.receive_json_from(timeout=5)


async def say(socket, text, client_id=None):
    client_id = client_id or str(uuid.uuid4())
    await socket.send_json_to({"type": "message", "text": text, "client_id": client_id})
    return client_id


async def frames_until(socket, predicate, timeout=5):
    """Frames received until (and including) the first one `predicate` accepts."""
    frames = []
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        frames.append(frame)
        if predicate(frame):
            return frames


def messages(frames):
    return [frame for frame in frames if frame["type"] == "message"]


def is_reply(frame):
    return frame["type"] == "message" and frame["sender"] != "buyer"


def test_adapter_has_no_webhook_and_no_reply_window():
    adapter = get_adapter("web")
    assert isinstance(adapter, WebChatAdapter)
    assert adapter.reply_window_hours is None
    with pytest.raises(WebhookRejected) as rejected:
        adapter.verify(None)
    assert rejected.value.status == 404


def test_webhook_url_for_web_does_not_exist(client):
    assert client.post("/hooks/web/", {}).status_code == 404


def test_hello_without_token_gets_a_new_signed_token():
    async def scenario():
        socket = await connect()
        welcome = await hello(socket)
        await socket.disconnect()
        return welcome

    welcome = run(scenario)
    assert welcome["type"] == "welcome" and welcome["conversation"] is None
    assert welcome["lang"] == "es"
    visitor = webchat.visitor_from_token(welcome["token"])
    assert visitor and len(visitor) == 32


def test_socket_from_a_foreign_origin_is_refused():
    async def scenario():
        socket = WebsocketCommunicator(
            application, "/ws/chat/", headers=[(b"origin", b"https://evil.example")]
        )
        connected, _ = await socket.connect()
        return connected

    assert run(scenario) is False


def test_message_is_echoed_with_its_sequence_and_answered_in_the_browser_language(demo):
    async def scenario():
        socket = await connect()
        welcome = await hello(socket, lang="es-PE")
        client_id = await say(socket, "Hola, ¿precio del panel LED 600x600?")
        frames = await frames_until(socket, is_reply)
        await socket.disconnect()
        return welcome, client_id, frames

    welcome, client_id, frames = run(scenario)
    echo, reply = messages(frames)
    assert echo["seq"] == 1 and echo["sender"] == "buyer" and echo["client_id"] == client_id
    assert echo["text"] == "Hola, ¿precio del panel LED 600x600?"
    assert reply["seq"] == 2 and reply["sender"] == "assistant" and reply["lang"] == "es"
    assert "9,80" in reply["text"]  # the list price, formatted for Spanish
    assert reply["conversation"] == echo["conversation"]
    visitor = webchat.visitor_from_token(welcome["token"])
    identity = ChannelIdentity.objects.get(channel="web", address=f"web:{visitor}")
    assert identity.contact.company.is_prospect
    stored = Message.objects.get(direction="in")
    assert stored.provider_message_id == f"{visitor}:{client_id}" and stored.language == "es"
    assert Message.objects.get(direction="out").delivery_status == "sent"
    assert Message.objects.get(direction="out").provider_message_id.startswith("web:")


def test_reconnect_with_last_seq_receives_only_what_was_missed():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        await say(socket, "Hola")
        await frames_until(socket, is_reply)
        await socket.disconnect()

        again = await connect()
        welcome = await hello(again, token=token, last_seq=1)
        resumed = await frames_until(again, lambda frame: frame["type"] == "message")
        nothing_more = await again.receive_nothing(timeout=0.3)
        await again.disconnect()
        return token, welcome, resumed, nothing_more

    token, welcome, resumed, nothing_more = run(scenario)
    assert welcome["token"] == token
    assert welcome["conversation"] == Conversation.objects.get().pk
    assert [(frame["seq"], frame["sender"]) for frame in resumed] == [(2, "assistant")]
    assert nothing_more


def test_reload_without_history_gets_the_whole_conversation_in_order():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        for text in ("uno", "dos"):
            await say(socket, text)
            await frames_until(socket, lambda frame, text=text: is_reply(frame))
        await socket.disconnect()
        again = await connect()
        await hello(again, token=token, last_seq=0)
        frames = [await again.receive_json_from(timeout=5) for _ in range(4)]
        await again.disconnect()
        return frames

    frames = run(scenario)
    assert [frame["seq"] for frame in frames] == [1, 2, 3, 4]
    assert [frame["text"] for frame in frames if frame["sender"] == "buyer"] == ["uno", "dos"]


def test_tampered_token_starts_a_new_visitor():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        await say(socket, "Hola")
        await frames_until(socket, is_reply)
        await socket.disconnect()

        forged = signing.dumps({"v": "0" * 32}, salt="another-salt")
        tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        welcomes = []
        for bad in (tampered, forged, "garbage", 42):
            again = await connect()
            welcomes.append(await hello(again, token=bad, last_seq=1))
            welcomes.append(await again.receive_nothing(timeout=0.2))
            await again.disconnect()
        return token, welcomes

    token, welcomes = run(scenario)
    for welcome, quiet in zip(welcomes[::2], welcomes[1::2], strict=True):
        assert welcome["token"] != token and welcome["conversation"] is None
        assert quiet  # none of the first visitor's messages
    assert len({webchat.visitor_from_token(w["token"]) for w in welcomes[::2]}) == 4


def test_messages_over_the_rate_limit_get_an_error_and_are_not_stored(settings):
    settings.WEB_CHAT_MESSAGES_PER_MINUTE = 2

    async def scenario():
        socket = await connect()
        await hello(socket, lang="de-DE")
        for text in ("eins", "zwei"):
            await say(socket, text)
            await frames_until(socket, is_reply)
        client_id = await say(socket, "drei")
        error = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return client_id, error

    client_id, error = run(scenario)
    assert error["type"] == "error" and error["code"] == "rate_limited"
    assert error["client_id"] == client_id
    assert "zu schnell" in error["message"]  # in the visitor's language
    assert list(Message.objects.filter(direction="in").values_list("text", flat=True)) == [
        "eins",
        "zwei",
    ]


def test_new_sessions_over_the_per_ip_limit_are_refused(settings):
    settings.WEB_CHAT_SESSIONS_PER_IP_PER_HOUR = 2

    async def scenario():
        results = []
        for _ in range(3):
            socket = await connect(client=("198.51.100.9", 40000))
            results.append(await hello(socket, lang="fr"))
            if results[-1]["type"] == "error":
                results.append(await socket.receive_output(timeout=5))
            await socket.disconnect()
        other_ip = await connect(client=("198.51.100.10", 40000))
        results.append(await hello(other_ip))
        await other_ip.disconnect()
        return results

    first, second, refused, closed, other = run(scenario)
    assert first["type"] == second["type"] == "welcome"
    assert refused["code"] == "too_many_sessions" and "réseau" in refused["message"]
    assert closed == {"type": "websocket.close", "code": 4429}
    assert other["type"] == "welcome"


def test_returning_visitor_is_not_counted_as_a_new_session(settings):
    settings.WEB_CHAT_SESSIONS_PER_IP_PER_HOUR = 1

    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        await socket.disconnect()
        again = await connect()
        welcome = await hello(again, token=token)
        await again.disconnect()
        return token, welcome

    token, welcome = run(scenario)
    assert welcome["type"] == "welcome" and welcome["token"] == token


def test_resent_client_id_is_stored_once_and_echoed_again():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        client_id = await say(socket, "¿Tienen muestras?")
        first = await frames_until(socket, is_reply)
        await socket.disconnect()
        # The widget lost the connection before it saw the echo and resends.
        again = await connect()
        await hello(again, token=token, last_seq=0)
        replayed = [await again.receive_json_from(timeout=5) for _ in range(2)]
        await say(again, "¿Tienen muestras?", client_id=client_id)
        after_resend = await again.receive_nothing(timeout=0.3)
        await again.disconnect()
        return client_id, first, replayed, after_resend

    client_id, first, replayed, after_resend = run(scenario)
    assert Message.objects.filter(direction="in").count() == 1
    assert Message.objects.filter(direction="out").count() == 1
    assert replayed[0]["client_id"] == client_id and replayed[0]["seq"] == 1
    assert after_resend  # already sent on this socket: not twice


def test_duplicate_client_id_on_a_fresh_socket_is_echoed_with_the_stored_sequence():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        client_id = await say(socket, "Hello")
        await frames_until(socket, is_reply)
        await socket.disconnect()
        again = await connect()
        await hello(again, token=token, last_seq=2)
        await say(again, "Hello", client_id=client_id)
        quiet = await again.receive_nothing(timeout=0.3)
        await again.disconnect()
        return quiet

    assert run(scenario)
    assert Message.objects.filter(direction="in").count() == 1


def test_reply_sent_by_another_process_reaches_the_socket():
    async def scenario():
        socket = await connect()
        await hello(socket, lang="pt-BR")
        await say(socket, "Olá")
        await frames_until(socket, is_reply)
        # A rep answers from the console; the outbox worker (another process) sends it.
        conversation = await sync_to_async(Conversation.objects.get)()
        await sync_to_async(_staff_reply)(conversation, "Posso enviar amostras esta semana.")
        frames = await frames_until(socket, is_reply)
        await socket.disconnect()
        return frames

    frames = run(scenario)
    assert [(f["seq"], f["sender"], f["text"]) for f in messages(frames)] == [
        (3, "staff", "Posso enviar amostras esta semana.")
    ]


def _staff_reply(conversation, text):
    message = outbound_queue(conversation=conversation, text=text, sender=Sender.STAFF)
    # Sync mode already sent it on commit; sending again must change nothing.
    assert outbound_send(outbound_id=message.outbound.pk) == "skipped"
    assert OutboundMessage.objects.get(pk=message.outbound.pk).status == "sent"


def test_group_event_from_a_separate_channel_layer_reaches_the_socket():
    """What a qcluster worker does: push through Redis with its own layer connection."""

    async def scenario():
        socket = await connect()
        await hello(socket)
        await say(socket, "Hola")
        await frames_until(socket, is_reply)
        conversation = await sync_to_async(Conversation.objects.get)()
        message = await sync_to_async(_queued_without_sending)(conversation)

        def worker_send():
            # A fresh event loop in another thread, as in a worker process.
            assert webchat_adapter_send(message) == [f"web:{message.pk}"]

        await asyncio.get_running_loop().run_in_executor(None, worker_send)
        frames = await frames_until(socket, is_reply)
        await socket.disconnect()
        return message, frames

    message, frames = run(scenario)
    assert [frame["seq"] for frame in messages(frames)] == [message.sequence]


def _queued_without_sending(conversation):
    from django.db import transaction

    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        conversation.last_sequence += 1
        conversation.save(update_fields=["last_sequence"])
        return Message.objects.create(
            conversation=conversation,
            sequence=conversation.last_sequence,
            direction="out",
            sender=Sender.STAFF,
            text="Sent by a worker",
            channel="web",
            sent_at=conversation.updated_at,
        )


def webchat_adapter_send(message):
    from channels_app.adapters.base import OutgoingMessage

    result = WebChatAdapter().send(
        OutgoingMessage(
            recipient_address="web:x",
            text=message.text,
            conversation_id=message.conversation_id,
            message_id=message.pk,
        )
    )
    return result.provider_message_ids


def test_script_text_round_trips_as_text():
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'

    async def scenario():
        socket = await connect()
        await hello(socket, lang="en-US")
        await say(socket, payload)
        frames = await frames_until(socket, is_reply)
        await socket.disconnect()
        return frames

    echo = messages(run(scenario))[0]
    assert echo["text"] == payload
    assert Message.objects.get(direction="in").text == payload


def test_empty_too_long_and_unreadable_frames_get_errors_and_store_nothing():
    async def scenario():
        socket = await connect()
        await hello(socket, lang="ru-RU")
        results = []
        await say(socket, "   \n  ")
        results.append(await socket.receive_json_from(timeout=5))
        await say(socket, "x" * (webchat.MAX_TEXT_CHARS + 1))
        results.append(await socket.receive_json_from(timeout=5))
        await socket.send_to(text_data="{not json")
        results.append(await socket.receive_json_from(timeout=5))
        await socket.send_json_to({"type": "message", "text": 5, "client_id": "abc"})
        results.append(await socket.receive_json_from(timeout=5))
        await socket.send_json_to({"type": "message", "text": "hi", "client_id": "a b"})
        results.append(await socket.receive_json_from(timeout=5))
        await socket.disconnect()
        return results

    codes = [frame["code"] for frame in run(scenario)]
    assert codes == ["empty", "too_long", "bad_request", "bad_request", "bad_request"]
    assert not Message.objects.exists()


def test_message_before_hello_is_refused():
    async def scenario():
        socket = await connect()
        await say(socket, "hi")
        error = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return error

    assert run(scenario)["code"] == "bad_request"
    assert not Message.objects.exists()


def test_second_tab_sees_the_visitors_message_and_the_reply():
    async def scenario():
        first = await connect()
        token = (await hello(first))["token"]
        await say(first, "Hola")
        await frames_until(first, is_reply)
        second = await connect()
        await hello(second, token=token, last_seq=2)
        await say(first, "¿Y el plazo de entrega?")
        seen = await frames_until(second, is_reply)
        await first.disconnect()
        await second.disconnect()
        return seen

    seen = messages(run(scenario))
    assert [(f["seq"], f["sender"]) for f in seen] == [(3, "buyer"), (4, "assistant")]


def test_closed_conversation_continues_in_a_new_one():
    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        await say(socket, "Hola")
        first = await frames_until(socket, is_reply)
        await sync_to_async(Conversation.objects.update)(status="closed")
        await say(socket, "Hola otra vez")
        second = await frames_until(socket, is_reply)
        await socket.disconnect()
        again = await connect()
        welcome = await hello(
            again, token=token, last_seq=2, conversation=first[-1]["conversation"]
        )
        resumed = [await again.receive_json_from(timeout=5) for _ in range(2)]
        await again.disconnect()
        return first, second, welcome, resumed

    first, second, welcome, resumed = run(scenario)
    old, new = first[-1]["conversation"], second[-1]["conversation"]
    assert new != old
    assert [(f["conversation"], f["seq"]) for f in messages(second)] == [(new, 1), (new, 2)]
    assert welcome["conversation"] == new
    assert [f["seq"] for f in resumed] == [1, 2]  # a new conversation replays from its start


def test_staff_typing_reaches_the_widget_and_buyer_typing_is_not_echoed():
    async def scenario():
        socket = await connect()
        await hello(socket)
        await say(socket, "Hola")
        await frames_until(socket, is_reply)
        conversation = await sync_to_async(Conversation.objects.get)()
        await socket.send_json_to({"type": "typing"})
        quiet = await socket.receive_nothing(timeout=0.3)
        await get_channel_layer().group_send(
            conversation_group(conversation.pk), {"type": "chat.typing", "sender": "staff"}
        )
        typing = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return quiet, typing

    quiet, typing = run(scenario)
    assert quiet
    assert typing == {"type": "typing", "sender": "staff"}


def test_channel_layer_is_redis_with_the_test_prefix(settings):
    layer = get_channel_layer()
    assert type(layer).__module__.startswith("channels_redis")
    assert layer.prefix.startswith("portolan-test-")


def test_reply_whose_push_was_dropped_reaches_the_waiting_socket(monkeypatch):
    monkeypatch.setattr(consumers, "REPLY_CHECKS_SECONDS", (0.2, 0.2))

    async def scenario():
        socket = await connect()
        token = (await hello(socket))["token"]
        await say(socket, "Hola")
        await frames_until(socket, is_reply)
        # A rep's answer is queued, but its push never reaches this process.
        await sync_to_async(Conversation.objects.update)(status="human")
        await say(socket, "¿Hay alguien?")
        echo = await socket.receive_json_from(timeout=5)
        conversation = await sync_to_async(Conversation.objects.get)()
        message = await sync_to_async(_queued_without_sending)(conversation)
        late = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return token, echo, message, late

    token, echo, message, late = run(scenario)
    assert (echo["seq"], echo["sender"]) == (3, "buyer")
    assert (late["seq"], late["text"]) == (message.sequence, "Sent by a worker")
