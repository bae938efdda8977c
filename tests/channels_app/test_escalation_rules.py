from datetime import UTC, datetime

import pytest
from django.urls import reverse

from assistant.models import AssistantTurn
from assistant.services import conversation_turn_handle
from assistant.types import BuyerMessage, ConversationRef, TurnResult
from channels_app.models import Conversation, EscalationRule, EscalationRuleKind
from channels_app.services.escalation import EscalationReason, escalation_reasons
from crm.models import ChannelIdentity, TierCode, User

AL_NOOR = "Al Noor Trading LLC"


@pytest.fixture
def conversation_for(make_contact):
    def make(company) -> Conversation:
        contact = make_contact(company)
        identity = ChannelIdentity.objects.create(
            contact=contact, channel="whatsapp", address=f"+9715000{contact.pk:05d}"
        )
        return Conversation.objects.create(contact=contact, identity=identity, channel="whatsapp")

    return make


@pytest.fixture
def conversation(db, make_company, conversation_for):
    return conversation_for(make_company())


def _record(conversation, text="Price for SL-AIO-100?", **fields) -> AssistantTurn:
    fields.setdefault("intent", "price_request")
    fields.setdefault("intent_confidence", 0.9)
    fields.setdefault("sentiment", "neutral")
    return AssistantTurn.objects.create(conversation_id=conversation.pk, text=text, **fields)


def _turn(record: AssistantTurn, *, action: str = "") -> TurnResult:
    understanding = {
        "intent": record.intent,
        "intent_confidence": record.intent_confidence,
        "sentiment": record.sentiment,
        "sentiment_score": record.sentiment_score,
        "escalate": False,
    }
    return TurnResult(
        reply="…", language="en", understanding=understanding, actions=(action,) if action else ()
    )


def _codes(conversation, record, *, action: str = "") -> set[str]:
    reasons = escalation_reasons(
        conversation=conversation, turn=_turn(record, action=action), text=record.text
    )
    return {reason.code for reason in reasons}


def _disable(kind: str) -> None:
    EscalationRule.objects.filter(kind=kind).update(enabled=False)


def _configure(kind: str, **fields) -> None:
    EscalationRule.objects.filter(kind=kind).update(**fields)


def test_an_ordinary_turn_trips_no_rule(conversation):
    assert _codes(conversation, _record(conversation)) == set()


# The intent rule


def test_an_always_escalating_intent_escalates_with_its_reason(conversation):
    record = _record(conversation, "The lights arrived broken", intent="complaint")

    reasons = escalation_reasons(conversation=conversation, turn=_turn(record), text=record.text)

    assert EscalationReason(code="intent", detail="intent: complaint") in reasons


def test_a_kind_without_its_row_escalates_by_its_default(conversation):
    EscalationRule.objects.all().delete()  # as after a flush: only the code's defaults
    record = _record(conversation, "The lights arrived broken", intent="complaint")

    reasons = escalation_reasons(conversation=conversation, turn=_turn(record), text=record.text)

    assert EscalationReason(code="intent", detail="intent: complaint") in reasons


def test_an_intent_not_listed_does_not_escalate(conversation):
    _configure(EscalationRuleKind.INTENT, intents=["return_refund"])
    record = _record(conversation, "The lights arrived broken", intent="complaint")

    assert EscalationRuleKind.INTENT not in _codes(conversation, record)


def test_a_disabled_intent_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.INTENT)
    record = _record(conversation, "The lights arrived broken", intent="complaint")

    assert EscalationRuleKind.INTENT not in _codes(conversation, record)


# The negative trend rule


def test_two_negative_turns_in_a_row_escalate(conversation):
    _record(conversation, "This is taking far too long", sentiment="negative")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")

    reasons = escalation_reasons(conversation=conversation, turn=_turn(record), text=record.text)

    assert EscalationReason(code="negative_trend", detail="2 negative turns in a row") in reasons


def test_one_negative_turn_is_not_a_trend(conversation):
    _record(conversation, "Hello", sentiment="neutral")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")

    assert EscalationRuleKind.NEGATIVE_TREND not in _codes(conversation, record)


