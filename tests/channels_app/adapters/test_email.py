"""Email: reading real-world MIME (charsets, alternatives, HTML, attachments, quoted
replies and signatures), the raw endpoint's secret, dedupe, threading, outbound
headers, send errors, and the anymail inbound webhooks (Postmark, Mailgun)."""

import base64
import hashlib
import hmac
import json
import re
import smtplib
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from channels_app.adapters import get_adapter, reset_adapters
from channels_app.adapters.base import OutgoingMessage, SendError
from channels_app.adapters.email import inbound_from_email
from channels_app.email_parsing import html_to_text, reply_text
from channels_app.models import Conversation, Message
from channels_app.services.messaging import outbound_queue, outbound_send
from crm.models import ChannelIdentity, Contact

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "email"
SECRET = "raw-inbound-secret-for-tests"
BASIC_AUTH = "anymail:webhook-secret-for-tests"
MAILGUN_KEY = "mailgun-signing-key-for-tests"
DOMAIN = "brightway-lighting.example"


def eml(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(raw: bytes):
    return inbound_from_email(BytesParser(policy=policy.default).parsebytes(raw), raw=raw)


@pytest.fixture
def email_channel(settings):
    settings.CHANNEL_ADAPTERS = {
        **settings.CHANNEL_ADAPTERS,
        "email": "channels_app.adapters.email.EmailAdapter",
    }
    settings.EMAIL_INBOUND_SECRET = SECRET
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.PORTOLAN_EMAIL_FROM = f"sales@{DOMAIN}"
    settings.PORTOLAN_EMAIL_DOMAIN = DOMAIN
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reset_adapters()
    yield
    reset_adapters()


def post_raw(client, raw: bytes, *, secret: str | None = SECRET):
    headers = {"HTTP_X_PORTOLAN_SECRET": secret} if secret is not None else {}
    return client.post("/hooks/email/raw/", raw, content_type="message/rfc822", **headers)


def reply_to(message_id: str, *, sender="Jonas Weber <j.weber@volt-distribution.de>", text="Ja."):
    return (
        f"From: {sender}\r\nTo: sales@{DOMAIN}\r\nSubject: AW: Anfrage\r\n"
        f"Date: Thu, 6 Mar 2025 09:00:00 +0100\r\n"
        f"Message-ID: <reply-{abs(hash(message_id + text))}@volt-distribution.de>\r\n"
        f"In-Reply-To: {message_id}\r\nReferences: <older@x.example> {message_id}\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    ).encode()


# --- reading MIME ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, written, stripped",
    [
        (
            "plain.eml",
            "Hello,\n\nCould you quote 2,000 pcs of the 600x600 panel light, 40W, 4000K,\n"
            "CIF Southampton? We need delivery by the end of April.\n\nThanks for your help.",
            "Purchasing, Harbour Lights Ltd",
        ),
        (
            "alternative.eml",
            "Hola,\n\nNecesitamos 500 focos LED de 50W para un almacén en Lima. "
            "¿Cuál es el plazo de entrega?",
            "escribió:",
        ),
        (
            "gb2312.eml",
            "您好，\n\n我们需要2000个600x600面板灯，请报CIF新加坡的价格。另外请问交货期是多久？",
            "写道：",
        ),
        (
            "koi8r.eml",
            "Здравствуйте!\n\nИнтересуют светодиодные панели 600x600, 3000 штук, поставка DAP "
            "Москва.\nПришлите, пожалуйста, коммерческое предложение.",
            "С уважением,",
        ),
        (
            "windows1256.eml",
            "السلام عليكم،\n\nنحتاج إلى 1000 كشاف LED بقدرة 100 واط، الشحن CIF جدة. ما هو السعر؟",
            "مع تحياتي",
        ),
        (
            "outlook.eml",
            "Hi,\n\nPlease confirm the lead time for 1,200 pcs high bay 150W. "
            "We can accept FOB Ningbo.",
            "Sent: Wednesday, March 5, 2025 10:02 AM",
        ),
        (
            "gmail_reply.eml",
            "Thanks, please send the sample to our office in Rotterdam.",
            "We can send a sample within 7 days.",
        ),
        (
            "german_reply.eml",
            "Hallo,\n\nwir benötigen 300 Stück LED-Panels 600x600, 4000K, DAP Berlin. "
            "Wie ist der Preis?",
            "Mit freundlichen Grüßen",
        ),
        (
            "french_reply.eml",
            "Bonjour,\n\nPouvez-vous m'envoyer le prix de 400 projecteurs 100W, CIF Marseille ?",
            "Envoyé de mon iPhone",
        ),
        (
            "signature.eml",
            "Hello team,\n\nDo you have UL certificates for the 150W high bay? "
            "Our customer in Texas requires them.",
            "Sent from my iPad",
        ),
    ],
)
def test_the_assistant_reads_only_what_the_buyer_wrote(settings, name, written, stripped):
    settings.PORTOLAN_EMAIL_DOMAIN = DOMAIN
    message = read(eml(name))
    assert message.text == written
    assert stripped in message.original_text and stripped not in message.text
    assert written.split("\n")[0] in message.original_text


def test_html_only_email_is_read_as_text_never_rendered():
    message = read(eml("html_only.eml"))
    assert message.text == (
        "Bom dia,\n\nGostaria de receber uma amostra do painel 600x600 & a ficha técnica.\n\n"
        "- Quantidade: 1.500 unidades\n- Incoterm: FOB Ningbo"
    )
    assert "alert" not in message.original_text and "ignored title" not in message.original_text
    assert "> Obrigado pelo contato." in message.original_text


def test_headers_are_decoded_in_their_charsets():
    chinese, russian, arabic = (
        read(eml("gb2312.eml")),
        read(eml("koi8r.eml")),
        read(eml("windows1256.eml")),
    )
    assert (chinese.sender_name, chinese.subject) == ("陈志明", "面板灯询价")
    assert (russian.sender_name, russian.subject) == ("Иван Петров", "Запрос цены на панели")
    assert (arabic.sender_name, arabic.subject) == ("خالد العتيبي", "طلب عرض سعر")


def test_sender_message_id_date_and_recipient_are_taken_from_the_headers():
    message = read(eml("plain.eml"))
    assert message.sender_address == "buyer@harbour-lights.co.uk"
    assert message.sender_name == "Oliver Grant"
    assert message.provider_message_id == "<CAF7k2Lq9x-plain-0001@mail.harbour-lights.co.uk>"
    assert message.sent_at.isoformat() == "2025-03-05T09:12:40+00:00"
    assert message.recipient_address == f"sales@{DOMAIN}"
    assert message.subject == "Price for 600x600 LED panels"
    assert read(eml("outlook.eml")).language_hint == "en"


def test_attachments_are_kept_as_metadata_only():
    message = read(eml("attachment.eml"))
    assert message.text.startswith("Guten Tag,")
    assert message.attachments == [
        {"filename": "logo.png", "content_type": "image/png", "size": 70, "inline": True},
        {
            "filename": "Ausschreibung Lagerhalle München.pdf",
            "content_type": "application/pdf",
            "size": 900,
            "inline": False,
        },
    ]


def test_attachment_without_text_is_a_document():
    raw = (
        b"From: a@buyer.example\r\nMessage-ID: <doc@buyer.example>\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
        b'filename="spec.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n'
    )
    message = read(raw)
    assert message.kind == "document" and message.text == ""
    assert message.attachments[0]["filename"] == "spec.pdf"


def test_mislabelled_and_raw_8bit_charsets_are_still_read():
    # GBK characters labelled gb2312, and a raw (unencoded) 8-bit subject.
    body = "镕铄的报价".encode("gbk")
    raw = (
        b"From: li@buyer.example\r\nSubject: " + "询价".encode("gbk") + b"\r\n"
        b"Message-ID: <gbk@buyer.example>\r\nContent-Type: text/plain; charset=gb2312\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body
    )
    message = read(raw)
    assert message.text == "镕铄的报价"
    assert message.subject == "询价"


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",
        "Precedence: bulk",
        "X-Autoreply: yes",
    ],
)
def test_automatic_mail_is_not_answered(headers):
    raw = f"From: j@buyer.example\r\n{headers}\r\nMessage-ID: <a@b.c>\r\n\r\nAway.\r\n".encode()
    assert read(raw) is None
    assert read(eml("auto_reply.eml")) is None
    assert read(b"From: MAILER-DAEMON@mx.example\r\n\r\nUndeliverable") is None


