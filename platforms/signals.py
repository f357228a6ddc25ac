"""Every write to policy data bumps the profiles version, so cached snapshots are re-read."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from platforms.models import AccountScope, MarginTier, Platform, ProductLine, WaterfallStep

POLICY_MODELS = (Platform, ProductLine, MarginTier, AccountScope, WaterfallStep)


def policy_data_changed() -> None:
    # Imported late: the calculator depends on platforms, not the other way round at import time.
    from platforms.profiles import bump_profiles_version

    bump_profiles_version()


@receiver(post_save)
@receiver(post_delete)
def on_policy_write(sender, **kwargs) -> None:
    if sender in POLICY_MODELS:
        policy_data_changed()
