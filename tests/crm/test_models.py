"""Database constraints hold even when the application's validation is bypassed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crm.models import (
    ChannelIdentity,
    Company,
    Deal,
    PriceBreak,
    PriceList,
    Product,
    ProfileFact,
    Stage,
    Task,
    Tier,
)

pytestmark = pytest.mark.django_db


def product_fields(**overrides):
    fields = {
        "sku": "X-1",
        "category": "indoor",
        "name": "Lamp",
        "moq": 10,
        "carton_units": 4,
        "carton_gross_kg": Decimal("1.5"),
        "carton_cbm": Decimal("0.01"),
        "base_lead_days": 5,
        "daily_capacity": 100,
    }
    fields.update(overrides)
    return fields


def assert_integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_product_moq_must_be_positive():
    assert_integrity_error(lambda: Product.objects.create(**product_fields(moq=0)))


def test_product_sku_is_unique():
    Product.objects.create(**product_fields())
    assert_integrity_error(lambda: Product.objects.create(**product_fields()))


def test_product_negative_moq_is_a_field_error():
    with pytest.raises(ValidationError) as error:
        Product(**product_fields(moq=-5)).full_clean()
    assert "moq" in error.value.message_dict


def test_price_break_price_must_be_positive():
    product = Product.objects.create(**product_fields())
    price_list = PriceList.objects.create(name="L", currency="USD", basis="FOB Ningbo")
    assert_integrity_error(
        lambda: PriceBreak.objects.create(
            price_list=price_list, product=product, min_quantity=10, unit_price=Decimal("0")
        )
    )


def test_price_break_minimum_is_unique_per_product_and_list():
    product = Product.objects.create(**product_fields())
    price_list = PriceList.objects.create(name="L", currency="USD", basis="FOB Ningbo")
    PriceBreak.objects.create(price_list=price_list, product=product, min_quantity=10, unit_price=1)
    assert_integrity_error(
        lambda: PriceBreak.objects.create(
            price_list=price_list, product=product, min_quantity=10, unit_price=2
        )
    )


def test_only_one_default_price_list():
    PriceList.objects.create(name="A", currency="USD", basis="FOB", is_default=True)
    assert_integrity_error(
        lambda: PriceList.objects.create(name="B", currency="EUR", basis="FOB", is_default=True)
    )


def test_tier_discount_stays_within_0_and_100():
    assert_integrity_error(
        lambda: Tier.objects.create(code="gold", discount_percent=Decimal("101"))
    )


def test_company_country_must_be_iso_code(make_company):
    assert_integrity_error(lambda: make_company(country="P1"))


def test_company_currency_must_be_three_letters(make_company):
    assert_integrity_error(lambda: make_company(default_currency="usd"))


def test_company_tier_must_be_known(make_company):
    assert_integrity_error(lambda: make_company(tier="platinum"))


def test_company_name_is_unique_per_country_ignoring_case(make_company):
    make_company(legal_name="Acme S.A.", country="PE")
    make_company(legal_name="Acme S.A.", country="CL")
    assert_integrity_error(lambda: make_company(legal_name="ACME s.a.", country="PE"))


def test_company_unknown_currency_is_a_field_error(make_company):
    company = Company(legal_name="X", country="PE", default_currency="XYZ")
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "default_currency" in error.value.message_dict


def test_contact_phone_must_be_e164(make_company, make_contact):
    contact = make_contact(make_company(), phones=["0987 654 321"])
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "phones" in error.value.message_dict
    contact.phones = ["+51987654321"]
    contact.full_clean()


def test_channel_identity_address_is_unique_per_channel(make_company, make_contact):
    company = make_company()
    first, second = make_contact(company), make_contact(company)
    ChannelIdentity.objects.create(contact=first, channel="whatsapp", address="+51987654321")
    ChannelIdentity.objects.create(contact=second, channel="email", address="+51987654321")
    assert_integrity_error(
        lambda: ChannelIdentity.objects.create(
            contact=second, channel="whatsapp", address="+51987654321"
        )
    )


def test_stage_cannot_be_won_and_lost(demo):
    assert_integrity_error(
        lambda: Stage.objects.create(
            pipeline=demo.pipeline,
            name="Odd",
            order=99,
            default_probability=50,
            is_won=True,
            is_lost=True,
        )
    )


def test_stage_order_is_unique_in_pipeline(demo):
    assert_integrity_error(
        lambda: Stage.objects.create(
            pipeline=demo.pipeline, name="Dup", order=1, default_probability=5
        )
    )


def test_deal_amount_cannot_be_negative(demo):
    company = demo.companies["SibSvet LLC"]
    stage = demo.pipeline.stages.first()
    assert_integrity_error(
        lambda: Deal.objects.create(
            title="Neg", company=company, pipeline=demo.pipeline, stage=stage, amount=Decimal("-1")
        )
    )


def test_done_task_needs_completion_time(make_company):
    assert_integrity_error(
        lambda: Task.objects.create(title="x", company=make_company(), done=True)
    )


def test_profile_fact_needs_a_company_or_contact():
    assert_integrity_error(
        lambda: ProfileFact.objects.create(kind="competitor", value={"name": "X"})
    )


def test_profile_fact_confidence_between_0_and_1(make_company):
    assert_integrity_error(
        lambda: ProfileFact.objects.create(
            company=make_company(), kind="competitor", value="X", confidence=1.5
        )
    )
