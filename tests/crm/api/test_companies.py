import pytest

from crm.models import Company

REP1_COUNT, REP2_COUNT = 5, 3


def test_rep_lists_only_their_customers(api):
    body = api.as_user("rep1").get("/api/v1/companies/").json()
    assert body["count"] == REP1_COUNT
    assert {row["legal_name"] for row in body["results"]} >= {"Solaris Energia Ltda."}
    assert "Al Noor Trading LLC" not in {row["legal_name"] for row in body["results"]}


def test_manager_and_admin_list_everything(api, make_company):
    make_company(legal_name="Orphan Ltd")
    assert api.as_user("manager").get("/api/v1/companies/").json()["count"] == 8
    assert api.as_user("admin").get("/api/v1/companies/").json()["count"] == 9


def test_company_of_another_team_is_not_found(api, demo):
    al_noor = demo.companies["Al Noor Trading LLC"]
    client = api.as_user("rep1")
    assert client.get(f"/api/v1/companies/{al_noor.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/companies/{al_noor.pk}/", {"city": "X"}, format="json").status_code
        == 404
    )
    assert client.delete(f"/api/v1/companies/{al_noor.pk}/").status_code == 404
    al_noor.refresh_from_db()
    assert al_noor.city == "Dubai"


def test_create_read_update_company(api, demo):
    client = api.as_user("rep1")
    team = demo.users["rep1"].teams.get()
    response = client.post(
        "/api/v1/companies/",
        {
            "legal_name": "Electro Norte SpA",
            "country": "CL",
            "tier": "silver",
            "team": team.pk,
            "default_currency": "USD",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["owner"] == demo.users["rep1"].pk
    assert created["team_name"] == team.name
    detail = client.get(f"/api/v1/companies/{created['id']}/").json()
    assert detail["country"] == "CL"
    response = client.patch(
        f"/api/v1/companies/{created['id']}/", {"city": "Santiago"}, format="json"
    )
    assert response.status_code == 200 and response.json()["city"] == "Santiago"
    assert api.as_user("rep2").get(f"/api/v1/companies/{created['id']}/").status_code == 404


def test_rep_cannot_assign_company_to_a_team_they_are_not_in(api, demo):
    other_team = demo.users["rep2"].teams.get()
    response = api.as_user("rep1").post(
        "/api/v1/companies/",
        {"legal_name": "Sneaky", "country": "CL", "team": other_team.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "team" in response.json()["error"]["fields"]
    assert not Company.objects.filter(legal_name="Sneaky").exists()


def test_duplicate_company_name_in_country_is_a_field_error(api):
    response = api.as_user("rep1").post(
        "/api/v1/companies/",
        {"legal_name": "solaris energia ltda.", "country": "BR"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_rep_cannot_delete_but_manager_can(api, demo):
    lumiere = demo.companies["Lumière Pro SARL"]
    assert api.as_user("rep1").delete(f"/api/v1/companies/{lumiere.pk}/").status_code == 403
    assert Company.objects.filter(pk=lumiere.pk).exists()
    assert api.as_user("manager").delete(f"/api/v1/companies/{lumiere.pk}/").status_code == 204
    assert not Company.objects.filter(pk=lumiere.pk).exists()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("country=PE", {"Iluminación Andina S.A.C."}),
        ("tier=gold", {"Solaris Energia Ltda.", "Pacific Home Supply Inc."}),
        ("search=hamburg", {"Volt Distribution GmbH"}),
        ("search=solarisenergia", {"Solaris Energia Ltda."}),
        ("preferred_language=fr", {"Lumière Pro SARL"}),
    ],
)
def test_filters_and_search(api, query, expected):
    body = api.as_user("manager").get(f"/api/v1/companies/?{query}").json()
    assert {row["legal_name"] for row in body["results"]} == expected
    assert body["count"] == len(expected)


def test_ordering_and_pagination(api):
    client = api.as_user("manager")
    page1 = client.get("/api/v1/companies/?ordering=-legal_name&page_size=3").json()
    page2 = client.get("/api/v1/companies/?ordering=-legal_name&page_size=3&page=2").json()
    names = [row["legal_name"] for row in page1["results"] + page2["results"]]
    assert page1["count"] == 8 and len(page1["results"]) == 3 and page1["next"]
    assert names == sorted(names, reverse=True)
    assert client.get("/api/v1/companies/?page=99").status_code == 404


def test_list_query_count_does_not_grow_with_page_size(
    api, make_company, demo, django_assert_max_num_queries
):
    team = demo.users["rep1"].teams.get()
    for index in range(40):
        make_company(legal_name=f"Bulk {index}", team=team, owner=demo.users["rep1"])
    client = api.as_user("rep1")
    with django_assert_max_num_queries(6):
        small = client.get("/api/v1/companies/?page_size=2")
    with django_assert_max_num_queries(6):
        large = client.get("/api/v1/companies/?page_size=45")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 45


def test_company_with_orders_cannot_be_deleted(api, demo):
    volt = demo.companies["Volt Distribution GmbH"]
    response = api.as_user("manager").delete(f"/api/v1/companies/{volt.pk}/")
    assert response.status_code == 400
    assert "cannot be deleted" in response.json()["error"]["message"] + str(
        response.json()["error"].get("fields")
    )
    assert Company.objects.filter(pk=volt.pk).exists()
