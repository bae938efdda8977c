"""Messages in and out: store each inbound message exactly once, process it on commit,
queue the reply in the outbox, deliver it with retries until it is sent or visibly failed.

Delivery guarantees and where a duplicate can happen: a reply is marked "sending"
before the provider is called and "sent" after it answered. If the worker dies in
between, the sweep cannot know whether the provider got the call, so it sends again:
that is the one window (seconds long) where a buyer can see a reply twice. Every other
path is exactly-once: inbound duplicates hit a unique constraint, and a reply is only
ever picked up by one worker (row lock, skip locked).
"""

import dataclasses
import functools
import hashlib
import json
import logging
import math
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from assistant.types import BuyerMessage, ConversationRef, HistoryEntry
from crm.models import Author as CrmAuthor
from crm.models import Channel, ChannelIdentity, Direction, InteractionKind
from crm.services.timeline import interaction_message_record

from ..adapters import get_adapter
from ..adapters.base import InboundMessage, OutgoingMessage, SendError, StatusUpdate
from ..models import (
    DELIVERY_RANK,
    Conversation,
    ConversationStatus,
    DeliveryStatus,
    InboundReceipt,
    KeptDeliveryStatus,
    Message,
    MessageKind,
    OutboundMessage,
    OutboundStatus,
    Sender,
)
from .console import console_notify
from .followup import survey_answer, survey_thanks
from .identity import identity_resolve

logger = logging.getLogger(__name__)

PLACEHOLDERS = {
    MessageKind.IMAGE: "[image]",
    MessageKind.STICKER: "[sticker]",
    MessageKind.LOCATION: "[location]",
    MessageKind.VOICE: "[voice message]",
    MessageKind.VIDEO: "[video]",
    MessageKind.DOCUMENT: "[document]",
    MessageKind.UNKNOWN: "[unsupported message]",
}
HISTORY_TURNS = 10
# A receipt not recorded after this long lost its task: the sweep records it.
RECORD_GRACE_SECONDS = 60


def _next_sequence(conversation: Conversation) -> int:
    Conversation.objects.filter(pk=conversation.pk).update(last_sequence=F("last_sequence") + 1)
    return Conversation.objects.values_list("last_sequence", flat=True).get(pk=conversation.pk)


CONVERSATION_LOCK_SPACE = 0x706F7274  # "port": our advisory locks' first key


def conversation_for(identity: ChannelIdentity, *, thread_key: str = "") -> Conversation:
    """The open conversation of an identity (an email thread key picks its own), or a new one."""
    conversations = Conversation.objects.filter(identity=identity).exclude(
        status=ConversationStatus.CLOSED
    )
    if thread_key.isdigit():
        threaded = conversations.filter(pk=int(thread_key)).first()
        if threaded:
            return threaded
    conversation = conversations.order_by("-updated_at").first()
    if conversation is None:
        # Two first messages of a new buyer arrive together: the second waits for the
        # first to commit its conversation, then joins it. A transaction-scoped advisory
        # lock on the identity, taken only here, so it cannot join a lock cycle.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [CONVERSATION_LOCK_SPACE, identity.pk % 2**31],
            )
        conversation = conversations.order_by("-updated_at").first()
    if conversation is None:
        conversation = Conversation.objects.create(
            contact=identity.contact,
            identity=identity,
            channel=identity.channel,
            language=identity.contact.preferred_language,
        )
    return conversation


