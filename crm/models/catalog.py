from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..validators import validate_currency
from .choices import TierCode


class ProductCategory(models.TextChoices):
    INDOOR = "indoor", _("Indoor lighting")
    INDUSTRIAL = "industrial", _("Industrial lighting")
    OUTDOOR = "outdoor", _("Outdoor lighting")
    SOLAR = "solar", _("Solar")
    STORAGE = "storage", _("Energy storage")
    EV = "ev", _("EV charging")
    DECOR = "decor", _("Decorative lighting")


class Product(models.Model):
    """A catalog item. `name` and `description` are translated (see crm/translation.py)."""

    sku = models.CharField(_("SKU"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=ProductCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, default="pcs")
    moq = models.PositiveIntegerField(
        _("minimum order quantity"), validators=[MinValueValidator(1)]
    )
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    certifications = ArrayField(
        models.CharField(max_length=30), default=list, blank=True, verbose_name=_("certifications")
    )
    dangerous_goods = models.CharField(_("dangerous goods class"), max_length=60, blank=True)
    carton_units = models.PositiveIntegerField(
        _("units per carton"), validators=[MinValueValidator(1)]
    )
    carton_gross_kg = models.DecimalField(
        _("gross kg per carton"),
        max_digits=8,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    carton_cbm = models.DecimalField(
        _("CBM per carton"),
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    base_lead_days = models.PositiveIntegerField(_("base lead time (days)"))
    daily_capacity = models.PositiveIntegerField(
        _("daily capacity (units)"), validators=[MinValueValidator(1)]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["sku"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(condition=models.Q(moq__gt=0), name="product_moq_positive"),
            models.CheckConstraint(
                condition=models.Q(carton_units__gt=0), name="product_carton_units_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(carton_gross_kg__gt=0) & models.Q(carton_cbm__gt=0),
                name="product_carton_measures_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(daily_capacity__gt=0), name="product_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["category", "sku"], name="product_category_idx")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class PriceList(models.Model):
    """Unit prices in one currency on one delivery basis (e.g. USD, FOB Ningbo)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    basis = models.CharField(_("price basis"), max_length=60, help_text=_("e.g. FOB Ningbo"))
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="price_list_one_default",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"),
                name="price_list_currency_iso4217",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency}, {self.basis})"


class PriceBreak(models.Model):
    """From `min_quantity` units up, `unit_price` applies (until a higher break)."""

    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="breaks", verbose_name=_("price list")
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="price_breaks", verbose_name=_("product")
    )
    min_quantity = models.PositiveIntegerField(
        _("minimum quantity"), validators=[MinValueValidator(1)]
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["price_list", "product", "min_quantity"]
        verbose_name = _("price break")
        verbose_name_plural = _("price breaks")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"], name="price_break_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(min_quantity__gt=0), name="price_break_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gt=0), name="price_break_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} ≥{self.min_quantity}: {self.unit_price}"


class Tier(models.Model):
    """A customer tier and the discount its companies get off list prices."""

    code = models.CharField(_("code"), max_length=20, choices=TierCode.choices, unique=True)
    discount_percent = models.DecimalField(
        _("discount percent"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["discount_percent"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=0) & models.Q(discount_percent__lte=100),
                name="tier_discount_range",
            ),
            models.CheckConstraint(
                condition=models.Q(code__in=TierCode.values), name="tier_code_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.discount_percent} %)"
