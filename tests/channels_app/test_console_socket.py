"""The staff console socket against the real ASGI application (session cookie auth),
Redis channel layer and PostgreSQL: staff only, each rep sees only the conversations of
companies they may see, live as buyers write and people take over."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from channels_app.models import Conversation
from channels_app.services.handoff import conversation_take_over
from config.asgi import application
from crm.models import Team, User

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}
CARLOS = "+51987654321"  # Iluminación Andina (Peru): owned by rep1, team Americas & Europe
DUBAI = "+971501234567"  # a company of team Asia, Middle East & Russia (rep2's)
ANDINA = "Iluminación Andina S.A.C."
_ids = iter(range(1, 10_000))


def run(scenario):
    return async_to_sync(scenario)()


def buyer_says(number: str, text: str) -> None:
    """A buyer's WhatsApp message through the webhook (locmem adapter)."""
    body = {"messages": [{"id": f"wamid.c{next(_ids)}", "from": number, "text": text}]}
    response = Client().post("/hooks/whatsapp/", body, content_type="application/json", **HEADERS)
    assert response.status_code == 200


def cookie_for(username: str | None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver")]
    if username:
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.cookies["sessionid"].value
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return headers


async def open_console(headers):
    socket = WebsocketCommunicator(application, "/ws/console/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def staff_console(headers):
    socket = await open_console(headers)
    hello = await socket.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return socket, hello


async def frames_until(socket, predicate, timeout=5):
    frames = []
    while True:
        frames.append(await socket.receive_json_from(timeout=timeout))
        if predicate(frames[-1]):
            return frames


def is_buyer_message(frame) -> bool:
    return frame["type"] == "message" and frame["message"]["sender"] == "buyer"


def test_anonymous_socket_is_closed_with_4403():
    async def scenario():
        socket = await open_console(cookie_for(None))
        closed = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


def test_user_without_a_role_is_closed_with_4403(db):
    User.objects.create_user(username="visitor", password="pw-for-tests-only")
    headers = cookie_for("visitor")

    async def scenario():
        socket = await open_console(headers)
        closed = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


def test_hello_lists_only_the_conversations_the_user_may_see(demo, locmem):
    buyer_says(CARLOS, "Hola, ¿precio del panel LED?")
    buyer_says(DUBAI, "Hello, price of the LED panel?")
    rep1, admin = cookie_for("rep1"), cookie_for("admin")

    async def scenario():
        rep1_socket, rep1_hello = await staff_console(rep1)
        admin_socket, admin_hello = await staff_console(admin)
        await rep1_socket.disconnect()
        await admin_socket.disconnect()
        return rep1_hello, admin_hello

    rep1_hello, admin_hello = run(scenario)
    assert [card["company"]["name"] for card in rep1_hello["conversations"]] == [ANDINA]
    assert len(admin_hello["conversations"]) == 2
    card = rep1_hello["conversations"][0]
    assert card["contact"]["name"] == "Carlos Quispe" and card["channel"] == "whatsapp"
    assert card["status"] == "bot" and card["assigned_to"] is None and not card["escalated"]
    assert card["last_message"]["sender"] == "assistant"  # answered: nobody is waiting
    assert card["waiting_since"] is None


def test_buyer_message_reaches_the_owner_once_and_not_another_team(demo, locmem):
    rep1, rep2 = cookie_for("rep1"), cookie_for("rep2")

    async def scenario():
        rep1_socket, _ = await staff_console(rep1)
        rep2_socket, _ = await staff_console(rep2)
        await sync_to_async(buyer_says)(CARLOS, "Hola, ¿precio del panel LED 600x600?")
        # The buyer's message, the assistant's reply, then the reply's delivery.
        frames = await frames_until(rep1_socket, lambda frame: frame["type"] == "delivery")
        rep1_quiet = await rep1_socket.receive_nothing(timeout=0.5)
        rep2_quiet = await rep2_socket.receive_nothing(timeout=1)
        await rep1_socket.disconnect()
        await rep2_socket.disconnect()
        return frames, rep1_quiet, rep2_quiet

    frames, rep1_quiet, rep2_quiet = run(scenario)
    buyer = [frame for frame in frames if is_buyer_message(frame)]
    assert len(buyer) == 1  # rep1 is owner and team member: one copy all the same
    assert buyer[0]["message"]["text"] == "Hola, ¿precio del panel LED 600x600?"
    assert buyer[0]["conversation"]["company"]["name"] == ANDINA
    replies = [f for f in frames if f["type"] == "message" and f["message"]["sender"] != "buyer"]
    assert len(replies) == 1 and replies[0]["message"]["delivery_status"] == "queued"
    assert frames[-1]["message"]["delivery_status"] == "sent"
    assert frames[-1]["message"]["id"] == replies[0]["message"]["id"]
    assert rep1_quiet, "no duplicate copies of the events"
    assert rep2_quiet, "rep2 must not see a conversation of another team's company"


def test_take_over_reaches_the_manager_and_the_admin(demo, locmem):
    buyer_says(CARLOS, "Hola")
    conversation = Conversation.objects.get()
    rep1 = User.objects.get(username="rep1")
    manager, admin, rep2 = cookie_for("manager"), cookie_for("admin"), cookie_for("rep2")

    async def scenario():
        sockets = [(await staff_console(headers))[0] for headers in (manager, admin, rep2)]
        await sync_to_async(conversation_take_over)(conversation=conversation, user=rep1)
        seen = [await sockets[0].receive_json_from(timeout=5)]
        seen.append(await sockets[1].receive_json_from(timeout=5))
        rep2_quiet = await sockets[2].receive_nothing(timeout=1)
        for socket in sockets:
            await socket.disconnect()
        return seen, rep2_quiet

    seen, rep2_quiet = run(scenario)
    for frame in seen:
        assert frame["type"] == "conversation" and frame["message"] is None
        assert frame["conversation"]["id"] == conversation.pk
        assert frame["conversation"]["status"] == "human"
        assert frame["conversation"]["assigned_to"]["id"] == rep1.pk
    assert rep2_quiet


def test_refresh_follows_a_new_team(demo, locmem):
    buyer_says(CARLOS, "Hola")
    rep2 = cookie_for("rep2")

    def join_americas():
        Team.objects.get(name="Americas & Europe").members.add(User.objects.get(username="rep2"))

    async def scenario():
        socket, hello = await staff_console(rep2)
        await sync_to_async(join_americas)()
        await socket.send_json_to({"type": "console.refresh"})
        refreshed = await socket.receive_json_from(timeout=5)
        await sync_to_async(buyer_says)(CARLOS, "¿Siguen ahí?")
        live = await frames_until(socket, is_buyer_message)
        await socket.disconnect()
        return hello, refreshed, live

    hello, refreshed, live = run(scenario)
    assert hello["conversations"] == []
    assert refreshed["type"] == "hello"
    assert [card["company"]["name"] for card in refreshed["conversations"]] == [ANDINA]
    assert live[-1]["conversation"]["company"]["name"] == ANDINA


def test_webhook_succeeds_when_the_channel_layer_is_down(demo, locmem, settings, caplog):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens there
        }
    }
    buyer_says(CARLOS, "Hola, ¿precio del panel LED?")
    assert Conversation.objects.get().messages.count() == 2  # stored and answered
    assert "console push for conversation" in caplog.text


