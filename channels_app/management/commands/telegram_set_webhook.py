import re

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from channels_app.adapters.base import SendError
from channels_app.adapters.telegram import ALLOWED_UPDATES, TelegramAdapter

# Telegram accepts 1-256 characters A-Z, a-z, 0-9, "_" and "-" as a secret token.
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def masked(secret: str) -> str:
    """Enough of a secret to recognise it, never enough to use it."""
    if len(secret) < 16:
        return "*" * 8
    return f"{secret[:3]}…{secret[-2:]} ({len(secret)} characters)"


class Command(BaseCommand):
    help = (
        "Point the Telegram bot's webhook at <base url>/hooks/telegram/, signed with "
        "TELEGRAM_WEBHOOK_SECRET, for messages and edited messages."
    )

    def add_arguments(self, parser):
        parser.add_argument("base_url", help="the public HTTPS address, e.g. https://crm.example")
        parser.add_argument(
            "--drop-pending-updates",
            action="store_true",
            help="discard updates Telegram queued while no webhook answered",
        )

    def handle(self, *args, base_url, drop_pending_updates, **options):
        if not settings.TELEGRAM_BOT_TOKEN:
            raise CommandError("TELEGRAM_BOT_TOKEN is not set (BotFather gives it).")
        secret = settings.TELEGRAM_WEBHOOK_SECRET
        if not SECRET_TOKEN.match(secret):
            raise CommandError(
                "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -, "
                'e.g. python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        if not base_url.startswith("https://"):
            raise CommandError("Telegram delivers webhooks to HTTPS addresses only.")
        url = f"{base_url.rstrip('/')}/hooks/telegram/"
        adapter = TelegramAdapter()
        try:
            adapter.webhook_set(url=url, drop_pending_updates=drop_pending_updates)
            info = adapter.webhook_info() or {}
        except SendError as error:
            raise CommandError(f"Telegram refused the webhook: {error.reason}") from None
        self.stdout.write(self.style.SUCCESS(f"Webhook set: {info.get('url') or url}"))
        self.stdout.write(f"  secret token: {masked(secret)}")
        self.stdout.write(f"  updates: {', '.join(info.get('allowed_updates') or ALLOWED_UPDATES)}")
        self.stdout.write(f"  pending updates: {info.get('pending_update_count', 0)}")
        if info.get("last_error_message"):
            self.stdout.write(
                self.style.WARNING(f"  last delivery error: {info['last_error_message']}")
            )
