from django.core.management.base import BaseCommand

from countyworks.regions.services import load_divisions


class Command(BaseCommand):
    help = "Load provinces, cities and counties from the GB/T 2260 list (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", default="", help="Only codes starting with this, e.g. 14 for Shanxi.")

    def handle(self, *args, prefix: str = "", **options):
        created = load_divisions(prefix)
        self.stdout.write(f"{created} regions created")
