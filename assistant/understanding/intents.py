"""One intent per message: rule signals (intent_rules) and the classifier's
probabilities are added into evidence per intent; every intent whose evidence passes
the bar is "present", and EVAL.md's precedence picks among them. Greeting, thanks and
"other" only win when nothing else is asked.
"""

import re
from dataclasses import dataclass

from .intent_rules import INTENTS, PRECEDENCE, rule_scores

# How much the classifier's probability adds to the rules' evidence.
CLASSIFIER_WEIGHT = 1.6
PRESENT = 1.6
SOCIAL = ("thanks_goodbye", "greeting", "other")
BUSINESS = tuple(intent for intent in INTENTS if intent not in SOCIAL)


_VENDOR_PITCH = re.compile(
    r"(?:we|i)\s+(?:can\s+)?(?:offer|provide)\s+(?:you\s+)?(?:our\s+)?(?:services?|solutions?)|"
    r"(?:are\s+you|would\s+you\s+be)\s+interested\s+in\s+(?:our|working\s+with\s+us)|with\s+us\s*\?|"
    r"(?:les|le)\s+interesa|con\s+nosotros\s*\?|nuestros\s+servicios|soy\s+de\s+una\s+(?:empresa|agencia)|"
    r"tem\s+interesse|conosco\s*\?|nossos\s+servicos|"
    r"nos\s+services|ca\s+vous\s+interesse|avec\s+nous\s*\?|"
    r"unsere\s+dienstleistung\w*|interesse\s+an\s+unseren|"
    r"наши\s+услуги|предлагаем\s+(?:вам\s+)?(?:услуги|сотрудничество)|"
    r"خدماتنا|نقدم\s+لكم\s+خدمات|我们(?:可以)?(?:提供|是做).{0,12}(?:服务|推广|物流|货代)"
)

_GREETING_WORDS = re.compile(
    r"\b(?:hello|hi|hey|good|morning|afternoon|evening|day|dear|sir|madam|team|all|there|hola|buenas|buenos|"
    r"dias|tardes|noches|ola|oi|bom|boa|dia|tarde|noite|tudo|bem|bonjour|bonsoir|salut|madame|monsieur|hallo|"
    r"guten|tag|morgen|abend|moin|zusammen|здравствуите|привет|добрыи|день|вечер|утро|السلام|عليكم|مرحبا|اهلا|"
    r"صباح|مساء|الخير|你好|您好|在吗)\b"
)


def _words_beyond_greeting(folded_text: str) -> int:
    rest = _GREETING_WORDS.sub(" ", folded_text)
    return len(re.findall(r"[^\W\d_]+", rest))


@dataclass(frozen=True)
class IntentDecision:
    intent: str
    confidence: float
    evidence: dict[str, float]
    off_topic: bool = (
        False  # "other" because the message is spam or unrelated, not for lack of signal
    )


def decide_intent(
    folded_text: str,
    *,
    probabilities: dict[str, float],
    has_items: bool,
    has_quantity: bool,
    has_order_number: bool,
    has_competitor: bool,
    has_target_price: bool,
    has_trade_facts: bool = False,
) -> IntentDecision:
    rules = rule_scores(folded_text)
    evidence = {
        intent: rules.get(intent, 0.0) + CLASSIFIER_WEIGHT * probabilities.get(intent, 0.0)
        for intent in INTENTS
    }
    if has_order_number:
        evidence["order_status"] += 0.4
    if has_competitor and rules.get("price_inquiry", 0) + rules.get("negotiation", 0) > 0:
        evidence["negotiation"] += 1.0
    if has_target_price and rules.get("negotiation", 0) > 0:
        evidence["negotiation"] += 0.5
    if has_competitor and has_target_price:
        evidence["negotiation"] += 2.0  # citing a competitor's price is pushing back on ours
    # "How much is the freight for a 40' container" is about shipping, not product prices.
    if rules.get("shipping_inquiry", 0) >= 2 and not has_items:
        evidence["price_inquiry"] = min(evidence["price_inquiry"], PRESENT - 0.01)
    # "What does it cost for 2,000 pcs" asks for a quote (EVAL.md).
    sample = evidence["sample_request"] >= PRESENT
    if (
        has_quantity
        and not sample
        and rules.get("price_inquiry", 0) >= 2
        and evidence["quote_request"] < PRESENT
    ):
        evidence["quote_request"] = max(evidence["quote_request"], evidence["price_inquiry"])
    if has_quantity:
        evidence["price_inquiry"] = min(evidence["price_inquiry"], PRESENT - 0.01)

    present = [
        intent for intent in PRECEDENCE if intent not in SOCIAL and evidence[intent] >= PRESENT
    ]
    if _VENDOR_PITCH.search(folded_text) and not has_items and not has_order_number:
        present = []  # a supplier selling to us ("do you want to quote your shipments with us?")
        evidence["other"] = max(evidence["other"], PRESENT + 1)
        rules["other"] = max(rules.get("other", 0.0), 2.0)
    off_topic = False
    if present:
        intent = present[0]
    elif rules.get("other", 0) >= 2 and evidence["other"] >= PRESENT and not has_items:
        intent, off_topic = "other", True
    elif evidence["thanks_goodbye"] >= PRESENT and (
        (not has_items and not has_trade_facts and "?" not in folded_text)
        or probabilities.get("thanks_goodbye", 0.0) >= 0.6
    ):
        intent = "thanks_goodbye"
    elif (
        evidence["greeting"] >= PRESENT
        and not has_trade_facts
        and (_words_beyond_greeting(folded_text) <= 4 or probabilities.get("greeting", 0.0) >= 0.35)
    ):
        intent = "greeting"
    elif has_quantity and has_trade_facts:
        intent = "quote_request"  # "2,000 pcs … CFR Sohar within 40 days": a request for an offer
    elif has_items:
        # a product named, nothing else asked: a question about it, unless the
        # classifier reads it clearly as something else ("the strips are peeling off")
        best = max(BUSINESS, key=lambda name: probabilities.get(name, 0.0))
        intent = best if probabilities.get(best, 0.0) >= 0.5 else "product_info"
    elif has_order_number:
        intent = "order_status"
    elif has_trade_facts:
        # "CIF Callao by end of March": trade facts without a request word; the
        # classifier's best business reading
        intent = max(BUSINESS, key=lambda name: probabilities.get(name, 0.0))
        if probabilities.get(intent, 0.0) < 0.25:
            intent, off_topic = "other", False
    else:
        intent = max(INTENTS, key=lambda name: probabilities.get(name, 0.0))
        if probabilities.get(intent, 0.0) < 0.35 or intent in ("greeting", "thanks_goodbye"):
            intent = "other"  # "Hola Mari, ¿a qué hora es la cena?": nothing for us
        off_topic = intent == "other"
    total = sum(max(v, 0.0) for v in evidence.values()) or 1.0
    confidence = max(0.05, min(0.99, evidence[intent] / max(total, evidence[intent] + 0.5)))
    if intent in rules and rules[intent] >= 2:
        confidence = max(confidence, 0.75)
    return IntentDecision(
        intent=intent, confidence=round(confidence, 3), evidence=evidence, off_topic=off_topic
    )
