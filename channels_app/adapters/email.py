"""Email. In: an RFC 822 message (POSTed raw with a shared secret, or handed over by an
ESP's inbound webhook through django-anymail) read with the stdlib `email` package —
any charset, text/plain preferred over HTML, HTML read as text and never rendered,
attachments as metadata only, quoted text and signatures stripped from what the
assistant reads. Out: Django's email backend, with the Message-ID, In-Reply-To and
References that keep the thread together in the buyer's mail client; our Message-ID
names the conversation, so the buyer's answer finds its way back to it."""

import hashlib
import logging
import re
import smtplib
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message as MimeMessage
from email.parser import BytesParser
from email.utils import formataddr, parseaddr, parsedate_to_datetime

from anymail.exceptions import AnymailError, AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..email_parsing import html_to_text, reply_text
from ..models import Message
from .base import (
    ChannelAdapter,
    InboundMessage,
    OutgoingMessage,
    ParseResult,
    SendError,
    SendResult,
    WebhookRejected,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Portolan-Secret"
# Labels that mail clients use for what is really a superset (GBK text labelled gb2312,
# Windows-1252 labelled iso-8859-1), and labels Python does not know.
_CHARSET_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
}
_LANGUAGES = {"en", "zh-hans", "es", "pt", "ru", "ar", "fr", "de"}
_MESSAGE_ID = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|aw|sv|antw|wg|rif|ref|réf|res|ответ|回复|答复|رد)\s*[:：]", re.IGNORECASE
)
_AUTOMATIC_SENDERS = {
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "donotreply",
    "do-not-reply",
}
DEFAULT_SUBJECTS = {
    "en": "Your enquiry",
    "zh-hans": "您的询价",
    "es": "Su consulta",
    "pt": "A sua consulta",
    "ru": "Ваш запрос",
    "ar": "استفساركم",
    "fr": "Votre demande",
    "de": "Ihre Anfrage",
}
_THREAD_HEADERS = {"message-id", "in-reply-to", "references"}


def _setting(name: str, default=""):
    return getattr(settings, name, default)


def _decode(payload: bytes, charset: str = "") -> str:
    charset = (charset or "").strip().strip('"').lower()
    candidates = (_CHARSET_SUPERSETS.get(charset), charset, "utf-8", "cp1252")
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _header(message: MimeMessage, name: str, charset_hint: str = "") -> str:
    """A header's text: RFC 2047 words decoded, and raw 8-bit values (which some
    clients send) read in the body's charset."""
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if raw is None:
        return ""
    raw = str(raw)
    if any("\udc80" <= char <= "\udcff" for char in raw):
        value = _decode(raw.encode("ascii", "surrogateescape"), charset_hint)
    else:
        try:
            value = str(message[name])
        except Exception:  # the stdlib's header parser chokes on some malformed values
            try:
                value = str(make_header(decode_header(raw)))
            except Exception:
                value = raw
    return " ".join(value.split())


