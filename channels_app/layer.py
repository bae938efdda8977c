"""Sending on the channel layer from sync code (tasks, webhooks, services).

`async_to_sync(layer.group_send)` outside an event loop starts a new thread and a new
event loop for every call, and channels_redis keeps its Redis connections per event
loop, so each send also connected to Redis afresh: tens of milliseconds a console
push. Here one event loop per process runs in a daemon thread for the process's
lifetime; sends are submitted to it and waited for, and its connections are reused.
"""

import asyncio
import os
import threading

from channels.layers import get_channel_layer

SEND_TIMEOUT_SECONDS = 5.0

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_loop_pid: int | None = None


def _sender_loop() -> asyncio.AbstractEventLoop:
    """This process's sending loop, started on first use (and again in a forked child,
    which inherits the object but not the thread)."""
    global _loop, _loop_pid
    with _lock:
        if _loop is None or _loop_pid != os.getpid():
            _loop = asyncio.new_event_loop()
            _loop_pid = os.getpid()
            threading.Thread(
                target=_loop.run_forever, name="channel-layer-sender", daemon=True
            ).start()
        return _loop


def layer_group_send(*sends: tuple[str, dict]) -> bool:
    """Send each (group, message) in order; False when no channel layer is configured.
    Raises what the layer raises (Redis unreachable) or TimeoutError. Never call it
    from a coroutine: it blocks until the sends are done."""
    layer = get_channel_layer()
    if layer is None:
        return False

    async def send_all() -> None:
        for group, message in sends:
            await layer.group_send(group, message)

    future = asyncio.run_coroutine_threadsafe(send_all(), _sender_loop())
    future.result(timeout=SEND_TIMEOUT_SECONDS)
    return True
