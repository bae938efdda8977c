"""Small display helpers of the staff pages: money, stages, people."""

from decimal import Decimal

from babel.numbers import format_currency
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> SafeString | str:
    """An amount with its currency, written the way the active language writes money.
    Sub-cent unit prices keep their digits. Isolated left-to-right, so the digits and
    the currency sign stay together in right-to-left pages."""
    if amount is None:
        return ""
    try:
        text = format_currency(
            amount, currency, locale=to_locale(get_language() or "en"), decimal_quantization=False
        )
    except (ValueError, LookupError):
        text = f"{amount} {currency}"
    return format_html('<bdi class="money" dir="ltr">{}</bdi>', text)


@register.filter
def stage_state(stage) -> str:
    """'won', 'lost' or 'open': the CSS modifier of a stage badge."""
    if stage is None:
        return "open"
    if stage.is_won:
        return "won"
    if stage.is_lost:
        return "lost"
    return "open"


@register.filter
def person(user) -> str:
    """A staff member's full name, or their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
