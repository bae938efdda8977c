from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.models import Deal, Interaction, Order, OrderStatus
from crm.services.orders import (
    order_create_from_quote,
    order_deposit_due,
    order_transition,
    payment_record,
)
from crm.services.quotes import quote_accept, quote_create, quote_send


@pytest.fixture
def accepted_quote(demo):
    company = demo.companies["Volt Distribution GmbH"]
    quote = quote_create(
        user=demo.users["rep1"], company=company, items=[{"sku": "EVC-7K", "quantity": 60}]
    )
    quote_send(quote=quote, user=None)
    return quote_accept(quote=quote, accepted_by="Jonas Weber", channel="email")


def test_order_from_accepted_quote_copies_lines_and_wins_the_deal(demo, accepted_quote):
    order = order_create_from_quote(quote=accepted_quote, user=demo.users["rep1"])
    year = date.today().year
    assert order.number == (f"SO-{year}-0106" if year == 2026 else f"SO-{year}-0001")
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert [(line.sku, line.quantity, line.unit_price) for line in order.lines.all()] == [
        (line.sku, line.quantity, line.unit_price) for line in accepted_quote.lines.all()
    ]
    assert order.total == accepted_quote.total
    deal = Deal.objects.get(pk=accepted_quote.deal_id)
    assert deal.stage.is_won and deal.amount == order.total
    assert order.events.get().to_status == OrderStatus.PENDING_PAYMENT
    with pytest.raises(ValidationError):
        order_create_from_quote(quote=accepted_quote, user=None)  # one order per quote


def test_only_accepted_quotes_become_orders(demo):
    quote = quote_create(
        user=None,
        company=demo.companies["SibSvet LLC"],
        items=[{"sku": "HB-UFO-150", "quantity": 50}],
    )
    with pytest.raises(ValidationError):
        order_create_from_quote(quote=quote, user=None)
    assert not Order.objects.filter(quote=quote).exists()


def test_full_lifecycle_with_shipment_data(demo, accepted_quote):
    order = order_create_from_quote(quote=accepted_quote, user=None)
    for status in ("confirmed", "in_production", "ready_to_ship"):
        order_transition(order=order, to_status=status, user=demo.users["rep1"])
    order_transition(
        order=order,
        to_status="shipped",
        user=demo.users["rep1"],
        vessel="Maersk Kobe",
        container="MSKU7654321",
        bill_of_lading="MAEU123456",
        etd=date(2026, 12, 5),
        eta=date(2027, 1, 10),
        tracking_url="https://track.example/MSKU7654321",
    )
    order.refresh_from_db()
    shipped = order.events.get(to_status="shipped")
    assert (shipped.vessel, shipped.container, shipped.eta) == (
        "Maersk Kobe",
        "MSKU7654321",
        date(2027, 1, 10),
    )
    assert order.expected_ship_date == date(2026, 12, 5)
    order_transition(order=order, to_status="delivered", user=None)
    order.refresh_from_db()
    assert order.status == "delivered" and order.delivered_on
    assert [e.to_status for e in order.events.all()] == [
        "pending_payment",
        "confirmed",
        "in_production",
        "ready_to_ship",
        "shipped",
        "delivered",
    ]
    assert Interaction.objects.filter(company=order.company, text__contains="Maersk Kobe").exists()


@pytest.mark.parametrize(
    "number, target",
    [
        ("SO-2026-0101", "in_production"),  # shipped → in_production
        ("SO-2026-0103", "shipped"),  # delivered → anything
        ("SO-2026-0104", "shipped"),  # pending payment → shipped (skipping steps)
        ("SO-2026-0101", "cancelled"),  # a shipped order cannot be cancelled
        ("SO-2026-0104", "teleported"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(demo, number, target):
    order = Order.objects.get(number=number)
    before = (order.status, order.events.count())
    with pytest.raises(ValidationError) as error:
        order_transition(order=order, to_status=target, user=None)
    assert "status" in error.value.message_dict
    order.refresh_from_db()
    assert (order.status, order.events.count()) == before


def test_deposit_confirms_a_pending_order(demo):
    order = Order.objects.get(number="SO-2026-0104")  # 30 % deposit, pending payment
    due = order_deposit_due(order)
    assert due == (order.total * Decimal("0.30")).quantize(Decimal("0.01"))
    payment_record(
        order=order,
        kind="deposit",
        amount=due - Decimal("100"),
        currency="USD",
        received_on=date(2026, 11, 20),
    )
    order.refresh_from_db()
    assert order.status == "pending_payment"
    payment_record(
        order=order,
        kind="deposit",
        amount=Decimal("100"),
        currency="USD",
        received_on=date(2026, 11, 21),
    )
    order.refresh_from_db()
    assert order.status == "confirmed"


def test_payment_bad_input(demo):
    order = Order.objects.get(number="SO-2026-0104")
    with pytest.raises(ValidationError):
        payment_record(
            order=order,
            kind="deposit",
            amount=Decimal("10"),
            currency="EUR",
            received_on=date(2026, 11, 20),
        )
    with pytest.raises(ValidationError):
        payment_record(
            order=order,
            kind="balance",
            amount=order.total + 1,
            currency="USD",
            received_on=date(2026, 11, 20),
        )
    assert order.payments.count() == 0


def test_reference_orders_are_loaded(demo):
    orders = {o.number: o for o in Order.objects.all()}
    assert set(orders) >= {
        "SO-2026-0101",
        "SO-2026-0102",
        "SO-2026-0103",
        "SO-2026-0104",
        "SO-2026-0105",
    }
    shipped = orders["SO-2026-0101"]
    assert (
        shipped.status,
        shipped.incoterm,
        shipped.destination_port,
        shipped.company.legal_name,
    ) == ("shipped", "CIF", "Santos", "Solaris Energia Ltda.")
    event = shipped.events.get(to_status="shipped")
    assert (event.vessel, event.container, str(event.etd), str(event.eta)) == (
        "MSC Aurora",
        "MSCU1234567",
        "2026-11-10",
        "2026-12-08",
    )
    assert orders["SO-2026-0102"].expected_ship_date == date(2026, 12, 5)
    assert orders["SO-2026-0103"].delivered_on == date(2026, 10, 28)
    assert (
        orders["SO-2026-0104"].deposit_percent == 30
        and orders["SO-2026-0104"].status == "pending_payment"
    )
    assert [(line.sku, line.quantity) for line in orders["SO-2026-0105"].lines.all()] == [
        ("BL-A60-9", 20000)
    ]
    # 20,000 × 0.49 with gold 5 % = 0.4655 → 0.47
    assert orders["SO-2026-0105"].total == Decimal("9400.00")
