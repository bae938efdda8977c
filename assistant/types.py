"""The assistant's entry point takes and returns these plain values, never channel
models, so any transport (or the evaluation command) can call it."""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class HistoryEntry:
    role: str  # buyer, assistant, staff
    text: str


@dataclass(frozen=True)
class ConversationRef:
    """Which conversation a message belongs to, and who is writing."""

    id: int
    channel: str
    sender_address: str
    contact_id: int | None = None
    company_id: int | None = None
    language: str = ""  # the conversation's language so far
    history: tuple[HistoryEntry, ...] = ()
    # True when the transport (channels_app) records the messages on the timeline itself:
    # the assistant then only adds what it understood.
    records_messages: bool = False
    # False while a person has the conversation: the assistant understands and records
    # what the buyer says, but neither acts nor replies.
    assistant_active: bool = True
    # False when the channel could not prove the sender's address (an unauthenticated
    # email): nothing private of the customer's may be told.
    sender_verified: bool = True
    # The seller's instruction for the next replies here ("offer 3 % off from 5,000").
    guidance: str = ""
    # Quotes wait for a person (ASSISTANT_DRAFT_QUOTES, or every reply does here): the
    # assistant drafts the quote and tells the buyer when to expect it.
    quotes_need_approval: bool = False


@dataclass(frozen=True)
class BuyerMessage:
    text: str
    sent_at: datetime
    language_hint: str = ""  # from the channel: Telegram language_code, browser language…
    kind: str = "text"


@dataclass(frozen=True)
class TurnResult:
    reply: str
    language: str
    understanding: dict = field(default_factory=dict)
    actions: tuple[str, ...] = ()
    escalate: bool = False
    escalation_reason: str = ""
