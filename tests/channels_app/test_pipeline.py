"""Inbound exactly once, replies sent or visibly failed: the pipeline behind every adapter."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from channels_app.adapters.base import SendError
from channels_app.models import Conversation, Message, OutboundMessage
from channels_app.services.messaging import outbound_send, outbox_sweep
from crm.models import ChannelIdentity, Company, Interaction
from crm.services.demo import demo_data_load

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}


def post(client, body, channel="whatsapp", **headers):
    return client.post(
        f"/hooks/{channel}/", body, content_type="application/json", **{**HEADERS, **headers}
    )


def message(mid, sender="+51987654321", text="Hola, ¿precio del panel LED?", **extra):
    return {"messages": [{"id": mid, "from": sender, "text": text, **extra}]}


def test_inbound_is_stored_linked_processed_and_answered(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, message("wamid.1")).status_code == 200
    inbound = Message.objects.get(direction="in")
    assert inbound.conversation.contact.name == "Carlos Quispe"
    assert inbound.sequence == 1
    reply = Message.objects.get(direction="out")
    assert reply.sequence == 2 and reply.delivery_status == "sent" and reply.language == "es"
    assert [m.recipient_address for m in locmem.outbox] == ["+51987654321"]
    assert locmem.outbox[0].text == reply.text and "9,51" in reply.text  # silver price, es
    andina = demo.companies["Iluminación Andina S.A.C."]
    assert Interaction.objects.filter(
        company=andina, direction="in", text__contains="precio"
    ).exists()
    assert Interaction.objects.filter(company=andina, direction="out", author="assistant").exists()


def test_duplicate_webhook_is_processed_once(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert post(client, message("wamid.dup")).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1
    assert Message.objects.filter(direction="out").count() == 1
    assert len(locmem.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_message(locmem):
    demo_data_load()
    barrier = threading.Barrier(8)
    statuses = []

    def deliver():
        try:
            barrier.wait()
            statuses.append(post(Client(), message("wamid.race")).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert Message.objects.filter(direction="in", provider_message_id="wamid.race").count() == 1
    assert Message.objects.filter(direction="out").count() == 1
    assert len(locmem.outbox) == 1


def test_bad_token_stores_nothing(client, demo, locmem):
    response = client.post(
        "/hooks/whatsapp/",
        message("wamid.x"),
        content_type="application/json",
        HTTP_X_LOCMEM_TOKEN="nope",
    )
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_malformed_and_oversize_bodies(client, demo, locmem):
    assert (
        client.post(
            "/hooks/whatsapp/", "{not json", content_type="application/json", **HEADERS
        ).status_code
        == 400
    )
    huge = '{"messages": [], "pad": "' + "x" * (1024 * 1024) + '"}'
    assert (
        client.post(
            "/hooks/whatsapp/", huge, content_type="application/json", **HEADERS
        ).status_code
        == 413
    )
    assert not Message.objects.exists()


def test_unsupported_types_are_kept_with_a_placeholder(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.img", text="", kind="sticker"))
    assert Message.objects.get(direction="in").text == "[sticker]"


def test_unknown_sender_becomes_a_prospect_routed_by_phone_country(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            message("wamid.ng", sender="+2348035551212", text="Hello sir", name="Chinedu Okafor"),
        )
    identity = ChannelIdentity.objects.get(channel="whatsapp", address="+2348035551212")
    company = identity.contact.company
    assert identity.contact.name == "Chinedu Okafor"
    assert (company.is_prospect, company.country.code, company.team.name) == (
        True,
        "NG",
        "Americas & Europe",
    )
    assert identity.contact.phones == ["+2348035551212"]


def test_new_identity_with_a_known_phone_links_to_that_contact(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    ChannelIdentity.objects.filter(channel="whatsapp", address="+5511987650000").delete()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.ana", sender="+5511987650000", text="Olá"))
    identity = ChannelIdentity.objects.get(channel="whatsapp", address="+5511987650000")
    assert identity.contact.name == "Ana Souza"
    assert Company.objects.filter(is_prospect=True).count() == 0


def test_provider_fails_twice_then_delivers_once(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    locmem.failures.extend([SendError("HTTP 500"), SendError("HTTP 500")])
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.retry"))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts) == ("queued", 1)
    assert outbox_sweep(now=timezone.now())["due"] == 0  # not due yet: backing off
    later = timezone.now() + timedelta(hours=1)
    outbox_sweep(now=later)
    outbox_sweep(now=later + timedelta(hours=2))
    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == ("sent", 3)
    assert len(locmem.outbox) == 1
    assert Message.objects.get(direction="out").delivery_status == "sent"


def test_provider_down_past_the_budget_fails_visibly(
    client, demo, locmem, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_OUTBOX_MAX_ATTEMPTS = 3
    locmem.failures.extend([SendError("HTTP 503")] * 5)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.down"))
    moment = timezone.now()
    for step in range(1, 5):
        outbox_sweep(now=moment + timedelta(hours=step))
    outbound = OutboundMessage.objects.get()
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("failed", 3, "HTTP 503")
    assert Message.objects.get(direction="out").delivery_status == "failed"
    assert locmem.outbox == []


def test_rate_limit_retry_after_is_honoured(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    locmem.failures.append(SendError("HTTP 429", retry_after=7))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.429"))
    outbound = OutboundMessage.objects.get()
    wait = (outbound.next_attempt_at - outbound.updated_at).total_seconds()
    assert 6 <= wait <= 8


def test_permanent_failure_is_not_retried(client, demo, locmem, django_capture_on_commit_callbacks):
    locmem.failures.append(SendError("recipient blocked the bot", permanent=True))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.blocked"))
    assert OutboundMessage.objects.get().status == "failed"


def test_worker_killed_mid_send_is_resent_by_the_sweep(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        post(client, message("wamid.killed"))
    conversation = Conversation.objects.get()
    from channels_app.services.messaging import outbound_queue

    reply = outbound_queue(conversation=conversation, text="Hola", sender="assistant")
    outbound = reply.outbound
    # The worker marked it "sending" and died before the provider answered.
    OutboundMessage.objects.filter(pk=outbound.pk).update(
        status="sending", attempts=1, sending_since=timezone.now() - timedelta(minutes=30)
    )
    assert outbound_send(outbound_id=outbound.pk) == "skipped"  # nobody else picks it up
    result = outbox_sweep(now=timezone.now())
    assert result["requeued"] == 1 and result["sent"] == 1
    outbound.refresh_from_db()
    assert outbound.status == "sent" and len(locmem.outbox) == 1


def test_delivery_status_never_moves_backwards(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.s"))
    reply = Message.objects.get(direction="out")
    pid = reply.provider_message_id
    post(client, {"statuses": [{"id": pid, "status": "read"}]})
    post(client, {"statuses": [{"id": pid, "status": "delivered"}]})
    post(client, {"statuses": [{"id": pid, "status": "sent"}]})
    reply.refresh_from_db()
    assert reply.delivery_status == "read"


def test_assistant_is_silent_while_a_person_has_the_conversation(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.a"))
    Conversation.objects.update(status="human")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.b", text="¿Hay alguien?"))
    assert Message.objects.filter(direction="in").count() == 2
    assert Message.objects.filter(direction="out").count() == 1


def test_outside_the_whatsapp_window_the_reply_goes_by_email(
    client, demo, locmem, settings, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(locmem, "reply_window_hours", 24)  # as WhatsApp's adapter has
    settings.CHANNEL_ADAPTERS = {
        **settings.CHANNEL_ADAPTERS,
        "email": "channels_app.adapters.locmem.LocmemAdapter",
    }
    from channels_app.adapters import reset_adapters
    from channels_app.services.messaging import outbound_queue

    reset_adapters()
    settings.WHATSAPP_TEMPLATE_NAME = ""
    old = (timezone.now() - timedelta(days=3)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.old", at=old))
    locmem.outbox.clear()
    conversation = Conversation.objects.get()
    assert conversation.reply_window_expires_at < timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        reply = outbound_queue(conversation=conversation, text="Hola Carlos", sender="staff")
    reply.outbound.refresh_from_db()
    assert (
        reply.outbound.channel == "email" and "24-hour window" in reply.outbound.payload["reason"]
    )
    assert [m.recipient_address for m in locmem.outbox] == ["carlos.quispe@iluminacion-andina.pe"]


def test_a_phone_known_at_two_companies_raises_a_merge_suggestion(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    from channels_app.models import MergeSuggestion
    from crm.models import Contact

    shared = "+5511987650000"  # Ana Souza's number…
    omar = Contact.objects.get(name="Omar Haddad")
    omar.phones = [*omar.phones, shared]  # …also on a contact at another company
    omar.save()
    ChannelIdentity.objects.filter(channel="whatsapp", address=shared).delete()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.ambiguous", sender=shared, text="Olá", name="Ana"))
    identity = ChannelIdentity.objects.get(channel="whatsapp", address=shared)
    assert identity.contact.company.is_prospect  # not silently merged into either company
    suggestions = MergeSuggestion.objects.filter(contact=identity.contact)
    assert {s.candidate.name for s in suggestions} == {"Ana Souza", "Omar Haddad"}


def test_a_new_prospect_is_answered_in_the_language_they_wrote(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            message(
                "wamid.mx",
                sender="+5215512345678",
                text="Buenas tardes, ¿tienen paneles solares de 450W?",
            ),
        )
    reply = Message.objects.get(direction="out")
    assert reply.language == "es"
    assert locmem.outbox[0].text == reply.text and "PV-M450" in reply.text


def test_a_receipt_whose_recording_was_lost_is_recorded_by_the_sweep_or_a_redelivery(
    client, demo, locmem, settings
):
    from channels_app.models import InboundReceipt

    settings.PORTOLAN_RECORD_INBOUND_ON_COMMIT = True  # as in production; the task is "lost"
    post(client, message("wamid.lost"))  # on-commit callbacks never run here: nothing recorded
    receipt = InboundReceipt.objects.get(provider_message_id="wamid.lost")
    assert receipt.message is None and not Message.objects.exists()
    outbox_sweep(now=timezone.now() + timedelta(minutes=5))
    receipt.refresh_from_db()
    assert receipt.message is not None and receipt.message.text.startswith("Hola")


def test_nul_characters_and_lone_surrogates_are_stored_without_error(
    client, demo, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, message("wamid.nul", text="Hola\x00 precio \ud800?"))
    assert response.status_code == 200
    assert Message.objects.get(direction="in").text == "Hola precio ??"


def test_retry_after_is_capped_at_the_backoff_ceiling(
    client, demo, locmem, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_OUTBOX_BACKOFF_MAX_SECONDS = 3600
    locmem.failures.append(SendError("HTTP 429", retry_after=31536000))
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.year"))
    outbound = OutboundMessage.objects.get()
    assert (outbound.next_attempt_at - outbound.updated_at).total_seconds() <= 3601


def test_a_message_whose_processing_task_was_lost_is_answered_by_the_sweep(client, demo, locmem):
    post(client, message("wamid.unprocessed"))  # recorded; its processing (on commit) never ran
    inbound = Message.objects.get(direction="in")
    assert inbound.processed_at is None and not Message.objects.filter(direction="out").exists()
    result = outbox_sweep(now=timezone.now() + timedelta(minutes=5))
    assert result["processed"] == 1
    inbound.refresh_from_db()
    assert inbound.processed_at is not None
    assert Message.objects.filter(direction="out").count() == 1 and len(locmem.outbox) == 1
    assert outbox_sweep(now=timezone.now() + timedelta(minutes=10))["processed"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_first_messages_of_a_known_buyer_open_one_conversation(locmem):
    demo_data_load()  # Carlos has an identity and no conversation yet
    barrier = threading.Barrier(4)
    statuses = []

    def deliver(number):
        try:
            barrier.wait()
            statuses.append(
                post(Client(), message(f"wamid.first-{number}", text=f"Hola {number}")).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    inbound = Message.objects.filter(direction="in")
    assert inbound.count() == 4
    assert inbound.values("conversation").distinct().count() == 1
    assert len(set(inbound.values_list("sequence", flat=True))) == 4


ACKNOWLEDGE = "channels_app.services.acknowledge.conversation_turn_acknowledge"


def test_acknowledgement_handler_thanks_the_buyer_in_their_language(
    client, demo, locmem, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_TURN_HANDLER = ACKNOWLEDGE
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            post(client, message("wamid.ack", text="Bonjour, quel est le prix ?")).status_code
            == 200
        )
    reply = Message.objects.get(direction="out")
    assert reply.text == "Merci, nous avons bien reçu votre message et vous répondrons rapidement."
    assert reply.language == "fr"
    assert locmem.outbox[0].text == reply.text


def test_acknowledgement_handler_stays_silent_when_a_person_has_the_conversation(
    client, demo, locmem, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_TURN_HANDLER = ACKNOWLEDGE
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.ack1"))
    Conversation.objects.update(status="human")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.ack2"))
    assert Message.objects.filter(direction="in").count() == 2
    assert Message.objects.filter(direction="out").count() == 1


def always_replies(*, conversation, message):
    """A turn handler (TURN_HANDLER) that answers even when a person has the
    conversation: the pipeline, not the handler, keeps the assistant silent then."""
    from assistant.types import TurnResult

    return TurnResult(reply="Automated answer", language="es")


def test_no_automated_reply_while_a_person_has_the_conversation_whatever_the_handler(
    client, demo, locmem, settings, django_capture_on_commit_callbacks
):
    settings.PORTOLAN_TURN_HANDLER = "tests.channels_app.test_pipeline.always_replies"
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.any1"))
    assert Message.objects.filter(direction="out").count() == 1
    Conversation.objects.update(status="human")
    with django_capture_on_commit_callbacks(execute=True):
        post(client, message("wamid.any2"))
    assert Message.objects.filter(direction="in").count() == 2
    assert Message.objects.filter(direction="out").count() == 1
