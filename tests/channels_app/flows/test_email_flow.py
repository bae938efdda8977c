"""Email end to end: a buyer's email in (raw MIME or an ESP's inbound webhook) →
stored → assistant turn → the reply out through Django's email backend, threaded, in
the buyer's language; their answer comes back to the same conversation."""

import base64
import json
from pathlib import Path

import pytest
from django.core import mail

from channels_app.adapters import reset_adapters
from channels_app.models import Conversation, Message
from crm.models import Interaction

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email"
SECRET = "raw-inbound-secret-for-tests"
BASIC_AUTH = "anymail:webhook-secret-for-tests"
DOMAIN = "brightway-lighting.example"


@pytest.fixture
def email_channel(settings):
    settings.EMAIL_INBOUND_SECRET = SECRET
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}
    settings.PORTOLAN_EMAIL_FROM = f"sales@{DOMAIN}"
    settings.PORTOLAN_EMAIL_DOMAIN = DOMAIN
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reset_adapters()
    yield
    reset_adapters()


def post_raw(client, raw: bytes):
    return client.post(
        "/hooks/email/raw/", raw, content_type="message/rfc822", HTTP_X_PORTOLAN_SECRET=SECRET
    )


def test_email_question_is_answered_by_email_in_french_and_the_thread_continues(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert post_raw(client, (FIXTURES / "french_reply.eml").read_bytes()).status_code == 200
    conversation = Conversation.objects.get(channel="email")
    assert conversation.contact.name == "Claire Martin"
    reply = Message.objects.get(direction="out")
    assert reply.language == "fr" and reply.delivery_status == "sent"
    [sent] = mail.outbox
    headers = sent.message()
    assert sent.to == ["claire.martin@lumierepro.fr"]
    assert sent.subject == "Re: Projecteurs"
    assert sent.body == reply.text
    assert headers["Content-Language"] == "fr"
    assert headers["In-Reply-To"] == "<french-0011@lumierepro.fr>"
    assert headers["Message-ID"] == reply.provider_message_id
    assert headers["Message-ID"].startswith(f"<conv-{conversation.pk}.")

    answer = (
        "From: Claire Martin <claire.martin@lumierepro.fr>\r\n"
        f"To: sales@{DOMAIN}\r\nSubject: Re: Projecteurs\r\n"
        "Message-ID: <french-0012@lumierepro.fr>\r\n"
        f"In-Reply-To: {headers['Message-ID']}\r\n"
        f"References: <french-0011@lumierepro.fr> {headers['Message-ID']}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Parfait, 400 pièces alors.\r\n\r\nLe jeu. 6 mars 2025 à 09:00, Brightway Sales "
        f"<sales@{DOMAIN}> a écrit :\r\n> Merci pour votre demande.\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_raw(client, answer).status_code == 200
    second = Message.objects.filter(direction="in").latest("sequence")
    assert second.conversation == conversation
    assert second.text == "Parfait, 400 pièces alors."
    # (her "400 then" confirms an order: a person takes over and is e-mailed too)
    to_buyer = [sent for sent in mail.outbox if sent.to == ["claire.martin@lumierepro.fr"]]
    assert len(to_buyer) == 2
    assert to_buyer[1].message()["In-Reply-To"] == "<french-0012@lumierepro.fr>"
    assert headers["Message-ID"] in to_buyer[1].message()["References"].split()
    lumiere = demo.companies["Lumière Pro SARL"]
    assert (
        Interaction.objects.filter(company=lumiere, channel="email", direction="out").count() == 2
    )


def test_email_through_the_postmark_webhook_is_answered_in_german(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    payload = {
        "From": "j.weber@volt-distribution.de",
        "FromFull": {"Email": "j.weber@volt-distribution.de", "Name": "Jonas Weber"},
        "ToFull": [{"Email": f"sales@{DOMAIN}", "Name": ""}],
        "OriginalRecipient": f"sales@{DOMAIN}",
        "Subject": "Anfrage Hallenstrahler",
        "MessageID": "0c6a1f2e-postmark",
        "Date": "Wed, 5 Mar 2025 09:00:00 +0100",
        "TextBody": "Guten Tag,\n\nbitte ein Angebot für 800 Hallenstrahler.\n\n"
        "Mit freundlichen Grüßen\nJonas Weber",
        "HtmlBody": "",
        "Headers": [{"Name": "Message-ID", "Value": "<pm-0002@volt-distribution.de>"}],
        "Attachments": [],
    }
    auth = "Basic " + base64.b64encode(BASIC_AUTH.encode()).decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/hooks/email/anymail/postmark/inbound/",
            json.dumps(payload),
            content_type="application/json",
            HTTP_AUTHORIZATION=auth,
        )
    assert response.status_code == 200
    inbound = Message.objects.get(direction="in")
    assert inbound.text == "Guten Tag,\n\nbitte ein Angebot für 800 Hallenstrahler."
    reply = Message.objects.get(direction="out")
    assert reply.language == "de"
    [sent] = mail.outbox
    assert sent.to == ["j.weber@volt-distribution.de"]
    assert sent.subject == "Re: Anfrage Hallenstrahler"
    assert sent.message()["In-Reply-To"] == "<pm-0002@volt-distribution.de>"


def test_new_colleague_at_a_customer_is_answered_and_linked_to_the_company(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    raw = (
        "From: Lena Hoffmann <L.Hoffmann@volt-distribution.de>\r\n"
        f"To: sales@{DOMAIN}\r\nSubject: Muster\r\nMessage-ID: <lena-0001@volt-distribution.de>\r\n"
        "Content-Language: de-DE\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Können Sie uns ein Muster schicken?\r\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_raw(client, raw).status_code == 200
    conversation = Conversation.objects.get(channel="email")
    assert conversation.contact.company == demo.companies["Volt Distribution GmbH"]
    assert conversation.contact.name == "Lena Hoffmann"
    [sent] = mail.outbox
    assert sent.to == ["l.hoffmann@volt-distribution.de"]
    assert Message.objects.get(direction="out").language == "de"