def _part_text(part: MimeMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    return _decode(payload, part.get_content_charset() or "")


def _leaf_parts(part: MimeMessage):
    """Every part that is not a container; an attached email counts as one part."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for child in part.get_payload():
        yield from _leaf_parts(child)


def _body(message: MimeMessage) -> tuple[str, list[MimeMessage], str]:
    """The body as plain text (text/plain preferred, else HTML read as text), the parts
    it came from, and its charset."""
    bodies: list[MimeMessage] = []
    for part in _leaf_parts(message):
        if part.get_content_maintype() != "text" or part.get_filename():
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_subtype() in ("plain", "html"):
            bodies.append(part)
    plain = [part for part in bodies if part.get_content_subtype() == "plain"]
    html = [part for part in bodies if part.get_content_subtype() == "html"]
    text = "\n\n".join(_part_text(part) for part in plain).strip()
    used = plain
    if not text and html:
        text = "\n\n".join(html_to_text(_part_text(part)) for part in html).strip()
        used = html
    charset = next((part.get_content_charset() for part in used if part.get_content_charset()), "")
    # The HTML twin of a text/plain body is the same message, not an attachment.
    return text, bodies, charset or ""


def _attachments(message: MimeMessage, bodies: list[MimeMessage]) -> list[dict]:
    found = []
    for part in _leaf_parts(message):
        if any(part is body for body in bodies):
            continue
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()[0] if part.get_payload() else None
            try:
                size = len(inner.as_bytes()) if inner is not None else 0
            except Exception:
                size = 0
            name = (_header(inner, "Subject") if inner is not None else "") or "message"
            found.append(
                {"filename": f"{name[:240]}.eml", "content_type": "message/rfc822", "size": size}
            )
            continue
        try:
            filename = part.get_filename() or ""
        except Exception:
            filename = ""
        found.append(
            {
                "filename": " ".join(filename.split())[:255],
                "content_type": part.get_content_type(),
                "size": len(part.get_payload(decode=True) or b""),
                "inline": part.get_content_disposition() == "inline",
            }
        )
    return found


def _thread_key(message: MimeMessage) -> str:
    """The conversation id carried by our own Message-ID in In-Reply-To or References."""
    domain = re.escape(_setting("PORTOLAN_EMAIL_DOMAIN"))
    ours = re.compile(rf"<conv-(\d+)\.\d+\.[A-Za-z0-9_-]+@{domain}>", re.IGNORECASE)
    match = ours.search(_header(message, "In-Reply-To"))
    if match:
        return match.group(1)
    found = ours.findall(_header(message, "References"))
    return found[-1] if found else ""


def _sent_at(message: MimeMessage) -> datetime:
    now = timezone.now()
    try:
        sent = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return now
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    return min(sent, now)  # a sender's clock ahead of ours does not reorder the thread


def _language(message: MimeMessage) -> str:
    tag = _header(message, "Content-Language").split(",")[0].strip().lower()
    code = "zh-hans" if tag.startswith("zh") else tag.split("-")[0]
    return code if code in _LANGUAGES else ""


def _provider_id(message: MimeMessage, fallback: str, raw: bytes | None) -> str:
    value = _header(message, "Message-ID")
    match = _MESSAGE_ID.search(value)
    message_id = match.group(0) if match else value.strip()
    if not message_id:
        if fallback:
            return fallback[:255]
        if raw is None:
            try:
                raw = message.as_bytes()
            except Exception:
                raw = str(message).encode("utf-8", "surrogateescape")
        return f"sha256:{hashlib.sha256(raw).hexdigest()}"
    if len(message_id) > 255:
        return f"sha256:{hashlib.sha256(message_id.encode()).hexdigest()}"
    return message_id


def _automatic(message: MimeMessage, sender: str) -> bool:
    """Auto-replies, bounces, lists and our own mail: answering them would loop."""
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return True
    if _header(message, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if message.get_content_type() == "multipart/report":
        return True
    if sender.split("@")[0] in _AUTOMATIC_SENDERS:
        return True
    ours = parseaddr(_setting("PORTOLAN_EMAIL_FROM") or settings.DEFAULT_FROM_EMAIL)[1].lower()
    return sender == ours


# -- sender authentication ---------------------------------------------------------------
# Anyone can write any From address. A sender counts as authenticated only on a verdict
# from a party we trust: our own receiving MTA (raw MIME) or the ESP that received the
# mail (Mailgun, Postmark). Forgeable copies of those verdicts fail closed: a verdict
# header that appears twice, or contradicts itself, is no verdict.

_COMMENT = re.compile(r"\([^()]*\)")
_PROPERTY = re.compile(r'([\w.-]+)\s*=\s*("[^"]*"|[^\s;]+)')
_DKIM_DOMAIN = re.compile(r"(?:^|;)\s*d\s*=\s*([^\s;]+)", re.IGNORECASE)


def _within(domain: str, parent: str) -> bool:
    """`domain` is `parent` or one of its subdomains (a bare TLD is nobody's parent)."""
    domain, parent = domain.strip().strip(".").lower(), parent.strip().strip(".").lower()
    if not domain or "." not in parent:
        return False
    return domain == parent or domain.endswith("." + parent)


def _address_domain(value: str) -> str:
    address = parseaddr(value or "")[1] or (value or "")
    return address.rsplit("@", 1)[-1].strip().strip("<>").lower() if address else ""


def _uncommented(text: str) -> str:
    while True:  # comments may nest
        stripped = _COMMENT.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def _authentication_results(value: str) -> tuple[str, list[tuple[str, str, dict]]]:
    """An Authentication-Results value (RFC 8601): its authserv-id and each
    (method, result, properties)."""
    first, *clauses = _uncommented(value).split(";")
    tokens = first.split()
    authserv_id = tokens[0].lower() if tokens else ""
    results = []
    for clause in clauses:
        pairs = _PROPERTY.findall(clause)
        if not pairs:
            continue
        method, result = pairs[0]
        properties = {key.lower(): val.strip('"').lower() for key, val in pairs[1:]}
        results.append((method.split("/")[0].lower(), result.strip('"').lower(), properties))
    return authserv_id, results


def _mta_authenticated(message: MimeMessage, from_domain: str) -> bool:
    """Our MTA's Authentication-Results: dmarc=pass for the From domain, or dkim=pass by
    the From domain or a parent of it. Headers of any other authserv-id are ignored."""
    ours = str(_setting("EMAIL_AUTHSERV_ID") or "").strip().lower()
    if not ours:
        return False
    dmarc, dkim = [], []
    for value in message.get_all("Authentication-Results") or []:
        authserv_id, results = _authentication_results(str(value))
        if authserv_id != ours:
            continue
        for method, result, properties in results:
            if method == "dmarc":
                header_from = properties.get("header.from", from_domain)
                dmarc.append(result == "pass" and header_from == from_domain)
            elif method == "dkim":
                signer = properties.get("header.d") or _address_domain(
                    properties.get("header.i", "")
                )
                if signer and _within(from_domain, signer):
                    dkim.append(result == "pass")
    # One failing verdict for the From domain outweighs a passing one: the MTA should
    # strip forged headers with its authserv-id, and if it did not, they disagree.
    return (bool(dmarc) and all(dmarc)) or (bool(dkim) and all(dkim))


def _mailgun_authenticated(message: MimeMessage, from_domain: str, envelope_sender: str) -> bool:
    """Mailgun's X-Mailgun-Dkim-Check-Result and X-Mailgun-Spf. The DKIM verdict names no
    domain, so it counts only when every signature is by the From domain (or a parent);
    SPF counts when the envelope sender (MAIL FROM) is in the From domain."""
    dkim = message.get_all("X-Mailgun-Dkim-Check-Result") or []
    signers = [
        _DKIM_DOMAIN.search(str(signature)) for signature in message.get_all("DKIM-Signature") or []
    ]
    if (
        len(dkim) == 1
        and str(dkim[0]).strip().lower() == "pass"
        and signers
        and all(match and _within(from_domain, match.group(1)) for match in signers)
    ):
        return True
    spf = message.get_all("X-Mailgun-Spf") or []
    return (
        len(spf) == 1
        and str(spf[0]).strip().lower() == "pass"
        and _within(_address_domain(envelope_sender), from_domain)
    )


def _postmark_authenticated(headers: list[dict], from_domain: str) -> bool:
    """Postmark's inbound JSON headers: SpamAssassin's X-Spam-Tests with DKIM_VALID_AU (a
    valid signature by the author's domain), or Received-SPF pass for an envelope sender
    in the From domain."""
    values: dict[str, list[str]] = {}
    for header in headers or []:
        if isinstance(header, dict):
            name = str(header.get("Name", "")).lower()
            values.setdefault(name, []).append(str(header.get("Value", "")))
    tests = values.get("x-spam-tests", [])
    if len(tests) == 1 and "DKIM_VALID_AU" in {t.strip() for t in tests[0].split(",")}:
        return True
    spf = values.get("received-spf", [])
    if len(spf) != 1 or not spf[0].strip().lower().startswith("pass"):
        return False
    properties = {
        key.lower(): val.strip('"') for key, val in _PROPERTY.findall(_uncommented(spf[0]))
    }
    return properties.get("identity", "mailfrom").lower() == "mailfrom" and _within(
        _address_domain(properties.get("envelope-from", "")), from_domain
    )


def sender_authenticated(
    message: MimeMessage, address: str, *, esp_name: str = "", esp_event=None
) -> bool:
    """Whether the From address is proven: by our MTA's Authentication-Results (raw MIME)
    or by the ESP's checks. Always True with EMAIL_REQUIRE_AUTHENTICATED_SENDER off."""
    if not _setting("EMAIL_REQUIRE_AUTHENTICATED_SENDER", True):
        return True
    from_domain = address.rsplit("@", 1)[-1].lower()
    if len(message.get_all("From") or []) != 1:
        return False  # which of two From addresses did the check see?
    if esp_name == "Mailgun":
        return _mailgun_authenticated(
            message, from_domain, getattr(message, "envelope_sender", None) or ""
        )
    if esp_name == "Postmark":
        headers = esp_event.get("Headers") if isinstance(esp_event, dict) else None
        return _postmark_authenticated(headers or [], from_domain)
    if esp_name:
        return False  # an ESP whose checks we do not read
    return _mta_authenticated(message, from_domain)


def inbound_from_email(
    message: MimeMessage,
    *,
    recipient: str = "",
    fallback_id: str = "",
    raw: bytes | None = None,
    esp_name: str = "",
    esp_event=None,
) -> InboundMessage | None:
    """The buyer's message in an email; None for automatic mail that must not be answered.
    ValueError when there is no usable sender. `esp_name` and `esp_event`: the ESP that
    received it (anymail's names), whose checks say whether the sender is authenticated."""
    text, bodies, charset = _body(message)
    name, address = parseaddr(_header(message, "From", charset))
    address = address.strip().lower()
    if "@" not in address or any(char.isspace() for char in address):
        raise ValueError("the email has no usable From address")
    if _automatic(message, address):
        logger.info("email from %s ignored: automatic message", address)
        return None
    attachments = _attachments(message, bodies)
    written = reply_text(text) if text else ""
    return InboundMessage(
        provider_message_id=_provider_id(message, fallback_id, raw),
        sender_address=address,
        sender_name=name.strip()[:200],
        text=written,
        original_text=text,
        kind="document" if not written and attachments else "text",
        sent_at=_sent_at(message),
        language_hint=_language(message),
        attachments=attachments,
        subject=_header(message, "Subject", charset)[:300],
        thread_key=_thread_key(message),
        recipient_address=(
            recipient or parseaddr(_header(message, "To", charset))[1] or ""
        ).lower(),
        sender_verified=sender_authenticated(
            message, address, esp_name=esp_name, esp_event=esp_event
        ),
    )


def outbound_message_id(*, conversation_id: int, message_id: int) -> str:
    """Our Message-ID for a reply: it names the conversation, so the buyer's answer
    (In-Reply-To, References) is threaded back to it. The same reply always gets the
    same id, so a retried send is recognisable as the same message."""
    token = salted_hmac("portolan.email.message-id", f"{conversation_id}.{message_id}").hexdigest()
    domain = _setting("PORTOLAN_EMAIL_DOMAIN") or "localhost"
    return f"<conv-{conversation_id}.{message_id}.{token[:16]}@{domain}>"


def _thread_ids(conversation_id: int) -> tuple[str, list[str]]:
    """The buyer's last Message-ID and the References chain (oldest first, it last)."""
    rows = list(
        Message.objects.filter(conversation_id=conversation_id, channel="email")
        .exclude(provider_message_id="")
        .order_by("-sequence")
        .values_list("direction", "provider_message_id")[:30]
    )
    ids = [(direction, pid) for direction, pid in rows if _MESSAGE_ID.fullmatch(pid)]
    buyer = next((pid for direction, pid in ids if direction == "in"), "")
    chain = [pid for _, pid in reversed(ids) if pid != buyer][-9:]
    return buyer, [*chain, buyer] if buyer else chain


def _subject(subject: str, language: str) -> str:
    subject = " ".join(subject.split())
    if not subject:
        return DEFAULT_SUBJECTS.get(language) or DEFAULT_SUBJECTS["en"]
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


def _from_header() -> tuple[str, str]:
    configured = _setting("PORTOLAN_EMAIL_FROM") or settings.DEFAULT_FROM_EMAIL
    name, address = parseaddr(configured)
    if not name:
        name = (_setting("PORTOLAN_SELLER", {}) or {}).get("name", "")
    return (formataddr((name, address)) if name else address), address


def _smtp_reason(error: smtplib.SMTPResponseException) -> str:
    detail = error.smtp_error
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", errors="replace")
    return f"{error.smtp_code} {' '.join(str(detail).split())}"[:300]


class EmailAdapter(ChannelAdapter):
    channel = "email"
    reply_window_hours = None

    def verify(self, request: HttpRequest):
        """The raw-MIME endpoint: POST with the shared secret in X-Portolan-Secret."""
        if request.method != "POST":
            raise WebhookRejected(405, "POST the raw message")
        secret = _setting("EMAIL_INBOUND_SECRET")
        given = request.headers.get(SECRET_HEADER, "")
        if not secret or not constant_time_compare(given, secret):
            raise WebhookRejected(403, f"Missing or wrong {SECRET_HEADER}")
        return None

    def parse(self, request: HttpRequest) -> ParseResult:
        if not request.body.strip():
            raise ValueError("empty message")
        message = BytesParser(policy=policy.default).parsebytes(request.body)
        inbound = inbound_from_email(message, raw=request.body)
        return ParseResult(messages=[inbound] if inbound else [])

    def send(self, message: OutgoingMessage) -> SendResult:
        address = message.recipient_address.strip()
        try:
            validate_email(address)
        except ValidationError as error:
            raise SendError(f"Not an email address: {address!r}", permanent=True) from error
        from_header, from_address = _from_header()
        message_id = outbound_message_id(
            conversation_id=message.conversation_id, message_id=message.message_id
        )
        headers = {
            key: value
            for key, value in message.headers.items()
            if key.lower() not in _THREAD_HEADERS
        }
        headers["Message-ID"] = message_id
        buyer_id, references = _thread_ids(message.conversation_id)
        if buyer_id:
            headers["In-Reply-To"] = buyer_id
        if references:
            headers["References"] = " ".join(references)
        if message.language:
            headers["Content-Language"] = message.language
        email = EmailMessage(
            subject=_subject(message.subject, message.language),
            body=message.text,
            from_email=from_header,
            to=[address],
            reply_to=[from_address],
            headers=headers,
        )
        try:
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise SendError(
                f"Recipient refused: {codes}", permanent=all(code >= 500 for code in codes)
            ) from error
        except smtplib.SMTPAuthenticationError as error:
            raise SendError(f"SMTP login failed: {_smtp_reason(error)}") from error
        except smtplib.SMTPResponseException as error:
            raise SendError(
                f"SMTP {_smtp_reason(error)}", permanent=500 <= error.smtp_code < 600
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            raise SendError(f"SMTP unavailable: {error.__class__.__name__}: {error}") from error
        except (AnymailRecipientsRefused, AnymailInvalidAddress) as error:
            raise SendError(f"Recipient refused by the ESP: {error}", permanent=True) from error
        except AnymailError as error:
            raise SendError(f"ESP error: {str(error)[:300]}") from error
        except ValueError as error:  # a header Django will not write (a line break in it)
            raise SendError(f"Unsendable email: {error}", permanent=True) from error
        if not sent:
            raise SendError("The email backend sent nothing")
        return SendResult(provider_message_ids=[message_id])
