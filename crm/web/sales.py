"""Sales documents in the staff pages: quotes (the builder with its live price preview,
the quote page and its actions) and orders (status, shipment, payments).

Reads go through the visibility selectors (what a user may not see is a 404), prices
through the pricing selector, and every write through the quote and order services."""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from ..models import (
    Company,
    Order,
    OrderStatus,
    Product,
    Quote,
    QuoteStatus,
    TierCode,
)
from ..selectors.pricing import PricingInputError, PricingResult, component_label, pricing_preview
from ..selectors.sales import orders_visible_to, quotes_visible_to
from ..selectors.visibility import companies_visible_to, deals_visible_to
from ..services import orders as order_services
from ..services import quotes as quote_services
from ..templatetags.portolan import money
from .access import staff_view
from .forms import form_add_service_errors
from .history import history_entries
from .sales_forms import (
    MAX_LINES,
    ItemRow,
    ItemRows,
    OrderFilterForm,
    OrderTransitionForm,
    PaymentForm,
    QuoteAcceptForm,
    QuoteFilterForm,
    QuoteForm,
    QuotePricingForm,
    QuoteRejectForm,
    acceptance_channel_choices,
    item_rows_blank,
    item_rows_from,
    item_rows_of,
    payment_form_initial,
    product_choices,
    quote_form_initial,
)

