"""The pipeline board as the page shows it: one column per stage, with column totals."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Deal, Pipeline, Stage, User
from ..selectors.visibility import deals_visible_to


@dataclass
class BoardColumn:
    stage: Stage
    deals: list[Deal] = field(default_factory=list)

    @property
    def totals(self) -> list[tuple[str, Decimal]]:
        """The column's amounts summed per currency (never added across currencies)."""
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for deal in self.deals:
            sums[deal.currency] += deal.amount
        return sorted(sums.items())


def board_columns(*, user: User, pipeline: Pipeline) -> list[BoardColumn]:
    """The pipeline's stages in order, each with the deals `user` may see in it."""
    columns = {stage.pk: BoardColumn(stage) for stage in pipeline.stages.order_by("order")}
    deals = (
        deals_visible_to(user)
        .filter(pipeline=pipeline)
        .select_related("company", "owner", "stage")
        .order_by("-updated_at", "id")
    )
    for deal in deals:
        columns[deal.stage_id].deals.append(deal)
    return list(columns.values())
