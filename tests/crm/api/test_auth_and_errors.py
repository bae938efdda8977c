import pytest
from rest_framework.test import APIClient

from crm.models import Company


@pytest.mark.parametrize("path", ["/api/v1/companies/", "/api/v1/products/", "/api/v1/deals/"])
def test_anonymous_calls_are_refused(demo, path):
    response = APIClient().get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_token_authentication(demo):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token/", {"username": "rep1", "password": "portolan-rep1"}, format="json"
    )
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    listed = client.get("/api/v1/companies/").json()
    assert listed["count"] == 5


def test_wrong_password_gets_a_clear_error(demo):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "rep1", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert "Unable to log in" in str(response.json()["error"]["fields"])


def test_invalid_token_is_refused(demo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/v1/companies/").status_code == 401


def test_session_authentication(demo, client):
    client.login(username="rep2", password="portolan-rep2")
    assert client.get("/api/v1/companies/").json()["count"] == 3


def test_user_without_role_is_forbidden(demo, make_user):
    user = make_user()
    user.groups.clear()
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/v1/companies/").status_code == 403


def test_validation_errors_share_one_format(api):
    response = api.as_user("rep1").post(
        "/api/v1/companies/", {"legal_name": "", "country": "XX", "tier": "platinum"}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"legal_name", "country", "tier"}
    assert all(isinstance(messages, list) and messages for messages in error["fields"].values())
    assert "country" in error["message"]
    assert Company.objects.filter(legal_name="").count() == 0


def test_malformed_json_is_a_400(api):
    response = api.as_user("rep1").generic(
        "POST", "/api/v1/companies/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_errors_are_in_the_users_language(api):
    response = api.as_user("rep1").post(
        "/api/v1/companies/",
        {"legal_name": "X", "country": "XX"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 400
    assert "no es una elección válida" in response.json()["error"]["fields"]["country"][0]
