"""A turn without the assistant: a thank-you in the buyer's language, behind the
assistant's interface (`PORTOLAN_TURN_HANDLER`). For load tests of the channels alone
(bench/webchat.py) and for deployments that leave every conversation to people."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from assistant.types import BuyerMessage, ConversationRef, TurnResult
from assistant.understanding.language import detect_language


def conversation_turn_acknowledge(
    *, conversation: ConversationRef, message: BuyerMessage
) -> TurnResult:
    hints = [code for code in (message.language_hint, conversation.language) if code]
    language, _confidence = detect_language(message.text, hints=hints)
    language = translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    if not conversation.assistant_active:
        return TurnResult(reply="", language=language)
    with translation.override(language):
        reply = gettext("Thank you, we have received your message and will reply shortly.")
    return TurnResult(reply=reply, language=language, actions=("acknowledge",))
