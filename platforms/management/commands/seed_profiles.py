import json

from django.core.management.base import BaseCommand, CommandError

from platforms.history import edited_by_people_since_seeded
from platforms.models import Platform
from platforms.seed.loader import SeedError, load_profiles, profile_files


class Command(BaseCommand):
    help = (
        "Load the platform policy profiles in platforms/seed/profiles (new ones only by default). "
        "--reset replaces seeded platforms, but refuses those an admin has edited since they were "
        "seeded unless --force is given too; back up first (README, Operations)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace seeded platforms that already exist with the seed files' version; "
            "refuses platforms an admin has edited (see --force). History is kept.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --reset: replace platforms even where admins have edited them "
            "(their edits stay in the platform's history, but leave the live data).",
        )

    def handle(self, *args, reset: bool = False, force: bool = False, **options) -> None:
        if force and not reset:
            raise CommandError("--force only makes sense with --reset.")
        if reset and not force:
            edited = self.edited_platforms()
            if edited:
                raise CommandError(
                    "Refusing to reset profiles that admins have edited since they were seeded: "
                    f"{', '.join(edited)}. Their edits would leave the live data (the history "
                    "keeps them). Back up first (manage.py dumpdata platforms > backup.json), "
                    "then run again with --reset --force to replace them anyway."
                )
        try:
            report = load_profiles(reset=reset)
        except SeedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Seeded {len(report.created)} profile(s); {len(report.skipped)} already present."
        )

    def edited_platforms(self) -> list[str]:
        slugs = [json.loads(path.read_text(encoding="utf-8"))["slug"] for path in profile_files()]
        return [
            platform.slug
            for platform in Platform.objects.filter(slug__in=slugs).order_by("slug")
            if edited_by_people_since_seeded(platform.pk)
        ]