def test_a_positive_turn_between_negative_ones_breaks_the_trend(conversation):
    _record(conversation, "This is taking far too long", sentiment="negative")
    _record(conversation, "Thanks, that helps", sentiment="positive")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")

    assert EscalationRuleKind.NEGATIVE_TREND not in _codes(conversation, record)


def test_the_trend_respects_the_configured_number_of_turns(conversation):
    _configure(EscalationRuleKind.NEGATIVE_TREND, turns=3)
    _record(conversation, "Slow", sentiment="negative")
    record = _record(conversation, "Very slow", sentiment="negative")
    assert EscalationRuleKind.NEGATIVE_TREND not in _codes(conversation, record)

    record = _record(conversation, "Unacceptably slow", sentiment="negative")
    reasons = escalation_reasons(conversation=conversation, turn=_turn(record), text=record.text)
    assert EscalationReason(code="negative_trend", detail="3 negative turns in a row") in reasons


def test_a_disabled_trend_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.NEGATIVE_TREND)
    _record(conversation, "This is taking far too long", sentiment="negative")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")

    assert EscalationRuleKind.NEGATIVE_TREND not in _codes(conversation, record)


def test_other_conversations_do_not_count_towards_the_trend(
    conversation, make_company, conversation_for
):
    other = conversation_for(make_company())
    _record(other, "This is taking far too long", sentiment="negative")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")

    assert EscalationRuleKind.NEGATIVE_TREND not in _codes(conversation, record)


# The quote and floor rules


def test_a_quote_above_the_auto_send_limit_escalates(conversation):
    record = _record(conversation, "Quote 5000 pcs SL-AIO-100", intent="quote_request")

    assert EscalationRuleKind.QUOTE_ABOVE_LIMIT in _codes(
        conversation, record, action="quote:draft"
    )


def test_a_quote_sent_automatically_does_not_escalate(conversation):
    record = _record(conversation, "Quote 5 pcs SL-AIO-100", intent="quote_request")

    assert EscalationRuleKind.QUOTE_ABOVE_LIMIT not in _codes(
        conversation, record, action="quote:send"
    )


def test_a_disabled_quote_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.QUOTE_ABOVE_LIMIT)
    record = _record(conversation, "Quote 5000 pcs SL-AIO-100", intent="quote_request")

    assert _codes(conversation, record, action="quote:draft") == set()


def test_a_target_price_below_the_floor_escalates(conversation):
    record = _record(conversation, "We can pay 20 USD each", intent="negotiation")

    reasons = escalation_reasons(
        conversation=conversation,
        turn=_turn(record, action="negotiate:below_floor"),
        text=record.text,
    )

    assert [reason.code for reason in reasons] == ["below_floor"]


def test_a_disabled_floor_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.BELOW_FLOOR)
    record = _record(conversation, "We can pay 20 USD each", intent="negotiation")

    assert _codes(conversation, record, action="negotiate:below_floor") == set()


# The low confidence rule


def test_low_confidence_twice_in_a_row_escalates(conversation):
    _record(conversation, "hmm the thing", intent="unknown", intent_confidence=0.2)
    record = _record(conversation, "you know, that one", intent="unknown", intent_confidence=0.3)

    assert EscalationRuleKind.LOW_CONFIDENCE in _codes(conversation, record)


def test_low_confidence_once_is_not_enough(conversation):
    _record(conversation, "Price for SL-AIO-100?", intent_confidence=0.9)
    record = _record(conversation, "you know, that one", intent="unknown", intent_confidence=0.3)

    assert EscalationRuleKind.LOW_CONFIDENCE not in _codes(conversation, record)


def test_low_confidence_respects_the_configured_turns_and_threshold(conversation):
    _configure(EscalationRuleKind.LOW_CONFIDENCE, turns=3, threshold=0.7)
    _record(conversation, "first", intent_confidence=0.6)
    record = _record(conversation, "second", intent_confidence=0.65)
    assert EscalationRuleKind.LOW_CONFIDENCE not in _codes(conversation, record)

    record = _record(conversation, "third", intent_confidence=0.69)
    assert EscalationRuleKind.LOW_CONFIDENCE in _codes(conversation, record)

    record = _record(conversation, "fourth", intent_confidence=0.7)
    assert EscalationRuleKind.LOW_CONFIDENCE not in _codes(conversation, record)