def _clean(text: str) -> str:
    """What PostgreSQL can store: no NUL characters, no lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _storable(inbound: InboundMessage) -> InboundMessage:
    return dataclasses.replace(
        inbound,
        text=_clean(inbound.text),
        original_text=_clean(inbound.original_text),
        subject=_clean(inbound.subject),
        sender_name=_clean(inbound.sender_name),
    )


def inbound_receive(*, channel: str, inbound: InboundMessage) -> bool:
    """The webhook's whole job after verifying: keep the message (one INSERT; a
    redelivery is a no-op) and enqueue recording it once committed. True if new."""
    inbound = _storable(inbound)
    payload = {**dataclasses.asdict(inbound), "sent_at": inbound.sent_at.isoformat()}
    if not inbound.provider_message_id:
        # No id from the provider (an email without Message-ID): the content is the key.
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, default=str).encode()
        ).hexdigest()
        payload["provider_message_id"] = f"sha256:{digest}"
    try:
        with transaction.atomic():
            receipt = InboundReceipt.objects.create(
                channel=channel,
                provider_message_id=payload["provider_message_id"][:255],
                payload=payload,
            )
    except IntegrityError:
        # Seen before (also when two deliveries race): stored once. If its recording was
        # lost (the queue was down), the provider's redelivery gets it recorded now.
        pending = (
            InboundReceipt.objects.filter(
                channel=channel,
                provider_message_id=payload["provider_message_id"][:255],
                message__isnull=True,
            )
            .values_list("pk", flat=True)
            .first()
        )
        if pending:
            _record_after_commit(pending)
        return False
    _record_after_commit(receipt.pk)
    return True


def _record_after_commit(receipt_id: int) -> None:
    if settings.PORTOLAN_RECORD_INBOUND_ON_COMMIT:
        transaction.on_commit(lambda: _enqueue("channels_app.tasks.inbound_record", receipt_id))
    else:
        inbound_record(receipt_id=receipt_id)  # tests: the same step, in the webhook's transaction


def inbound_record(*, receipt_id: int) -> Message | None:
    """Turn a receipt into a message of its conversation (identity, sequence, timeline);
    processing is enqueued on commit. Running twice records it once."""
    receipt = InboundReceipt.objects.get(pk=receipt_id)
    if receipt.message_id:
        return None
    payload = dict(receipt.payload)
    payload["sent_at"] = datetime.fromisoformat(payload["sent_at"])
    message = inbound_store(channel=receipt.channel, inbound=InboundMessage(**payload))
    linked = (
        message
        or Message.objects.filter(
            channel=receipt.channel, direction="in", provider_message_id=receipt.provider_message_id
        ).first()
    )
    if linked is not None:
        InboundReceipt.objects.filter(pk=receipt.pk, message__isnull=True).update(message=linked)
    return message


def inbound_store(*, channel: str, inbound: InboundMessage) -> Message | None:
    """Store one inbound message; None if this provider message was stored before.
    Processing is enqueued when the transaction commits."""
    inbound = _storable(inbound)
    with transaction.atomic():
        if (
            inbound.provider_message_id
            and Message.objects.filter(
                channel=channel, direction="in", provider_message_id=inbound.provider_message_id
            ).exists()
        ):
            return None
        identity = identity_resolve(
            channel=channel,
            address=inbound.sender_address,
            sender_name=inbound.sender_name,
            language=inbound.language_hint,
            verified=inbound.sender_verified,
        )
        # "5" answering the satisfaction survey of a resolved conversation goes there
        rated = (
            survey_answer(identity=identity, text=inbound.text, sent_at=inbound.sent_at)
            if inbound.kind == MessageKind.TEXT
            else None
        )
        conversation = rated or Conversation.objects.select_for_update().get(
            pk=conversation_for(identity, thread_key=inbound.thread_key).pk
        )
        if (
            inbound.provider_message_id
            and Message.objects.filter(
                channel=channel, direction="in", provider_message_id=inbound.provider_message_id
            ).exists()
        ):
            # Checked again under the conversation's lock, which every writer of its
            # messages holds: a concurrent delivery that stored it is visible now, and
            # no INSERT waits on that message's row (which its turn may hold).
            return None
        text = (
            inbound.text
            if inbound.kind == MessageKind.TEXT
            else (inbound.text or PLACEHOLDERS.get(inbound.kind, ""))
        )
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    conversation=conversation,
                    sequence=_next_sequence(conversation),
                    direction="in",
                    sender=Sender.BUYER,
                    kind=inbound.kind
                    if inbound.kind in MessageKind.values
                    else MessageKind.UNKNOWN,
                    text=text[: settings.PORTOLAN_MAX_MESSAGE_CHARS],
                    original_text=inbound.original_text,
                    attachments=inbound.attachments,
                    language=inbound.language_hint,
                    channel=channel,
                    provider_message_id=inbound.provider_message_id,
                    delivery_status=DeliveryStatus.RECEIVED,
                    sent_at=inbound.sent_at,
                    sender_verified=inbound.sender_verified,
                )
        except IntegrityError:
            return None  # the same provider message, delivered concurrently: stored once
        window = get_adapter(channel).reply_window_hours
        Conversation.objects.filter(pk=conversation.pk).update(
            last_inbound_at=inbound.sent_at,
            reply_window_expires_at=inbound.sent_at + timedelta(hours=window) if window else None,
            subject=inbound.subject or conversation.subject,
            updated_at=timezone.now(),
        )
        interaction_message_record(
            company=identity.contact.company,
            contact=identity.contact,
            channel=channel,
            direction=Direction.IN,
            kind=InteractionKind.EMAIL if channel == "email" else InteractionKind.MESSAGE,
            author=CrmAuthor.BUYER,
            text=message.text,
            language=inbound.language_hint[:10],
            occurred_at=inbound.sent_at,
        )
        if rated is not None:
            outbound_queue(
                conversation=rated,
                text=survey_thanks(rated.language),
                sender=Sender.SYSTEM,
                language=rated.language,
            )
        console_notify(conversation.pk, event="message", message_id=message.pk)
        transaction.on_commit(lambda: _enqueue("channels_app.tasks.inbound_process", message.pk))
    return message


@functools.cache
def _broker():
    """One django-q2 broker per process: async_task() would otherwise build a broker,
    and open a Redis connection, for every task (redis-py's pool is thread-safe and
    starts afresh in a forked process)."""
    from django_q.brokers import get_broker

    return get_broker()


def _enqueue(func: str, *args) -> None:
    from django_q.tasks import async_task

    async_task(
        func,
        *args,
        q_options={"task_name": f"{func.rsplit('.', 1)[1]}-{args[0]}", "broker": _broker()},
    )


def _history(conversation: Conversation, before: int) -> tuple[HistoryEntry, ...]:
    messages = conversation.messages.filter(sequence__lt=before).order_by("-sequence")[
        :HISTORY_TURNS
    ]
    return tuple(HistoryEntry(role=m.sender, text=m.text) for m in reversed(messages))


@functools.cache
def turn_handler(path: str):
    """The turn's entry point (`PORTOLAN_TURN_HANDLER`): the assistant's
    `conversation_turn_handle`, or another callable with its signature."""
    return import_string(path)


def inbound_process(*, message_id: int, send_here: bool = False) -> Message | None:
    """One assistant turn for an inbound message, its reply queued in the outbox. Runs
    once per message: a repeat finds the reply already queued and does nothing."""
    with transaction.atomic():
        # Locks in the order every writer takes them, conversation first: turns of one
        # conversation run one at a time, and a second run of the same task (a retry, a
        # duplicate enqueue) waits, then finds the message processed and does nothing.
        conversation_id = (
            Message.objects.filter(pk=message_id).values_list("conversation_id", flat=True).first()
        )
        if conversation_id is None:
            return None
        Conversation.objects.select_for_update().filter(pk=conversation_id).exists()
        Message.objects.select_for_update().filter(pk=message_id).exists()
        return _inbound_process_locked(message_id, send_here=send_here)


def _inbound_process_locked(message_id: int, *, send_here: bool) -> Message | None:
    message = Message.objects.select_related("conversation__identity", "conversation__contact").get(
        pk=message_id
    )
    conversation = message.conversation
    if message.processed_at is not None:
        return None  # its turn ran already (the row lock above makes this check safe)
    # Marked in the same transaction as the turn's writes: a turn that fails leaves it
    # unmarked, and the sweep runs it again.
    Message.objects.filter(pk=message.pk).update(processed_at=timezone.now())
    if conversation.status == ConversationStatus.CLOSED:
        return None
    if message.kind == MessageKind.EVENT:
        return None  # reactions, subscriptions: nothing to answer
    result = turn_handler(settings.PORTOLAN_TURN_HANDLER)(
        conversation=ConversationRef(
            id=conversation.pk,
            channel=conversation.channel,
            sender_address=conversation.identity.address,
            contact_id=conversation.contact_id,
            company_id=conversation.contact.company_id,
            language=conversation.language,
            history=_history(conversation, message.sequence),
            records_messages=True,
            sender_verified=message.sender_verified,
            guidance=conversation.guidance,
            quotes_need_approval=settings.ASSISTANT_DRAFT_QUOTES or conversation.drafts_required,
            # a person has it: the assistant understands and records, and stays silent
            assistant_active=conversation.status == ConversationStatus.BOT,
        ),
        message=BuyerMessage(
            text=message.text,
            sent_at=message.sent_at,
            language_hint=message.language,
            kind=message.kind,
        ),
    )
    if result.language and result.language != conversation.language:
        Conversation.objects.filter(pk=conversation.pk).update(language=result.language)
        conversation.language = result.language
    if not result.reply or conversation.status != ConversationStatus.BOT:
        return None  # nothing to say, or a person has it: no automated reply, whatever the handler
    reply = _escalate_if_due(conversation, message=message, result=result) or result.reply
    draft_reason = _draft_reason(conversation, result)
    if draft_reason:
        from .drafts import draft_propose

        draft_propose(
            conversation=conversation,
            text=reply,
            language=result.language,
            in_reply_to=message,
            reason=draft_reason,
        )
        return None
    return outbound_queue(
        conversation=conversation,
        text=reply,
        sender=Sender.ASSISTANT,
        language=result.language,
        in_reply_to=message.pk,
        send_here=send_here,
    )


def _draft_reason(conversation: Conversation, result) -> str:
    """Why the assistant's reply waits for a person's approval ("conversation": drafts
    required here; "quote": `ASSISTANT_DRAFT_QUOTES` and the turn quoted), or ""."""
    if conversation.drafts_required:
        return "conversation"
    if (
        settings.ASSISTANT_DRAFT_QUOTES
        and result.actions
        and result.actions[0].startswith("quote:")
    ):
        return "quote"
    return ""


def _escalate_if_due(conversation: Conversation, *, message: Message, result) -> str:
    """Hand the conversation to a person when the assistant or a rule says so. Returns the
    reply with a notice that a person takes over when the assistant's reply does not
    already say so; "" when nothing changes."""
    from assistant.services import handoff_notice

    from .escalation import escalation_reasons
    from .handoff import handoff_start

    reasons = [
        {"code": reason.code, "detail": reason.detail}
        for reason in escalation_reasons(conversation=conversation, turn=result, text=message.text)
    ]
    if result.escalate and not reasons:
        reasons.append({"code": "assistant", "detail": result.escalation_reason})
    if not reasons or handoff_start(conversation=conversation, reasons=reasons) is None:
        return ""
    if result.escalate:
        return ""  # the assistant's reply already says a person follows up, and when
    return "\n\n".join(
        [result.reply, handoff_notice(language=result.language, now=message.sent_at)]
    )


def _route(conversation: Conversation, *, now) -> tuple[str, dict]:
    """The channel a reply goes out on, and why when it is not the conversation's own.
    Outside WhatsApp's 24-hour window free text is refused: without an approved template
    the reply goes by email when the contact has an address."""
    window_closed = (
        conversation.reply_window_expires_at is not None
        and conversation.reply_window_expires_at < now
    )
    if (
        conversation.channel == Channel.WHATSAPP
        and window_closed
        and not settings.WHATSAPP_TEMPLATE_NAME
    ):
        emails = conversation.contact.emails
        if emails:
            return Channel.EMAIL, {
                "recipient": emails[0],
                "reason": "Outside WhatsApp's 24-hour window and no template configured: sent by email.",
            }
    return conversation.channel, {}


def reply_text_validated(text: str | None) -> str:
    """A person's reply as it will be sent (stripped), or ValidationError on its `text`
    field: empty, or longer than a message may be."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a reply first.")})
    if len(text) > settings.PORTOLAN_MAX_MESSAGE_CHARS:
        raise ValidationError(
            {
                "text": _("A reply can be at most %(max)s characters.")
                % {"max": settings.PORTOLAN_MAX_MESSAGE_CHARS}
            }
        )
    return text


