"""Decide and act: what the assistant does for one understood message, through
`crm.services` and `crm.selectors` only, and the template reply that says so.

Each intent has one function taking the turn's context and returning an Outcome. Facts
in replies (prices, lead times, order status) come from the CRM, never from wording.
"""

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop

from crm.business_hours import business_time_after
from crm.models import Company, Contact, Order
from crm.models.pipeline import Deal, Pipeline, Stage
from crm.models.sales import OrderStatus
from crm.pricing import round_half_up
from crm.selectors.pricing import PricingInputError, exchange_rate_on, pricing_preview
from crm.selectors.pricing_catalog import pricing_catalog
from crm.services.deals import deal_create, deal_move_stage
from crm.services.quotes import quote_create, quote_send
from crm.services.timeline import task_create

from .dialogue import DialogueState
from .guidance import discount_from_guidance
from .replies import templates as t
from .types import BuyerMessage, ConversationRef
from .understanding import Understanding

logger = logging.getLogger(__name__)

STAGE_NEW, STAGE_QUALIFIED, STAGE_NEGOTIATION = "New inquiry", "Qualified", "Negotiation"
OPEN_ORDER_STATUSES = (
    OrderStatus.PENDING_PAYMENT,
    OrderStatus.CONFIRMED,
    OrderStatus.IN_PRODUCTION,
    OrderStatus.READY_TO_SHIP,
    OrderStatus.SHIPPED,
)


_NO_DEAL = object()  # not read yet


@dataclass
class TurnContext:
    conversation: ConversationRef
    message: BuyerMessage
    understanding: Understanding
    language: str  # Django language code of the reply
    state: DialogueState
    company: Company | None
    contact: Contact | None
    now: datetime
    deal: object = _NO_DEAL
    stages: dict = field(default_factory=dict)  # by pipeline id (None: the default pipeline)


@dataclass
class Outcome:
    action: str
    reply: str
    answered: bool = True
    escalate: bool = False
    escalation_reason: str = ""
    asked: str = ""
    facts: dict = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)


# -- helpers --------------------------------------------------------------------------


def _catalog_language() -> str:
    return (get_language() or "en").lower()  # catalog names are keyed by Django codes


def _product_name(sku: str) -> str:
    product = pricing_catalog().products.get(sku)
    return product.name(_catalog_language()) if product else sku


def _product_names() -> list[str]:
    return [product.name(_catalog_language()) for product in pricing_catalog().products.values()]


def _tier_code(context: TurnContext) -> str | None:
    """The customer's tier; list prices for prospects and for a sender whose address is
    not confirmed (a forged From must not learn a customer's discount)."""
    if not context.conversation.sender_verified:
        return None
    return context.company.tier if context.company and not context.company.is_prospect else None


def _owner_name(context: TurnContext) -> str:
    owner = context.company.owner if context.company else None
    return (owner.get_full_name() or owner.username) if owner else ""


def follow_up_by(now: datetime, *, hours: float | None = None) -> datetime:
    """When a person will have acted: `ASSISTANT_FOLLOW_UP_HOURS` (or `hours`) of the
    seller's business time after now."""
    return business_time_after(
        now, hours=hours if hours is not None else settings.ASSISTANT_FOLLOW_UP_HOURS
    )


def follow_up_promise(now: datetime) -> tuple[str, datetime]:
    """When a person will have acted, as said to the buyer in the active language
    ("today before 14:00 (China Standard Time)"), and as a moment."""
    due = follow_up_by(now)
    zone = ZoneInfo(settings.PORTOLAN_SELLER["timezone"])
    local_due, local_now = due.astimezone(zone), now.astimezone(zone)
    name = t.zone_name(zone)
    if local_due.date() == local_now.date():
        from babel.dates import format_time

        until = format_time(local_due, format="short", locale=t._locale())
        return t.when_today(until=until, zone=name), due
    return t.when_later(moment_=t.moment(local_due), zone=name), due


def _task(context: TurnContext, *, title: str, description: str = "", deal: Deal | None = None):
    """A task for the customer's owner (a person must act), due by the promised time."""
    if context.company is None:
        return None
    _, due = follow_up_promise(context.now)
    return task_create(
        user=None,
        title=title[:200],
        description=description,
        assignee=context.company.owner,
        due_at=due,
        company=context.company,
        contact=context.contact,
        deal=deal,
    )


