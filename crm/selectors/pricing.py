"""Price a set of items for a buyer: the one path the preview API, quotes and the
assistant use. Loads products, breaks, tiers, rates and costs, then applies the pure
arithmetic of `crm.pricing` and `crm.incoterms`."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.data import COUNTRIES

from .. import incoterms
from ..models import Company, TierCode
from ..pricing import (
    PricingError,
    ProductTerms,
    break_price_for,
    convert,
    discounted_unit_price,
    price_line,
    quote_lead_time,
)
from .pricing_catalog import CatalogProduct, PricingCatalog, pricing_catalog

BASE_CURRENCY = "USD"
MAX_QUANTITY = 100_000_000
COUNTRY_CODES = frozenset(COUNTRIES)
# Warn when a quantity is this close below the next price break.
NEXT_BREAK_HINT_SHARE = Decimal("0.9")
MAX_EXTRA_DISCOUNT_PERCENT = Decimal(50)


class PricingInputError(Exception):
    """What the request got wrong, as messages a person understands: `errors` maps a
    field (or "items" → {index: [messages]}) to messages."""

    def __init__(self, errors: dict):
        self.errors = errors
        super().__init__(str(errors))


@dataclass(frozen=True)
class PricedLine:
    sku: str
    name: str
    unit: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    lead_time_days: int
    cartons: int
    gross_kg: Decimal
    cbm: Decimal
    product_id: int


@dataclass(frozen=True)
class PricedComponent:
    kind: str
    amount: Decimal
    label: str
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PricingResult:
    currency: str
    exchange_rate: Decimal
    tier: str
    incoterm: str
    destination_country: str
    lines: list[PricedLine]
    subtotal: Decimal
    components: list[PricedComponent]
    total: Decimal
    lead_time_days: int
    cbm: Decimal
    gross_kg: Decimal
    warnings: list[str]


def exchange_rate_on(*, base: str, quote: str, on_date: date) -> Decimal | None:
    """Units of `quote` per unit of `base` on `on_date` (the latest rate on or before it)."""
    return pricing_catalog().exchange_rate(base=base, quote=quote, on_date=on_date)


def _error_message(error: PricingError) -> str:
    params = error.params
    if error.code == "below_moq":
        return (
            _("%(quantity)s is below the minimum order quantity of %(moq)s for %(sku)s.") % params
        )
    if error.code == "quantity_not_positive":
        return _("The quantity must be more than zero.")
    if error.code == "quantity_not_whole":
        return _("The quantity must be a whole number of units.")
    if error.code == "quantity_too_large":
        return _("The quantity cannot be more than %(maximum)s.") % params
    if error.code == "no_price":
        return _("%(sku)s has no price for %(quantity)s units.") % params
    if error.code == "unknown_incoterm":
        return _("Unknown incoterm “%(incoterm)s”; use one of %(terms)s.") % {
            **params,
            "terms": ", ".join(incoterms.INCOTERMS),
        }
    if error.code == "missing_rate":
        names = {
            "freight": _("freight"),
            "insurance": _("insurance"),
            "origin_charges": _("origin charges"),
            "destination_charges": _("destination charges"),
            "duty": _("import duty"),
        }
        return _(
            "No %(rate)s rate is configured for this destination; add one in the admin before quoting this incoterm."
        ) % {"rate": names.get(params["rate"], params["rate"])}
    return str(error)


def _plain(value) -> str:
    """A decimal without trailing zeros: "7.5000" → "7.5", "100" stays "100"."""
    return format(Decimal(str(value)).normalize(), "f")


def component_label(kind: str, detail: dict, *, destination_country: str) -> str:
    """A cost component's label in the active language."""
    country = countries.name(destination_country) if destination_country else ""
    detail = {
        key: _plain(value) if key in ("cbm", "percent") else value for key, value in detail.items()
    }
    if kind == "freight":
        if detail.get("basis") == "cbm":
            return _("Ocean freight to %(country)s (%(cbm)s CBM, LCL)") % {
                "country": country,
                "cbm": detail["cbm"],
            }
        return _("Ocean freight to %(country)s (%(count)s × %(container)s)") % {
            "country": country,
            "count": detail.get("count"),
            "container": detail.get("basis"),
        }
    if kind == "insurance":
        return _("Cargo insurance (%(percent)s %% of 110 %% of the CFR value)") % detail
    if kind == "origin_charges":
        return _("Origin charges deducted (EXW)")
    if kind == "destination_charges":
        return _("Destination charges in %(country)s") % {"country": country}
    if kind == "duty":
        return _("Import duty (%(percent)s %% of the customs value)") % detail
    return kind


