"""A django-q2 worker loads the assistant's models and freezes the collector when it
starts, before its first task."""

import gc

import pytest
from django_q.signals import post_spawn

from assistant.understanding import language


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_new_worker_loads_the_models_and_freezes_the_collector(unfrozen, settings):
    settings.PORTOLAN_TURN_HANDLER = "assistant.services.conversation_turn_handle"
    language._detector = None  # as in a freshly started process
    assert gc.get_freeze_count() == 0

    post_spawn.send(sender="django_q", proc_name="Process-1:1")

    assert language._detector is not None
    assert gc.get_freeze_count() > 0


def test_without_the_assistant_the_worker_only_freezes_the_collector(unfrozen, settings):
    settings.PORTOLAN_TURN_HANDLER = (
        "channels_app.services.acknowledge.conversation_turn_acknowledge"
    )
    language._detector = None

    post_spawn.send(sender="django_q", proc_name="Process-1:2")

    assert language._detector is None
    assert gc.get_freeze_count() > 0
