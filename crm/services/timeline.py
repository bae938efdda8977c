"""Writes of the timeline: notes, and tasks for the people who must act."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Author,
    Company,
    Contact,
    Deal,
    Direction,
    Interaction,
    InteractionKind,
    Language,
    ProfileFact,
    Sentiment,
    Task,
    User,
)
from .common import model_save_validated, model_update

TASK_FIELDS = ["title", "description", "assignee", "due_at", "company", "contact", "deal"]


def _check_links(*, company: Company | None, contact: Contact | None, deal: Deal | None) -> None:
    errors = {}
    if contact is not None and company is not None and contact.company_id != company.pk:
        errors["contact"] = _("This contact does not work at the selected company.")
    if deal is not None and company is not None and deal.company_id != company.pk:
        errors["deal"] = _("This deal belongs to another company.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def interaction_note_create(
    *,
    user: User,
    company: Company,
    text: str,
    contact: Contact | None = None,
    deal: Deal | None = None,
) -> Interaction:
    """An internal note by a staff member on a customer's timeline."""
    _check_links(company=company, contact=contact, deal=deal)
    if not text.strip():
        raise ValidationError({"text": _("A note cannot be empty.")})
    return model_save_validated(
        Interaction(
            company=company,
            contact=contact,
            deal=deal,
            direction=Direction.INTERNAL,
            kind=InteractionKind.NOTE,
            text=text.strip(),
            author=Author.STAFF,
            author_user=user,
            occurred_at=timezone.now(),
        )
    )


def task_create(*, user: User | None, **data: Any) -> Task:
    """A task (one write, in its own savepoint: `model_save_validated`)."""
    fields = {key: value for key, value in data.items() if key in TASK_FIELDS}
    fields.setdefault("assignee", user)
    if fields.get("company") is None:
        linked = fields.get("deal") or fields.get("contact")
        if linked is not None:
            fields["company"] = linked.company
    _check_links(
        company=fields.get("company"), contact=fields.get("contact"), deal=fields.get("deal")
    )
    return model_save_validated(Task(created_by=user, **fields))


@transaction.atomic
def task_update(*, task: Task, data: dict[str, Any]) -> Task:
    data = dict(data)
    if "done" in data:
        done = bool(data.pop("done"))
        if done != task.done:
            task.done = done
            task.done_at = timezone.now() if done else None
            task.save(update_fields=["done", "done_at"])
    merged = {
        field: data.get(field, getattr(task, field)) for field in ("company", "contact", "deal")
    }
    _check_links(**merged)
    model_update(instance=task, data=data, fields=TASK_FIELDS)
    return task


@transaction.atomic
def task_delete(*, task: Task) -> None:
    task.delete()


def interaction_event_record(
    *,
    company: Company,
    text: str,
    contact: Contact | None = None,
    deal: Deal | None = None,
    user: User | None = None,
    direction: str = Direction.INTERNAL,
    channel: str = "",
) -> Interaction:
    """A system event on the customer's timeline (a quote sent, an order shipped…)."""
    return Interaction.objects.create(
        company=company,
        contact=contact,
        deal=deal,
        channel=channel,
        direction=direction,
        kind=InteractionKind.SYSTEM,
        text=text,
        author=Author.STAFF if user else Author.SYSTEM,
        author_user=user,
        occurred_at=timezone.now(),
    )


def interaction_message_record(
    *,
    company: Company,
    contact: Contact | None,
    channel: str,
    direction: str,
    kind: str,
    author: str,
    text: str,
    language: str = "",
    occurred_at=None,
    user: User | None = None,
    intent: str = "",
    sentiment: str = "",
) -> Interaction:
    """A message to or from a buyer, on the customer's timeline."""
    interaction = _message(
        MessageEntry(
            company=company,
            contact=contact,
            channel=channel,
            direction=direction,
            kind=kind,
            author=author,
            text=text,
            language=language,
            occurred_at=occurred_at,
            user=user,
            intent=intent,
            sentiment=sentiment,
        ),
        now=None,
    )
    interaction.save(force_insert=True)
    return interaction


