from django.core.management.base import BaseCommand, CommandError

from collateral.seed.loader import CollateralSeedError, load_schemes


class Command(BaseCommand):
    help = (
        "Load the collateral schemes in collateral/seed (new ones only; --reset replaces them). "
        "Run after seed_profiles: each scheme belongs to a seeded platform."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--reset", action="store_true", help="Replace existing schemes.")

    def handle(self, *args, reset: bool = False, **options) -> None:
        try:
            created, skipped = load_schemes(reset=reset)
        except CollateralSeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Seeded {created} collateral scheme(s); {skipped} already present.")
