"""Writes to ADL rules, funds and residence rules (or their citations) start a new profiles
snapshot, because the calculator reads them through `platforms.profiles.derived`. A deleted
record takes its citations with it (generic relations do not cascade), also when it goes
because its platform was deleted (`seed_profiles --reset`)."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from platforms.models import Citation
from platforms.signals import policy_data_changed


def _who_pays_models() -> tuple:
    from whopays.models import WHO_PAYS_MODELS

    return WHO_PAYS_MODELS


@receiver(post_save)
@receiver(post_delete)
def on_who_pays_write(sender, instance=None, **kwargs) -> None:
    if sender in _who_pays_models() or (
        sender is Citation and instance is not None and instance.content_type.app_label == "whopays"
    ):
        policy_data_changed()


@receiver(pre_delete)
def delete_citations_with_their_record(sender, instance=None, **kwargs) -> None:
    if sender in _who_pays_models() and instance is not None:
        instance.citations.all().delete()
