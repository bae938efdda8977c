"""python manage.py assistant_eval < cases.jsonl > results.jsonl

EVAL.md's evaluation command: for each case, resolve the sender (a known channel
identity or a new prospect), run the assistant's turn for the reply and the
understanding layer for language, intent, entities, sentiment and escalation, and
write one JSON line. Each case runs in a transaction that is rolled back, so the
database is left as it was; a case that fails yields {"id", "error"}.
"""

import json
import sys
from datetime import UTC, datetime
from decimal import Decimal

import phonenumbers
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from assistant.services import conversation_turn_handle
from assistant.types import BuyerMessage, ConversationRef, HistoryEntry
from assistant.understanding.language import language_for_phone, normalise_code
from crm.models import Channel, ChannelIdentity
from crm.services.customers import channel_identity_create, prospect_create


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _parse_now(raw) -> datetime:
    if not raw:
        return timezone.now()
    value = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _phone_e164(address: str) -> tuple[str, str]:
    """(E.164, ISO country) of a WhatsApp address, or ("", "")."""
    digits = address if address.startswith("+") else f"+{address}"
    try:
        number = phonenumbers.parse(digits, None)
    except phonenumbers.NumberParseException:
        return "", ""
    if not phonenumbers.is_valid_number(number):
        return "", ""
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.region_code_for_number(number) or "",
    )


def _sender(contact: dict | None) -> tuple[ChannelIdentity | None, list[str]]:
    """The channel identity writing (created with a prospect when unknown) and language hints."""
    if not contact:
        return None, []
    channel = str(contact.get("channel") or "").strip().lower()
    address = str(contact.get("address") or "").strip()
    if channel not in Channel.values or not address:
        return None, []
    hints: list[str] = []
    identity = (
        ChannelIdentity.objects.select_related("contact__company")
        .filter(channel=channel, address=address)
        .first()
    )
    if identity is not None:
        hints.append(normalise_code(identity.contact.preferred_language))
    else:
        email = address.lower() if channel == Channel.EMAIL else ""
        phone, country = _phone_e164(address) if channel == Channel.WHATSAPP else ("", "")
        prospect = prospect_create(name="", country=country, email=email, phone=phone)
        identity = channel_identity_create(contact=prospect, channel=channel, address=address)
    if channel == Channel.WHATSAPP:
        hints.append(language_for_phone(address))
    return identity, [hint for hint in hints if hint]


def evaluate_case(case: dict, *, number: int) -> dict:
    """The result line for one case; the caller rolls the database back."""
    text = case.get("text")
    if not isinstance(text, str):
        raise ValueError("the case has no text")
    now = _parse_now(case.get("now"))
    history = tuple(
        HistoryEntry(role=str(entry.get("role") or "buyer"), text=str(entry.get("text") or ""))
        for entry in case.get("history") or ()
        if isinstance(entry, dict)
    )
    identity, hints = _sender(case.get("contact"))
    contact = identity.contact if identity is not None else None
    conversation = ConversationRef(
        id=0,  # no stored dialogue state: it is rebuilt from the case's history
        channel=identity.channel if identity is not None else Channel.WEB,
        sender_address=identity.address if identity is not None else "",
        contact_id=contact.pk if contact is not None else None,
        company_id=contact.company_id if contact is not None else None,
        language=hints[0] if hints else "",
        history=history,
    )
    turn = conversation_turn_handle(
        conversation=conversation,
        message=BuyerMessage(
            text=text, sent_at=now, language_hint=hints[1] if len(hints) > 1 else ""
        ),
    )
    understanding = turn.understanding
    return {
        "id": case.get("id"),
        "language": understanding["language"],
        "intent": understanding["intent"],
        "entities": understanding["entities"],
        "sentiment": understanding["sentiment"],
        "sentiment_score": understanding["sentiment_score"],
        "escalate": understanding["escalate"],
        "reply": turn.reply,
    }


class Command(BaseCommand):
    help = "Evaluate the assistant on JSONL cases from stdin (see shared/reference/EVAL.md)."

    def handle(self, *args, **options):
        out = self.stdout
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            case_id = None
            try:
                case = json.loads(line)
                if not isinstance(case, dict):
                    raise ValueError("a case must be a JSON object")
                case_id = case.get("id")
                with transaction.atomic():
                    try:
                        result = evaluate_case(case, number=number)
                    finally:
                        transaction.set_rollback(True)
            except Exception as exc:  # noqa: BLE001 - one bad case must not stop the run
                result = {"id": case_id, "error": f"{type(exc).__name__}: {exc}"[:500]}
            out.write(json.dumps(result, ensure_ascii=False, default=_json_default))
            out.flush()
