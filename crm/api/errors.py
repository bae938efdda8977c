"""One error format for the whole API:

    {"error": {"code": "validation_error", "message": "…", "fields": {"country": ["…"]}}}

`fields` is present for validation errors only. Django's ValidationError raised by a
service becomes a 400 with the same shape as a serializer's.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for item in detail for message in _flatten(item)]
    return [str(detail)]


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: (_fields(value) if isinstance(value, dict) else _flatten(value))
            for key, value in detail.items()
        }
    return {"non_field_errors": _flatten(detail)}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        body = {
            "code": "validation_error",
            "message": _("Some fields are not valid: %(fields)s.")
            % {"fields": ", ".join(sorted(fields))},
            "fields": fields,
        }
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = detail.code if hasattr(detail, "code") else "error"
        body = {"code": code, "message": " ".join(_flatten(detail))}
    response.data = {"error": body}
    return response


def error_response(*, code: str, message: str, http_status: int = status.HTTP_400_BAD_REQUEST):
    return Response({"error": {"code": code, "message": message}}, status=http_status)
