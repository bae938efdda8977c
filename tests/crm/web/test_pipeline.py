import pytest
from django.urls import reverse

from crm.models import Pipeline, Stage, StageChange

pytestmark = pytest.mark.django_db

STAGES = ["New inquiry", "Qualified", "Quote sent", "Negotiation", "Won", "Lost"]


def test_board_shows_the_default_pipelines_stages_and_visible_deals(rep1_client):
    response = rep1_client.get(reverse("crm:pipeline_board"))
    assert response.status_code == 200
    columns = response.context["columns"]
    assert [column.stage.name for column in columns] == STAGES
    html = response.content.decode()
    assert "Panel lights for Lima offices" in html
    assert "Wallbox range for the DACH market" in html
    assert "High bays for a logistics hub" not in html  # rep2's deal
    qualified = columns[1]
    assert [deal.title for deal in qualified.deals] == ["Panel lights for Lima offices"]
    assert qualified.totals == [("USD", qualified.deals[0].amount)]


def test_each_card_has_a_keyboard_move_form(rep1_client, deal_of):
    deal = deal_of("Volt")
    html = rep1_client.get(reverse("crm:pipeline_board")).content.decode()
    assert f'action="{reverse("crm:deal_move", args=[deal.pk])}"' in html
    assert f'<label for="move-{deal.pk}"' in html
    assert 'draggable="true"' in html


def test_moving_a_deal_records_the_stage_change(rep1_client, demo_users, deal_of):
    deal = deal_of("Volt")
    negotiation = deal.pipeline.stages.get(name="Negotiation")
    response = rep1_client.post(
        reverse("crm:deal_move", args=[deal.pk]),
        {"stage": negotiation.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="board"' in html and "<html" not in html
    assert "is now in Negotiation" in html
    deal.refresh_from_db()
    assert deal.stage == negotiation
    change = StageChange.objects.filter(deal=deal).latest("changed_at", "id")
    assert (change.from_stage.name, change.to_stage, change.changed_by) == (
        "Quote sent",
        negotiation,
        demo_users["rep1"],
    )


def test_moving_without_htmx_redirects_to_the_board(rep1_client, deal_of):
    deal = deal_of("Volt")
    won = deal.pipeline.stages.get(name="Won")
    response = rep1_client.post(reverse("crm:deal_move", args=[deal.pk]), {"stage": won.pk})
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.stage == won
    assert deal.closed_at is not None


@pytest.mark.parametrize("htmx", [True, False])
def test_moving_to_another_pipelines_stage_is_400_and_changes_nothing(rep1_client, deal_of, htmx):
    other = Pipeline.objects.create(name="Projects")
    tender = Stage.objects.create(pipeline=other, name="Tender", order=1, default_probability=20)
    deal = deal_of("Volt")
    before = (deal.stage_id, StageChange.objects.count())
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = rep1_client.post(
        reverse("crm:deal_move", args=[deal.pk]), {"stage": tender.pk}, **headers
    )
    assert response.status_code == 400
    assert "belongs to another pipeline" in response.content.decode()
    if htmx:
        assert response["HX-Retarget"] == "#board-alert"
    deal.refresh_from_db()
    assert (deal.stage_id, StageChange.objects.count()) == before


def test_moving_to_a_missing_stage_is_400(rep1_client, deal_of):
    deal = deal_of("Volt")
    response = rep1_client.post(reverse("crm:deal_move", args=[deal.pk]), {"stage": "nope"})
    assert response.status_code == 400
    assert "Choose a stage" in response.content.decode()


def test_rep_cannot_move_or_open_another_teams_deal(rep1_client, deal_of):
    deal = deal_of("SibSvet")
    won = deal.pipeline.stages.get(name="Won")
    response = rep1_client.post(reverse("crm:deal_move", args=[deal.pk]), {"stage": won.pk})
    assert response.status_code == 404
    assert rep1_client.get(reverse("crm:deal_detail", args=[deal.pk])).status_code == 404
    deal.refresh_from_db()
    assert deal.stage.name == "Qualified"


def test_move_is_post_only(rep1_client, deal_of):
    deal = deal_of("Volt")
    assert rep1_client.get(reverse("crm:deal_move", args=[deal.pk])).status_code == 405


def test_deal_page_shows_the_stage_history(rep1_client, deal_of):
    deal = deal_of("Solaris")
    response = rep1_client.get(reverse("crm:deal_detail", args=[deal.pk]))
    assert response.status_code == 200
    history = list(response.context["history"])
    assert [(c.from_stage and c.from_stage.name, c.to_stage.name) for c in history] == [
        ("New inquiry", "Negotiation"),
        (None, "New inquiry"),
    ]
    html = response.content.decode()
    assert "Stage history" in html
    assert deal.title in html


def test_board_of_a_chosen_pipeline(rep1_client):
    other = Pipeline.objects.create(name="Projects")
    Stage.objects.create(pipeline=other, name="Tender", order=1, default_probability=20)
    response = rep1_client.get(reverse("crm:pipeline_board"), {"pipeline": other.pk})
    assert [column.stage.name for column in response.context["columns"]] == ["Tender"]
    assert "No deals" in response.content.decode()