def _open_deals(context: TurnContext):
    return (
        Deal.objects.filter(company=context.company, stage__is_won=False, stage__is_lost=False)
        .select_related("stage", "pipeline")
        .order_by("-updated_at")
    )


def open_deal(context: TurnContext) -> Deal | None:
    """The company's open deal (read once per turn; deal_advance keeps it current)."""
    if context.company is None:
        return None
    if context.deal is _NO_DEAL:
        context.deal = _open_deals(context).first()
    return context.deal


def _open_deal_and_stages(context: TurnContext) -> tuple[Deal | None, dict[str, Stage]]:
    """The open deal and its pipeline's stages (the default pipeline's without one), as
    open_deal and _pipeline_stages read them, in one query when there is no open deal:
    the stages come with the open deal's id, and the deal is read only if there is one."""
    open_deals = _open_deals(context)
    pipeline_id = Coalesce(
        Subquery(open_deals.values("pipeline_id")[:1]),
        Subquery(Pipeline.objects.filter(is_default=True).values("pk")[:1]),
    )
    rows = list(
        Stage.objects.select_related("pipeline")
        .annotate(open_deal_id=Subquery(open_deals.values("pk")[:1]))
        .filter(pipeline_id=pipeline_id)
    )
    deal = None
    if not rows:  # no stages at all (no default pipeline): read the deal as open_deal does
        deal = open_deals.first()
    elif rows[0].open_deal_id is not None:
        deal = open_deals.filter(pk=rows[0].open_deal_id).first() or open_deals.first()
    context.deal = deal
    if deal is None or (rows and rows[0].pipeline_id == deal.pipeline_id):
        by_name = {stage.name: stage for stage in rows}
        key = deal.pipeline_id if deal is not None else None
        context.stages[key] = by_name
        if key is None and rows:
            context.stages[rows[0].pipeline_id] = by_name
    return deal, _pipeline_stages(context, deal)


def _pipeline_stages(context: TurnContext, deal: Deal | None) -> dict[str, Stage]:
    """The stages by name of the deal's pipeline, or of the default pipeline without a
    deal (none when there is no default pipeline); read once per turn, with their
    pipeline."""
    key = deal.pipeline_id if deal is not None else None
    if key not in context.stages:
        stages = Stage.objects.select_related("pipeline")
        stages = (
            stages.filter(pipeline_id=key)
            if key is not None
            else stages.filter(pipeline__is_default=True)
        )
        by_name = {stage.name: stage for stage in stages}
        context.stages[key] = by_name
        if key is None and by_name:
            context.stages[next(iter(by_name.values())).pipeline_id] = by_name
    return context.stages[key]


def deal_advance(context: TurnContext, *stage_names: str, note: str) -> Deal | None:
    """Open a deal at the first buying signal (the first stage named), and move it
    forward to the last one named (never back)."""
    if context.company is None:
        return None
    if context.deal is _NO_DEAL:
        deal, stages = _open_deal_and_stages(context)
    else:
        deal = open_deal(context)
        stages = _pipeline_stages(context, deal)
    wanted = [stages[name] for name in stage_names if name in stages]
    if not wanted:
        return deal  # None too when there is no default pipeline to open one in
    if deal is None:
        # opened at the first stage named and moved on to the last in the same writes
        deal = deal_create(
            user=None,
            pipeline=wanted[0].pipeline,
            stage=wanted[0],
            moved_to=wanted[-1] if wanted[-1].order > wanted[0].order else None,
            note=note,
            title=note[:200],
            company=context.company,
            contact=context.contact,
            owner=context.company.owner,
            amount=Decimal("0"),
            source_channel=context.conversation.channel,
        )
    elif wanted[-1].order > deal.stage.order:
        deal = deal_move_stage(deal=deal, stage=wanted[-1], user=None, note=note)
    context.deal = deal
    return deal


def _ask(action: str, reply: str, asked: str, **facts) -> Outcome:
    return Outcome(action=action, reply=reply, asked=asked, facts=facts)


