from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import AssistantTurn, KnowledgeArticle


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(TranslationAdmin):
    """Titles and bodies in every language; saving one re-indexes the knowledge base."""

    list_display = ("title", "slug", "topic", "is_published", "updated_at")
    list_filter = ("topic", "is_published")
    search_fields = ("slug", "title", "body")
    readonly_fields = ("updated_at",)


@admin.register(AssistantTurn)
class AssistantTurnAdmin(admin.ModelAdmin):
    """The quality records are evidence of what the assistant did: read, never edited."""

    list_display = (
        "created_at",
        "channel",
        "language",
        "intent",
        "intent_confidence",
        "sentiment",
        "action",
        "answered",
        "escalate",
        "generator",
        "duration_ms",
    )
    list_filter = ("intent", "language", "channel", "answered", "escalate", "generator")
    search_fields = ("text", "reply", "escalation_reason")
    date_hierarchy = "created_at"
    list_select_related = ("company",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
