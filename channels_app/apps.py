from django.apps import AppConfig


class ChannelsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "channels_app"

    def ready(self):
        # Receives anymail's inbound signal (email from Postmark, Mailgun…).
        from . import signals_email  # noqa: F401