def _escalated(context: TurnContext, reason: str, *, task_title: str) -> Outcome:
    when, _ = follow_up_promise(context.now)
    who = t.who_owner(_owner_name(context))
    task = _task(
        context, title=task_title, description=context.message.text[:2000], deal=open_deal(context)
    )
    return Outcome(
        action=f"escalate:{reason}",
        reply=t.handoff(reason=reason, who=who, when=when),
        escalate=True,
        escalation_reason=reason,
        facts={"follow_up": when},
        actions=["task"] if task else [],
    )


# -- intents --------------------------------------------------------------------------


def greeting(context: TurnContext) -> Outcome:
    text = context.message.text.lower()
    salaam = "السلام" in text or "salam" in text
    hour = context.now.astimezone(_buyer_zone(context)).hour
    part = "morning" if 5 <= hour < 12 else "evening" if hour >= 18 else "day"
    name = context.contact.name.split()[0] if context.contact and context.contact.name else ""
    if any(char.isdigit() or char == "@" for char in name) or (
        context.contact is not None and context.contact.name in _placeholder_names()
    ):
        name = ""  # a prospect named after its phone number or address
    return Outcome(action="greet", reply=t.greeting(part_of_day=part, name=name, salaam=salaam))


@functools.cache
def _placeholder_names() -> frozenset[str]:
    """The name a prospect gets when the channel gave none, in every language."""
    from django.utils import translation

    names = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names.add(translation.gettext("Unknown buyer"))
    return frozenset(names)


def _buyer_zone(context: TurnContext) -> ZoneInfo:
    from babel.core import get_global

    country = context.company.country.code if context.company and context.company.country else ""
    zones = get_global("territory_zones").get(country) or []
    try:
        return ZoneInfo(zones[0]) if zones else ZoneInfo("UTC")
    except Exception:  # noqa: BLE001 - an unknown zone name: UTC is a fine guess
        return ZoneInfo("UTC")


def thanks_goodbye(context: TurnContext) -> Outcome:
    text = context.message.text.lower()
    goodbye = any(
        word in text
        for word in (
            "bye",
            "再见",
            "adiós",
            "adios",
            "tchau",
            "до свидания",
            "مع السلامة",
            "au revoir",
            "tschüss",
            "auf wiedersehen",
        )
    )
    return Outcome(action="thank", reply=t.thanks(goodbye=goodbye))


def other(context: TurnContext) -> Outcome:
    if not context.message.text.strip():
        return Outcome(action="empty", reply=t.empty())
    hits = _knowledge(context)
    if hits:
        return Outcome(
            action="knowledge", reply=t.knowledge(title=hits[0].title, body=hits[0].text)
        )
    return Outcome(action="other", reply=t.other(), answered=False)


def _knowledge(context: TurnContext, *, query: str = "", top_k: int = 1):
    from .knowledge import knowledge_search

    try:
        hits = knowledge_search(
            query or context.message.text, language=context.language, top_k=top_k
        )
    except Exception:  # noqa: BLE001 - a broken index must not lose the buyer's answer
        logger.exception("knowledge search failed")
        return []
    return [hit for hit in hits if hit.kind == "article"]


def product_info(context: TurnContext) -> Outcome:
    skus = [item["sku"] for item in context.understanding.entities.get("items") or ()]
    skus = skus or [item["sku"] for item in context.state.items]
    catalog = pricing_catalog()
    parts = []
    for sku in dict.fromkeys(skus):
        product = catalog.products.get(sku)
        terms = product.terms.get(catalog_currency()) if product else None
        if product is None or terms is None:
            continue
        from crm.pricing import lead_time_days

        parts.append(
            t.product_facts(
                name=product.name(_catalog_language()),
                sku=sku,
                moq=terms.moq,
                unit=terms.unit,
                lead_days=lead_time_days(
                    base_lead_days=terms.base_lead_days,
                    daily_capacity=terms.daily_capacity,
                    quantity=terms.moq,
                ),
                certifications=_certifications(sku),
            )
        )
    hits = _knowledge(context)
    if hits and (not parts or _asks_policy(context)):
        parts.append(t.knowledge(title=hits[0].title, body=hits[0].text))
    if parts:
        return Outcome(action="product_info", reply="\n".join(parts), facts={"skus": skus})
    _task(
        context,
        title=_task_title(gettext_noop("Unanswered product question")),
        description=context.message.text[:2000],
    )
    return Outcome(
        action="product_info:unanswered",
        reply=t.not_found_in_catalog(names=_product_names()),
        answered=False,
        asked="items",
    )


