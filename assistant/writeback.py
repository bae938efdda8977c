"""What the CRM learns from a turn: interactions with intent and sentiment, profile
facts, and the turn's quality record. Through `crm.services` only."""

import re

from crm.models import Company, Contact, FactKind, Interaction
from crm.models.timeline import Author, Direction, InteractionKind
from crm.services.timeline import (
    FactUpdate,
    MessageEntry,
    interaction_annotate,
    interaction_messages_record,
    profile_facts_record,
)

from .models import AssistantTurn

_FORMAL = re.compile(
    r"\b(dear|sir|madam|kind regards|estimad[oa]s?|prezad[oa]s?|atenciosamente|уважаем\w*|"
    r"с уважением|monsieur|madame|cordialement|sehr geehrte\w*|mit freundlichen)\b|尊敬|您好|السيد|تحية طيبة",
    re.IGNORECASE,
)
_CASUAL = re.compile(
    r"\b(hi|hey|pls|plz|thx|ok|hola|oi|olá|привет|salut|hallo)\b|[\U0001F300-\U0001FAFF]",
    re.IGNORECASE,
)


def communication_style(text: str) -> str | None:
    if _FORMAL.search(text):
        return "formal"
    if _CASUAL.search(text):
        return "casual"
    return None


def messages_record(
    *,
    company: Company,
    contact: Contact | None,
    channel: str,
    buyer_text: str,
    reply: str,
    language: str,
    intent: str,
    sentiment: str,
    occurred_at,
) -> Interaction:
    """Both sides of the turn on the timeline, for callers without a transport that
    records messages (the evaluation command)."""
    kind = InteractionKind.EMAIL if channel == "email" else InteractionKind.MESSAGE
    entries = [
        MessageEntry(
            company=company,
            contact=contact,
            channel=channel,
            direction=Direction.IN,
            kind=kind,
            author=Author.BUYER,
            text=buyer_text or "—",
            language=language,
            occurred_at=occurred_at,
            intent=intent,
            sentiment=sentiment,
        )
    ]
    if reply:
        entries.append(
            MessageEntry(
                company=company,
                contact=contact,
                channel=channel,
                direction=Direction.OUT,
                kind=kind,
                author=Author.ASSISTANT,
                text=reply,
                language=language,
                intent=intent,
            )
        )
    return interaction_messages_record(entries)[0]


def inbound_annotate(
    *,
    company: Company,
    contact: Contact | None,
    text: str,
    intent: str,
    sentiment: str,
    language: str,
) -> Interaction | None:
    """The transport recorded the buyer's message (the same text): add what was
    understood to it."""
    interaction = (
        Interaction.objects.filter(
            company=company, contact=contact, direction=Direction.IN, intent="", text=text
        )
        .order_by("-occurred_at", "-id")
        .first()
    )
    if interaction is not None:
        interaction_annotate(
            interaction=interaction, intent=intent, sentiment=sentiment, language=language
        )
    return interaction


def facts_record(
    *,
    company: Company,
    contact: Contact | None,
    language: str,
    entities: dict,
    text: str,
    intent: str,
    sentiment: str,
    sentiment_score: float,
    source: Interaction | None,
    seen_at,
) -> list[str]:
    """Profile facts learned from one message; returns the kinds written."""
    learned: list[FactUpdate] = []

    def keep(kind, value, key=None, confidence=0.8):
        learned.append(FactUpdate(kind=kind, value=value, key=key, confidence=confidence))

    if language:
        keep(FactKind.LANGUAGE, {"language": language}, confidence=0.9)
    for item in entities.get("items") or ():
        quantity = item.get("quantity")
        keep(
            FactKind.PRODUCT_INTEREST,
            {
                "sku": item["sku"],
                "quantity": str(quantity) if quantity is not None else None,
                "unit": item.get("unit"),
            },
            key={"sku": item["sku"]},
        )
    target = entities.get("target_price")
    if target:
        skus = [item["sku"] for item in entities.get("items") or ()]
        keep(
            FactKind.TARGET_PRICE,
            {"amount": str(target["amount"]), "currency": target["currency"], "skus": skus},
            key={"currency": target["currency"]},
        )
    if entities.get("competitor"):
        keep(
            FactKind.COMPETITOR,
            {"name": entities["competitor"]},
            key={"name": entities["competitor"]},
        )
    if entities.get("destination_country"):
        keep(
            FactKind.DESTINATION_MARKET,
            {"country": entities["destination_country"], "port": entities.get("destination_port")},
            key={"country": entities["destination_country"]},
        )
    if entities.get("incoterm"):
        keep(FactKind.INCOTERM_PREFERENCE, {"incoterm": entities["incoterm"]})
    style = communication_style(text)
    if style:
        keep(FactKind.COMMUNICATION_STYLE, {"style": style}, confidence=0.6)
    if sentiment != "neutral" and intent not in ("greeting", "thanks_goodbye"):
        keep(
            FactKind.SENTIMENT,
            {"sentiment": sentiment, "score": round(sentiment_score, 2)},
            confidence=0.6,
        )
    profile_facts_record(
        company=company, contact=contact, facts=learned, source_interaction=source, seen_at=seen_at
    )
    return [fact.kind for fact in learned]


def turn_record(**fields) -> AssistantTurn:
    fields["text"] = (fields.get("text") or "")[:4000]
    fields["reply"] = (fields.get("reply") or "")[:4000]
    fields["escalation_reason"] = (fields.get("escalation_reason") or "")[:200]
    return AssistantTurn.objects.create(**fields)
