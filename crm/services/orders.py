"""Orders: made from an accepted quote revision, moved through their statuses (each
move an event, with shipment data), paid in a deposit and a balance."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Deal,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentKind,
    Quote,
    QuoteStatus,
    User,
)
from ..pricing import round_half_up
from .deals import deal_move_stage
from .numbering import document_number_next
from .timeline import interaction_event_record

S = OrderStatus
ALLOWED_TRANSITIONS = {
    S.PENDING_PAYMENT: {S.CONFIRMED, S.CANCELLED},
    S.CONFIRMED: {S.IN_PRODUCTION, S.CANCELLED},
    S.IN_PRODUCTION: {S.READY_TO_SHIP, S.CANCELLED},
    S.READY_TO_SHIP: {S.SHIPPED, S.CANCELLED},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: set(),
    S.CANCELLED: set(),
}
SHIPMENT_FIELDS = ("vessel", "container", "bill_of_lading", "etd", "eta", "tracking_url")


def _record_event(
    *,
    order: Order,
    from_status: str,
    to_status: str,
    user: User | None,
    note: str = "",
    occurred_at=None,
    **shipment,
) -> OrderEvent:
    event = OrderEvent(
        order=order,
        from_status=from_status,
        to_status=to_status,
        occurred_at=occurred_at or timezone.now(),
        actor=user,
        note=note,
        **{field: value for field, value in shipment.items() if field in SHIPMENT_FIELDS and value},
    )
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def order_create_from_quote(*, quote: Quote, user: User | None) -> Order:
    """An order with the accepted revision's lines; its deal is won with the order total."""
    quote = (
        Quote.objects.select_for_update(of=("self",))
        .select_related("deal__stage", "deal__pipeline")
        .get(pk=quote.pk)
    )
    if quote.status != QuoteStatus.ACCEPTED:
        raise ValidationError(
            {
                "quote": _("Only an accepted quote becomes an order; this one is %(status)s.")
                % {"status": quote.get_status_display()}
            }
        )
    if Order.objects.filter(quote=quote).exists():
        raise ValidationError({"quote": _("This quote already has an order.")})
    today = timezone.localdate()
    order = Order.objects.create(
        number=document_number_next(kind="SO", year=today.year),
        quote=quote,
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        status=S.PENDING_PAYMENT,
        currency=quote.currency,
        incoterm=quote.incoterm,
        destination_port=quote.named_place,
        subtotal=quote.subtotal,
        total=quote.total,
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            position=line.position,
            product_id=line.product_id,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            line_total=line.line_total,
        )
        for line in quote.lines.all()
    )
    _record_event(
        order=order,
        from_status="",
        to_status=S.PENDING_PAYMENT,
        user=user,
        note=_("Created from quote %(number)s") % {"number": quote.display_number},
    )
    if quote.deal:
        Deal.objects.filter(pk=quote.deal.pk).update(amount=order.total, currency=order.currency)
        won = quote.deal.pipeline.stages.filter(is_won=True).order_by("order").first()
        if won and quote.deal.stage_id != won.pk:
            deal_move_stage(deal=quote.deal, stage=won, user=user, note=order.number)
    interaction_event_record(
        company=order.company,
        contact=order.contact,
        deal=order.deal,
        user=user,
        text=_("Order %(number)s created: %(total)s %(currency)s")
        % {"number": order.number, "total": order.total, "currency": order.currency},
    )
    return order


@transaction.atomic
def order_transition(
    *, order: Order, to_status: str, user: User | None, note: str = "", **shipment
) -> Order:
    """Move an order to its next status; an illegal move is refused and nothing changes."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if to_status not in S.values:
        raise ValidationError(
            {"status": _("Unknown order status “%(status)s”.") % {"status": to_status}}
        )
    if to_status not in ALLOWED_TRANSITIONS[order.status]:
        allowed = ", ".join(
            str(S(s).label) for s in sorted(ALLOWED_TRANSITIONS[order.status])
        ) or _("none")
        raise ValidationError(
            {
                "status": _(
                    "An order that is %(current)s cannot become %(target)s (allowed next: %(allowed)s)."
                )
                % {
                    "current": order.get_status_display(),
                    "target": S(to_status).label,
                    "allowed": allowed,
                }
            }
        )
    previous = order.status
    event = _record_event(
        order=order, from_status=previous, to_status=to_status, user=user, note=note, **shipment
    )
    order.status = to_status
    fields = ["status", "updated_at"]
    if to_status == S.DELIVERED:
        order.delivered_on = timezone.localdate()
        fields.append("delivered_on")
    if to_status == S.SHIPPED and event.etd:
        order.expected_ship_date = event.etd
        fields.append("expected_ship_date")
    order.save(update_fields=fields)
    details = ", ".join(
        f"{field}: {value}" for field in SHIPMENT_FIELDS if (value := getattr(event, field))
    )
    interaction_event_record(
        company=order.company,
        contact=order.contact,
        deal=order.deal,
        user=user,
        text=_("Order %(number)s: %(from)s → %(to)s")
        % {"number": order.number, "from": S(previous).label, "to": S(to_status).label}
        + (f" ({details})" if details else "")
        + (f" — {note}" if note else ""),
    )
    return order


def order_deposit_due(order: Order) -> Decimal:
    return round_half_up(order.total * order.deposit_percent / Decimal(100))


def order_paid(order: Order) -> Decimal:
    return order.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def payment_record(
    *,
    order: Order,
    kind: str,
    amount: Decimal,
    currency: str,
    received_on: date,
    reference: str = "",
    user: User | None = None,
) -> Payment:
    """Record money received. A deposit that covers what is due confirms a pending order."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if currency != order.currency:
        raise ValidationError(
            {
                "currency": _("This order is in %(currency)s; record the payment in %(currency)s.")
                % {"currency": order.currency}
            }
        )
    if order.status == S.CANCELLED:
        raise ValidationError({"order": _("This order is cancelled.")})
    if order_paid(order) + amount > order.total:
        raise ValidationError(
            {"amount": _("This payment would take the amount paid above the order total.")}
        )
    payment = Payment(
        order=order,
        kind=kind,
        amount=amount,
        currency=currency,
        received_on=received_on,
        reference=reference,
        recorded_by=user,
    )
    payment.full_clean()
    payment.save()
    interaction_event_record(
        company=order.company,
        contact=order.contact,
        deal=order.deal,
        user=user,
        text=_("Payment received for %(number)s: %(amount)s %(currency)s (%(kind)s)")
        % {
            "number": order.number,
            "amount": amount,
            "currency": currency,
            "kind": payment.get_kind_display(),
        },
    )
    if (
        order.status == S.PENDING_PAYMENT
        and kind == PaymentKind.DEPOSIT
        and order_paid(order) >= order_deposit_due(order)
    ):
        order_transition(order=order, to_status=S.CONFIRMED, user=user, note=_("Deposit received"))
    return payment