def test_our_own_mail_coming_back_is_not_answered(settings):
    settings.PORTOLAN_EMAIL_FROM = f"Brightway <sales@{DOMAIN}>"
    assert read(f"From: sales@{DOMAIN}\r\n\r\nloop".encode()) is None


def test_message_without_a_message_id_gets_a_stable_content_id():
    raw = b"From: a@buyer.example\r\nSubject: hi\r\n\r\nHello"
    assert read(raw).provider_message_id == read(raw).provider_message_id
    assert read(raw).provider_message_id.startswith("sha256:")


def test_message_without_a_sender_is_unreadable():
    with pytest.raises(ValueError):
        read(b"Subject: nobody\r\n\r\nhello")


# --- stripping quoted text, unit by unit -------------------------------------------------------


def test_inline_answers_between_quotes_are_kept():
    body = (
        "On Wed, 5 Mar 2025 at 10:02, Sales <sales@x.example> wrote:\n"
        "> Which quantity?\nAbout 2,000 pcs.\n> Which port?\nCallao.\n"
    )
    assert reply_text(body) == "About 2,000 pcs.\nCallao."


@pytest.mark.parametrize(
    "separator",
    [
        "-----Original Message-----",
        "-----Ursprüngliche Nachricht-----",
        "------------------ 原始邮件 ------------------",
        '05.03.2025, 10:02, "Brightway Sales" <sales@x.example>:',
        "Em qua., 5 de mar. de 2025 às 10:02, Sales <sales@x.example> escreveu:",
        "5 марта 2025 г., в 10:02, Sales <sales@x.example> пишет:",
        "De : Sales <sales@x.example>\nEnvoyé : mercredi 5 mars 2025 10:02",
        "发件人: Sales <sales@x.example>\n发送时间: 2025年3月5日 10:02",
        "من: Sales <sales@x.example>\nتاريخ الإرسال: 5 مارس 2025",
    ],
)
def test_quoted_messages_are_cut_at_their_header(separator):
    body = f"We need 500 pcs.\n\n{separator}\nOld text from the previous mail.\n"
    assert reply_text(body) == "We need 500 pcs."


