"""A fake Telegram Bot API (sendMessage, setWebhook, getWebhookInfo) and Telegram's side
of the webhook: Update fixtures posted with the secret token header."""

import itertools
import json
from contextlib import contextmanager
from pathlib import Path

from channels_app.adapters import reset_adapters

from . import Answer, FakeProvider, Recorded

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "telegram"
BOT_TOKEN = "123456789:AAH-bot-token-for-tests"
WEBHOOK_SECRET = "telegram-webhook-secret-for-tests_0123456789"
ADAPTER = "channels_app.adapters.telegram.TelegramAdapter"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Brightway", "username": "brightway_bot"}


class TelegramFake(FakeProvider):
    """POST /bot<token>/<method> with a JSON body, answered {"ok": true, "result": …}."""

    def __init__(self):
        super().__init__()
        self._ids = itertools.count(101)
        self.webhook: dict = {}

    def succeed(self, request: Recorded) -> Answer:
        prefix = f"/bot{BOT_TOKEN}/"
        if not request.path.startswith(prefix):
            return self.error(401, "Unauthorized")
        method, body = request.path.removeprefix(prefix), request.body or {}
        if method == "sendMessage":
            if not str(body.get("text", "")).strip():
                return self.error(400, "Bad Request: message text is empty")
            chat = {"id": body.get("chat_id"), "type": "private"}
            result = {
                "message_id": next(self._ids),
                "from": BOT,
                "chat": chat,
                "date": 1767225600,
                "text": body.get("text"),
            }
            return Answer(200, {"ok": True, "result": result})
        if method == "setWebhook":
            self.webhook = body
            return Answer(200, {"ok": True, "result": True, "description": "Webhook was set"})
        if method == "getWebhookInfo":
            info = {
                "url": self.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": 0,
                "allowed_updates": self.webhook.get("allowed_updates", []),
            }
            return Answer(200, {"ok": True, "result": info})
        return self.error(404, "Not Found")

    @staticmethod
    def error(code: int, description: str, retry_after: int | None = None) -> Answer:
        """An error in the Bot API's shape: {"ok": false, "error_code", "description"}."""
        body = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return Answer(code, body)

    def delivered(self) -> list[dict]:
        """The bodies of the messages Telegram accepted."""
        return [r.body for r in self.answered(200) if r.path.endswith("/sendMessage")]


@contextmanager
def telegram_api(settings):
    """The Telegram adapter configured and pointed at a fake Bot API on loopback."""
    settings.CHANNEL_ADAPTERS = {**settings.CHANNEL_ADAPTERS, "telegram": ADAPTER}
    settings.TELEGRAM_BOT_TOKEN = BOT_TOKEN
    settings.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET
    reset_adapters()
    with TelegramFake() as fake:
        settings.TELEGRAM_API_BASE = fake.url
        try:
            yield fake
        finally:
            reset_adapters()


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / f"{name}.json").read_bytes()


def fixture(name: str) -> dict:
    return json.loads(fixture_bytes(name))


def deliver(client, update: dict | bytes, *, secret: str | None = WEBHOOK_SECRET):
    """POST an Update to /hooks/telegram/ as Telegram does, with the secret token header."""
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return client.post(
        "/hooks/telegram/", data=body, content_type="application/json", headers=headers
    )
