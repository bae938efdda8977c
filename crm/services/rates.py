"""Writes of exchange rates: by hand (admin, API) or from a CSV file."""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ExchangeRate
from .common import model_save_validated

CSV_COLUMNS = ("date", "from", "to", "rate")


@transaction.atomic
def exchange_rate_set(
    *,
    date: date,
    base_currency: str,
    quote_currency: str,
    rate: Decimal,
    instance: ExchangeRate | None = None,
) -> ExchangeRate:
    """Create or correct the rate of one currency pair on one day."""
    existing = (
        instance
        or ExchangeRate.objects.filter(
            date=date, base_currency=base_currency.upper(), quote_currency=quote_currency.upper()
        ).first()
    )
    exchange_rate = existing or ExchangeRate()
    exchange_rate.date = date
    exchange_rate.base_currency = base_currency.upper()
    exchange_rate.quote_currency = quote_currency.upper()
    exchange_rate.rate = rate
    if exchange_rate.base_currency == exchange_rate.quote_currency:
        raise ValidationError({"quote_currency": _("A rate needs two different currencies.")})
    return model_save_validated(exchange_rate)


@dataclass
class ImportResult:
    imported: int
    errors: list[str]


def exchange_rates_import_csv(stream: TextIO) -> ImportResult:
    """Import `date,from,to,rate` rows (a header row is expected). All rows or none:
    any bad row means nothing is written, and every bad row is reported."""
    reader = csv.DictReader(stream)
    if (
        reader.fieldnames is None
        or tuple(name.strip().lower() for name in reader.fieldnames) != CSV_COLUMNS
    ):
        return ImportResult(
            0,
            [
                _("The first row must be the header: %(columns)s.")
                % {"columns": ",".join(CSV_COLUMNS)}
            ],
        )
    rows, errors = [], []
    for number, row in enumerate(reader, start=2):
        try:
            rows.append(
                {
                    "date": date.fromisoformat(row["date"].strip()),
                    "base_currency": row["from"].strip(),
                    "quote_currency": row["to"].strip(),
                    "rate": Decimal(row["rate"].strip()),
                }
            )
        except (ValueError, InvalidOperation, AttributeError):
            errors.append(
                _("Row %(row)s: expected a date (YYYY-MM-DD), two currency codes and a rate.")
                % {"row": number}
            )
    if errors:
        return ImportResult(0, errors)
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=2):
                try:
                    exchange_rate_set(**row)
                except ValidationError as error:
                    errors.append(
                        _("Row %(row)s: %(error)s")
                        % {"row": number, "error": "; ".join(error.messages)}
                    )
            if errors:
                raise ValidationError(errors)
    except ValidationError:
        return ImportResult(0, errors)
    return ImportResult(len(rows), [])
