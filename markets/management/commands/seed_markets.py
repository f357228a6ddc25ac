from django.core.management import call_command
from django.core.management.base import BaseCommand

from markets.importers import IMPORTERS
from platforms.models import Platform


class Command(BaseCommand):
    help = (
        "Load the markets snapshot shipped in markets/recordings (dated recordings, never live) "
        "for every seeded platform that has an importer. Re-running it changes nothing new, and "
        "it keeps every field an admin has pinned."
    )

    def handle(self, *args, **options) -> None:
        seeded = Platform.objects.filter(slug__in=IMPORTERS).values_list("slug", flat=True)
        for slug in sorted(seeded):
            call_command(
                "import_markets",
                platform=slug,
                from_recording=True,
                stdout=self.stdout,
                stderr=self.stderr,
            )
