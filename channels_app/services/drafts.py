"""Humans in the loop: the assistant proposes a reply and a person approves, edits or
rejects it before anything reaches the buyer; the seller's guidance for a conversation.

A decision is one conditional UPDATE (proposed → approved/rejected): of two people
approving the same draft at once one sends it, the other is told it was decided."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.models import User

from ..models import Conversation, DraftStatus, Message, ReplyDraft, Sender
from .console import console_notify
from .messaging import outbound_queue, reply_text_validated

MAX_GUIDANCE_CHARS = 1000


def draft_propose(
    *,
    conversation: Conversation,
    text: str,
    language: str = "",
    in_reply_to: Message | None = None,
    reason: str = "",
) -> ReplyDraft:
    """Keep the assistant's reply as a draft waiting for a person; nothing is sent."""
    draft = ReplyDraft.objects.create(
        conversation=conversation,
        in_reply_to=in_reply_to,
        text=text,
        language=language,
        reason=reason,
    )
    console_notify(conversation.pk)
    return draft


def _already_decided(draft: ReplyDraft) -> ValidationError:
    status = ReplyDraft.objects.filter(pk=draft.pk).values_list("status", flat=True).first()
    if status == DraftStatus.APPROVED:
        return ValidationError(_("This draft was already approved."))
    return ValidationError(_("This draft was already rejected."))


@transaction.atomic
def draft_approve(*, draft: ReplyDraft, user: User, text: str | None = None) -> Message:
    """Send the draft (or the person's edited text, then as their own reply) through the
    outbox. A draft is sent at most once: a second approval raises ValidationError."""
    edited = text is not None and text.strip() != draft.text.strip()
    if text is not None:
        text = reply_text_validated(text)
    now = timezone.now()
    decided = ReplyDraft.objects.filter(pk=draft.pk, status=DraftStatus.PROPOSED).update(
        status=DraftStatus.APPROVED, decided_by=user, decided_at=now
    )
    if not decided:
        raise _already_decided(draft)
    draft = ReplyDraft.objects.select_related("conversation").get(pk=draft.pk)
    message = outbound_queue(
        conversation=draft.conversation,
        text=text if edited else draft.text,
        sender=Sender.STAFF if edited else Sender.ASSISTANT,
        language=draft.language or draft.conversation.language,
        user=user,
        in_reply_to=draft.in_reply_to_id,
    )
    ReplyDraft.objects.filter(pk=draft.pk).update(sent_message=message)
    console_notify(draft.conversation_id)
    return message


@transaction.atomic
def draft_reject(*, draft: ReplyDraft, user: User) -> ReplyDraft:
    """Drop the draft; nothing is sent."""
    decided = ReplyDraft.objects.filter(pk=draft.pk, status=DraftStatus.PROPOSED).update(
        status=DraftStatus.REJECTED, decided_by=user, decided_at=timezone.now()
    )
    if not decided:
        raise _already_decided(draft)
    console_notify(draft.conversation_id)
    return ReplyDraft.objects.get(pk=draft.pk)


@transaction.atomic
def conversation_guide(*, conversation: Conversation, user: User, guidance: str) -> Conversation:
    """Set the instruction the assistant applies to its next replies here; empty clears it."""
    guidance = (guidance or "").strip()
    if len(guidance) > MAX_GUIDANCE_CHARS:
        raise ValidationError(
            {
                "guidance": _("Guidance can be at most %(max)s characters.")
                % {"max": MAX_GUIDANCE_CHARS}
            }
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        guidance=guidance, updated_at=timezone.now()
    )
    console_notify(conversation.pk)
    return Conversation.objects.get(pk=conversation.pk)


@transaction.atomic
def conversation_drafts_set(
    *, conversation: Conversation, user: User, required: bool
) -> Conversation:
    """Whether the assistant's replies here wait for a person's approval."""
    Conversation.objects.filter(pk=conversation.pk).update(
        drafts_required=bool(required), updated_at=timezone.now()
    )
    console_notify(conversation.pk)
    return Conversation.objects.get(pk=conversation.pk)