def test_ping_gets_pong_and_anything_else_an_error(demo):
    rep1 = cookie_for("rep1")

    async def scenario():
        socket, _ = await staff_console(rep1)
        await socket.send_json_to({"type": "ping"})
        pong = await socket.receive_json_from(timeout=5)
        await socket.send_json_to({"type": "message", "text": "hi"})
        error = await socket.receive_json_from(timeout=5)
        await socket.send_to(text_data="not json")
        garbled = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return pong, error, garbled

    pong, error, garbled = run(scenario)
    assert pong == {"type": "pong"}
    assert error == {"type": "error", "code": "bad_request"}
    assert garbled == {"type": "error", "code": "bad_request"}


def test_a_new_escalation_alerts_the_console(demo, locmem):
    buyer_says(CARLOS, "Hola")
    rep1 = cookie_for("rep1")

    async def scenario():
        socket, _ = await staff_console(rep1)
        await sync_to_async(buyer_says)(CARLOS, "Quiero hablar con una persona, por favor.")
        frames = await frames_until(
            socket,
            lambda frame: (
                frame["type"] == "conversation" and frame["conversation"]["status"] == "human"
            ),
        )
        await socket.disconnect()
        return frames[-1]

    alert = run(scenario)
    assert alert["conversation"]["escalated"] is True
    assert "intent" in alert["conversation"]["reasons"]
    assert alert["conversation"]["assigned_to"]["id"] == User.objects.get(username="rep1").pk