def outbound_queue(
    *,
    conversation: Conversation,
    text: str,
    sender: str,
    language: str = "",
    user=None,
    in_reply_to: int | None = None,
    send_here: bool = False,
) -> Message:
    """Put a reply in the outbox; it is sent when the transaction commits: by a new task,
    or with `send_here` (already in a task) right here, one queue hop sooner. Either way
    a failure leaves it queued for the sweep's retries."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        message = Message.objects.create(
            conversation=conversation,
            sequence=_next_sequence(conversation),
            direction="out",
            sender=sender,
            sender_user=user,
            text=text,
            language=language,
            channel=conversation.channel,
            delivery_status=DeliveryStatus.QUEUED,
            sent_at=timezone.now(),
        )
        channel, routing = _route(conversation, now=message.sent_at)
        OutboundMessage.objects.create(
            message=message,
            channel=channel,
            payload={**routing, **({"in_reply_to": in_reply_to} if in_reply_to else {})},
            next_attempt_at=timezone.now(),
        )
        contact = conversation.contact
        interaction_message_record(
            company=contact.company,
            contact=contact,
            channel=conversation.channel,
            direction=Direction.OUT,
            kind=InteractionKind.EMAIL
            if conversation.channel == "email"
            else InteractionKind.MESSAGE,
            author=CrmAuthor.ASSISTANT if sender == Sender.ASSISTANT else CrmAuthor.STAFF,
            text=text,
            language=language,
            occurred_at=message.sent_at,
            user=user,
        )
        outbound_id = message.outbound.pk
        console_notify(conversation.pk, event="message", message_id=message.pk)
        if send_here:
            transaction.on_commit(lambda: outbound_send(outbound_id=outbound_id))
        else:
            transaction.on_commit(lambda: _enqueue("channels_app.tasks.outbound_send", outbound_id))
    return message


def _backoff_seconds(attempts: int) -> float:
    base = settings.PORTOLAN_OUTBOX_BACKOFF_SECONDS * (2 ** (attempts - 1))
    capped = min(base, settings.PORTOLAN_OUTBOX_BACKOFF_MAX_SECONDS)
    return capped * random.uniform(0.8, 1.2)  # noqa: S311 — jitter, not security


def outgoing_for(outbound: OutboundMessage, *, now=None) -> OutgoingMessage:
    message = outbound.message
    conversation = message.conversation
    window_ends = conversation.reply_window_expires_at
    return OutgoingMessage(
        recipient_address=outbound.payload.get("recipient") or conversation.identity.address,
        text=message.text,
        conversation_id=conversation.pk,
        message_id=message.pk,
        language=message.language or conversation.language,
        subject=conversation.subject,
        headers=outbound.payload.get("headers", {}),
        template=outbound.payload.get("template", ""),
        reply_window_open=not get_adapter(outbound.channel).reply_window_hours
        or (window_ends is not None and window_ends > (now or timezone.now())),
        parts_sent=tuple(outbound.payload.get("parts_sent", ())),
        parts_sent_as=outbound.payload.get("parts_sent_as", ""),
    )


def outbound_send(*, outbound_id: int, now=None) -> str:
    """Try to deliver one queued reply; returns its status afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=outbound_id, status=OutboundStatus.QUEUED)
            .first()
        )
        if outbound is None:
            return "skipped"  # sent, failed, or another worker has it
        if outbound.next_attempt_at and outbound.next_attempt_at > now:
            return "not-due"
        outbound.status = OutboundStatus.SENDING
        outbound.sending_since = now
        outbound.attempts += 1
        outbound.save(update_fields=["status", "sending_since", "attempts", "updated_at"])
        Message.objects.filter(pk=outbound.message_id).update(
            delivery_status=DeliveryStatus.SENDING
        )
    outbound = OutboundMessage.objects.select_related("message__conversation__identity").get(
        pk=outbound_id
    )
    try:
        result = get_adapter(outbound.channel).send(outgoing_for(outbound, now=now))
    except SendError as error:
        return _send_failed(outbound, error, now=now)
    except Exception as error:  # a bug or a network error: retried like a provider failure
        logger.exception("sending outbound %s failed", outbound_id)
        return _send_failed(outbound, SendError(f"{error.__class__.__name__}: {error}"), now=now)
    part_ids = [pid for pid in result.provider_message_ids if pid]
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=outbound.pk).update(
            status=OutboundStatus.SENT,
            last_error="",
            next_attempt_at=None,
            updated_at=timezone.now(),
        )
        Message.objects.filter(
            pk=outbound.message_id, delivery_status=DeliveryStatus.SENDING
        ).update(
            delivery_status=DeliveryStatus.SENT,
            provider_message_id=",".join(part_ids)[:255],
        )
        Conversation.objects.filter(pk=outbound.message.conversation_id).update(
            last_outbound_at=timezone.now()
        )
        console_notify(
            outbound.message.conversation_id, event="delivery", message_id=outbound.message_id
        )
    # Statuses of parts that came before their ids were saved (committed above) apply now.
    _kept_statuses_apply(channel=outbound.channel, provider_message_ids=part_ids)
    return OutboundStatus.SENT


