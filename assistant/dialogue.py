"""Dialogue state: what the buyer has told us so far in one conversation.

Slots accumulate over turns; a later value corrects an earlier one ("make it 3,000"
changes the quantity of the item under discussion). The state is a plain dict so it
can be stored as JSON on the turn's quality record and rebuilt from history when there
is no record (the evaluation command).
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from crm import incoterms

from .understanding.numbers import find_numbers
from .understanding.text import fold

SCALAR_SLOTS = (
    "incoterm",
    "destination_country",
    "destination_port",
    "delivery_date",
    "target_price",
    "competitor",
    "order_number",
    "email",
    "phone",
)
# Intents that start (or continue) a purchase: the state remembers the goal across the
# turns that answer its questions.
BUYING = frozenset({"price_inquiry", "quote_request", "order_placement", "negotiation"})
# A short reply that only fills a slot is understood as one of these.
ANSWER_INTENTS = frozenset({"other", "quote_request", "price_inquiry", "product_info", "greeting"})
MAX_CORRECTION_QUANTITY = 10_000_000


@dataclass
class DialogueState:
    items: list[dict] = field(default_factory=list)  # [{"sku", "quantity", "unit"}]
    slots: dict = field(default_factory=dict)
    goal: str = ""  # the buying intent being served
    asked: str = ""  # the slot the last reply asked for

    def as_json(self) -> dict:
        return {"items": self.items, "slots": self.slots, "goal": self.goal, "asked": self.asked}

    @classmethod
    def from_json(cls, data: dict | None) -> "DialogueState":
        data = data if isinstance(data, dict) else {}
        items = [
            {"sku": str(row["sku"]), "quantity": row.get("quantity"), "unit": row.get("unit")}
            for row in data.get("items") or ()
            if isinstance(row, dict) and row.get("sku")
        ]
        slots = data.get("slots") if isinstance(data.get("slots"), dict) else {}
        return cls(
            items=items,
            slots={k: v for k, v in slots.items() if k in SCALAR_SLOTS},
            goal=str(data.get("goal") or ""),
            asked=str(data.get("asked") or ""),
        )

    # -- questions ------------------------------------------------------------------

    def quantified_items(self) -> list[dict]:
        return [item for item in self.items if _positive(item.get("quantity"))]

    def missing_for_quote(self) -> str:
        """The one thing still needed to price a quote: "items", "quantity:<sku>",
        "destination", or "" when it can be priced."""
        if not self.items:
            return "items"
        for item in self.items:
            if not _positive(item.get("quantity")):
                return f"quantity:{item['sku']}"
        incoterm = self.slots.get("incoterm")
        if incoterm in incoterms.NEEDS_DESTINATION and not self.slots.get("destination_country"):
            return "destination"
        return ""


def _positive(value) -> bool:
    try:
        return value is not None and Decimal(str(value)) > 0
    except InvalidOperation:
        return False


def _bare_quantity(text: str, language: str) -> int | None:
    """The one whole number in a short answer ("3000", "make it 3,000", "改成三千个")."""
    numbers = [
        n for n in find_numbers(fold(text).text, language) if n.value == n.value.to_integral()
    ]
    if len(numbers) != 1:
        return None
    value = int(numbers[0].value)
    return value if 0 < value <= MAX_CORRECTION_QUANTITY else None


SHORT_ANSWER_CHARS = 40


def state_update(
    state: DialogueState,
    *,
    intent: str,
    entities: dict,
    text: str,
    language: str,
    found: dict | None = None,
) -> tuple[DialogueState, str]:
    """The state after one buyer message, and the intent the turn serves: a message that
    only answers the last question continues the goal it was asked for. `found` holds
    every entity of the message, also those its intent does not carry ("Callao, Perú"
    said in answer to "where to?")."""
    entities = entities or {}
    short = len(text.strip()) <= SHORT_ANSWER_CHARS
    if state.asked and state.goal and short:
        if state.asked.startswith("quantity:") and _bare_quantity(text, language) is not None:
            # "2000个" answers "how many?", whatever else it might look like
            intent = "other"
            entities = {key: value for key, value in entities.items() if key != "order_number"}
        elif intent in ANSWER_INTENTS and found:
            entities = {**found, **{k: v for k, v in entities.items() if v}}
    items = list(entities.get("items") or ())
    filled = False
    for new in items:
        row = {"sku": new["sku"], "quantity": new.get("quantity"), "unit": new.get("unit")}
        for old in state.items:
            if old["sku"] == row["sku"]:
                if row["quantity"] is not None:  # "the panels, 3000 pcs": a correction
                    old["quantity"], old["unit"] = row["quantity"], row["unit"]
                break
        else:
            state.items.append(row)
        filled = True
    for slot in SCALAR_SLOTS:
        value = entities.get(slot)
        if value not in (None, "", [], {}):
            state.slots[slot] = value
            filled = True
    if not items and state.items and intent in ANSWER_INTENTS | BUYING:
        blocking = any(entities.get(key) for key in ("target_price", "order_number", "phone"))
        quantity = None if blocking else _bare_quantity(text, language)
        if quantity is not None:
            target = _item_to_correct(state)
            target["quantity"], target["unit"] = quantity, target.get("unit") or "pcs"
            filled = True
    served = intent
    if intent in BUYING:
        # asking the price of quantities already given is asking for a quote
        quoted = intent == "price_inquiry" and state.missing_for_quote() in ("", "destination")
        state.goal = served = "quote_request" if quoted else intent
    elif filled and state.goal and intent in ANSWER_INTENTS:
        served = state.goal  # "3000" after "how many?" continues the quote
    elif intent in ("thanks_goodbye", "order_status"):
        state.goal = ""
    return state, served


def _item_to_correct(state: DialogueState) -> dict:
    """The item a bare number refers to: the one we asked about, else the last one."""
    if state.asked.startswith("quantity:"):
        sku = state.asked.split(":", 1)[1]
        for item in state.items:
            if item["sku"] == sku:
                return item
    for item in state.items:
        if not _positive(item.get("quantity")):
            return item
    return state.items[-1]
