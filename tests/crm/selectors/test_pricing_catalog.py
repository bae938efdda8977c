"""Prices come from an in-memory snapshot; it must never serve a stale price."""

import time
from decimal import Decimal

from django.core.cache import cache

from crm.models import PriceBreak, Tier
from crm.selectors.pricing import pricing_preview
from crm.selectors.pricing_catalog import RECHECK_SECONDS, VERSION_KEY, pricing_catalog

ITEMS = [{"sku": "LP-6060-40", "quantity": 500}]


def unit_price(**kwargs):
    return pricing_preview(items=ITEMS, **kwargs).lines[0].unit_price


def test_a_saved_price_change_is_seen_by_the_next_preview(demo):
    assert unit_price() == Decimal("8.90")
    price_break = PriceBreak.objects.get(product__sku="LP-6060-40", min_quantity=500)
    price_break.unit_price = Decimal("8.75")
    price_break.save()
    assert unit_price() == Decimal("8.75")
    Tier.objects.filter(code="gold").first().delete()
    assert pricing_preview(items=ITEMS, tier="silver").lines  # other tiers still fine


def test_another_process_write_is_seen_through_the_version_key(demo):
    first = pricing_catalog()
    assert unit_price() == Decimal("8.90")
    # Another process changes the price without this process seeing a signal…
    PriceBreak.objects.filter(product__sku="LP-6060-40", min_quantity=500).update(
        unit_price=Decimal("8.60")
    )
    assert unit_price() == Decimal("8.90")  # …the snapshot is still the old one
    cache.set(VERSION_KEY, "written-by-another-process", timeout=None)  # …and bumps the version.
    time.sleep(RECHECK_SECONDS + 0.05)  # seen within the recheck interval
    assert unit_price() == Decimal("8.60")
    assert pricing_catalog() is not first


def test_snapshot_is_reused_while_nothing_changes(demo, django_assert_num_queries):
    pricing_catalog()
    with django_assert_num_queries(0):
        pricing_preview(items=ITEMS, tier="gold", incoterm="CIF", destination_country="PE")
