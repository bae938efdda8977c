import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_renders_with_labelled_fields(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username"' in html
    assert '<label for="id_password"' in html
    assert 'action="/i18n/setlang/"' in html


def test_login_with_demo_password_opens_the_dashboard(client, demo_users):
    response = client.post(
        reverse("login"), {"username": "rep1", "password": "portolan-rep1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("crm:dashboard")
    assert response.context["user"].username == "rep1"


def test_login_with_wrong_password_shows_an_error(client, demo_users):
    response = client.post(reverse("login"), {"username": "rep1", "password": "wrong"})
    assert response.status_code == 200
    assert "alert--error" in response.content.decode()
    assert not response.context["user"].is_authenticated


@pytest.mark.parametrize(
    "url",
    ["/", "/companies/", "/companies/new/", "/pipeline/", "/products/"],
)
def test_anonymous_visitor_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_anonymous_htmx_request_redirects_the_whole_page(client):
    response = client.get("/companies/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_staff_without_a_role_is_refused(client, roleless_user):
    client.force_login(roleless_user)
    response = client.get("/")
    assert response.status_code == 403
    assert "no role in the CRM" in response.content.decode()


def test_logout_is_a_post_form(client, demo_users):
    client.force_login(demo_users["rep1"])
    html = client.get("/").content.decode()
    assert f'action="{reverse("logout")}" method="post"' in html
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_admin_link_only_for_staff(client, demo_users):
    client.force_login(demo_users["rep1"])
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(demo_users["manager"])
    assert 'href="/admin/"' in client.get("/").content.decode()
