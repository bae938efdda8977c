"""The seller's guidance for a conversation, read for the one instruction the template
path acts on: an extra discount, optionally from a minimum quantity ("offer 3 % off if
they order 5,000", "3% discount from 5000 pcs"). Anything else is left to the LLM path
(as wording guidance) and to the people reading it."""

import re
from decimal import Decimal, InvalidOperation

MAX_EXTRA_DISCOUNT = Decimal(50)

_PERCENT_RE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
# A quantity after "from", "if they order", "over", "at least", "≥", "min"…: digits with
# thousands separators ("5,000", "5 000", "5.000") or a k suffix ("5k").
_MINIMUM_RE = re.compile(
    r"(?:from|order(?:s|ing)?|over|above|at\s+least|min(?:imum)?|>=|≥|for)\s*:?\s*"
    r"(\d{1,3}(?:[,.\s\u202f]\d{3})+|\d+)\s*(k\b)?",
    re.IGNORECASE,
)


def _whole_number(text: str) -> int:
    return int(re.sub(r"[,.\s\u202f]", "", text))


def discount_from_guidance(text: str) -> tuple[Decimal, int] | None:
    """(extra discount percent, minimum quantity; 0 for any quantity) when the guidance
    offers a discount of more than 0 and at most 50 %, else None."""
    if not text:
        return None
    percent_match = _PERCENT_RE.search(text)
    if percent_match is None:
        return None
    try:
        percent = Decimal(percent_match.group(1).replace(",", "."))
    except InvalidOperation:
        return None
    if not (0 < percent <= MAX_EXTRA_DISCOUNT):
        return None
    rest = text[: percent_match.start()] + " " + text[percent_match.end() :]
    minimum_match = _MINIMUM_RE.search(rest)
    minimum = 0
    if minimum_match is not None:
        minimum = _whole_number(minimum_match.group(1))
        if minimum_match.group(2):
            minimum *= 1000
    return percent, minimum
