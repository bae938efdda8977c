"""Forms of the quote and order pages. They parse and validate what the page sent;
pricing is the pricing selector's job and every write is a service's."""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import zip_longest

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..models import (
    Channel,
    Company,
    Contact,
    Deal,
    ExchangeRate,
    Incoterm,
    OrderStatus,
    PaymentKind,
    PriceList,
    Product,
    QuoteStatus,
    User,
)
from ..selectors.visibility import deals_visible_to

MAX_LINES = 20
DEFAULT_PAYMENT_TERMS = "30% T/T deposit, balance against B/L copy"
DEFAULT_VALIDITY_DAYS = 30
BASE_CURRENCY = "USD"
_ROW_KEY = re.compile(r"^[A-Za-z0-9]{1,12}$")


def currency_choices(company: Company | None = None) -> list[tuple[str, str]]:
    """Currencies a quote can be priced in: the list-price currencies, those with an
    exchange rate from USD, and the company's own."""
    codes = {BASE_CURRENCY}
    codes.update(PriceList.objects.values_list("currency", flat=True))
    codes.update(
        ExchangeRate.objects.filter(base_currency=BASE_CURRENCY)
        .order_by()
        .values_list("quote_currency", flat=True)
        .distinct()
    )
    if company is not None and company.default_currency:
        codes.add(company.default_currency)
    return [(code, code) for code in sorted(codes)]


def product_choices() -> list[tuple[str, str]]:
    """Active products as "SKU — name", the name in the active language."""
    return [
        (str(product.pk), f"{product.sku} — {product.name}")
        for product in Product.objects.filter(active=True).order_by("sku")
    ]


class QuotePricingForm(forms.Form):
    """What the price depends on: the buyer (for the tier), the incoterm, the
    destination and the currency."""

    company = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Company.objects.none(),
        empty_label=_("Choose a company"),
        error_messages={"required": _("Choose the company the quote is for.")},
    )
    incoterm = forms.ChoiceField(label=_("Incoterm"), choices=Incoterm.choices, initial="FOB")
    destination_country = forms.ChoiceField(label=_("Destination country"), required=False)
    currency = forms.ChoiceField(label=_("Currency"))

    def __init__(self, *args, companies, company: Company | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies.order_by("legal_name")
        self.fields["destination_country"].choices = [("", "—"), *countries]
        self.fields["currency"].choices = currency_choices(company)
        for name in ("incoterm", "destination_country", "currency"):
            self.fields[name].widget.attrs["data-reprice"] = ""

    def describe_fields(self) -> None:
        """Tie each input to its help text and to the box its errors appear in."""
        for name, form_field in self.fields.items():
            ids = [f"id_{name}_helptext"] if form_field.help_text else []
            ids.append(f"quote-error-{name}")
            form_field.widget.attrs["aria-describedby"] = " ".join(ids)


class QuoteForm(QuotePricingForm):
    """The terms of a new quote or of a revision. A revision keeps its company, contact
    and deal, so those fields are left out when revising."""

    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("The company's first contact"),
    )
    deal = forms.ModelChoiceField(
        label=_("Deal"),
        queryset=Deal.objects.none(),
        required=False,
        empty_label=_("Open a new deal"),
    )
    named_place = forms.CharField(
        label=_("Named place"),
        max_length=100,
        required=False,
        help_text=_("Port or place of the incoterm, e.g. Callao or Ningbo."),
    )
    payment_terms = forms.CharField(
        label=_("Payment terms"), max_length=200, initial=DEFAULT_PAYMENT_TERMS
    )
    validity_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_VALIDITY_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    notes = forms.CharField(
        label=_("Notes for the buyer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
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
    ]

    def __init__(self, *args, user: User, company: Company | None, revising: bool = False, **kw):
        super().__init__(*args, company=company, **kw)
        if revising:
            for name in ("company", "contact", "deal"):
                del self.fields[name]
        elif company is not None:
            self.fields["contact"].queryset = company.contacts.order_by("name", "id")
            self.fields["deal"].queryset = (
                deals_visible_to(user)
                .filter(company=company, stage__is_won=False, stage__is_lost=False)
                .order_by("-updated_at", "id")
            )
        self.describe_fields()

    def clean(self):
        cleaned = super().clean()
        company = cleaned.get("company")
        for name in ("contact", "deal"):
            value = cleaned.get(name)
            if company is not None and value is not None and value.company_id != company.pk:
                self.add_error(name, _("This belongs to another company."))
        return cleaned


def quote_form_initial(company: Company | None, **extra) -> dict:
    """The builder's defaults for `company`: its country and its currency."""
    initial = {
        "incoterm": "FOB",
        "currency": BASE_CURRENCY,
        "payment_terms": DEFAULT_PAYMENT_TERMS,
        "validity_days": DEFAULT_VALIDITY_DAYS,
    }
    if company is not None:
        initial.update(
            company=company.pk,
            currency=company.default_currency or BASE_CURRENCY,
            destination_country=company.country.code or "",
        )
    initial.update({key: value for key, value in extra.items() if value is not None})
    return initial


# --- Item rows ---------------------------------------------------------------------


@dataclass
class ItemRow:
    """One line of the builder as the page sent it; `key` names its place in the page."""

    key: str
    product: str = ""
    quantity: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def is_blank(self) -> bool:
        return not self.product and not self.quantity


@dataclass
class ItemRows:
    rows: list[ItemRow]
    errors: list[str] = field(default_factory=list)

    def priceable(self, skus: dict[str, str]) -> tuple[list[dict], list[ItemRow]]:
        """The items to price ([{"sku", "quantity"}]) and the row each came from; rows
        that are blank or already wrong are left out."""
        items, origin = [], []
        for row in self.rows:
            if row.is_blank or row.errors or row.product not in skus or not row.quantity:
                continue
            items.append({"sku": skus[row.product], "quantity": row.quantity})
            origin.append(row)
        return items, origin

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(row.errors for row in self.rows)

    def add_error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)


