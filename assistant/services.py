"""The assistant's entry point: one buyer message in, the reply and what was understood
and done out. Understand → update the dialogue state → decide and act through
crm.services → word the reply (templates; optionally reworded by an LLM) → write back
what the CRM learned and the turn's quality record."""

import logging
import time

from django.db import transaction
from django.utils import translation

from crm.models import Company, Contact, Language

from .actions import Outcome, TurnContext, decide_and_act, follow_up_promise, now_or
from .dialogue import DialogueState, state_update
from .models import AssistantTurn
from .replies import templates
from .types import BuyerMessage, ConversationRef, TurnResult
from .understanding import understand
from .writeback import facts_record, inbound_annotate, messages_record, turn_record

logger = logging.getLogger(__name__)

SUPPORTED = frozenset(Language.values)
# The policy settles a price within its floor itself; no person is needed for that.
HANDLED_BY_POLICY = frozenset({"negotiate:offer"})


def _django_language(code: str) -> str:
    """Our reply language for an ISO 639-1 code or a channel hint ("zh", "pt-BR", "de_DE")."""
    code = (code or "").lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    return code[:2] if code[:2] in SUPPORTED else ""


def _parties(conversation: ConversationRef) -> tuple[Company | None, Contact | None]:
    contact = (
        Contact.objects.select_related("company__owner").filter(pk=conversation.contact_id).first()
        if conversation.contact_id
        else None
    )
    if contact is not None:
        return contact.company, contact
    if conversation.company_id:
        return Company.objects.select_related("owner").filter(
            pk=conversation.company_id
        ).first(), None
    return None, None


def _state_for(conversation: ConversationRef, *, now, hints: list[str]) -> DialogueState:
    """The state after the previous turn: its quality record, or rebuilt from the
    buyer's earlier messages when there is none."""
    if conversation.id:
        slots = (
            AssistantTurn.objects.filter(conversation_id=conversation.id)
            .order_by("-created_at", "-id")
            .values_list("slots", flat=True)
            .first()
        )
        if slots is not None:
            return DialogueState.from_json(slots)
    state = DialogueState()
    for entry in conversation.history:
        if entry.role != "buyer" or not entry.text.strip():
            continue
        earlier = understand(entry.text, now=now, language_hints=hints)
        state, _ = state_update(
            state,
            intent=earlier.intent,
            entities=earlier.entities,
            text=entry.text,
            language=earlier.language,
        )
    return state


def _act(context: TurnContext, served: str) -> Outcome:
    """Decide and act in a savepoint: an action that fails leaves nothing half-written and
    the buyer is told a person will follow up."""
    try:
        with transaction.atomic():
            return decide_and_act(context, served)
    except Exception:  # noqa: BLE001 - the buyer still gets an answer; the error is logged
        logger.exception("assistant action for %s failed", served)
        when, _ = follow_up_promise(context.now)
        return Outcome(
            action="error",
            reply=templates.handoff(reason="question", who=templates.who_owner(""), when=when),
            answered=False,
            escalate=True,
            escalation_reason="error",
        )


def _reworded(
    outcome: Outcome,
    *,
    language: str,
    buyer_text: str,
    company: Company | None,
    guidance: str = "",
) -> tuple[str, str]:
    """The reply and which generator wrote it."""
    from .replies.llm import llm_configured, llm_write

    if not llm_configured():
        return outcome.reply, "template"
    forbidden = Company.objects.exclude(pk=company.pk if company else None).values_list(
        "legal_name", flat=True
    )[:5000]
    text = llm_write(
        language=language,
        draft=outcome.reply,
        facts=outcome.facts,
        buyer_text=buyer_text,
        company_names_forbidden=list(forbidden),
        guidance=guidance,
    )
    return (text, "llm") if text else (outcome.reply, "template")


def handoff_notice(*, language: str, now) -> str:
    """ "A colleague takes over and replies by …", in the buyer's language."""
    from .actions import follow_up_promise

    with translation.override(language or "en"):
        when, _ = follow_up_promise(now_or(now))
        return templates.handoff_taking_over(when=when)


def conversation_turn_handle(*, conversation: ConversationRef, message: BuyerMessage) -> TurnResult:
    """One buyer message in, the reply and what was understood and done out. Never sends
    anything; writes to the CRM what it learned (the caller's transaction)."""
    started = time.perf_counter()
    now = now_or(message.sent_at)
    hints = [hint for hint in (conversation.language, message.language_hint) if hint]
    understanding = understand(
        message.text,
        now=now,
        language_hints=hints,
        history=[entry.text for entry in conversation.history if entry.role == "buyer"],
    )
    language = (
        _django_language(understanding.language)
        or _django_language(conversation.language)
        or _django_language(message.language_hint)
        or "en"
    )
    company, contact = _parties(conversation)
    state = _state_for(conversation, now=now, hints=hints)
    state, served = state_update(
        state,
        intent=understanding.intent,
        entities=understanding.entities,
        text=message.text,
        language=understanding.language,
        found=understanding.found_entities,
    )
    with translation.override(language):
        context = TurnContext(
            conversation=conversation,
            message=message,
            understanding=understanding,
            language=language,
            state=state,
            company=company,
            contact=contact,
            now=now,
        )
        if conversation.assistant_active:
            outcome = _act(context, served)
            reply, generator = _reworded(
                outcome,
                language=language,
                buyer_text=message.text,
                company=company,
                guidance=conversation.guidance,
            )
        else:  # a person has the conversation: understand and record, stay silent
            outcome, reply, generator = Outcome(action="silent", reply=""), "", ""
        state.asked = outcome.asked
    escalate = conversation.assistant_active and (
        outcome.escalate or (understanding.escalate and outcome.action not in HANDLED_BY_POLICY)
    )
    reason = outcome.escalation_reason or (f"intent: {understanding.intent}" if escalate else "")
    if company is not None:
        if conversation.records_messages:
            source = inbound_annotate(
                company=company,
                contact=contact,
                text=message.text,
                intent=understanding.intent,
                sentiment=understanding.sentiment,
                language=language,
            )
        else:
            source = messages_record(
                company=company,
                contact=contact,
                channel=conversation.channel,
                buyer_text=message.text,
                reply=reply,
                language=language,
                intent=understanding.intent,
                sentiment=understanding.sentiment,
                occurred_at=now,
            )
        facts_record(
            company=company,
            contact=contact,
            language=language,
            entities=understanding.entities,
            text=message.text,
            intent=understanding.intent,
            sentiment=understanding.sentiment,
            sentiment_score=understanding.sentiment_score,
            source=source,
            seen_at=now,
        )
    turn_record(
        conversation_id=conversation.id or None,
        company=company,
        channel=conversation.channel,
        text=message.text,
        language=understanding.language,
        intent=understanding.intent,
        intent_confidence=understanding.intent_confidence,
        entities=understanding.entities,
        sentiment=understanding.sentiment,
        sentiment_score=understanding.sentiment_score,
        slots=state.as_json(),
        action=outcome.action,
        answered=outcome.answered,
        escalate=escalate,
        escalation_reason=reason,
        reply=reply,
        generator=generator,
        duration_ms=(time.perf_counter() - started) * 1000,
    )
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
            "escalate": understanding.escalate,
        },
        actions=(outcome.action, *outcome.actions),
        escalate=escalate,
        escalation_reason=reason,
    )
