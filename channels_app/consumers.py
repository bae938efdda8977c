"""The website chat socket, `/ws/chat/`: a thin entry point over services/webchat.py.

Protocol (JSON frames). Client: `hello` {token, last_seq, lang, page, conversation?},
`message` {text, client_id}, `typing`. Server: `welcome` {token, conversation, lang},
`message` {conversation, seq, sender, text, at, client_id, lang}, `typing` {sender},
`error` {code, message, client_id?}.

Every message reaches the socket through one path: a query for the conversation's
messages above the last sequence this socket has sent. Sequences commit in order, so
the socket sends each message once, in order, whether it was triggered by the hello
(resume after a reconnect), by the visitor's own message (the echo), by a group event
(a reply sent by a worker in another process) or by the check a socket waiting for an
answer makes in case a push was dropped. Another tab of the same visitor sees a message
with the next push.
"""

import asyncio
import functools
import json
import logging
import time
import uuid

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import close_old_connections

from .adapters.web import conversation_group
from .models import ConversationStatus, Sender
from .services import webchat

logger = logging.getLogger(__name__)

MAX_FRAME_CHARS = 5 * webchat.MAX_TEXT_CHARS
TYPING_EVERY_SECONDS = 3.0
# A push can be dropped (channels_redis drops group messages to a process whose inbox is
# over capacity): a socket waiting for an answer looks at the history again after these.
REPLY_CHECKS_SECONDS = (5.0, 15.0, 45.0)
CLOSE_TOO_MANY_SESSIONS = 4429