def _asks_policy(context: TurnContext) -> bool:
    words = (
        "warrant",
        "garant",
        "保修",
        "质保",
        "гарант",
        "ضمان",
        "certif",
        "认证",
        "сертиф",
        "شهاد",
    )
    text = context.message.text.lower()
    return any(word in text for word in words)


def _certifications(sku: str) -> list[str]:
    product = pricing_catalog().products.get(sku)
    if product is not None:
        return list(product.certifications)
    from crm.models import Product

    row = Product.objects.filter(sku=sku).values_list("certifications", flat=True).first()
    return list(row or [])


def catalog_currency() -> str:
    currencies = pricing_catalog().list_currencies
    return "USD" if "USD" in currencies or not currencies else sorted(currencies)[0]


def _task_title(text: str) -> str:
    # Tasks are for the seller's staff: their text stays in the site's language.
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(text)


def price_inquiry(context: TurnContext) -> Outcome:
    skus = [item["sku"] for item in context.understanding.entities.get("items") or ()]
    skus = skus or [item["sku"] for item in context.state.items]
    if not skus:
        return _ask("ask:items", t.which_product(names=_product_names()), "items")
    deal_advance(context, STAGE_NEW, note=_task_title(gettext_noop("Price inquiry")))
    catalog = pricing_catalog()
    tier = _tier_code(context)
    discount = catalog.tiers.get(tier or "standard", Decimal(0)) if tier else Decimal(0)
    currency = catalog_currency()
    blocks = [
        t.prices_intro(port=settings.PORTOLAN_SELLER["port_of_loading"], known_customer=bool(tier))
    ]
    facts = {}
    from crm.pricing import discounted_unit_price

    for sku in dict.fromkeys(skus):
        product = catalog.products.get(sku)
        terms = product.terms.get(currency) if product else None
        if terms is None:
            continue
        breaks = [
            (quantity, discounted_unit_price(price, discount)) for quantity, price in terms.breaks
        ]
        facts[sku] = [(quantity, str(price)) for quantity, price in breaks]
        blocks.append(
            t.price_breaks(
                name=product.name(_catalog_language()),
                sku=sku,
                breaks=breaks,
                currency=currency,
                unit=terms.unit,
            )
        )
    blocks.append(t.prices_next_step())
    return Outcome(
        action="price_list", reply="\n".join(blocks), facts={"prices": facts}, asked="quantity"
    )


def quote_request(context: TurnContext) -> Outcome:
    state = context.state
    missing = state.missing_for_quote()
    if state.items and missing:
        deal_advance(context, STAGE_NEW, note=_task_title(gettext_noop("Quotation request")))
    if missing == "items":
        return _ask("ask:items", t.ask_items(names=_product_names()), "items")
    if missing.startswith("quantity:"):
        sku = missing.split(":", 1)[1]
        product = pricing_catalog().products.get(sku)
        terms = product.terms.get(catalog_currency()) if product else None
        return _ask(
            "ask:quantity",
            t.ask_quantity(
                name=_product_name(sku),
                moq=terms.moq if terms else 1,
                unit=terms.unit if terms else "pcs",
            ),
            missing,
        )
    if missing == "destination":
        return _ask(
            "ask:destination", t.ask_destination(incoterm=state.slots["incoterm"]), "destination"
        )
    deal = deal_advance(
        context,
        STAGE_NEW,
        STAGE_QUALIFIED,
        note=_task_title(gettext_noop("Items and quantities known")),
    )
    return _quote(context, deal)


def _quote_items(state: DialogueState) -> list[dict]:
    return [
        {"sku": item["sku"], "quantity": _in_units(item), "unit": item.get("unit") or "pcs"}
        for item in state.quantified_items()
    ]


CONTAINER_CODES = {"container20": "20GP", "container40": "40HQ"}


