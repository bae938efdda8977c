"""WhatsApp Cloud API: signed webhooks in (buyer messages and delivery statuses), replies
out through the /messages endpoint. Free text is allowed only within 24 hours of the
buyer's last message; after that an approved template carries the reply, or nothing does."""

import hashlib
import hmac
import json
import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .base import (
    ChannelAdapter,
    InboundMessage,
    OutgoingMessage,
    ParseResult,
    SendError,
    SendResult,
    StatusUpdate,
    WebhookRejected,
    parts_send,
    split_text,
)

logger = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_TEXT_CHARS = 4096
# A template's body, placeholders filled in, may not exceed 1,024 characters; leave room
# for the template's own words around the reply.
TEMPLATE_PARAMETER_CHARS = 900

RATE_LIMIT_CODES = {4, 80007, 130429, 131048, 131056}
RETRYABLE_CODES = {1, 2, 131000, 133004}  # unknown error, service or server unavailable
AUTH_CODES = {190}  # the access token expired or was revoked: fixable, so retried
WINDOW_CLOSED_CODE = 131047
TEMPLATE = "template"  # how parts went out when they went out as template messages

# Our languages → WhatsApp's template language codes.
TEMPLATE_LANGUAGES = {
    "en": "en_US",
    "zh-hans": "zh_CN",
    "es": "es",
    "pt": "pt_BR",
    "ru": "ru",
    "ar": "ar",
    "fr": "fr",
    "de": "de",
}
DELIVERY_STATUSES = {"sent", "delivered", "read", "failed"}
MEDIA_KINDS = {
    "image": "image",
    "sticker": "sticker",
    "audio": "voice",
    "video": "video",
    "document": "document",
}


class WhatsAppError(SendError):
    """A send the Cloud API refused, with its error code."""

    def __init__(self, reason: str, *, code: int | None = None, **kwargs):
        self.code = code
        super().__init__(reason, **kwargs)


