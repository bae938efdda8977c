"""Export sales documents: quotes (with revisions) and the orders they become."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from ..validators import validate_currency
from .catalog import Product
from .choices import Channel, Language
from .customers import Company, Contact
from .pipeline import Deal


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DDP = "DDP", "DDP"


class DocumentSequence(models.Model):
    """The last number handed out per document kind and year. Incremented under a row
    lock in the same transaction as the document, so numbers are unique and gap-free."""

    kind = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="document_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}-{self.year}: {self.last_number}"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    SUPERSEDED = "superseded", _("Superseded by a revision")


class Quote(models.Model):
    """One revision of a quotation. Revisions share the number; the newest supersedes
    the others."""

    number = models.CharField(_("number"), max_length=20)
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("company")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("contact"),
    )
    deal = models.ForeignKey(
        Deal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("deal"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    exchange_rate = models.DecimalField(
        _("exchange rate from USD"), max_digits=18, decimal_places=8, default=Decimal("1")
    )
    incoterm = models.CharField(
        _("incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB
    )
    named_place = models.CharField(_("named place"), max_length=100, blank=True)
    destination_country = CountryField(_("destination country"), blank=True)
    payment_terms = models.CharField(
        _("payment terms"), max_length=200, default="30% T/T deposit, balance against B/L copy"
    )
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    subtotal = models.DecimalField(
        _("subtotal"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0"))
    cbm = models.DecimalField(
        _("volume (CBM)"), max_digits=12, decimal_places=4, default=Decimal("0")
    )
    gross_kg = models.DecimalField(
        _("gross weight (kg)"), max_digits=12, decimal_places=3, default=Decimal("0")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_by_assistant = models.BooleanField(_("created by the assistant"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("accepted or rejected at"), null=True, blank=True)
    decided_by = models.CharField(_("accepted or rejected by"), max_length=200, blank=True)
    decided_via = models.CharField(
        _("through"), max_length=20, blank=True, help_text=_("channel or 'staff'")
    )
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-number", "-revision"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["number", "revision"], name="quote_unique_revision"),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^Q-\d{4}-\d{4,}$"), name="quote_number_format"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="quote_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="quote_valid_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "-issued_on"], name="quote_company_idx"),
            models.Index(fields=["status", "valid_until"], name="quote_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} rev {self.revision}"

    @property
    def display_number(self) -> str:
        return self.number if self.revision == 1 else f"{self.number} rev {self.revision}"


class QuoteLine(models.Model):
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="lines", verbose_name=_("quote")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=40)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    line_total = models.DecimalField(_("line total"), max_digits=14, decimal_places=2)
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"))
    cartons = models.PositiveIntegerField(_("cartons"))

    class Meta:
        ordering = ["quote", "position"]
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "position"], name="quote_line_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="quote_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(line_total=models.F("unit_price") * models.F("quantity")),
                name="quote_line_total_is_price_times_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class QuoteComponent(models.Model):
    """A cost the incoterm adds (freight, insurance, charges, duty) or removes (EXW)."""

    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, related_name="components", verbose_name=_("quote")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=30)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["quote", "position"]
        verbose_name = _("quote cost component")
        verbose_name_plural = _("quote cost components")

    def __str__(self) -> str:
        return f"{self.kind}: {self.amount}"


class OrderStatus(models.TextChoices):
    PENDING_PAYMENT = "pending_payment", _("Pending payment")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PRODUCTION = "in_production", _("In production")
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """A sales order, usually made from an accepted quote revision."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    quote = models.OneToOneField(
        Quote,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("quote"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="orders", verbose_name=_("company")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("contact"),
    )
    deal = models.ForeignKey(
        Deal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("deal"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.PENDING_PAYMENT
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    incoterm = models.CharField(_("incoterm"), max_length=3, choices=Incoterm.choices)
    destination_port = models.CharField(_("destination port"), max_length=100, blank=True)
    subtotal = models.DecimalField(
        _("subtotal"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=Decimal("0"))
    deposit_percent = models.PositiveSmallIntegerField(_("deposit (%)"), default=30)
    expected_ship_date = models.DateField(_("expected ship date"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-number"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^SO-\d{4}-\d{4,}$"), name="order_number_format"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="order_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(deposit_percent__lte=100), name="order_deposit_range"
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at"], name="order_company_idx")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=40)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    line_total = models.DecimalField(_("line total"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["order", "position"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "position"], name="order_line_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"


class OrderEvent(models.Model):
    """One status transition of an order, with shipment data where it has any."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=OrderStatus.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    vessel = models.CharField(_("vessel"), max_length=100, blank=True)
    container = models.CharField(_("container"), max_length=20, blank=True)
    bill_of_lading = models.CharField(_("B/L number"), max_length=40, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    tracking_url = models.URLField(_("tracking link"), blank=True)

    class Meta:
        ordering = ["order", "occurred_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(eta__isnull=True)
                | models.Q(etd__isnull=True)
                | models.Q(eta__gte=models.F("etd")),
                name="order_event_eta_after_etd",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order}: {self.from_status or '—'} → {self.to_status}"


class PaymentKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")
    OTHER = "other", _("Other")


class Payment(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="payments", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["order", "received_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.kind}: {self.amount} {self.currency}"


ACCEPTANCE_CHANNELS = [*Channel.values, "staff"]
