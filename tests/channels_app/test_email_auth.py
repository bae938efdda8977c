"""Whether an email's From address is proven: our MTA's Authentication-Results (raw
MIME), Mailgun's and Postmark's checks. An unproven sender learns nothing about orders;
the account manager gets a task instead."""

import base64
import hashlib
import hmac
import json
from email import policy
from email.parser import BytesParser

import pytest
from django.core import mail

from channels_app.adapters import reset_adapters
from channels_app.adapters.email import inbound_from_email
from channels_app.models import Message
from crm.models import ChannelIdentity, Task

SECRET = "raw-inbound-secret-for-tests"
BASIC_AUTH = "anymail:webhook-secret-for-tests"
MAILGUN_KEY = "mailgun-signing-key-for-tests"
DOMAIN = "brightway-lighting.example"
AUTHSERV_ID = f"mx.{DOMAIN}"
TASK_TITLE = "Order question from an unconfirmed address"


@pytest.fixture
def email_channel(settings):
    settings.EMAIL_INBOUND_SECRET = SECRET
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.PORTOLAN_EMAIL_FROM = f"sales@{DOMAIN}"
    settings.PORTOLAN_EMAIL_DOMAIN = DOMAIN
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_AUTHSERV_ID = AUTHSERV_ID
    settings.EMAIL_REQUIRE_AUTHENTICATED_SENDER = True
    reset_adapters()
    yield
    reset_adapters()


def order_question(*headers: str, sender: str = "j.weber@volt-distribution.de") -> bytes:
    return (
        "".join(f"{header}\r\n" for header in headers)
        + f"From: Jonas Weber <{sender}>\r\nTo: sales@{DOMAIN}\r\n"
        "Subject: Order status\r\nMessage-ID: <status-0001@volt-distribution.de>\r\n"
        "Content-Language: en\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hello, what is the status of order SO-2026-0102?\r\n"
    ).encode()


def read(raw: bytes):
    return inbound_from_email(BytesParser(policy=policy.default).parsebytes(raw), raw=raw)


def post_raw(client, raw: bytes, capture):
    with capture(execute=True):
        response = client.post(
            "/hooks/email/raw/", raw, content_type="message/rfc822", HTTP_X_PORTOLAN_SECRET=SECRET
        )
    assert response.status_code == 200


def assert_no_order_data(reply: str):
    for leak in ("SO-2026-0102", "production", "December", "Hamburg", "2026"):
        assert leak.lower() not in reply.lower()


DMARC_PASS = (
    f"Authentication-Results: {AUTHSERV_ID}; dkim=pass (2048-bit key) "
    "header.d=volt-distribution.de header.s=sel1; spf=pass "
    "smtp.mailfrom=volt-distribution.de; dmarc=pass (p=REJECT) header.from=volt-distribution.de"
)


