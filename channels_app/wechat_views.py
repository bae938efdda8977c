"""WeChat pushes must be answered within five seconds or WeChat retries (three times) and
then tells the buyer the account cannot serve them. So this view stores the push, runs
the assistant turn right away and, when the reply is ready in time, answers with it as
the passive reply; otherwise it answers "success" and the outbox sends the reply through
the customer-service API.

Store, assistant turn and claiming the reply happen in one transaction, so the
processing task and the send task enqueued on commit find the reply already queued
(`inbound_process` does nothing) and already sent (`outbound_send` skips it): no second
reply, whichever worker picks them up. If the assistant turn fails, its savepoint is
rolled back and the task enqueued on commit tries again."""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .adapters import get_adapter
from .adapters.base import MAX_BODY_BYTES, InboundMessage, WebhookRejected
from .models import Conversation, DeliveryStatus, Message, OutboundMessage, OutboundStatus
from .services.messaging import inbound_process, inbound_store

logger = logging.getLogger(__name__)


def _success() -> HttpResponse:
    return HttpResponse("success", content_type="text/plain")


def _reply_claim(reply: Message) -> bool:
    """Mark a queued reply as sent by the passive answer; False if it is no longer queued."""
    outbound = OutboundMessage.objects.get(message=reply)
    now = timezone.now()
    claimed = OutboundMessage.objects.filter(pk=outbound.pk, status=OutboundStatus.QUEUED).update(
        status=OutboundStatus.SENT,
        attempts=F("attempts") + 1,
        payload={**outbound.payload, "passive": True},
        next_attempt_at=None,
        last_error="",
        updated_at=now,
    )
    if not claimed:
        return False
    Message.objects.filter(pk=reply.pk, delivery_status=DeliveryStatus.QUEUED).update(
        delivery_status=DeliveryStatus.SENT
    )
    Conversation.objects.filter(pk=reply.conversation_id).update(last_outbound_at=now)
    return True


def _passive_reply_given(provider_message_id: str) -> str | None:
    """The passive reply already given to this push: WeChat retries only when our answer
    did not reach it, so a retry gets the same answer again."""
    original = (
        Message.objects.filter(
            channel="wechat", direction="in", provider_message_id=provider_message_id
        )
        .values_list("pk", flat=True)
        .first()
    )
    if original is None:
        return None
    reply = (
        Message.objects.filter(
            direction="out",
            outbound__payload__passive=True,
            outbound__payload__in_reply_to=original,
        )
        .order_by("sequence")
        .first()
    )
    return reply.text if reply else None


def _reply_now(inbound: InboundMessage, *, deadline: float) -> str | None:
    """Store the push once and run its assistant turn; the reply's text if it is ready
    before the deadline and fits a passive reply (it is then marked sent), else None."""
    adapter = get_adapter("wechat")
    with transaction.atomic():
        stored = inbound_store(channel="wechat", inbound=inbound)
        if stored is None:
            return _passive_reply_given(inbound.provider_message_id)
        try:
            with transaction.atomic():
                reply = inbound_process(message_id=stored.pk)
        except Exception:
            logger.exception("wechat: assistant turn for message %s failed", stored.pk)
            return None
        if reply is None or time.monotonic() > deadline:
            return None
        if not adapter.fits_passive_reply(reply.text) or not _reply_claim(reply):
            return None
        return reply.text


@csrf_exempt
def wechat_webhook(request: HttpRequest) -> HttpResponse:
    started = time.monotonic()
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        return HttpResponse("Request body too large", status=413, content_type="text/plain")
    adapter = get_adapter("wechat")
    try:
        handshake = adapter.verify(request)
        if handshake is not None:
            return handshake
        push = adapter.push_read(request)
    except WebhookRejected as rejected:
        logger.warning("wechat webhook rejected: %s", rejected.reason)
        return HttpResponse(rejected.reason, status=rejected.status, content_type="text/plain")
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("wechat webhook: unreadable push: %s", error)
        return HttpResponse("Unreadable body", status=400, content_type="text/plain")
    if push.message is None:
        return _success()
    budget = float(getattr(settings, "WECHAT_PASSIVE_REPLY_SECONDS", 4.0))
    text = _reply_now(push.message, deadline=started + budget)
    if text is None:
        return _success()
    return adapter.passive_reply(push, text)
