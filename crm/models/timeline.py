from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel, Language
from .customers import Company, Contact
from .pipeline import Deal


class Direction(models.TextChoices):
    IN = "in", _("Inbound")
    OUT = "out", _("Outbound")
    INTERNAL = "internal", _("Internal")


class InteractionKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    EMAIL = "email", _("Email")
    CALL = "call", _("Call")
    NOTE = "note", _("Note")
    SYSTEM = "system", _("System event")


class Author(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    ASSISTANT = "assistant", _("Assistant")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("System")


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    NEUTRAL = "neutral", _("Neutral")
    POSITIVE = "positive", _("Positive")


class Interaction(models.Model):
    """One entry of a customer's timeline: a message, email, call, note or event."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("company")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("contact"),
    )
    deal = models.ForeignKey(
        Deal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("deal"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=InteractionKind.choices)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, blank=True)
    text = models.TextField(_("text"))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    intent = models.CharField(_("intent"), max_length=40, blank=True)
    sentiment = models.CharField(
        _("sentiment"), max_length=10, choices=Sentiment.choices, blank=True
    )
    author = models.CharField(_("author"), max_length=10, choices=Author.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author (staff)"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["company", "-occurred_at"], name="interaction_timeline_idx"),
            models.Index(fields=["contact", "-occurred_at"], name="interaction_contact_idx"),
            models.Index(fields=["deal", "-occurred_at"], name="interaction_deal_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class Task(models.Model):
    """Something a person must do, linked to the records it concerns."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assignee"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("company"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("contact"),
    )
    deal = models.ForeignKey(
        Deal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("deal"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["done", "due_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done=False) | models.Q(done_at__isnull=False),
                name="task_done_has_time",
            )
        ]
        indexes = [
            models.Index(fields=["assignee", "done", "due_at"], name="task_assignee_idx"),
            models.Index(fields=["company", "done"], name="task_company_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class FactKind(models.TextChoices):
    PRODUCT_INTEREST = "product_interest", _("Product interest")
    TARGET_PRICE = "target_price", _("Target price")
    COMPETITOR = "competitor", _("Competitor mentioned")
    DESTINATION_MARKET = "destination_market", _("Destination market")
    INCOTERM_PREFERENCE = "incoterm_preference", _("Incoterm preference")
    COMMUNICATION_STYLE = "communication_style", _("Communication style")
    LANGUAGE = "language", _("Language")
    SENTIMENT = "sentiment", _("Sentiment")
    SATISFACTION = "satisfaction", _("Satisfaction")


class ProfileFact(models.Model):
    """Something learned about a customer, with where it came from and how sure we are."""

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="facts",
        verbose_name=_("company"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="facts",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=FactKind.choices)
    value = models.JSONField(_("value"))
    source_interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facts",
        verbose_name=_("source interaction"),
    )
    confidence = models.FloatField(
        _("confidence"), default=1.0, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )
    first_seen_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering = ["kind", "-last_seen_at"]
        verbose_name = _("profile fact")
        verbose_name_plural = _("profile facts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(company__isnull=False) | models.Q(contact__isnull=False),
                name="profile_fact_has_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="profile_fact_confidence_range",
            ),
            models.CheckConstraint(
                condition=models.Q(last_seen_at__gte=models.F("first_seen_at")),
                name="profile_fact_seen_order",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "kind"], name="profile_fact_company_idx"),
            models.Index(fields=["contact", "kind"], name="profile_fact_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
