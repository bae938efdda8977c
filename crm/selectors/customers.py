"""Reads about customers that several parts need."""

from django.db.models import QuerySet

from ..models import Contact


def contacts_with_address(*, email: str = "", phone: str = "") -> QuerySet[Contact]:
    """Contacts that list this email address or phone number (E.164) on their record."""
    if email:
        return Contact.objects.filter(emails__contains=[email.strip().lower()]).select_related(
            "company"
        )
    if phone:
        return Contact.objects.filter(phones__contains=[phone]).select_related("company")
    return Contact.objects.none()
