"""Reads of canned responses: their text in a given language (English when a translation
is missing) and filled in for one conversation."""

from django.conf import settings
from modeltranslation.utils import build_localized_fieldname

from crm.models import User

from .models import CannedResponse, Conversation

FALLBACK_LANGUAGE = "en"


def canned_language(language: str | None) -> str:
    """One of settings.LANGUAGES for a language code ("es", "pt-BR", "zh-Hans", ""),
    English when there is none."""
    codes = [code for code, _name in settings.LANGUAGES]
    code = (language or "").strip().lower().replace("_", "-")
    if code in codes:
        return code
    if code.split("-")[0] in codes:
        return code.split("-")[0]
    if code.startswith("zh"):
        return "zh-hans"
    return FALLBACK_LANGUAGE


def canned_field(canned: CannedResponse, field: str, language: str) -> str:
    """The title or body in `language`; the English one when that translation is empty."""
    value = getattr(canned, build_localized_fieldname(field, canned_language(language)), "")
    return value or getattr(canned, build_localized_fieldname(field, FALLBACK_LANGUAGE), "")


def canned_response_text(*, canned: CannedResponse, conversation: Conversation, user: User) -> str:
    """The body in the buyer's language with {contact} (their first name) and {rep} (the
    rep's name) filled in; other braces are left as written."""
    name = (conversation.contact.name or "").split()
    rep = user.get_full_name() or user.get_username()
    body = canned_field(canned, "body", conversation.language)
    return body.replace("{contact}", name[0] if name else "").replace("{rep}", rep)
