"""The website chat: our own widget over websockets. There is no provider and no webhook;
"sending" a reply tells the conversation's channel-layer group that it is ready, and each
open widget socket of that conversation forwards it (the group lives in Redis, so the
worker that sends and the ASGI process that holds the socket may be different machines).
A visitor who is offline gets the reply from the history when the widget reconnects."""

from django.http import HttpRequest

from ..layer import layer_group_send
from .base import (
    ChannelAdapter,
    OutgoingMessage,
    ParseResult,
    SendError,
    SendResult,
    WebhookRejected,
)


def conversation_group(conversation_id: int) -> str:
    """The channel-layer group every open widget socket of a conversation joins."""
    return f"chat.conversation.{conversation_id}"


class WebChatAdapter(ChannelAdapter):
    channel = "web"
    reply_window_hours = None

    def verify(self, request: HttpRequest):
        raise WebhookRejected(404, "the website chat has no webhook")

    def parse(self, request: HttpRequest) -> ParseResult:
        raise WebhookRejected(404, "the website chat has no webhook")

    def send(self, message: OutgoingMessage) -> SendResult:
        event = {
            "type": "chat.message",
            "conversation": message.conversation_id,
            "message": message.message_id,
        }
        try:
            sent = layer_group_send((conversation_group(message.conversation_id), event))
        except Exception as error:  # Redis unreachable: the outbox retries
            raise SendError(f"channel layer: {error.__class__.__name__}: {error}") from error
        if not sent:
            raise SendError("no channel layer is configured", permanent=True)
        return SendResult(provider_message_ids=[f"web:{message.message_id}"])
