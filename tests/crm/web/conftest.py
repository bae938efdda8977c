"""Fixtures of the web UI tests: the demo data and its users."""

import pytest

from crm.models import Company, Deal, User
from crm.services.demo import demo_data_load


@pytest.fixture
def demo_users(db) -> dict[str, User]:
    """The demo data loaded; the demo users by username."""
    demo_data_load()
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def rep1_client(client, demo_users):
    client.force_login(demo_users["rep1"])
    return client


@pytest.fixture
def manager_client(client, demo_users):
    client.force_login(demo_users["manager"])
    return client


@pytest.fixture
def company(demo_users):
    """Look a demo company up by the start of its legal name."""

    def find(prefix: str) -> Company:
        return Company.objects.get(legal_name__startswith=prefix)

    return find


@pytest.fixture
def deal_of(demo_users):
    def find(company_prefix: str) -> Deal:
        return Deal.objects.select_related("stage", "pipeline").get(
            company__legal_name__startswith=company_prefix
        )

    return find


@pytest.fixture
def roleless_user(db) -> User:
    """A staff account no one has given a CRM role."""
    return User.objects.create_user("norole", password="no-role-password", is_staff=True)
