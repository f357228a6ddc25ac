from django.core.management.base import BaseCommand, CommandError

from markets.importers.base import ImportUnavailable
from whopays import importers
from whopays.services import store


class Command(BaseCommand):
    help = (
        "Import insurance-fund balances (Binance, Bybit, OKX), ADL risk ratings (Binance) and "
        "ADL alerts (Bybit) from "
        "the platforms' public APIs (needs WHOPAYS_IMPORT_ENABLED), or replay the responses "
        "the platforms publish in their documentation (--from-recording)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-recording",
            action="store_true",
            help="Replay whopays/recordings/ (no network) instead of asking the platforms.",
        )

    def handle(self, *args, from_recording: bool = False, **options):
        try:
            balances, risks = (
                importers.from_recordings() if from_recording else importers.from_platforms()
            )
            alerts = (
                importers.alerts_from_recordings()
                if from_recording
                else importers.alerts_from_platforms()
            )
        except ImportUnavailable as error:
            raise CommandError(str(error)) from error
        report = store(balances, risks, alerts)
        if options["verbosity"]:
            for line in report.balances + report.ratings + report.alerts:
                self.stdout.write(line)
            for line in report.unmatched:
                self.stdout.write(self.style.WARNING(f"Not stored: {line}"))
            self.stdout.write(
                f"Who pays import: {len(report.balances)} balance(s), "
                f"{len(report.ratings)} rating(s), {len(report.alerts)} ADL alert(s), "
                f"{len(report.unmatched)} not matched."
            )
