from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from crm.models import Deal, Pipeline, Stage, StageChange
from crm.services.deals import deal_create, deal_move_stage, deal_update


@pytest.fixture
def other_pipeline(db):
    pipeline = Pipeline.objects.create(name="Distributors")
    Stage.objects.create(pipeline=pipeline, name="Lead", order=1, default_probability=5)
    return pipeline


def test_new_deal_starts_in_first_stage_with_history(demo):
    company = demo.companies["SibSvet LLC"]
    deal = deal_create(
        user=demo.users["rep2"], title="Tubes", company=company, amount=Decimal("1500")
    )
    assert deal.stage.name == "New inquiry"
    assert deal.owner == demo.users["rep2"]
    assert deal.currency == "USD"
    history = list(deal.stage_changes.all())
    assert [(c.from_stage, c.to_stage.name) for c in history] == [(None, "New inquiry")]


def test_moving_a_deal_keeps_history_and_closes_it_when_won(demo):
    deal = Deal.objects.get(title="Solar street lights, phase 2")
    won = demo.pipeline.stages.get(name="Won")
    deal_move_stage(deal=deal, stage=won, user=demo.users["rep2"], note="PO received")
    deal.refresh_from_db()
    assert deal.stage == won and deal.closed_at is not None
    last = deal.stage_changes.last()
    assert (last.from_stage.name, last.to_stage.name, last.note) == (
        "New inquiry",
        "Won",
        "PO received",
    )
    assert last.changed_by == demo.users["rep2"]
    reopened = demo.pipeline.stages.get(name="Negotiation")
    deal_move_stage(deal=deal, stage=reopened, user=None)
    deal.refresh_from_db()
    assert deal.closed_at is None
    assert deal.probability == 70


def test_moving_to_the_same_stage_records_nothing(demo):
    deal = Deal.objects.get(title="Solar street lights, phase 2")
    before = StageChange.objects.count()
    deal_move_stage(deal=deal, stage=deal.stage, user=None)
    assert StageChange.objects.count() == before


def test_moving_to_another_pipelines_stage_is_refused(demo, other_pipeline):
    deal = Deal.objects.get(title="Solar street lights, phase 2")
    before = (deal.stage_id, StageChange.objects.count())
    with pytest.raises(ValidationError) as error:
        deal_move_stage(deal=deal, stage=other_pipeline.stages.get(), user=None)
    assert "stage" in error.value.message_dict
    deal.refresh_from_db()
    assert (deal.stage_id, StageChange.objects.count()) == before


def test_deal_contact_must_work_at_the_company(demo):
    deal = Deal.objects.get(title="Solar street lights, phase 2")
    stranger = demo.companies["SibSvet LLC"].contacts.first()
    with pytest.raises(ValidationError) as error:
        deal_update(deal=deal, data={"contact": stranger})
    assert "contact" in error.value.message_dict


def test_probability_override_wins_over_stage_default(demo):
    deal = Deal.objects.get(title="Solar street lights, phase 2")
    deal_update(deal=deal, data={"probability_override": 35})
    assert Deal.objects.get(pk=deal.pk).probability == 35
