from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crm.models import Author, Company, Direction, Interaction, InteractionKind, Team
from crm.services.customers import company_create

pytestmark = pytest.mark.django_db

REP1_COMPANIES = {
    "Iluminación Andina S.A.C.",
    "Lumière Pro SARL",
    "Pacific Home Supply Inc.",
    "Solaris Energia Ltda.",
    "Volt Distribution GmbH",
}
REP2_COMPANIES = {"Al Noor Trading LLC", "Lion City Electrical Pte. Ltd.", "SibSvet LLC"}


def listed(response) -> set[str]:
    return {company.legal_name for company in response.context["page"].object_list}


def add_companies(count: int, *, owner, prefix: str = "Bulk Buyer") -> None:
    team = Team.objects.get(name="Americas & Europe")
    for number in range(count):
        company_create(
            user=owner, legal_name=f"{prefix} {number:03}", country="CL", city="Santiago", team=team
        )


# --- List ------------------------------------------------------------------------------


def test_rep_sees_only_the_companies_of_their_team(rep1_client):
    response = rep1_client.get(reverse("crm:company_list"))
    assert response.status_code == 200
    assert listed(response) == REP1_COMPANIES
    html = response.content.decode()
    for name in REP2_COMPANIES:
        assert name not in html


def test_manager_sees_all_eight_companies(manager_client):
    response = manager_client.get(reverse("crm:company_list"))
    assert listed(response) == REP1_COMPANIES | REP2_COMPANIES
    assert "8 companies" in response.content.decode()


def test_search_matches_name_city_and_email_domain(rep1_client, company):
    url = reverse("crm:company_list")
    assert listed(rep1_client.get(url, {"q": "solaris"})) == {"Solaris Energia Ltda."}
    city = company("Iluminación").city
    assert listed(rep1_client.get(url, {"q": city.upper()})) == {"Iluminación Andina S.A.C."}
    domain = company("Volt").email_domain
    assert listed(rep1_client.get(url, {"q": domain})) == {"Volt Distribution GmbH"}


def test_search_never_reaches_other_teams_companies(rep1_client):
    response = rep1_client.get(reverse("crm:company_list"), {"q": "SibSvet"})
    assert listed(response) == set()
    assert "No companies match your search." in response.content.decode()


def test_filters_by_country_tier_and_owner(manager_client, demo_users, company):
    url = reverse("crm:company_list")
    assert listed(manager_client.get(url, {"country": "DE"})) == {"Volt Distribution GmbH"}
    tier = company("Solaris").tier
    expected = {c.legal_name for c in Company.objects.filter(tier=tier)}
    assert listed(manager_client.get(url, {"tier": tier})) == expected
    assert listed(manager_client.get(url, {"owner": demo_users["rep2"].pk})) == REP2_COMPANIES


def test_unknown_filter_values_are_ignored(rep1_client):
    response = rep1_client.get(reverse("crm:company_list"), {"tier": "platinum", "sort": "x"})
    assert response.status_code == 200
    assert listed(response) == REP1_COMPANIES