def test_a_disabled_confidence_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.LOW_CONFIDENCE)
    _record(conversation, "hmm the thing", intent="unknown", intent_confidence=0.2)
    record = _record(conversation, "you know, that one", intent="unknown", intent_confidence=0.3)

    assert EscalationRuleKind.LOW_CONFIDENCE not in _codes(conversation, record)


# The repetition rule


def test_the_buyer_repeating_themselves_escalates(conversation):
    _record(conversation, "When will my order ship?")
    record = _record(conversation, "  when will my ORDER ship!!  ")

    assert EscalationRuleKind.REPEATED in _codes(conversation, record)


def test_a_nearly_identical_request_counts_as_a_repeat(conversation):
    _record(conversation, "When will my order SO-2026-0103 ship?")
    record = _record(conversation, "When will my order SO-2026-0103 be shipped?")

    assert EscalationRuleKind.REPEATED in _codes(conversation, record)


def test_a_different_request_is_not_a_repeat(conversation):
    _record(conversation, "When will my order ship?")
    record = _record(conversation, "Do you have the IP65 certificate?")

    assert EscalationRuleKind.REPEATED not in _codes(conversation, record)


def test_a_single_message_is_not_a_repeat(conversation):
    record = _record(conversation, "When will my order ship?")

    assert EscalationRuleKind.REPEATED not in _codes(conversation, record)


def test_empty_messages_are_never_a_repeat(conversation):
    _record(conversation, "")
    record = _record(conversation, "  ?! ")

    assert EscalationRuleKind.REPEATED not in _codes(conversation, record)


def test_repetition_respects_the_configured_number_of_turns(conversation):
    _configure(EscalationRuleKind.REPEATED, turns=3)
    _record(conversation, "When will my order ship?")
    record = _record(conversation, "When will my order ship?")
    assert EscalationRuleKind.REPEATED not in _codes(conversation, record)

    record = _record(conversation, "when will my order ship")
    reasons = escalation_reasons(conversation=conversation, turn=_turn(record), text=record.text)
    assert (
        EscalationReason(code="repeated", detail="the buyer repeated the same request 3 times")
        in reasons
    )


def test_a_disabled_repetition_rule_does_not_escalate(conversation):
    _disable(EscalationRuleKind.REPEATED)
    _record(conversation, "When will my order ship?")
    record = _record(conversation, "When will my order ship?")

    assert EscalationRuleKind.REPEATED not in _codes(conversation, record)


# The strategic-tier rule


def test_a_strategic_buyer_asking_for_a_person_escalates(demo, conversation_for):
    al_noor = demo.companies[AL_NOOR]
    assert al_noor.tier == TierCode.STRATEGIC
    conversation = conversation_for(al_noor)
    record = _record(conversation, "Let me talk to a person", intent="human_handoff")

    assert EscalationRuleKind.STRATEGIC_ASKS_PERSON in _codes(conversation, record)


def test_a_standard_buyer_asking_for_a_person_is_not_strategic(conversation):
    assert conversation.contact.company.tier == TierCode.STANDARD
    record = _record(conversation, "Let me talk to a person", intent="human_handoff")

    assert EscalationRuleKind.STRATEGIC_ASKS_PERSON not in _codes(conversation, record)


def test_a_disabled_strategic_rule_does_not_escalate(demo, conversation_for):
    _disable(EscalationRuleKind.STRATEGIC_ASKS_PERSON)
    conversation = conversation_for(demo.companies[AL_NOOR])
    record = _record(conversation, "Let me talk to a person", intent="human_handoff")

    assert EscalationRuleKind.STRATEGIC_ASKS_PERSON not in _codes(conversation, record)


