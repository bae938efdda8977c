"""The template reply generator: every sentence a buyer can get, in gettext catalogs
(`locale/`), with numbers, money and dates formatted per locale by babel.

Functions here only word things; facts come in as arguments from the actions. Each is
called inside `translation.override(<buyer's language>)`.
"""

from datetime import date, datetime
from decimal import Decimal

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

BABEL_LOCALES = {
    "en": "en",
    "zh-hans": "zh_Hans_CN",
    "es": "es",
    "pt": "pt_BR",
    "ru": "ru",
    "ar": "ar",
    "fr": "fr",
    "de": "de",
}


def _locale() -> str:
    return BABEL_LOCALES.get((get_language() or "en").lower(), "en")


def money(amount: Decimal, currency: str) -> str:
    return format_currency(amount, currency, locale=_locale())


def number(value) -> str:
    return format_decimal(value, locale=_locale())


def day(value: date) -> str:
    return format_date(value, format="long", locale=_locale())


def moment(value: datetime) -> str:
    """A weekday, day and time: "Monday, November 24, 11:00"."""
    return "{} {}".format(
        format_skeleton("MMMMEEEEd", value, locale=_locale()),
        format_time(value, format="short", locale=_locale()),
    )


def seller_name() -> str:
    # "Co., Ltd." ends a sentence with its own full stop
    return settings.PORTOLAN_SELLER["name"].rstrip(".")


def listing(parts: list[str]) -> str:
    return pgettext("list separator", ", ").join(parts)


# -- social ---------------------------------------------------------------------------


def greeting(*, part_of_day: str, name: str, salaam: bool) -> str:
    if salaam:
        # Returned in kind, whatever the language the buyer wrote the rest in.
        opening = pgettext("reply to as-salamu alaykum", "Wa alaykum as-salam")
    elif part_of_day == "morning":
        opening = _("Good morning")
    elif part_of_day == "evening":
        opening = _("Good evening")
    else:
        opening = _("Hello")
    if name:
        opening = _("%(greeting)s, %(name)s") % {"greeting": opening, "name": name}
    return _(
        "%(greeting)s! Welcome to %(seller)s. How can I help you today? I can send prices "
        "and quotations, check an order or arrange samples."
    ) % {"greeting": opening, "seller": seller_name()}


def thanks(*, goodbye: bool) -> str:
    if goodbye:
        return _("Thank you for contacting us. Have a good day, and write to us any time!")
    return _("You are welcome! If you need anything else, just write to us here.")


def other() -> str:
    return _(
        "I am the assistant of %(seller)s. I can help with our products, prices and "
        "quotations, orders, samples and shipping. What are you looking for?"
    ) % {"seller": seller_name()}


def empty() -> str:
    return _("Thank you for your message. How can I help you?")


# -- products and prices --------------------------------------------------------------


def product_facts(
    *, name: str, sku: str, moq: int, unit: str, lead_days: int, certifications: list[str]
) -> str:
    text = _(
        "%(name)s (%(sku)s): minimum order %(moq)s %(unit)s, production time about "
        "%(days)s days for that quantity."
    ) % {"name": name, "sku": sku, "moq": number(moq), "unit": unit_label(unit), "days": lead_days}
    if certifications:
        text += " " + _("Certifications: %(list)s.") % {"list": listing(certifications)}
    return text


def unit_label(unit: str) -> str:
    labels = {
        "pcs": pgettext("unit", "pcs"),
        "roll": pgettext("unit", "rolls"),
        "carton": pgettext("unit", "cartons"),
        "set": pgettext("unit", "sets"),
    }
    return labels.get(unit, unit)


def price_breaks(
    *, name: str, sku: str, breaks: list[tuple[int, Decimal]], currency: str, unit: str
) -> str:
    lines = [
        _("from %(quantity)s %(unit)s: %(price)s each")
        % {"quantity": number(quantity), "unit": unit_label(unit), "price": money(price, currency)}
        for quantity, price in breaks
    ]
    return "{} ({}):\n{}".format(name, sku, "\n".join("• " + line for line in lines))


def prices_intro(*, port: str, known_customer: bool) -> str:
    if known_customer:
        return _("Your prices, FOB %(port)s:") % {"port": port}
    return _("Our list prices, FOB %(port)s:") % {"port": port}


def prices_next_step() -> str:
    return _("Tell me the quantity and the destination, and I will prepare a quotation.")


