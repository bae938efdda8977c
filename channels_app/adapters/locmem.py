"""An in-memory adapter for tests, like Django's locmem email backend: what it sends
lands in `LocmemAdapter.outbox`; queue SendErrors in `LocmemAdapter.failures` to make
the next sends fail. Requests carry JSON: {"messages": [{"id", "from", "text"}], "statuses": […]}."""

import json
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone

from .base import (
    ChannelAdapter,
    InboundMessage,
    OutgoingMessage,
    ParseResult,
    SendResult,
    StatusUpdate,
    WebhookRejected,
)


class LocmemAdapter(ChannelAdapter):
    channel = "locmem"
    reply_window_hours = None
    outbox: list[OutgoingMessage] = []
    failures: list[Exception] = []
    sent_count = 0

    @classmethod
    def reset(cls) -> None:
        cls.outbox.clear()
        cls.failures.clear()
        cls.sent_count = 0

    def verify(self, request: HttpRequest):
        if request.headers.get("X-Locmem-Token") != "locmem":
            raise WebhookRejected(403, "bad token")
        return None

    def parse(self, request: HttpRequest) -> ParseResult:
        body = json.loads(request.body or b"{}")
        now = timezone.now()
        return ParseResult(
            messages=[
                InboundMessage(
                    provider_message_id=str(item["id"]),
                    sender_address=str(item["from"]),
                    text=item.get("text", ""),
                    kind=item.get("kind", "text"),
                    sender_name=item.get("name", ""),
                    language_hint=item.get("lang", ""),
                    sent_at=datetime.fromisoformat(item["at"]) if "at" in item else now,
                )
                for item in body.get("messages", [])
            ],
            statuses=[
                StatusUpdate(provider_message_id=item["id"], status=item["status"], at=now)
                for item in body.get("statuses", [])
            ],
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        if type(self).failures:
            raise type(self).failures.pop(0)
        type(self).sent_count += 1
        type(self).outbox.append(message)
        return SendResult(provider_message_ids=[f"locmem-{type(self).sent_count}"])
