"""Which of the admin's escalation rules a buyer's turn trips, each with its reason."""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from assistant.models import AssistantTurn
from assistant.types import TurnResult
from channels_app.models import DEFAULT_ESCALATION_RULES, EscalationRule, EscalationRuleKind
from crm.models import TierCode

QUOTE_ABOVE_LIMIT_ACTION = "quote:draft"
BELOW_FLOOR_ACTION = "negotiate:below_floor"
HUMAN_HANDOFF_INTENT = "human_handoff"
NEGATIVE_SENTIMENT = "negative"
REPEAT_SIMILARITY = 0.9

# Rules that look back over the conversation's turns, not only the current one.
_HISTORY_KINDS = (
    EscalationRuleKind.NEGATIVE_TREND,
    EscalationRuleKind.LOW_CONFIDENCE,
    EscalationRuleKind.REPEATED,
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EscalationReason:
    code: str  # the rule kind, e.g. "negative_trend"
    detail: str  # English, for the record: "2 negative turns in a row", "intent: complaint"


def escalation_reasons(*, conversation, turn: TurnResult, text: str) -> list[EscalationReason]:
    """Which enabled rules this turn trips. The turn's own AssistantTurn record is already
    saved (the newest for conversation.pk); earlier ones are the conversation's history."""
    saved = {rule.kind: rule for rule in EscalationRule.objects.all()}
    rules = {
        kind: saved.get(kind) or EscalationRule(kind=kind, **fields)
        for kind, fields in DEFAULT_ESCALATION_RULES.items()
    }
    rules = {kind: rule for kind, rule in rules.items() if rule.enabled}
    if not rules:
        return []
    understanding = turn.understanding or {}
    intent = understanding.get("intent") or ""
    action = turn.actions[0] if turn.actions else ""

    lookback = max((rules[kind].turns for kind in _HISTORY_KINDS if kind in rules), default=0)
    records: list[AssistantTurn] = []
    if lookback:
        records = list(
            AssistantTurn.objects.filter(conversation_id=conversation.pk)
            .order_by("-created_at", "-pk")
            .only("text", "sentiment", "intent_confidence")[:lookback]
        )

    reasons: list[EscalationReason] = []
    for kind in EscalationRuleKind.values:
        rule = rules.get(kind)
        if rule is None:
            continue
        detail = _tripped(
            rule,
            conversation=conversation,
            intent=intent,
            action=action,
            text=text,
            records=records,
        )
        if detail:
            reasons.append(EscalationReason(code=kind, detail=detail))
    return reasons


def _tripped(
    rule: EscalationRule,
    *,
    conversation,
    intent: str,
    action: str,
    text: str,
    records: list[AssistantTurn],
) -> str:
    """The reason's detail when the rule fires, empty otherwise."""
    kind = rule.kind
    if kind == EscalationRuleKind.INTENT:
        return f"intent: {intent}" if intent and intent in (rule.intents or []) else ""
    if kind == EscalationRuleKind.QUOTE_ABOVE_LIMIT:
        return "quote above the auto-send limit" if action == QUOTE_ABOVE_LIMIT_ACTION else ""
    if kind == EscalationRuleKind.BELOW_FLOOR:
        return "target price below the floor" if action == BELOW_FLOOR_ACTION else ""
    if kind == EscalationRuleKind.STRATEGIC_ASKS_PERSON:
        # Only now is the company read: most turns never get this far.
        if intent == HUMAN_HANDOFF_INTENT and _tier(conversation) == TierCode.STRATEGIC:
            return "strategic-tier buyer asks for a person"
        return ""

    latest = _latest(records, rule.turns)
    if not latest:
        return ""
    if kind == EscalationRuleKind.NEGATIVE_TREND:
        if all(record.sentiment == NEGATIVE_SENTIMENT for record in latest):
            return f"{rule.turns} negative turns in a row"
        return ""
    if kind == EscalationRuleKind.LOW_CONFIDENCE:
        if all(record.intent_confidence < rule.threshold for record in latest):
            return (
                f"understanding confidence below {rule.threshold:g} in {rule.turns} turns in a row"
            )
        return ""
    if kind == EscalationRuleKind.REPEATED:
        # The newest record is this turn: the text the caller handed in is its message.
        messages = [text, *(record.text for record in latest[1:])]
        if _all_the_same_request(messages):
            return f"the buyer repeated the same request {rule.turns} times"
        return ""
    return ""


def _latest(records: list[AssistantTurn], turns: int) -> list[AssistantTurn]:
    """The newest `turns` records, or nothing when the conversation has fewer."""
    if turns < 1 or len(records) < turns:
        return []
    return records[:turns]


def _tier(conversation) -> str:
    company = getattr(conversation.contact, "company", None)
    return company.tier if company is not None else ""


def _normalised(text: str) -> str:
    """Casefolded, without punctuation or symbols, single spaces."""
    kept = "".join(
        char if not unicodedata.category(char).startswith(("P", "S")) else " "
        for char in unicodedata.normalize("NFKC", text or "").casefold()
    )
    return _SPACE.sub(" ", kept).strip()


def _all_the_same_request(messages: list[str]) -> bool:
    """True when every message says what the newest says; an empty message never repeats."""
    normalised = [_normalised(message) for message in messages]
    if len(normalised) < 2 or not all(normalised):
        return False
    newest = normalised[0]
    return all(
        other == newest or difflib.SequenceMatcher(None, newest, other).ratio() >= REPEAT_SIMILARITY
        for other in normalised[1:]
    )