class WhatsAppAdapter(ChannelAdapter):
    channel = "whatsapp"
    reply_window_hours = 24

    def __init__(self):
        self._http: httpx.Client | None = None

    # --- in -----------------------------------------------------------------------------

    def verify(self, request: HttpRequest) -> HttpResponse | None:
        if request.method == "GET":
            return _subscription_handshake(request)
        secret = settings.WHATSAPP_APP_SECRET
        if not secret:
            raise WebhookRejected(403, "WHATSAPP_APP_SECRET is not set: signed webhooks only")
        signature = request.headers.get("X-Hub-Signature-256", "")
        if not signature.startswith("sha256="):
            raise WebhookRejected(401, "missing X-Hub-Signature-256")
        expected = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(signature.removeprefix("sha256=").encode(), expected.encode()):
            raise WebhookRejected(403, "bad X-Hub-Signature-256")
        return None

    def parse(self, request: HttpRequest) -> ParseResult:
        body = json.loads(request.body)
        if not isinstance(body, dict) or not isinstance(body.get("entry"), list):
            raise ValueError("not a WhatsApp webhook: no entry list")
        result = ParseResult()
        for entry in _dicts(body["entry"]):
            for change in _dicts(entry.get("changes")):
                if change.get("field") != "messages" or not isinstance(change.get("value"), dict):
                    continue
                value = change["value"]
                names = {
                    str(contact.get("wa_id")): (contact.get("profile") or {}).get("name", "")
                    for contact in _dicts(value.get("contacts"))
                }
                for item in _dicts(value.get("messages")):
                    message = _inbound(item, names)
                    if message is not None:
                        result.messages.append(message)
                for item in _dicts(value.get("statuses")):
                    update = _status(item)
                    if update is not None:
                        result.statuses.append(update)
        return result

    # --- out ----------------------------------------------------------------------------

    def send(self, message: OutgoingMessage) -> SendResult:
        # A reply that already went out in part continues as it started.
        as_template = (
            message.parts_sent_as == TEMPLATE
            if message.parts_sent
            else bool(message.template or not message.reply_window_open)
        )
        if as_template:
            return self._send_template(message)
        try:
            return parts_send(
                split_text(message.text, MAX_TEXT_CHARS),
                lambda part: self._post(
                    message.recipient_address,
                    {"type": "text", "text": {"preview_url": False, "body": part}},
                ),
                message=message,
            )
        except WhatsAppError as error:
            if error.code != WINDOW_CLOSED_CODE:
                raise
            if not message.parts_sent and not error.delivered_ids:
                # Our clock said the window was open, WhatsApp's says it closed.
                return self._send_template(message)
            # Some parts went out as text: the rest cannot follow as a template (its
            # parts are cut differently), and free text is refused from now on.
            error.permanent = True
            raise

    def _send_template(self, message: OutgoingMessage) -> SendResult:
        name = message.template or settings.WHATSAPP_TEMPLATE_NAME
        if not name:
            raise SendError(
                "Not sent: outside WhatsApp's 24-hour window and no template configured "
                "(WHATSAPP_TEMPLATE_NAME). WhatsApp accepts free text only within 24 hours "
                "of the buyer's last message.",
                permanent=True,
            )
        language = template_language(message.language)
        # Template parameters may not hold line breaks, tabs or runs of spaces.
        return parts_send(
            split_text(" ".join(message.text.split()), TEMPLATE_PARAMETER_CHARS),
            lambda part: self._post(
                message.recipient_address,
                {
                    "type": "template",
                    "template": {
                        "name": name,
                        "language": {"code": language},
                        "components": [
                            {"type": "body", "parameters": [{"type": "text", "text": part}]}
                        ],
                    },
                },
            ),
            message=message,
            sent_as=TEMPLATE,
        )

    def _post(self, address: str, content: dict) -> str:
        """One message to the Cloud API; its wamid, or a SendError saying why not."""
        url = (
            f"{settings.WHATSAPP_API_BASE.rstrip('/')}/{settings.WHATSAPP_API_VERSION}"
            f"/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        )
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": re.sub(r"\D", "", address),
            **content,
        }
        try:
            response = self._client().post(
                url,
                json=body,
                headers={"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"},
            )
        except httpx.HTTPError as error:
            raise SendError(f"WhatsApp unreachable: {error.__class__.__name__}: {error}") from error
        data = _json(response)
        if response.is_success:
            try:
                return str(data["messages"][0]["id"])
            except (KeyError, IndexError, TypeError):
                raise SendError(
                    f"WhatsApp answered {response.status_code} without a message id"
                ) from None
        raise _send_error(response, data)

    def _client(self) -> httpx.Client:
        if self._http is None:
            self._http = httpx.Client(timeout=TIMEOUT)
        return self._http


def template_language(language: str) -> str:
    """WhatsApp's template language code for one of our languages (English if unknown)."""
    code = (language or "").lower().replace("_", "-")
    if code.startswith("zh"):
        code = "zh-hans"
    return TEMPLATE_LANGUAGES.get(code) or TEMPLATE_LANGUAGES.get(code[:2], "en_US")


def _subscription_handshake(request: HttpRequest) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        not token
        or request.GET.get("hub.mode") != "subscribe"
        or not hmac.compare_digest(given.encode(), token.encode())
    ):
        raise WebhookRejected(403, "bad verify token")
    return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")


def _dicts(items) -> list[dict]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _time(timestamp) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def _inbound(item: dict, names: dict[str, str]) -> InboundMessage | None:
    sender, message_id = item.get("from"), item.get("id")
    if not sender or not message_id:
        logger.warning("WhatsApp message without sender or id skipped: %s", item.get("type"))
        return None
    kind, text, attachments = _content(item)
    return InboundMessage(
        provider_message_id=str(message_id),
        sender_address="+" + re.sub(r"\D", "", str(sender)),
        text=text,
        sent_at=_time(item.get("timestamp")),
        kind=kind,
        sender_name=names.get(str(sender), ""),
        attachments=attachments,
    )


