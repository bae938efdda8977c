"""The website chat: anonymous visitors' signed session tokens, rate limits, storing a
visitor's message once per client id, and the history a widget resumes from.

A visitor is a random id inside a token signed with the SECRET_KEY; the token is all the
widget keeps (in localStorage), so a tampered or expired token simply starts a new
visitor. The visitor's address on the "web" channel is `web:<visitor id>`: an unknown
address becomes a prospect on the first message, like on every other channel.
"""

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from ..adapters.base import InboundMessage
from ..models import Conversation, ConversationStatus, Direction, Message
from .messaging import inbound_store

CHANNEL = "web"
TOKEN_SALT = "portolan.webchat.visitor"
TOKEN_MAX_AGE = timedelta(days=180)
MAX_TEXT_CHARS = 4000
HISTORY_LIMIT = 200
CLIENT_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
SUPPORTED_LANGUAGES = ("en", "zh-hans", "es", "pt", "ru", "ar", "fr", "de")

# Shown to the visitor in their language. Kept here rather than in the gettext catalogs
# because the visitor's language is not the request's (there is no request, only a socket).
ERRORS = {
    "empty": {
        "en": "Please type a message.",
        "zh-hans": "请输入消息。",
        "es": "Escribe un mensaje.",
        "pt": "Digite uma mensagem.",
        "ru": "Введите сообщение.",
        "ar": "يُرجى كتابة رسالة.",
        "fr": "Veuillez écrire un message.",
        "de": "Bitte geben Sie eine Nachricht ein.",
    },
    "too_long": {
        "en": "Your message is too long (at most 4,000 characters).",
        "zh-hans": "消息过长（最多 4000 个字符）。",
        "es": "Tu mensaje es demasiado largo (máximo 4000 caracteres).",
        "pt": "Sua mensagem é longa demais (máximo de 4.000 caracteres).",
        "ru": "Сообщение слишком длинное (не более 4000 символов).",
        "ar": "رسالتك طويلة جدًا (4000 حرف كحد أقصى).",
        "fr": "Votre message est trop long (4 000 caractères au maximum).",
        "de": "Ihre Nachricht ist zu lang (höchstens 4.000 Zeichen).",
    },
    "rate_limited": {
        "en": "You are sending messages too quickly. Please wait a moment.",
        "zh-hans": "您发送消息过于频繁，请稍候再试。",
        "es": "Estás enviando mensajes demasiado rápido. Espera un momento.",
        "pt": "Você está enviando mensagens rápido demais. Aguarde um momento.",
        "ru": "Вы отправляете сообщения слишком часто. Подождите немного.",
        "ar": "أنت ترسل الرسائل بسرعة كبيرة. يُرجى الانتظار قليلًا.",
        "fr": "Vous envoyez des messages trop vite. Patientez un instant.",
        "de": "Sie senden Nachrichten zu schnell. Bitte warten Sie einen Moment.",
    },
    "too_many_sessions": {
        "en": "Too many chats were started from your network. Please try again later.",
        "zh-hans": "您的网络发起的会话过多，请稍后再试。",
        "es": "Se iniciaron demasiados chats desde tu red. Inténtalo más tarde.",
        "pt": "Muitos chats foram iniciados a partir da sua rede. Tente mais tarde.",
        "ru": "С вашей сети начато слишком много чатов. Попробуйте позже.",
        "ar": "بدأت محادثات كثيرة جدًا من شبكتك. يُرجى المحاولة لاحقًا.",
        "fr": "Trop de conversations ont été ouvertes depuis votre réseau. Réessayez plus tard.",
        "de": "Von Ihrem Netzwerk wurden zu viele Chats gestartet. Bitte später erneut versuchen.",
    },
    "bad_request": {
        "en": "The message could not be read.",
        "zh-hans": "无法读取该消息。",
        "es": "No se pudo leer el mensaje.",
        "pt": "Não foi possível ler a mensagem.",
        "ru": "Не удалось прочитать сообщение.",
        "ar": "تعذّرت قراءة الرسالة.",
        "fr": "Le message n'a pas pu être lu.",
        "de": "Die Nachricht konnte nicht gelesen werden.",
    },
    "unavailable": {
        "en": "Sorry, something went wrong. Please try again.",
        "zh-hans": "抱歉，出现了问题，请重试。",
        "es": "Lo sentimos, algo salió mal. Inténtalo de nuevo.",
        "pt": "Desculpe, algo deu errado. Tente novamente.",
        "ru": "Извините, что-то пошло не так. Попробуйте ещё раз.",
        "ar": "عذرًا، حدث خطأ ما. يُرجى المحاولة مرة أخرى.",
        "fr": "Désolé, une erreur s'est produite. Veuillez réessayer.",
        "de": "Entschuldigung, etwas ist schiefgelaufen. Bitte erneut versuchen.",
    },
}