def test_a_real_turn_from_al_noor_asking_for_a_person_escalates(demo, conversation_for):
    conversation = conversation_for(demo.companies[AL_NOOR])
    contact = conversation.contact
    text = "I want to speak to a person, please"
    turn = conversation_turn_handle(
        conversation=ConversationRef(
            id=conversation.pk,
            channel="whatsapp",
            sender_address=conversation.identity.address,
            contact_id=contact.pk,
            company_id=contact.company_id,
        ),
        message=BuyerMessage(text=text, sent_at=datetime.now(UTC)),
    )
    assert turn.understanding["intent"] == "human_handoff"

    codes = {
        reason.code
        for reason in escalation_reasons(conversation=conversation, turn=turn, text=text)
    }

    assert EscalationRuleKind.STRATEGIC_ASKS_PERSON in codes


# Reading


def test_the_rules_and_the_history_are_read_with_one_query_each(
    conversation, django_assert_num_queries
):
    _record(conversation, "This is taking far too long", sentiment="negative")
    record = _record(conversation, "Still no answer, terrible", sentiment="negative")
    conversation = Conversation.objects.get(pk=conversation.pk)

    with django_assert_num_queries(2):
        codes = _codes(conversation, record, action="quote:draft")

    assert codes == {"negative_trend", "quote_above_limit"}


def test_all_rules_disabled_reads_nothing_more(conversation, django_assert_num_queries):
    EscalationRule.objects.update(enabled=False)
    record = _record(conversation, "The lights arrived broken", intent="complaint")

    with django_assert_num_queries(1):
        assert _codes(conversation, record, action="quote:draft") == set()


# The admin


@pytest.fixture
def admin_client_(db, client):
    superuser = User.objects.create_superuser(
        username="root", email="root@example.com", password="pw-for-tests-only"
    )
    client.force_login(superuser)
    return client


def test_the_admin_lists_one_rule_per_kind(admin_client_):
    response = admin_client_.get(reverse("admin:channels_app_escalationrule_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == len(EscalationRuleKind.values)


def test_a_rule_is_switched_off_from_the_list(admin_client_):
    rules = list(EscalationRule.objects.order_by("kind", "-pk"))
    data = {
        "form-TOTAL_FORMS": str(len(rules)),
        "form-INITIAL_FORMS": str(len(rules)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, rule in enumerate(rules):
        data[f"form-{index}-id"] = str(rule.pk)
        if rule.kind != EscalationRuleKind.NEGATIVE_TREND:
            data[f"form-{index}-enabled"] = "on"

    response = admin_client_.post(reverse("admin:channels_app_escalationrule_changelist"), data)

    assert response.status_code == 302
    enabled = dict(EscalationRule.objects.values_list("kind", "enabled"))
    assert enabled.pop(EscalationRuleKind.NEGATIVE_TREND) is False
    assert all(enabled.values())


def test_a_rule_kind_cannot_be_changed_and_rules_cannot_be_deleted(admin_client_):
    rule = EscalationRule.objects.get(kind=EscalationRuleKind.LOW_CONFIDENCE)
    change_url = reverse("admin:channels_app_escalationrule_change", args=[rule.pk])

    response = admin_client_.post(
        change_url,
        {"kind": "repeated", "enabled": "on", "intents": "[]", "turns": "3", "threshold": "0.4"},
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.kind, rule.turns, rule.threshold) == ("low_confidence", 3, 0.4)
    delete_url = reverse("admin:channels_app_escalationrule_delete", args=[rule.pk])
    assert admin_client_.get(delete_url).status_code == 403


def test_a_rule_can_be_added_only_when_its_kind_is_missing(admin_client_):
    add_url = reverse("admin:channels_app_escalationrule_add")
    assert admin_client_.get(add_url).status_code == 403

    EscalationRule.objects.filter(kind=EscalationRuleKind.REPEATED).delete()
    response = admin_client_.get(add_url)
    assert response.status_code == 200
    kinds = response.context["adminform"].form.fields["kind"].choices
    assert [value for value, _ in kinds] == ["repeated"]

    response = admin_client_.post(
        add_url,
        {"kind": "repeated", "enabled": "on", "intents": "[]", "turns": "2", "threshold": "0.5"},
    )
    assert response.status_code == 302
    assert EscalationRule.objects.filter(kind=EscalationRuleKind.REPEATED).exists()