def which_product(*, names: list[str]) -> str:
    return _("Which product do you mean? We offer: %(products)s.") % {"products": listing(names)}


def not_found_in_catalog(*, names: list[str]) -> str:
    return _(
        "I could not find an answer to that in our catalog. Which product do you mean? We "
        "offer: %(products)s. I have also passed your question to a colleague."
    ) % {"products": listing(names)}


# -- questions (one at a time) --------------------------------------------------------


def ask_items(*, names: list[str]) -> str:
    return _("Which products would you like a quotation for? We offer: %(products)s.") % {
        "products": listing(names)
    }


def ask_quantity(*, name: str, moq: int, unit: str) -> str:
    return _("How many %(name)s do you need? The minimum order is %(moq)s %(unit)s.") % {
        "name": name,
        "moq": number(moq),
        "unit": unit_label(unit),
    }


def ask_destination(*, incoterm: str) -> str:
    return _(
        "To quote %(incoterm)s I need the destination. To which port or country should we ship?"
    ) % {"incoterm": incoterm}


def ask_target_price() -> str:
    return _(
        "What price are you aiming for? Tell me your target price and quantity, and I will see what we can do."
    )


def ask_order_number(*, numbers: list[str]) -> str:
    if numbers:
        return _("Which order do you mean? Your open orders: %(orders)s.") % {
            "orders": listing(numbers)
        }
    return _("Please send me the order number (it looks like SO-2026-0101).")


def ask_email() -> str:
    return _("Please send me your e-mail address, and I will send you the quotation.")


# -- quotes ---------------------------------------------------------------------------


def quote_line(
    *, name: str, quantity: int, unit: str, unit_price: Decimal, currency: str, total: Decimal
) -> str:
    return _("%(name)s: %(quantity)s %(unit)s × %(price)s = %(total)s") % {
        "name": name,
        "quantity": number(quantity),
        "unit": unit_label(unit),
        "price": money(unit_price, currency),
        "total": money(total, currency),
    }


def quote_sent(
    *,
    number_: str,
    lines: list[str],
    total: Decimal,
    currency: str,
    terms: str,
    valid_until: date,
    lead_days: int,
    link: str,
) -> str:
    head = _("Here is your quotation %(number)s:") % {"number": number_}
    tail = _(
        "Total %(total)s %(terms)s, valid until %(date)s. Production time about %(days)s "
        "days. The PDF: %(link)s"
    ) % {
        "total": money(total, currency),
        "terms": terms,
        "date": day(valid_until),
        "days": lead_days,
        "link": link,
    }
    return "\n".join([head, *("• " + line for line in lines), tail])


def indicative_prices(*, lines: list[str], total: Decimal, currency: str, terms: str) -> str:
    head = _("Indicative prices:")
    tail = _("Total %(total)s %(terms)s.") % {"total": money(total, currency), "terms": terms}
    return "\n".join([head, *("• " + line for line in lines), tail])


def fob_note(*, port: str) -> str:
    return _(
        "Prices are FOB %(port)s, as you did not name an incoterm; tell me your destination "
        "port for a CIF or DAP price."
    ) % {"port": port}


def quote_for_approval(*, who: str, when: str) -> str:
    return _(
        "Thank you! Your quotation is being prepared and %(who)s will check it; you will "
        "receive it %(when)s."
    ) % {"who": who, "when": when}


def cannot_price(*, problems: list[str]) -> str:
    return _("I could not prepare this quotation yet: %(problems)s") % {
        "problems": " ".join(problems)
    }


# -- negotiation ----------------------------------------------------------------------


def offer_accepted(*, price: str, quantity: str, name: str, who: str, when: str) -> str:
    return _(
        "We can offer %(price)s each for %(quantity)s of %(name)s. %(who)s will confirm it "
        "in a revised quotation %(when)s."
    ) % {"price": price, "quantity": quantity, "name": name, "who": capital(who), "when": when}


def offer_below_floor(*, price: str, who: str, when: str) -> str:
    return _(
        "I understand. %(price)s is below what I can offer myself, so I have passed your "
        "request to %(who)s, who will reply %(when)s."
    ) % {"price": price, "who": who, "when": when}


def volume_hint(*, quantity: str, price: str) -> str:
    return _("From %(quantity)s the price goes down to %(price)s each.") % {
        "quantity": quantity,
        "price": price,
    }


