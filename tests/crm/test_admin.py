"""Every model has an admin page (or an inline in its parent's) that opens for an administrator."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

SKIP = {"historicalquote", "historicalorder", "historicalpricebreak"}


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_app_config("crm").get_models() if m._meta.model_name not in SKIP],
    ids=lambda m: m._meta.model_name,
)
def test_every_crm_model_is_in_the_admin(client, demo, model):
    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    if model not in admin.site._registry:
        assert model in inline_models, (
            model
        )  # document lines and events are edited inside their document
        return
    client.force_login(demo.users["admin"])
    url = reverse(f"admin:crm_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    instance = model.objects.first()
    if instance is not None:
        change = reverse(f"admin:crm_{model._meta.model_name}_change", args=[instance.pk])
        assert client.get(change).status_code == 200
