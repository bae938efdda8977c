import pytest

from channels_app.adapters import reset_adapters
from channels_app.adapters.locmem import LocmemAdapter


@pytest.fixture
def locmem(settings):
    """WhatsApp and Telegram served by the in-memory adapter (the port's test fake)."""
    settings.CHANNEL_ADAPTERS = {
        **settings.CHANNEL_ADAPTERS,
        "whatsapp": "channels_app.adapters.locmem.LocmemAdapter",
        "telegram": "channels_app.adapters.locmem.LocmemAdapter",
    }
    reset_adapters()
    LocmemAdapter.reset()
    yield LocmemAdapter
    LocmemAdapter.reset()
    reset_adapters()
