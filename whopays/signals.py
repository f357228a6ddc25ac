"""Writes to ADL rules, funds and residence rules (or their citations) start a new profiles
snapshot, because the calculator reads them through `platforms.profiles.derived`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from platforms.models import Citation
from platforms.signals import policy_data_changed


@receiver(post_save)
@receiver(post_delete)
def on_who_pays_write(sender, instance=None, **kwargs) -> None:
    from whopays.models import WHO_PAYS_MODELS

    if sender in WHO_PAYS_MODELS or (
        sender is Citation and instance is not None and instance.content_type.app_label == "whopays"
    ):
        policy_data_changed()
