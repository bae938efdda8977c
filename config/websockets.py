"""Websocket routes: the buyers' chat widget (the staff console joins with its issue)."""

from django.urls import path

from channels_app.consumers import WebChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/", WebChatConsumer.as_asgi(), name="ws-chat"),
]
