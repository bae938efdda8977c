from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("CRM")

    def ready(self):
        # Cache invalidation only: prices are read from an in-memory snapshot that must
        # be reloaded whenever pricing data changes, however it is written (admin included).
        from .selectors.pricing_catalog import connect_invalidation

        connect_invalidation()