@dataclass(frozen=True)
class MessageEntry:
    """One message for `interaction_messages_record` (the arguments of
    `interaction_message_record`)."""

    company: Company
    contact: Contact | None
    channel: str
    direction: str
    kind: str
    author: str
    text: str
    language: str = ""
    occurred_at: Any = None
    user: User | None = None
    intent: str = ""
    sentiment: str = ""


def _message(entry: MessageEntry, *, now) -> Interaction:
    return Interaction(
        company=entry.company,
        contact=entry.contact,
        channel=entry.channel,
        direction=entry.direction,
        kind=entry.kind,
        text=entry.text,
        language=entry.language if entry.language in Language.values else "",
        author=entry.author,
        author_user=entry.user,
        occurred_at=entry.occurred_at or now or timezone.now(),
        intent=entry.intent,
        sentiment=entry.sentiment,
    )


def interaction_messages_record(entries: list[MessageEntry]) -> list[Interaction]:
    """Messages to or from buyers on the customers' timelines, in one query (a buyer's
    message and the reply to it); like `interaction_message_record` for each."""
    now = timezone.now()
    return Interaction.objects.bulk_create([_message(entry, now=now) for entry in entries])


@dataclass(frozen=True)
class FactUpdate:
    """One thing learned about a customer: the fact of `kind` whose value matches `key`
    (any fact of the kind when None) is updated, or a new one is kept."""

    kind: str
    value: Any
    key: dict | None = None
    confidence: float = 0.8


def _fact_matches(fact: ProfileFact, update: FactUpdate) -> bool:
    if fact.kind != update.kind:
        return False
    value = fact.value if isinstance(fact.value, dict) else {}
    return all(value.get(name) == wanted for name, wanted in (update.key or {}).items())


def profile_facts_record(
    *,
    company: Company,
    contact: Contact | None,
    facts: list[FactUpdate],
    source_interaction: Interaction | None = None,
    seen_at=None,
) -> list[ProfileFact]:
    """Keep what was learned about a customer in three queries, however many facts."""
    if not facts:
        return []
    seen_at = seen_at or timezone.now()
    known = list(
        ProfileFact.objects.filter(company=company, kind__in={f.kind for f in facts}).order_by(
            "-last_seen_at", "-id"
        )
    )
    created: list[ProfileFact] = []
    updated: dict[int, ProfileFact] = {}
    kept: list[ProfileFact] = []
    for update in facts:
        confidence = max(0.0, min(1.0, update.confidence))
        fact = next((fact for fact in created + known if _fact_matches(fact, update)), None)
        if fact is None:
            fact = ProfileFact(
                company=company,
                contact=contact,
                kind=update.kind,
                value=update.value,
                confidence=confidence,
                source_interaction=source_interaction,
                first_seen_at=seen_at,
                last_seen_at=seen_at,
            )
            created.append(fact)
        else:
            fact.value = update.value
            fact.confidence = max(fact.confidence, confidence)
            fact.last_seen_at = max(seen_at, fact.first_seen_at)
            fact.source_interaction = source_interaction or fact.source_interaction
            if fact.pk:
                updated[fact.pk] = fact
        kept.append(fact)
    ProfileFact.objects.bulk_create(created)
    if updated:
        ProfileFact.objects.bulk_update(
            list(updated.values()),
            ["value", "confidence", "last_seen_at", "source_interaction"],
        )
    return kept


def profile_fact_record(
    *,
    company: Company,
    contact: Contact | None,
    kind: str,
    value,
    key: dict | None = None,
    confidence: float = 0.8,
    source_interaction: Interaction | None = None,
    seen_at=None,
) -> ProfileFact:
    """One fact learned about a customer (see `profile_facts_record`)."""
    return profile_facts_record(
        company=company,
        contact=contact,
        facts=[FactUpdate(kind=kind, value=value, key=key, confidence=confidence)],
        source_interaction=source_interaction,
        seen_at=seen_at,
    )[0]


def interaction_annotate(
    *, interaction: Interaction, intent: str, sentiment: str, language: str
) -> None:
    """What the assistant understood of a recorded message."""
    Interaction.objects.filter(pk=interaction.pk).update(
        intent=intent[:40],
        sentiment=sentiment if sentiment in Sentiment.values else "",
        language=language if language in Language.values else interaction.language,
    )
