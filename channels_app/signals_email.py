"""The receiver for django-anymail's inbound signal: an email an ESP delivered to its
inbound webhook is read like a raw one and stored like any other inbound message.
Connected when `channels_app.email_urls` is imported (the URLconf loads it before any
webhook request), or from `ChannelsAppConfig.ready()`."""

import logging

from anymail.signals import inbound
from django.core.exceptions import BadRequest
from django.dispatch import receiver

from .adapters.email import inbound_from_email
from .services.messaging import inbound_store

logger = logging.getLogger(__name__)


@receiver(inbound, dispatch_uid="channels_app.email_inbound_received")
def email_inbound_received(sender, event, esp_name, **kwargs) -> None:
    message = event.message
    if getattr(message, "spam_detected", None):
        logger.info("email via %s ignored: the ESP marked it as spam", esp_name)
        return
    try:
        inbound_message = inbound_from_email(
            message,
            recipient=getattr(message, "envelope_recipient", None) or "",
            fallback_id=f"{esp_name.lower()}:{event.event_id}" if event.event_id else "",
            esp_name=esp_name,
            esp_event=event.esp_event,
        )
    except ValueError as error:
        raise BadRequest(str(error)) from error
    if inbound_message is not None:
        inbound_store(channel="email", inbound=inbound_message)
