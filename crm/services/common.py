"""Helpers every CRM service uses to write models the same way."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, models, transaction


@contextmanager
def constraints_checked(instance: models.Model) -> Iterator[None]:
    """The block's writes in one savepoint, PostgreSQL checking the constraints (one
    savepoint instead of a query per constraint); if it refuses them, a constraint
    `instance` breaks raises the same ValidationError that `full_clean()` would have,
    so people still read which rule they broke."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        instance.validate_constraints()  # raises ValidationError for a broken constraint
        raise  # something else (a foreign key deleted meanwhile): not the user's input


def _save_checked(instance: models.Model, **save_kwargs) -> None:
    """Save, with the constraints checked as `constraints_checked` says."""
    with constraints_checked(instance):
        instance.save(**save_kwargs)


def _loaded_relations(instance: models.Model) -> list[str]:
    """Foreign keys set to an object read from the database: it exists, so validating
    them would only repeat the query (one per key)."""
    names = []
    for field in instance._meta.concrete_fields:
        if field.many_to_one:
            related = field.get_cached_value(instance, default=None)
            if related is not None and related.pk is not None and not related._state.adding:
                names.append(field.name)
    return names


def model_validate(instance: models.Model) -> None:
    """Validate every field, raising ValidationError with field errors a person
    understands; the constraints are left to the database (`constraints_checked`)."""
    instance.full_clean(exclude=_loaded_relations(instance), validate_constraints=False)


def model_save_validated(instance: models.Model) -> models.Model:
    """Validate every field (raising ValidationError with field errors a person
    understands), then save; constraints are checked by the database."""
    model_validate(instance)
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
        model_validate(instance)
        update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
        _save_checked(instance, update_fields=update_fields)
    return bool(changed)