def _cost_rates(
    *, catalog: PricingCatalog, incoterm: str, destination_country: str, lines: Sequence
) -> incoterms.CostRates:
    if incoterm in ("FOB", "FCA"):
        return incoterms.CostRates()
    insurance = catalog.insurance.get(destination_country, catalog.insurance.get(""))
    destination = catalog.destination.get(destination_country)
    duty = None
    if incoterm == "DDP":
        duty = _weighted_duty_percent(
            catalog=catalog, destination_country=destination_country, lines=lines
        )
    return incoterms.CostRates(
        freight=catalog.freight.get(destination_country, {}),
        insurance_percent=insurance,
        origin_per_shipment=catalog.origin[0] if catalog.origin else None,
        origin_per_cbm=catalog.origin[1] if catalog.origin else None,
        destination_per_shipment=destination[0] if destination else None,
        destination_per_cbm=destination[1] if destination else None,
        duty_percent=duty,
    )


def _weighted_duty_percent(
    *, catalog: PricingCatalog, destination_country: str, lines: Sequence
) -> Decimal | None:
    """Each line's duty (longest matching HS prefix) weighted by the line's value; None
    when a line has no rate."""
    rates = catalog.duty.get(destination_country, ())
    total_value = sum((line.line_total for line in lines), Decimal(0))
    if not total_value:
        return Decimal(0)
    weighted = Decimal(0)
    for line in lines:
        hs_code = catalog.products[line.sku].hs_code.replace(".", "")
        matching = [(prefix, percent) for prefix, percent in rates if hs_code.startswith(prefix)]
        if not matching:
            return None
        weighted += max(matching, key=lambda rate: len(rate[0]))[1] * line.line_total
    return weighted / total_value


def _warnings(*, terms: ProductTerms, quantity: int, product: CatalogProduct) -> list[str]:
    warnings = []
    higher = sorted(minimum for minimum, _price in terms.breaks if minimum > quantity)
    if higher and quantity >= higher[0] * NEXT_BREAK_HINT_SHARE:
        next_price = break_price_for(terms.breaks, higher[0])
        warnings.append(
            _(
                "%(sku)s: %(more)s more units (%(next)s in all) reach the next price break of %(price)s."
            )
            % {
                "sku": terms.sku,
                "more": higher[0] - quantity,
                "next": higher[0],
                "price": next_price,
            }
        )
    if product.dangerous_goods:
        warnings.append(
            _(
                "%(sku)s is dangerous goods (%(class)s): sea freight needs DG booking and may cost more."
            )
            % {"sku": terms.sku, "class": product.dangerous_goods}
        )
    return warnings


def _parse_quantity(raw) -> int:
    if isinstance(raw, bool):
        raise PricingError("quantity_not_whole", quantity=raw)
    if isinstance(raw, int):
        value = Decimal(raw)
    else:
        try:
            value = Decimal(str(raw).strip()[:40])
        except (InvalidOperation, ValueError) as error:
            raise PricingError("quantity_not_whole", quantity=raw) from error
        if not value.is_finite() or value != value.to_integral_value():
            raise PricingError("quantity_not_whole", quantity=raw)
    # Checked before int(): a huge exponent would take the CPU for minutes.
    if value > MAX_QUANTITY:
        raise PricingError("quantity_too_large", quantity=raw, maximum=MAX_QUANTITY)
    return int(value)