# -- orders ---------------------------------------------------------------------------


def order_status(*, number_: str, status: str) -> str:
    return _("Order %(number)s: %(status)s.") % {"number": number_, "status": status}


def order_shipment(*, vessel: str, container: str) -> str:
    parts = []
    if vessel:
        parts.append(_("vessel %(vessel)s") % {"vessel": vessel})
    if container:
        parts.append(_("container %(container)s") % {"container": container})
    return _("Shipped with %(details)s.") % {"details": listing(parts)} if parts else ""


def order_dates(*, etd: date | None, eta: date | None, port: str) -> str:
    parts = []
    if etd:
        parts.append(_("departure %(date)s") % {"date": day(etd)})
    if eta:
        if port:
            parts.append(_("arrival in %(port)s %(date)s") % {"port": port, "date": day(eta)})
        else:
            parts.append(_("arrival %(date)s") % {"date": day(eta)})
    return capital(listing(parts) + ".") if parts else ""


def order_expected(*, shipped_on: date) -> str:
    return _("Expected to ship on %(date)s.") % {"date": day(shipped_on)}


def order_tracking(*, url: str) -> str:
    return _("Tracking: %(url)s") % {"url": url}


def order_not_found(*, number_: str) -> str:
    return _(
        "I could not find order %(number)s for your company. Please check the number; if "
        "it is right, a colleague will look into it."
    ) % {"number": number_}


def order_received(*, who: str, when: str) -> str:
    return _(
        "Thank you for your order! %(who)s will confirm it and send you the proforma "
        "invoice %(when)s."
    ) % {"who": capital(who), "when": when}


# -- samples, documents, knowledge ----------------------------------------------------


def samples(*, names: list[str], who: str, when: str) -> str:
    if names:
        text = _("We will gladly arrange samples of %(products)s.") % {"products": listing(names)}
    else:
        text = _("We will gladly arrange samples.")
    return (
        text
        + " "
        + _("%(who)s will contact you %(when)s to arrange them.")
        % {
            "who": capital(who),
            "when": when,
        }
    )


def documents(*, who: str, when: str) -> str:
    return _("%(who)s will send you the documents %(when)s.") % {"who": capital(who), "when": when}


def available_now(*, links: list[str]) -> str:
    return _("Available right now:") + "\n" + "\n".join("• " + link for link in links)


def knowledge(*, title: str, body: str) -> str:
    return f"{title}\n{body}"


# -- people ---------------------------------------------------------------------------


def handoff(*, reason: str, who: str, when: str) -> str:
    if reason == "complaint":
        opening = _("I am sorry about this, and I understand how frustrating it is.")
    elif reason == "return_refund":
        opening = _("I am sorry the goods did not meet your expectations.")
    else:
        opening = _("Of course.")
    return (
        opening
        + " "
        + _("I have passed your message to %(who)s, who will get back to you %(when)s.")
        % {
            "who": who,
            "when": when,
        }
    )


def who_owner(name: str) -> str:
    if name:
        return _("your account manager %(name)s") % {"name": name}
    return _("our sales team")


def when_today(*, until: str, zone: str) -> str:
    return _("today before %(time)s (%(zone)s)") % {"time": until, "zone": zone}


def when_later(*, moment_: str, zone: str) -> str:
    return _("by %(moment)s (%(zone)s)") % {"moment": moment_, "zone": zone}


def zone_name(tz) -> str:
    """ "China Standard Time", "中国标准时间": the seller's zone as the buyer says it."""
    from babel.dates import get_timezone_name

    return get_timezone_name(tz, width="long", zone_variant="standard", locale=_locale())


def capital(text: str) -> str:
    """The first letter upper-cased, the rest untouched ("our team" → "Our team")."""
    return text[:1].upper() + text[1:]


def order_sender_unverified(*, when: str) -> str:
    return _(
        "For your security I can only share order details with a confirmed address. Your "
        "account manager will reply to you directly %(when)s."
    ) % {"when": when}


def handoff_taking_over(*, when: str) -> str:
    return _("A colleague is taking over this conversation and will reply %(when)s.") % {
        "when": when
    }


def extra_discount(*, percent: Decimal) -> str:
    from babel.numbers import format_percent

    shown = format_percent(percent / 100, format="#,##0.##%", locale=_locale())
    return _("These prices include an extra discount of %(percent)s for this order.") % {
        "percent": shown
    }
