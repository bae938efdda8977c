import pytest
from django.core.exceptions import ValidationError

from crm.models import Company, Interaction
from crm.services.customers import company_create, company_update, contact_create
from crm.services.timeline import interaction_note_create, task_create, task_update


def test_company_create_validates_and_writes_nothing_on_error(demo):
    before = Company.objects.count()
    with pytest.raises(ValidationError) as error:
        company_create(
            user=demo.users["rep1"], legal_name="Bad", country="XX", default_currency="ZZZ"
        )
    assert {"country", "default_currency"} <= set(error.value.message_dict)
    assert Company.objects.count() == before


def test_company_creator_becomes_owner(demo):
    company = company_create(user=demo.users["rep1"], legal_name="Nuevo Cliente", country="CL")
    assert company.owner == demo.users["rep1"]


def test_company_update_changes_only_allowed_fields(demo):
    company = demo.companies["SibSvet LLC"]
    company_update(company=company, data={"city": "Omsk", "id": 999})
    company.refresh_from_db()
    assert company.city == "Omsk" and company.pk != 999


def test_contact_create_rejects_invalid_phone(demo):
    with pytest.raises(ValidationError) as error:
        contact_create(company=demo.companies["SibSvet LLC"], name="Ivan", phones=["12345"])
    assert "phones" in error.value.message_dict


def test_note_on_timeline(demo):
    company = demo.companies["SibSvet LLC"]
    note = interaction_note_create(
        user=demo.users["rep2"], company=company, text="  Called Dmitry  "
    )
    assert (note.kind, note.author, note.text, note.author_user) == (
        "note",
        "staff",
        "Called Dmitry",
        demo.users["rep2"],
    )


def test_empty_note_is_refused(demo):
    before = Interaction.objects.count()
    with pytest.raises(ValidationError):
        interaction_note_create(
            user=demo.users["rep2"], company=demo.companies["SibSvet LLC"], text="  "
        )
    assert Interaction.objects.count() == before


def test_note_cannot_link_another_companys_deal(demo):
    foreign_deal = demo.companies["Volt Distribution GmbH"].deals.first()
    with pytest.raises(ValidationError) as error:
        interaction_note_create(
            user=demo.users["admin"],
            company=demo.companies["SibSvet LLC"],
            text="x",
            deal=foreign_deal,
        )
    assert "deal" in error.value.message_dict


def test_task_takes_company_from_deal_and_completes(demo):
    deal = demo.companies["Volt Distribution GmbH"].deals.first()
    task = task_create(user=demo.users["rep1"], title="Send datasheet", deal=deal)
    assert task.company == deal.company and task.assignee == demo.users["rep1"]
    task_update(task=task, data={"done": True})
    task.refresh_from_db()
    assert task.done and task.done_at is not None
    task_update(task=task, data={"done": False})
    task.refresh_from_db()
    assert not task.done and task.done_at is None
