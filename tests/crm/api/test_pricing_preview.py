"""POST /api/v1/pricing/preview: the contract other parts rely on."""

from datetime import date
from decimal import Decimal

import pytest

from crm.models import ExchangeRate, FreightRate, Quote

URL = "/api/v1/pricing/preview"


def preview(api, username="rep1", **body):
    return api.as_user(username).post(URL, body, format="json")


def test_contract_shape_and_money_as_strings(api):
    response = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 600}],
        tier="gold",
        incoterm="FOB",
        currency="USD",
        destination_country="PE",
    )
    assert response.status_code == 200
    body = response.json()
    assert {
        "currency",
        "lines",
        "subtotal",
        "components",
        "total",
        "lead_time_days",
        "cbm",
        "gross_kg",
        "warnings",
    } <= set(body)
    line = body["lines"][0]
    assert {"sku", "quantity", "unit_price", "line_total", "lead_time_days", "cartons"} <= set(line)
    assert (line["unit_price"], line["line_total"], line["lead_time_days"], line["cartons"]) == (
        "8.46",
        "5076.00",
        11,
        150,
    )
    assert (body["subtotal"], body["total"], body["components"]) == ("5076.00", "5076.00", [])
    assert body["warnings"]  # FOB to a destination: freight not included


def test_company_tier_applies(api, demo):
    andina = demo.companies["Iluminación Andina S.A.C."]  # silver, 3 %
    body = preview(api, items=[{"sku": "LP-6060-40", "quantity": 100}], company=andina.pk).json()
    assert body["tier"] == "silver" and body["lines"][0]["unit_price"] == "9.51"


def test_invisible_company_is_not_found(api, demo):
    response = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 100}],
        company=demo.companies["SibSvet LLC"].pk,
    )
    assert response.status_code == 400 and "company" in response.json()["error"]["fields"]


def test_cif_components_and_total(api):
    body = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 600}],
        tier="gold",
        incoterm="CIF",
        destination_country="PE",
    ).json()
    kinds = {c["kind"]: c["amount"] for c in body["components"]}
    assert kinds == {"freight": "465.00", "insurance": "18.29"}
    assert body["total"] == "5559.29"
    assert "Peru" in body["components"][0]["label"]


def test_multi_line_quote_lead_time_is_the_longest_line(api):
    body = preview(
        api,
        items=[
            {"sku": "LP-6060-40", "quantity": 2000},
            {"sku": "INV-H5K", "quantity": 60},
            {"sku": "T8-120-18", "quantity": 500},
        ],
    ).json()
    assert [line["lead_time_days"] for line in body["lines"]] == [11, 27, 9]
    assert body["lead_time_days"] == 27
    assert Decimal(body["subtotal"]) == sum(Decimal(line["line_total"]) for line in body["lines"])


def test_dated_currency_conversion_uses_the_rate_of_the_date(api):
    ExchangeRate.objects.all().delete()
    ExchangeRate.objects.create(
        date=date(2026, 11, 1), base_currency="USD", quote_currency="EUR", rate=Decimal("0.9000")
    )
    ExchangeRate.objects.create(
        date=date(2026, 11, 15), base_currency="USD", quote_currency="EUR", rate=Decimal("0.9500")
    )
    items = [{"sku": "LP-6060-40", "quantity": 500}]  # 8.90 USD
    early = preview(api, items=items, currency="EUR", date="2026-11-10").json()
    late = preview(api, items=items, currency="EUR", date="2026-11-20").json()
    assert early["lines"][0]["unit_price"] == "8.01"  # 8.90 × 0.90
    assert late["lines"][0]["unit_price"] == "8.46"  # 8.455 → 8.46
    assert (early["currency"], early["total"]) == ("EUR", "4005.00")
    too_early = preview(api, items=items, currency="EUR", date="2026-10-01")
    assert too_early.status_code == 400 and "currency" in too_early.json()["error"]["fields"]


