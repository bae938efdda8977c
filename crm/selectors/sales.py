"""Reads of quotes and orders, under the one visibility rule."""

from django.db.models import QuerySet

from ..models import Order, Quote, User
from .visibility import company_visibility_q


def quotes_visible_to(user: User) -> QuerySet[Quote]:
    return Quote.objects.filter(company_visibility_q(user, prefix="company__"))


def orders_visible_to(user: User) -> QuerySet[Order]:
    return Order.objects.filter(company_visibility_q(user, prefix="company__"))
