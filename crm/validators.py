"""Field validators whose messages a sales rep understands."""

import phonenumbers
from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENCY_CODES = frozenset(list_currencies())


def validate_e164(value: str) -> None:
    """A phone number in international E.164 form, e.g. +51987654321."""
    message = _("Enter the phone number in international form, e.g. +51987654321.")
    if not value.startswith("+"):
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValidationError(message, code="invalid_phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("%(value)s is not a valid phone number."),
            code="invalid_phone",
            params={"value": value},
        )
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != value:
        raise ValidationError(message, code="invalid_phone")


def validate_currency(value: str) -> None:
    if value not in CURRENCY_CODES:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (e.g. USD, EUR, CNY)."),
            code="invalid_currency",
            params={"value": value},
        )
