import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from crm.models import (
    ChannelIdentity,
    Company,
    Contact,
    Deal,
    Interaction,
    PriceBreak,
    Product,
    Stage,
    StageChange,
    Task,
    Tier,
    User,
)

SHARED_CATALOG = Path(settings.BASE_DIR).parent / "shared" / "reference" / "catalog.json"
MODELS = [
    Company,
    Contact,
    ChannelIdentity,
    Product,
    PriceBreak,
    Tier,
    Stage,
    Deal,
    StageChange,
    Interaction,
    Task,
    User,
]


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def test_project_copy_of_catalog_matches_the_reference():
    ours = json.loads(Path(settings.PORTOLAN_REFERENCE_CATALOG).read_text(encoding="utf-8"))
    reference = json.loads(SHARED_CATALOG.read_text(encoding="utf-8"))
    assert ours == reference


def test_demo_data_is_idempotent(db, capsys):
    call_command("demo_data")
    first = snapshot()
    call_command("demo_data")
    assert snapshot() == first
    assert "already up to date" in capsys.readouterr().out


def test_demo_data_matches_the_catalog(demo):
    catalog = json.loads(Path(settings.PORTOLAN_REFERENCE_CATALOG).read_text(encoding="utf-8"))
    assert Product.objects.count() == len(catalog["products"]) == 12
    for item in catalog["products"]:
        product = Product.objects.get(sku=item["sku"])
        assert product.moq == item["moq"]
        assert product.name_zh_hans == item["name"]["zh"]
        assert product.name_ar == item["name"]["ar"]
        breaks = [
            [b.min_quantity, str(b.unit_price.quantize(Decimal("0.01")))]
            for b in product.price_breaks.order_by("min_quantity")
        ]
        assert breaks == item["price_breaks"]
    for customer in catalog["customers"]:
        company = Company.objects.get(legal_name=customer["company"])
        assert (company.country.code, company.city, company.tier) == (
            customer["country"],
            customer["city"],
            customer["tier"],
        )
        contact = company.contacts.get()
        assert contact.name == customer["contact"]["name"]
        for channel in ("whatsapp", "telegram", "wechat", "email"):
            if channel in customer["contact"]:
                identity = ChannelIdentity.objects.get(
                    channel=channel, address=customer["contact"][channel]
                )
                assert identity.contact == contact
    assert {t.code: t.discount_percent for t in Tier.objects.all()} == {
        code: Decimal(p) for code, p in catalog["tier_discount_percent"].items()
    }


def test_demo_pipeline_stages_and_probabilities(demo):
    stages = [
        (s.name, s.default_probability, s.is_won, s.is_lost) for s in demo.pipeline.stages.all()
    ]
    assert stages == [
        ("New inquiry", 10, False, False),
        ("Qualified", 25, False, False),
        ("Quote sent", 50, False, False),
        ("Negotiation", 70, False, False),
        ("Won", 100, True, False),
        ("Lost", 0, False, True),
    ]


def test_demo_users_and_passwords(demo):
    rep1 = User.objects.get(username="rep1")
    assert rep1.check_password("portolan-rep1")
    assert rep1.role == "rep"
    assert User.objects.get(username="manager").teams.count() == 2


def test_demo_users_have_no_usable_password_without_dev_passwords(db, settings):
    settings.PORTOLAN_DEMO_PASSWORDS = False
    call_command("demo_data")
    assert not User.objects.get(username="admin").has_usable_password()