def pricing_preview(
    *,
    items: Sequence[dict],
    tier: str | None = None,
    company: Company | None = None,
    incoterm: str = "FOB",
    currency: str = BASE_CURRENCY,
    destination_country: str = "",
    on_date: date | None = None,
    extra_discount_percent: Decimal = Decimal(0),
) -> PricingResult:
    """Price `items` ([{"sku", "quantity"}]) for a tier (or a company's tier) on an
    incoterm, in a currency, as of `on_date`. Raises PricingInputError listing every
    problem at once; nothing is written.

    `extra_discount_percent` (0–50, e.g. a discount the seller granted this buyer) comes
    off each unit price after the tier discount, rounded half up to the cent."""
    catalog = pricing_catalog()
    language = get_language() or "en"
    on_date = on_date or timezone.localdate()
    incoterm = (incoterm or "FOB").upper()
    currency = (currency or BASE_CURRENCY).upper()
    destination_country = (destination_country or "").upper()
    errors: dict = {}

    tier_code = company.tier if company is not None else (tier or TierCode.STANDARD)
    discount = catalog.tiers.get(tier_code)
    if discount is None:
        errors["tier"] = [_("Unknown tier “%(tier)s”.") % {"tier": tier_code}]
    if incoterm not in incoterms.INCOTERMS:
        errors["incoterm"] = [_error_message(PricingError("unknown_incoterm", incoterm=incoterm))]
    elif incoterm in incoterms.NEEDS_DESTINATION and not destination_country:
        errors["destination_country"] = [
            _("%(incoterm)s needs a destination country.") % {"incoterm": incoterm}
        ]
    if destination_country and destination_country not in COUNTRY_CODES:
        errors["destination_country"] = [
            _("“%(code)s” is not an ISO 3166 country code.") % {"code": destination_country}
        ]
    if not items:
        errors["items"] = [_("Add at least one item.")]
    try:
        extra_discount = Decimal(str(extra_discount_percent or 0))
    except InvalidOperation:
        extra_discount = Decimal(-1)
    if not extra_discount.is_finite() or not (0 <= extra_discount <= MAX_EXTRA_DISCOUNT_PERCENT):
        errors["extra_discount_percent"] = [
            _("An extra discount must be between 0 and %(max)s %%.")
            % {"max": MAX_EXTRA_DISCOUNT_PERCENT}
        ]

    # Lines come from a price list in the requested currency if there is one, otherwise
    # from the USD list converted at the rate of the day; costs are always USD.
    list_currency = currency if currency in catalog.list_currencies else BASE_CURRENCY
    rate = catalog.exchange_rate(base=list_currency, quote=currency, on_date=on_date)
    components_rate = catalog.exchange_rate(base=BASE_CURRENCY, quote=currency, on_date=on_date)
    if rate is None or components_rate is None:
        errors["currency"] = [
            _("No exchange rate from %(base)s to %(currency)s on or before %(date)s.")
            % {"base": BASE_CURRENCY, "currency": currency, "date": on_date.isoformat()}
        ]

    lines: list[PricedLine] = []
    warnings: list[str] = []
    item_errors: dict[int, list[str]] = {}
    seen = set()
    goods_in_list_currency = Decimal(0)
    for index, item in enumerate(items or []):
        sku = str(item.get("sku", "")).strip().upper()
        product = catalog.products.get(sku)
        terms = product.terms.get(list_currency) if product else None
        problems = []
        if product is None:
            problems.append(_("Unknown product “%(sku)s”.") % {"sku": sku or "—"})
        elif terms is None:
            problems.append(
                _("%(sku)s has no price in %(currency)s.") % {"sku": sku, "currency": list_currency}
            )
        elif sku in seen:
            problems.append(
                _("%(sku)s is listed twice; put the whole quantity on one line.") % {"sku": sku}
            )
        else:
            seen.add(sku)
            try:
                quantity = _parse_quantity(item.get("quantity"))
                priced = price_line(
                    terms, quantity=quantity, discount_percent=discount or Decimal(0)
                )
            except PricingError as error:
                error.params.setdefault("sku", sku)
                problems.append(_error_message(error))
            else:
                list_unit_price = (
                    discounted_unit_price(priced.unit_price, extra_discount)
                    if extra_discount > 0
                    else priced.unit_price
                )
                goods_in_list_currency += list_unit_price * quantity
                unit_price = (
                    list_unit_price if rate in (None, 1) else convert(list_unit_price, rate)
                )
                lines.append(
                    PricedLine(
                        sku=sku,
                        name=product.name(language),
                        unit=product.unit,
                        quantity=quantity,
                        unit_price=unit_price,
                        line_total=unit_price * quantity,
                        lead_time_days=priced.lead_time_days,
                        cartons=priced.cartons,
                        gross_kg=priced.gross_kg,
                        cbm=priced.cbm,
                        product_id=product.id,
                    )
                )
                warnings += _warnings(terms=terms, quantity=quantity, product=product)
        if problems:
            item_errors[index] = problems
    if item_errors:
        errors["items"] = item_errors
    if errors:
        raise PricingInputError(errors)

    subtotal = sum((line.line_total for line in lines), Decimal(0))
    cbm = sum((line.cbm for line in lines), Decimal(0))
    gross_kg = sum((line.gross_kg for line in lines), Decimal(0))
    # Insurance and duty are computed on the goods in USD, like every configured cost.
    goods_usd = (
        goods_in_list_currency if list_currency == BASE_CURRENCY else subtotal / components_rate
    )
    try:
        rates = _cost_rates(
            catalog=catalog, incoterm=incoterm, destination_country=destination_country, lines=lines
        )
        raw_components = incoterms.incoterm_components(
            incoterm=incoterm, goods_value=goods_usd, cbm=cbm, gross_kg=gross_kg, rates=rates
        )
    except PricingError as error:
        raise PricingInputError({"incoterm": [_error_message(error)]}) from error
    components = [
        PricedComponent(
            kind=component.kind,
            amount=component.amount
            if components_rate == 1
            else convert(component.amount, components_rate),
            label=component_label(
                component.kind, component.detail, destination_country=destination_country
            ),
            detail=component.detail,
        )
        for component in raw_components
    ]
    total = subtotal + sum((component.amount for component in components), Decimal(0))
    if incoterm in ("FOB", "FCA") and destination_country:
        warnings.append(
            _("Prices are %(incoterm)s Ningbo: freight to the destination is not included.")
            % {"incoterm": incoterm}
        )
    return PricingResult(
        currency=currency,
        exchange_rate=rate or Decimal(1),
        tier=tier_code,
        incoterm=incoterm,
        destination_country=destination_country,
        lines=lines,
        subtotal=subtotal,
        components=components,
        total=total,
        lead_time_days=quote_lead_time(lines),
        cbm=cbm,
        gross_kg=gross_kg,
        warnings=warnings,
    )
