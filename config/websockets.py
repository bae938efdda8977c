"""Websocket routes: the buyers' chat widget and the staff console."""

from django.urls import path

from channels_app.console_consumer import ConsoleConsumer
from channels_app.consumers import WebChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/", WebChatConsumer.as_asgi(), name="ws-chat"),
    path("ws/console/", ConsoleConsumer.as_asgi(), name="ws-console"),
]
