"""WeChat Official Account: signed XML pushes (plain, or AES-encrypted in safe mode),
passive replies in the push's own response, and the customer-service message API with
a cached access token for replies that come later. Knows WeChat and nothing of the CRM."""

import base64
import binascii
import hashlib
import json
import logging
import re
import secrets
import struct
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as xml_fromstring
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from .base import (
    ChannelAdapter,
    InboundMessage,
    OutgoingMessage,
    ParseResult,
    SendError,
    SendResult,
    WebhookRejected,
    parts_send,
)

logger = logging.getLogger(__name__)

# A text message (passive reply or customer-service message) carries at most 2048 bytes;
# longer replies go out through the customer-service API in parts.
TEXT_MAX_BYTES = 2000
# Events that open a conversation; the others (unsubscribe, menu links, location reports,
# template receipts) need no answer.
ANSWERED_EVENTS = {"subscribe", "scan", "click"}
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid, malformed or expired access token
PERMANENT_ERRORS = {
    40003: "the OpenID is not a follower of this account",
    43004: "the buyer no longer follows the account",
    45015: "the buyer's 48-hour reply window has closed; they must write first",
    45047: "the customer-service quota for the buyer's last message is used up",
}
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _setting(name: str, default=""):
    return getattr(settings, name, default)


def wechat_signature(*parts: str) -> str:
    """WeChat's signature: SHA-1 over the parts sorted and joined."""
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()  # noqa: S324 — WeChat's protocol


def _aes_key(encoding_aes_key: str) -> bytes:
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise WebhookRejected(403, "WECHAT_ENCODING_AES_KEY must be the 43 characters WeChat shows")
    return key


def wechat_encrypt(xml: bytes, *, encoding_aes_key: str, app_id: str) -> str:
    """Safe-mode encryption: AES-256-CBC over 16 random bytes, the length, the XML and the
    AppID, PKCS#7-padded to 32 bytes; IV = the key's first 16 bytes. Base64 out."""
    key = _aes_key(encoding_aes_key)
    plain = secrets.token_bytes(16) + struct.pack(">I", len(xml)) + xml + app_id.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def wechat_decrypt(encrypted: str, *, encoding_aes_key: str, app_id: str) -> bytes:
    """The XML inside a safe-mode Encrypt element; rejects another account's messages."""
    key = _aes_key(encoding_aes_key)
    try:
        data = base64.b64decode(encrypted, validate=True)
    except binascii.Error as error:
        raise WebhookRejected(400, "Encrypt is not base64") from error
    if not data or len(data) % 16:
        raise WebhookRejected(400, "Encrypt has a bad length")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise WebhookRejected(400, "Encrypt has bad padding")
    content = plain[16:-pad]
    if len(content) < 4:
        raise WebhookRejected(400, "Encrypt is too short")
    (length,) = struct.unpack(">I", content[:4])
    if length > len(content) - 4:
        raise WebhookRejected(400, "Encrypt has a bad length")
    xml, sender_app_id = content[4 : 4 + length], content[4 + length :]
    if not app_id or not constant_time_compare(sender_app_id, app_id.encode()):
        raise WebhookRejected(403, "Encrypted for another AppID")
    return xml


def _xml(data: bytes) -> Element:
    """Parse untrusted XML: no DTDs, no entities, no external references."""
    try:
        root = xml_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError) as error:
        raise WebhookRejected(400, f"Unreadable XML ({error.__class__.__name__})") from error
    if root.tag != "xml":
        raise WebhookRejected(400, "Not a WeChat push")
    return root


def _field(root: Element, name: str) -> str:
    return (root.findtext(name) or "").strip()


