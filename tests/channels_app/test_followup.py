"""Notifications, reply reminders in business time, manager alerts, and the
satisfaction survey after a person's conversation is resolved."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from rest_framework.test import APIClient

from channels_app.models import Conversation, ConversationStatus, Message
from channels_app.services.followup import conversations_sla_check
from channels_app.services.handoff import handoff_start
from crm.models import ProfileFact, User

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}
CARLOS = "+51987654321"  # Iluminación Andina, owned by rep1 (team Americas & Europe)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def talk(client, demo, locmem, django_capture_on_commit_callbacks):
    counter = iter(range(1, 1000))

    def send(text):
        body = {"messages": [{"id": f"wamid.f{next(counter)}", "from": CARLOS, "text": text}]}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/hooks/whatsapp/", body, content_type="application/json", **HEADERS
            )
        assert response.status_code == 200
        return Conversation.objects.order_by("-updated_at").first()

    return send


def test_new_escalation_emails_the_assignee_in_their_language(talk):
    User.objects.filter(username="rep1").update(email="rep1@brightway.example", language="es")
    conversation = talk("Quiero hablar con una persona, por favor.")
    assert conversation.status == ConversationStatus.HUMAN
    (message,) = mail.outbox
    assert message.to == ["rep1@brightway.example"]
    assert "Iluminación Andina" in message.subject
    assert f"/inbox/{conversation.pk}/" in message.body


def test_reminder_then_manager_alert_in_business_time(talk, settings):
    settings.PORTOLAN_SLA_REMINDER_MINUTES = 30
    settings.PORTOLAN_SLA_ALERT_MINUTES = 120
    User.objects.filter(username__in=["rep1", "manager"]).update(email="staff@brightway.example")
    conversation = talk("Hola")
    handoff_start(conversation=conversation, reasons=[{"code": "test", "detail": "test"}])
    tuesday_10 = datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=tuesday_10, last_outbound_at=None
    )
    mail.outbox.clear()
    assert conversations_sla_check(now=tuesday_10 + timedelta(minutes=29)) == {
        "reminded": 0,
        "alerted": 0,
    }
    assert conversations_sla_check(now=tuesday_10 + timedelta(minutes=31)) == {
        "reminded": 1,
        "alerted": 0,
    }
    assert conversations_sla_check(now=tuesday_10 + timedelta(minutes=45)) == {
        "reminded": 0,
        "alerted": 0,
    }
    assert conversations_sla_check(now=tuesday_10 + timedelta(minutes=121)) == {
        "reminded": 0,
        "alerted": 1,
    }
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Reminder", "No reply yet"]
    # a rep's reply stops the clock; the buyer's next message starts it again
    Conversation.objects.filter(pk=conversation.pk).update(
        last_outbound_at=tuesday_10 + timedelta(hours=3)
    )
    assert conversations_sla_check(now=tuesday_10 + timedelta(hours=5)) == {
        "reminded": 0,
        "alerted": 0,
    }


def test_business_hours_pause_the_clock(talk):
    conversation = talk("Hola")
    handoff_start(conversation=conversation, reasons=[{"code": "test", "detail": "test"}])
    friday_1750 = datetime(2026, 11, 27, 17, 50, tzinfo=SHANGHAI)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_inbound_at=friday_1750, last_outbound_at=None
    )
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=SHANGHAI)
    assert conversations_sla_check(now=saturday)["reminded"] == 0  # 10 business minutes so far
    monday_0921 = datetime(2026, 11, 30, 9, 21, tzinfo=SHANGHAI)
    assert conversations_sla_check(now=monday_0921)["reminded"] == 1


def test_resolved_conversation_asks_for_a_rating_and_keeps_it(talk, locmem):
    conversation = talk("Hola")
    rep1 = APIClient()
    rep1.force_authenticate(User.objects.get(username="rep1"))
    assert (
        rep1.post(
            f"/api/v1/conversations/{conversation.pk}/reply/",
            {"text": "Hola Carlos"},
            format="json",
        ).status_code
        == 201
    )
    response = rep1.post(f"/api/v1/conversations/{conversation.pk}/resolve/")
    assert response.status_code == 200 and response.json()["status"] == "closed"
    survey = Message.objects.filter(conversation=conversation, sender="system").get()
    assert survey.language == "es" and "5" in survey.text
    again = rep1.post(f"/api/v1/conversations/{conversation.pk}/resolve/")
    assert again.status_code == 400  # resolved once
    talk("5")
    conversation.refresh_from_db()
    assert conversation.satisfaction == 5
    fact = ProfileFact.objects.get(kind="satisfaction", company=conversation.contact.company)
    assert fact.value == {"rating": 5, "conversation": conversation.pk}
    assert Conversation.objects.count() == 1  # the answer did not open a new conversation
    assert Message.objects.filter(conversation=conversation, sender="system").count() == 2  # thanks


def test_a_conversation_only_the_assistant_handled_gets_no_survey(talk):
    conversation = talk("Hola")
    manager = APIClient()
    manager.force_authenticate(User.objects.get(username="manager"))
    assert manager.post(f"/api/v1/conversations/{conversation.pk}/resolve/").status_code == 200
    assert not Message.objects.filter(sender="system").exists()
    talk("5")  # just a number now: a new conversation, no rating
    conversation.refresh_from_db()
    assert conversation.satisfaction is None


def test_console_resolve_button(talk, client):
    conversation = talk("Hola")
    client.force_login(User.objects.get(username="rep1"))
    response = client.post(f"/inbox/{conversation.pk}/resolve/")
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.CLOSED and conversation.resolved_at
    again = client.post(f"/inbox/{conversation.pk}/resolve/")
    assert again.status_code == 400
    client.force_login(User.objects.get(username="rep2"))
    assert client.post(f"/inbox/{conversation.pk}/resolve/").status_code == 404
