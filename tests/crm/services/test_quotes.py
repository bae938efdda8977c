import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from crm.models import Deal, Interaction, Quote, QuoteStatus, Task
from crm.services.demo import demo_data_load
from crm.services.quotes import (
    quote_accept,
    quote_create,
    quote_reject,
    quote_revise,
    quote_send,
    quotes_expire,
)

ITEMS = [{"sku": "LP-6060-40", "quantity": 600}, {"sku": "DL-6-12", "quantity": 1000}]


@pytest.fixture
def andina(demo):
    return demo.companies["Iluminación Andina S.A.C."]


def test_quote_is_priced_numbered_and_opens_a_deal(demo, andina):
    quote = quote_create(
        user=demo.users["rep1"],
        company=andina,
        items=ITEMS,
        incoterm="CIF",
        destination_country="PE",
        named_place="Callao",
    )
    year = timezone.localdate().year
    assert quote.number.startswith(f"Q-{year}-") and quote.revision == 1
    assert quote.status == QuoteStatus.DRAFT
    assert [(line.sku, str(line.unit_price)) for line in quote.lines.all()] == [
        ("LP-6060-40", "8.63"),
        ("DL-6-12", "2.76"),
    ]
    assert quote.subtotal == sum(line.line_total for line in quote.lines.all())
    assert quote.total == quote.subtotal + sum(c.amount for c in quote.components.all())
    assert {c.kind for c in quote.components.all()} == {"freight", "insurance"}
    assert quote.valid_until == quote.issued_on + timedelta(days=30)
    assert quote.lead_time_days == 11 and quote.language == "es"
    assert quote.lines.first().description == "Panel LED 600x600 40W"  # the buyer's language
    assert quote.deal.stage.name == "New inquiry" and quote.deal.amount == quote.total


def test_bad_quote_input_writes_nothing(demo, andina):
    before = (Quote.objects.count(), Deal.objects.count(), Interaction.objects.count())
    with pytest.raises(ValidationError) as error:
        quote_create(
            user=None, company=andina, items=[{"sku": "LP-6060-40", "quantity": 10}], incoterm="DDP"
        )
    assert {"items", "destination_country"} <= set(error.value.message_dict)
    assert "Item 1" in error.value.message_dict["items"][0]
    assert (Quote.objects.count(), Deal.objects.count(), Interaction.objects.count()) == before


def test_numbers_are_gap_free_and_survive_a_failed_quote(demo, andina):
    first = quote_create(user=None, company=andina, items=ITEMS)
    with pytest.raises(ValidationError):
        quote_create(user=None, company=andina, items=[{"sku": "NOPE", "quantity": 1}])
    second = quote_create(user=None, company=andina, items=ITEMS)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_quotes_get_unique_gap_free_numbers():
    demo_data_load()
    from crm.models import Company

    company = Company.objects.get(legal_name="Iluminación Andina S.A.C.")
    numbers, errors = [], []
    barrier = threading.Barrier(20)

    def create():
        try:
            barrier.wait()
            numbers.append(
                quote_create(
                    user=None, company=company, items=[{"sku": "FL-200", "quantity": 50}]
                ).number
            )
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequence = sorted(int(number.rsplit("-", 1)[1]) for number in numbers)
    assert sequence == list(range(1, 21))
    assert len(set(numbers)) == 20


def test_sending_moves_the_deal_to_quote_sent_and_records_it(demo, andina):
    quote = quote_create(user=demo.users["rep1"], company=andina, items=ITEMS)
    quote_send(quote=quote, user=demo.users["rep1"])
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT and quote.sent_at
    assert Deal.objects.get(pk=quote.deal_id).stage.name == "Quote sent"
    assert Interaction.objects.filter(
        deal=quote.deal, kind="system", text__contains="sent"
    ).exists()
    with pytest.raises(ValidationError):
        quote_send(quote=quote, user=None)


