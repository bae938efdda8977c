from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assistant"
    verbose_name = _("Assistant")

    def ready(self):
        # Cache invalidation only: the knowledge index lives in memory per process and is
        # rebuilt whenever products or articles change, however they are written (admin too).
        from django.core import checks

        from .knowledge.index import check_document_store, connect_invalidation

        checks.register(check_document_store, "assistant")
        connect_invalidation()
