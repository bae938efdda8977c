"""Rebuild the understanding layer's stored data: the intent model (from
assistant/training/) and the country names extracted from CLDR."""

from django.core.management.base import BaseCommand

from assistant.training.build import build, build_country_names, held_out_accuracy
from assistant.understanding.classifier import MODEL_PATH, reset


class Command(BaseCommand):
    help = "Fit the intent classifier from our own training examples and store it (needs scikit-learn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="also report accuracy on a held-back fifth"
        )

    def handle(self, *args, **options):
        stats = build(MODEL_PATH)
        reset()
        self.stdout.write(
            f"{MODEL_PATH.name}: {stats['examples']} examples, {stats['features']} features "
            f"(of {stats['features_before_pruning']}), {stats['bytes'] / 1024:.0f} KiB"
        )
        size = build_country_names()
        self.stdout.write(f"country_names.json: {size / 1024:.0f} KiB")
        if options["check"]:
            self.stdout.write(f"held-back accuracy: {held_out_accuracy():.3f}")
