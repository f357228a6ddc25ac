from django.core.management.base import BaseCommand, CommandError

from incidents.seed.loader import load_incidents
from platforms.seed.loader import SeedError


class Command(BaseCommand):
    help = (
        "Load the incidents in incidents/seed: new ones, and the price path and engine stalls "
        "of existing ones that have none (nothing else of an existing incident changes)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace seeded incidents that already exist (discards admin edits to them).",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        try:
            report = load_incidents(reset=reset)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Seeded {len(report.created)} incident(s); {len(report.completed)} already present "
            f"given the price path or engine stalls they lacked; {len(report.skipped)} unchanged."
        )