def test_ordinary_sentences_are_not_mistaken_for_quote_headers():
    body = "On Monday my colleague wrote: we need samples.\nأريد شراء كتب\nAm Montag schrieb er:"
    assert reply_text(body) == body
    assert reply_text(f"{body}\n\nThanks,\nLi") == body


def test_a_message_that_is_only_a_sign_off_or_only_a_quote_is_kept_whole():
    assert reply_text("Merci") == "Merci"
    assert reply_text("> quoted only") == "> quoted only"


def test_html_blockquotes_are_read_as_quotes():
    text = html_to_text("<p>Yes &amp; thanks</p><blockquote><p>Old</p></blockquote>")
    assert text == "Yes & thanks\n\n> Old"
    assert reply_text(text) == "Yes & thanks"


# --- the raw endpoint --------------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_raw_endpoint_without_the_secret_is_refused_and_stores_nothing(
    client, db, email_channel, secret
):
    response = post_raw(client, eml("plain.eml"), secret=secret)
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_raw_endpoint_refuses_everything_while_no_secret_is_configured(
    client, db, email_channel, settings
):
    settings.EMAIL_INBOUND_SECRET = ""
    assert post_raw(client, eml("plain.eml"), secret="").status_code == 403
    assert not Message.objects.exists()


def test_raw_endpoint_takes_only_posts_up_to_one_megabyte(client, db, email_channel):
    assert client.get("/hooks/email/raw/").status_code == 405
    big = eml("plain.eml") + b"x" * (1024 * 1024)
    assert post_raw(client, big).status_code == 413
    assert post_raw(client, b"").status_code == 400
    assert post_raw(client, b"Subject: no sender\r\n\r\nhi").status_code == 400
    assert not Message.objects.exists()


def test_raw_email_is_stored_with_text_original_subject_and_attachments(
    client, demo, email_channel
):
    assert post_raw(client, eml("attachment.eml")).status_code == 200
    message = Message.objects.get(direction="in")
    assert message.channel == "email"
    assert message.provider_message_id == "<attach-0007@volt-distribution.de>"
    assert message.text.startswith("Guten Tag,") and message.original_text.startswith("Guten Tag,")
    assert [a["filename"] for a in message.attachments] == [
        "logo.png",
        "Ausschreibung Lagerhalle München.pdf",
    ]
    conversation = message.conversation
    assert conversation.subject == "Ausschreibung Lagerhalle"
    assert conversation.contact.name == "Jonas Weber"
    assert conversation.reply_window_expires_at is None


