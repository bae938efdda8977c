from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from django.urls import path, re_path

from . import email_views, signals_email  # noqa: F401 — connects the anymail inbound receiver

urlpatterns = [
    path("", email_views.raw_inbound, name="hook-email"),
    path("raw/", email_views.raw_inbound, name="hook-email-raw"),
    path(
        "anymail/postmark/inbound/",
        email_views.anymail_inbound(PostmarkInboundWebhookView),
        name="hook-email-postmark",
    ),
    # Mailgun signs its posts; basic auth is checked as well when WEBHOOK_SECRET is set.
    # A route URL containing "mime" makes Mailgun post the raw message (body-mime).
    re_path(
        r"^anymail/mailgun/inbound(?:_mime)?/$",
        email_views.anymail_inbound(MailgunInboundWebhookView, esp_secret="webhook_signing_key"),
        name="hook-email-mailgun",
    ),
]
