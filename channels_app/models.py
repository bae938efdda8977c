"""Conversations with buyers on every channel, their messages, and the outbox."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import Author as Sender  # who wrote a message: the timeline's authors
from crm.models import Channel, ChannelIdentity, Contact, Language


class ConversationStatus(models.TextChoices):
    BOT = "bot", _("Assistant")
    HUMAN = "human", _("Person")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    """One buyer on one channel identity: the thread the assistant and the reps answer."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="conversations", verbose_name=_("contact")
    )
    identity = models.ForeignKey(
        ChannelIdentity,
        on_delete=models.CASCADE,
        related_name="conversations",
        verbose_name=_("channel identity"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.BOT,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("assigned to"),
    )
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    last_inbound_at = models.DateTimeField(_("last message from the buyer"), null=True, blank=True)
    last_outbound_at = models.DateTimeField(_("last reply"), null=True, blank=True)
    reply_window_expires_at = models.DateTimeField(
        _("free-reply window ends"),
        null=True,
        blank=True,
        help_text=_("WhatsApp (24 h) and WeChat (48 h) allow free text only within this window."),
    )
    last_sequence = models.PositiveIntegerField(_("last sequence number"), default=0)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reasons = models.JSONField(
        _("escalation reasons"), default=list, blank=True, encoder=DjangoJSONEncoder
    )
    handoff_summary = models.JSONField(
        _("handoff summary"),
        default=dict,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text=_("What the assistant knew when it handed over: shown in the rep's language."),
    )
    guidance = models.TextField(
        _("guidance for the assistant"),
        blank=True,
        help_text=_("An instruction the assistant applies to its next replies here."),
    )
    drafts_required = models.BooleanField(
        _("replies wait for approval"),
        default=False,
        help_text=_("The assistant proposes each reply; a person approves, edits or rejects it."),
    )
    sla_reminded_at = models.DateTimeField(_("reply reminder sent"), null=True, blank=True)
    sla_alerted_at = models.DateTimeField(_("manager alerted"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("satisfaction survey sent"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [
            models.Index(fields=["identity", "-updated_at"], name="conversation_identity_idx"),
            models.Index(fields=["status", "-updated_at"], name="conversation_status_idx"),
            models.Index(fields=["contact", "-updated_at"], name="conversation_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.contact}"


class Direction(models.TextChoices):
    IN = "in", _("Inbound")
    OUT = "out", _("Outbound")


class MessageKind(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    STICKER = "sticker", _("Sticker")
    LOCATION = "location", _("Location")
    VOICE = "voice", _("Voice")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")
    EVENT = "event", _("Event")
    UNKNOWN = "unknown", _("Other")


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")


# Delivery statuses only move forward (a late "sent" never overwrites "read").
DELIVERY_RANK = {
    DeliveryStatus.QUEUED: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.SENT: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.READ: 4,
    DeliveryStatus.FAILED: 5,
}


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    sequence = models.PositiveIntegerField(_("sequence number"))
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    sender = models.CharField(_("sender"), max_length=10, choices=Sender.choices)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=MessageKind.choices, default=MessageKind.TEXT
    )
    text = models.TextField(_("text"), blank=True)
    original_text = models.TextField(
        _("original text"), blank=True, help_text=_("Emails: the full original.")
    )
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(_("provider message id"), max_length=255, blank=True)
    delivery_status = models.CharField(
        _("delivery status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.RECEIVED,
    )
    sent_at = models.DateTimeField(_("time"))
    sender_verified = models.BooleanField(
        _("sender verified"),
        default=True,
        help_text=_("Inbound email: the From address passed DKIM, DMARC or SPF."),
    )
    processed_at = models.DateTimeField(
        _("processed at"),
        null=True,
        blank=True,
        help_text=_("Inbound: when the assistant's turn ran."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["conversation", "sequence"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            # The same provider message is stored once, however often it is delivered.
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"],
                condition=models.Q(direction="in") & ~models.Q(provider_message_id=""),
                name="message_inbound_once",
            ),
            models.UniqueConstraint(
                fields=["conversation", "sequence"], name="message_sequence_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["channel", "provider_message_id"], name="message_provider_idx"),
            models.Index(fields=["conversation", "-sequence"], name="message_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.sequence} {self.direction}"


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMessage(models.Model):
    """The outbox: one reply to deliver, with its attempts. It ends sent or failed."""

    message = models.OneToOneField(
        Message, on_delete=models.CASCADE, related_name="outbound", verbose_name=_("message")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} ({self.attempts})"


class MergeSuggestion(models.Model):
    """Two contacts that may be one person (same verified email or phone in different
    companies): a rep decides, nothing is merged silently."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("new contact")
    )
    candidate = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("existing contact")
    )
    reason = models.CharField(_("reason"), max_length=300)
    resolved = models.BooleanField(_("resolved"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge suggestion")
        verbose_name_plural = _("merge suggestions")
        constraints = [
            models.UniqueConstraint(fields=["contact", "candidate"], name="merge_suggestion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contact} ↔ {self.candidate}"


class InboundReceipt(models.Model):
    """A provider message as the webhook received it: written in one INSERT so the
    webhook answers fast; a task turns it into a Message of a conversation. Unique per
    (channel, provider id), so a redelivery is a no-op."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(_("provider message id"), max_length=255)
    payload = models.JSONField(_("normalised message"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    message = models.OneToOneField(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receipt",
        verbose_name=_("message"),
    )

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("inbound receipt")
        verbose_name_plural = _("inbound receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"], name="inbound_receipt_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_message_id}"


class KeptDeliveryStatus(models.Model):
    """A provider's delivery status for an id no sent message carries yet (a part of a
    reply whose other parts are still going out): kept, and applied once the reply's
    part ids are saved, so a fast status is never lost."""

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    provider_message_id = models.CharField(_("provider message id"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    error = models.TextField(_("error"), blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("kept delivery status")
        verbose_name_plural = _("kept delivery statuses")
        indexes = [
            models.Index(fields=["channel", "provider_message_id"], name="kept_status_id_idx"),
            models.Index(fields=["received_at"], name="kept_status_age_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.provider_message_id} {self.status}"


class EscalationRuleKind(models.TextChoices):
    INTENT = "intent", _("The buyer's intent is one of")
    NEGATIVE_TREND = "negative_trend", _("Negative sentiment in consecutive turns")
    QUOTE_ABOVE_LIMIT = "quote_above_limit", _("A quote above the auto-send limit")
    BELOW_FLOOR = "below_floor", _("A target price below the floor")
    LOW_CONFIDENCE = "low_confidence", _("Low understanding confidence in consecutive turns")
    REPEATED = "repeated", _("The buyer repeats themselves")
    STRATEGIC_ASKS_PERSON = "strategic_asks_person", _("A strategic-tier buyer asks for a person")


# What a kind does until the admin saves its own row (migration 0007 creates these rows;
# the code falls back to them when a row is missing).
DEFAULT_ESCALATION_RULES = {
    EscalationRuleKind.INTENT: {"intents": ["complaint", "return_refund", "human_handoff"]},
    EscalationRuleKind.NEGATIVE_TREND: {"turns": 2},
    EscalationRuleKind.QUOTE_ABOVE_LIMIT: {},
    EscalationRuleKind.BELOW_FLOOR: {},
    EscalationRuleKind.LOW_CONFIDENCE: {"turns": 2, "threshold": 0.5},
    EscalationRuleKind.REPEATED: {"turns": 2},
    EscalationRuleKind.STRATEGIC_ASKS_PERSON: {},
}


class EscalationRule(models.Model):
    """When the assistant steps aside; edited in the admin. Each kind has one rule."""

    kind = models.CharField(
        _("rule"), max_length=30, choices=EscalationRuleKind.choices, unique=True
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    intents = models.JSONField(
        _("intents"),
        default=list,
        blank=True,
        help_text=_("For the intent rule: the intents that always escalate."),
    )
    turns = models.PositiveSmallIntegerField(
        _("turns in a row"),
        default=2,
        help_text=_("For the trend, confidence and repetition rules."),
    )
    threshold = models.FloatField(
        _("threshold"),
        default=0.5,
        help_text=_("Confidence below this is low (the confidence rule)."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")

    def __str__(self) -> str:
        return self.get_kind_display()


class DraftStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for approval")
    APPROVED = "approved", _("Approved and sent")
    REJECTED = "rejected", _("Rejected")


class ReplyDraft(models.Model):
    """A reply the assistant proposes; nothing reaches the buyer until a person approves."""

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="drafts",
        verbose_name=_("conversation"),
    )
    in_reply_to = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("in reply to"),
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=10, blank=True)
    reason = models.CharField(_("why it waits"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraftStatus.choices, default=DraftStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    sent_message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent as"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reply draft")
        verbose_name_plural = _("reply drafts")
        indexes = [models.Index(fields=["conversation", "status"], name="draft_conversation_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class CannedResponse(models.Model):
    """A ready answer reps insert in the console, in every language (modeltranslation)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self) -> str:
        return self.title
