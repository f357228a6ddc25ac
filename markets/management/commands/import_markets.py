from django.core.management.base import BaseCommand, CommandError

from markets.importers import IMPORTERS, ImportUnavailable
from markets.services import run_import
from platforms.models import Platform


class Command(BaseCommand):
    help = (
        "Import each market's tiers, fees, leverage and funding from the platforms (live only "
        "when MARKET_IMPORT_ENABLED is set), or from the recordings shipped in markets/recordings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--platform", choices=sorted(IMPORTERS), help="One platform only.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change; write nothing."
        )
        parser.add_argument(
            "--from-recording",
            action="store_true",
            help="Read the dated recordings shipped with the code instead of the platforms.",
        )

    def handle(self, *args, platform=None, dry_run=False, from_recording=False, **options):
        slugs = [platform] if platform else sorted(IMPORTERS)
        present = set(Platform.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        failed = []
        for slug in slugs:
            if slug not in present:
                self.stderr.write(
                    f"{slug}: no such platform profile yet (run seed_profiles first)."
                )
                failed.append(slug)
                continue
            try:
                report = run_import(
                    IMPORTERS[slug](), from_recording=from_recording, dry_run=dry_run
                )
            except ImportUnavailable as error:
                self.stderr.write(f"{slug}: {error}")
                failed.append(slug)
                continue
            verbose = dry_run or options["verbosity"] > 1
            for change in report.changes:
                if verbose or change.action != "unchanged" or change.conflicts:
                    self.stdout.write("\n".join(change.lines()))
            self.stdout.write(report.summary())
        if failed:
            raise CommandError(f"Not imported: {', '.join(failed)}. Nothing changed for them.")
