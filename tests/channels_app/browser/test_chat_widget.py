"""The chat widget in Debian's Chromium against a real ASGI server (uvicorn in a
subprocess sharing the test database and the test channel-layer prefix; tasks run inline
there, as in every test)."""

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from channels_app.models import Conversation, Message, Sender
from channels_app.services.messaging import outbound_queue
from crm.services.demo import demo_data_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Test settings serve static files from STATIC_ROOT (collectstatic); the server finds
# them in the source tree instead, like `runserver` does.
SERVE = """
import django, uvicorn
django.setup()
from django.conf import settings
settings.WHITENOISE_USE_FINDERS = True
settings.WHITENOISE_AUTOREFRESH = True
uvicorn.run("config.asgi:application", host="127.0.0.1", port={port}, log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = db["HOST"] or ""
    if host.startswith("/"):
        return f"postgres://{auth}@/{db['NAME']}?host={host}"
    return f"postgres://{auth}@{host or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def chat_server():
    """uvicorn on a free port, on the test database (by its name) and test Redis prefix."""
    yield from serve()


def serve(**extra_env):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    port = _free_port()
    env = {
        **os.environ,
        **extra_env,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "PYTEST_XDIST_WORKER": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "HAYSTACK_TELEMETRY_ENABLED": "False",
    }
    server = subprocess.Popen([sys.executable, "-c", SERVE.format(port=port)], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the ASGI server did not start")
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def _off_the_event_loop(func, *args):
    """Playwright's sync API runs an event loop on this thread; the ORM refuses it."""

    def call():
        try:
            return func(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


def _staff_reply(text):
    conversation = Conversation.objects.get(channel="web")
    outbound_queue(conversation=conversation, text=text, sender=Sender.STAFF)


def test_visitor_chats_reloads_and_finds_the_conversation_with_a_reply_sent_meanwhile(
    chat_server, tmp_path
):
    demo_data_load()
    cache.clear()
    screenshots = Path(os.environ.get("PORTOLAN_SCREENSHOTS", tmp_path))
    question = "¿Precio de <b>500</b> paneles LP-6060-40 CIF Callao?"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="es-PE", viewport={"width": 1200, "height": 800})
        page = context.new_page()
        page.goto(f"{chat_server}/chat/demo/")

        launcher = page.get_by_role("button", name="Abrir chat")  # the browser's language
        launcher.click()
        dialog = page.get_by_role("dialog", name="Chatea con nosotros")
        expect(dialog).to_be_visible()
        box = dialog.get_by_label("Tu mensaje")
        expect(box).to_be_focused()
        box.fill(question)
        box.press("Enter")

        log = dialog.get_by_role("log")
        reply = log.locator(".pc-other", has_text="CIF Callao")  # the quotation
        expect(reply).to_be_visible(timeout=20_000)  # a whole assistant turn, on a busy CI box
        mine = log.locator(".pc-buyer")
        expect(mine).to_have_count(1)
        expect(mine).to_have_text(question)  # the markup is shown as text...
        assert log.locator("b").count() == 0  # ...never rendered
        expect(box).to_have_value("")
        page.screenshot(path=screenshots / "chat-widget.png")

        box.press("Escape")
        expect(dialog).to_be_hidden()
        expect(launcher).to_be_focused()

        # A rep answers while the visitor is away; no socket is open to receive it.
        page.goto("about:blank")
        _off_the_event_loop(_staff_reply, "Hola, soy Ana de ventas.")

        page.goto(f"{chat_server}/chat/demo/")
        page.get_by_role("button", name="Abrir chat").click()
        dialog = page.get_by_role("dialog")
        log = dialog.get_by_role("log")
        expect(log.locator(".pc-msg[data-key]")).to_have_count(3)
        expect(log.locator(".pc-buyer")).to_have_text(question)
        expect(log.locator(".pc-other").nth(0)).to_contain_text("CIF Callao")
        staff = log.locator(".pc-other").nth(1)
        expect(staff).to_contain_text("Hola, soy Ana de ventas.")
        expect(staff).to_contain_text("Equipo de ventas")
        context.close()
        browser.close()
    assert Message.objects.filter(direction="in").count() == 1
    assert Message.objects.filter(direction="out", sender=Sender.STAFF).count() == 1