def _in_units(item: dict):
    """The quantity in the product's own unit: "1x40HQ" and cartons become pieces."""
    from crm.pricing import PricingError, units_for_containers

    quantity = _whole(item["quantity"])
    unit = item.get("unit") or "pcs"
    product = pricing_catalog().products.get(item["sku"])
    terms = product.terms.get(catalog_currency()) if product else None
    if terms is None or not isinstance(quantity, int):
        return quantity
    try:
        if unit in CONTAINER_CODES:
            return units_for_containers(terms, container_code=CONTAINER_CODES[unit], count=quantity)
    except PricingError:
        return quantity
    if unit == "carton":
        return quantity * terms.carton_units
    return quantity


def _whole(value):
    number = Decimal(str(value))
    return int(number) if number == number.to_integral() else number


def _priced_lines(priced) -> list[str]:
    return [
        t.quote_line(
            name=_product_name(line.sku),
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            currency=priced.currency,
            total=line.line_total,
        )
        for line in priced.lines
    ]


def _terms_text(incoterm: str, place: str) -> str:
    return f"{incoterm} {place}".strip()


def _quote(context: TurnContext, deal: Deal | None) -> Outcome:
    if not context.conversation.sender_verified:
        # a customer's quote carries their prices: a person checks who is asking
        return _quote_by_hand(context, deal, problems=["unconfirmed sender address"])
    state = context.state
    incoterm = state.slots.get("incoterm") or "FOB"
    country = state.slots.get("destination_country") or ""
    port = state.slots.get("destination_port") or ""
    place = (
        settings.PORTOLAN_SELLER["port_of_loading"]
        if incoterm in ("FOB", "FCA", "EXW", "FAS")
        else port or country
    )
    items = [{"sku": item["sku"], "quantity": item["quantity"]} for item in _quote_items(state)]
    extra_discount = _guided_discount(context, items)
    try:
        priced = pricing_preview(
            items=items,
            tier=_tier_code(context),
            incoterm=incoterm,
            destination_country=country if incoterm != "FOB" else "",
            on_date=context.now.date(),
            extra_discount_percent=extra_discount,
        )
    except PricingInputError as error:
        if set(error.errors) & SELLER_SIDE_ERRORS:
            # a rate or price list the seller has not configured: a person quotes it
            return _quote_by_hand(context, deal, problems=_flatten(error.errors))
        problems = _flatten(error.errors)
        return Outcome(
            action="quote:cannot_price",
            reply=t.cannot_price(problems=problems),
            answered=False,
            facts={"problems": problems},
        )
    note = (
        t.fob_note(port=settings.PORTOLAN_SELLER["port_of_loading"])
        if not state.slots.get("incoterm")
        else ""
    )
    facts = {
        "total": str(priced.total),
        "currency": priced.currency,
        "incoterm": priced.incoterm,
        "lines": [(line.sku, line.quantity, str(line.unit_price)) for line in priced.lines],
        "lead_time_days": priced.lead_time_days,
    }
    if extra_discount:
        facts["extra_discount_percent"] = str(extra_discount)
        note = "\n".join(filter(None, [t.extra_discount(percent=extra_discount), note]))
    if context.company is None:  # an anonymous web visitor: prices, and ask where to send
        reply = t.indicative_prices(
            lines=_priced_lines(priced),
            total=priced.total,
            currency=priced.currency,
            terms=_terms_text(priced.incoterm, place),
        )
        return Outcome(
            action="quote:indicative",
            reply="\n".join(filter(None, [reply, note, t.ask_email()])),
            asked="email",
            facts=facts,
        )
    try:
        quote = quote_create(
            user=None,
            company=context.company,
            contact=context.contact,
            deal=deal,
            items=items,
            incoterm=priced.incoterm,
            named_place=port if incoterm != "FOB" else settings.PORTOLAN_SELLER["port_of_loading"],
            destination_country=country if incoterm != "FOB" else "",
            currency=priced.currency,
            language=context.language,
            created_by_assistant=True,
            issued_on=context.now.date(),
            extra_discount_percent=extra_discount,
        )
    except ValidationError as error:
        problems = [str(message) for message in error.messages]
        return Outcome(
            action="quote:cannot_price",
            reply=t.cannot_price(problems=problems),
            answered=False,
            facts={"problems": problems},
        )
    facts["quote"] = quote.display_number
    if not context.conversation.quotes_need_approval and _under_auto_send_limit(
        quote.total, quote.currency, on_date=context.now.date()
    ):
        quote = quote_send(quote=quote, user=None)
        from crm.web.public import quote_public_url

        reply = t.quote_sent(
            number_=quote.display_number,
            lines=_priced_lines(priced),
            total=quote.total,
            currency=quote.currency,
            terms=_terms_text(quote.incoterm, quote.named_place or place),
            valid_until=quote.valid_until,
            lead_days=priced.lead_time_days,
            link=quote_public_url(quote),
        )
        return Outcome(
            action="quote:sent",
            reply="\n".join(filter(None, [reply, note])),
            facts=facts,
            actions=["quote_sent"],
        )
    when, _ = follow_up_promise(context.now)
    _task(
        context,
        title=_task_title(gettext_noop("Approve and send quote %(number)s"))
        % {"number": quote.display_number},
        description=context.message.text[:2000],
        deal=quote.deal,
    )
    return Outcome(
        action="quote:draft",
        reply=t.quote_for_approval(who=t.who_owner(_owner_name(context)), when=when),
        facts={"quote": quote.display_number, "follow_up": when},
        actions=["quote_draft", "task"],
    )


