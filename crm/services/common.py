"""Helpers every CRM service uses to write models the same way."""

from typing import Any

from django.db import models


def model_save_validated(instance: models.Model) -> models.Model:
    """Validate every field and constraint (raising ValidationError with field errors
    a person understands), then save."""
    instance.full_clean()
    instance.save()
    return instance


def model_update(*, instance: models.Model, data: dict[str, Any], fields: list[str]) -> bool:
    """Apply the allowed `fields` present in `data`, validate, save; True if anything changed."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean()
        update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
        instance.save(update_fields=update_fields)
    return bool(changed)
