"""Shared values for the understanding tests: a fixed "now" and a short-hand."""

from datetime import datetime, timedelta, timezone

import pytest

from assistant.understanding import understand

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def read():
    """understand() at the fixed NOW."""

    def run(text: str, **kwargs):
        return understand(text, now=kwargs.pop("now", NOW), **kwargs)

    return run