def _guided_discount(context: TurnContext, items: list[dict]) -> Decimal:
    """The extra discount the seller's guidance grants this quote ("offer 3 % off if
    they order 5,000"), or 0 when there is none or the quantity is below its minimum."""
    offer = discount_from_guidance(context.conversation.guidance)
    if offer is None:
        return Decimal(0)
    percent, minimum = offer
    quantity = sum(item["quantity"] for item in items if isinstance(item["quantity"], int))
    return percent if quantity >= minimum else Decimal(0)


# Pricing errors the buyer cannot fix (missing freight/insurance/duty rates, no price
# list in a currency, an unknown tier); the others (below MOQ…) are explained to them.
SELLER_SIDE_ERRORS = frozenset({"incoterm", "currency", "tier"})


def _quote_by_hand(context: TurnContext, deal: Deal | None, *, problems: list[str]) -> Outcome:
    when, _ = follow_up_promise(context.now)
    task = _task(
        context,
        title=_task_title(gettext_noop("Quote by hand: the assistant could not price it")),
        description="\n".join([*problems, "", context.message.text[:2000]]),
        deal=deal,
    )
    return Outcome(
        action="quote:by_hand",
        reply=t.quote_for_approval(who=t.who_owner(_owner_name(context)), when=when),
        answered=False,
        facts={"follow_up": when},
        actions=["task"] if task else [],
    )


def _flatten(errors) -> list[str]:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, (list, tuple)):
        return [message for value in errors for message in _flatten(value)]
    return [str(errors)]


def _under_auto_send_limit(total: Decimal, currency: str, *, on_date) -> bool:
    limit = Decimal(settings.ASSISTANT_AUTO_SEND_LIMIT)
    limit_currency = settings.ASSISTANT_AUTO_SEND_CURRENCY
    rate = exchange_rate_on(base=currency, quote=limit_currency, on_date=on_date)
    if rate is None:
        inverse = exchange_rate_on(base=limit_currency, quote=currency, on_date=on_date)
        if not inverse:
            return False  # cannot compare: a person decides
        rate = 1 / inverse
    return total * rate <= limit


