"""The staff console's live feed: a conversation as a card, and the push that tells the
console sockets (`/ws/console/`) of everyone who may see it that it changed.

Each change is sent, after its transaction commits, to the channel-layer groups of the
people who may see the conversation's company: the company's team, its owner, and the
admins. The payload carries the card as it is after the commit, so a socket never has
to read the database to show it. The socket checks visibility again before forwarding.
"""

import dataclasses
import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery

from crm.selectors.visibility import user_sees_everything
from crm.templatetags.portolan import person

from ..layer import layer_group_send
from ..models import Conversation, ConversationStatus, Message
from ..selectors import conversations_visible_to

logger = logging.getLogger(__name__)

CARD_TEXT_CHARS = 200
ADMINS_GROUP = "console.all"


def team_group(team_id: int) -> str:
    return f"console.team.{team_id}"


def user_group(user_id: int) -> str:
    return f"console.user.{user_id}"


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "name": person(user)}


def conversation_cards(conversations: QuerySet[Conversation]) -> list[dict]:
    """Cards (JSON-safe) for these conversations, in the queryset's order, in three
    queries whatever their number."""
    from assistant.models import AssistantTurn

    latest_sentiment = (
        AssistantTurn.objects.filter(conversation_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("sentiment")[:1]
    )
    last_message_id = (
        Message.objects.filter(conversation=OuterRef("pk")).order_by("-sequence").values("pk")[:1]
    )
    rows = list(
        conversations.select_related("contact__company", "assigned_to").annotate(
            card_sentiment=Subquery(latest_sentiment),
            card_last_message_id=Subquery(last_message_id),
        )
    )
    last_messages = Message.objects.only("sender", "text", "sent_at").in_bulk(
        [row.card_last_message_id for row in rows if row.card_last_message_id]
    )
    return [_card(row, last_messages.get(row.card_last_message_id)) for row in rows]


def _card(conversation: Conversation, last: Message | None) -> dict:
    company = conversation.contact.company
    inbound, outbound = conversation.last_inbound_at, conversation.last_outbound_at
    waiting = inbound is not None and (outbound is None or inbound > outbound)
    return {
        "id": conversation.pk,
        "status": conversation.status,
        "channel": conversation.channel,
        "language": conversation.language,
        # owner_id and team_id let a socket check visibility without a query.
        "company": {
            "id": company.pk,
            "name": company.legal_name,
            "owner_id": company.owner_id,
            "team_id": company.team_id,
        },
        "contact": {"id": conversation.contact.pk, "name": conversation.contact.name},
        "assigned_to": _person(conversation.assigned_to),
        "sentiment": conversation.card_sentiment or "",
        "waiting_since": _iso(inbound) if waiting else None,
        "last_message": {
            "sender": last.sender,
            "text": last.text[:CARD_TEXT_CHARS],
            "at": _iso(last.sent_at),
        }
        if last
        else None,
        "escalated": conversation.escalated_at is not None,
        "reasons": [
            reason.get("code", "") if isinstance(reason, dict) else str(reason)
            for reason in conversation.escalation_reasons or []
        ],
        "updated_at": _iso(conversation.updated_at),
    }


def message_frame(message: Message) -> dict:
    return {
        "id": message.pk,
        "sequence": message.sequence,
        "sender": message.sender,
        "text": message.text,
        "delivery_status": message.delivery_status,
        "sent_at": _iso(message.sent_at),
    }


def console_groups(card: dict) -> list[str]:
    """The groups whose members may see the card's company."""
    company = card["company"]
    groups = [ADMINS_GROUP]
    if company["team_id"] is not None:
        groups.append(team_group(company["team_id"]))
    if company["owner_id"] is not None:
        groups.append(user_group(company["owner_id"]))
    return groups


@dataclasses.dataclass(frozen=True)
class ConsoleViewer:
    """What a console socket needs to know about its user to route and filter events
    without a query per event: the same rule as `company_visibility_q`."""

    user_id: int
    sees_everything: bool
    team_ids: frozenset[int]

    @property
    def groups(self) -> set[str]:
        groups = {user_group(self.user_id), *(team_group(team) for team in self.team_ids)}
        return groups | {ADMINS_GROUP} if self.sees_everything else groups

    def sees(self, card: dict) -> bool:
        company = card["company"]
        return (
            self.sees_everything
            or company["owner_id"] == self.user_id
            or company["team_id"] in self.team_ids
        )

    def takes(self, event: dict) -> bool:
        """Whether to forward this copy of a console event: visible, and sent to the
        first of the event's groups this viewer is in (one copy per socket)."""
        card = event["conversation"]
        if not self.sees(card):
            return False
        mine = [group for group in console_groups(card) if group in self.groups]
        return bool(mine) and event.get("group", mine[0]) == mine[0]


def console_viewer(user) -> ConsoleViewer | None:
    """The console facts of a staff user; None for anyone else (anonymous, inactive, no
    role)."""
    if not (user.is_authenticated and user.is_active) or not user.role:
        return None
    return ConsoleViewer(
        user_id=user.pk,
        sees_everything=user_sees_everything(user),
        team_ids=frozenset(user.teams.values_list("id", flat=True)),
    )


def console_cards_for(user, *, limit: int = 50) -> list[dict]:
    """The cards of the open conversations `user` may see, most recently updated first."""
    ids = list(
        conversations_visible_to(user)
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)[:limit]
    )
    return conversation_cards(
        Conversation.objects.filter(pk__in=ids).order_by("-updated_at", "-id")
    )


def console_notify(
    conversation_id: int, *, event: str = "conversation", message_id: int | None = None
) -> None:
    """Tell the consoles that may see this conversation that it changed (`event`:
    "conversation", "message" or "delivery"), once the current transaction commits."""
    transaction.on_commit(
        lambda: _console_send(conversation_id, event=event, message_id=message_id)
    )


def _console_send(conversation_id: int, *, event: str, message_id: int | None) -> None:
    # Never raises: the change is committed, and a webhook must not fail because the
    # channel layer is busy. A console that missed a push catches up on its next refresh.
    try:
        cards = conversation_cards(Conversation.objects.filter(pk=conversation_id))
        if not cards:
            return
        message = (
            Message.objects.filter(pk=message_id, conversation_id=conversation_id).first()
            if message_id
            else None
        )
        payload = {
            "type": "console.event",
            "event": event,
            "conversation": cards[0],
            "message": message_frame(message) if message else None,
        }
        # A viewer may be in several of these groups: each socket forwards only the
        # copy of the first group it belongs to (see ConsoleViewer.takes).
        layer_group_send(
            *((group, {**payload, "group": group}) for group in console_groups(cards[0]))
        )
    except Exception:
        logger.exception("console push for conversation %s (%s) failed", conversation_id, event)


# -- presence: who has a console open (for assigning handoffs) -----------------------

PRESENCE_SECONDS = 90  # a console pings every 30 s; three missed pings and it is gone


def _presence_key(user_id: int) -> str:
    return f"console-online:{user_id}"


def console_presence_mark(user_id: int) -> None:
    cache.set(_presence_key(user_id), 1, timeout=PRESENCE_SECONDS)


def console_presence_clear(user_id: int) -> None:
    cache.delete(_presence_key(user_id))


def console_online(user_ids) -> set[int]:
    """Which of these users have a console open now."""
    ids = list(user_ids)
    found = cache.get_many([_presence_key(user_id) for user_id in ids])
    return {user_id for user_id in ids if _presence_key(user_id) in found}
