"""Configured rates that turn FOB list prices into other incoterms and currencies."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..validators import validate_currency


class ExchangeRate(models.Model):
    """On `date`, one `base_currency` buys `rate` units of `quote_currency`. A document
    uses the latest rate on or before its date."""

    date = models.DateField(_("date"))
    base_currency = models.CharField(_("from"), max_length=3, validators=[validate_currency])
    quote_currency = models.CharField(_("to"), max_length=3, validators=[validate_currency])
    rate = models.DecimalField(
        _("rate"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(Decimal("0.00000001"))],
    )

    class Meta:
        ordering = ["-date", "base_currency", "quote_currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "base_currency", "quote_currency"],
                name="exchange_rate_unique_per_day",
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~models.Q(base_currency=models.F("quote_currency")),
                name="exchange_rate_two_currencies",
            ),
        ]
        indexes = [
            models.Index(
                fields=["base_currency", "quote_currency", "-date"], name="exchange_rate_lookup_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date}: 1 {self.base_currency} = {self.rate} {self.quote_currency}"


class FreightBasis(models.TextChoices):
    CBM = "cbm", _("per CBM (LCL)")
    GP20 = "20GP", _("per 20' container")
    GP40 = "40GP", _("per 40' container")
    HQ40 = "40HQ", _("per 40' high cube")


class FreightRate(models.Model):
    """Main-carriage freight from the port of loading to a destination country, in USD."""

    destination_country = CountryField(_("destination country"))
    basis = models.CharField(_("basis"), max_length=5, choices=FreightBasis.choices)
    amount = models.DecimalField(
        _("amount (USD)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["destination_country", "basis"]
        verbose_name = _("freight rate")
        verbose_name_plural = _("freight rates")
        constraints = [
            models.UniqueConstraint(
                fields=["destination_country", "basis"], name="freight_rate_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="freight_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.destination_country.code} {self.basis}: {self.amount} USD"


class InsuranceRate(models.Model):
    """Cargo insurance premium in percent of the insured value (110 % of CFR/CPT). A
    blank country is the default for every destination."""

    destination_country = CountryField(_("destination country"), blank=True)
    percent = models.DecimalField(
        _("premium (%)"),
        max_digits=6,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["destination_country"]
        verbose_name = _("insurance rate")
        verbose_name_plural = _("insurance rates")
        constraints = [
            models.UniqueConstraint(fields=["destination_country"], name="insurance_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
                name="insurance_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.destination_country.code or '*'}: {self.percent} %"


class ChargeSide(models.TextChoices):
    ORIGIN = "origin", _("Origin (deducted for EXW)")
    DESTINATION = "destination", _("Destination (added for DAP/DDP)")


class LocalCharge(models.Model):
    """Handling, clearance and delivery charges at one end of the trip, in USD. Origin
    charges have no country (the port of loading)."""

    side = models.CharField(_("side"), max_length=12, choices=ChargeSide.choices)
    country = CountryField(_("country"), blank=True)
    per_shipment = models.DecimalField(
        _("per shipment (USD)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    per_cbm = models.DecimalField(
        _("per CBM (USD)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["side", "country"]
        verbose_name = _("local charge")
        verbose_name_plural = _("local charges")
        constraints = [
            models.UniqueConstraint(fields=["side", "country"], name="local_charge_unique"),
            models.CheckConstraint(
                condition=models.Q(per_shipment__gte=0) & models.Q(per_cbm__gte=0),
                name="local_charge_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.country.code or ''}"


class DutyRate(models.Model):
    """Import duty in a destination country, in percent of the customs (CIF) value. The
    longest matching HS-code prefix wins; a blank prefix applies to every product."""

    country = CountryField(_("country"))
    hs_prefix = models.CharField(_("HS code prefix"), max_length=12, blank=True)
    percent = models.DecimalField(
        _("duty (%)"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )

    class Meta:
        ordering = ["country", "hs_prefix"]
        verbose_name = _("duty rate")
        verbose_name_plural = _("duty rates")
        constraints = [
            models.UniqueConstraint(fields=["country", "hs_prefix"], name="duty_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0), name="duty_rate_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country.code} {self.hs_prefix or '*'}: {self.percent} %"
