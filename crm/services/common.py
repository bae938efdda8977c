"""Helpers every CRM service uses to write models the same way."""

from typing import Any

from django.db import IntegrityError, models, transaction


def _save_checked(instance: models.Model, **save_kwargs) -> None:
    """Save, letting PostgreSQL check the model's constraints (one savepoint instead of
    a query per constraint); a violation raises the same ValidationError that
    `full_clean()` would have, so people still read which rule they broke."""
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
    except IntegrityError:
        instance.validate_constraints()  # raises ValidationError for a broken constraint
        raise  # something else (a foreign key deleted meanwhile): not the user's input


def model_save_validated(instance: models.Model) -> models.Model:
    """Validate every field (raising ValidationError with field errors a person
    understands), then save; constraints are checked by the database."""
    instance.full_clean(validate_constraints=False)
    _save_checked(instance)
    return instance


def model_update(*, instance: models.Model, data: dict[str, Any], fields: list[str]) -> bool:
    """Apply the allowed `fields` present in `data`, validate, save; True if anything changed."""
    changed = []
    for field in fields:
        if field in data and getattr(instance, field) != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    if changed:
        instance.full_clean(validate_constraints=False)
        update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
        _save_checked(instance, update_fields=update_fields)
    return bool(changed)