def test_mail_our_mta_passed_is_verified_and_its_order_status_answered(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    post_raw(client, order_question(DMARC_PASS), django_capture_on_commit_callbacks)
    inbound = Message.objects.get(direction="in")
    assert inbound.sender_verified is True
    reply = Message.objects.get(direction="out").text
    assert "SO-2026-0102" in reply and "production" in reply.lower()
    [sent] = mail.outbox
    assert sent.to == ["j.weber@volt-distribution.de"]
    assert not Task.objects.filter(title=TASK_TITLE).exists()


@pytest.mark.parametrize(
    "headers",
    [
        (),
        # A sender (or a relay on the way) can write any Authentication-Results.
        (DMARC_PASS.replace(AUTHSERV_ID, "mx.volt-distribution.de"),),
        (
            "Authentication-Results: mx.google.com; dmarc=pass header.from=volt-distribution.de",
            f"Authentication-Results: {AUTHSERV_ID}; dmarc=fail header.from=volt-distribution.de",
        ),
    ],
    ids=["no-header", "foreign-authserv-id", "ours-says-fail"],
)
def test_unproven_sender_gets_no_order_data_and_the_owner_a_task(
    client, demo, email_channel, django_capture_on_commit_callbacks, headers
):
    post_raw(client, order_question(*headers), django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").sender_verified is False
    reply = Message.objects.get(direction="out").text
    assert_no_order_data(reply)
    assert "confirmed address" in reply
    volt = demo.companies["Volt Distribution GmbH"]
    task = Task.objects.get(company=volt, title=TASK_TITLE)
    assert task.assignee == volt.owner
    assert "SO-2026-0102" in task.description


def test_the_refusal_is_in_the_buyers_language(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    raw = (
        "From: Jonas Weber <j.weber@volt-distribution.de>\r\n"
        f"To: sales@{DOMAIN}\r\nSubject: Auftrag\r\n"
        "Message-ID: <status-de-0001@volt-distribution.de>\r\n"
        "Content-Language: de\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Guten Tag, wie ist der Status von Auftrag SO-2026-0102?\r\n"
    ).encode()
    post_raw(client, raw, django_capture_on_commit_callbacks)
    reply = Message.objects.get(direction="out").text
    assert "bestätigte Adresse" in reply
    assert_no_order_data(reply)


def test_new_identity_from_an_unproven_mail_is_unverified_until_a_proven_one(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    address = "l.hoffmann@volt-distribution.de"
    post_raw(client, order_question(sender=address), django_capture_on_commit_callbacks)
    identity = ChannelIdentity.objects.get(channel="email", address=address)
    assert identity.verified is False
    proven = order_question(DMARC_PASS, sender=address).replace(b"status-0001", b"status-0002")
    post_raw(client, proven, django_capture_on_commit_callbacks)
    identity.refresh_from_db()
    assert identity.verified is True


@pytest.mark.parametrize(
    "result, verified",
    [
        ("dkim=pass header.d=volt-distribution.de", True),
        ("dkim=pass header.i=@volt-distribution.de", True),
        ('dkim=pass (good signature) header.d="volt-distribution.de"', True),
        ("dmarc=pass header.from=volt-distribution.de", True),
        ("dkim=pass header.d=mailer.example", False),
        ("dkim=pass header.d=evil-volt-distribution.de", False),
        ("dkim=pass header.d=de", False),
        ("dkim=fail header.d=volt-distribution.de", False),
        ("dmarc=pass header.from=mailer.example", False),
        ("spf=pass smtp.mailfrom=volt-distribution.de", False),
        ("none", False),
    ],
)
def test_authentication_results_of_our_mta(email_channel, result, verified):
    raw = order_question(f"Authentication-Results: {AUTHSERV_ID.upper()} 1; {result}")
    assert read(raw).sender_verified is verified


def test_signature_by_a_parent_domain_counts(email_channel):
    raw = order_question(
        f"Authentication-Results: {AUTHSERV_ID}; dkim=pass header.d=volt-distribution.de",
        sender="jonas@sales.volt-distribution.de",
    )
    assert read(raw).sender_verified is True


def test_a_forged_pass_with_our_id_does_not_outweigh_our_fail(email_channel):
    raw = order_question(
        f"Authentication-Results: {AUTHSERV_ID}; dmarc=fail header.from=volt-distribution.de",
        f"Authentication-Results: {AUTHSERV_ID}; dmarc=pass header.from=volt-distribution.de",
    )
    assert read(raw).sender_verified is False


def test_two_from_headers_are_never_verified(email_channel):
    raw = order_question(DMARC_PASS, "From: someone@volt-distribution.de")
    assert read(raw).sender_verified is False


def test_without_an_authserv_id_nothing_is_verified(email_channel, settings):
    settings.EMAIL_AUTHSERV_ID = ""
    assert read(order_question(DMARC_PASS)).sender_verified is False


def test_requirement_off_every_sender_is_verified(
    client, demo, email_channel, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_REQUIRE_AUTHENTICATED_SENDER = False
    post_raw(client, order_question(), django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").sender_verified is True
    assert "SO-2026-0102" in Message.objects.get(direction="out").text


# --- ESP inbound webhooks ----------------------------------------------------------------


def basic_auth() -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(BASIC_AUTH.encode()).decode()}


def mailgun_form(raw: bytes, *, sender: str = "bounce@volt-distribution.de") -> dict:
    timestamp, token = "1741168200", "5f1c2a9e0b7d4c3a8e6f1d2c3b4a5e6f"
    signature = hmac.new(
        MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "recipient": f"sales@{DOMAIN}",
        "sender": sender,
        "from": "Jonas Weber <j.weber@volt-distribution.de>",
        "subject": "Order status",
        "body-mime": raw.decode("latin-1"),
        "timestamp": timestamp,
        "token": token,
        "signature": signature,
    }


def post_mailgun(client, form: dict, capture):
    with capture(execute=True):
        response = client.post("/hooks/email/anymail/mailgun/inbound_mime/", form, **basic_auth())
    assert response.status_code == 200


SIGNED = "DKIM-Signature: v=1; a=rsa-sha256; d=volt-distribution.de; s=sel1; h=from; b=abc"


def test_mailgun_failing_checks_leave_the_sender_unverified(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    raw = order_question(
        "X-Mailgun-Spf: Fail", "X-Mailgun-Dkim-Check-Result: Fail", SIGNED, DMARC_PASS
    )
    post_mailgun(client, mailgun_form(raw), django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").sender_verified is False
    assert_no_order_data(Message.objects.get(direction="out").text)
    assert Task.objects.filter(title=TASK_TITLE).exists()


@pytest.mark.parametrize(
    "headers, sender, verified",
    [
        (("X-Mailgun-Dkim-Check-Result: Pass", SIGNED), "x@other.example", True),
        (("X-Mailgun-Spf: Pass",), "bounce@volt-distribution.de", True),
        (("X-Mailgun-Spf: Pass",), "bounce@mailer.example", False),
        # Mailgun's DKIM verdict names no domain: a signature by another domain spoils it.
        (
            (
                "X-Mailgun-Dkim-Check-Result: Pass",
                SIGNED,
                SIGNED.replace("volt-distribution.de", "mailer.example"),
            ),
            "x@other.example",
            False,
        ),
        (("X-Mailgun-Dkim-Check-Result: Pass",), "x@other.example", False),
        # A verdict that appears twice was (also) written by the sender.
        (("X-Mailgun-Spf: Pass", "X-Mailgun-Spf: Fail"), "bounce@volt-distribution.de", False),
    ],
)
def test_mailgun_checks(
    client, demo, email_channel, django_capture_on_commit_callbacks, headers, sender, verified
):
    post_mailgun(
        client,
        mailgun_form(order_question(*headers), sender=sender),
        django_capture_on_commit_callbacks,
    )
    assert Message.objects.get(direction="in").sender_verified is verified


def postmark_payload(headers: list[tuple[str, str]]) -> dict:
    return {
        "From": "j.weber@volt-distribution.de",
        "FromFull": {"Email": "j.weber@volt-distribution.de", "Name": "Jonas Weber"},
        "ToFull": [{"Email": f"sales@{DOMAIN}", "Name": ""}],
        "OriginalRecipient": f"sales@{DOMAIN}",
        "Subject": "Order status",
        "MessageID": "7d1e0f3a-postmark",
        "Date": "Wed, 5 Mar 2025 09:00:00 +0100",
        "TextBody": "Hello, what is the status of order SO-2026-0102?",
        "HtmlBody": "",
        "Headers": [
            {"Name": "Return-Path", "Value": "<bounce@volt-distribution.de>"},
            {"Name": "Message-ID", "Value": "<pm-status-0001@volt-distribution.de>"},
            *({"Name": name, "Value": value} for name, value in headers),
        ],
        "Attachments": [],
    }


def post_postmark(client, payload: dict, capture):
    with capture(execute=True):
        response = client.post(
            "/hooks/email/anymail/postmark/inbound/",
            json.dumps(payload),
            content_type="application/json",
            **basic_auth(),
        )
    assert response.status_code == 200


SPF_PASS = (
    "Pass (sender SPF authorized) identity=mailfrom; client-ip=203.0.113.5; "
    "helo=mail.volt-distribution.de; envelope-from=bounce@volt-distribution.de; "
    "receiver=<UNKNOWN>"
)


def test_postmark_failing_checks_leave_the_sender_unverified(
    client, demo, email_channel, django_capture_on_commit_callbacks
):
    headers = [
        ("X-Spam-Tests", "DKIM_SIGNED,SPF_FAIL"),
        ("Received-SPF", SPF_PASS.replace("Pass (sender SPF authorized)", "Fail")),
        ("Authentication-Results", f"{AUTHSERV_ID}; dmarc=pass"),
    ]
    post_postmark(client, postmark_payload(headers), django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").sender_verified is False
    assert_no_order_data(Message.objects.get(direction="out").text)
    assert Task.objects.filter(title=TASK_TITLE).exists()


@pytest.mark.parametrize(
    "headers, verified",
    [
        ([("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU")], True),
        ([("Received-SPF", SPF_PASS)], True),
        ([("X-Spam-Tests", "DKIM_SIGNED,DKIM_VALID")], False),
        (
            [("Received-SPF", SPF_PASS.replace("bounce@volt-distribution.de", "x@mailer.example"))],
            False,
        ),
        ([("Received-SPF", SPF_PASS.replace("identity=mailfrom", "identity=helo"))], False),
        (
            [("X-Spam-Tests", "DKIM_VALID_AU"), ("X-Spam-Tests", "DKIM_SIGNED")],
            False,
        ),
    ],
)
def test_postmark_checks(
    client, demo, email_channel, django_capture_on_commit_callbacks, headers, verified
):
    post_postmark(client, postmark_payload(headers), django_capture_on_commit_callbacks)
    assert Message.objects.get(direction="in").sender_verified is verified