def test_duplicate_message_id_is_stored_once(client, demo, email_channel):
    for _ in range(3):
        assert post_raw(client, eml("german_reply.eml")).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_automatic_reply_is_accepted_and_ignored(client, demo, email_channel):
    assert post_raw(client, eml("auto_reply.eml")).status_code == 200
    assert not Message.objects.exists()


def test_unknown_sender_at_a_company_domain_becomes_a_contact_of_that_company(
    client, demo, email_channel
):
    raw = eml("plain.eml").replace(
        b"Oliver Grant <Buyer@Harbour-Lights.co.uk>",
        b"Lena Hoffmann <someone@volt-distribution.de>",
    )
    assert post_raw(client, raw).status_code == 200
    identity = ChannelIdentity.objects.get(channel="email", address="someone@volt-distribution.de")
    contact = identity.contact
    assert contact.company == demo.companies["Volt Distribution GmbH"]
    assert contact.name == "Lena Hoffmann"
    assert contact != Contact.objects.get(name="Jonas Weber")


# --- threading and outbound headers -------------------------------------------------------


def send_reply(conversation: Conversation, text="Vielen Dank, hier ist unser Angebot."):
    message = outbound_queue(conversation=conversation, text=text, sender="staff", language="de")
    assert outbound_send(outbound_id=message.outbound.pk) == "sent"
    message.refresh_from_db()
    return message, mail.outbox[-1]


def test_outbound_email_threads_to_the_buyers_message(client, demo, email_channel):
    post_raw(client, eml("german_reply.eml"))
    conversation = Conversation.objects.get(channel="email")
    message, sent = send_reply(conversation)
    headers = sent.message()
    message_id = headers["Message-ID"]
    assert re.fullmatch(
        rf"<conv-{conversation.pk}\.{message.pk}\.[0-9a-f]{{16}}@{DOMAIN}>", message_id
    )
    assert message.provider_message_id == message_id
    assert headers["In-Reply-To"] == "<german-0010@volt-distribution.de>"
    assert headers["References"].split()[-1] == "<german-0010@volt-distribution.de>"
    assert headers["Reply-To"] == f"sales@{DOMAIN}"
    assert sent.from_email.endswith(f"<sales@{DOMAIN}>")
    assert sent.to == ["j.weber@volt-distribution.de"]
    assert sent.subject == "AW: Anfrage LED-Panels"
    assert headers["Content-Language"] == "de"
    assert sent.body == "Vielen Dank, hier ist unser Angebot."


def test_buyer_reply_to_our_message_lands_in_that_conversation(client, demo, email_channel):
    post_raw(client, eml("german_reply.eml"))
    first = Conversation.objects.get(channel="email")
    _, sent = send_reply(first)
    # A second, newer conversation with the same buyer: threading must not pick it.
    newer = Conversation.objects.create(
        contact=first.contact, identity=first.identity, channel="email", subject="Other"
    )
    assert post_raw(client, reply_to(sent.message()["Message-ID"])).status_code == 200
    answer = Message.objects.filter(direction="in").latest("created_at")
    assert answer.conversation == first
    assert not newer.messages.exists()
    # Replying to another buyer's thread id does not move the message into it.
    raw = reply_to(sent.message()["Message-ID"], sender="x@intruder.example", text="Hi")
    assert post_raw(client, raw).status_code == 200
    assert Message.objects.filter(direction="in").latest("created_at").conversation != first


def test_references_chain_ends_with_the_buyers_last_message(client, demo, email_channel):
    post_raw(client, eml("german_reply.eml"))
    conversation = Conversation.objects.get(channel="email")
    _, first = send_reply(conversation)
    post_raw(client, reply_to(first.message()["Message-ID"], text="Und 500 Stück?"))
    _, second = send_reply(conversation, "500 Stück: gleicher Preis.")
    references = second.message()["References"].split()
    buyer_last = Message.objects.filter(direction="in").latest("sequence").provider_message_id
    assert references[-1] == buyer_last == second.message()["In-Reply-To"]
    assert first.message()["Message-ID"] in references