def negotiation(context: TurnContext) -> Outcome:
    deal = deal_advance(
        context, STAGE_NEGOTIATION, note=_task_title(gettext_noop("The buyer negotiates"))
    )
    target = context.state.slots.get("target_price")
    items = context.state.quantified_items() or context.state.items
    if not target or not items:
        return _ask("ask:target_price", t.ask_target_price(), "target_price")
    item = items[0]
    quantity = int(Decimal(str(item.get("quantity") or 0))) or None
    currency = target.get("currency") or catalog_currency()
    try:
        priced = pricing_preview(
            items=[{"sku": item["sku"], "quantity": quantity or _moq(item["sku"])}],
            tier=_tier_code(context),
            currency=currency,
            on_date=context.now.date(),
        )
    except PricingInputError:
        return _escalated(
            context,
            "negotiation",
            task_title=_task_title(gettext_noop("Price negotiation needs you")),
        )
    own_price = priced.lines[0].unit_price
    floor = round_half_up(own_price * (1 - Decimal(settings.ASSISTANT_PRICE_FLOOR_PERCENT) / 100))
    asked_price = Decimal(str(target["amount"]))
    when, _ = follow_up_promise(context.now)
    who = t.who_owner(_owner_name(context))
    price_text = t.money(max(asked_price, floor), currency)
    if asked_price < floor:
        _task(
            context,
            title=_task_title(gettext_noop("Target price below the floor: decide")),
            description=f"{item['sku']} × {quantity}: {asked_price} {currency} (floor {floor})",
            deal=deal,
        )
        return Outcome(
            action="negotiate:below_floor",
            reply=t.offer_below_floor(price=t.money(asked_price, currency), who=who, when=when),
            escalate=True,
            escalation_reason="below_floor",
            facts={"target": str(asked_price), "currency": currency},
            actions=["task"],
        )
    _task(
        context,
        title=_task_title(gettext_noop("Send a revised quote at the agreed price")),
        description=f"{item['sku']} × {quantity}: {max(asked_price, floor)} {currency}",
        deal=deal,
    )
    # priced (and offered) at the quantity asked, or at the minimum order without one
    offered = quantity or _moq(item["sku"])
    quantity_text = f"{t.number(offered)} {t.unit_label(item.get('unit') or 'pcs')}"
    return Outcome(
        action="negotiate:offer",
        reply=t.offer_accepted(
            price=price_text,
            quantity=quantity_text,
            name=_product_name(item["sku"]),
            who=who,
            when=when,
        ),
        facts={"price": str(max(asked_price, floor)), "currency": currency},
        actions=["task"],
    )


def _moq(sku: str) -> int:
    product = pricing_catalog().products.get(sku)
    terms = product.terms.get(catalog_currency()) if product else None
    return terms.moq if terms else 1


def order_placement(context: TurnContext) -> Outcome:
    deal_advance(
        context, STAGE_NEGOTIATION, note=_task_title(gettext_noop("The buyer wants to order"))
    )
    when, _ = follow_up_promise(context.now)
    _task(
        context,
        title=_task_title(gettext_noop("Confirm the buyer's order")),
        description=context.message.text[:2000],
        deal=open_deal(context),
    )
    return Outcome(
        action="order:received",
        reply=t.order_received(who=t.who_owner(_owner_name(context)), when=when),
        escalate=True,
        escalation_reason="order_placement",
        facts={"follow_up": when},
        actions=["task"],
    )


def order_status(context: TurnContext) -> Outcome:
    """Only orders of the buyer's own company, identified by the channel identity; and
    nothing about any order while the channel could not prove who is writing."""
    if not context.conversation.sender_verified:
        # A forged From address must learn nothing: not whether an order exists, not the
        # open order numbers. A person confirms the buyer and answers.
        when, _ = follow_up_promise(context.now)
        _task(
            context,
            title=_task_title(gettext_noop("Order question from an unconfirmed address")),
            description=f"{context.conversation.sender_address}\n{context.message.text[:2000]}",
        )
        return Outcome(
            action="order:unverified_sender",
            reply=t.order_sender_unverified(when=when),
            facts={"order": None},
            actions=["task"],
        )
    number_ = context.understanding.entities.get("order_number") or context.state.slots.get(
        "order_number"
    )
    own = Order.objects.filter(company=context.company) if context.company else Order.objects.none()
    if not number_:
        open_numbers = list(
            own.filter(status__in=OPEN_ORDER_STATUSES).values_list("number", flat=True)[:5]
        )
        if len(open_numbers) == 1:
            number_ = open_numbers[0]
        else:
            return _ask(
                "ask:order_number", t.ask_order_number(numbers=open_numbers), "order_number"
            )
    order = own.filter(number__iexact=str(number_).strip()).first()
    if order is None:
        return Outcome(
            action="order:not_found",
            reply=t.order_not_found(number_=str(number_)[:40]),
            facts={"order": None},
        )
    parts = [t.order_status(number_=order.number, status=order.get_status_display())]
    event = (
        order.events.exclude(vessel="", container="", etd=None, eta=None)
        .order_by("-occurred_at", "-id")
        .first()
    )
    if event:
        parts.append(t.order_shipment(vessel=event.vessel, container=event.container))
        parts.append(t.order_dates(etd=event.etd, eta=event.eta, port=order.destination_port))
        if event.tracking_url:
            parts.append(t.order_tracking(url=event.tracking_url))
    elif order.expected_ship_date and order.status not in (
        OrderStatus.DELIVERED,
        OrderStatus.CANCELLED,
    ):
        parts.append(t.order_expected(shipped_on=order.expected_ship_date))
    return Outcome(
        action="order:status",
        reply=" ".join(part for part in parts if part),
        facts={"order": order.number, "status": order.status},
    )


