import io

import pytest
from django.core.management import CommandError, call_command

from crm.models import ExchangeRate, Order, Quote


@pytest.fixture
def rep1(api):
    return api.as_user("rep1")


def create_quote(client, demo, **extra):
    body = {
        "company": demo.companies["Iluminación Andina S.A.C."].pk,
        "items": [{"sku": "LP-6060-40", "quantity": 2000}],
        "incoterm": "CIF",
        "destination_country": "PE",
        "named_place": "Callao",
        **extra,
    }
    return client.post("/api/v1/quotes/", body, format="json")


def test_quote_to_order_through_the_api(rep1, demo):
    created = create_quote(rep1, demo)
    assert created.status_code == 201, created.json()
    quote = created.json()
    assert quote["status"] == "draft" and quote["lines"][0]["unit_price"] == "7.95"
    assert [c["kind"] for c in quote["components"]] == ["freight", "insurance"]
    sent = rep1.post(f"/api/v1/quotes/{quote['id']}/send/").json()
    assert sent["status"] == "sent"
    accepted = rep1.post(
        f"/api/v1/quotes/{quote['id']}/accept/",
        {"by": "Carlos Quispe", "channel": "whatsapp"},
        format="json",
    )
    assert accepted.status_code == 200 and accepted.json()["decided_via"] == "whatsapp"
    order = rep1.post("/api/v1/orders/", {"quote": quote["id"]}, format="json")
    assert order.status_code == 201, order.json()
    order = order.json()
    assert order["total"] == quote["total"] and order["status"] == "pending_payment"
    confirmed = rep1.post(
        f"/api/v1/orders/{order['id']}/transition/", {"status": "confirmed"}, format="json"
    )
    assert confirmed.json()["status"] == "confirmed"
    illegal = rep1.post(
        f"/api/v1/orders/{order['id']}/transition/", {"status": "delivered"}, format="json"
    )
    assert illegal.status_code == 400 and "status" in illegal.json()["error"]["fields"]
    paid = rep1.post(
        f"/api/v1/orders/{order['id']}/payments/",
        {"kind": "deposit", "amount": "1000.00", "currency": "USD", "received_on": "2026-11-20"},
        format="json",
    )
    assert paid.status_code == 201 and len(paid.json()["payments"]) == 1


def test_quote_bad_input(rep1, demo):
    response = create_quote(
        rep1,
        demo,
        items=[{"sku": "LP-6060-40", "quantity": 50}],
        incoterm="CIF",
        destination_country="",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "items" in fields and "destination_country" in fields
    assert Quote.objects.count() == 0


def test_revise_reject_and_expired_accept(rep1, demo):
    quote = create_quote(rep1, demo).json()
    rep1.post(f"/api/v1/quotes/{quote['id']}/send/")
    revised = rep1.post(
        f"/api/v1/quotes/{quote['id']}/revise/",
        {"items": [{"sku": "LP-6060-40", "quantity": 500}]},
        format="json",
    )
    assert revised.status_code == 201 and revised.json()["revision"] == 2
    again = rep1.post(
        f"/api/v1/quotes/{quote['id']}/accept/", {"by": "x", "channel": "email"}, format="json"
    )
    assert again.status_code == 400  # superseded
    rev2 = revised.json()["id"]
    assert (
        rep1.post(f"/api/v1/quotes/{rev2}/reject/", {"reason": "x"}, format="json").status_code
        == 400
    )  # a draft
    rep1.post(f"/api/v1/quotes/{rev2}/send/")
    rejected = rep1.post(
        f"/api/v1/quotes/{rev2}/reject/", {"reason": "Price", "channel": "email"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"


def test_quotes_and_orders_follow_visibility(api, demo):
    quote = create_quote(api.as_user("rep1"), demo).json()
    rep2 = api.as_user("rep2")
    assert rep2.get(f"/api/v1/quotes/{quote['id']}/").status_code == 404
    assert rep2.post(f"/api/v1/quotes/{quote['id']}/send/").status_code == 404
    assert rep2.post("/api/v1/orders/", {"quote": quote["id"]}, format="json").status_code == 404
    numbers = {o["number"] for o in rep2.get("/api/v1/orders/").json()["results"]}
    assert numbers == {"SO-2026-0103"}  # Al Noor is rep2's
    so101 = Order.objects.get(number="SO-2026-0101")
    assert rep2.get(f"/api/v1/orders/{so101.pk}/").status_code == 404


def test_order_detail_has_events_and_shipment(api, demo):
    so101 = Order.objects.get(number="SO-2026-0101")
    body = api.as_user("rep1").get(f"/api/v1/orders/{so101.pk}/").json()
    shipped = [e for e in body["events"] if e["to_status"] == "shipped"][0]
    assert shipped["vessel"] == "MSC Aurora" and shipped["eta"] == "2026-12-08"


def test_exchange_rates_admin_writes_reps_read(api):
    body = {"date": "2026-11-23", "base_currency": "USD", "quote_currency": "EUR", "rate": "0.9300"}
    assert (
        api.as_user("rep1").post("/api/v1/exchange-rates/", body, format="json").status_code == 403
    )
    assert (
        api.as_user("admin").post("/api/v1/exchange-rates/", body, format="json").status_code == 201
    )
    same = api.as_user("admin").post(
        "/api/v1/exchange-rates/", {**body, "quote_currency": "USD"}, format="json"
    )
    assert same.status_code == 400
    assert (
        api.as_user("rep1").get("/api/v1/exchange-rates/?quote_currency=EUR").json()["count"] >= 1
    )


def test_exchange_rates_csv_import_is_all_or_nothing(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("date,from,to,rate\n2026-11-23,USD,EUR,0.93\n2026-11-23,USD,CNY,7.09\n")
    out = io.StringIO()
    call_command("import_exchange_rates", str(good), stdout=out)
    assert "Imported 2" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,from,to,rate\n2026-11-24,USD,EUR,0.94\n2026-13-01,USD,EUR,x\n2026-11-24,USD,XXX,1\n"
    )
    with pytest.raises(CommandError) as error:
        call_command("import_exchange_rates", str(bad))
    assert "Row 3" in str(error.value)
    assert not ExchangeRate.objects.filter(date="2026-11-24").exists()


@pytest.mark.parametrize(
    "company, expected",
    [
        ("Lion City Electrical Pte. Ltd.", "一体化太阳能路灯 100W"),
        ("SibSvet LLC", "Солнечный уличный светильник «всё в одном» 100 Вт"),
    ],
)
def test_quote_pdf_in_the_buyers_language(api, demo, company, expected):
    from pypdf import PdfReader

    client = api.as_user("rep2")
    quote = client.post(
        "/api/v1/quotes/",
        {"company": demo.companies[company].pk, "items": [{"sku": "SL-AIO-100", "quantity": 40}]},
        format="json",
    ).json()
    response = client.get(f"/api/v1/quotes/{quote['id']}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert expected in text
    assert quote["number"] in text
    assert api.as_user("rep1").get(f"/api/v1/quotes/{quote['id']}/pdf/").status_code == 404
