import pytest

pytestmark = pytest.mark.django_db


def test_dashboard_counts_only_what_the_rep_sees(rep1_client):
    response = rep1_client.get("/")
    assert response.status_code == 200
    context = response.context
    assert context["company_count"] == 5
    # rep1's open deals: Andina (Qualified), Solaris (Negotiation), Volt (Quote sent).
    assert context["open_deal_count"] == 3
    assert [row["currency"] for row in context["open_totals"]] == ["USD"]
    assert {task.title for task in context["tasks"]} == {
        "Approve the counter-offer on PV-M450 for Solaris",
        "Follow up on the wallbox quote with Jonas Weber",
    }
    html = response.content.decode()
    assert "Hola, necesito 2000 paneles" in html
    assert "السلام عليكم" not in html  # rep2's buyer


def test_dashboard_empty_states(client, demo_users):
    from crm.models import Interaction, Task

    Task.objects.all().delete()
    Interaction.objects.all().delete()
    client.force_login(demo_users["rep1"])
    html = client.get("/").content.decode()
    assert "No open tasks are assigned to you." in html
    assert "No interactions yet." in html