def sample_request(context: TurnContext) -> Outcome:
    deal_advance(context, STAGE_NEW, note=_task_title(gettext_noop("Sample request")))
    skus = [item["sku"] for item in context.state.items]
    when, _ = follow_up_promise(context.now)
    _task(
        context,
        title=_task_title(gettext_noop("Arrange samples")),
        description=", ".join(skus) + "\n" + context.message.text[:2000],
        deal=open_deal(context),
    )
    parts = [
        t.samples(
            names=[_product_name(sku) for sku in skus],
            who=t.who_owner(_owner_name(context)),
            when=when,
        )
    ]
    parts.extend(_documents_now(context))
    return Outcome(
        action="samples:task", reply="\n".join(parts), facts={"follow_up": when}, actions=["task"]
    )


def _documents_now(context: TurnContext) -> list[str]:
    hits = _knowledge(context, top_k=3)
    links = [f"{hit.title}: {hit.link}" for hit in hits if hit.link]
    return [t.available_now(links=links)] if links else []


def documents_request(context: TurnContext) -> Outcome:
    when, _ = follow_up_promise(context.now)
    _task(
        context,
        title=_task_title(gettext_noop("Send the documents the buyer asked for")),
        description=context.message.text[:2000],
        deal=open_deal(context),
    )
    parts = [t.documents(who=t.who_owner(_owner_name(context)), when=when)]
    parts.extend(_documents_now(context))
    return Outcome(
        action="documents:task", reply="\n".join(parts), facts={"follow_up": when}, actions=["task"]
    )


def knowledge_answer(context: TurnContext) -> Outcome:
    """payment_terms and shipping_inquiry: answered from the knowledge base."""
    hits = _knowledge(context)
    if hits:
        return Outcome(
            action="knowledge",
            reply=t.knowledge(title=hits[0].title, body=hits[0].text),
            facts={"article": hits[0].key},
        )
    _task(
        context,
        title=_task_title(gettext_noop("Unanswered question")),
        description=context.message.text[:2000],
    )
    when, _ = follow_up_promise(context.now)
    return Outcome(
        action="knowledge:unanswered",
        reply=t.handoff(reason="question", who=t.who_owner(_owner_name(context)), when=when),
        answered=False,
    )


def handoff(context: TurnContext) -> Outcome:
    intent = context.understanding.intent
    titles = {
        "complaint": gettext_noop("Complaint: call the buyer"),
        "return_refund": gettext_noop("Return or refund request"),
        "human_handoff": gettext_noop("The buyer asks for a person"),
    }
    return _escalated(
        context,
        intent,
        task_title=_task_title(titles.get(intent, gettext_noop("The buyer needs a person"))),
    )


HANDLERS = {
    "greeting": greeting,
    "thanks_goodbye": thanks_goodbye,
    "other": other,
    "product_info": product_info,
    "price_inquiry": price_inquiry,
    "quote_request": quote_request,
    "negotiation": negotiation,
    "order_placement": order_placement,
    "order_status": order_status,
    "sample_request": sample_request,
    "documents_request": documents_request,
    "payment_terms": knowledge_answer,
    "shipping_inquiry": knowledge_answer,
    "complaint": handoff,
    "return_refund": handoff,
    "human_handoff": handoff,
}


def decide_and_act(context: TurnContext, intent: str) -> Outcome:
    handler = HANDLERS.get(intent, other)
    return handler(context)


def now_or(value) -> datetime:
    return value if isinstance(value, datetime) and timezone.is_aware(value) else timezone.now()
