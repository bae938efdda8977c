"""What keeps people answering: the assignee's e-mail on a new escalation, reply
reminders and manager alerts when a buyer waits (in business time), and the
satisfaction survey when a person's conversation is resolved."""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crm.business_hours import business_time_after
from crm.models import FactKind, Role, User
from crm.services.timeline import profile_fact_record
from crm.templatetags.portolan import person

from ..models import Conversation, ConversationStatus, Sender

logger = logging.getLogger(__name__)

SURVEY_ANSWER_HOURS = 72
_STARS = re.compile(r"^\s*([1-5])\s*(?:/\s*5)?\s*[.!]?\s*$")


def _mail(user: User, subject: str, body: str) -> None:
    if not user.email:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:  # noqa: BLE001 - a mail server down must not undo the handoff
        logger.exception("could not e-mail %s", user.username)


def _console_link(conversation: Conversation) -> str:
    return f"{settings.PORTOLAN_PUBLIC_URL.rstrip('/')}/inbox/{conversation.pk}/"


def escalation_notify(conversation: Conversation) -> None:
    """E-mail the assignee (in their language) that a buyer waits for them."""
    user = conversation.assigned_to
    if user is None:
        return
    with translation.override(user.language or settings.LANGUAGE_CODE):
        reasons = "; ".join(reason.get("detail", "") for reason in conversation.escalation_reasons)
        _mail(
            user,
            _("A buyer needs you: %(company)s")
            % {"company": conversation.contact.company.legal_name},
            _(
                "%(contact)s (%(company)s) was handed over to you by the assistant.\nWhy: %(reasons)s\n%(link)s"
            )
            % {
                "contact": conversation.contact.name,
                "company": conversation.contact.company.legal_name,
                "reasons": reasons,
                "link": _console_link(conversation),
            },
        )


def _business_deadline(start: datetime, minutes: int) -> datetime:
    return business_time_after(start, hours=minutes / 60)


def _managers_of(conversation: Conversation) -> list[User]:
    team_id = conversation.contact.company.team_id
    managers = User.objects.filter(is_active=True, groups__name=Role.MANAGER)
    if team_id:
        managers = managers.filter(teams=team_id)
    return list(managers.distinct())


def _waiting(now: datetime):
    """Conversations a person has whose buyer wrote last."""
    return (
        Conversation.objects.filter(status=ConversationStatus.HUMAN, last_inbound_at__isnull=False)
        .filter(Q(last_outbound_at__isnull=True) | Q(last_outbound_at__lt=F("last_inbound_at")))
        .select_related("assigned_to", "contact__company")
    )


def _claim(conversation: Conversation, field: str, *, since: datetime, now: datetime) -> bool:
    """Stamp `field` (the reminder's or the alert's time) unless it was stamped since the
    buyer's message: True for the one run that does it, so each is sent once."""
    return bool(
        Conversation.objects.filter(pk=conversation.pk)
        .filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": since}))
        .update(**{field: now})
    )


def conversations_sla_check(*, now: datetime | None = None) -> dict:
    """Remind the assignee after `PORTOLAN_SLA_REMINDER_MINUTES` of business time without
    a reply, and alert the team's managers after `PORTOLAN_SLA_ALERT_MINUTES`. Each once
    per unanswered buyer message."""
    now = now or timezone.now()
    counts = {"reminded": 0, "alerted": 0}
    for conversation in _waiting(now):
        since = conversation.last_inbound_at
        reminded = conversation.sla_reminded_at and conversation.sla_reminded_at >= since
        alerted = conversation.sla_alerted_at and conversation.sla_alerted_at >= since
        if not reminded and now >= _business_deadline(
            since, settings.PORTOLAN_SLA_REMINDER_MINUTES
        ):
            if _claim(conversation, "sla_reminded_at", since=since, now=now) and (
                conversation.assigned_to
            ):
                user = conversation.assigned_to
                with translation.override(user.language or settings.LANGUAGE_CODE):
                    _mail(
                        user,
                        _("Reminder: %(company)s is waiting for your reply")
                        % {"company": conversation.contact.company.legal_name},
                        _link_text(conversation),
                    )
                counts["reminded"] += 1
        if not alerted and now >= _business_deadline(since, settings.PORTOLAN_SLA_ALERT_MINUTES):
            if _claim(conversation, "sla_alerted_at", since=since, now=now):
                for manager in _managers_of(conversation):
                    with translation.override(manager.language or settings.LANGUAGE_CODE):
                        _mail(
                            manager,
                            _("No reply yet: %(company)s has been waiting")
                            % {"company": conversation.contact.company.legal_name},
                            _link_text(conversation),
                        )
                counts["alerted"] += 1
    return counts


def _link_text(conversation: Conversation) -> str:
    assignee = conversation.assigned_to
    return _(
        "%(contact)s wrote at %(time)s and has had no reply. Assigned to: %(user)s.\n%(link)s"
    ) % {
        "contact": conversation.contact.name,
        "time": timezone.localtime(conversation.last_inbound_at).strftime("%Y-%m-%d %H:%M %Z"),
        "user": person(assignee) or "—",
        "link": _console_link(conversation),
    }


def survey_text(language: str) -> str:
    with translation.override(language or "en"):
        return _(
            "Thank you for talking with us. How would you rate our help? Reply with a number from 1 (poor) to 5 (excellent)."
        )


@transaction.atomic
def conversation_resolve(*, conversation: Conversation, user: User) -> Conversation:
    """Close a conversation; when a person handled it, ask the buyer for a 1–5 rating in
    their language on their channel."""
    from .messaging import outbound_queue

    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == ConversationStatus.CLOSED:
        raise ValidationError(_("This conversation is closed."))
    handled_by_person = (
        conversation.status == ConversationStatus.HUMAN
        or conversation.messages.filter(sender=Sender.STAFF).exists()
    )
    if handled_by_person:
        outbound_queue(
            conversation=conversation,
            text=survey_text(conversation.language),
            sender=Sender.SYSTEM,
            language=conversation.language,
            user=user,
        )
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(
        status=ConversationStatus.CLOSED,
        resolved_at=now,
        survey_sent_at=now if handled_by_person else None,
        updated_at=now,
    )
    return Conversation.objects.get(pk=conversation.pk)


def survey_answer(*, identity, text: str, sent_at: datetime) -> Conversation | None:
    """A rating ("4", "5/5") answering a survey on a recently resolved conversation of this
    identity: stored on it and as a profile fact. None when the text is not an answer."""
    match = _STARS.match(text or "")
    if not match:
        return None
    conversation = (
        Conversation.objects.select_for_update()
        .filter(
            identity=identity,
            status=ConversationStatus.CLOSED,
            satisfaction__isnull=True,
            survey_sent_at__gte=sent_at - timedelta(hours=SURVEY_ANSWER_HOURS),
        )
        .order_by("-survey_sent_at")
        .first()
    )
    if conversation is None:
        return None
    rating = int(match.group(1))
    Conversation.objects.filter(pk=conversation.pk).update(satisfaction=rating)
    profile_fact_record(
        company=conversation.contact.company,
        contact=conversation.contact,
        kind=FactKind.SATISFACTION,
        value={"rating": rating, "conversation": conversation.pk},
        key={"conversation": conversation.pk},
        confidence=1.0,
        seen_at=sent_at,
    )
    conversation.satisfaction = rating
    return conversation


def survey_thanks(language: str) -> str:
    with translation.override(language or "en"):
        return _("Thank you for your rating!")
