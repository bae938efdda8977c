"""The live console at /inbox/: reps see only conversations of customers they may see,
read the whole history safely escaped, and take over, hand back, transfer, reply and
note, with the services' refusals shown and nothing changed."""

import pytest
from django.test import Client

from channels_app.models import Conversation, ConversationStatus, Message, OutboundMessage
from channels_app.services.handoff import conversation_take_over
from crm.models import Interaction

HEADERS = {"HTTP_X_LOCMEM_TOKEN": "locmem"}
CARLOS = "+51987654321"  # Iluminación Andina, owned by rep1
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def talk(client, demo, locmem, django_capture_on_commit_callbacks):
    """Carlos writes on WhatsApp; returns his conversation."""
    counter = iter(range(1, 1000))

    def send(text):
        body = {"messages": [{"id": f"wamid.c{next(counter)}", "from": CARLOS, "text": text}]}
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/hooks/whatsapp/", body, content_type="application/json", **HEADERS
            )
        assert response.status_code == 200
        return Conversation.objects.get()

    return send


@pytest.fixture
def staff(demo):
    def signed_in(username):
        client = Client()
        client.force_login(demo.users[username])
        return client

    return signed_in


def test_anonymous_visitors_go_to_the_login_page(talk):
    conversation = talk("Hola")
    for url in ("/inbox/", f"/inbox/{conversation.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = Client().post(f"/inbox/{conversation.pk}/take-over/")
    assert response.status_code == 302
    assert Conversation.objects.get().status == ConversationStatus.BOT


def test_list_shows_only_conversations_the_rep_may_see(talk, staff):
    talk("Hola, ¿precio del panel LED 600x600?")
    mine = staff("rep1").get("/inbox/")
    assert mine.status_code == 200
    assert "Iluminación Andina" in mine.content.decode()
    theirs = staff("rep2").get("/inbox/")
    assert theirs.status_code == 200
    assert "Iluminación Andina" not in theirs.content.decode()
    assert "No open conversations." in theirs.content.decode()


def test_list_filters_and_search_answer_htmx_with_the_results_only(talk, staff):
    talk("Hola")
    rep1 = staff("rep1")
    found = rep1.get("/inbox/", {"q": "andina", "channel": "whatsapp"}, **HTMX)
    assert found.status_code == 200
    body = found.content.decode()
    assert "Iluminación Andina" in body and "<html" not in body
    assert "Iluminación Andina" not in rep1.get("/inbox/", {"mine": "on"}).content.decode()
    assert "Iluminación Andina" not in rep1.get("/inbox/", {"q": "nobody"}).content.decode()


def test_detail_of_a_customer_the_rep_may_not_see_is_404(talk, staff):
    conversation = talk("Hola")
    assert staff("rep2").get(f"/inbox/{conversation.pk}/").status_code == 404
    assert staff("rep2").get(f"/inbox/{conversation.pk}/messages/").status_code == 404
    assert staff("rep2").post(f"/inbox/{conversation.pk}/take-over/").status_code == 404
    assert staff("rep1").get(f"/inbox/{conversation.pk}/").status_code == 200


def test_a_buyers_script_is_shown_as_text(talk, staff):
    conversation = talk("<script>alert('x')</script> precio del panel")
    page = staff("rep1").get(f"/inbox/{conversation.pk}/").content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page
    log = staff("rep1").get(f"/inbox/{conversation.pk}/messages/").content.decode()
    assert "<script>alert(" not in log and "&lt;script&gt;" in log


def test_take_over_gives_the_conversation_to_the_rep(talk, staff):
    conversation = talk("Hola")
    response = staff("rep1").post(f"/inbox/{conversation.pk}/take-over/", **HTMX)
    assert response.status_code == 200
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HUMAN
    assert conversation.assigned_to.username == "rep1"


def test_second_take_over_is_refused_and_changes_nothing(talk, staff, demo):
    conversation = talk("Hola")
    conversation_take_over(conversation=conversation, user=demo.users["rep1"])
    for extra in (HTMX, {}):
        response = staff("manager").post(f"/inbox/{conversation.pk}/take-over/", **extra)
        assert response.status_code == 400
        assert "has this conversation already" in response.content.decode()
        conversation.refresh_from_db()
        assert conversation.assigned_to.username == "rep1"


def test_reply_queues_a_staff_message_in_the_outbox(talk, staff):
    conversation = talk("Hola")
    response = staff("rep1").post(
        f"/inbox/{conversation.pk}/reply/", {"text": "Le escribo yo, Ana."}, **HTMX
    )
    assert response.status_code == 200
    reply = Message.objects.get(sender="staff")
    assert reply.text == "Le escribo yo, Ana." and reply.sender_user.username == "rep1"
    assert OutboundMessage.objects.filter(message=reply).exists()
    assert "Le escribo yo, Ana." in response.content.decode()  # the refreshed log
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.HUMAN


def test_empty_reply_is_refused(talk, staff):
    conversation = talk("Hola")
    response = staff("rep1").post(f"/inbox/{conversation.pk}/reply/", {"text": "  "}, **HTMX)
    assert response.status_code == 400
    assert not Message.objects.filter(sender="staff").exists()


def test_reply_to_a_closed_conversation_is_refused_and_nothing_is_queued(talk, staff):
    conversation = talk("Hola")
    Conversation.objects.filter(pk=conversation.pk).update(status=ConversationStatus.CLOSED)
    queued = OutboundMessage.objects.count()
    response = staff("rep1").post(f"/inbox/{conversation.pk}/reply/", {"text": "¿Sigue ahí?"})
    assert response.status_code == 400
    assert "This conversation is closed." in response.content.decode()
    assert not Message.objects.filter(sender="staff").exists()
    assert OutboundMessage.objects.count() == queued


def test_hand_back_returns_to_the_assistant_and_twice_is_an_error(talk, staff, demo):
    conversation = talk("Hola")
    conversation_take_over(conversation=conversation, user=demo.users["rep1"])
    rep1 = staff("rep1")
    response = rep1.post(f"/inbox/{conversation.pk}/hand-back/")
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT
    again = rep1.post(f"/inbox/{conversation.pk}/hand-back/", **HTMX)
    assert again.status_code == 400
    assert "Only a conversation a person has can be handed back." in again.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT


def test_assign_to_someone_who_may_not_see_the_customer_is_refused(talk, staff, demo):
    conversation = talk("Hola")
    rep1 = staff("rep1")
    refused = rep1.post(
        f"/inbox/{conversation.pk}/assign/", {"assignee": demo.users["rep2"].pk}, **HTMX
    )
    assert refused.status_code == 400
    assert "may not see this customer" in refused.content.decode()
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.BOT and conversation.assigned_to is None

    page = rep1.get(f"/inbox/{conversation.pk}/").content.decode()
    assert f'value="{demo.users["rep2"].pk}"' not in page  # not offered either
    done = rep1.post(f"/inbox/{conversation.pk}/assign/", {"assignee": demo.users["manager"].pk})
    assert done.status_code == 302
    conversation.refresh_from_db()
    assert conversation.assigned_to.username == "manager"
    assert conversation.status == ConversationStatus.HUMAN


def test_note_adds_an_internal_interaction_to_the_timeline(talk, staff, demo):
    conversation = talk("Hola")
    response = staff("rep1").post(
        f"/inbox/{conversation.pk}/note/", {"text": "Prefiere llamadas por la tarde."}, **HTMX
    )
    assert response.status_code == 200
    note = Interaction.objects.get(text="Prefiere llamadas por la tarde.")
    assert note.direction == "internal" and note.author_user == demo.users["rep1"]
    assert note.company == demo.companies["Iluminación Andina S.A.C."]
    assert note.contact == conversation.contact


def test_escalated_conversation_shows_its_summary_in_the_reps_language(talk, staff, demo):
    talk("Hola, ¿precio del panel LED 600x600?")
    conversation = talk(
        "Las lámparas llegaron rotas, es inaceptable. Quiero hablar con una persona."
    )
    assert conversation.status == ConversationStatus.HUMAN
    rep1 = staff("rep1")
    page = rep1.get(f"/inbox/{conversation.pk}/").content.decode()
    assert "Why it escalated" in page and "What the assistant answered" in page
    listing = rep1.get("/inbox/").content.decode()
    assert "Escalated" in listing
    spanish = rep1.get(f"/inbox/{conversation.pk}/", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 200


def test_waiting_time_shows_until_someone_answers(talk, staff, demo):
    conversation = talk("Hola")
    conversation_take_over(conversation=conversation, user=demo.users["rep1"])
    talk("¿Hay alguien?")  # the assistant stays silent while a person has it
    rep1 = staff("rep1")
    assert "Answered" not in rep1.get("/inbox/").content.decode()
    rep1.post(f"/inbox/{conversation.pk}/reply/", {"text": "Sí, aquí estoy."})
    assert "Answered" in rep1.get("/inbox/").content.decode()
