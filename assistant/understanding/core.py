"""`understand()`: one buyer message in, an `Understanding` out.

Order of work: clean the text (HTML, quoted replies, length) -> language -> fold ->
entities -> intent (rules + classifier, EVAL.md precedence) -> sentiment -> escalation.
"""

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from .classifier import MAX_CHARS as CLASSIFIER_MAX_CHARS
from .classifier import intent_probabilities
from .classifier import warm_up as classifier_warm_up
from .entities import extract
from .intents import decide_intent
from .language import detect_language
from .language import warm_up as language_warm_up
from .sentiment import sentiment_of
from .text import fold
from .types import Understanding

MAX_CHARS = 6000  # longer mail is a quoted thread; the buyer's words come first

# EVAL.md fixes these; the others follow our own rules below.
ALWAYS_ESCALATE = {"human_handoff", "complaint", "return_refund"}
NEVER_ESCALATE = {
    "greeting",
    "product_info",
    "price_inquiry",
    "shipping_inquiry",
    "documents_request",
    "payment_terms",
    "thanks_goodbye",
}
# Our rules: a confirmed order and a price concession need a person's authority.
ESCALATE_BY_DEFAULT = {"order_placement", "negotiation"}
ANGRY = -0.6  # a quote, status, sample or other message this negative goes to a person too

_REGION_BY_LANGUAGE = {
    "en": "US",
    "zh": "CN",
    "es": "ES",
    "pt": "BR",
    "ru": "RU",
    "ar": "SA",
    "fr": "FR",
    "de": "DE",
}
_QUOTED = re.compile(
    r"\n\s*(?:-{2,}\s*(?:original message|mensaje original|mensagem original|message d'origine|"
    r"ursprüngliche nachricht|исходное сообщение)|on .{5,80} wrote:|el .{5,80} escribió:|"
    r"em .{5,80} escreveu:|le .{5,80} a écrit :|am .{5,80} schrieb)",
    re.IGNORECASE,
)
_TAGS = re.compile(
    r"<(?:script|style)\b.*?</(?:script|style)>|<[^>]{0,500}>", re.IGNORECASE | re.DOTALL
)


def clean_text(text: str) -> str:
    """The buyer's own words: no markup, no quoted earlier mail, bounded length."""
    if not isinstance(text, str):
        text = str(text or "")
    text = text.replace("\r\n", "\n").replace("\x00", " ")
    if "<" in text and ">" in text:
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    quoted = _QUOTED.search(text)
    if quoted and quoted.start() > 20:
        text = text[: quoted.start()]
    text = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))
    return text[:MAX_CHARS]


def warm_up() -> None:
    """Load lingua and the intent model now rather than on the first message."""
    language_warm_up()
    classifier_warm_up()
    understand("warm up: 100 pcs LED panel CIF Callao by end of March", now=datetime.now(UTC))


def escalation(intent: str, sentiment_score: float) -> bool:
    if intent in ALWAYS_ESCALATE:
        return True
    if intent in NEVER_ESCALATE:
        return False
    if intent in ESCALATE_BY_DEFAULT:
        return True
    return sentiment_score <= ANGRY


def understand(
    text: str,
    *,
    now: datetime,
    language_hints: Sequence[str] = (),
    history: Sequence[str] = (),
) -> Understanding:
    """Language, intent, entities (EVAL.md's shape), sentiment and escalation of one message.

    `now` resolves relative dates; `language_hints` (channel language code, contact's
    language, phone country language…) and `history` (the buyer's earlier texts) help
    with messages too short to tell their language.
    """
    cleaned = clean_text(text)
    language, _ = detect_language(cleaned, hints=language_hints, history=history)
    folded = fold(cleaned)
    today = now.date() if isinstance(now, datetime) else datetime.now(UTC).date()
    extraction = extract(
        folded, language=language, today=today, region=_REGION_BY_LANGUAGE.get(language, "")
    )
    entities = extraction.entities
    found_entities = entities
    # the classifier folds at most its first MAX_CHARS: the same text when it is no longer
    probabilities = intent_probabilities(
        cleaned, folded=folded.text if len(cleaned) <= CLASSIFIER_MAX_CHARS else None
    )
    decision = decide_intent(
        folded.text,
        probabilities=probabilities,
        has_items=bool(entities["items"]),
        has_quantity=any(item["quantity"] is not None for item in entities["items"]),
        has_order_number=bool(entities["order_number"]),
        has_competitor=bool(entities["competitor"]),
        has_target_price=bool(entities["target_price"]),
        has_trade_facts=any(entities[key] for key in ("incoterm", "delivery_date", "target_price")),
    )
    intent = decision.intent
    if decision.off_topic or intent in ("greeting", "thanks_goodbye"):
        # off-topic and social messages carry no trade facts, only contact details
        entities = {
            key: (value if key in ("email", "phone") else ([] if key == "items" else None))
            for key, value in entities.items()
        }
    sentiment, score = sentiment_of(cleaned, folded.text, intent=intent)
    return Understanding(
        language=language,
        intent=intent,
        intent_confidence=decision.confidence,
        entities=entities,
        sentiment=sentiment,
        sentiment_score=score,
        escalate=escalation(intent, score),
        found_entities=found_entities,
    )
