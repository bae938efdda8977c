"""Telegram Bot API: updates in through a webhook that carries our secret token, replies
out with sendMessage. Private chats only; no reply window."""

import hmac
import json
import logging
from datetime import UTC, datetime

import httpx
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .base import (
    ChannelAdapter,
    InboundMessage,
    OutgoingMessage,
    ParseResult,
    SendError,
    SendResult,
    WebhookRejected,
    parts_send,
    split_text,
    utf16_units,
)

logger = logging.getLogger(__name__)


class _BotTokenRedacted(logging.Filter):
    """httpx logs each request's URL at INFO, and the Bot API's URLs hold the bot token."""

    def filter(self, record: logging.LogRecord) -> bool:
        token = settings.TELEGRAM_BOT_TOKEN
        if token and token in (text := record.getMessage()):
            record.msg, record.args = text.replace(token, "<token>"), ()
        return True


logging.getLogger("httpx").addFilter(_BotTokenRedacted())

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_TEXT_UNITS = 4096  # measured in UTF-16 code units, as Telegram counts
ALLOWED_UPDATES = ["message", "edited_message"]
MEDIA_KINDS = {
    "photo": "image",
    "sticker": "sticker",
    "voice": "voice",
    "audio": "voice",
    "video": "video",
    "video_note": "video",
    "animation": "video",
    "document": "document",
}


class TelegramAdapter(ChannelAdapter):
    channel = "telegram"
    reply_window_hours = None

    def __init__(self):
        self._http: httpx.Client | None = None

    # --- in -----------------------------------------------------------------------------

    def verify(self, request: HttpRequest):
        secret = settings.TELEGRAM_WEBHOOK_SECRET
        if not secret:
            raise WebhookRejected(403, "TELEGRAM_WEBHOOK_SECRET is not set: no webhooks accepted")
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise WebhookRejected(403, "bad or missing X-Telegram-Bot-Api-Secret-Token")
        if request.method != "POST":
            raise WebhookRejected(405, "Telegram posts updates")
        return None

    def parse(self, request: HttpRequest) -> ParseResult:
        update = json.loads(request.body)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            raise ValueError("not a Telegram update: no update_id")
        # An edit arrives as its own update and is kept as a new message.
        message = update.get("message") or update.get("edited_message")
        if not isinstance(message, dict):
            return ParseResult()  # not a message (a member update, a callback): not ours
        chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
        sender = message.get("from") if isinstance(message.get("from"), dict) else {}
        if chat.get("type") != "private" or sender.get("is_bot"):
            return ParseResult()  # groups and channels are not sales conversations
        chat_id = chat.get("id")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise ValueError("Telegram message without a chat id")
        kind, text, attachments = _content(message)
        name = " ".join(
            part for part in (sender.get("first_name"), sender.get("last_name")) if part
        )
        return ParseResult(
            messages=[
                InboundMessage(
                    # update_id is the dedupe key: the same update delivered twice is
                    # stored once (a unique constraint, never "greater than the last").
                    provider_message_id=f"update:{update['update_id']}",
                    # Chat ids exceed 32 bits (and JavaScript's 2^53): kept as text.
                    sender_address=str(chat_id),
                    text=text,
                    sent_at=_time(message.get("edit_date") or message.get("date")),
                    kind=kind,
                    sender_name=name,
                    language_hint=str(sender.get("language_code") or "")[:10],
                    attachments=attachments,
                )
            ]
        )

    # --- out ----------------------------------------------------------------------------

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            chat_id = int(message.recipient_address)
        except ValueError:
            raise SendError(
                f"not a Telegram chat id: {message.recipient_address!r}", permanent=True
            ) from None
        return parts_send(
            split_text(message.text, MAX_TEXT_UNITS, measure=utf16_units),
            lambda part: str(
                self.api_call("sendMessage", {"chat_id": chat_id, "text": part})["message_id"]
            ),
            message=message,
        )

    def webhook_set(self, *, url: str, drop_pending_updates: bool = False):
        """Point the bot's webhook at `url`, signed with TELEGRAM_WEBHOOK_SECRET."""
        return self.api_call(
            "setWebhook",
            {
                "url": url,
                "secret_token": settings.TELEGRAM_WEBHOOK_SECRET,
                "allowed_updates": ALLOWED_UPDATES,
                "drop_pending_updates": drop_pending_updates,
            },
        )

    def webhook_info(self) -> dict:
        return self.api_call("getWebhookInfo", {})

    def api_call(self, method: str, payload: dict):
        """One Bot API method; its `result`, or a SendError saying why not. The bot token
        is part of the URL and never appears in an error."""
        token = settings.TELEGRAM_BOT_TOKEN
        url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{token}/{method}"
        try:
            response = self._client().post(url, json=payload)
        except httpx.HTTPError as error:
            text = f"{error.__class__.__name__}: {error}"
            raise SendError(
                f"Telegram unreachable: {text.replace(token, '<token>') if token else text}"
            ) from None
        try:
            data = response.json()
        except ValueError:
            data = {}
        data = data if isinstance(data, dict) else {}
        if response.is_success and data.get("ok"):
            return data.get("result")
        raise _send_error(response, data)

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=TIMEOUT)
        return self._http


def _time(timestamp) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def _content(message: dict) -> tuple[str, str, list[dict]]:
    """(kind, text, attachments) of one message; the text of a media message is its caption."""
    text = message.get("text") or message.get("caption") or ""
    if "text" in message:
        return "text", text, []
    for field, kind in MEDIA_KINDS.items():
        media = message.get(field)
        if not media:
            continue
        if field == "photo":  # the same photo in several sizes: the largest is last
            media = media[-1] if isinstance(media, list) else {}
        media = media if isinstance(media, dict) else {}
        attachment = {
            "type": kind,
            "file_id": media.get("file_id", ""),
            "mime_type": media.get("mime_type", "image/jpeg" if field == "photo" else ""),
        }
        if media.get("file_name"):
            attachment["filename"] = media["file_name"]
        if media.get("emoji"):
            attachment["emoji"] = media["emoji"]
        return kind, text, [attachment]
    location = message.get("location")
    if isinstance(location, dict):
        venue = message.get("venue") if isinstance(message.get("venue"), dict) else {}
        place = ", ".join(part for part in (venue.get("title"), venue.get("address")) if part)
        point = f"{location.get('latitude')}, {location.get('longitude')}"
        attachment = {
            "type": "location",
            "latitude": location.get("latitude"),
            "longitude": location.get("longitude"),
            "name": venue.get("title", ""),
            "address": venue.get("address", ""),
        }
        text = f"[location] {place} ({point})" if place else f"[location] {point}"
        return "location", text, [attachment]
    return "unknown", text, []  # a poll, a contact card, a game…: kept with a placeholder


def _send_error(response: httpx.Response, data: dict) -> SendError:
    code = data.get("error_code")
    code = code if isinstance(code, int) else response.status_code
    description = data.get("description") or response.reason_phrase
    reason = f"Telegram {code}: {description}"
    parameters = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    if code == 429:
        retry_after = parameters.get("retry_after") or response.headers.get("Retry-After")
        try:
            wait = float(retry_after) if retry_after is not None else None
        except ValueError:
            wait = None
        return SendError(reason, retry_after=wait)
    if code >= 500 or response.status_code >= 500:
        return SendError(reason)
    if code in (401, 404):  # the bot token is wrong or was revoked: fixable, so retried
        return SendError(f"{reason} (check TELEGRAM_BOT_TOKEN)")
    # Blocked by the user, chat not found, user deactivated: sending again cannot work.
    return SendError(reason, permanent=True)
