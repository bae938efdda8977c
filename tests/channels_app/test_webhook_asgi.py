"""Provider webhooks through the ASGI application as uvicorn serves it: straight to the
view, without the middleware chain; every other path still goes through Django's."""

import json
import time

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator

from channels_app.adapters import reset_adapters
from channels_app.adapters.base import MAX_BODY_BYTES
from channels_app.models import InboundReceipt, Message
from config.asgi import application
from tests.channels_app.fakes.whatsapp import VERIFY_TOKEN, at, fixture, signature, whatsapp_api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def whatsapp(settings):
    with whatsapp_api(settings) as fake:
        yield fake


async def _asgi_request(method, path, *, body=b"", headers=(), query=b"", chunk=None):
    """One HTTP request to config.asgi.application; (status, headers, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("203.0.113.9", 40000),
        "server": ("testserver", 80),
    }
    communicator = ApplicationCommunicator(application, scope)
    chunk = chunk or max(len(body), 1)
    parts = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    for index, part in enumerate(parts):
        await communicator.send_input(
            {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
        )
    start = await communicator.receive_output(timeout=10)
    content = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        content += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await communicator.wait(timeout=1)
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, content


asgi_request = async_to_sync(_asgi_request)


def signed(payload: dict) -> tuple[bytes, list]:
    body = json.dumps(payload).encode()
    return body, [
        (b"content-type", b"application/json"),
        (b"x-hub-signature-256", signature(body).encode()),
    ]


def test_signed_webhook_is_stored_without_the_middleware_chain(whatsapp):
    body, headers = signed(at(fixture("text"), int(time.time())))
    status, response_headers, content = asgi_request(
        "POST", "/hooks/whatsapp/", body=body, headers=headers
    )
    assert (status, content) == (200, b"OK")
    assert response_headers["content-length"] == "2"
    assert response_headers["x-content-type-options"] == "nosniff"
    # No session, CSRF or clickjacking middleware ran.
    assert "set-cookie" not in response_headers
    assert "x-frame-options" not in response_headers
    message = Message.objects.get(direction="in")
    assert (
        message.text
        == fixture("text")["entry"][0]["changes"][0]["value"]["messages"][0]["text"]["body"]
    )
    assert InboundReceipt.objects.count() == 1


def test_handshake_reads_the_query_string(whatsapp):
    status, _, content = asgi_request(
        "GET",
        "/hooks/whatsapp/",
        query=f"hub.mode=subscribe&hub.verify_token={VERIFY_TOKEN}&hub.challenge=4242".encode(),
    )
    assert (status, content) == (200, b"4242")


def test_bad_signature_is_refused_and_nothing_is_stored(whatsapp):
    body, _ = signed(fixture("text"))
    status, _, _ = asgi_request(
        "POST",
        "/hooks/whatsapp/",
        body=body,
        headers=[(b"x-hub-signature-256", b"sha256=" + b"0" * 64)],
    )
    assert status in (401, 403)
    assert InboundReceipt.objects.count() == 0
    assert Message.objects.count() == 0


def test_oversize_body_sent_in_chunks_gets_413_and_nothing_is_stored(whatsapp):
    body = b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}"
    status, _, _ = asgi_request(
        "POST",
        "/hooks/whatsapp/",
        body=body,
        headers=[(b"x-hub-signature-256", signature(body).encode())],
        chunk=64 * 1024,
    )
    assert status == 413
    assert InboundReceipt.objects.count() == 0


def test_a_failing_view_answers_500_and_the_application_carries_on(settings, whatsapp):
    settings.CHANNEL_ADAPTERS = {
        **settings.CHANNEL_ADAPTERS,
        "whatsapp": "channels_app.adapters.missing.NoSuchAdapter",
    }
    reset_adapters()
    body, headers = signed(fixture("text"))
    status, _, content = asgi_request("POST", "/hooks/whatsapp/", body=body, headers=headers)
    assert status == 500
    assert b"Traceback" not in content
    assert InboundReceipt.objects.count() == 0
    status, _, _ = asgi_request("GET", "/healthz")
    assert status == 200


def test_other_paths_keep_the_middleware_chain(whatsapp):
    status, headers, _ = asgi_request("GET", "/healthz")
    assert status == 200
    assert headers["x-frame-options"] == "DENY"
    status, headers, _ = asgi_request("GET", "/hooks/email/")
    # The email hook is a plain Django view: the middleware ran (clickjacking header).
    assert headers["x-frame-options"] == "DENY"
