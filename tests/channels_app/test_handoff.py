"""The assistant steps aside and people take over: handoff with reasons and summary, the
assistant silent (but still understanding) while a person has the conversation,
atomic take-over, hand-back, staff replies, and the API's visibility."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from assistant.models import AssistantTurn
from channels_app.models import Conversation, ConversationStatus, Message
from channels_app.services.handoff import conversation_take_over
from crm.models import Interaction, User
from crm.services.demo import demo_data_load

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}
CARLOS = "+51987654321"  # Iluminación Andina, owned by rep1


def say(client, text, number=[0]):  # noqa: B006 - a counter for unique message ids
    number[0] += 1
    body = {"messages": [{"id": f"wamid.h{number[0]}", "from": CARLOS, "text": text}]}
    response = client.post("/hooks/whatsapp/", body, content_type="application/json", **HEADERS)
    assert response.status_code == 200


@pytest.fixture
def talk(client, demo, locmem, django_capture_on_commit_callbacks):
    def send(text):
        with django_capture_on_commit_callbacks(execute=True):
            say(client, text)
        return Conversation.objects.get()

    return send


def api(username):
    client = APIClient()
    client.force_authenticate(User.objects.get(username=username))
    return client


def test_complaint_hands_over_to_the_owner_with_reasons_and_summary(talk, locmem):
    conversation = talk("Hola, ¿precio del panel LED 600x600?")
    assert conversation.status == ConversationStatus.BOT
    conversation = talk(
        "Las lámparas llegaron rotas, es inaceptable. Quiero hablar con una persona."
    )
    assert conversation.status == ConversationStatus.HUMAN
    assert conversation.assigned_to.username == "rep1"
    assert conversation.escalated_at is not None
    codes = {reason["code"] for reason in conversation.escalation_reasons}
    assert "intent" in codes
    summary = conversation.handoff_summary
    assert summary["company"] == "Iluminación Andina S.A.C." and summary["tier"] == "silver"
    assert summary["intent"] in ("complaint", "human_handoff")
    assert summary["sentiment_trend"][-1] == "negative"
    assert len(summary["answered"]) == 1  # what the assistant had said before stepping aside
    assert locmem.outbox[-1].text  # the buyer was told a person follows up


def test_assistant_is_silent_but_listening_while_a_person_has_it(talk, locmem):
    conversation = talk("Hola")
    conversation_take_over(conversation=conversation, user=User.objects.get(username="rep1"))
    sent = len(locmem.outbox)
    talk("¿Cuál es el precio de 2000 paneles LED 600x600 CIF Callao?")
    assert len(locmem.outbox) == sent  # no assistant reply
    assert not Message.objects.filter(direction="out", sequence__gt=2).exists()
    turn = AssistantTurn.objects.filter(conversation_id=conversation.pk).first()
    assert turn.action == "silent" and turn.intent == "quote_request"
    inbound = Interaction.objects.filter(direction="in", text__startswith="¿Cuál es").get()
    assert inbound.intent == "quote_request"  # understood and recorded all the same


def test_hand_back_lets_the_assistant_answer_again(talk, locmem):
    conversation = talk("Hola")
    rep1 = api("rep1")
    assert rep1.post(f"/api/v1/conversations/{conversation.pk}/take-over/").status_code == 200
    response = rep1.post(f"/api/v1/conversations/{conversation.pk}/hand-back/")
    assert response.status_code == 200 and response.json()["status"] == "bot"
    sent = len(locmem.outbox)
    talk("¿Precio del panel LED 600x600?")
    assert len(locmem.outbox) == sent + 1
    again = rep1.post(f"/api/v1/conversations/{conversation.pk}/hand-back/")
    assert again.status_code == 400  # not with a person any more


def test_staff_reply_goes_out_through_the_channel(talk, locmem):
    conversation = talk("Hola")
    response = api("rep1").post(
        f"/api/v1/conversations/{conversation.pk}/reply/",
        {"text": "Buenos días Carlos, <b>soy Rep1</b>."},
        format="json",
    )
    assert response.status_code == 201, response.content
    reply = Message.objects.get(pk=response.json()["id"])
    assert (reply.sender, reply.sender_user.username) == ("staff", "rep1")
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HUMAN  # replying took it over


def test_bad_console_actions_are_refused_and_change_nothing(talk):
    conversation = talk("Hola")
    url = f"/api/v1/conversations/{conversation.pk}"
    rep2 = api("rep2")  # Andina is rep1's customer
    for action in ("take-over", "hand-back", "reply"):
        assert rep2.post(f"{url}/{action}/", {"text": "x"}, format="json").status_code == 404
    rep1 = api("rep1")
    assert rep1.post(f"{url}/reply/", {"text": "   "}, format="json").status_code == 400
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED)
    closed = rep1.post(f"{url}/reply/", {"text": "hola"}, format="json")
    assert closed.status_code == 400
    assert Message.objects.filter(sender="staff").count() == 0
    rep2_user = User.objects.get(username="rep2")
    assign = rep1.post(f"{url}/assign/", {"assignee": rep2_user.pk}, format="json")
    assert assign.status_code == 400  # rep2 may not see the customer


@pytest.mark.django_db(transaction=True)
def test_take_over_is_atomic_one_rep_wins(locmem):
    demo_data_load()
    from django.test import Client

    say(Client(), "Hola")
    conversation = Conversation.objects.get()
    manager = User.objects.get(username="manager")
    rep1 = User.objects.get(username="rep1")
    barrier = threading.Barrier(2)
    outcomes = {}

    def take(user):
        try:
            barrier.wait()
            conversation_take_over(conversation=conversation, user=user)
            outcomes[user.username] = "won"
        except ValidationError as error:
            outcomes[user.username] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(user,)) for user in (manager, rep1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()).count("won") == 1
    winner = next(name for name, outcome in outcomes.items() if outcome == "won")
    loser = next(name for name in outcomes if name != winner)
    assert "has this conversation already" in outcomes[loser]
    assert Conversation.objects.get().assigned_to.username == winner


def test_a_rule_hands_over_and_the_buyer_is_told(talk, locmem):
    talk("¿Precio del panel LED 600x600?")
    conversation = talk("¿Precio del panel LED 600x600?")  # the same request again
    assert conversation.status == ConversationStatus.HUMAN
    assert [reason["code"] for reason in conversation.escalation_reasons] == ["repeated"]
    answer, notice = locmem.outbox[-1].text.rsplit("\n\n", 1)
    assert "9,51" in answer  # the assistant still answered
    assert "China" in notice  # and said when a person replies, in the seller's time


def test_handoff_prefers_whoever_is_online(talk, demo):
    from channels_app.services.console import console_presence_clear, console_presence_mark
    from channels_app.services.handoff import assignee_for

    conversation = talk("Hola")
    andina = conversation.contact.company
    rep1, manager = User.objects.get(username="rep1"), User.objects.get(username="manager")
    assert assignee_for(conversation) == rep1  # nobody online: the owner still
    andina.owner = manager
    andina.save()
    conversation.refresh_from_db()
    console_presence_mark(rep1.pk)
    try:
        assert assignee_for(conversation) == rep1  # the owner is away: an online team rep
        console_presence_mark(manager.pk)
        assert assignee_for(conversation) == manager  # the owner is online
    finally:
        console_presence_clear(rep1.pk)
        console_presence_clear(manager.pk)