def _in_thread(func):
    """Run `func` in the thread pool, in parallel with other sockets' database work
    (thread-sensitive calls would queue every socket behind one shared thread)."""

    @functools.wraps(func)
    def closing(*args, **kwargs):
        # Close expired connections inside the call: asgiref runs `func` in a copied
        # context, where channels' own clean-up around it does not always see them.
        close_old_connections()
        try:
            return func(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(closing, thread_sensitive=False)


class WebChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.visitor = None
        self.conversation_id = None
        self.cursor = 0  # the highest sequence of the conversation this socket has sent
        self.browser_language = ""  # the hint stored with each message
        self.language = "en"  # the visitor's language so far: errors are written in it
        self.last_typing = 0.0
        self.reply_check = None
        await self.accept()

    async def disconnect(self, code):
        if self.reply_check is not None:
            self.reply_check.cancel()
        if self.conversation_id is not None:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation_id), self.channel_name
            )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self.send_error("too_long" if text_data else "bad_request")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            content = None
        if not isinstance(content, dict):
            await self.send_error("bad_request")
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "hello" and self.visitor is None:
            await self.hello(content)
        elif self.visitor is None:
            await self.send_error("bad_request")
        elif kind == "message":
            await self.message(content)
        elif kind == "typing":
            await self.typing()
        else:
            await self.send_error("bad_request")

    # --- client frames --------------------------------------------------------------

    async def hello(self, content):
        self.browser_language = webchat.browser_language(str(content.get("lang") or ""))
        self.language = self.browser_language or "en"
        token = content.get("token")
        visitor = webchat.visitor_from_token(token)
        if visitor is None:
            allowed = await sync_to_async(webchat.session_rate_allow, thread_sensitive=False)(
                ip=self.client_ip()
            )
            if not allowed:
                await self.send_error("too_many_sessions")
                await self.close(code=CLOSE_TOO_MANY_SESSIONS)
                return
            token, visitor = webchat.visitor_token_issue()
            conversation = None  # a new visitor has none yet
        else:
            conversation = await _in_thread(webchat.visitor_conversation)(visitor=visitor)
        self.visitor = visitor
        frames = []
        if conversation is not None:
            if conversation.language:
                self.language = conversation.language
            known = content.get("conversation")
            same = known in (None, conversation.pk)
            await self.follow(
                conversation.pk, after=_as_int(content.get("last_seq")) if same else 0
            )
            frames = await _in_thread(webchat.messages_after)(
                conversation_id=conversation.pk, after=self.cursor
            )
        await self.send_json(
            {
                "type": "welcome",
                "token": token,
                "conversation": self.conversation_id,
                "lang": self.language,
            }
        )
        await self.send_frames(frames)

    async def message(self, content):
        client_id = content.get("client_id")
        if client_id is None:
            client_id = str(uuid.uuid4())
        text = content.get("text")
        if not isinstance(client_id, str) or not webchat.CLIENT_ID.match(client_id):
            await self.send_error("bad_request")
            return
        if not isinstance(text, str):
            await self.send_error("bad_request", client_id=client_id)
            return
        text = text.strip()
        if not text:
            await self.send_error("empty", client_id=client_id)
            return
        if len(text) > webchat.MAX_TEXT_CHARS:
            await self.send_error("too_long", client_id=client_id)
            return
        try:
            stored = await _in_thread(self.store)(client_id=client_id, text=text)
        except Exception:
            logger.exception("web chat: storing a message of visitor %s failed", self.visitor)
            await self.send_error("unavailable", client_id=client_id)
            return
        if stored is None:
            await self.send_error("rate_limited", client_id=client_id)
            return
        message, frames = stored
        if message.conversation_id != self.conversation_id:
            await self.follow(message.conversation_id, after=0)  # first message, or reopened
            frames = await _in_thread(webchat.messages_after)(
                conversation_id=message.conversation_id, after=0
            )
        await self.send_frames(frames)
        if self.cursor <= message.sequence:  # not answered yet
            if message.conversation.status == ConversationStatus.BOT:
                await self.send_json({"type": "typing", "sender": Sender.ASSISTANT})
            self.await_reply(message.sequence)

    def store(self, *, client_id: str, text: str):
        """(message, frames to send) or None when over the visitor's rate limit."""
        if not webchat.message_rate_allow(visitor=self.visitor):
            return None
        message = webchat.visitor_message_receive(
            visitor=self.visitor, client_id=client_id, text=text, language=self.browser_language
        )
        frames = []
        if message.conversation_id == self.conversation_id:
            frames = webchat.messages_after(conversation_id=self.conversation_id, after=self.cursor)
        return message, frames

    def await_reply(self, sequence: int):
        if self.reply_check is not None:
            self.reply_check.cancel()
        self.reply_check = asyncio.create_task(self.check_reply(sequence))

    async def check_reply(self, sequence: int):
        try:
            for delay in REPLY_CHECKS_SECONDS:
                await asyncio.sleep(delay)
                if self.cursor > sequence:
                    return
                await self.catch_up()
        except Exception:  # the next push or reconnect catches up instead
            logger.exception("web chat: checking for a reply failed")

    async def typing(self):
        now = time.monotonic()
        if self.conversation_id is None or now - self.last_typing < TYPING_EVERY_SECONDS:
            return
        self.last_typing = now
        await self.channel_layer.group_send(
            conversation_group(self.conversation_id),
            {"type": "chat.typing", "sender": Sender.BUYER},
        )

    # --- group events ---------------------------------------------------------------

    async def chat_message(self, event):
        """A message of the conversation is ready (sent by a worker, perhaps in another
        process): send everything above this socket's cursor."""
        if event.get("conversation") == self.conversation_id:
            await self.catch_up()

    async def chat_typing(self, event):
        if event.get("sender") in (Sender.ASSISTANT, Sender.STAFF):
            await self.send_json({"type": "typing", "sender": event["sender"]})

    # --- helpers --------------------------------------------------------------------

    async def follow(self, conversation_id: int, *, after: int):
        """Join the conversation's group before reading its history, so that nothing
        sent in between is missed (what is both read and pushed is sent once)."""
        if self.conversation_id is not None and self.conversation_id != conversation_id:
            await self.channel_layer.group_discard(
                conversation_group(self.conversation_id), self.channel_name
            )
        await self.channel_layer.group_add(conversation_group(conversation_id), self.channel_name)
        self.conversation_id = conversation_id
        self.cursor = max(0, after)

    async def catch_up(self):
        frames = await _in_thread(webchat.messages_after)(
            conversation_id=self.conversation_id, after=self.cursor
        )
        await self.send_frames(frames)

    async def send_frames(self, frames: list[dict]):
        # The cursor moves before each await: a catch-up running at the same time (the
        # reply check) skips what this one sends, so nothing goes out twice.
        for frame in frames:
            if frame["conversation"] != self.conversation_id or frame["seq"] <= self.cursor:
                continue
            self.cursor = frame["seq"]
            if frame["sender"] != Sender.BUYER and frame["lang"]:
                self.language = frame["lang"]
            await self.send_json(frame)

    async def send_error(self, code: str, *, client_id: str | None = None):
        await self.send_json(webchat.error_frame(code, language=self.language, client_id=client_id))

    def client_ip(self) -> str:
        client = self.scope.get("client") or ("unknown", 0)
        return str(client[0])


def _as_int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0
