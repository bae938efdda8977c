"""Fixtures shared by the whole suite: real PostgreSQL and Redis, the demo data,
and small builders for records a test needs."""

import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from crm.models import Company, Contact, Pipeline, Role, Team, User
from crm.services.demo import demo_data_load

_names = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_pricing_snapshot():
    """Each test reads prices and knowledge from its own database state, not a previous
    test's."""
    from assistant.knowledge import knowledge_index_forget
    from crm.selectors.pricing_catalog import pricing_catalog_forget

    pricing_catalog_forget()
    knowledge_index_forget()
    yield
    pricing_catalog_forget()
    knowledge_index_forget()


@pytest.fixture
def demo(db):
    """The reference demo data; `demo.users["rep1"]` etc., companies by legal name."""
    demo_data_load()
    users = {user.username: user for user in User.objects.all()}
    companies = {company.legal_name: company for company in Company.objects.all()}
    return SimpleNamespace(
        users=users,
        companies=companies,
        pipeline=Pipeline.objects.get(is_default=True),
    )


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, *, role: str = Role.REP, teams=()) -> User:
        user = User.objects.create_user(
            username=username or f"user{next(_names)}", password="pw-for-tests-only"
        )
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        for team in teams:
            team.members.add(user)
        return user

    return make


@pytest.fixture
def make_company(db):
    def make(**fields) -> Company:
        fields.setdefault("legal_name", f"Test Company {next(_names)}")
        fields.setdefault("country", "PE")
        return Company.objects.create(**fields)

    return make


@pytest.fixture
def make_contact(db):
    def make(company: Company, **fields) -> Contact:
        fields.setdefault("name", f"Person {next(_names)}")
        return Contact.objects.create(company=company, **fields)

    return make


@pytest.fixture
def make_team(db):
    def make(name: str | None = None) -> Team:
        return Team.objects.create(name=name or f"Team {next(_names)}")

    return make


@pytest.fixture
def api(demo):
    """An API client; `api.as_user("rep1")` signs in as a demo user."""
    client = APIClient()

    def as_user(username: str) -> APIClient:
        client.force_authenticate(user=User.objects.get(username=username))
        return client

    client.as_user = as_user
    return client