def browser_language(value: str) -> str:
    """A supported language code for a browser language tag ("es-PE" → "es"), or ""."""
    code = (value or "").strip().lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    return code[:2] if code[:2] in SUPPORTED_LANGUAGES else ""


def error_frame(code: str, *, language: str, client_id: str | None = None) -> dict:
    texts = ERRORS[code]
    frame = {"type": "error", "code": code, "message": texts.get(language) or texts["en"]}
    if client_id:
        frame["client_id"] = client_id
    return frame


# --- Session tokens ------------------------------------------------------------------


def visitor_token_issue() -> tuple[str, str]:
    """A new anonymous visitor: (signed token, visitor id)."""
    visitor = uuid.uuid4().hex
    return signing.dumps({"v": visitor}, salt=TOKEN_SALT), visitor


def visitor_from_token(token: object) -> str | None:
    """The visitor id inside a token we signed, or None (missing, tampered, expired)."""
    if not isinstance(token, str) or not token or len(token) > 500:
        return None
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    visitor = payload.get("v") if isinstance(payload, dict) else None
    return visitor if isinstance(visitor, str) and CLIENT_ID.match(visitor) else None


def visitor_address(visitor: str) -> str:
    return f"web:{visitor}"


# --- Rate limits (fixed windows in the shared cache, so every ASGI worker counts) -----


def _within_limit(key: str, *, limit: int, window_seconds: int) -> bool:
    if limit <= 0:
        return True  # 0 turns the limit off
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def session_rate_allow(*, ip: str) -> bool:
    """Whether this IP may start another chat session this hour."""
    return _within_limit(
        f"webchat:sessions:{ip}",
        limit=settings.WEB_CHAT_SESSIONS_PER_IP_PER_HOUR,
        window_seconds=3600,
    )


def message_rate_allow(*, visitor: str) -> bool:
    """Whether this visitor may send another message this minute."""
    return _within_limit(
        f"webchat:messages:{visitor}",
        limit=settings.WEB_CHAT_MESSAGES_PER_MINUTE,
        window_seconds=60,
    )


# --- Conversation and history ---------------------------------------------------------


def visitor_conversation(*, visitor: str) -> Conversation | None:
    """The conversation the visitor's next message goes to (the open one, as
    `conversation_for` picks it), else their latest closed one; None before the first message."""
    conversations = list(
        Conversation.objects.filter(
            identity__channel=CHANNEL, identity__address=visitor_address(visitor)
        )
        .only("pk", "status", "language")
        .order_by("-updated_at")[:20]
    )
    open_ones = [c for c in conversations if c.status != ConversationStatus.CLOSED]
    return (open_ones or conversations or [None])[0]


def message_frame(message: Message) -> dict:
    """A message as the widget receives it. Buyer messages carry the widget's client id."""
    client_id = None
    if message.direction == Direction.IN and ":" in message.provider_message_id:
        client_id = message.provider_message_id.split(":", 1)[1]
    return {
        "type": "message",
        "conversation": message.conversation_id,
        "seq": message.sequence,
        "sender": message.sender,
        "text": message.text,
        "at": message.sent_at.isoformat(),
        "client_id": client_id,
        "lang": message.language,
    }


def messages_after(*, conversation_id: int, after: int, limit: int = HISTORY_LIMIT) -> list[dict]:
    """Every message of the conversation with a sequence above `after`, oldest first (the
    latest `limit` of them). Sequences commit in order, so the result has no holes."""
    messages = list(
        Message.objects.filter(conversation_id=conversation_id, sequence__gt=after)
        .only(
            "conversation_id",
            "sequence",
            "direction",
            "sender",
            "text",
            "sent_at",
            "provider_message_id",
            "language",
        )
        .order_by("-sequence")[:limit]
    )
    return [message_frame(message) for message in reversed(messages)]


def visitor_message_receive(*, visitor: str, client_id: str, text: str, language: str) -> Message:
    """Store a visitor's message once per client id (a resend returns the stored one);
    processing is enqueued on commit. The message comes with its conversation."""
    provider_message_id = f"{visitor}:{client_id}"
    message = inbound_store(
        channel=CHANNEL,
        inbound=InboundMessage(
            provider_message_id=provider_message_id,
            sender_address=visitor_address(visitor),
            sender_name=f"Website visitor {visitor[:8]}",
            text=text,
            language_hint=language,
            sent_at=timezone.now(),
        ),
    )
    if message is None:
        message = Message.objects.select_related("conversation").get(
            channel=CHANNEL, direction=Direction.IN, provider_message_id=provider_message_id
        )
    return message
