"""Email in. A raw RFC 822 message POSTed to /hooks/email/raw/ with the shared secret
(an MTA pipe, an IMAP fetcher) goes through the generic webhook path with the email
adapter. An ESP's inbound webhook goes through django-anymail's own view, which checks
the ESP's authentication and hands the parsed email to `signals_email`."""

import logging

from anymail.exceptions import AnymailConfigurationError
from anymail.utils import get_anymail_setting
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .views import webhook_handle

logger = logging.getLogger(__name__)


@csrf_exempt
def raw_inbound(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse("POST the raw message", status=405, content_type="text/plain")
    return webhook_handle(request, "email")


def _anymail_setting(name: str, esp_name: str | None = None):
    try:
        return get_anymail_setting(name, esp_name=esp_name, default=None, allow_bare=True)
    except (AnymailConfigurationError, ImproperlyConfigured):
        return None


def anymail_inbound(view_class, *, esp_secret: str = ""):
    """An anymail inbound view that refuses every request while its authentication is
    not configured: the basic-auth WEBHOOK_SECRET, and the ESP's own signing key when
    it has one (`esp_secret`). Anymail itself would only warn and accept anyone."""
    view = view_class.as_view()
    esp_name = view_class.esp_name

    @csrf_exempt
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        configured = (
            _anymail_setting(esp_secret, esp_name)
            if esp_secret
            else _anymail_setting("webhook_secret")
        )
        if not configured:
            logger.warning("%s inbound webhook refused: not configured", esp_name)
            return HttpResponse(
                "Email inbound webhook is not configured", status=403, content_type="text/plain"
            )
        try:
            return view(request, *args, **kwargs)
        except (ValueError, KeyError, TypeError) as error:  # a payload anymail cannot read
            logger.warning("%s inbound webhook: unreadable payload: %s", esp_name, error)
            return HttpResponse("Unreadable body", status=400, content_type="text/plain")

    return guarded
