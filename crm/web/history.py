"""Change history (django-simple-history) as the pages show it: who changed what, when,
from which value to which."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import PriceBreak, PriceList, Product

HISTORY_KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping that changes with every save; showing it would only add noise.
NOT_SHOWN = frozenset({"updated_at", "created_at"})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    user: object
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def display_value(model_field: models.Field, value) -> str:
    """A stored value as a person reads it: choice labels, local dates, '—' for empty."""
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def history_entries(records: Iterable, *, limit: int = 50) -> list[HistoryEntry]:
    """The historical records of one object, newest first, each with the fields that
    changed since the record before it."""
    ordered = sorted(records, key=lambda record: (record.history_date, record.history_id))
    entries = []
    previous = None
    for record in ordered:
        entry = HistoryEntry(
            when=record.history_date,
            user=record.history_user,
            kind=str(HISTORY_KINDS.get(record.history_type, record.history_type)),
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            for change in delta.changes:
                if change.field in NOT_SHOWN:
                    continue
                model_field = record.instance_type._meta.get_field(change.field)
                entry.changes.append(
                    FieldChange(
                        label=capfirst(model_field.verbose_name),
                        old=display_value(model_field, change.old),
                        new=display_value(model_field, change.new),
                    )
                )
        entries.append(entry)
        previous = record
    entries.reverse()
    return entries[:limit]


@dataclass
class PriceChange:
    when: datetime.datetime
    user: object
    kind: str
    price_list: str
    currency: str
    min_quantity: int
    old_price: Decimal | None
    new_price: Decimal | None


def price_history(product: Product, *, limit: int = 50) -> list[PriceChange]:
    """Every change to the product's price breaks, newest first: old → new unit price.
    Saves that changed neither the price nor the quantity are left out."""
    records = (
        PriceBreak.history.filter(product_id=product.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    price_lists = {price_list.pk: price_list for price_list in PriceList.objects.all()}
    latest: dict[int, object] = {}
    changes: list[PriceChange] = []
    for record in records:
        previous = latest.get(record.id)
        latest[record.id] = record
        unchanged = previous is not None and (previous.unit_price, previous.min_quantity) == (
            record.unit_price,
            record.min_quantity,
        )
        if record.history_type == "~" and unchanged:
            continue
        price_list = price_lists.get(record.price_list_id)
        changes.append(
            PriceChange(
                when=record.history_date,
                user=record.history_user,
                kind=str(HISTORY_KINDS.get(record.history_type, record.history_type)),
                price_list=price_list.name if price_list else "—",
                currency=price_list.currency if price_list else "",
                min_quantity=record.min_quantity,
                old_price=previous.unit_price
                if previous is not None and record.history_type != "+"
                else None,
                new_price=None if record.history_type == "-" else record.unit_price,
            )
        )
    changes.reverse()
    return changes[:limit]
