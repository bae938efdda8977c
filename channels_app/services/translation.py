"""Translations of buyers' messages into the reading rep's language, for the console,
when a translation backend is configured (`CONSOLE_TRANSLATION=llm`). Cached per message
and language; a page waits for new ones at most one LLM time budget."""

import time

from django.conf import settings
from django.core.cache import cache

from ..models import Message, Sender

RECENT = 20
CACHE_SECONDS = 30 * 24 * 3600


def _base(language: str) -> str:
    return (language or "").lower().split("-")[0].split("_")[0]


def translation_configured() -> bool:
    from assistant.replies.llm import llm_configured

    return settings.CONSOLE_TRANSLATION == "llm" and llm_configured()


def translations_for(
    messages: list[Message], *, language: str, conversation_language: str = ""
) -> dict[int, str]:
    """{message id: translation} for the recent buyer messages not in `language` (a
    message's own language, else the conversation's as the assistant detected it)."""
    if not translation_configured():
        return {}
    wanted = [
        message
        for message in messages
        if message.sender == Sender.BUYER
        and message.text.strip()
        and _base(message.language or conversation_language)
        and _base(message.language or conversation_language) != _base(language)
    ][-RECENT:]
    keys = {message.pk: f"console-translation:{message.pk}:{_base(language)}" for message in wanted}
    found = cache.get_many(list(keys.values()))
    result = {pk: found[key] for pk, key in keys.items() if key in found}
    deadline = time.monotonic() + float(settings.ASSISTANT_LLM_TIMEOUT_SECONDS)
    from assistant.replies.translate import llm_translate

    for message in wanted:
        if message.pk in result or time.monotonic() > deadline:
            continue
        translated = llm_translate(text=message.text, language=language)
        if translated:
            cache.set(keys[message.pk], translated, CACHE_SECONDS)
            result[message.pk] = translated
    return result