def _send_failed(outbound: OutboundMessage, error: SendError, *, now) -> str:
    """Retry later, or fail visibly. Parts of the reply that did go out are remembered
    (`payload["parts_sent"]`, over all attempts) and the retry sends only the rest."""
    give_up = error.permanent or outbound.attempts >= settings.PORTOLAN_OUTBOX_MAX_ATTEMPTS
    payload = dict(outbound.payload)
    parts_sent = [*payload.get("parts_sent", ()), *error.delivered_ids]
    reason = error.reason
    if error.delivered_ids:
        payload["parts_sent"] = parts_sent
        payload["parts_sent_as"] = error.delivered_as
    if error.parts_total:
        payload["parts_total"] = error.parts_total
    if parts_sent:
        total = payload.get("parts_total")
        went_out = f"{len(parts_sent)} of {total}" if total else str(len(parts_sent))
        rest = "the rest was not sent" if give_up else "a retry sends only the rest"
        reason = f"{reason} ({went_out} parts went out; {rest})"
    delay = (
        # A provider's wait is honoured up to the backoff ceiling (never a year, never inf).
        min(error.retry_after, settings.PORTOLAN_OUTBOX_BACKOFF_MAX_SECONDS)
        if error.retry_after is not None
        and math.isfinite(error.retry_after)
        and error.retry_after >= 0
        else _backoff_seconds(outbound.attempts)
    )
    with transaction.atomic():
        OutboundMessage.objects.filter(pk=outbound.pk).update(
            status=OutboundStatus.FAILED if give_up else OutboundStatus.QUEUED,
            payload=payload,
            last_error=reason[:2000],
            next_attempt_at=None if give_up else now + timedelta(seconds=delay),
            sending_since=None,
            updated_at=timezone.now(),
        )
        failed = Message.objects.filter(pk=outbound.message_id)
        if give_up and parts_sent:
            # The parts that reached the provider, for the rep to see.
            failed.update(
                delivery_status=DeliveryStatus.FAILED,
                provider_message_id=",".join(pid for pid in parts_sent if pid)[:255],
            )
        else:
            failed.update(
                delivery_status=DeliveryStatus.FAILED if give_up else DeliveryStatus.QUEUED
            )
        console_notify(
            outbound.message.conversation_id, event="delivery", message_id=outbound.message_id
        )
    logger.warning("outbound %s attempt %s failed: %s", outbound.pk, outbound.attempts, reason)
    return OutboundStatus.FAILED if give_up else OutboundStatus.QUEUED


