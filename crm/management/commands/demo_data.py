from django.core.management.base import BaseCommand

from assistant.knowledge import knowledge_demo_load
from channels_app.canned_demo import canned_responses_demo_load
from crm.services.demo import demo_data_load


class Command(BaseCommand):
    help = (
        "Load the reference seller's catalog, customers, pipeline, demo users and the "
        "assistant's knowledge articles (idempotent)."
    )

    def handle(self, *args, **options):
        result = demo_data_load()
        articles = knowledge_demo_load()
        if articles:
            result.created["knowledge articles"] = articles
        canned = canned_responses_demo_load()
        if canned:
            result.created["canned responses"] = canned
        if result.created:
            summary = ", ".join(f"{count} {kind}" for kind, count in sorted(result.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        else:
            self.stdout.write("Demo data already up to date.")