QUOTES_PER_PAGE = 25
ORDERS_PER_PAGE = 25
REVISABLE = (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.EXPIRED, QuoteStatus.REJECTED)
ORDER_FLOW = list(OrderStatus.values)
PRICING_FIELDS = ("company", "incoterm", "destination_country", "currency")
QUOTE_FIELDS = (
    "company",
    "contact",
    "deal",
    "incoterm",
    "named_place",
    "destination_country",
    "currency",
    "payment_terms",
    "validity_days",
    "notes",
)


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _confirmed(request: HttpRequest) -> bool:
    """Irreversible actions run only once confirmed: by htmx after its dialog (it sends
    confirmed=1), or from the confirmation page without scripts."""
    return request.POST.get("confirmed") == "1"


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect, as a full page load for htmx requests too (the page shows the
    messages and the fresh state)."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _display(value) -> str:
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _quote_action(request: HttpRequest, quote, action, *, success: str) -> HttpResponse:
    """Run one service action on a quote: its refusal becomes an error message and
    nothing changes; then back to the quote page."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return _go(request, _quote_url(quote))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    action: str,
    button: str,
    cancel: str,
    details: list[tuple[str, str]] | None = None,
    fields: list[str] | tuple[str, ...] = (),
    danger: bool = False,
) -> HttpResponse:
    """The confirmation step of an irreversible action when scripts are off: the same
    POST again, with its values, plus confirmed=1."""
    hidden = [
        (name, value)
        for name in fields
        for value in request.POST.getlist(name)
        if name not in ("confirmed", "csrfmiddlewaretoken")
    ]
    return render(
        request,
        "crm/sales_confirm.html",
        {
            "title": title,
            "question": question,
            "action": action,
            "button": button,
            "cancel": cancel,
            "details": details or [],
            "hidden": hidden,
            "danger": danger,
        },
    )


# --- Price preview --------------------------------------------------------------------


@dataclass
class PricePreview:
    """What the preview panel shows: a priced result, or why there is none yet."""

    result: PricingResult | None = None
    hint: str = ""
    field_errors: dict[str, list[str]] = field(default_factory=dict)
    other_errors: list[str] = field(default_factory=list)
    incomplete: bool = False

    @property
    def tier_label(self) -> str:
        if self.result is None:
            return ""
        try:
            return str(TierCode(self.result.tier).label)
        except ValueError:
            return self.result.tier


def _add_unique(target: list[str], messages) -> None:
    for message in messages:
        if str(message) not in target:
            target.append(str(message))


def _skus() -> dict[str, str]:
    return {
        str(pk): sku for pk, sku in Product.objects.filter(active=True).values_list("pk", "sku")
    }


def price_preview(
    *, pricing: dict, rows: ItemRows, skus: dict[str, str], pricing_invalid: bool = False
) -> PricePreview:
    """Price the rows with `pricing` (company, incoterm, currency, destination). Item
    problems are written onto their rows; nothing is saved."""
    company = pricing.get("company")
    if pricing_invalid:
        return PricePreview(hint=_("Correct the marked fields to see prices."))
    if company is None:
        return PricePreview(hint=_("Choose a company to see its prices."))
    items, origin = rows.priceable(skus)
    if not items:
        if rows.has_errors:
            return PricePreview(hint=_("Correct the marked lines to see prices."))
        return PricePreview(hint=_("Add a product and a quantity to see prices."))
    try:
        result = pricing_preview(
            items=items,
            company=company,
            incoterm=pricing.get("incoterm") or "FOB",
            currency=pricing.get("currency") or company.default_currency,
            destination_country=pricing.get("destination_country") or "",
        )
    except PricingInputError as error:
        preview = PricePreview()
        for name, messages in error.errors.items():
            if name == "items" and isinstance(messages, dict):
                for index, item_messages in messages.items():
                    _add_unique(origin[index].errors, item_messages)
            elif name == "items":
                for message in messages:
                    rows.add_error(str(message))
            elif name in PRICING_FIELDS or name == "tier":
                target = "company" if name == "tier" else name
                _add_unique(preview.field_errors.setdefault(target, []), messages)
            else:
                _add_unique(preview.other_errors, messages)
        return preview
    return PricePreview(result=result, incomplete=rows.has_errors)


def _posted_company(data: QueryDict, companies) -> Company | None:
    raw = data.get("company", "")
    return companies.filter(pk=raw).first() if raw.isdigit() else None


def _pricing_values(form: QuotePricingForm, company: Company | None) -> tuple[dict, bool]:
    """The pricing inputs of a bound form, and whether one of them is wrong. A company
    not chosen yet is not an error of the preview: the panel says what is missing."""
    form.is_valid()
    invalid = any(
        name in form.errors
        for name in PRICING_FIELDS
        if not (name == "company" and not form.data.get("company"))
    )
    values = {name: form.cleaned_data.get(name) for name in PRICING_FIELDS}
    values["company"] = values["company"] or company
    return values, invalid


@staff_view
@require_POST
def quote_preview(request: HttpRequest) -> HttpResponse:
    """The live price panel of the builder, plus the errors next to the fields and
    lines (swapped out of band). Writes nothing."""
    companies = companies_visible_to(request.user)
    company = _posted_company(request.POST, companies)
    skus = _skus()
    form = QuotePricingForm(request.POST, companies=companies, company=company)
    rows = item_rows_from(request.POST, skus, complete=False)
    pricing, invalid = _pricing_values(form, company)
    preview = price_preview(pricing=pricing, rows=rows, skus=skus, pricing_invalid=invalid)
    slots = {}
    for name in PRICING_FIELDS:
        messages_ = []
        if name != "company" or request.POST.get("company"):
            _add_unique(messages_, form.errors.get(name, []))
        _add_unique(messages_, preview.field_errors.get(name, []))
        slots[name] = messages_
    return render(
        request,
        "crm/partials/quote_preview.html",
        {"preview": preview, "rows": rows, "slots": slots, "oob": True},
    )


@staff_view
@require_GET
def quote_company_terms(request: HttpRequest) -> HttpResponse:
    """The contact and deal choices of the company chosen in the builder, and its
    defaults for currency and destination (swapped out of band)."""
    companies = companies_visible_to(request.user)
    company = _posted_company(request.GET, companies)
    form = QuoteForm(
        initial=quote_form_initial(company),
        user=request.user,
        company=company,
        companies=companies,
    )
    response = render(
        request,
        "crm/partials/quote_company_terms.html",
        {"fields": _field_entries(form, {}), "company": company},
    )
    return trigger_client_event(response, "quote-changed", after="settle")


# --- Quote builder (new quote and revision) ------------------------------------------


def _field_entries(form: QuoteForm, errors: dict[str, list[str]]) -> dict:
    entries = {}
    for name in form.fields:
        messages_ = []
        if form.is_bound:
            _add_unique(messages_, form.errors.get(name, []))
        _add_unique(messages_, errors.get(name, []))
        entries[name] = {"field": form[name], "errors": messages_, "slot": f"quote-error-{name}"}
    return entries


def _render_builder(
    request: HttpRequest,
    *,
    form: QuoteForm,
    rows: ItemRows,
    company: Company | None,
    preview: PricePreview,
    quote: Quote | None = None,
    non_field_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    errors = preview.field_errors
    non_field = list(form.non_field_errors()) if form.is_bound else []
    _add_unique(non_field, non_field_errors or [])
    _add_unique(non_field, preview.other_errors)
    return render(
        request,
        "crm/quote_form.html",
        {
            "form": form,
            "fields": _field_entries(form, errors),
            "rows": rows,
            "company": company,
            "quote": quote,
            "preview": preview,
            "non_field_errors": non_field,
            "product_choices": product_choices(),
            "max_lines": MAX_LINES,
            "template_row": ItemRow(key="__key__"),
            "has_errors": status != 200,
        },
        status=status,
    )


def _builder_step(data: QueryDict, rows: ItemRows) -> str:
    """Which no-script button was pressed: add or remove a line, reload the company's
    defaults, or '' for the submit button."""
    if data.get("add_line"):
        if len(rows.rows) < MAX_LINES:
            used = {row.key for row in rows.rows}
            number = len(rows.rows)
            while f"r{number}" in used:
                number += 1
            rows.rows.append(ItemRow(key=f"r{number}"))
        return "add_line"
    if data.get("remove_line"):
        rows.rows = [row for row in rows.rows if row.key != data["remove_line"]]
        rows.rows = rows.rows or [ItemRow(key="r0")]
        return "remove_line"
    if data.get("refresh"):
        return "refresh"
    return ""


def _initial_from(data: QueryDict, company: Company | None, *, refresh: bool) -> dict:
    initial = {name: data.get(name) for name in QUOTE_FIELDS if data.get(name) is not None}
    if refresh:
        for name in ("contact", "deal", "currency", "destination_country"):
            initial.pop(name, None)
        return quote_form_initial(company, **initial)
    return initial


def _service_errors(form: QuoteForm, rows: ItemRows, error: ValidationError) -> list[str]:
    """Put a service's messages where they belong: on the form's fields, near the lines
    ("items"), or above the form (returned)."""
    rest: list[str] = []
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    for name, messages_ in error.message_dict.items():
        if name == "items":
            # Per-line messages are already on their rows when the preview found them.
            if not any(row.errors for row in rows.rows):
                for message in messages_:
                    rows.add_error(message)
        elif name in form.fields and name != NON_FIELD_ERRORS:
            form.add_error(name, messages_)
        else:
            _add_unique(rest, messages_)
    return rest


def _builder_post(
    request: HttpRequest,
    *,
    companies,
    company: Company | None,
    quote: Quote | None,
    save,
) -> HttpResponse:
    """The shared POST of the builder: the no-script line buttons, or the submit that
    hands the quote to `save(form, items)` (a service call)."""
    skus = _skus()
    rows = item_rows_from(request.POST, skus)
    revising = quote is not None
    step = _builder_step(request.POST, rows)
    if step:
        for row in rows.rows:
            row.errors = []
        form = QuoteForm(
            initial=_initial_from(request.POST, company, refresh=step == "refresh"),
            user=request.user,
            company=company,
            companies=companies,
            revising=revising,
        )
        pricing_form = QuotePricingForm(
            _as_querydict(form.initial, company),
            companies=companies,
            company=company,
        )
        pricing, invalid = _pricing_values(pricing_form, company)
        preview = price_preview(pricing=pricing, rows=rows, skus=skus, pricing_invalid=invalid)
        return _render_builder(
            request, form=form, rows=rows, company=company, preview=preview, quote=quote
        )

    form = QuoteForm(
        request.POST, user=request.user, company=company, companies=companies, revising=revising
    )
    valid = form.is_valid()
    pricing = {name: form.cleaned_data.get(name) for name in PRICING_FIELDS}
    pricing["company"] = company if revising else pricing["company"]
    pricing_invalid = any(name in form.errors for name in PRICING_FIELDS)
    non_field: list[str] = []
    if valid and not rows.has_errors:
        items, _origin = rows.priceable(skus)
        try:
            saved = save(form.cleaned_data, items)
        except ValidationError as error:
            preview = price_preview(
                pricing=pricing, rows=rows, skus=skus, pricing_invalid=pricing_invalid
            )
            non_field = _service_errors(form, rows, error)
        else:
            return saved
    else:
        preview = price_preview(
            pricing=pricing, rows=rows, skus=skus, pricing_invalid=pricing_invalid
        )
    return _render_builder(
        request,
        form=form,
        rows=rows,
        company=company,
        preview=preview,
        quote=quote,
        non_field_errors=non_field,
        status=422,
    )


def _as_querydict(initial: dict, company: Company | None) -> QueryDict:
    data = QueryDict(mutable=True)
    for name in PRICING_FIELDS:
        value = initial.get(name)
        if name == "company" and company is not None:
            value = company.pk
        if value is not None:
            data[name] = str(value)
    return data


@staff_view
@require_http_methods(["GET", "POST"])
def quote_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    companies = companies_visible_to(user)
    if request.method == "POST":
        company = _posted_company(request.POST, companies)

        def save(data: dict, items: list[dict]) -> HttpResponse:
            quote = quote_services.quote_create(
                user=user,
                company=data["company"],
                contact=data.get("contact"),
                deal=data.get("deal"),
                items=items,
                incoterm=data["incoterm"],
                named_place=data["named_place"],
                destination_country=data["destination_country"],
                currency=data["currency"],
                payment_terms=data["payment_terms"],
                validity_days=data["validity_days"],
                notes=data["notes"],
            )
            messages.success(
                request,
                _("Quote %(number)s created as a draft. Check it, then send it.")
                % {"number": quote.display_number},
            )
            return redirect("crm:quote_detail", pk=quote.pk)

        return _builder_post(request, companies=companies, company=company, quote=None, save=save)

    deal = None
    company = None
    if request.GET.get("deal", "").isdigit():
        deal = get_object_or_404(deals_visible_to(user), pk=request.GET["deal"])
        company = get_object_or_404(companies, pk=deal.company_id)
    elif request.GET.get("company", "").isdigit():
        company = get_object_or_404(companies, pk=request.GET["company"])
    form = QuoteForm(
        initial=quote_form_initial(
            company,
            deal=deal.pk if deal else None,
            contact=deal.contact_id if deal else None,
        ),
        user=user,
        company=company,
        companies=companies,
    )
    preview = price_preview(pricing={"company": company}, rows=item_rows_blank(), skus={})
    return _render_builder(
        request, form=form, rows=item_rows_blank(), company=company, preview=preview
    )


def _latest(quote: Quote) -> bool:
    return not Quote.objects.filter(supersedes=quote).exists()


@staff_view
@require_http_methods(["GET", "POST"])
def quote_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """A new revision of the quote, prefilled with its lines and terms."""
    quote = _visible_quote(request, pk)
    user = request.user
    if quote.status not in REVISABLE or not _latest(quote):
        messages.error(
            request, _("Only the latest revision of a quote that is not accepted can be revised.")
        )
        return redirect("crm:quote_detail", pk=quote.pk)
    companies = companies_visible_to(user)
    company = quote.company
    if request.method == "POST":

        def save(data: dict, items: list[dict]) -> HttpResponse:
            revision = quote_services.quote_revise(
                quote=quote,
                user=user,
                items=items,
                incoterm=data["incoterm"],
                named_place=data["named_place"],
                destination_country=data["destination_country"],
                currency=data["currency"],
                payment_terms=data["payment_terms"],
                validity_days=data["validity_days"],
                notes=data["notes"],
            )
            messages.success(
                request,
                _("Revision %(revision)s of %(number)s created as a draft.")
                % {"revision": revision.revision, "number": revision.number},
            )
            return redirect("crm:quote_detail", pk=revision.pk)

        return _builder_post(request, companies=companies, company=company, quote=quote, save=save)

    validity = (quote.valid_until - quote.issued_on).days or 30
    initial = {
        "incoterm": quote.incoterm,
        "named_place": quote.named_place,
        "destination_country": quote.destination_country.code or "",
        "currency": quote.currency,
        "payment_terms": quote.payment_terms,
        "validity_days": validity,
        "notes": quote.notes,
    }
    form = QuoteForm(
        initial=initial, user=user, company=company, companies=companies, revising=True
    )
    rows = item_rows_of(quote.lines.order_by("position"))
    skus = _skus()
    for row in rows.rows:
        if row.product not in skus:
            row.errors.append(_("This product is no longer sold; choose another."))
            row.product = ""
    preview = price_preview(pricing={**initial, "company": company}, rows=rows, skus=skus)
    return _render_builder(
        request, form=form, rows=rows, company=company, preview=preview, quote=quote
    )


# --- Quotes list and page -------------------------------------------------------------


def _visible_quote(request: HttpRequest, pk: int) -> Quote:
    return get_object_or_404(
        quotes_visible_to(request.user).select_related(
            "company", "contact", "deal", "created_by", "supersedes"
        ),
        pk=pk,
    )


@staff_view
@vary_on_headers("HX-Request")
def quote_list(request: HttpRequest) -> HttpResponse:
    filters = QuoteFilterForm(request.GET)
    quotes = quotes_visible_to(request.user).select_related("company")
    query = filters.value("q").strip()
    status = filters.value("status")
    if query:
        quotes = quotes.filter(Q(number__icontains=query) | Q(company__legal_name__icontains=query))
    if status:
        quotes = quotes.filter(status=status)
    else:
        quotes = quotes.exclude(status=QuoteStatus.SUPERSEDED)
    quotes = quotes.order_by("-issued_on", "-number", "-revision")
    page = Paginator(quotes, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "query": query,
        "filtered": bool(query or status),
    }
    template = "crm/partials/quote_results.html" if _wants_partial(request) else None
    return render(request, template or "crm/quote_list.html", context)


def _quote_order(quote: Quote) -> Order | None:
    return Order.objects.filter(quote=quote).first()


def _quote_page_context(request: HttpRequest, quote: Quote) -> dict:
    latest = _latest(quote)
    order = _quote_order(quote)
    destination = quote.destination_country.code or ""
    components = [
        {
            "label": component_label(c.kind, c.detail, destination_country=destination),
            "amount": c.amount,
        }
        for c in quote.components.order_by("position")
    ]
    contact_name = quote.contact.name if quote.contact else ""
    return {
        "quote": quote,
        "lines": quote.lines.order_by("position"),
        "components": components,
        "revisions": quotes_visible_to(request.user)
        .filter(number=quote.number)
        .order_by("revision"),
        "order": order,
        "history": history_entries(quote.history.select_related("history_user")),
        "pdf_url": f"/api/v1/quotes/{quote.pk}/pdf/",
        "can_send": quote.status == QuoteStatus.DRAFT,
        "can_decide": quote.status == QuoteStatus.SENT,
        "can_revise": quote.status in REVISABLE and latest,
        "can_order": quote.status == QuoteStatus.ACCEPTED and order is None,
        "accept_form": QuoteAcceptForm(
            initial={"accepted_by": contact_name, "channel": "staff"}, auto_id="accept_%s"
        ),
        "reject_form": QuoteRejectForm(auto_id="reject_%s"),
        "decided_via": dict(acceptance_channel_choices()).get(quote.decided_via, quote.decided_via),
    }


@staff_view
def quote_detail(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _visible_quote(request, pk)
    return render(request, "crm/quote_detail.html", _quote_page_context(request, quote))


def _quote_url(quote: Quote) -> str:
    return reverse("crm:quote_detail", args=[quote.pk])


@staff_view
@require_POST
def quote_send(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _visible_quote(request, pk)
    if not _confirmed(request):
        return _confirm_page(
            request,
            title=_("Send %(number)s") % {"number": quote.display_number},
            question=_("Mark quote %(number)s as sent to %(company)s?")
            % {"number": quote.display_number, "company": quote.company},
            details=[(_("Total"), money(quote.total, quote.currency))],
            action=reverse("crm:quote_send", args=[quote.pk]),
            button=_("Yes, mark as sent"),
            cancel=_quote_url(quote),
        )
    return _quote_action(
        request,
        quote,
        lambda: quote_services.quote_send(quote=quote, user=request.user),
        success=_("Quote %(number)s marked as sent.") % {"number": quote.display_number},
    )


@staff_view
@require_POST
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _visible_quote(request, pk)
    form = QuoteAcceptForm(request.POST, auto_id="accept_%s")
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return _go(request, _quote_url(quote))
    data = form.cleaned_data
    if not _confirmed(request):
        channels = dict(acceptance_channel_choices())
        return _confirm_page(
            request,
            title=_("Accept %(number)s") % {"number": quote.display_number},
            question=_("Record that %(company)s accepted quote %(number)s? The deal is won.")
            % {"number": quote.display_number, "company": quote.company},
            details=[
                (_("Accepted by"), data["accepted_by"] or "—"),
                (_("Accepted through"), channels.get(data["channel"], data["channel"])),
            ],
            fields=("accepted_by", "channel"),
            action=reverse("crm:quote_accept", args=[quote.pk]),
            button=_("Yes, record the acceptance"),
            cancel=_quote_url(quote),
        )
    return _quote_action(
        request,
        quote,
        lambda: quote_services.quote_accept(
            quote=quote, accepted_by=data["accepted_by"], channel=data["channel"], user=request.user
        ),
        success=_("Quote %(number)s accepted.") % {"number": quote.display_number},
    )


@staff_view
@require_POST
def quote_reject(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _visible_quote(request, pk)
    form = QuoteRejectForm(request.POST, auto_id="reject_%s")
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return _go(request, _quote_url(quote))
    reason = form.cleaned_data["reason"]
    if not _confirmed(request):
        return _confirm_page(
            request,
            title=_("Reject %(number)s") % {"number": quote.display_number},
            question=_("Record that %(company)s rejected quote %(number)s?")
            % {"number": quote.display_number, "company": quote.company},
            details=[(_("Reason"), reason or "—")],
            fields=("reason",),
            action=reverse("crm:quote_reject", args=[quote.pk]),
            button=_("Yes, record the rejection"),
            cancel=_quote_url(quote),
            danger=True,
        )
    return _quote_action(
        request,
        quote,
        lambda: quote_services.quote_reject(quote=quote, reason=reason, user=request.user),
        success=_("Quote %(number)s rejected. A follow-up task was created.")
        % {"number": quote.display_number},
    )


@staff_view
@require_POST
def quote_order_create(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _visible_quote(request, pk)
    if not _confirmed(request):
        return _confirm_page(
            request,
            title=_("Order from %(number)s") % {"number": quote.display_number},
            question=_("Create the sales order from quote %(number)s?")
            % {"number": quote.display_number},
            details=[(_("Total"), money(quote.total, quote.currency))],
            action=reverse("crm:quote_order_create", args=[quote.pk]),
            button=_("Yes, create the order"),
            cancel=_quote_url(quote),
        )
    try:
        order = order_services.order_create_from_quote(quote=quote, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _go(request, _quote_url(quote))
    messages.success(
        request,
        _("Order %(number)s created. It waits for the deposit.") % {"number": order.number},
    )
    return _go(request, reverse("crm:order_detail", args=[order.pk]))


# --- Orders ---------------------------------------------------------------------------


def _visible_order(request: HttpRequest, pk: int) -> Order:
    return get_object_or_404(
        orders_visible_to(request.user).select_related("company", "contact", "deal", "quote"),
        pk=pk,
    )


@staff_view
@vary_on_headers("HX-Request")
def order_list(request: HttpRequest) -> HttpResponse:
    filters = OrderFilterForm(request.GET)
    orders = orders_visible_to(request.user).select_related("company")
    query = filters.value("q").strip()
    status = filters.value("status")
    if query:
        orders = orders.filter(
            Q(number__icontains=query)
            | Q(company__legal_name__icontains=query)
            | Q(destination_port__icontains=query)
        )
    if status:
        orders = orders.filter(status=status)
    orders = orders.order_by("-created_at", "-number")
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "query": query,
        "filtered": bool(query or status),
    }
    template = "crm/partials/order_results.html" if _wants_partial(request) else None
    return render(request, template or "crm/order_list.html", context)


def _allowed_next(order: Order) -> list[tuple[str, str]]:
    allowed = order_services.ALLOWED_TRANSITIONS.get(OrderStatus(order.status), set())
    return [(status, OrderStatus(status).label) for status in sorted(allowed, key=ORDER_FLOW.index)]


def _transition_form(order: Order, data=None) -> OrderTransitionForm:
    allowed = _allowed_next(order)
    return OrderTransitionForm(
        data,
        allowed=allowed,
        initial={"status": allowed[0][0] if allowed else ""},
        auto_id="transition_%s",
    )


def _payment_form(order: Order, data=None) -> PaymentForm:
    return PaymentForm(data, initial=payment_form_initial(order), auto_id="payment_%s")


def _order_page_context(
    request: HttpRequest,
    order: Order,
    *,
    transition_form: OrderTransitionForm | None = None,
    payment_form: PaymentForm | None = None,
) -> dict:
    paid = order_services.order_paid(order)
    deposit_due = order_services.order_deposit_due(order)
    return {
        "order": order,
        "lines": order.lines.order_by("position"),
        "events": order.events.select_related("actor").order_by("occurred_at", "id"),
        "payments": order.payments.select_related("recorded_by").order_by("received_on", "id"),
        "paid": paid,
        "deposit_due": deposit_due,
        "deposit_outstanding": max(deposit_due - paid, 0),
        "balance": order.total - paid,
        "charges": order.total - order.subtotal,
        "transition_form": transition_form or _transition_form(order),
        "payment_form": payment_form or _payment_form(order),
        "can_pay": order.status != OrderStatus.CANCELLED and paid < order.total,
        "history": history_entries(order.history.select_related("history_user")),
    }


@staff_view
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    return render(request, "crm/order_detail.html", _order_page_context(request, order))


def _order_form_failed(request, order, *, partial: str, **forms) -> HttpResponse:
    """An order form with its errors: the form alone for htmx, else the whole page."""
    if _wants_partial(request):
        context = _order_page_context(request, order, **forms)
        return render(request, partial, context, status=422)
    return render(
        request, "crm/order_detail.html", _order_page_context(request, order, **forms), status=422
    )


@staff_view
@require_POST
def order_transition(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    form = _transition_form(order, request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        target = OrderStatus(data.pop("status"))
        if not _confirmed(request):
            details = [(_("New status"), target.label)]
            details += [
                (form[name].label, _display(data[name]))
                for name in OrderTransitionForm.SHIPMENT_FIELDS + ("note",)
                if data.get(name)
            ]
            return _confirm_page(
                request,
                title=_("Change the status of %(number)s") % {"number": order.number},
                question=_("Move order %(number)s from %(current)s to %(target)s?")
                % {
                    "number": order.number,
                    "current": order.get_status_display(),
                    "target": target.label,
                },
                details=details,
                fields=("status", "note", *OrderTransitionForm.SHIPMENT_FIELDS),
                action=reverse("crm:order_transition", args=[order.pk]),
                button=_("Yes, change the status"),
                cancel=reverse("crm:order_detail", args=[order.pk]),
                danger=target == OrderStatus.CANCELLED,
            )
        try:
            order_services.order_transition(
                order=order, to_status=target.value, user=request.user, **data
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Order %(number)s is now %(status)s.")
                % {"number": order.number, "status": target.label},
            )
            return _go(request, reverse("crm:order_detail", args=[order.pk]))
    return _order_form_failed(
        request, order, partial="crm/partials/order_transition_form.html", transition_form=form
    )


@staff_view
@require_POST
def order_payment_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = _visible_order(request, pk)
    form = _payment_form(order, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if not _confirmed(request):
            kinds = dict(form.fields["kind"].choices)
            return _confirm_page(
                request,
                title=_("Record a payment for %(number)s") % {"number": order.number},
                question=_("Record this payment? Payments cannot be edited afterwards."),
                details=[
                    (_("Kind"), str(kinds.get(data["kind"], data["kind"]))),
                    (_("Amount"), money(data["amount"], data["currency"])),
                    (_("Received on"), date_format(data["received_on"], "SHORT_DATE_FORMAT")),
                    (_("Reference"), data["reference"] or "—"),
                ],
                fields=("kind", "amount", "currency", "received_on", "reference"),
                action=reverse("crm:order_payment_create", args=[order.pk]),
                button=_("Yes, record the payment"),
                cancel=reverse("crm:order_detail", args=[order.pk]),
            )
        try:
            order_services.payment_record(order=order, user=request.user, **data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s %(currency)s recorded.")
                % {"amount": data["amount"], "currency": data["currency"]},
            )
            return _go(request, reverse("crm:order_detail", args=[order.pk]))
    return _order_form_failed(
        request, order, partial="crm/partials/order_payment_form.html", payment_form=form
    )
