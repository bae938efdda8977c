"""What the understanding layer returns: plain frozen values, no Django."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Item:
    sku: str
    quantity: Decimal | int | None
    unit: str | None  # pcs, roll, carton, container20, container40; None without a quantity


@dataclass(frozen=True)
class Understanding:
    language: str  # ISO 639-1: en, zh, es, pt, ru, ar, fr, de, or another detected language
    intent: str  # one of intent_rules.INTENTS
    intent_confidence: float  # 0..1
    entities: dict = field(default_factory=dict)  # EVAL.md's entities shape
    sentiment: str = "neutral"  # negative | neutral | positive
    sentiment_score: float = 0.0  # -1..1
    escalate: bool = False
    # Every entity found, also in a message whose intent carries no trade facts ("Callao,
    # Perú" answering "where to?"): the dialogue state reads these.
    found_entities: dict = field(default_factory=dict)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(
            Item(sku=row["sku"], quantity=row["quantity"], unit=row["unit"])
            for row in self.entities.get("items") or ()
        )
