"""Choices shared across the CRM (and used by the other apps through it)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    EN = "en", _("English")
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    RU = "ru", _("Russian")
    AR = "ar", _("Arabic")
    FR = "fr", _("French")
    DE = "de", _("German")


class Channel(models.TextChoices):
    WEB = "web", _("Website chat")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("Email")


class TierCode(models.TextChoices):
    STANDARD = "standard", _("Standard")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    STRATEGIC = "strategic", _("Strategic")


class Role(models.TextChoices):
    """Names of the auth groups that carry a user's role."""

    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Sales manager")
    REP = "rep", _("Sales rep")
