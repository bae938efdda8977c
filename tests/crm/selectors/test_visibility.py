"""The one visibility rule, for each role."""

import pytest

from crm.models import Role
from crm.selectors.visibility import (
    companies_visible_to,
    contacts_visible_to,
    deals_visible_to,
    interactions_visible_to,
    tasks_visible_to,
)

REP1_COMPANIES = {
    "Iluminación Andina S.A.C.",
    "Solaris Energia Ltda.",
    "Volt Distribution GmbH",
    "Lumière Pro SARL",
    "Pacific Home Supply Inc.",
}
REP2_COMPANIES = {"Al Noor Trading LLC", "SibSvet LLC", "Lion City Electrical Pte. Ltd."}


def names(queryset):
    return set(queryset.values_list("legal_name", flat=True))


def test_rep_sees_the_companies_of_their_team(demo):
    assert names(companies_visible_to(demo.users["rep1"])) == REP1_COMPANIES
    assert names(companies_visible_to(demo.users["rep2"])) == REP2_COMPANIES


def test_manager_sees_all_companies_of_their_teams(demo, make_company):
    make_company(legal_name="Unassigned Prospect Ltd")
    assert names(companies_visible_to(demo.users["manager"])) == REP1_COMPANIES | REP2_COMPANIES


def test_admin_sees_everything(demo, make_company):
    make_company(legal_name="Unassigned Prospect Ltd")
    assert len(names(companies_visible_to(demo.users["admin"]))) == 9


def test_rep_sees_a_company_they_own_outside_their_team(demo, make_company, make_team):
    other_team = make_team()
    company = make_company(owner=demo.users["rep1"], team=other_team)
    assert company in companies_visible_to(demo.users["rep1"])
    assert company not in companies_visible_to(demo.users["rep2"])


def test_user_without_role_or_inactive_sees_nothing(demo, make_user):
    no_role = make_user(role="nobody")
    no_role.groups.clear()
    assert not companies_visible_to(no_role).exists()
    rep1 = demo.users["rep1"]
    rep1.is_active = False
    rep1.save()
    assert not companies_visible_to(rep1).exists()


def test_related_records_follow_company_visibility(demo):
    rep2 = demo.users["rep2"]
    assert {c.company.legal_name for c in contacts_visible_to(rep2)} == REP2_COMPANIES
    assert {d.company.legal_name for d in deals_visible_to(rep2)} <= REP2_COMPANIES
    assert deals_visible_to(rep2).count() == 3
    assert {i.company.legal_name for i in interactions_visible_to(rep2)} <= REP2_COMPANIES
    assert {t.company.legal_name for t in tasks_visible_to(rep2)} <= REP2_COMPANIES


def test_task_assigned_to_a_user_is_visible_to_them(demo, make_user):
    from crm.services.timeline import task_create

    outsider = make_user(role=Role.REP)
    task = task_create(user=None, title="Call back", assignee=outsider)
    assert task in tasks_visible_to(outsider)
    assert task not in tasks_visible_to(demo.users["rep1"])
    assert task in tasks_visible_to(demo.users["admin"])


@pytest.mark.parametrize("username", ["rep1", "rep2", "manager"])
def test_adding_user_to_team_extends_visibility(demo, username, make_team, make_company):
    team = make_team()
    company = make_company(team=team)
    user = demo.users[username]
    assert company not in companies_visible_to(user)
    team.members.add(user)
    assert company in companies_visible_to(user)
