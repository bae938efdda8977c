"""Expand the per-language templates into (text, intent, language) examples.

A template is a string with slots in braces: {p} product, {q} quantity, {port} port or
city, {inc} incoterm, {date} delivery date phrase, {price} price, {comp} competitor,
{order} order number, {name} a person's name. Every template is filled `FILLS` times
with values drawn by a seeded generator, and some examples get an opener ("Hi,") or a
sign-off, so the same request appears as a WhatsApp line and as a formal email.
"""

import hashlib
import json
import random
import re
from importlib import import_module

LANGUAGES = ("en", "zh", "es", "pt", "ru", "ar", "fr", "de")
FILLS = 3
SEED = 20261124

_SLOT = re.compile(r"\{(\w+)\}")


def _module(language: str):
    return import_module(f"assistant.training.lang_{language}")


def _fill(template: str, slots: dict[str, list[str]], rng: random.Random) -> str:
    return _SLOT.sub(lambda m: rng.choice(slots[m.group(1)]), template)


def training_examples() -> list[tuple[str, str, str]]:
    """(text, intent, language) for every language, deterministic."""
    rng = random.Random(SEED)
    out: list[tuple[str, str, str]] = []
    for language in LANGUAGES:
        module = _module(language)
        slots = module.SLOTS
        openers = module.OPENERS
        closers = module.CLOSERS
        for intent, templates in module.TEMPLATES.items():
            for template in templates:
                fills = 1 if not _SLOT.search(template) else FILLS
                for _ in range(fills):
                    text = _fill(template, slots, rng)
                    roll = rng.random()
                    if intent not in ("greeting", "thanks_goodbye", "other"):
                        if roll < 0.25:
                            text = f"{_fill(rng.choice(openers), slots, rng)} {text}"
                        elif roll < 0.4:
                            text = f"{text} {_fill(rng.choice(closers), slots, rng)}"
                    out.append((text, intent, language))
    return out


def data_hash() -> str:
    """Fingerprint of the training examples, stored with the model to detect staleness."""
    payload = json.dumps(training_examples(), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()[:16]
