"""The adapter port: verify a provider's request, parse it into normalised messages and
delivery updates, send a message. Adapters know their provider and nothing of the CRM."""

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.http import HttpRequest, HttpResponse

MAX_BODY_BYTES = 1024 * 1024


class WebhookRejected(Exception):
    """The request is not from the provider (bad signature or secret) or not acceptable."""

    def __init__(self, status: int, reason: str):
        self.status = status
        self.reason = reason
        super().__init__(reason)


class SendError(Exception):
    """A send that failed. `retry_after` (seconds) when the provider asked to wait;
    `permanent` when retrying cannot help (a bad address, a blocked bot). A reply sent in
    parts may fail part-way: `delivered_ids` are the provider ids of the parts this
    attempt did send, `parts_total` how many parts the reply has, `delivered_as` how they
    went out (an adapter's word, e.g. WhatsApp's "template"), so a retry sends the rest
    the same way."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        permanent: bool = False,
        delivered_ids: Sequence[str] = (),
        parts_total: int = 0,
        delivered_as: str = "",
    ):
        self.reason = reason
        self.retry_after = retry_after
        self.permanent = permanent
        self.delivered_ids = list(delivered_ids)
        self.parts_total = parts_total
        self.delivered_as = delivered_as
        super().__init__(reason)


@dataclass(frozen=True)
class InboundMessage:
    """One buyer message in a provider-independent shape."""

    provider_message_id: str
    sender_address: str
    text: str
    sent_at: datetime
    kind: str = "text"
    sender_name: str = ""
    language_hint: str = ""
    attachments: list[dict] = field(default_factory=list)
    # Emails: the full original body and the headers that thread a conversation.
    original_text: str = ""
    subject: str = ""
    thread_key: str = ""
    recipient_address: str = ""
    # False when the sender's address is not proven (an email's From without a passing
    # DKIM/DMARC/SPF verdict). Other channels' providers authenticate the sender.
    sender_verified: bool = True


@dataclass(frozen=True)
class StatusUpdate:
    """The provider's word on a message we sent: sent, delivered, read or failed."""

    provider_message_id: str
    status: str
    at: datetime
    error: str = ""


@dataclass
class ParseResult:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    # A response the provider expects instead of the default 200 (a verification
    # challenge, WeChat's "success").
    response: HttpResponse | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """What to send: the recipient's address on the channel, the text, and context an
    adapter may need (the email subject and thread headers, a template name)."""

    recipient_address: str
    text: str
    conversation_id: int
    message_id: int
    language: str = ""
    subject: str = ""
    headers: dict = field(default_factory=dict)
    template: str = ""
    # False once the provider's free-reply window has closed (WhatsApp: 24 h after the
    # buyer's last message); the adapter then sends an approved template or refuses.
    reply_window_open: bool = True
    # Provider ids of the parts earlier attempts already sent, in order, and how they went
    # out: the adapter sends only the parts after them, never one twice.
    parts_sent: tuple[str, ...] = ()
    parts_sent_as: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_ids: list[str]


class ChannelAdapter:
    channel: str = ""
    # The provider's free-reply window after the buyer's last message (None: unlimited).
    reply_window_hours: int | None = None

    def verify(self, request: HttpRequest) -> HttpResponse | None:
        """Raise WebhookRejected unless the request comes from the provider. A GET
        handshake returns the response the provider expects."""
        raise NotImplementedError

    def parse(self, request: HttpRequest) -> ParseResult:
        raise NotImplementedError

    def send(self, message: OutgoingMessage) -> SendResult:
        raise NotImplementedError


def utf16_units(text: str) -> int:
    """Length as Telegram and JavaScript count it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int, *, measure: Callable[[str], int] = len) -> list[str]:
    """`text` in parts of at most `limit` (as `measure` counts), cut at a paragraph, line,
    sentence or word boundary where there is one in the second half of the part."""
    parts, rest = [], text.strip()
    while measure(rest) > limit:
        cut, used = 0, 0
        while used + measure(rest[cut]) <= limit:
            used += measure(rest[cut])
            cut += 1
        window, fitted = rest[:cut], cut
        for mark in ("\n\n", "\n", ". ", "。", "! ", "? ", "！", "？", " "):
            at = window.rfind(mark)
            if at >= fitted // 2:
                cut = at + len(mark)
                break
        else:
            # No boundary: a hard cut, but never inside a combining sequence or an emoji.
            while cut > fitted // 2 and (
                unicodedata.combining(rest[cut])
                or rest[cut] in "\u200d\ufe0f"
                or rest[cut - 1] == "\u200d"
            ):
                cut -= 1
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def parts_send(
    parts: list[str],
    send_part: Callable[[str], str],
    *,
    message: OutgoingMessage,
    sent_as: str = "",
) -> SendResult:
    """Send the parts of a reply that `message.parts_sent` does not cover yet, in order,
    with `send_part` (one part → its provider id); returns every part's id. A failure
    part-way raises a SendError carrying the ids of the parts that did go out. `parts`
    must be cut the same way on every attempt (split_text is deterministic)."""
    if not parts:
        raise SendError("nothing to send: the reply is empty", permanent=True)
    ids = list(message.parts_sent)
    for part in parts[len(ids) :]:
        try:
            ids.append(send_part(part))
        except SendError as error:
            error.delivered_ids = ids[len(message.parts_sent) :]
            error.parts_total, error.delivered_as = len(parts), sent_as
            raise
        except Exception as error:  # a bug or a surprise answer after some parts went out
            if len(ids) == len(message.parts_sent):
                raise
            raise SendError(
                f"{error.__class__.__name__}: {error}",
                delivered_ids=ids[len(message.parts_sent) :],
                parts_total=len(parts),
                delivered_as=sent_as,
            ) from error
    return SendResult(provider_message_ids=ids)
