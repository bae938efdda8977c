"""People and the assistant sharing a conversation: handoff when the assistant steps
aside, take-over, hand-back and staff replies. Every change of hands is one
conditional UPDATE, so two reps acting at once never both win."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import Role, User
from crm.selectors.visibility import users_who_see
from crm.templatetags.portolan import person

from ..models import Conversation, ConversationStatus, Message, Sender
from .console import console_notify
from .followup import escalation_notify
from .messaging import outbound_queue, reply_text_validated

SUMMARY_TURNS = 5


def assignee_for(conversation: Conversation) -> User | None:
    """The company's owner when online (a console open); otherwise the online rep of the
    company's team with the fewest conversations in hand, under `PORTOLAN_REP_CAPACITY`;
    when nobody is online, the owner still (they get the e-mail and the reminders)."""
    from .console import console_online

    company = conversation.contact.company
    owner = company.owner if company.owner_id and company.owner.is_active else None
    if owner is not None and console_online([owner.pk]):
        return owner
    if company.team_id is not None:
        in_hand = Count("conversations", filter=Q(conversations__status=ConversationStatus.HUMAN))
        reps = (
            User.objects.filter(is_active=True, teams=company.team_id, groups__name=Role.REP)
            .annotate(in_hand=in_hand)
            .filter(in_hand__lt=settings.PORTOLAN_REP_CAPACITY)
            .order_by("in_hand", "id")
        )
        online = console_online(rep.pk for rep in reps)
        for rep in reps:  # the least busy first; ties by who joined first
            if rep.pk in online:
                return rep
    return owner


def handoff_summary(conversation: Conversation, *, reasons: list[dict]) -> dict:
    """What a rep needs at a glance: who, what they want, how they feel, what the
    assistant already answered, why it stepped aside. Plain data; the console words it
    in the rep's language."""
    from assistant.models import AssistantTurn

    company = conversation.contact.company
    turns = list(
        AssistantTurn.objects.filter(conversation_id=conversation.pk).order_by(
            "-created_at", "-id"
        )[:SUMMARY_TURNS]
    )
    answered = list(
        Message.objects.filter(conversation=conversation, sender=Sender.ASSISTANT)
        .order_by("-sequence")
        .values_list("text", flat=True)[:3]
    )
    return {
        "company": company.legal_name,
        "company_id": company.pk,
        "tier": company.tier,
        "prospect": company.is_prospect,
        "contact": conversation.contact.name,
        "language": conversation.language,
        "orders": company.orders.count(),
        "request": turns[0].slots if turns else {},
        "intent": turns[0].intent if turns else "",
        "sentiment_trend": [turn.sentiment for turn in reversed(turns)],
        "answered": list(reversed(answered)),
        "reasons": reasons,
    }


@transaction.atomic
def handoff_start(*, conversation: Conversation, reasons: list[dict]) -> Conversation | None:
    """The assistant steps aside: the conversation becomes a person's, assigned, with
    its reasons and summary. None when a person has it already."""
    assignee = assignee_for(conversation)
    updated = Conversation.objects.filter(pk=conversation.pk, status=ConversationStatus.BOT).update(
        status=ConversationStatus.HUMAN,
        assigned_to=assignee,
        escalated_at=timezone.now(),
        escalation_reasons=reasons,
        handoff_summary=handoff_summary(conversation, reasons=reasons),
        updated_at=timezone.now(),
    )
    if not updated:
        return None
    console_notify(conversation.pk)
    conversation = Conversation.objects.select_related("assigned_to", "contact__company").get(
        pk=conversation.pk
    )
    transaction.on_commit(lambda: escalation_notify(conversation))
    return conversation


def conversation_take_over(*, conversation: Conversation, user: User) -> Conversation:
    """A rep takes the conversation from the assistant (or an unassigned handoff).
    Atomic: of two reps trying at once one wins; the other is told who has it."""
    taken = (
        Conversation.objects.filter(pk=conversation.pk)
        .exclude(status=ConversationStatus.CLOSED)
        .filter(
            Q(status=ConversationStatus.BOT) | Q(assigned_to__isnull=True) | Q(assigned_to=user)
        )
        .update(status=ConversationStatus.HUMAN, assigned_to=user, updated_at=timezone.now())
    )
    current = Conversation.objects.select_related("assigned_to").get(pk=conversation.pk)
    if not taken:
        if current.status == ConversationStatus.CLOSED:
            raise ValidationError(_("This conversation is closed."))
        raise ValidationError(
            _("%(name)s has this conversation already.") % {"name": person(current.assigned_to)}
        )
    console_notify(conversation.pk)
    return current


def conversation_hand_back(*, conversation: Conversation, user: User) -> Conversation:
    """The assistant answers again."""
    handed = Conversation.objects.filter(
        pk=conversation.pk, status=ConversationStatus.HUMAN
    ).update(status=ConversationStatus.BOT, updated_at=timezone.now())
    if not handed:
        raise ValidationError(_("Only a conversation a person has can be handed back."))
    console_notify(conversation.pk)
    return Conversation.objects.get(pk=conversation.pk)


def conversation_assign(*, conversation: Conversation, assignee: User, user: User) -> Conversation:
    """Give the conversation to someone who may see its customer (a transfer)."""
    if not assignee.is_active:
        raise ValidationError(_("%(name)s cannot take conversations.") % {"name": person(assignee)})
    if not users_who_see(conversation.contact.company).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {"assignee": _("%(name)s may not see this customer.") % {"name": person(assignee)}}
        )
    assigned = (
        Conversation.objects.filter(pk=conversation.pk)
        .exclude(status=ConversationStatus.CLOSED)
        .update(status=ConversationStatus.HUMAN, assigned_to=assignee, updated_at=timezone.now())
    )
    if not assigned:
        raise ValidationError(_("This conversation is closed."))
    console_notify(conversation.pk)
    return Conversation.objects.get(pk=conversation.pk)


def staff_reply(*, conversation: Conversation, user: User, text: str) -> Message:
    """A rep's reply, through the conversation's channel via the outbox. Replying to a
    conversation the assistant has takes it over first."""
    text = reply_text_validated(text)
    conversation = conversation_take_over(conversation=conversation, user=user)
    return outbound_queue(
        conversation=conversation,
        text=text,
        sender=Sender.STAFF,
        language=conversation.language,
        user=user,
    )
