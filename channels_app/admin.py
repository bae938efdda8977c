from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import (
    CannedResponse,
    Conversation,
    EscalationRule,
    EscalationRuleKind,
    MergeSuggestion,
    Message,
    OutboundMessage,
)


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("sequence", "direction", "sender", "kind", "text", "delivery_status", "sent_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "channel",
        "contact",
        "status",
        "language",
        "last_inbound_at",
        "assigned_to",
    )
    list_filter = ("channel", "status", "language")
    search_fields = ("contact__name", "identity__address")
    raw_id_fields = ("contact", "identity", "assigned_to")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "conversation",
        "sequence",
        "direction",
        "sender",
        "channel",
        "delivery_status",
        "sent_at",
    )
    list_filter = ("channel", "direction", "delivery_status", "kind")
    search_fields = ("text", "provider_message_id")
    raw_id_fields = ("conversation", "sender_user")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("channel", "status")
    raw_id_fields = ("message",)


@admin.register(MergeSuggestion)
class MergeSuggestionAdmin(admin.ModelAdmin):
    list_display = ("contact", "candidate", "reason", "resolved", "created_at")
    list_filter = ("resolved",)
    raw_id_fields = ("contact", "candidate")


@admin.register(EscalationRule)
class EscalationRuleAdmin(admin.ModelAdmin):
    """One row per kind: edit what trips a rule; add only a kind that is missing."""

    list_display = ("kind", "enabled", "turns", "threshold", "intents")
    list_editable = ("enabled",)
    list_display_links = ("kind",)
    fields = ("kind", "enabled", "intents", "turns", "threshold", "updated_at")
    readonly_fields = ("updated_at",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ("kind", *self.readonly_fields)
        return self.readonly_fields

    def has_add_permission(self, request):
        if not super().has_add_permission(request):
            return False
        present = set(EscalationRule.objects.values_list("kind", flat=True))
        return not present.issuperset(EscalationRuleKind.values)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            present = set(EscalationRule.objects.values_list("kind", flat=True))
            kwargs["choices"] = [
                (value, label)
                for value, label in EscalationRuleKind.choices
                if value not in present
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CannedResponse)
class CannedResponseAdmin(TranslationAdmin):
    """Ready answers for the console, with title and text in every language; `{contact}`
    becomes the buyer's first name and `{rep}` the rep's name when inserted."""

    list_display = ("title", "slug", "updated_at")
    search_fields = ("slug", "title", "body")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("updated_at",)
