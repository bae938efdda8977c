import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

from crm.models import Company, Contact, Deal, Interaction, Task


def test_openapi_schema_is_valid(api):
    response = api.as_user("rep1").get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    for path in [
        "/api/v1/companies/",
        "/api/v1/deals/{id}/move/",
        "/api/v1/products/",
        "/api/v1/auth/token/",
    ]:
        assert path in schema["paths"]


def test_schema_generation_has_no_warnings(db, capsys, tmp_path):
    call_command(
        "spectacular", "--file", str(tmp_path / "schema.yaml"), "--fail-on-warn", "--validate"
    )
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_interactive_docs_page(client, demo):
    client.force_login(demo.users["rep1"])
    response = client.get("/api/docs/")
    assert response.status_code == 200 and b"swagger" in response.content.lower()


@pytest.fixture
def many_records(demo):
    rep1 = demo.users["rep1"]
    team = rep1.teams.get()
    stage = demo.pipeline.stages.first()
    for index in range(30):
        company = Company.objects.create(
            legal_name=f"Bulk {index}", country="PE", team=team, owner=rep1
        )
        contact = Contact.objects.create(company=company, name=f"P{index}")
        contact.identities.create(channel="email", address=f"p{index}@bulk.example")
        deal = Deal.objects.create(
            title=f"D{index}", company=company, pipeline=demo.pipeline, stage=stage, owner=rep1
        )
        Interaction.objects.create(
            company=company, direction="in", kind="message", text="hi", author="buyer"
        )
        Task.objects.create(title=f"T{index}", company=company, deal=deal, assignee=rep1)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/companies/",
        "/api/v1/contacts/",
        "/api/v1/channel-identities/",
        "/api/v1/products/",
        "/api/v1/price-lists/",
        "/api/v1/price-breaks/",
        "/api/v1/pipelines/",
        "/api/v1/stages/",
        "/api/v1/deals/",
        "/api/v1/interactions/",
        "/api/v1/tasks/",
    ],
)
def test_list_endpoints_run_constant_queries(
    api, many_records, path, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 30):
        client = api.as_user("rep1")  # a fresh user object each time: nothing cached
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{path}?page_size={size}")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{path}: {counts}"
    with django_assert_max_num_queries(6):
        api.as_user("rep1").get(f"{path}?page_size=30")
