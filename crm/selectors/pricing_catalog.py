"""Everything pricing reads, held in memory per process.

A preview must be fast (the assistant prices while the buyer waits), so products,
price breaks, tiers, exchange rates and cost rates are loaded once into an immutable
snapshot. A version key in Redis says which snapshot is current: any write to those
models bumps it (immediately, and again on commit, so no process keeps a snapshot
of uncommitted data), and every process reloads on its next preview. A preview
therefore costs one Redis GET, never a stale price.

Writes through `QuerySet.update()` or `bulk_create` send no model signals: call
`pricing_catalog_invalidate()` after them.
"""

import bisect
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ..models import (
    ChargeSide,
    DutyRate,
    ExchangeRate,
    FreightRate,
    InsuranceRate,
    LocalCharge,
    PriceBreak,
    PriceList,
    Product,
    Tier,
)
from ..pricing import ProductTerms

VERSION_KEY = "pricing-catalog-version"
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class CatalogProduct:
    id: int
    sku: str
    unit: str
    hs_code: str
    dangerous_goods: str
    names: dict[str, str]
    terms: dict[str, ProductTerms]  # by price list currency
    certifications: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names.get("en") or self.sku

    def model_name(self) -> str:
        """What `Product.name` reads in the active language, modeltranslation's
        fallbacks included, from this snapshot's translations."""
        fields = SimpleNamespace(
            **{f"name_{code.replace('-', '_')}": value for code, value in self.names.items()}
        )
        return Product.__dict__["name"].__get__(fields, Product)


@dataclass(frozen=True)
class PricingCatalog:
    version: str
    products: dict[str, CatalogProduct]
    list_currencies: frozenset[str]
    tiers: dict[str, Decimal]
    rates: dict[tuple[str, str], tuple[tuple[date, ...], tuple[Decimal, ...]]]
    freight: dict[str, dict[str, Decimal]]
    insurance: dict[str, Decimal]
    origin: tuple[Decimal, Decimal] | None
    destination: dict[str, tuple[Decimal, Decimal]]
    duty: dict[str, tuple[tuple[str, Decimal], ...]]

    def exchange_rate(self, *, base: str, quote: str, on_date: date) -> Decimal | None:
        """Units of `quote` per unit of `base`: the latest rate on or before `on_date`."""
        if base == quote:
            return Decimal(1)
        dates, values = self.rates.get((base, quote), ((), ()))
        index = bisect.bisect_right(dates, on_date)
        return values[index - 1] if index else None


_lock = threading.Lock()
_snapshot: PricingCatalog | None = None
_checked_at = 0.0
RECHECK_SECONDS = 0.2


def _load(version: str) -> PricingCatalog:
    lists = {price_list.pk: price_list.currency for price_list in PriceList.objects.all()}
    breaks: dict[tuple[int, str], list[tuple[int, Decimal]]] = {}
    for product_id, list_id, minimum, price in PriceBreak.objects.values_list(
        "product_id", "price_list_id", "min_quantity", "unit_price"
    ):
        breaks.setdefault((product_id, lists[list_id]), []).append((minimum, price))
    products = {}
    for product in Product.objects.filter(active=True):
        names = {
            code: getattr(product, f"name_{code.replace('-', '_')}") or ""
            for code in LANGUAGE_CODES
        }
        terms = {
            currency: ProductTerms(
                sku=product.sku,
                moq=product.moq,
                breaks=tuple(sorted(product_breaks)),
                base_lead_days=product.base_lead_days,
                daily_capacity=product.daily_capacity,
                carton_units=product.carton_units,
                carton_gross_kg=product.carton_gross_kg,
                carton_cbm=product.carton_cbm,
                unit=product.unit,
            )
            for (product_id, currency), product_breaks in breaks.items()
            if product_id == product.pk
        }
        products[product.sku] = CatalogProduct(
            id=product.pk,
            sku=product.sku,
            unit=product.unit,
            hs_code=product.hs_code,
            dangerous_goods=product.dangerous_goods,
            names=names,
            terms=terms,
            certifications=tuple(product.certifications or ()),
        )
    rates: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
    for rate in ExchangeRate.objects.order_by("date"):
        rates.setdefault((rate.base_currency, rate.quote_currency), []).append(
            (rate.date, rate.rate)
        )
    freight: dict[str, dict[str, Decimal]] = {}
    for rate in FreightRate.objects.all():
        freight.setdefault(rate.destination_country.code, {})[rate.basis] = rate.amount
    origin = LocalCharge.objects.filter(side=ChargeSide.ORIGIN, country="").first()
    duty: dict[str, list[tuple[str, Decimal]]] = {}
    for rate in DutyRate.objects.all():
        duty.setdefault(rate.country.code, []).append(
            (rate.hs_prefix.replace(".", ""), rate.percent)
        )
    return PricingCatalog(
        version=version,
        products=products,
        list_currencies=frozenset(lists.values()),
        tiers={tier.code: tier.discount_percent for tier in Tier.objects.all()},
        rates={
            pair: (tuple(d for d, _r in entries), tuple(r for _d, r in entries))
            for pair, entries in rates.items()
        },
        freight=freight,
        insurance={
            rate.destination_country.code: rate.percent for rate in InsuranceRate.objects.all()
        },
        origin=(origin.per_shipment, origin.per_cbm) if origin else None,
        destination={
            charge.country.code: (charge.per_shipment, charge.per_cbm)
            for charge in LocalCharge.objects.filter(side=ChargeSide.DESTINATION)
        },
        duty={country: tuple(entries) for country, entries in duty.items()},
    )


def pricing_catalog() -> PricingCatalog:
    """The current snapshot, reloaded when another process (or this one) changed the data.
    Another process's change is seen within `RECHECK_SECONDS` (one Redis read per that
    interval, not per call: an assistant turn asks many times); this process's own
    writes are seen at once (`pricing_catalog_invalidate` drops the snapshot)."""
    global _snapshot, _checked_at
    snapshot = _snapshot
    if snapshot is not None and time.monotonic() - _checked_at < RECHECK_SECONDS:
        return snapshot
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY) or version
    _checked_at = time.monotonic()
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _lock:
        if _snapshot is None or _snapshot.version != version:
            _snapshot = _load(version)
        return _snapshot


def pricing_catalog_invalidate() -> None:
    """Make every process reload: now (for this transaction's own reads) and on commit."""
    global _snapshot

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)

    _snapshot = None
    bump()
    transaction.on_commit(bump)


def pricing_catalog_forget() -> None:
    """Drop this process's snapshot (tests start each case from the database)."""
    global _snapshot
    _snapshot = None


def _on_change(sender, **kwargs):
    pricing_catalog_invalidate()


PRICING_MODELS = (
    Product,
    PriceList,
    PriceBreak,
    Tier,
    ExchangeRate,
    FreightRate,
    InsuranceRate,
    LocalCharge,
    DutyRate,
)


def connect_invalidation() -> None:
    for model in PRICING_MODELS:
        post_save.connect(
            _on_change, sender=model, dispatch_uid=f"pricing-catalog-save-{model.__name__}"
        )
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"pricing-catalog-delete-{model.__name__}"
        )
