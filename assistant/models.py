"""The assistant's own records: knowledge articles it answers from, and one quality
record per turn (what it understood, how sure it was, what it did)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class KnowledgeTopic(models.TextChoices):
    PAYMENT = "payment", _("Payment terms")
    SHIPPING = "shipping", _("Shipping and lead times")
    SAMPLES = "samples", _("Samples policy")
    WARRANTY = "warranty", _("Warranty")
    CERTIFICATIONS = "certifications", _("Certifications")
    COMPANY = "company", _("Company profile")
    OTHER = "other", _("Other")


class KnowledgeArticle(models.Model):
    """A translated answer the assistant may quote: title and body per language
    (django-modeltranslation adds the per-language columns)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    topic = models.CharField(
        _("topic"), max_length=20, choices=KnowledgeTopic.choices, default=KnowledgeTopic.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    link = models.URLField(_("link"), blank=True, help_text=_("A document buyers may open."))
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["topic", "slug"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def __str__(self) -> str:
        return self.title


class AssistantTurn(models.Model):
    """The quality record of one assistant turn."""

    conversation_id = models.BigIntegerField(
        _("conversation"), null=True, blank=True, db_index=True
    )
    company = models.ForeignKey(
        "crm.Company",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistant_turns",
    )
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    text = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    intent = models.CharField(_("intent"), max_length=40, blank=True)
    intent_confidence = models.FloatField(_("intent confidence"), default=0)
    entities = models.JSONField(_("entities"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    sentiment = models.CharField(_("sentiment"), max_length=10, blank=True)
    sentiment_score = models.FloatField(_("sentiment score"), default=0)
    slots = models.JSONField(
        _("dialogue state"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    action = models.CharField(_("action"), max_length=40, blank=True)
    answered = models.BooleanField(
        _("answered"), default=True, help_text=_("False when it could not answer the question.")
    )
    escalate = models.BooleanField(_("escalated"), default=False)
    escalation_reason = models.CharField(_("escalation reason"), max_length=200, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    generator = models.CharField(_("generator"), max_length=20, blank=True)
    duration_ms = models.FloatField(_("duration (ms)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assistant turn")
        verbose_name_plural = _("assistant turns")
        indexes = [
            models.Index(fields=["conversation_id", "-created_at"], name="assistant_turn_conv_idx"),
            models.Index(fields=["intent", "language"], name="assistant_turn_intent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.intent} ({self.language}): {self.text[:40]}"