def test_subject_defaults_to_the_buyers_language(email_channel, db):
    adapter = get_adapter("email")
    for language, subject in [
        ("fr", "Votre demande"),
        ("zh-hans", "您的询价"),
        ("", "Your enquiry"),
    ]:
        adapter.send(
            OutgoingMessage(
                recipient_address="claire.martin@lumierepro.fr",
                text="Bonjour",
                conversation_id=999,
                message_id=1,
                language=language,
            )
        )
        assert mail.outbox[-1].subject == subject
    adapter.send(
        OutgoingMessage(
            recipient_address="claire.martin@lumierepro.fr",
            text="Bonjour",
            conversation_id=999,
            message_id=2,
            subject="Projecteurs",
        )
    )
    assert mail.outbox[-1].subject == "Re: Projecteurs"


def test_a_retried_send_keeps_its_message_id(email_channel, db):
    adapter = get_adapter("email")
    outgoing = OutgoingMessage(
        recipient_address="a@buyer.example", text="Hi", conversation_id=7, message_id=70
    )
    assert (
        adapter.send(outgoing).provider_message_ids == adapter.send(outgoing).provider_message_ids
    )


# --- send errors --------------------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """Django's email backend port, failing the way an SMTP server does."""

    error: Exception | None = None

    def send_messages(self, messages):
        raise type(self).error


