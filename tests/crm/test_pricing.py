"""Every pricing rule of the reference catalog, exactly (pure functions, no database)."""

import json
from decimal import Decimal

import pytest
from django.conf import settings

from crm.incoterms import CostRates, incoterm_components
from crm.pricing import (
    CONTAINERS,
    PricingError,
    ProductTerms,
    cartons_per_container,
    discounted_unit_price,
    price_line,
    round_half_up,
    units_for_containers,
)

CATALOG = json.loads(open(settings.PORTOLAN_REFERENCE_CATALOG, encoding="utf-8").read())
DISCOUNT = {code: Decimal(p) for code, p in CATALOG["tier_discount_percent"].items()}


def terms(sku: str) -> ProductTerms:
    item = next(p for p in CATALOG["products"] if p["sku"] == sku)
    return ProductTerms(
        sku=sku,
        moq=item["moq"],
        breaks=tuple((minimum, Decimal(price)) for minimum, price in item["price_breaks"]),
        base_lead_days=item["base_lead_days"],
        daily_capacity=item["daily_capacity"],
        carton_units=item["carton"]["units"],
        carton_gross_kg=Decimal(item["carton"]["gross_kg"]),
        carton_cbm=Decimal(item["carton"]["cbm"]),
    )


@pytest.mark.parametrize(
    "quantity, unit_price",
    [(100, "9.80"), (499, "9.80"), (500, "8.90"), (1999, "8.90"), (2000, "8.20"), (50000, "8.20")],
)
def test_lp_6060_40_break_boundaries(quantity, unit_price):
    line = price_line(terms("LP-6060-40"), quantity=quantity, discount_percent=DISCOUNT["standard"])
    assert line.unit_price == Decimal(unit_price)
    assert line.line_total == Decimal(unit_price) * quantity


@pytest.mark.parametrize("product", CATALOG["products"], ids=lambda p: p["sku"])
def test_every_break_of_every_product(product):
    product_terms = terms(product["sku"])
    for minimum, price in product["price_breaks"]:
        assert price_line(
            product_terms, quantity=minimum, discount_percent=Decimal(0)
        ).unit_price == Decimal(price)
        if minimum > product["moq"]:
            below = price_line(
                product_terms, quantity=minimum - 1, discount_percent=Decimal(0)
            ).unit_price
            assert below > Decimal(price)


def test_rounding_edge_890_with_5_percent_is_846():
    assert discounted_unit_price(Decimal("8.90"), DISCOUNT["gold"]) == Decimal("8.46")
    line = price_line(terms("LP-6060-40"), quantity=600, discount_percent=DISCOUNT["gold"])
    assert (line.unit_price, line.line_total) == (Decimal("8.46"), Decimal("5076.00"))


@pytest.mark.parametrize(
    "price, tier, expected",
    [
        ("9.80", "silver", "9.51"),  # 9.506 → 9.51
        ("0.62", "strategic", "0.57"),  # 0.5704 → 0.57
        ("1.85", "gold", "1.76"),  # 1.7575 → 1.76 (half up)
        ("4.10", "silver", "3.98"),  # 3.977 → 3.98
        ("0.49", "gold", "0.47"),  # 0.4655 → 0.47
        ("215.00", "strategic", "197.80"),
    ],
)
def test_tier_discounts_round_half_up_to_the_cent(price, tier, expected):
    assert discounted_unit_price(Decimal(price), DISCOUNT[tier]) == Decimal(expected)


def test_round_half_up_not_bankers():
    assert round_half_up(Decimal("2.345")) == Decimal("2.35")
    assert round_half_up(Decimal("2.355")) == Decimal("2.36")


def test_below_moq_is_refused_with_the_moq():
    with pytest.raises(PricingError) as error:
        price_line(terms("LP-6060-40"), quantity=99, discount_percent=Decimal(0))
    assert error.value.code == "below_moq" and error.value.params["moq"] == 100
    price_line(terms("LP-6060-40"), quantity=100, discount_percent=Decimal(0))


@pytest.mark.parametrize(
    "quantity, code",
    [
        (0, "quantity_not_positive"),
        (-5, "quantity_not_positive"),
        (1.5, "quantity_not_whole"),
        (True, "quantity_not_whole"),
    ],
)
def test_bad_quantities(quantity, code):
    with pytest.raises(PricingError) as error:
        price_line(terms("LP-6060-40"), quantity=quantity, discount_percent=Decimal(0))
    assert error.value.code == code


@pytest.mark.parametrize(
    "sku, quantity, days",
    [
        ("LP-6060-40", 2000, 11),  # 10 + ceil(2000/2000)
        ("LP-6060-40", 2001, 12),
        ("HB-UFO-150", 250, 16),  # 15 + ceil(250/400)
        ("SL-AIO-100", 300, 22),  # 20 + 2
        ("INV-H5K", 10, 26),
        ("BL-A60-9", 20000, 11),
    ],
)
def test_lead_time_is_base_plus_days_of_capacity(sku, quantity, days):
    assert (
        price_line(terms(sku), quantity=quantity, discount_percent=Decimal(0)).lead_time_days
        == days
    )


