"""A buyer asks for a person in the widget; the rep's console shows it live; the rep
takes over and replies; the buyer sees the reply; the rep hands back; the assistant
answers the next message. Debian's Chromium, a real uvicorn, the Redis channel layer."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect, sync_playwright

from crm.services.demo import demo_data_load

from .test_chat_widget import CHROMIUM, CHROMIUM_ARGS, serve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TURN = 20_000  # a whole assistant turn on a busy CI machine, in ms


@pytest.fixture
def chat_server():
    # Every rep is at capacity: the handoff waits unassigned for whoever takes it.
    yield from serve(PORTOLAN_REP_CAPACITY="0")


def test_rep_takes_over_replies_and_hands_back(chat_server):
    demo_data_load()
    cache.clear()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        rep = browser.new_context(locale="en-GB").new_page()
        rep.goto(f"{chat_server}/accounts/login/?next=/inbox/")
        rep.get_by_label("Username").fill("rep1")
        rep.get_by_label("Password").fill("portolan-rep1")
        rep.get_by_role("button", name="Log in").click()
        expect(rep).to_have_url(re.compile(r"/inbox/$"))
        expect(rep.locator("[data-console-status]")).to_be_visible(timeout=TURN)  # socket up
        rows = rep.locator("a[href^='/inbox/'][href$='/']").filter(has_not_text="Inbox")
        before = rows.count()

        buyer = browser.new_context(locale="es-PE").new_page()
        buyer.goto(f"{chat_server}/chat/demo/")
        buyer.get_by_role("button", name="Abrir chat").click()
        dialog = buyer.get_by_role("dialog", name="Chatea con nosotros")
        box = dialog.get_by_label("Tu mensaje")
        box.fill("Quiero hablar con una persona, por favor.")
        box.press("Enter")
        log = dialog.get_by_role("log")
        expect(log.locator(".pc-other")).to_have_count(1, timeout=TURN)  # the handoff reply

        # the console shows the new conversation without a reload
        expect(rows).to_have_count(before + 1, timeout=TURN)
        rows.first.click()
        expect(rep.get_by_text("Why it escalated")).to_be_visible()
        rep.get_by_role("button", name="Take over").click()
        reply = rep.get_by_label("Reply to the buyer")
        reply.fill("Hola, soy Rep1 de ventas. ¿En qué puedo ayudarle?")
        rep.get_by_role("button", name="Send reply").click()
        expect(log.locator(".pc-other", has_text="soy Rep1")).to_be_visible(timeout=TURN)

        rep.once("dialog", lambda confirm: confirm.accept())
        rep.get_by_role("button", name="Hand back to the assistant").click()
        expect(rep.get_by_role("button", name="Take over")).to_be_visible(timeout=TURN)

        box.fill("¿Cuál es el precio del panel LED 600x600?")
        box.press("Enter")
        expect(log.locator(".pc-other", has_text="9,80")).to_be_visible(timeout=TURN)
        browser.close()
