"""The assistant's entry point. It understands every message (language, intent,
entities, sentiment); until deciding and acting land (the assistant issue), the reply
is an acknowledgement in the buyer's language behind the same interface."""

from django.utils import translation
from django.utils.translation import gettext as _

from crm.models import Language

from .types import BuyerMessage, ConversationRef, TurnResult
from .understanding import understand

SUPPORTED = frozenset(Language.values)


def _django_language(code: str) -> str:
    """Our reply language for an ISO 639-1 code or a channel hint ("zh", "pt-BR", "de_DE")."""
    code = (code or "").lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    return code[:2] if code[:2] in SUPPORTED else ""


def conversation_turn_handle(*, conversation: ConversationRef, message: BuyerMessage) -> TurnResult:
    """One buyer message in, the reply and what was understood out. Never sends anything."""
    understanding = understand(
        message.text,
        now=message.sent_at,
        language_hints=[hint for hint in (message.language_hint, conversation.language) if hint],
        history=[entry.text for entry in conversation.history if entry.role == "buyer"],
    )
    language = (
        _django_language(understanding.language)
        or _django_language(conversation.language)
        or _django_language(message.language_hint)
        or "en"
    )
    with translation.override(language):
        if not message.text.strip():
            reply = _("Thank you for your message. A member of our team will look at it shortly.")
        else:
            reply = _("Thank you, we have received your message and will reply shortly.")
    return TurnResult(
        reply=reply,
        language=language,
        understanding={
            "language": understanding.language,
            "intent": understanding.intent,
            "intent_confidence": understanding.intent_confidence,
            "entities": understanding.entities,
            "sentiment": understanding.sentiment,
            "sentiment_score": understanding.sentiment_score,
        },
        escalate=understanding.escalate,
        escalation_reason=f"intent: {understanding.intent}" if understanding.escalate else "",
    )
