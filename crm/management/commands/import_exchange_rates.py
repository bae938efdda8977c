from django.core.management.base import BaseCommand, CommandError

from crm.services.rates import exchange_rates_import_csv


class Command(BaseCommand):
    help = "Import exchange rates from a CSV file with the header date,from,to,rate (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file, e.g. rates.csv")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                result = exchange_rates_import_csv(stream)
        except OSError as error:
            raise CommandError(str(error)) from error
        if result.errors:
            raise CommandError("\n".join(result.errors))
        self.stdout.write(self.style.SUCCESS(f"Imported {result.imported} exchange rates."))
