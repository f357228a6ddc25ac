from django.core.management.base import BaseCommand, CommandError

from platforms.seed.loader import SeedError
from whopays.seed.loader import load_who_pays


class Command(BaseCommand):
    help = (
        "Load ADL rules, insurance funds, residence rules and platforms' residence terms "
        "(after seed_profiles: rows name platforms by slug)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Replace every who-pays row with the seed data."
        )

    def handle(self, *args, reset: bool = False, **options):
        try:
            report = load_who_pays(reset=reset)
        except SeedError as error:
            raise CommandError(str(error)) from error
        if options["verbosity"]:
            self.stdout.write(
                f"Who pays: created {len(report.created)}, left {len(report.skipped)} as they were."
            )