def test_sort_by_country_descending(manager_client):
    response = manager_client.get(reverse("crm:company_list"), {"sort": "-country"})
    countries = [c.country.code for c in response.context["page"].object_list]
    assert countries == sorted(countries, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()


def test_pagination_25_per_page_with_total_count(rep1_client, demo_users):
    add_companies(30, owner=demo_users["rep1"])
    url = reverse("crm:company_list")
    first = rep1_client.get(url)
    assert len(first.context["page"].object_list) == 25
    html = first.content.decode()
    assert "35 companies" in html
    assert 'href="?page=2"' in html
    second = rep1_client.get(url, {"page": 2})
    assert len(second.context["page"].object_list) == 10
    assert listed(first).isdisjoint(listed(second))


def test_htmx_search_returns_only_the_results_partial(rep1_client):
    response = rep1_client.get(reverse("crm:company_list"), {"q": "volt"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Volt Distribution GmbH" in html
    assert 'id="sort-input"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_search_box_is_wired_for_live_search(rep1_client):
    html = rep1_client.get(reverse("crm:company_list")).content.decode()
    assert 'hx-trigger="keyup changed delay:300ms, search"' in html
    assert 'hx-target="#company-results"' in html
    assert 'hx-push-url="true"' in html


def test_list_query_count_does_not_grow_with_the_page(
    client, demo_users, django_assert_max_num_queries
):
    client.force_login(demo_users["rep1"])
    url = reverse("crm:company_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_companies(40, owner=demo_users["rep1"])
    with CaptureQueriesContext(connection) as full_page:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert len(full_page.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"page": 2})


# --- Company page ----------------------------------------------------------------------


def test_company_page_shows_header_contacts_deals_timeline_and_tasks(rep1_client, company):
    solaris = company("Solaris")
    response = rep1_client.get(reverse("crm:company_detail", args=[solaris.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert solaris.legal_name in html
    assert solaris.country.unicode_flag in html
    assert f"badge--tier-{solaris.tier}" in html
    contact = solaris.contacts.first()
    assert contact.name in html
    assert contact.emails[0] in html
    assert "Solar modules, Q1 2027 projects" in html
    assert "Negotiation" in html
    assert "Conseguem melhorar o preço" in html
    assert "Approve the counter-offer on PV-M450 for Solaris" in html


def test_rep_gets_404_on_another_teams_company(rep1_client, company):
    for prefix in ("Al Noor", "SibSvet", "Lion City"):
        pk = company(prefix).pk
        assert rep1_client.get(reverse("crm:company_detail", args=[pk])).status_code == 404
        assert rep1_client.get(reverse("crm:company_update", args=[pk])).status_code == 404
        assert (
            rep1_client.post(
                reverse("crm:company_note_create", args=[pk]), {"text": "x"}
            ).status_code
            == 404
        )


def test_buyer_script_in_a_message_is_escaped(rep1_client, company):
    andina = company("Iluminación")
    Interaction.objects.create(
        company=andina,
        direction=Direction.IN,
        kind=InteractionKind.MESSAGE,
        channel="whatsapp",
        author=Author.BUYER,
        text='<script>alert("pwned")</script><b>hola</b>',
    )
    html = rep1_client.get(reverse("crm:company_detail", args=[andina.pk])).content.decode()
    assert '<script>alert("pwned")</script>' not in html
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;b&gt;hola&lt;/b&gt;" in html


def test_timeline_times_are_in_the_viewers_time_zone(client, demo_users, company):
    rep1 = demo_users["rep1"]
    rep1.timezone = "America/Lima"
    rep1.save()
    andina = company("Iluminación")
    Interaction.objects.create(
        company=andina,
        direction=Direction.IN,
        kind=InteractionKind.MESSAGE,
        channel="whatsapp",
        author=Author.BUYER,
        text="¿Hay stock?",
        occurred_at=datetime(2026, 1, 15, 12, 0, tzinfo=UTC),
    )
    client.force_login(rep1)
    html = client.get(reverse("crm:company_detail", args=[andina.pk])).content.decode()
    assert 'datetime="2026-01-15T07:00:00-05:00"' in html


def test_timeline_shows_intent_and_sentiment_when_known(rep1_client, company):
    volt = company("Volt")
    Interaction.objects.create(
        company=volt,
        direction=Direction.IN,
        kind=InteractionKind.EMAIL,
        channel="email",
        author=Author.BUYER,
        language="de",
        text="Wann können Sie liefern?",
        intent="lead_time",
        sentiment="positive",
    )
    html = rep1_client.get(reverse("crm:company_detail", args=[volt.pk])).content.decode()
    assert "lead_time" in html
    assert "badge--sentiment-positive" in html


# --- Notes -----------------------------------------------------------------------------


def test_htmx_note_is_created_and_returned_for_the_top_of_the_timeline(
    rep1_client, demo_users, company
):
    volt = company("Volt")
    response = rep1_client.post(
        reverse("crm:company_note_create", args=[volt.pk]),
        {"text": "Jonas prefers <b>calls</b> before 10:00 CET."},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    note = Interaction.objects.get(company=volt, kind=InteractionKind.NOTE)
    assert note.author_user == demo_users["rep1"]
    assert note.direction == Direction.INTERNAL
    html = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#timeline"' in html
    assert f'id="interaction-{note.pk}"' in html
    assert "Jonas prefers &lt;b&gt;calls&lt;/b&gt; before 10:00 CET." in html
    assert "<html" not in html
    # the form comes back empty for the next note
    assert "></textarea>" in html


def test_empty_note_shows_a_field_error_and_creates_nothing(rep1_client, company):
    volt = company("Volt")
    before = Interaction.objects.count()
    response = rep1_client.post(
        reverse("crm:company_note_create", args=[volt.pk]),
        {"text": "   "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "A note cannot be empty." in html
    assert 'aria-invalid="true"' in html
    assert "hx-swap-oob" not in html
    assert Interaction.objects.count() == before


def test_note_without_htmx_redirects_back_to_the_company(rep1_client, company):
    volt = company("Volt")
    url = reverse("crm:company_detail", args=[volt.pk])
    response = rep1_client.post(
        reverse("crm:company_note_create", args=[volt.pk]), {"text": "Called Jonas."}
    )
    assert response.status_code == 302
    assert response.url == url
    assert "Called Jonas." in rep1_client.get(url).content.decode()


# --- Create, edit, delete --------------------------------------------------------------


def company_form_data(**overrides) -> dict:
    data = {
        "legal_name": "Andes Lighting SpA",
        "country": "CL",
        "city": "Santiago",
        "website": "https://andes.example",
        "email_domain": "andes.example",
        "tier": "standard",
        "owner": "",
        "team": "",
        "default_currency": "usd",
        "preferred_language": "es",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_company_through_the_form(rep1_client, demo_users):
    response = rep1_client.post(reverse("crm:company_create"), company_form_data())
    created = Company.objects.get(legal_name="Andes Lighting SpA")
    assert response.status_code == 302
    assert response.url == reverse("crm:company_detail", args=[created.pk])
    assert created.owner == demo_users["rep1"]
    assert created.default_currency == "USD"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "ZZ", "Select a valid choice"),
        ("default_currency", "ABC", "ABC is not an ISO 4217 currency code"),
        ("legal_name", "", "This field is required."),
    ],
)
def test_create_company_with_bad_input_shows_the_field_error(rep1_client, field, value, message):
    before = Company.objects.count()
    response = rep1_client.post(reverse("crm:company_create"), company_form_data(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert Company.objects.count() == before


def test_duplicate_company_name_in_a_country_is_explained(rep1_client, company):
    volt = company("Volt")
    response = rep1_client.post(
        reverse("crm:company_create"),
        company_form_data(legal_name=volt.legal_name.upper(), country="DE"),
    )
    assert "already exists in this country" in response.content.decode()
    assert Company.objects.filter(legal_name__iexact=volt.legal_name).count() == 1


def test_rep_cannot_assign_a_team_they_are_not_in(rep1_client):
    other = Team.objects.get(name="Asia, Middle East & Russia")
    response = rep1_client.post(reverse("crm:company_create"), company_form_data(team=other.pk))
    assert "team" in response.context["form"].errors
    assert not Company.objects.filter(legal_name="Andes Lighting SpA").exists()


def test_edit_company_saves_through_the_service(rep1_client, company):
    volt = company("Volt")
    url = reverse("crm:company_update", args=[volt.pk])
    form = rep1_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(city="München", tier="gold")
    response = rep1_client.post(url, data)
    assert response.status_code == 302
    volt.refresh_from_db()
    assert (volt.city, volt.tier) == ("München", "gold")


def test_rep_may_not_delete_a_company(rep1_client, company):
    volt = company("Volt")
    url = reverse("crm:company_delete", args=[volt.pk])
    assert rep1_client.get(url).status_code == 403
    assert rep1_client.post(url).status_code == 403
    assert Company.objects.filter(pk=volt.pk).exists()
    detail = rep1_client.get(reverse("crm:company_detail", args=[volt.pk])).content.decode()
    assert url not in detail


def test_manager_deletes_a_company_after_confirming(manager_client, company):
    lumiere = company("Lumière")  # no quotes or orders
    url = reverse("crm:company_delete", args=[lumiere.pk])
    confirm = manager_client.get(url)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert Company.objects.filter(pk=lumiere.pk).exists()
    response = manager_client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("crm:company_list")
    assert not Company.objects.filter(pk=lumiere.pk).exists()


def test_a_company_with_orders_is_kept(manager_client, company):
    volt = company("Volt")  # has order SO-2026-0102
    response = manager_client.post(reverse("crm:company_delete", args=[volt.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Company.objects.filter(pk=volt.pk).exists()


def test_delete_of_an_invisible_company_is_404_not_403(rep1_client, company):
    url = reverse("crm:company_delete", args=[company("SibSvet").pk])
    assert rep1_client.post(url).status_code == 404
