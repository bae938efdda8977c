"""CRUD, filters and bad input for the CRM's other resources."""

import pytest

from crm.models import (
    ChannelIdentity,
    Contact,
    Deal,
    Interaction,
    Pipeline,
    Product,
    Stage,
    StageChange,
    Task,
)


def test_contact_crud_and_phone_validation(api, demo):
    client = api.as_user("rep2")
    sibsvet = demo.companies["SibSvet LLC"]
    bad = client.post(
        "/api/v1/contacts/",
        {"company": sibsvet.pk, "name": "Olga", "phones": ["8 913 000 00 00"]},
        format="json",
    )
    assert bad.status_code == 400 and "phones" in bad.json()["error"]["fields"]
    assert not Contact.objects.filter(name="Olga").exists()
    created = client.post(
        "/api/v1/contacts/",
        {
            "company": sibsvet.pk,
            "name": "Olga",
            "phones": ["+79130000000"],
            "emails": ["olga@sibsvet.ru"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    contact_id = created.json()["id"]
    assert client.get(f"/api/v1/contacts/?company={sibsvet.pk}").json()["count"] == 2
    assert (
        client.patch(
            f"/api/v1/contacts/{contact_id}/", {"job_title": "Buyer"}, format="json"
        ).json()["job_title"]
        == "Buyer"
    )
    assert client.delete(f"/api/v1/contacts/{contact_id}/").status_code == 204


def test_contact_cannot_be_created_at_an_invisible_company(api, demo):
    response = api.as_user("rep2").post(
        "/api/v1/contacts/",
        {"company": demo.companies["Solaris Energia Ltda."].pk, "name": "Spy"},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["error"]["fields"]["company"][0]
    assert not Contact.objects.filter(name="Spy").exists()


def test_channel_identities_unique_per_channel(api, demo):
    client = api.as_user("rep1")
    carlos = Contact.objects.get(name="Carlos Quispe")
    duplicate = client.post(
        "/api/v1/channel-identities/",
        {"contact": carlos.pk, "channel": "whatsapp", "address": "+51987654321"},
        format="json",
    )
    assert duplicate.status_code == 400
    created = client.post(
        "/api/v1/channel-identities/",
        {"contact": carlos.pk, "channel": "telegram", "address": "123456789"},
        format="json",
    )
    assert created.status_code == 201
    assert ChannelIdentity.objects.filter(contact=carlos).count() == 3
    assert (
        api.as_user("rep2").get(f"/api/v1/channel-identities/{created.json()['id']}/").status_code
        == 404
    )
    assert (
        api.as_user("rep2").get("/api/v1/channel-identities/?channel=telegram").json()["count"] == 1
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("zh-hans", "LED面板灯 600x600 40W"),
        ("ar", "لوحة إضاءة LED مقاس 600×600 بقدرة 40 واط"),
        ("de", "LED-Panel 600x600 40W"),
    ],
)
def test_products_in_the_requested_language(api, lang, expected):
    body = api.as_user("rep1").get(f"/api/v1/products/?lang={lang}&search=LP-6060").json()
    product = body["results"][0]
    assert product["name"] == expected
    assert product["translations"]["en"]["name"] == "LED Panel Light 600x600 40W"
    assert set(product["translations"]) == {"en", "zh-hans", "es", "pt", "ru", "ar", "fr", "de"}
    assert product["carton"] == {"units": 4, "gross_kg": "14.000", "cbm": "0.0500"}


def test_products_follow_accept_language(api):
    body = (
        api.as_user("rep1").get("/api/v1/products/?search=HB-UFO", HTTP_ACCEPT_LANGUAGE="ru").json()
    )
    assert body["results"][0]["name"] == "Светодиодный промышленный светильник UFO 150 Вт"


def test_unknown_language_is_a_400(api):
    response = api.as_user("rep1").get("/api/v1/products/?lang=xx")
    assert response.status_code == 400 and "lang" in response.json()["error"]["fields"]


def test_product_search_in_chinese(api):
    body = api.as_user("rep1").get("/api/v1/products/?search=太阳能").json()
    assert {row["sku"] for row in body["results"]} == {"SL-AIO-100", "INV-H5K", "PV-M450"}


def test_catalog_is_read_only_for_reps_and_validated_for_admins(api):
    payload = {
        "sku": "NEW-1",
        "category": "indoor",
        "name": "New lamp",
        "unit": "pcs",
        "moq": -5,
        "carton_units": 10,
        "carton_gross_kg": "5.0",
        "carton_cbm": "0.02",
        "base_lead_days": 10,
        "daily_capacity": 100,
    }
    assert api.as_user("rep1").post("/api/v1/products/", payload, format="json").status_code == 403
    response = api.as_user("admin").post("/api/v1/products/", payload, format="json")
    assert response.status_code == 400 and "moq" in response.json()["error"]["fields"]
    assert not Product.objects.filter(sku="NEW-1").exists()
    payload["moq"] = 50
    assert api.as_user("admin").post("/api/v1/products/", payload, format="json").status_code == 201


def test_price_breaks_and_lists(api):
    client = api.as_user("rep1")
    breaks = client.get("/api/v1/price-breaks/?sku=LP-6060-40&ordering=min_quantity").json()[
        "results"
    ]
    assert [(b["min_quantity"], b["unit_price"], b["currency"]) for b in breaks] == [
        (100, "9.8000", "USD"),
        (500, "8.9000", "USD"),
        (2000, "8.2000", "USD"),
    ]
    lists = client.get("/api/v1/price-lists/").json()["results"]
    assert lists[0]["basis"] == "FOB Ningbo" and lists[0]["is_default"]


def test_pipelines_with_ordered_stages(api):
    pipeline = api.as_user("rep1").get("/api/v1/pipelines/").json()["results"][0]
    assert [s["name"] for s in pipeline["stages"]] == [
        "New inquiry",
        "Qualified",
        "Quote sent",
        "Negotiation",
        "Won",
        "Lost",
    ]
    stages = (
        api.as_user("rep1").get(f"/api/v1/stages/?pipeline={pipeline['id']}&is_won=true").json()
    )
    assert [s["name"] for s in stages["results"]] == ["Won"]


def test_deal_create_move_and_history(api, demo):
    client = api.as_user("rep2")
    sibsvet = demo.companies["SibSvet LLC"]
    created = client.post(
        "/api/v1/deals/",
        {"title": "T8 tubes", "company": sibsvet.pk, "amount": "18500.00"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    deal = created.json()
    assert (deal["stage_name"], deal["probability"], deal["currency"]) == ("New inquiry", 10, "USD")
    negotiation = demo.pipeline.stages.get(name="Negotiation")
    moved = client.post(
        f"/api/v1/deals/{deal['id']}/move/",
        {"stage": negotiation.pk, "note": "Counter-offer"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["stage_name"] == "Negotiation"
    history = client.get(f"/api/v1/deals/{deal['id']}/history/").json()
    assert [(h["from_stage_name"], h["to_stage_name"]) for h in history] == [
        (None, "New inquiry"),
        ("New inquiry", "Negotiation"),
    ]
    assert history[1]["changed_by"]["username"] == "rep2"


def test_deal_bad_input(api, demo):
    client = api.as_user("rep2")
    deal = Deal.objects.get(title="High bays for a logistics hub")
    other = Pipeline.objects.create(name="Distributors")
    foreign_stage = Stage.objects.create(
        pipeline=other, name="Lead", order=1, default_probability=5
    )
    before = (deal.stage_id, StageChange.objects.count())
    unknown = client.post(f"/api/v1/deals/{deal.pk}/move/", {"stage": 999999}, format="json")
    assert unknown.status_code == 400 and "stage" in unknown.json()["error"]["fields"]
    wrong = client.post(
        f"/api/v1/deals/{deal.pk}/move/", {"stage": foreign_stage.pk}, format="json"
    )
    assert wrong.status_code == 400
    assert "another pipeline" in wrong.json()["error"]["fields"]["stage"][0]
    direct = client.patch(f"/api/v1/deals/{deal.pk}/", {"stage": foreign_stage.pk}, format="json")
    assert direct.status_code == 400
    negative = client.patch(f"/api/v1/deals/{deal.pk}/", {"amount": "-5"}, format="json")
    assert negative.status_code == 400 and "amount" in negative.json()["error"]["fields"]
    deal.refresh_from_db()
    assert (deal.stage_id, StageChange.objects.count()) == before
    invisible = Deal.objects.get(title="Solar modules, Q1 2027 projects")
    assert (
        client.post(
            f"/api/v1/deals/{invisible.pk}/move/", {"stage": foreign_stage.pk}, format="json"
        ).status_code
        == 404
    )


def test_deal_filters(api, demo):
    client = api.as_user("manager")
    won = demo.pipeline.stages.get(name="Won")
    assert [d["title"] for d in client.get(f"/api/v1/deals/?stage={won.pk}").json()["results"]] == [
        "A60 bulbs reorder"
    ]
    big = client.get("/api/v1/deals/?amount_min=100000").json()["results"]
    assert all(float(d["amount"]) >= 100000 for d in big) and big


def test_interactions_read_and_notes(api, demo):
    client = api.as_user("rep1")
    notes_before = Interaction.objects.filter(kind="note", author_user=demo.users["rep1"]).count()
    timeline = client.get(
        f"/api/v1/interactions/?company={demo.companies['Solaris Energia Ltda.'].pk}"
    ).json()
    assert timeline["count"] == 2
    assert client.get("/api/v1/interactions/?direction=in&channel=whatsapp").json()["count"] == 2
    note = client.post(
        "/api/v1/interactions/",
        {"company": demo.companies["Solaris Energia Ltda."].pk, "text": "Called Ana"},
        format="json",
    )
    assert note.status_code == 201 and note.json()["kind"] == "note"
    assert note.json()["author_user"]["username"] == "rep1"
    empty = client.post(
        "/api/v1/interactions/",
        {"company": demo.companies["Solaris Energia Ltda."].pk, "text": " "},
        format="json",
    )
    assert empty.status_code == 400
    foreign = client.post(
        "/api/v1/interactions/",
        {"company": demo.companies["SibSvet LLC"].pk, "text": "x"},
        format="json",
    )
    assert foreign.status_code == 400
    assert (
        Interaction.objects.filter(kind="note", author_user=demo.users["rep1"]).count()
        == notes_before + 1
    )
    hidden = Interaction.objects.filter(company=demo.companies["SibSvet LLC"]).first()
    assert client.get(f"/api/v1/interactions/{hidden.pk}/").status_code == 404
    assert client.delete(f"/api/v1/interactions/{note.json()['id']}/").status_code == 405


def test_tasks(api, demo):
    client = api.as_user("rep1")
    volt = demo.companies["Volt Distribution GmbH"]
    created = client.post(
        "/api/v1/tasks/",
        {"title": "Call Jonas", "company": volt.pk, "due_at": "2026-12-01T09:00:00Z"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    task_id = created.json()["id"]
    done = client.patch(f"/api/v1/tasks/{task_id}/", {"done": True}, format="json").json()
    assert done["done"] and done["done_at"]
    assert (
        client.get("/api/v1/tasks/?done=false").json()["count"]
        == Task.objects.filter(done=False, company__owner=demo.users["rep1"]).count()
    )
    assert api.as_user("rep2").get(f"/api/v1/tasks/{task_id}/").status_code == 404
    bad = client.post(
        "/api/v1/tasks/", {"title": "x", "company": volt.pk, "due_at": "tomorrow"}, format="json"
    )
    assert bad.status_code == 400 and "due_at" in bad.json()["error"]["fields"]
