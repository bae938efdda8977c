from django.apps import AppConfig


class ChannelsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "channels_app"

    def ready(self):
        # Receives anymail's inbound signal (email from Postmark, Mailgun…).
        # Warms a django-q2 worker up when it starts.
        from . import (
            signals_email,  # noqa: F401
            worker,  # noqa: F401
        )
