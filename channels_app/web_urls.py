"""Website chat pages (the demo page); the websocket route is in config/websockets.py."""

from django.urls import path

from . import web_views

urlpatterns: list = [
    path("demo/", web_views.chat_demo, name="chat-demo"),
]