def _content(item: dict) -> tuple[str, str, list[dict]]:
    """(kind, text, attachments) of one message; the text of a media message is its caption."""
    kind = item.get("type", "")
    body = item.get(kind) if isinstance(item.get(kind), dict) else {}
    if kind == "text":
        return "text", body.get("body", ""), []
    if kind in MEDIA_KINDS:
        attachment = {
            "type": MEDIA_KINDS[kind],
            "media_id": body.get("id", ""),
            "mime_type": body.get("mime_type", ""),
        }
        if body.get("filename"):
            attachment["filename"] = body["filename"]
        if kind == "audio":
            attachment["voice"] = bool(body.get("voice"))
        return MEDIA_KINDS[kind], body.get("caption", ""), [attachment]
    if kind == "location":
        place = ", ".join(part for part in (body.get("name"), body.get("address")) if part)
        point = f"{body.get('latitude')}, {body.get('longitude')}"
        attachment = {
            "type": "location",
            "latitude": body.get("latitude"),
            "longitude": body.get("longitude"),
            "name": body.get("name", ""),
            "address": body.get("address", ""),
        }
        text = f"[location] {place} ({point})" if place else f"[location] {point}"
        return "location", text, [attachment]
    if kind == "interactive":
        # A tapped reply button or list row: its title is what the buyer said.
        reply = body.get(body.get("type", ""), {})
        reply = reply if isinstance(reply, dict) else {}
        return "text", reply.get("title") or reply.get("body", ""), []
    if kind == "button":  # a quick-reply button of a template
        return "text", body.get("text", ""), []
    if kind == "reaction":
        emoji = body.get("emoji", "")
        text = f"[reaction {emoji}]" if emoji else "[reaction removed]"
        return "event", text, [{"type": "reaction", "message_id": body.get("message_id", "")}]
    # Unsupported (a poll, a view-once photo…): kept with a placeholder, and why.
    attachment = {"type": kind or "unknown"}
    errors = _dicts(item.get("errors"))
    if errors:
        attachment["error"] = errors[0].get("title") or errors[0].get("message", "")
    return "unknown", "", [attachment]


def _status(item: dict) -> StatusUpdate | None:
    if item.get("status") not in DELIVERY_STATUSES or not item.get("id"):
        return None
    error = ""
    errors = _dicts(item.get("errors"))
    if errors:
        first = errors[0]
        details = (first.get("error_data") or {}).get("details", "")
        error = f"{first.get('code', '')} {first.get('title') or first.get('message', '')}".strip()
        error = f"{error}: {details}" if details else error
    return StatusUpdate(
        provider_message_id=str(item["id"]),
        status=item["status"],
        at=_time(item.get("timestamp")),
        error=error,
    )


def _json(response: httpx.Response):
    try:
        return response.json()
    except ValueError:
        return {}


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


def _send_error(response: httpx.Response, data) -> WhatsAppError:
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code = error.get("code")
    code = code if isinstance(code, int) else None
    title = error.get("message") or response.reason_phrase
    details = (error.get("error_data") or {}).get("details", "")
    reason = f"WhatsApp {response.status_code}" + (f" (code {code})" if code else "")
    reason = f"{reason}: {title}" + (f" — {details}" if details else "")
    status = response.status_code
    if status == 429 or code in RATE_LIMIT_CODES:
        return WhatsAppError(
            reason, code=code, retry_after=_retry_after(response.headers.get("Retry-After"))
        )
    if status >= 500 or code in RETRYABLE_CODES:
        return WhatsAppError(reason, code=code)
    if status == 401 or code in AUTH_CODES:
        return WhatsAppError(f"{reason} (check WHATSAPP_ACCESS_TOKEN)", code=code)
    # Undeliverable (131026), not a WhatsApp number, a bad parameter, a template
    # WhatsApp does not know: sending the same again cannot work.
    return WhatsAppError(reason, code=code, permanent=True)