def test_sending_does_not_move_a_deal_backwards(demo, andina):
    deal = Deal.objects.get(title="Solar modules, Q1 2027 projects")  # Negotiation
    quote = quote_create(
        user=None, company=deal.company, deal=deal, items=[{"sku": "PV-M450", "quantity": 1500}]
    )
    quote_send(quote=quote, user=None)
    assert Deal.objects.get(pk=deal.pk).stage.name == "Negotiation"


def test_acceptance_records_who_when_channel_and_wins_the_deal(demo, andina):
    quote = quote_create(user=None, company=andina, items=ITEMS)
    quote_send(quote=quote, user=None)
    quote_accept(quote=quote, accepted_by="Carlos Quispe", channel="whatsapp")
    quote.refresh_from_db()
    assert (quote.status, quote.decided_by, quote.decided_via) == (
        "accepted",
        "Carlos Quispe",
        "whatsapp",
    )
    deal = Deal.objects.get(pk=quote.deal_id)
    assert deal.stage.name == "Won" and deal.amount == quote.total and deal.closed_at


def test_an_expired_quote_cannot_be_accepted(demo, andina):
    quote = quote_create(
        user=None, company=andina, items=ITEMS, issued_on=timezone.localdate() - timedelta(days=40)
    )
    quote_send(quote=quote, user=None)
    with pytest.raises(ValidationError) as error:
        quote_accept(quote=quote, accepted_by="Carlos", channel="email")
    assert "expired" in str(error.value)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT and not quote.decided_at


def test_daily_expiry_marks_quotes_and_tasks_the_owner(demo, andina):
    quote = quote_create(user=None, company=andina, items=ITEMS, issued_on=date(2026, 1, 5))
    quote_send(quote=quote, user=None)
    assert quotes_expire(today=date(2026, 3, 1)) == 1
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.EXPIRED
    task = Task.objects.get(title__contains=quote.number)
    assert task.assignee == andina.owner and "expired" in task.title
    with pytest.raises(ValidationError):
        quote_accept(quote=quote, accepted_by="x", channel="email")


def test_rejection_creates_a_task_for_the_owner(demo, andina):
    quote = quote_create(user=None, company=andina, items=ITEMS)
    with pytest.raises(ValidationError):
        quote_reject(quote=quote, reason="too early")  # a draft was never sent
    quote_send(quote=quote, user=None)
    quote_reject(quote=quote, reason="Price too high", rejected_by="Carlos", channel="whatsapp")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.REJECTED and quote.rejection_reason == "Price too high"
    assert Task.objects.filter(
        deal=quote.deal, assignee=andina.owner, title__contains="rejected"
    ).exists()


def test_revision_supersedes_and_keeps_the_number(demo, andina):
    quote = quote_create(user=None, company=andina, items=ITEMS)
    quote_send(quote=quote, user=None)
    revision = quote_revise(quote=quote, user=None, items=[{"sku": "LP-6060-40", "quantity": 2000}])
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SUPERSEDED
    assert (revision.number, revision.revision, revision.supersedes_id) == (
        quote.number,
        2,
        quote.pk,
    )
    assert revision.status == QuoteStatus.DRAFT and revision.deal_id == quote.deal_id
    assert [str(line.unit_price) for line in revision.lines.all()] == ["7.95"]  # 8.20 − 3 %
    assert revision.display_number.endswith("rev 2")
    with pytest.raises(ValidationError):
        quote_revise(quote=quote, user=None)  # not the latest revision
    with pytest.raises(ValidationError):
        quote_accept(quote=quote, accepted_by="x", channel="email")


def test_contact_must_belong_to_the_company(demo, andina):
    other = demo.companies["SibSvet LLC"].contacts.first()
    with pytest.raises(ValidationError):
        quote_create(user=None, company=andina, contact=other, items=ITEMS)


def test_expiry_runs_daily_on_the_task_queue(db):
    from django_q.models import Schedule

    from crm.tasks import quotes_expire_daily

    schedule = Schedule.objects.get(func="crm.tasks.quotes_expire_daily")
    assert schedule.schedule_type == Schedule.DAILY and schedule.repeats == -1
    assert quotes_expire_daily() == 0