def test_cartons_weight_and_volume_follow_whole_cartons():
    line = price_line(terms("LP-6060-40"), quantity=601, discount_percent=Decimal(0))
    assert line.cartons == 151  # 4 per carton, ceil
    assert line.gross_kg == Decimal("14.0") * 151
    assert line.cbm == Decimal("0.050") * 151


def test_container_fitting_by_volume_and_by_weight():
    # LP-6060-40: 0.05 CBM, 14 kg per carton of 4: a 40HQ holds 68/0.05 = 1360 by volume,
    # 26500/14 = 1892 by weight → 1360 cartons = 5440 panels.
    assert cartons_per_container(terms("LP-6060-40"), CONTAINERS["40HQ"]) == 1360
    assert units_for_containers(terms("LP-6060-40"), container_code="40hq") == 5440
    # PV-M450: 0.12 CBM, 24.5 kg: 20GP by volume 233, by weight 885 → 233 panels.
    assert units_for_containers(terms("PV-M450"), container_code="20GP") == 233
    # BAT-LFP-12100: 0.025 CBM but 11.5 kg: a 20GP holds 1120 by volume, 1886 by weight.
    assert units_for_containers(terms("BAT-LFP-12100"), container_code="20GP", count=2) == 2240
    with pytest.raises(PricingError):
        units_for_containers(terms("PV-M450"), container_code="45XL")


RATES = CostRates(
    freight={"cbm": Decimal("62"), "20GP": Decimal("2350"), "40HQ": Decimal("3900")},
    insurance_percent=Decimal("0.30"),
    origin_per_shipment=Decimal("180"),
    origin_per_cbm=Decimal("12"),
    destination_per_shipment=Decimal("420"),
    destination_per_cbm=Decimal("18"),
    duty_percent=Decimal("6"),
)


def components(incoterm, goods="5076.00", cbm="7.5", kg="2100", rates=RATES):
    return {
        c.kind: c.amount
        for c in incoterm_components(
            incoterm=incoterm,
            goods_value=Decimal(goods),
            cbm=Decimal(cbm),
            gross_kg=Decimal(kg),
            rates=rates,
        )
    }


def test_fob_and_fca_are_the_list_basis():
    assert components("FOB") == {} and components("FCA") == {}


def test_exw_deducts_origin_charges():
    assert components("EXW") == {"origin_charges": Decimal("-270.00")}  # 180 + 7.5 × 12


def test_cfr_and_cpt_add_the_cheapest_freight():
    assert components("CFR") == {"freight": Decimal("465.00")}  # LCL 7.5 × 62
    assert components("CPT") == components("CFR")
    # 60 CBM: LCL 3720, one 40HQ 3900, three 20GP 7050 → LCL; 66 CBM: LCL 4092 > 40HQ 3900.
    assert components("CFR", cbm="66") == {"freight": Decimal("3900")}


def test_cif_insures_110_percent_of_cfr():
    result = components("CIF")
    assert result["insurance"] == round_half_up(
        (Decimal("5076") + Decimal("465")) * Decimal("1.1") * Decimal("0.003")
    )
    assert result["insurance"] == Decimal("18.29")
    assert components("CIP") == result


def test_dap_adds_destination_charges():
    result = components("DAP")
    assert result["destination_charges"] == Decimal("555.00")  # 420 + 7.5 × 18
    assert set(result) == {"freight", "insurance", "destination_charges"}


def test_ddp_adds_duty_on_the_cif_value():
    result = components("DDP")
    cif = Decimal("5076") + result["freight"] + result["insurance"]
    assert result["duty"] == round_half_up(cif * Decimal("0.06"))


@pytest.mark.parametrize(
    "incoterm, missing, rates",
    [
        ("CFR", "freight", CostRates()),
        ("CIF", "insurance", CostRates(freight={"cbm": Decimal(1)})),
        (
            "DAP",
            "destination_charges",
            CostRates(freight={"cbm": Decimal(1)}, insurance_percent=Decimal(1)),
        ),
        (
            "DDP",
            "duty",
            CostRates(
                freight={"cbm": Decimal(1)},
                insurance_percent=Decimal(1),
                destination_per_shipment=Decimal(1),
            ),
        ),
        ("EXW", "origin_charges", CostRates()),
    ],
)
def test_missing_rate_is_refused_not_guessed(incoterm, missing, rates):
    with pytest.raises(PricingError) as error:
        components(incoterm, rates=rates)
    assert error.value.code == "missing_rate" and error.value.params["rate"] == missing


def test_unknown_incoterm():
    with pytest.raises(PricingError) as error:
        components("FAS")
    assert error.value.code == "unknown_incoterm"
