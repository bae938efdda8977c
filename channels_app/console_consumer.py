"""The staff console socket, `/ws/console/`: live conversation cards and messages for the
people who may see them. A thin entry point over services/console.py.

Only staff (an authenticated, active user with a role, from the session cookie) stay
connected; anyone else is closed with 4403. The socket joins `console.user.<id>`,
`console.team.<id>` of each of the user's teams and, for admins, `console.all`.

Protocol (JSON frames). Client: `ping`, `console.refresh` (the user's teams or role may
have changed: recompute them and resend the list). Server: `hello` {conversations:
[card]}, then per change `conversation` | `message` | `delivery` {conversation: card,
message: {id, sequence, sender, text, delivery_status, sent_at} | null}, `pong`, `error`
{code}.

Each event is checked against the user's visibility facts taken at connect (or the last
refresh) before it is forwarded, without a query per event.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from .services.console import (
    ConsoleViewer,
    console_cards_for,
    console_presence_clear,
    console_presence_mark,
    console_viewer,
)

CLOSE_FORBIDDEN = 4403
MAX_FRAME_CHARS = 1000
EVENTS = {"conversation", "message", "delivery"}


@database_sync_to_async
def _viewer_and_cards(user) -> tuple[ConsoleViewer | None, list[dict]]:
    if user.is_authenticated:
        # Read afresh: on a refresh the user may have been deactivated or lost a role.
        user = get_user_model().objects.filter(pk=user.pk).first() or AnonymousUser()
    viewer = console_viewer(user)
    return viewer, console_cards_for(user) if viewer else []


class ConsoleConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.viewer: ConsoleViewer | None = None
        self.joined: set[str] = set()
        # Accepted first so that a browser sees the 4403 (a refused handshake is a bare
        # HTTP 403 to it) and stops reconnecting.
        await self.accept()
        await self.refresh()

    async def disconnect(self, code):
        if self.viewer is not None:
            await database_sync_to_async(console_presence_clear)(self.scope["user"].pk)
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.joined = set()

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if self.viewer is None:
            return
        try:
            content = json.loads(text_data) if text_data else None
        except ValueError:
            content = None
        if not isinstance(content, dict) or len(text_data) > MAX_FRAME_CHARS:
            await self.send_error("bad_request")
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "ping":
            await database_sync_to_async(console_presence_mark)(self.scope["user"].pk)
            await self.send_json({"type": "pong"})
        elif kind == "console.refresh":
            await self.refresh()
        else:
            await self.send_error("bad_request")

    async def refresh(self):
        """Take the user's facts afresh, follow the groups they imply, send the list."""
        user = self.scope.get("user")
        viewer, cards = await _viewer_and_cards(user) if user is not None else (None, [])
        self.viewer = viewer
        wanted = viewer.groups if viewer else set()
        for group in self.joined - wanted:
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in wanted - self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = wanted
        if viewer is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await database_sync_to_async(console_presence_mark)(user.pk)  # online: takes handoffs
        await self.send_json({"type": "hello", "conversations": cards})

    async def console_event(self, event):
        """A change pushed by `console_notify`, to forward if this user may see it."""
        if self.viewer is None or event.get("event") not in EVENTS:
            return
        if not self.viewer.takes(event):
            return
        await self.send_json(
            {
                "type": event["event"],
                "conversation": event["conversation"],
                "message": event.get("message"),
            }
        )

    async def send_error(self, code: str):
        await self.send_json({"type": "error", "code": code})