@pytest.mark.parametrize(
    "error, permanent",
    [
        (smtplib.SMTPRecipientsRefused({"a@buyer.example": (550, b"No such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@buyer.example": (450, b"Mailbox busy")}), False),
        (smtplib.SMTPDataError(554, b"Message rejected"), True),
        (smtplib.SMTPDataError(421, b"Try again later"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (smtplib.SMTPAuthenticationError(535, b"Bad credentials"), False),
    ],
)
def test_smtp_failures_are_send_errors(email_channel, db, settings, error, permanent):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.error = error
    with pytest.raises(SendError) as raised:
        get_adapter("email").send(
            OutgoingMessage(
                recipient_address="a@buyer.example", text="Hi", conversation_id=1, message_id=1
            )
        )
    assert raised.value.permanent is permanent


@pytest.mark.parametrize("address", ["not-an-address", "a@b.example\nBcc: x@y.example", ""])
def test_a_bad_address_fails_permanently(email_channel, db, address):
    with pytest.raises(SendError) as raised:
        get_adapter("email").send(
            OutgoingMessage(recipient_address=address, text="Hi", conversation_id=1, message_id=1)
        )
    assert raised.value.permanent
    assert mail.outbox == []


# --- anymail inbound webhooks ------------------------------------------------------------------


def basic_auth(credentials: str = BASIC_AUTH) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def postmark_payload(**overrides) -> dict:
    """Postmark's inbound webhook JSON, shaped as its documentation shows it."""
    payload = {
        "FromName": "Claire Martin",
        "MessageStream": "inbound",
        "From": "claire.martin@lumierepro.fr",
        "FromFull": {
            "Email": "claire.martin@lumierepro.fr",
            "Name": "Claire Martin",
            "MailboxHash": "",
        },
        "To": f"sales@{DOMAIN}",
        "ToFull": [{"Email": f"sales@{DOMAIN}", "Name": "", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "Bcc": "",
        "BccFull": [],
        "OriginalRecipient": f"sales@{DOMAIN}",
        "Subject": "Projecteurs 100W",
        "MessageID": "73e6d360-66eb-11e1-8e72-a8904824019b",
        "ReplyTo": "",
        "MailboxHash": "",
        "Date": "Wed, 5 Mar 2025 10:50:00 +0100",
        "TextBody": "Bonjour,\n\nQuel est le délai pour 400 projecteurs ?\n\n"
        "Le mer. 5 mars 2025 à 10:02, Brightway Sales <sales@brightway-lighting.example> a écrit :\n"
        "> Merci pour votre demande.\n",
        "HtmlBody": "<p>Bonjour,</p><p>Quel est le délai pour 400 projecteurs ?</p>",
        "StrippedTextReply": "Bonjour,\n\nQuel est le délai pour 400 projecteurs ?",
        "Tag": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<claire.martin@lumierepro.fr>"},
            {"Name": "X-Spam-Checker-Version", "Value": "SpamAssassin 3.3.1 (2010-03-16)"},
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "Received-SPF", "Value": "Pass"},
            {"Name": "MIME-Version", "Value": "1.0"},
            {"Name": "Message-ID", "Value": "<postmark-0001@lumierepro.fr>"},
        ],
        "Attachments": [
            {
                "Name": "plan.pdf",
                "Content": base64.b64encode(b"%PDF-1.4 plan").decode(),
                "ContentType": "application/pdf",
                "ContentLength": 13,
                "ContentID": "",
            }
        ],
    }
    payload.update(overrides)
    return payload


def post_postmark(client, payload: dict, **headers):
    return client.post(
        "/hooks/email/anymail/postmark/inbound/",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def test_postmark_inbound_webhook_stores_the_email(client, demo, email_channel):
    response = post_postmark(client, postmark_payload(), **basic_auth())
    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.channel == "email"
    assert message.provider_message_id == "<postmark-0001@lumierepro.fr>"
    assert message.text == "Bonjour,\n\nQuel est le délai pour 400 projecteurs ?"
    assert "a écrit" in message.original_text
    assert message.attachments[0]["filename"] == "plan.pdf"
    assert message.conversation.contact.name == "Claire Martin"
    assert message.conversation.subject == "Projecteurs 100W"
    # Postmark retries until it gets a 200: a retry is stored once.
    assert post_postmark(client, postmark_payload(), **basic_auth()).status_code == 200
    assert Message.objects.filter(direction="in").count() == 1


def test_postmark_raw_email_is_read_from_the_mime(client, demo, email_channel):
    raw = eml("gb2312.eml").decode("ascii")
    response = post_postmark(client, postmark_payload(RawEmail=raw), **basic_auth())
    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.provider_message_id == "<gb2312-0004@lumen-asia.sg>"
    assert message.text.startswith("您好")


def test_postmark_webhook_with_wrong_or_missing_basic_auth_stores_nothing(
    client, demo, email_channel
):
    assert post_postmark(client, postmark_payload()).status_code == 400
    assert (
        post_postmark(client, postmark_payload(), **basic_auth("anymail:wrong")).status_code == 400
    )
    assert not Message.objects.exists()


def test_postmark_webhook_is_refused_while_no_secret_is_configured(
    client, demo, email_channel, settings
):
    settings.ANYMAIL = {}
    assert post_postmark(client, postmark_payload()).status_code == 403
    assert not Message.objects.exists()


def test_postmark_email_without_a_sender_is_a_400(client, demo, email_channel):
    payload = postmark_payload(FromFull={"Email": "", "Name": ""}, From="")
    assert post_postmark(client, payload, **basic_auth()).status_code == 400
    assert not Message.objects.exists()


def mailgun_form(raw: bytes, *, key: str = MAILGUN_KEY) -> dict:
    timestamp, token = "1741168200", "d2b1c4a5f0e94b9c8a7e6f5d4c3b2a19"
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    return {
        "recipient": f"sales@{DOMAIN}",
        "sender": "j.weber@volt-distribution.de",
        "from": "Jonas Weber <j.weber@volt-distribution.de>",
        "subject": "AW: Anfrage LED-Panels",
        "body-mime": raw.decode("latin-1"),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


def test_mailgun_raw_mime_route_stores_the_email(client, demo, email_channel):
    response = client.post(
        "/hooks/email/anymail/mailgun/inbound_mime/",
        mailgun_form(eml("german_reply.eml")),
        **basic_auth(),
    )
    assert response.status_code == 200
    message = Message.objects.get(direction="in")
    assert message.provider_message_id == "<german-0010@volt-distribution.de>"
    assert message.text.endswith("Wie ist der Preis?")
    assert message.conversation.contact.name == "Jonas Weber"


def test_mailgun_post_with_a_wrong_signature_stores_nothing(client, demo, email_channel):
    form = mailgun_form(eml("german_reply.eml"), key="another-key")
    response = client.post("/hooks/email/anymail/mailgun/inbound_mime/", form, **basic_auth())
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_mailgun_route_is_refused_without_a_signing_key(client, demo, email_channel, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}
    response = client.post(
        "/hooks/email/anymail/mailgun/inbound_mime/",
        mailgun_form(eml("german_reply.eml")),
        **basic_auth(),
    )
    assert response.status_code == 403
    assert not Message.objects.exists()
