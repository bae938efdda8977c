"""Writes of companies, contacts and channel identities."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import ChannelIdentity, Company, Contact, Language, Team, User
from .common import model_save_validated, model_update

COMPANY_FIELDS = [
    "legal_name",
    "country",
    "city",
    "website",
    "email_domain",
    "tier",
    "owner",
    "team",
    "default_currency",
    "preferred_language",
    "notes",
]
CONTACT_FIELDS = ["company", "name", "job_title", "emails", "phones", "preferred_language"]


@transaction.atomic
def company_create(*, user: User | None, **data: Any) -> Company:
    """Create a company; the creating user owns it unless an owner is given."""
    fields = {key: value for key, value in data.items() if key in COMPANY_FIELDS}
    if user is not None and fields.get("owner") is None:
        fields["owner"] = user
    return model_save_validated(Company(**fields))


@transaction.atomic
def company_update(*, company: Company, data: dict[str, Any]) -> Company:
    model_update(instance=company, data=data, fields=COMPANY_FIELDS)
    return company


@transaction.atomic
def company_delete(*, company: Company) -> None:
    """Delete a company and everything under it, unless it has quotes or orders (kept
    for the accounts): then a ValidationError says so and nothing is deleted."""
    if company.quotes.exists() or company.orders.exists():
        raise ValidationError(
            _("“%(name)s” has quotes or orders, which are kept: it cannot be deleted.")
            % {"name": company.legal_name}
        )
    company.delete()


@transaction.atomic
def contact_create(**data: Any) -> Contact:
    fields = {key: value for key, value in data.items() if key in CONTACT_FIELDS}
    return model_save_validated(Contact(**fields))


@transaction.atomic
def contact_update(*, contact: Contact, data: dict[str, Any]) -> Contact:
    model_update(instance=contact, data=data, fields=CONTACT_FIELDS)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic
def channel_identity_create(
    *, contact: Contact, channel: str, address: str, verified: bool = False
) -> ChannelIdentity:
    return model_save_validated(
        ChannelIdentity(
            contact=contact, channel=channel, address=address.strip(), verified=verified
        )
    )


@transaction.atomic
def channel_identity_delete(*, identity: ChannelIdentity) -> None:
    identity.delete()


def _prospect_team(country: str) -> Team | None:
    return (
        Team.objects.filter(markets__contains=[country]).order_by("id").first() if country else None
    ) or Team.objects.filter(is_default=True).order_by("id").first()


@transaction.atomic
def prospect_create(
    *,
    name: str,
    country: str = "",
    language: str = "",
    email: str = "",
    phone: str = "",
    company_name: str = "",
) -> Contact:
    """A new prospect contact from a first message: at the company whose email domain
    matches, or at a new prospect company routed to the team covering its market."""
    domain = email.rsplit("@", 1)[1].lower() if "@" in email else ""
    company = None
    if domain and domain not in settings.PORTOLAN_FREEMAIL_DOMAINS:
        company = Company.objects.filter(email_domain__iexact=domain).order_by("id").first()
    if company is None:
        team = _prospect_team(country)
        base_name = company_name or (
            domain if domain and domain not in settings.PORTOLAN_FREEMAIL_DOMAINS else ""
        )
        legal_name = base_name or _("Prospect %(name)s") % {"name": name or email or phone}
        if Company.objects.filter(legal_name__iexact=legal_name, country=country).exists():
            legal_name = f"{legal_name} ({phone or email or Contact.objects.count() + 1})"
        company = Company.objects.create(
            legal_name=legal_name[:200],
            country=country,
            email_domain=domain if domain not in settings.PORTOLAN_FREEMAIL_DOMAINS else "",
            team=team,
            preferred_language=language or Language.EN,
            is_prospect=True,
        )
    return Contact.objects.create(
        company=company,
        name=(name or email or phone or _("Unknown buyer"))[:200],
        emails=[email] if email else [],
        phones=[phone] if phone else [],
        preferred_language=language or company.preferred_language,
    )


@transaction.atomic
def contacts_merge_records(
    *, source: Contact, target: Contact, user: User | None, moved: dict | None = None
):
    """Move everything of `source` to `target` in the CRM, delete `source`, and keep an
    audit entry. Callers owning other records of the contact move theirs first and pass
    their counts in `moved`."""
    from ..models import ContactMerge, Deal, Interaction, Order, ProfileFact, Quote, Task
    from .timeline import interaction_event_record

    if source.pk == target.pk:
        raise ValidationError({"target": _("A contact cannot be merged into itself.")})
    counts = dict(moved or {})
    counts["identities"] = source.identities.update(contact=target)
    for label, model in (
        ("interactions", Interaction),
        ("deals", Deal),
        ("tasks", Task),
        ("facts", ProfileFact),
        ("quotes", Quote),
        ("orders", Order),
    ):
        # Records follow the person to the kept contact's company, so a merged prospect's
        # history lands on the real customer (and nothing points across companies).
        counts[label] = model.objects.filter(contact=source).update(
            contact=target, company=target.company
        )
    target.emails = list(dict.fromkeys([*target.emails, *source.emails]))
    target.phones = list(dict.fromkeys([*target.phones, *source.phones]))
    target.save(update_fields=["emails", "phones", "updated_at"])
    audit = ContactMerge.objects.create(
        target=target,
        source_id_was=source.pk,
        source_name=source.name,
        source_company=source.company.legal_name,
        moved=counts,
        merged_by=user,
    )
    interaction_event_record(
        company=target.company,
        contact=target,
        user=user,
        text=_("%(source)s (%(company)s) merged into %(target)s")
        % {"source": source.name, "company": source.company.legal_name, "target": target.name},
    )
    source.delete()
    return audit
