"""A fake WhatsApp Cloud API (the /messages endpoint) and Meta's side of the webhook:
payload fixtures, signed with the app secret as Meta signs them."""

import copy
import hashlib
import hmac
import itertools
import json
from contextlib import contextmanager
from pathlib import Path

from channels_app.adapters import reset_adapters

from . import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "whatsapp"
APP_SECRET = "meta-app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
ACCESS_TOKEN = "EAAG-access-token-for-tests"
PHONE_NUMBER_ID = "106540352242922"
API_VERSION = "v21.0"
ADAPTER = "channels_app.adapters.whatsapp.WhatsAppAdapter"


class WhatsAppFake(FakeProvider):
    """POST /{version}/{phone number id}/messages with a bearer token, as Graph answers it."""

    def __init__(self):
        super().__init__()
        self._ids = itertools.count(1)

    def succeed(self, request: Recorded) -> Answer:
        if request.path != f"/{API_VERSION}/{PHONE_NUMBER_ID}/messages":
            return self.error(400, 100, "Unsupported post request.")
        if request.headers.get("authorization") != f"Bearer {ACCESS_TOKEN}":
            return self.error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        to = str((request.body or {}).get("to", ""))
        message = {"id": f"wamid.FAKE{next(self._ids):06d}"}
        if (request.body or {}).get("type") == "template":
            message["message_status"] = "accepted"
        return Answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [message],
            },
        )

    @staticmethod
    def error(
        status: int, code: int, message: str, details: str = "", headers: dict | None = None
    ) -> Answer:
        """An error in Graph's shape: {"error": {"message", "type", "code", "error_data"}}."""
        error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}
        if details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": details}
        return Answer(status, {"error": error}, headers=headers or {})

    def delivered(self) -> list[dict]:
        """The bodies of the messages WhatsApp accepted."""
        return [request.body for request in self.answered(200)]


@contextmanager
def whatsapp_api(settings):
    """The WhatsApp adapter configured and pointed at a fake Cloud API on loopback."""
    settings.CHANNEL_ADAPTERS = {**settings.CHANNEL_ADAPTERS, "whatsapp": ADAPTER}
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_ACCESS_TOKEN = ACCESS_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_VERSION = API_VERSION
    settings.WHATSAPP_TEMPLATE_NAME = ""
    reset_adapters()
    with WhatsAppFake() as fake:
        settings.WHATSAPP_API_BASE = fake.url
        try:
            yield fake
        finally:
            reset_adapters()


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def at(payload: dict, timestamp: int) -> dict:
    """The payload with every message sent at `timestamp` (unix seconds)."""
    payload = copy.deepcopy(payload)
    for entry in payload["entry"]:
        for change in entry["changes"]:
            for message in change["value"].get("messages", []):
                message["timestamp"] = str(timestamp)
    return payload


def signature(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(client, payload: dict | bytes, *, secret: str = APP_SECRET, headers=None):
    """POST a webhook to /hooks/whatsapp/ as Meta does: the raw body, signed."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    if headers is None:
        headers = {"X-Hub-Signature-256": signature(body, secret)}
    return client.post(
        "/hooks/whatsapp/", data=body, content_type="application/json", headers=headers
    )