def outbox_sweep(*, now=None) -> dict[str, int]:
    """The periodic sweep: record receipts whose recording task was lost, send replies
    whose retry is due, and requeue replies stuck in "sending" (their worker died), so
    every received message is recorded and every queued reply ends sent or failed."""
    now = now or timezone.now()
    unrecorded = list(
        InboundReceipt.objects.filter(
            message__isnull=True, received_at__lt=now - timedelta(seconds=RECORD_GRACE_SECONDS)
        ).values_list("pk", flat=True)[:500]
    )
    for receipt_id in unrecorded:
        inbound_record(receipt_id=receipt_id)
    # Messages recorded but never given a turn (their processing task was lost).
    unprocessed = list(
        Message.objects.filter(
            direction="in",
            processed_at__isnull=True,
            created_at__lt=now - timedelta(seconds=RECORD_GRACE_SECONDS),
            created_at__gte=now - timedelta(days=1),
        ).values_list("pk", flat=True)[:500]
    )
    for message_id in unprocessed:
        inbound_process(message_id=message_id, send_here=True)
    stuck_before = now - timedelta(seconds=settings.PORTOLAN_OUTBOX_STUCK_SECONDS)
    requeued = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, sending_since__lt=stuck_before
    ).update(status=OutboundStatus.QUEUED, next_attempt_at=now, sending_since=None, updated_at=now)
    due = list(
        OutboundMessage.objects.filter(
            status=OutboundStatus.QUEUED, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    results = [outbound_send(outbound_id=pk, now=now) for pk in due]
    return {
        "recorded": len(unrecorded),
        "processed": len(unprocessed),
        "requeued": requeued,
        "due": len(due),
        "sent": results.count(OutboundStatus.SENT),
    }


def delivery_status_apply(*, channel: str, update: StatusUpdate) -> bool:
    """A provider's delivery report; statuses only move forward. True if applied. A
    report for an id no sent message carries yet (a part of a reply still going out) is
    kept and applied when the reply's ids are saved."""
    if update.status not in DELIVERY_RANK:
        return False
    pid = update.provider_message_id
    with transaction.atomic():
        known, changed = _delivery_status_move(
            channel=channel, provider_message_id=pid, status=update.status, error=update.error
        )
        if not known:
            KeptDeliveryStatus.objects.create(
                channel=channel,
                provider_message_id=pid[:255],
                status=update.status,
                error=update.error[:2000],
            )
            KeptDeliveryStatus.objects.filter(
                received_at__lt=timezone.now() - timedelta(days=KEPT_STATUS_DAYS)
            ).delete()  # ids that never became ours (sent from elsewhere, or cut at 255)
    if not known:
        # Kept and committed; the ids may have been saved meanwhile (their sender reads
        # kept statuses after committing the ids): one of the two sides applies it.
        _kept_statuses_apply(channel=channel, provider_message_ids=[pid])
    return bool(changed)


KEPT_STATUS_DAYS = 7


def _same_message(provider_message_id: str) -> Q:
    # A long reply may have gone out in parts: its ids are stored comma-separated.
    pid = provider_message_id
    return (
        Q(provider_message_id=pid)
        | Q(provider_message_id__startswith=f"{pid},")
        | Q(provider_message_id__endswith=f",{pid}")
        | Q(provider_message_id__contains=f",{pid},")
    )


def _delivery_status_move(
    *, channel: str, provider_message_id: str, status: str, error: str
) -> tuple[bool, int]:
    """Move the sent message carrying this id forward to `status`: (is there one, moved)."""
    rank = DELIVERY_RANK[status]
    lower = [value for value, ranked in DELIVERY_RANK.items() if ranked < rank]
    ours = Message.objects.filter(
        _same_message(provider_message_id), channel=channel, direction="out"
    )
    changed = ours.filter(delivery_status__in=lower).update(delivery_status=status)
    for message_id, conversation_id in ours.values_list("pk", "conversation_id") if changed else ():
        console_notify(conversation_id, event="delivery", message_id=message_id)
    if changed and status == DeliveryStatus.FAILED and error:
        # The provider accepted the message, then could not deliver it: say why.
        OutboundMessage.objects.filter(message__in=ours).update(
            status=OutboundStatus.FAILED, last_error=error[:2000]
        )
    return bool(changed) or ours.exists(), changed


def _kept_statuses_apply(*, channel: str, provider_message_ids: list[str]) -> None:
    """Apply the kept statuses of these ids to the messages that now carry them."""
    ids = [pid for pid in provider_message_ids if pid]
    if not ids:
        return
    with transaction.atomic():
        kept = list(
            # Waits for a concurrent apply of the same ids, then sees what it left.
            KeptDeliveryStatus.objects.select_for_update()
            .filter(channel=channel, provider_message_id__in=ids)
            .order_by("pk")
        )
        applied = []
        for report in sorted(kept, key=lambda report: DELIVERY_RANK[report.status]):
            known, _ = _delivery_status_move(
                channel=channel,
                provider_message_id=report.provider_message_id,
                status=report.status,
                error=report.error,
            )
            if known:
                applied.append(report.pk)
        KeptDeliveryStatus.objects.filter(pk__in=applied).delete()
