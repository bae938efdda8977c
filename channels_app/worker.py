"""A django-q2 worker process gets ready before its first task.

Without this the first buyer message a new worker takes waits ~2 s for the assistant's
language and intent models. After loading them the worker freezes the garbage
collector's view of what exists (`gc.freeze()`): the models and the loaded code stay
for the process's life, and the collector no longer walks them at every full
collection, which took milliseconds out of turns (docs/benchmarks.md).
"""

import gc
import logging

from django.conf import settings
from django.dispatch import receiver
from django_q.signals import post_spawn

logger = logging.getLogger(__name__)


@receiver(post_spawn, dispatch_uid="portolan-worker-ready")
def worker_ready(sender, proc_name: str = "", **kwargs) -> None:
    if settings.PORTOLAN_TURN_HANDLER.startswith("assistant."):
        from assistant.understanding import warm_up

        try:
            warm_up()
        except Exception:  # a worker that cannot warm up still works, only slower at first
            logger.exception("worker %s: the assistant's models did not load", proc_name)
    gc.collect()
    gc.freeze()
