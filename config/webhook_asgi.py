"""Provider webhooks straight to their view, without Django's middleware chain.

A webhook needs none of what the middleware adds (sessions, users, CSRF, locale, flash
messages, security headers for browsers), and under ASGI every sync middleware costs
thread hops and a new thread per request. The views that `concurrent_webhook` makes are
marked `middleware_free`; for their URLs this handler builds Django's request, awaits
the view (which runs its sync work in a worker thread) and sends the response. Every
other request goes through Django's ASGI handler as usual. Figures in
docs/benchmarks.md ("WhatsApp webhook ingest").
"""

import functools
import io

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import response_for_exception
from django.urls import Resolver404, ResolverMatch, resolve

from channels_app.adapters.base import MAX_BODY_BYTES


@functools.lru_cache(maxsize=512)
def middleware_free_match(path_info: str) -> ResolverMatch | None:
    """The URL match of a middleware-free view at this path, else None (cached: the
    URLconf does not change while the process runs)."""
    try:
        match = resolve(path_info)
    except Resolver404:
        return None
    return match if getattr(match.func, "middleware_free", False) else None


class WebhookASGIHandler(ASGIHandler):
    """Serves middleware-free views; hands everything else to `fallback`."""

    def __init__(self, fallback):
        super().__init__()
        self.fallback = fallback

    def load_middleware(self, is_async=False):
        """No middleware: the view is called directly."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            path_info = scope["path"].removeprefix(scope.get("root_path", ""))
            match = middleware_free_match(path_info)
            if match is not None:
                return await self.serve(match, scope, receive, send)
        return await self.fallback(scope, receive, send)

    async def serve(self, match: ResolverMatch, scope, receive, send) -> None:
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > MAX_BODY_BYTES:
                # Read no further; the view answers 413 to what is past the limit.
                break
            if not message.get("more_body", False):
                break
        request, error_response = self.create_request(scope, io.BytesIO(body))
        if request is None:
            await self.send_response(error_response, send)
            return
        request.resolver_match = match
        try:
            response = await match.func(request, *match.args, **match.kwargs)
        except Exception as exc:  # logged and answered as Django would, never re-raised
            response = await sync_to_async(response_for_exception, thread_sensitive=False)(
                request, exc
            )
        if not response.streaming and not response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        response.setdefault("X-Content-Type-Options", "nosniff")
        await self.send_response(response, send)
