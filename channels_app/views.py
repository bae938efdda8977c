"""Provider webhooks: verify → parse → keep a receipt idempotently (recording and
processing are enqueued on commit) → answer fast. Bad signatures change nothing; bad bodies are a 400, never a 500."""

import functools
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt

from .adapters import get_adapter
from .adapters.base import MAX_BODY_BYTES, WebhookRejected
from .services.messaging import delivery_status_apply, inbound_receive

logger = logging.getLogger(__name__)


def webhook_handle(request: HttpRequest, channel: str) -> HttpResponse:
    adapter = get_adapter(channel)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
        return HttpResponse("Request body too large", status=413, content_type="text/plain")
    try:
        handshake = adapter.verify(request)
    except WebhookRejected as rejected:
        logger.warning("%s webhook rejected: %s", channel, rejected.reason)
        return HttpResponse(rejected.reason, status=rejected.status, content_type="text/plain")
    if handshake is not None:
        return handshake
    try:
        result = adapter.parse(request)
    except WebhookRejected as rejected:
        return HttpResponse(rejected.reason, status=rejected.status, content_type="text/plain")
    except (ValueError, KeyError, TypeError) as error:  # malformed JSON/XML or a missing field
        logger.warning("%s webhook: unreadable body: %s", channel, error)
        return HttpResponseBadRequest("Unreadable body", content_type="text/plain")
    for message in result.messages:
        inbound_receive(channel=channel, inbound=message)
    for update in result.statuses:
        delivery_status_apply(channel=channel, update=update)
    return result.response or HttpResponse("OK", content_type="text/plain")


def concurrent_webhook(handler):
    """An async view that runs the sync `handler` in a thread pool, so webhooks are
    handled concurrently rather than one at a time in Django's single thread for sync
    views (providers send bursts; WeChat's view may wait seconds for a reply)."""

    def in_worker_thread(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return handler(request, *args, **kwargs)
        finally:
            # This thread's connection goes back to the pool (request_finished closes
            # only the connections of the thread that handles the signal).
            connections.close_all()

    @csrf_exempt
    @functools.wraps(handler)
    async def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return HttpResponse(status=405)
        if not settings.PORTOLAN_WEBHOOK_THREADS:
            # Tests: Django's single thread for sync code, which shares the test's transaction.
            return await sync_to_async(handler)(request, *args, **kwargs)
        return await sync_to_async(in_worker_thread, thread_sensitive=False)(
            request, *args, **kwargs
        )

    # config/webhook_asgi.py serves it without the middleware chain: a provider's
    # webhook needs no session, user, CSRF token or locale.
    view.middleware_free = True
    return view


webhook = concurrent_webhook(webhook_handle)