def item_rows_from(data: QueryDict, skus: dict[str, str], *, complete: bool = True) -> ItemRows:
    """The rows of a posted builder, each checked on its own: a product that exists and
    a quantity (the pricing engine checks the quantity further). With complete=False, as
    while the user is still typing, a half-filled row is only left unpriced."""
    keys = data.getlist("item_key")
    products = data.getlist("item_product")
    quantities = data.getlist("item_quantity")
    rows: list[ItemRow] = []
    used_keys: set[str] = set()
    for index, (key, product, quantity) in enumerate(
        zip_longest(keys, products, quantities, fillvalue="")
    ):
        key = key if _ROW_KEY.match(key or "") and key not in used_keys else f"r{index}"
        used_keys.add(key)
        row = ItemRow(key=key, product=(product or "").strip(), quantity=(quantity or "").strip())
        if complete and not row.is_blank:
            if row.product not in skus:
                row.errors.append(str(_("Choose a product.")))
            if not row.quantity:
                row.errors.append(str(_("Enter a quantity.")))
        rows.append(row)
    result = ItemRows(rows=rows)
    if len(rows) > MAX_LINES:
        result.add_error(str(_("A quote has at most %(max)s lines.") % {"max": MAX_LINES}))
    return result


def item_rows_blank() -> ItemRows:
    return ItemRows(rows=[ItemRow(key="r0")])


def item_rows_of(lines) -> ItemRows:
    """Rows prefilled from a quote's lines (for a revision)."""
    rows = [
        ItemRow(key=f"r{index}", product=str(line.product_id), quantity=str(line.quantity))
        for index, line in enumerate(lines)
    ]
    return ItemRows(rows=rows or [ItemRow(key="r0")])


# --- Quote decisions ----------------------------------------------------------------


def acceptance_channel_choices() -> list[tuple[str, str]]:
    return [*Channel.choices, ("staff", _("Staff (recorded by us)"))]


class QuoteAcceptForm(forms.Form):
    accepted_by = forms.CharField(
        label=_("Accepted by"),
        max_length=200,
        required=False,
        help_text=_("The buyer's name, as they signed or wrote it."),
    )
    channel = forms.ChoiceField(label=_("Accepted through"), initial="staff")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = acceptance_channel_choices()


class QuoteRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("What the buyer said, e.g. price, lead time, went with another supplier."),
    )


class QuoteFilterForm(forms.Form):
    """Filters over the quotes list; bad values are ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All current")), *QuoteStatus.choices]

    def value(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or ""


class OrderFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *OrderStatus.choices]

    def value(self, name: str) -> str:
        self.is_valid()
        return self.cleaned_data.get(name) or ""


# --- Orders -------------------------------------------------------------------------


class OrderTransitionForm(forms.Form):
    """The next status, with shipment data when the goods leave. Every status is
    accepted here: which moves are allowed is the order service's rule."""

    status = forms.ChoiceField(label=_("New status"), choices=OrderStatus.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    vessel = forms.CharField(label=_("Vessel"), max_length=100, required=False)
    container = forms.CharField(label=_("Container"), max_length=20, required=False)
    bill_of_lading = forms.CharField(label=_("B/L number"), max_length=40, required=False)
    etd = forms.DateField(
        label=_("ETD"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    eta = forms.DateField(
        label=_("ETA"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    tracking_url = forms.URLField(
        label=_("Tracking link"), required=False, assume_scheme="https", max_length=200
    )

    SHIPMENT_FIELDS = ("vessel", "container", "bill_of_lading", "etd", "eta", "tracking_url")

    def __init__(self, *args, allowed: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean(self):
        cleaned = super().clean()
        etd, eta = cleaned.get("etd"), cleaned.get("eta")
        if etd and eta and eta < etd:
            self.add_error("eta", _("The ETA cannot be before the ETD."))
        return cleaned

    @property
    def shipment_fields(self):
        return [self[name] for name in self.SHIPMENT_FIELDS]


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices)
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        min_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("Bank reference or how it was paid, e.g. T/T."),
    )

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


def payment_form_initial(order) -> dict:
    return {
        "kind": PaymentKind.DEPOSIT if not order.payments.exists() else PaymentKind.BALANCE,
        "currency": order.currency,
        "received_on": timezone.localdate(),
    }
