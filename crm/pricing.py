"""Pure Decimal arithmetic of export pricing, as the reference catalog states it:

- a quantity uses the highest price break whose minimum it reaches;
- unit_price = round_half_up(break_price × (100 − tier discount %) / 100, 2);
- line_total = unit_price × quantity; below the MOQ a line cannot be quoted;
- lead_time_days = base_lead_days + ceil(quantity / daily_capacity), a quote's is its
  longest line;
- cartons = ceil(quantity / units per carton); weight and volume follow the cartons.

No database access here: callers load the terms and pass them in. Errors carry a code
and parameters so callers can word them in the user's language.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import ceil

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Container:
    code: str
    usable_cbm: Decimal
    max_payload_kg: Decimal


# Usable volume (not the internal volume: cartons never fill a box completely) and the
# payload a loaded box may carry on the road.
CONTAINERS = {
    "20GP": Container("20GP", Decimal("28"), Decimal("21700")),
    "40GP": Container("40GP", Decimal("58"), Decimal("26500")),
    "40HQ": Container("40HQ", Decimal("68"), Decimal("26500")),
}


class PricingError(ValueError):
    """A line or quote that cannot be priced; `code` and `params` say why."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


@dataclass(frozen=True)
class ProductTerms:
    """What pricing needs to know about one product."""

    sku: str
    moq: int
    breaks: tuple[tuple[int, Decimal], ...]
    base_lead_days: int
    daily_capacity: int
    carton_units: int
    carton_gross_kg: Decimal
    carton_cbm: Decimal
    unit: str = "pcs"


@dataclass(frozen=True)
class LinePrice:
    sku: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    lead_time_days: int
    cartons: int
    gross_kg: Decimal
    cbm: Decimal


def round_half_up(amount: Decimal, places: Decimal = CENT) -> Decimal:
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def break_price_for(breaks: Iterable[tuple[int, Decimal]], quantity: int) -> Decimal | None:
    """The price of the highest break whose minimum `quantity` reaches; None below all."""
    reached = [(minimum, price) for minimum, price in breaks if quantity >= minimum]
    if not reached:
        return None
    return max(reached)[1]


def discounted_unit_price(break_price: Decimal, discount_percent: Decimal) -> Decimal:
    """round_half_up(break_price × (100 − discount) / 100, 2)."""
    return round_half_up(break_price * (HUNDRED - discount_percent) / HUNDRED)


def lead_time_days(*, base_lead_days: int, daily_capacity: int, quantity: int) -> int:
    return base_lead_days + ceil(quantity / daily_capacity)


def cartons_for(*, quantity: int, carton_units: int) -> int:
    return ceil(quantity / carton_units)


def cartons_per_container(product: ProductTerms, container: Container) -> int:
    """How many of the product's cartons one container takes, by volume and by weight."""
    by_volume = int(container.usable_cbm // product.carton_cbm)
    by_weight = int(container.max_payload_kg // product.carton_gross_kg)
    return min(by_volume, by_weight)


def units_for_containers(product: ProductTerms, *, container_code: str, count: int = 1) -> int:
    """A buyer's "1x40HQ" of this product, in units (whole cartons)."""
    container = CONTAINERS.get(container_code.upper())
    if container is None:
        raise PricingError("unknown_container", container=container_code)
    if count <= 0:
        raise PricingError("quantity_not_positive", sku=product.sku, quantity=count)
    return cartons_per_container(product, container) * product.carton_units * count


def price_line(product: ProductTerms, *, quantity: int, discount_percent: Decimal) -> LinePrice:
    """Price `quantity` units of `product` for a buyer with this tier discount."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise PricingError("quantity_not_whole", sku=product.sku, quantity=quantity)
    if quantity <= 0:
        raise PricingError("quantity_not_positive", sku=product.sku, quantity=quantity)
    if quantity < product.moq:
        raise PricingError("below_moq", sku=product.sku, quantity=quantity, moq=product.moq)
    break_price = break_price_for(product.breaks, quantity)
    if break_price is None:
        raise PricingError("no_price", sku=product.sku, quantity=quantity)
    unit_price = discounted_unit_price(break_price, discount_percent)
    cartons = cartons_for(quantity=quantity, carton_units=product.carton_units)
    return LinePrice(
        sku=product.sku,
        quantity=quantity,
        unit_price=unit_price,
        line_total=unit_price * quantity,
        lead_time_days=lead_time_days(
            base_lead_days=product.base_lead_days,
            daily_capacity=product.daily_capacity,
            quantity=quantity,
        ),
        cartons=cartons,
        gross_kg=product.carton_gross_kg * cartons,
        cbm=product.carton_cbm * cartons,
    )


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """An amount in another currency at `rate` (units of target per unit of source)."""
    return round_half_up(amount * rate)


def containers_needed(*, cbm: Decimal, gross_kg: Decimal, container: Container) -> int:
    """Boxes of one size that take the whole shipment, by volume and by weight."""
    if cbm <= 0 and gross_kg <= 0:
        return 0
    return max(ceil(cbm / container.usable_cbm), ceil(gross_kg / container.max_payload_kg), 1)


def quote_lead_time(lines: Sequence[LinePrice]) -> int:
    return max((line.lead_time_days for line in lines), default=0)
