"""Writes of the timeline: notes, and tasks for the people who must act."""

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


@transaction.atomic
def task_create(*, user: User | None, **data: Any) -> Task:
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
    return Interaction.objects.create(
        company=company,
        contact=contact,
        channel=channel,
        direction=direction,
        kind=kind,
        text=text,
        language=language if language in Language.values else "",
        author=author,
        author_user=user,
        occurred_at=occurred_at or timezone.now(),
        intent=intent,
        sentiment=sentiment,
    )


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
    """Learned about a customer: the fact of `kind` whose value matches `key` (all of
    the kind when None) is updated and seen again, or a new one is kept."""
    seen_at = seen_at or timezone.now()
    facts = ProfileFact.objects.filter(company=company, kind=kind)
    for field_name, field_value in (key or {}).items():
        facts = facts.filter(**{f"value__{field_name}": field_value})
    fact = facts.order_by("-last_seen_at").first()
    confidence = max(0.0, min(1.0, confidence))
    if fact is None:
        return ProfileFact.objects.create(
            company=company,
            contact=contact,
            kind=kind,
            value=value,
            confidence=confidence,
            source_interaction=source_interaction,
            first_seen_at=seen_at,
            last_seen_at=seen_at,
        )
    fact.value = value
    fact.confidence = max(fact.confidence, confidence)
    fact.last_seen_at = max(seen_at, fact.first_seen_at)
    fact.source_interaction = source_interaction or fact.source_interaction
    fact.save(update_fields=["value", "confidence", "last_seen_at", "source_interaction"])
    return fact


def interaction_annotate(
    *, interaction: Interaction, intent: str, sentiment: str, language: str
) -> None:
    """What the assistant understood of a recorded message."""
    Interaction.objects.filter(pk=interaction.pk).update(
        intent=intent[:40],
        sentiment=sentiment if sentiment in Sentiment.values else "",
        language=language if language in Language.values else interaction.language,
    )
