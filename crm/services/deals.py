"""Writes of deals: creation, edits and moves between stages (with their history)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deal, Pipeline, Stage, StageChange, User
from .common import constraints_checked, model_update, model_validate

DEAL_FIELDS = [
    "title",
    "company",
    "contact",
    "owner",
    "amount",
    "currency",
    "expected_close_date",
    "probability_override",
    "source_channel",
]


def _check_stage_in_pipeline(*, stage: Stage, pipeline: Pipeline) -> None:
    if stage.pipeline_id != pipeline.pk:
        raise ValidationError(
            {
                "stage": _("The stage “%(stage)s” belongs to another pipeline than “%(pipeline)s”.")
                % {"stage": stage.name, "pipeline": pipeline.name}
            }
        )


def _check_contact_of_company(deal: Deal) -> None:
    if deal.contact_id and deal.contact.company_id != deal.company_id:
        raise ValidationError({"contact": _("This contact does not work at the deal's company.")})


def deal_create(
    *,
    user: User | None,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    moved_to: Stage | None = None,
    note: str = "",
    **data: Any,
) -> Deal:
    """Open a deal, by default in the default pipeline's first stage, and record its
    first stage in the history. With `moved_to` (a later stage of the pipeline) the deal
    is opened at `stage` and at once moved on to `moved_to`, as `deal_move_stage` would
    (a second step in the history, with `note`), in the same two writes. The writes are
    one savepoint: all or nothing."""
    pipeline = pipeline or (stage.pipeline if stage else Pipeline.objects.get(is_default=True))
    stage = stage or pipeline.stages.order_by("order").first()
    _check_stage_in_pipeline(stage=stage, pipeline=pipeline)
    if moved_to is not None:
        _check_stage_in_pipeline(stage=moved_to, pipeline=pipeline)
        if moved_to.pk == stage.pk:
            moved_to = None
    fields = {key: value for key, value in data.items() if key in DEAL_FIELDS}
    fields.setdefault("owner", user)
    if fields.get("currency") is None and fields.get("company") is not None:
        fields["currency"] = fields["company"].default_currency
    current = moved_to or stage
    deal = Deal(pipeline=pipeline, stage=current, **fields)
    _check_contact_of_company(deal)
    if current.is_closed:
        deal.closed_at = timezone.now()
    model_validate(deal)
    with constraints_checked(deal):
        deal.save()
        steps = [
            StageChange(
                deal=deal,
                from_stage=None,
                to_stage=stage,
                changed_by=user,
                changed_at=timezone.now(),
            )
        ]
        if moved_to is not None:
            steps.append(
                StageChange(
                    deal=deal,
                    from_stage=stage,
                    to_stage=moved_to,
                    changed_by=user,
                    changed_at=timezone.now(),
                    note=note,
                )
            )
        StageChange.objects.bulk_create(steps)
    return deal


@transaction.atomic
def deal_update(*, deal: Deal, data: dict[str, Any]) -> Deal:
    for field in ("company", "contact"):
        if field in data:
            setattr(deal, field, data[field])
    _check_contact_of_company(deal)
    model_update(instance=deal, data=data, fields=DEAL_FIELDS)
    return deal


@transaction.atomic
def deal_move_stage(*, deal: Deal, stage: Stage, user: User | None, note: str = "") -> Deal:
    """Move a deal to another stage of its pipeline and keep the move in its history.
    Moving to the stage it is already in changes nothing."""
    deal = Deal.objects.select_for_update().select_related("pipeline", "stage").get(pk=deal.pk)
    _check_stage_in_pipeline(stage=stage, pipeline=deal.pipeline)
    if stage.pk == deal.stage_id:
        return deal
    now = timezone.now()
    StageChange.objects.create(
        deal=deal, from_stage=deal.stage, to_stage=stage, changed_by=user, changed_at=now, note=note
    )
    deal.stage = stage
    deal.closed_at = now if stage.is_closed else None
    deal.save(update_fields=["stage", "closed_at", "updated_at"])
    return deal


@transaction.atomic
def deal_delete(*, deal: Deal) -> None:
    deal.delete()
