from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Cast, Upper
from django.db.models.lookups import Regex
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..validators import validate_currency, validate_e164
from .accounts import Team
from .choices import Channel, Language, TierCode


class Company(models.Model):
    """A customer or prospect organisation: the unit of ownership and visibility."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    country = CountryField(
        _("country"), blank=True, help_text=_("Blank only for prospects not yet qualified.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    email_domain = models.CharField(_("email domain"), max_length=100, blank=True, db_index=True)
    tier = models.CharField(
        _("tier"), max_length=20, choices=TierCode.choices, default=TierCode.STANDARD
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_companies",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
        verbose_name=_("team"),
    )
    default_currency = models.CharField(
        _("default currency"), max_length=3, default="USD", validators=[validate_currency]
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    notes = models.TextField(_("notes"), blank=True)
    is_prospect = models.BooleanField(
        _("prospect"),
        default=False,
        help_text=_("Created from a first message; not yet qualified by a rep."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["legal_name", "id"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(
                Upper("legal_name"), "country", name="company_unique_name_per_country"
            ),
            models.CheckConstraint(
                condition=models.Q(tier__in=TierCode.values), name="company_tier_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(default_currency__regex=r"^[A-Z]{3}$"),
                name="company_currency_iso4217",
            ),
            models.CheckConstraint(
                condition=Regex(Cast("country", models.CharField()), r"^([A-Z]{2})?$"),
                name="company_country_iso3166",
            ),
        ]
        indexes = [
            models.Index(fields=["legal_name", "id"], name="company_name_idx"),
            models.Index(fields=["country", "legal_name"], name="company_country_idx"),
            models.Index(fields=["tier", "legal_name"], name="company_tier_idx"),
            models.Index(fields=["-updated_at"], name="company_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.legal_name


class Contact(models.Model):
    """A person at a company; the buyer the assistant and the reps talk to."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company")
    )
    name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    emails = ArrayField(
        models.EmailField(max_length=254), default=list, blank=True, verbose_name=_("emails")
    )
    phones = ArrayField(
        models.CharField(max_length=20, validators=[validate_e164]),
        default=list,
        blank=True,
        verbose_name=_("phone numbers"),
        help_text=_("International E.164 form, e.g. +51987654321."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.EN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["company", "name"], name="contact_company_idx"),
            GinIndex(fields=["emails"], name="contact_emails_gin"),
            GinIndex(fields=["phones"], name="contact_phones_gin"),
        ]

    def __str__(self) -> str:
        return self.name


class ChannelIdentity(models.Model):
    """How a contact is reached on one channel: a phone, chat id, open id or address."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="identities", verbose_name=_("contact")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["channel", "address"]
        verbose_name = _("channel identity")
        verbose_name_plural = _("channel identities")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address"], name="channel_identity_unique_address"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values),
                name="channel_identity_channel_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(address=""), name="channel_identity_address_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.address}"


class ContactMerge(models.Model):
    """The audit entry of two contacts merged into one: who, when, and what moved."""

    target = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("kept contact"),
    )
    source_id_was = models.PositiveBigIntegerField(_("merged contact id"))
    source_name = models.CharField(_("merged contact"), max_length=200)
    source_company = models.CharField(_("merged contact's company"), max_length=200)
    moved = models.JSONField(_("records moved"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("contact merge")
        verbose_name_plural = _("contact merges")

    def __str__(self) -> str:
        return f"{self.source_name} → {self.target}"
