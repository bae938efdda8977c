from django.contrib import admin

from .models import Conversation, MergeSuggestion, Message, OutboundMessage


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
