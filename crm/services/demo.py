"""The demo data: the reference seller's catalog, customers, pipeline, a few deals,
interactions and tasks, and the demo users. Loading twice leaves the same data."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ..demo_users import DEMO_USERS
from ..models import (
    Author,
    Channel,
    ChannelIdentity,
    ChargeSide,
    Company,
    Contact,
    Deal,
    DealSource,
    Direction,
    DutyRate,
    ExchangeRate,
    ForecastCategory,
    FreightRate,
    InsuranceRate,
    Interaction,
    InteractionKind,
    LocalCharge,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentKind,
    Pipeline,
    PriceBreak,
    PriceList,
    Product,
    Role,
    Stage,
    StageChange,
    Task,
    Team,
    Tier,
    User,
)
from ..selectors.pricing import pricing_preview
from .numbering import document_sequence_raise_to

# The catalog says "zh"; Django and our translated fields say "zh-hans".
CATALOG_LANGUAGE = {"zh": "zh-hans"}

DEFAULT_PIPELINE = "Export sales"
STAGES = [
    # name, probability, forecast category, won, lost
    ("New inquiry", 10, ForecastCategory.PIPELINE, False, False),
    ("Qualified", 25, ForecastCategory.PIPELINE, False, False),
    ("Quote sent", 50, ForecastCategory.BEST_CASE, False, False),
    ("Negotiation", 70, ForecastCategory.COMMIT, False, False),
    ("Won", 100, ForecastCategory.CLOSED, True, False),
    ("Lost", 0, ForecastCategory.OMITTED, False, True),
]

# Which team looks after which market.
TEAM_BY_COUNTRY = {
    "PE": "Americas & Europe",
    "BR": "Americas & Europe",
    "US": "Americas & Europe",
    "DE": "Americas & Europe",
    "FR": "Americas & Europe",
    "AE": "Asia, Middle East & Russia",
    "RU": "Asia, Middle East & Russia",
    "SG": "Asia, Middle East & Russia",
}
OWNER_BY_TEAM = {"Americas & Europe": "rep1", "Asia, Middle East & Russia": "rep2"}
# Where each team's new prospects come from; the first team also takes the rest.
TEAM_MARKETS = {
    "Americas & Europe": [
        "US",
        "CA",
        "MX",
        "BR",
        "AR",
        "CL",
        "PE",
        "CO",
        "GB",
        "DE",
        "FR",
        "ES",
        "PT",
        "IT",
        "NL",
        "NG",
        "KE",
        "ZA",
    ],
    "Asia, Middle East & Russia": [
        "CN",
        "SG",
        "MY",
        "ID",
        "VN",
        "TH",
        "PH",
        "IN",
        "AE",
        "SA",
        "EG",
        "QA",
        "KW",
        "RU",
        "KZ",
        "UZ",
    ],
}

# company, title, stage, [(sku, quantity)], source channel, days until expected close
DEMO_DEALS = [
    (
        "Iluminación Andina S.A.C.",
        "Panel lights for Lima offices",
        "Qualified",
        [("LP-6060-40", 2000)],
        DealSource.WHATSAPP,
        30,
    ),
    (
        "Solaris Energia Ltda.",
        "Solar modules, Q1 2027 projects",
        "Negotiation",
        [("PV-M450", 1500), ("INV-H5K", 60)],
        DealSource.WHATSAPP,
        21,
    ),
    (
        "Volt Distribution GmbH",
        "Wallbox range for the DACH market",
        "Quote sent",
        [("EVC-7K", 120)],
        DealSource.EMAIL,
        14,
    ),
    (
        "Al Noor Trading LLC",
        "Solar street lights, phase 2",
        "New inquiry",
        [("SL-AIO-100", 500)],
        DealSource.WHATSAPP,
        45,
    ),
    (
        "SibSvet LLC",
        "High bays for a logistics hub",
        "Qualified",
        [("HB-UFO-150", 400)],
        DealSource.TELEGRAM,
        35,
    ),
    (
        "Lion City Electrical Pte. Ltd.",
        "Downlights for a condominium",
        "Quote sent",
        [("DL-6-12", 5000)],
        DealSource.WECHAT,
        20,
    ),
    (
        "Pacific Home Supply Inc.",
        "A60 bulbs reorder",
        "Won",
        [("BL-A60-9", 20000)],
        DealSource.EMAIL,
        -20,
    ),
    (
        "Lumière Pro SARL",
        "Flood lights for stadium refit",
        "Lost",
        [("FL-200", 300)],
        DealSource.EMAIL,
        -10,
    ),
]

# company, direction, kind, channel, author, language, text, hours ago
DEMO_INTERACTIONS = [
    (
        "Iluminación Andina S.A.C.",
        Direction.IN,
        InteractionKind.MESSAGE,
        Channel.WHATSAPP,
        Author.BUYER,
        "es",
        "Hola, necesito 2000 paneles LED 600x600 CIF Callao. ¿Precio y plazo de entrega?",
        50,
    ),
    (
        "Iluminación Andina S.A.C.",
        Direction.OUT,
        InteractionKind.MESSAGE,
        Channel.WHATSAPP,
        Author.ASSISTANT,
        "es",
        "Hola Carlos, para 2000 paneles LED 600x600 40W el precio es 7,95 USD por unidad FOB Ningbo; el plazo es de 11 días.",
        50,
    ),
    (
        "Solaris Energia Ltda.",
        Direction.IN,
        InteractionKind.MESSAGE,
        Channel.WHATSAPP,
        Author.BUYER,
        "pt",
        "Bom dia! Conseguem melhorar o preço dos painéis de 450W para 1500 unidades? Temos proposta a 64 USD.",
        30,
    ),
    (
        "Solaris Energia Ltda.",
        Direction.INTERNAL,
        InteractionKind.NOTE,
        "",
        Author.STAFF,
        "en",
        "Ana mentions a competing offer at 64 USD. Floor is 65.50 for this volume; check with the manager.",
        29,
    ),
    (
        "Volt Distribution GmbH",
        Direction.IN,
        InteractionKind.EMAIL,
        Channel.EMAIL,
        Author.BUYER,
        "de",
        "Guten Tag, bitte senden Sie uns ein Angebot für 120 Wallboxen 7 kW Typ 2, FOB Ningbo.",
        80,
    ),
    (
        "Al Noor Trading LLC",
        Direction.IN,
        InteractionKind.MESSAGE,
        Channel.WHATSAPP,
        Author.BUYER,
        "ar",
        "السلام عليكم، نحتاج 500 عمود إنارة شمسي 100 واط إلى جبل علي. ما هو السعر؟",
        6,
    ),
    (
        "SibSvet LLC",
        Direction.IN,
        InteractionKind.MESSAGE,
        Channel.TELEGRAM,
        Author.BUYER,
        "ru",
        "Здравствуйте! Нужны 400 светильников UFO 150 Вт для склада в Новосибирске.",
        20,
    ),
    (
        "Lion City Electrical Pte. Ltd.",
        Direction.IN,
        InteractionKind.MESSAGE,
        Channel.WECHAT,
        Author.BUYER,
        "zh-hans",
        "你好，我们需要5000个6寸筒灯12W，请报价。",
        12,
    ),
    (
        "Pacific Home Supply Inc.",
        Direction.IN,
        InteractionKind.EMAIL,
        Channel.EMAIL,
        Author.BUYER,
        "en",
        "Hi, we'd like to reorder 20,000 A60 bulbs on the same terms as last time.",
        400,
    ),
    (
        "Lumière Pro SARL",
        Direction.IN,
        InteractionKind.EMAIL,
        Channel.EMAIL,
        Author.BUYER,
        "fr",
        "Bonjour, nous avons finalement choisi un autre fournisseur pour les projecteurs. Merci.",
        240,
    ),
]

# company, title, due in hours
DEMO_TASKS = [
    ("Solaris Energia Ltda.", "Approve the counter-offer on PV-M450 for Solaris", 24),
    ("Volt Distribution GmbH", "Follow up on the wallbox quote with Jonas Weber", 48),
    ("Al Noor Trading LLC", "Send solar street light datasheet and IP65 certificate", 8),
    (
        "Lion City Electrical Pte. Ltd.",
        "Confirm downlight colour temperature with Tan Wei Ming",
        30,
    ),
]


# Freight from Ningbo, USD: per CBM (LCL), per 20' and per 40' high cube.
DEMO_FREIGHT = {
    "PE": ("62", "2350", "3900"),
    "BR": ("68", "2600", "4300"),
    "US": ("55", "2100", "3500"),
    "DE": ("48", "1750", "2950"),
    "FR": ("49", "1800", "3000"),
    "AE": ("38", "1150", "1900"),
    "RU": ("85", "3300", "5600"),
    "SG": ("22", "650", "1100"),
}
# Destination handling and delivery, USD per shipment and per CBM.
DEMO_DESTINATION_CHARGES = {
    "PE": ("420", "18"),
    "BR": ("650", "22"),
    "US": ("380", "15"),
    "DE": ("350", "14"),
    "FR": ("360", "14"),
    "AE": ("300", "10"),
    "SG": ("180", "8"),
}
# Import duty, percent of the CIF value, by HS prefix ("" = everything else).
DEMO_DUTY = {
    "PE": {"": "6"},
    "BR": {"": "14", "8541": "12"},
    "US": {"": "3.9", "8539": "2", "8541": "0"},
    "DE": {"": "4.7", "8541": "0"},
    "FR": {"": "4.7", "8541": "0"},
    "AE": {"": "5"},
    "SG": {"": "0"},
}
DEMO_EXCHANGE_RATES = [
    # date, to, rate (per USD)
    ("2026-11-02", "EUR", "0.9215"),
    ("2026-11-02", "CNY", "7.1180"),
    ("2026-11-02", "BRL", "5.4120"),
    ("2026-11-16", "EUR", "0.9180"),
    ("2026-11-16", "CNY", "7.1025"),
    ("2026-11-16", "BRL", "5.3870"),
]


@dataclass
class DemoLoadResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1


def catalog_load(path: Path | None = None) -> dict:
    path = path or Path(settings.PORTOLAN_REFERENCE_CATALOG)
    return json.loads(path.read_text(encoding="utf-8"))


def _language(code: str) -> str:
    return CATALOG_LANGUAGE.get(code, code)


def _users(result: DemoLoadResult) -> dict[str, User]:
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.values}
    users = {}
    for username, password, role, team_names, _what in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@brightway-lighting.example",
                "first_name": username.capitalize(),
                "is_staff": role in (Role.ADMIN, Role.MANAGER),
                "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            if settings.PORTOLAN_DEMO_PASSWORDS:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
        user.groups.add(groups[role])
        for name in team_names:
            team, _created = Team.objects.update_or_create(
                name=name,
                defaults={
                    "markets": TEAM_MARKETS.get(name, []),
                    "is_default": name == "Americas & Europe",
                },
            )
            team.members.add(user)
        result.count("users", created)
        users[username] = user
    return users


def _catalog(catalog: dict, result: DemoLoadResult) -> None:
    for code, percent in catalog["tier_discount_percent"].items():
        _tier, created = Tier.objects.update_or_create(
            code=code, defaults={"discount_percent": Decimal(percent)}
        )
        result.count("tiers", created)
    price_list, _created = PriceList.objects.update_or_create(
        name="USD list price",
        defaults={
            "currency": catalog["seller"]["currency"],
            "basis": f"FOB {catalog['seller']['port_of_loading']}",
            "is_default": True,
        },
    )
    for item in catalog["products"]:
        names = {
            f"name_{_language(code).replace('-', '_')}": text for code, text in item["name"].items()
        }
        product, created = Product.objects.update_or_create(
            sku=item["sku"],
            defaults={
                "category": item["category"],
                "unit": item["unit"],
                "moq": item["moq"],
                "hs_code": item["hs_code"],
                "certifications": item["certifications"],
                "dangerous_goods": item.get("dangerous_goods", ""),
                "carton_units": item["carton"]["units"],
                "carton_gross_kg": Decimal(item["carton"]["gross_kg"]),
                "carton_cbm": Decimal(item["carton"]["cbm"]),
                "base_lead_days": item["base_lead_days"],
                "daily_capacity": item["daily_capacity"],
                "name": item["name"]["en"],
                **names,
            },
        )
        result.count("products", created)
        minimums = [minimum for minimum, _price in item["price_breaks"]]
        PriceBreak.objects.filter(price_list=price_list, product=product).exclude(
            min_quantity__in=minimums
        ).delete()
        for minimum, price in item["price_breaks"]:
            _break, created = PriceBreak.objects.update_or_create(
                price_list=price_list,
                product=product,
                min_quantity=minimum,
                defaults={"unit_price": Decimal(price)},
            )
            result.count("price breaks", created)


def _customers(catalog: dict, users: dict[str, User], result: DemoLoadResult) -> None:
    for item in catalog["customers"]:
        person = item["contact"]
        team = Team.objects.get(name=TEAM_BY_COUNTRY[item["country"]])
        language = _language(person["language"])
        company, created = Company.objects.update_or_create(
            legal_name=item["company"],
            country=item["country"],
            defaults={
                "city": item["city"],
                "tier": item["tier"],
                "team": team,
                "owner": users[OWNER_BY_TEAM[team.name]],
                "preferred_language": language,
                "email_domain": person["email"].split("@", 1)[1],
                "website": f"https://www.{person['email'].split('@', 1)[1]}",
                "default_currency": "USD",
            },
        )
        result.count("companies", created)
        contact, created = Contact.objects.update_or_create(
            company=company,
            name=person["name"],
            defaults={
                "preferred_language": language,
                "emails": [person["email"]],
                "phones": [person["whatsapp"]] if "whatsapp" in person else [],
            },
        )
        result.count("contacts", created)
        for channel in Channel.values:
            address = person.get(channel)
            if address:
                identity, created = ChannelIdentity.objects.update_or_create(
                    channel=channel,
                    address=address,
                    defaults={"contact": contact, "verified": True},
                )
                result.count("channel identities", created)


def _pipeline(result: DemoLoadResult) -> Pipeline:
    pipeline, created = Pipeline.objects.get_or_create(
        name=DEFAULT_PIPELINE, defaults={"is_default": True}
    )
    result.count("pipelines", created)
    for order, (name, probability, category, won, lost) in enumerate(STAGES, start=1):
        _stage, created = Stage.objects.update_or_create(
            pipeline=pipeline,
            name=name,
            defaults={
                "order": order,
                "default_probability": probability,
                "forecast_category": category,
                "is_won": won,
                "is_lost": lost,
            },
        )
        result.count("stages", created)
    return pipeline


def _deal_amount(company: Company, lines: list[tuple[str, int]]) -> Decimal:
    """The goods value at the company's tier, FOB: the pricing engine's subtotal."""
    items = [{"sku": sku, "quantity": quantity} for sku, quantity in lines]
    return pricing_preview(items=items, company=company).subtotal


def _activity(pipeline: Pipeline, result: DemoLoadResult) -> None:
    now = timezone.now()
    companies = {company.legal_name: company for company in Company.objects.all()}
    for name, title, stage_name, lines, source, close_in_days in DEMO_DEALS:
        company = companies[name]
        if Deal.objects.filter(company=company, title=title).exists():
            continue
        stage = pipeline.stages.get(name=stage_name)
        deal = Deal.objects.create(
            title=title,
            company=company,
            contact=company.contacts.first(),
            owner=company.owner,
            pipeline=pipeline,
            stage=stage,
            amount=_deal_amount(company, lines),
            currency="USD",
            source_channel=source,
            expected_close_date=(now + timedelta(days=close_in_days)).date(),
            closed_at=now if stage.is_closed else None,
        )
        first = pipeline.stages.order_by("order").first()
        StageChange.objects.create(deal=deal, to_stage=first, changed_at=now - timedelta(days=7))
        if stage != first:
            StageChange.objects.create(
                deal=deal,
                from_stage=first,
                to_stage=stage,
                changed_by=company.owner,
                changed_at=now,
            )
        result.count("deals", True)
    for name, direction, kind, channel, author, language, text, hours_ago in DEMO_INTERACTIONS:
        company = companies[name]
        _interaction, created = Interaction.objects.get_or_create(
            company=company,
            text=text,
            defaults={
                "contact": company.contacts.first(),
                "deal": company.deals.first(),
                "direction": direction,
                "kind": kind,
                "channel": channel,
                "author": author,
                "author_user": company.owner if author == Author.STAFF else None,
                "language": language,
                "occurred_at": now - timedelta(hours=hours_ago),
            },
        )
        result.count("interactions", created)
    for name, title, due_in_hours in DEMO_TASKS:
        company = companies[name]
        _task, created = Task.objects.get_or_create(
            company=company,
            title=title,
            defaults={
                "assignee": company.owner,
                "deal": company.deals.first(),
                "due_at": now + timedelta(hours=due_in_hours),
            },
        )
        result.count("tasks", created)


def _costs(result: DemoLoadResult) -> None:
    for country, (per_cbm, per_20, per_40hq) in DEMO_FREIGHT.items():
        for basis, amount in (("cbm", per_cbm), ("20GP", per_20), ("40HQ", per_40hq)):
            _rate, created = FreightRate.objects.update_or_create(
                destination_country=country, basis=basis, defaults={"amount": Decimal(amount)}
            )
            result.count("freight rates", created)
    InsuranceRate.objects.update_or_create(
        destination_country="", defaults={"percent": Decimal("0.30")}
    )
    LocalCharge.objects.update_or_create(
        side=ChargeSide.ORIGIN,
        country="",
        defaults={"per_shipment": Decimal("180"), "per_cbm": Decimal("12")},
    )
    for country, (per_shipment, per_cbm) in DEMO_DESTINATION_CHARGES.items():
        LocalCharge.objects.update_or_create(
            side=ChargeSide.DESTINATION,
            country=country,
            defaults={"per_shipment": Decimal(per_shipment), "per_cbm": Decimal(per_cbm)},
        )
    for country, prefixes in DEMO_DUTY.items():
        for prefix, percent in prefixes.items():
            DutyRate.objects.update_or_create(
                country=country, hs_prefix=prefix, defaults={"percent": Decimal(percent)}
            )
    for day, currency, rate in DEMO_EXCHANGE_RATES:
        _rate, created = ExchangeRate.objects.update_or_create(
            date=date.fromisoformat(day),
            base_currency="USD",
            quote_currency=currency,
            defaults={"rate": Decimal(rate)},
        )
        result.count("exchange rates", created)


ORDER_PATH = [
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
]


def _orders(catalog: dict, result: DemoLoadResult) -> None:
    """The reference orders, with their status history, shipment data and payments."""
    now = timezone.now()
    companies = {company.legal_name: company for company in Company.objects.all()}
    for item in catalog["orders"]:
        if Order.objects.filter(number=item["number"]).exists():
            continue
        company = companies[item["company"]]
        priced = pricing_preview(
            items=[{"sku": sku, "quantity": quantity} for sku, quantity in item["lines"]],
            company=company,
            incoterm=item["incoterm"],
            currency="USD",
            destination_country=company.country.code,
        )
        order = Order.objects.create(
            number=item["number"],
            company=company,
            contact=company.contacts.first(),
            deal=company.deals.filter(stage__is_won=True).first(),
            status=item["status"],
            currency="USD",
            incoterm=item["incoterm"],
            destination_port=item["destination_port"],
            subtotal=priced.subtotal,
            total=priced.total,
            deposit_percent=item.get("deposit_percent", 30),
            expected_ship_date=date.fromisoformat(item["expected_ship_date"])
            if "expected_ship_date" in item
            else (date.fromisoformat(item["etd"]) if "etd" in item else None),
            delivered_on=date.fromisoformat(item["delivered_on"])
            if "delivered_on" in item
            else None,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                position=position,
                product_id=line.product_id,
                sku=line.sku,
                description=line.name,
                quantity=line.quantity,
                unit=line.unit,
                unit_price=line.unit_price,
                line_total=line.line_total,
            )
            for position, line in enumerate(priced.lines, start=1)
        )
        steps = ORDER_PATH[: ORDER_PATH.index(item["status"]) + 1]
        for position, status in enumerate(steps):
            shipment = {}
            if status == OrderStatus.SHIPPED:
                shipment = {
                    "vessel": item.get("vessel", ""),
                    "container": item.get("container", ""),
                    "etd": date.fromisoformat(item["etd"]) if "etd" in item else None,
                    "eta": date.fromisoformat(item["eta"]) if "eta" in item else None,
                }
            OrderEvent.objects.create(
                order=order,
                from_status=steps[position - 1] if position else "",
                to_status=status,
                occurred_at=now - timedelta(days=(len(steps) - position) * 9),
                **{key: value for key, value in shipment.items() if value},
            )
        if item["status"] != OrderStatus.PENDING_PAYMENT:
            deposit = (order.total * order.deposit_percent / 100).quantize(Decimal("0.01"))
            Payment.objects.create(
                order=order,
                kind=PaymentKind.DEPOSIT,
                amount=deposit,
                currency="USD",
                received_on=(now - timedelta(days=40)).date(),
                reference="T/T",
            )
            if item["status"] in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                Payment.objects.create(
                    order=order,
                    kind=PaymentKind.BALANCE,
                    amount=order.total - deposit,
                    currency="USD",
                    received_on=(now - timedelta(days=5)).date(),
                    reference="T/T against B/L copy",
                )
        result.count("orders", True)
        year, number = item["number"].split("-")[1:]
        document_sequence_raise_to(kind="SO", year=int(year), number=int(number))


@transaction.atomic
def demo_data_load(*, catalog_path: Path | None = None) -> DemoLoadResult:
    """Load (or bring back in line) the reference seller's data and the demo users."""
    catalog = catalog_load(catalog_path)
    result = DemoLoadResult()
    users = _users(result)
    _catalog(catalog, result)
    _customers(catalog, users, result)
    pipeline = _pipeline(result)
    _activity(pipeline, result)
    _costs(result)
    _orders(catalog, result)
    return result
