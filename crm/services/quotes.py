"""Quotes: create (priced by the pricing engine), send, accept, reject, revise, expire.
Deals follow the documents, and every event is on the customer's timeline."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import (
    Company,
    Contact,
    Deal,
    DealSource,
    Pipeline,
    Product,
    Quote,
    QuoteComponent,
    QuoteLine,
    QuoteStatus,
    User,
)
from ..models.sales import ACCEPTANCE_CHANNELS
from ..selectors.pricing import PricingInputError, PricingResult, pricing_preview
from ..selectors.pricing_catalog import pricing_catalog
from .common import constraints_checked, model_validate
from .deals import deal_create, deal_move_stage
from .numbering import document_number_next
from .timeline import interaction_event_record, task_create

DEFAULT_VALIDITY_DAYS = 30
STAGE_QUOTE_SENT = "Quote sent"
STAGE_WON = "Won"


def _pricing_errors_as_validation(error: PricingInputError) -> ValidationError:
    fields = {}
    for field, messages in error.errors.items():
        if isinstance(messages, dict):
            fields[field] = [
                _("Item %(number)s: %(message)s") % {"number": index + 1, "message": message}
                for index, item_messages in sorted(messages.items())
                for message in item_messages
            ]
        else:
            fields[field] = messages
    return ValidationError(fields)


def _price(
    *,
    company,
    items,
    incoterm,
    currency,
    destination_country,
    on_date,
    extra_discount_percent=Decimal(0),
) -> PricingResult:
    try:
        return pricing_preview(
            items=items,
            company=company,
            incoterm=incoterm,
            currency=currency,
            destination_country=destination_country,
            on_date=on_date,
            extra_discount_percent=extra_discount_percent,
        )
    except PricingInputError as error:
        raise _pricing_errors_as_validation(error) from error


def _descriptions(priced: PricingResult) -> dict[int, str]:
    """Each priced product's name in the active language: from the pricing snapshot the
    lines were priced from, read from the database only for a product it lacks."""
    catalog = pricing_catalog()
    names: dict[int, str] = {}
    for line in priced.lines:
        product = catalog.products.get(line.sku)
        if product is not None and product.id == line.product_id:
            names[line.product_id] = product.model_name()
    missing = [line.product_id for line in priced.lines if line.product_id not in names]
    if missing:
        for pk, product in Product.objects.in_bulk(missing).items():
            names[pk] = product.name
    return names


def _write_lines(quote: Quote, priced: PricingResult) -> None:
    with translation.override(quote.language):
        descriptions = _descriptions(priced)
        QuoteLine.objects.bulk_create(
            QuoteLine(
                quote=quote,
                position=position,
                product_id=line.product_id,
                sku=line.sku,
                description=descriptions[line.product_id],
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                line_total=line.line_total,
                lead_time_days=line.lead_time_days,
                cartons=line.cartons,
            )
            for position, line in enumerate(priced.lines, start=1)
        )
    QuoteComponent.objects.bulk_create(
        QuoteComponent(
            quote=quote, position=position, kind=c.kind, amount=c.amount, detail=c.detail
        )
        for position, c in enumerate(priced.components, start=1)
    )


def _apply_totals(quote: Quote, priced: PricingResult) -> None:
    quote.exchange_rate = priced.exchange_rate
    quote.subtotal = priced.subtotal
    quote.total = priced.total
    quote.lead_time_days = priced.lead_time_days
    quote.cbm = priced.cbm
    quote.gross_kg = priced.gross_kg


def _stage(deal: Deal, name: str):
    return deal.pipeline.stages.filter(name=name).first()


def _move_forward(*, deal: Deal, stage_name: str, user: User | None, note: str) -> None:
    """Move the deal to `stage_name` unless it is already there, further on, or closed."""
    stage = _stage(deal, stage_name)
    if stage is None or deal.stage.is_closed or deal.stage.order >= stage.order:
        return
    deal_move_stage(deal=deal, stage=stage, user=user, note=note)


def quote_create(
    *,
    user: User | None,
    company: Company,
    items: Sequence[dict],
    contact: Contact | None = None,
    deal: Deal | None = None,
    incoterm: str = "FOB",
    named_place: str = "",
    destination_country: str = "",
    currency: str | None = None,
    payment_terms: str | None = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    language: str | None = None,
    notes: str = "",
    created_by_assistant: bool = False,
    issued_on: date | None = None,
    extra_discount_percent: Decimal = Decimal(0),
) -> Quote:
    """A draft quote for `items` ([{"sku", "quantity"}]), priced for the company's tier
    (less `extra_discount_percent`, 0–50, on each unit price). Without a deal, one is
    opened for it. Bad input raises ValidationError, nothing written: the writes (the
    number, the deal, the quote, its lines, the timeline entry) are one savepoint."""
    if contact is not None and contact.company_id != company.pk:
        raise ValidationError({"contact": _("This contact does not work at the selected company.")})
    if deal is not None and deal.company_id != company.pk:
        raise ValidationError({"deal": _("This deal belongs to another company.")})
    if validity_days < 1 or validity_days > 365:
        raise ValidationError({"validity_days": _("A quote is valid for 1 to 365 days.")})
    issued_on = issued_on or timezone.localdate()
    currency = (currency or company.default_currency).upper()
    priced = _price(
        company=company,
        items=items,
        incoterm=incoterm,
        currency=currency,
        destination_country=destination_country,
        on_date=issued_on,
        extra_discount_percent=extra_discount_percent,
    )
    contact = contact or company.contacts.order_by("id").first()
    quote = Quote(
        company=company,
        contact=contact,
        status=QuoteStatus.DRAFT,
        language=language
        or (contact.preferred_language if contact else company.preferred_language),
        currency=currency,
        incoterm=priced.incoterm,
        named_place=named_place,
        destination_country=priced.destination_country,
        issued_on=issued_on,
        valid_until=issued_on + timedelta(days=validity_days),
        notes=notes,
        created_by=user,
        created_by_assistant=created_by_assistant,
    )
    if payment_terms:
        quote.payment_terms = payment_terms
    _apply_totals(quote, priced)
    with constraints_checked(quote):
        quote.number = document_number_next(kind="Q", year=issued_on.year)
        if deal is None:
            deal = deal_create(
                user=user,
                pipeline=Pipeline.objects.get(is_default=True),
                title=_("Quote %(number)s") % {"number": quote.number},
                company=company,
                contact=contact,
                owner=company.owner,
                amount=priced.total,
                currency=currency,
                source_channel=DealSource.MANUAL,
            )
        quote.deal = deal
        model_validate(quote)
        quote.save()
        _write_lines(quote, priced)
        interaction_event_record(
            company=company,
            contact=contact,
            deal=deal,
            user=user,
            text=_("Quote %(number)s drafted: %(total)s %(currency)s %(incoterm)s")
            % {
                "number": quote.display_number,
                "total": quote.total,
                "currency": currency,
                "incoterm": quote.incoterm,
            },
        )
    return quote


def _locked(quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("deal__stage", "deal__pipeline", "company", "contact")
        .get(pk=quote.pk)
    )


def _refuse(message: str):
    raise ValidationError({"status": message})


@transaction.atomic
def quote_send(*, quote: Quote, user: User | None) -> Quote:
    """Mark a draft as sent to the buyer; its deal moves to Quote sent."""
    quote = _locked(quote)
    if quote.status != QuoteStatus.DRAFT:
        _refuse(
            _("Only a draft can be sent; this quote is %(status)s.")
            % {"status": quote.get_status_display()}
        )
    quote.status = QuoteStatus.SENT
    quote.sent_at = timezone.now()
    quote.save(update_fields=["status", "sent_at", "updated_at"])
    if quote.deal:
        if quote.deal.currency == quote.currency and not quote.deal.stage.is_closed:
            Deal.objects.filter(pk=quote.deal.pk).update(amount=quote.total)
        _move_forward(
            deal=quote.deal, stage_name=STAGE_QUOTE_SENT, user=user, note=quote.display_number
        )
    interaction_event_record(
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        user=user,
        direction="out",
        text=_("Quote %(number)s sent: %(total)s %(currency)s, valid until %(date)s")
        % {
            "number": quote.display_number,
            "total": quote.total,
            "currency": quote.currency,
            "date": quote.valid_until,
        },
    )
    return quote


def _expire_if_due(quote: Quote, today: date) -> bool:
    if quote.status == QuoteStatus.SENT and quote.valid_until < today:
        quote.status = QuoteStatus.EXPIRED
        quote.save(update_fields=["status", "updated_at"])
        _follow_up_task(quote, _("Quote %(number)s expired: follow up with the buyer"))
        return True
    return False


def _follow_up_task(quote: Quote, title: str) -> None:
    owner = quote.deal.owner if quote.deal else quote.company.owner
    task_create(
        user=None,
        title=title % {"number": quote.display_number},
        assignee=owner,
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        due_at=timezone.now() + timedelta(days=1),
    )


@transaction.atomic
def quote_accept(
    *, quote: Quote, accepted_by: str, channel: str, user: User | None = None
) -> Quote:
    """Record the buyer's acceptance (who, when, through which channel); the deal is won
    with the quote's total. An expired quote cannot be accepted."""
    if channel not in ACCEPTANCE_CHANNELS:
        raise ValidationError(
            {"channel": _("Unknown channel “%(channel)s”.") % {"channel": channel}}
        )
    quote = _locked(quote)
    if quote.status == QuoteStatus.EXPIRED or (
        quote.status == QuoteStatus.SENT and quote.valid_until < timezone.localdate()
    ):
        # Nothing is written: the daily expiry task marks it expired and tells the owner.
        raise ValidationError(
            {
                "status": _(
                    "This quote expired on %(date)s and can no longer be accepted; send a revision."
                )
                % {"date": quote.valid_until}
            }
        )
    if quote.status != QuoteStatus.SENT:
        _refuse(
            _("Only a sent quote can be accepted; this quote is %(status)s.")
            % {"status": quote.get_status_display()}
        )
    quote.status = QuoteStatus.ACCEPTED
    quote.decided_at = timezone.now()
    quote.decided_by = accepted_by.strip() or (user.get_full_name() if user else "")
    quote.decided_via = channel
    quote.save(update_fields=["status", "decided_at", "decided_by", "decided_via", "updated_at"])
    if quote.deal:
        won = _stage(quote.deal, STAGE_WON)
        Deal.objects.filter(pk=quote.deal.pk).update(amount=quote.total, currency=quote.currency)
        if won and quote.deal.stage_id != won.pk:
            deal_move_stage(deal=quote.deal, stage=won, user=user, note=quote.display_number)
    interaction_event_record(
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        user=user,
        direction="in",
        channel=channel if channel != "staff" else "",
        text=_("Quote %(number)s accepted by %(who)s (%(channel)s)")
        % {"number": quote.display_number, "who": quote.decided_by, "channel": channel},
    )
    return quote


