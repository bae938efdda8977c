from channels_app.models import Message
from tests.channels_app.test_pipeline import message, post


def load(client, locmem, capture):
    with capture(execute=True):
        post(client, message("wamid.api1", text="Hola, necesito paneles LED"))
        post(
            client, message("wamid.api2", sender="+971501234567", text="السلام عليكم، أريد عرض سعر")
        )


def test_conversations_and_messages_follow_visibility(
    api, client, locmem, django_capture_on_commit_callbacks
):
    load(client, locmem, django_capture_on_commit_callbacks)
    rep1 = api.as_user("rep1")
    conversations = rep1.get("/api/v1/conversations/").json()
    assert (
        conversations["count"] == 1
        and conversations["results"][0]["company_name"] == "Iluminación Andina S.A.C."
    )
    messages = rep1.get("/api/v1/messages/").json()
    assert messages["count"] == 2
    hidden = Message.objects.get(provider_message_id="wamid.api2")
    assert rep1.get(f"/api/v1/messages/{hidden.pk}/").status_code == 404
    assert api.as_user("manager").get("/api/v1/messages/").json()["count"] == 4


def test_message_filters_and_search(api, client, locmem, django_capture_on_commit_callbacks):
    load(client, locmem, django_capture_on_commit_callbacks)
    manager = api.as_user("manager")
    conversation = manager.get("/api/v1/conversations/?channel=whatsapp&search=Noor").json()[
        "results"
    ][0]
    inbound = manager.get(
        f"/api/v1/messages/?conversation={conversation['id']}&direction=in"
    ).json()
    assert [m["text"] for m in inbound["results"]] == ["السلام عليكم، أريد عرض سعر"]
    assert manager.get("/api/v1/messages/?search=paneles").json()["count"] == 1
    outbound = manager.get("/api/v1/messages/?direction=out&channel=whatsapp").json()["results"]
    assert {m["outbound_status"] for m in outbound} == {"sent"}
    assert manager.get("/api/v1/messages/?direction=sideways").status_code == 400


def test_anonymous_cannot_read_messages(client, db):
    assert client.get("/api/v1/messages/").status_code in (401, 403)


def test_merging_contacts_moves_everything_and_keeps_an_audit(
    api, client, demo, locmem, django_capture_on_commit_callbacks
):
    from channels_app.models import Conversation
    from crm.models import ChannelIdentity, Contact, ContactMerge, Interaction

    with django_capture_on_commit_callbacks(execute=True):
        post(
            client,
            message(
                "wamid.m1",
                sender="+51912345678",
                text="Hola, soy Carlos desde otro número",
                name="Carlos Q.",
            ),
        )
    duplicate = ChannelIdentity.objects.get(address="+51912345678").contact
    carlos = Contact.objects.get(name="Carlos Quispe")
    assert duplicate.company.is_prospect and duplicate.pk != carlos.pk
    response = api.as_user("admin").post(
        "/api/v1/contact-merges/", {"source": duplicate.pk, "target": carlos.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (
        response.json()["moved"]["conversations"] == 1
        and response.json()["moved"]["identities"] == 1
    )
    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert ChannelIdentity.objects.get(address="+51912345678").contact == carlos
    assert Conversation.objects.filter(contact=carlos).count() == 1
    assert Interaction.objects.filter(contact=carlos, text__contains="otro número").exists()
    assert "+51912345678" in Contact.objects.get(pk=carlos.pk).phones
    audit = ContactMerge.objects.get()
    assert (audit.source_name, audit.merged_by.username, audit.target) == (
        "Carlos Q.",
        "admin",
        carlos,
    )


def test_merge_needs_both_contacts_visible(api, demo):
    from crm.models import Contact

    carlos, omar = (
        Contact.objects.get(name="Carlos Quispe"),
        Contact.objects.get(name="Omar Haddad"),
    )
    response = api.as_user("rep1").post(
        "/api/v1/contact-merges/", {"source": omar.pk, "target": carlos.pk}, format="json"
    )
    assert response.status_code == 404
    assert Contact.objects.filter(pk=omar.pk).exists()
    same = api.as_user("admin").post(
        "/api/v1/contact-merges/", {"source": carlos.pk, "target": carlos.pk}, format="json"
    )
    assert same.status_code == 400
