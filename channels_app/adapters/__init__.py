"""Channel adapters behind one small interface, chosen in settings like Django's email
backends: `CHANNEL_ADAPTERS = {"whatsapp": "channels_app.adapters.whatsapp.WhatsAppAdapter", …}`."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ChannelAdapter


@cache
def _adapter(channel: str, path: str) -> ChannelAdapter:
    return import_string(path)()


def get_adapter(channel: str) -> ChannelAdapter:
    """The configured adapter of `channel` (KeyError if the channel is not configured)."""
    return _adapter(channel, settings.CHANNEL_ADAPTERS[channel])


def reset_adapters() -> None:
    """Forget built adapters (after settings change, e.g. in tests)."""
    _adapter.cache_clear()