def _cdata(value: str) -> str:
    value = _XML_INVALID.sub("", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_parts(text: str, *, limit: int = TEXT_MAX_BYTES) -> list[str]:
    """The text cut into pieces of at most `limit` UTF-8 bytes, at line ends where it can."""
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        if len((current + line).encode()) <= limit:
            current += line
            continue
        if current.strip():
            parts.append(current.strip())
        current = ""
        while len(line.encode()) > limit:
            cut = len(line.encode()[:limit].decode(errors="ignore"))
            space = line.rfind(" ", 0, cut)
            cut = space + 1 if space > cut // 2 else cut
            parts.append(line[:cut].strip())
            line = line[cut:]
        current = line
    if current.strip():
        parts.append(current.strip())
    return [part for part in parts if part]


@dataclass(frozen=True)
class WeChatPush:
    """One verified push: the buyer's message (None for events that need no answer), the
    account it was sent to and the buyer (a passive reply swaps them), and whether it
    came encrypted (then the passive reply is encrypted too)."""

    message: InboundMessage | None
    account: str
    buyer: str
    encrypted: bool


def _sent_at(create_time: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(create_time), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return timezone.now()


def _inbound(root: Element) -> InboundMessage | None:
    sender = _field(root, "FromUserName")
    if not sender:
        raise ValueError("push without FromUserName")
    msg_type = _field(root, "MsgType").lower()
    create_time = _field(root, "CreateTime")
    sent_at = _sent_at(create_time)
    if msg_type == "event":
        event = _field(root, "Event").lower()
        if event not in ANSWERED_EVENTS:
            return None
        return InboundMessage(
            # Events have no MsgId: WeChat's advice is FromUserName + CreateTime.
            provider_message_id=f"event:{sender}:{create_time}",
            sender_address=sender,
            text=_field(root, "EventKey") if event == "click" else "",
            sent_at=sent_at,
            kind="event",
            attachments=[{"type": "event", "event": event, "key": _field(root, "EventKey")}],
        )
    message_id = _field(root, "MsgId") or f"{sender}:{create_time}"
    kind, text, attachments = "unknown", "", []
    if msg_type == "text":
        kind, text = "text", (root.findtext("Content") or "")
    elif msg_type == "image":
        kind = "image"
        attachments = [
            {"type": "image", "media_id": _field(root, "MediaId"), "url": _field(root, "PicUrl")}
        ]
    elif msg_type == "voice":
        # With speech recognition switched on, WeChat adds what the buyer said.
        kind, text = "voice", _field(root, "Recognition")
        attachments = [
            {"type": "voice", "media_id": _field(root, "MediaId"), "format": _field(root, "Format")}
        ]
    elif msg_type in ("video", "shortvideo"):
        kind = "video"
        attachments = [
            {
                "type": msg_type,
                "media_id": _field(root, "MediaId"),
                "thumb_media_id": _field(root, "ThumbMediaId"),
            }
        ]
    elif msg_type == "location":
        kind = "location"
        attachments = [
            {
                "type": "location",
                "latitude": _field(root, "Location_X"),
                "longitude": _field(root, "Location_Y"),
                "scale": _field(root, "Scale"),
                "label": _field(root, "Label"),
            }
        ]
    elif msg_type == "link":
        title, url = _field(root, "Title"), _field(root, "Url")
        text = f"[link] {title} {url}".strip()
        attachments = [
            {
                "type": "link",
                "title": title,
                "description": _field(root, "Description"),
                "url": url,
            }
        ]
    return InboundMessage(
        provider_message_id=message_id,
        sender_address=sender,
        text=text,
        sent_at=sent_at,
        kind=kind,
        attachments=attachments,
    )


class WeChatAdapter(ChannelAdapter):
    channel = "wechat"
    reply_window_hours = 48

    def __init__(self):
        self._http: httpx.Client | None = None

    # --- receiving ------------------------------------------------------------------

    @staticmethod
    def _encrypted(request: HttpRequest) -> bool:
        return request.GET.get("encrypt_type", "").lower() == "aes"

    def verify(self, request: HttpRequest) -> HttpResponse | None:
        token = _setting("WECHAT_TOKEN")
        if not token:
            raise WebhookRejected(403, "WeChat is not configured (WECHAT_TOKEN)")
        params = request.GET
        timestamp, nonce = params.get("timestamp", ""), params.get("nonce", "")
        if request.method == "GET":
            expected = wechat_signature(token, timestamp, nonce)
            if not constant_time_compare(params.get("signature", ""), expected):
                raise WebhookRejected(403, "Bad signature")
            return HttpResponse(params.get("echostr", ""), content_type="text/plain")
        if self._encrypted(request):
            encrypt = _field(_xml(request.body), "Encrypt")
            expected = wechat_signature(token, timestamp, nonce, encrypt)
            if not encrypt or not constant_time_compare(params.get("msg_signature", ""), expected):
                raise WebhookRejected(403, "Bad msg_signature")
        else:
            if _setting("WECHAT_REQUIRE_SAFE_MODE", bool(_setting("WECHAT_ENCODING_AES_KEY", ""))):
                # The plain signature covers no body: with safe mode set up, only
                # encrypted pushes are WeChat's.
                raise WebhookRejected(403, "Safe mode is configured: plain pushes are refused")
            expected = wechat_signature(token, timestamp, nonce)
            if not constant_time_compare(params.get("signature", ""), expected):
                raise WebhookRejected(403, "Bad signature")
        # A captured signature must not be replayable with another body for long.
        tolerance = float(_setting("WECHAT_TIMESTAMP_TOLERANCE_SECONDS", 300))
        if not self._encrypted(request):
            # The same (timestamp, nonce) with another body is a replay, not WeChat's
            # own retry (which resends the same body).
            key = f"wechat:nonce:{timestamp}:{nonce}"
            digest = hashlib.sha256(request.body).hexdigest()
            if not cache.add(key, digest, timeout=int(tolerance) + 60) and cache.get(key) != digest:
                raise WebhookRejected(403, "Replayed signature")
        try:
            skew = abs(time.time() - int(timestamp))
        except ValueError:
            skew = float("inf")
        if skew > tolerance:
            raise WebhookRejected(403, "Stale timestamp")
        return None

    def push_read(self, request: HttpRequest) -> WeChatPush:
        """The push in a verified request, decrypted in safe mode."""
        root = _xml(request.body)
        encrypted = self._encrypted(request)
        if encrypted:
            root = _xml(
                wechat_decrypt(
                    _field(root, "Encrypt"),
                    encoding_aes_key=_setting("WECHAT_ENCODING_AES_KEY"),
                    app_id=_setting("WECHAT_APP_ID"),
                )
            )
        return WeChatPush(
            message=_inbound(root),
            account=_field(root, "ToUserName"),
            buyer=_field(root, "FromUserName"),
            encrypted=encrypted,
        )

    def parse(self, request: HttpRequest) -> ParseResult:
        push = self.push_read(request)
        return ParseResult(
            messages=[push.message] if push.message else [],
            response=HttpResponse("success", content_type="text/plain"),
        )

    @staticmethod
    def fits_passive_reply(text: str) -> bool:
        return bool(text.strip()) and len(text.encode()) <= TEXT_MAX_BYTES

    def passive_reply(self, push: WeChatPush, text: str) -> HttpResponse:
        """The reply WeChat delivers from the push's own response: To and From swapped,
        encrypted and signed when the push came encrypted."""
        now = str(int(time.time()))
        xml = (
            f"<xml><ToUserName>{_cdata(push.buyer)}</ToUserName>"
            f"<FromUserName>{_cdata(push.account)}</FromUserName>"
            f"<CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content>{_cdata(text)}</Content></xml>"
        )
        if push.encrypted:
            encrypt = wechat_encrypt(
                xml.encode(),
                encoding_aes_key=_setting("WECHAT_ENCODING_AES_KEY"),
                app_id=_setting("WECHAT_APP_ID"),
            )
            nonce = str(secrets.randbelow(10**10))
            signature = wechat_signature(_setting("WECHAT_TOKEN"), now, nonce, encrypt)
            xml = (
                f"<xml><Encrypt>{_cdata(encrypt)}</Encrypt>"
                f"<MsgSignature>{_cdata(signature)}</MsgSignature>"
                f"<TimeStamp>{now}</TimeStamp><Nonce>{_cdata(nonce)}</Nonce></xml>"
            )
        return HttpResponse(xml.encode(), content_type="application/xml; charset=utf-8")

    # --- sending --------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        if self._http is None:
            timeout = float(_setting("WECHAT_HTTP_TIMEOUT_SECONDS", 10))
            self._http = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)))
        return self._http

    @staticmethod
    def _api_base() -> str:
        return _setting("WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip("/")

    def token_cache_key(self) -> str:
        where = hashlib.sha256(self._api_base().encode()).hexdigest()[:12]
        return f"wechat:access-token:{_setting('WECHAT_APP_ID')}:{where}"

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """One API call; its JSON answer. Network trouble is a retryable SendError whose
        reason never carries the URL (it holds the secret or the token)."""
        try:
            response = self._client().request(method, self._api_base() + path, **kwargs)
        except httpx.HTTPError as error:
            raise SendError(f"WeChat API unreachable: {error.__class__.__name__}") from error
        if response.status_code >= 400:
            raise SendError(f"WeChat API answered HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise SendError("WeChat API answered something that is not JSON") from error
        if not isinstance(answer, dict):
            raise SendError("WeChat API answered something that is not a JSON object")
        return answer

    def access_token(self) -> str:
        """The account's access token, fetched once and shared through the cache until
        five minutes before WeChat expires it."""
        key = self.token_cache_key()
        token = cache.get(key)
        if token:
            return token
        app_id, secret = _setting("WECHAT_APP_ID"), _setting("WECHAT_APP_SECRET")
        if not app_id or not secret:
            raise SendError("WeChat is not configured: set WECHAT_APP_ID and WECHAT_APP_SECRET")
        answer = self._call(
            "GET",
            "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": app_id, "secret": secret},
        )
        token = answer.get("access_token")
        if not token:
            # 40164: this server's IP is not on the account's whitelist.
            raise SendError(
                f"WeChat refused an access token: {answer.get('errcode')} {answer.get('errmsg', '')}"
            )
        expires_in = int(answer.get("expires_in") or 7200)
        cache.set(key, token, timeout=max(expires_in - 300, 30))
        return token

    def forget_token(self, token: str) -> None:
        key = self.token_cache_key()
        if cache.get(key) == token:  # another worker may already hold a fresh one
            cache.delete(key)

    def _custom_send(self, openid: str, text: str) -> str:
        """One customer-service message; its msgid when WeChat gives one, else ""."""
        body = json.dumps(
            {"touser": openid, "msgtype": "text", "text": {"content": text}}, ensure_ascii=False
        ).encode()
        for attempt in (1, 2):
            token = self.access_token()
            answer = self._call(
                "POST",
                "/cgi-bin/message/custom/send",
                params={"access_token": token},
                content=body,
                headers={"Content-Type": "application/json; charset=utf-8"},
            )
            code = int(answer.get("errcode") or 0)
            if code == 0:
                return str(answer.get("msgid") or "")
            if code in TOKEN_ERRORS and attempt == 1:
                self.forget_token(token)
                continue
            errmsg = answer.get("errmsg", "")
            if code in PERMANENT_ERRORS:
                raise SendError(
                    f"WeChat {code}: {PERMANENT_ERRORS[code]} ({errmsg})", permanent=True
                )
            # -1 (system busy), 45009 (API quota) and anything unknown: try again later.
            raise SendError(f"WeChat {code}: {errmsg}")

    def send(self, message: OutgoingMessage) -> SendResult:
        """Send through the customer-service API (within 48 h of the buyer's last message)."""
        # The API usually answers without an id: a part sent is then "" in the ids, which
        # still counts it, so a retry sends only the rest.
        return parts_send(
            text_parts(message.text),
            lambda part: self._custom_send(message.recipient_address, part),
            message=message,
        )