@transaction.atomic
def quote_reject(
    *,
    quote: Quote,
    reason: str = "",
    rejected_by: str = "",
    channel: str = "staff",
    user: User | None = None,
) -> Quote:
    """Record a rejection; the deal's owner gets a follow-up task."""
    quote = _locked(quote)
    if quote.status != QuoteStatus.SENT:
        _refuse(
            _("Only a sent quote can be rejected; this quote is %(status)s.")
            % {"status": quote.get_status_display()}
        )
    quote.status = QuoteStatus.REJECTED
    quote.decided_at = timezone.now()
    quote.decided_by = rejected_by.strip()
    quote.decided_via = channel
    quote.rejection_reason = reason.strip()[:300]
    quote.save(
        update_fields=[
            "status",
            "decided_at",
            "decided_by",
            "decided_via",
            "rejection_reason",
            "updated_at",
        ]
    )
    _follow_up_task(quote, _("Quote %(number)s rejected: follow up with the buyer"))
    interaction_event_record(
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        user=user,
        text=_("Quote %(number)s rejected: %(reason)s")
        % {"number": quote.display_number, "reason": quote.rejection_reason or "—"},
    )
    return quote


@transaction.atomic
def quote_revise(
    *,
    quote: Quote,
    user: User | None,
    items: Sequence[dict] | None = None,
    incoterm: str | None = None,
    named_place: str | None = None,
    destination_country: str | None = None,
    currency: str | None = None,
    payment_terms: str | None = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    notes: str | None = None,
) -> Quote:
    """A new draft revision with the same number, re-priced today; the old revision is
    superseded. Only the latest revision of a draft, sent or expired quote can be revised."""
    quote = _locked(quote)
    if quote.status not in (
        QuoteStatus.DRAFT,
        QuoteStatus.SENT,
        QuoteStatus.EXPIRED,
        QuoteStatus.REJECTED,
    ):
        _refuse(
            _("A quote that is %(status)s cannot be revised.")
            % {"status": quote.get_status_display()}
        )
    if Quote.objects.filter(supersedes=quote).exists():
        _refuse(_("This is not the latest revision."))
    issued_on = timezone.localdate()
    items = (
        items
        if items is not None
        else [{"sku": line.sku, "quantity": line.quantity} for line in quote.lines.all()]
    )
    priced = _price(
        company=quote.company,
        items=items,
        incoterm=incoterm or quote.incoterm,
        currency=currency or quote.currency,
        destination_country=destination_country
        if destination_country is not None
        else quote.destination_country.code or "",
        on_date=issued_on,
    )
    old_status = quote.status
    quote.status = QuoteStatus.SUPERSEDED
    quote.save(update_fields=["status", "updated_at"])
    revision = Quote(
        number=quote.number,
        revision=quote.revision + 1,
        supersedes=quote,
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        status=QuoteStatus.DRAFT,
        language=quote.language,
        currency=priced.currency,
        incoterm=priced.incoterm,
        named_place=named_place if named_place is not None else quote.named_place,
        destination_country=priced.destination_country,
        payment_terms=payment_terms or quote.payment_terms,
        issued_on=issued_on,
        valid_until=issued_on + timedelta(days=validity_days),
        notes=notes if notes is not None else quote.notes,
        created_by=user,
    )
    _apply_totals(revision, priced)
    revision.full_clean()
    revision.save()
    _write_lines(revision, priced)
    interaction_event_record(
        company=quote.company,
        contact=quote.contact,
        deal=quote.deal,
        user=user,
        text=_("Quote %(number)s revised (was %(status)s): %(total)s %(currency)s")
        % {
            "number": revision.display_number,
            "status": old_status,
            "total": revision.total,
            "currency": revision.currency,
        },
    )
    return revision


def quotes_expire(*, today: date | None = None) -> int:
    """Mark sent quotes past their validity as expired (a daily task); returns how many."""
    today = today or timezone.localdate()
    expired = 0
    for pk in Quote.objects.filter(status=QuoteStatus.SENT, valid_until__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            expired += _expire_if_due(_locked(Quote(pk=pk)), today)
    return expired
