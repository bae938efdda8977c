"""Incoterm cost components, as pure Decimal arithmetic over configured cost rates.

List prices are FOB Ningbo. Each term adds or removes explicit components:

| term     | components (all in the base currency, USD)                          |
|----------|---------------------------------------------------------------------|
| EXW      | origin charges deducted (inland haulage, export clearance)          |
| FCA, FOB | none: the list basis                                                |
| CFR, CPT | main-carriage freight to the destination                            |
| CIF, CIP | freight + insurance: 110 % of the CFR/CPT value × insurance rate    |
| DAP      | freight + insurance + destination charges                           |
| DDP      | freight + insurance + destination charges + import duty on the CIF value |

Freight takes the cheapest configured way to carry the shipment: per CBM (LCL) or
whole containers (FCL). A rate the term needs that is not configured is an error,
never a guess.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .pricing import CONTAINERS, PricingError, containers_needed, round_half_up

INCOTERMS = ("EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DDP")
NEEDS_DESTINATION = frozenset({"CFR", "CIF", "CPT", "CIP", "DAP", "DDP"})
WITH_FREIGHT = NEEDS_DESTINATION
WITH_INSURANCE = frozenset({"CIF", "CIP", "DAP", "DDP"})
WITH_DESTINATION_CHARGES = frozenset({"DAP", "DDP"})
INSURED_SHARE = Decimal("1.10")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class CostRates:
    """The configured rates that apply to one shipment's origin and destination."""

    freight: dict[str, Decimal] = field(default_factory=dict)  # "cbm", "20GP", "40HQ"… → USD
    insurance_percent: Decimal | None = None
    origin_per_shipment: Decimal | None = None
    origin_per_cbm: Decimal | None = None
    destination_per_shipment: Decimal | None = None
    destination_per_cbm: Decimal | None = None
    duty_percent: Decimal | None = None


@dataclass(frozen=True)
class Component:
    kind: str  # origin_charges, freight, insurance, destination_charges, duty
    amount: Decimal
    detail: dict = field(default_factory=dict)


def freight_component(*, cbm: Decimal, gross_kg: Decimal, rates: CostRates) -> Component:
    options = []
    if "cbm" in rates.freight:
        options.append(
            (round_half_up(cbm * rates.freight["cbm"]), {"basis": "cbm", "cbm": str(cbm)})
        )
    for code, container in CONTAINERS.items():
        if code in rates.freight:
            count = containers_needed(cbm=cbm, gross_kg=gross_kg, container=container)
            options.append((rates.freight[code] * count, {"basis": code, "count": count}))
    if not options:
        raise PricingError("missing_rate", rate="freight")
    amount, detail = min(options, key=lambda option: option[0])
    return Component("freight", amount, detail)


def incoterm_components(
    *, incoterm: str, goods_value: Decimal, cbm: Decimal, gross_kg: Decimal, rates: CostRates
) -> list[Component]:
    """The components `incoterm` adds to (or removes from) FOB `goods_value`."""
    if incoterm not in INCOTERMS:
        raise PricingError("unknown_incoterm", incoterm=incoterm)
    components: list[Component] = []
    if incoterm == "EXW":
        if rates.origin_per_shipment is None and rates.origin_per_cbm is None:
            raise PricingError("missing_rate", rate="origin_charges")
        amount = (rates.origin_per_shipment or 0) + round_half_up(cbm * (rates.origin_per_cbm or 0))
        components.append(Component("origin_charges", -amount, {"cbm": str(cbm)}))
        return components
    if incoterm not in WITH_FREIGHT:
        return components
    freight = freight_component(cbm=cbm, gross_kg=gross_kg, rates=rates)
    components.append(freight)
    insurance = Decimal(0)
    if incoterm in WITH_INSURANCE:
        if rates.insurance_percent is None:
            raise PricingError("missing_rate", rate="insurance")
        insured = (goods_value + freight.amount) * INSURED_SHARE
        insurance = round_half_up(insured * rates.insurance_percent / HUNDRED)
        components.append(
            Component(
                "insurance",
                insurance,
                {"percent": str(rates.insurance_percent), "insured_value": str(insured)},
            )
        )
    if incoterm in WITH_DESTINATION_CHARGES:
        if rates.destination_per_shipment is None and rates.destination_per_cbm is None:
            raise PricingError("missing_rate", rate="destination_charges")
        amount = (rates.destination_per_shipment or 0) + round_half_up(
            cbm * (rates.destination_per_cbm or 0)
        )
        components.append(Component("destination_charges", amount, {"cbm": str(cbm)}))
    if incoterm == "DDP":
        if rates.duty_percent is None:
            raise PricingError("missing_rate", rate="duty")
        customs_value = goods_value + freight.amount + insurance
        duty = round_half_up(customs_value * rates.duty_percent / HUNDRED)
        components.append(
            Component(
                "duty",
                duty,
                {"percent": str(rates.duty_percent), "customs_value": str(customs_value)},
            )
        )
    return components
