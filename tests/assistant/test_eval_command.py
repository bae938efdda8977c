"""The assistant_eval command: EVAL.md's output format, error lines, nothing left behind."""

import io
import json
import sys

import pytest
from django.core.management import call_command

from crm.models import ChannelIdentity, Company, Contact, Deal, Interaction, Order, Quote

CASES = [
    {
        "id": "t-1",
        "text": "Hola, necesito cotización de 500 reflectores 200W CIF Callao para fin de enero",
        "now": "2026-11-24T10:00:00+08:00",
        "contact": {"channel": "whatsapp", "address": "+51987654321"},
    },
    {
        "id": "t-2",
        "text": "Any update on SO-2026-0105?",
        "contact": {"channel": "email", "address": "new.buyer@example.org"},
        "history": [
            {"role": "buyer", "text": "Hi, we placed an order last month"},
            {"role": "assistant", "text": "Thank you, which order number?"},
        ],
    },
    {"id": "t-3", "text": "👍", "contact": {"channel": "telegram", "address": "999000111"}},
    {"id": "t-4", "text": None},
]


def run(lines: list[str], monkeypatch) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("assistant_eval", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Company, Contact, ChannelIdentity, Deal, Interaction, Order, Quote)
    }


@pytest.mark.django_db
def test_eval_writes_one_line_per_case_in_order_and_changes_nothing(demo, monkeypatch):
    before = counts()
    results = run([json.dumps(case) for case in CASES] + ["not json"], monkeypatch)
    assert counts() == before
    assert [result.get("id") for result in results] == ["t-1", "t-2", "t-3", "t-4", None]

    first = results[0]
    assert set(first) == {
        "id",
        "language",
        "intent",
        "entities",
        "sentiment",
        "sentiment_score",
        "escalate",
        "reply",
    }
    assert first["language"] == "es"
    assert first["intent"] == "quote_request"
    assert first["entities"]["items"] == [{"sku": "FL-200", "quantity": 500, "unit": "pcs"}]
    assert first["entities"]["destination_port"] == "Callao"
    assert first["entities"]["delivery_date"] == "2027-01-31"
    assert isinstance(first["escalate"], bool)
    assert first["reply"].strip()

    assert results[1]["intent"] == "order_status"
    assert results[1]["entities"]["order_number"] == "SO-2026-0105"
    assert results[2]["intent"] in ("thanks_goodbye", "other", "greeting")
    assert "error" in results[3]
    assert "error" in results[4]


@pytest.mark.django_db
def test_an_unknown_sender_becomes_a_prospect_only_inside_the_case(demo, monkeypatch):
    before = Contact.objects.count()
    case = {
        "id": "p-1",
        "text": "Hi",
        "contact": {"channel": "whatsapp", "address": "+2348035551212"},
    }
    [result] = run([json.dumps(case)], monkeypatch)
    assert result["intent"] == "greeting"
    assert Contact.objects.count() == before
