from django.core.management.base import BaseCommand, CommandError

from platforms.seed.loader import SeedError, load_profiles


class Command(BaseCommand):
    help = (
        "Load the platform policy profiles in platforms/seed/profiles (new ones only by default)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace seeded platforms that already exist (discards admin edits to them).",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        try:
            report = load_profiles(reset=reset)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Seeded {len(report.created)} profile(s); {len(report.skipped)} already present."
        )