def test_components_are_converted_too(api):
    ExchangeRate.objects.create(
        date=date(2026, 11, 20), base_currency="USD", quote_currency="CNY", rate=Decimal("7.1")
    )
    body = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 600}],
        tier="gold",
        incoterm="CFR",
        currency="CNY",
        destination_country="PE",
        date="2026-11-21",
    ).json()
    assert body["components"][0]["amount"] == "3301.50"  # 465 USD × 7.1
    assert body["lines"][0]["unit_price"] == "60.07"  # 8.46 × 7.1 = 60.066
    assert Decimal(body["total"]) == Decimal("60.07") * 600 + Decimal("3301.50")


@pytest.mark.parametrize(
    "body, field, fragment",
    [
        ({"items": [{"sku": "LP-6060-40", "quantity": 0}]}, "items", "more than zero"),
        ({"items": [{"sku": "LP-6060-40", "quantity": -10}]}, "items", "more than zero"),
        ({"items": [{"sku": "LP-6060-40", "quantity": 150.5}]}, "items", "whole number"),
        ({"items": [{"sku": "XX-1", "quantity": 100}]}, "items", "Unknown product"),
        (
            {"items": [{"sku": "LP-6060-40", "quantity": 99}]},
            "items",
            "minimum order quantity of 100",
        ),
        (
            {"items": [{"sku": "LP-6060-40", "quantity": 100}], "incoterm": "FAS"},
            "incoterm",
            "Unknown incoterm",
        ),
        (
            {"items": [{"sku": "LP-6060-40", "quantity": 100}], "incoterm": "CIF"},
            "destination_country",
            "needs a destination",
        ),
        (
            {"items": [{"sku": "LP-6060-40", "quantity": 100}], "currency": "JPY"},
            "currency",
            "No exchange rate",
        ),
        (
            {
                "items": [{"sku": "LP-6060-40", "quantity": 100}],
                "incoterm": "CFR",
                "destination_country": "KE",
            },
            "incoterm",
            "No freight rate",
        ),
        ({"items": []}, "items", ""),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_writes_nothing(api, body, field, fragment):
    quotes_before = Quote.objects.count()
    response = preview(api, **body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["fields"]
    assert fragment in str(error["fields"][field])
    assert Quote.objects.count() == quotes_before


def test_every_bad_item_is_reported_by_index(api):
    response = preview(
        api,
        items=[
            {"sku": "LP-6060-40", "quantity": 100},
            {"sku": "NOPE", "quantity": 1},
            {"sku": "HB-UFO-150", "quantity": 10},
        ],
    )
    items = response.json()["error"]["fields"]["items"]
    assert set(items) == {"1", "2"}
    assert "50" in items["2"][0]


def test_missing_freight_rate_for_a_known_country(api):
    FreightRate.objects.filter(destination_country="PE").delete()
    response = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 100}],
        incoterm="CFR",
        destination_country="PE",
    )
    assert response.status_code == 400


def test_next_break_hint_and_dangerous_goods_warning(api):
    body = preview(
        api,
        items=[{"sku": "LP-6060-40", "quantity": 1900}, {"sku": "BAT-LFP-12100", "quantity": 20}],
    ).json()
    text = " ".join(body["warnings"])
    assert "100 more units" in text and "UN3480" in text


def test_messages_in_the_users_language(api):
    response = api.as_user("rep1").post(
        URL,
        {"items": [{"sku": "LP-6060-40", "quantity": 99}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    message = response.json()["error"]["fields"]["items"]["0"][0]
    assert message == "99 低于 LP-6060-40 的最小起订量 100。"


def test_anonymous_cannot_preview(db):
    from rest_framework.test import APIClient

    assert APIClient().post(URL, {"items": []}, format="json").status_code == 401


@pytest.mark.parametrize("quantity", ["1e400", "1e500000", 10**12])
def test_absurd_quantities_are_refused_quickly(api, quantity):
    response = preview(api, items=[{"sku": "LP-6060-40", "quantity": quantity}])
    assert response.status_code == 400
    assert "cannot be more than" in str(response.json()["error"]["fields"]["items"])
