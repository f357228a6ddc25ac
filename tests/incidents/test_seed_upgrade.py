"""A database seeded before incidents had price paths and engine stalls gets them from
`seed_incidents` without `--reset`, and nothing an admin edited changes."""

import pytest
from django.core.management import call_command

from incidents.models import EngineStall, Incident, PricePoint

pytestmark = pytest.mark.django_db


def test_existing_incidents_get_the_path_and_stalls_they_lack_and_keep_admin_edits(seeded, capsys):
    call_command("seed_incidents", verbosity=0)
    points, stalls = PricePoint.objects.count(), EngineStall.objects.count()
    assert points > 0 and stalls > 0
    # as an older release left them: no paths, no stalls; and an admin's edit
    for point in PricePoint.objects.all():
        point.citations.all().delete()
    PricePoint.objects.all().delete()
    for stall in EngineStall.objects.all():
        stall.citations.all().delete()
    EngineStall.objects.all().delete()
    Incident.objects.filter(slug="binance-may-2020").update(what_happened="Edited by an admin.")
    capsys.readouterr()

    call_command("seed_incidents")

    out = capsys.readouterr().out
    with_paths = Incident.objects.filter(path__isnull=False).distinct().count()
    assert f"{with_paths} already present given the price path or engine stalls" in out
    assert PricePoint.objects.count() == points
    assert EngineStall.objects.count() == stalls
    assert all(point.citations.exists() for point in PricePoint.objects.all())
    edited = Incident.objects.get(slug="binance-may-2020")
    assert edited.what_happened == "Edited by an admin."

    # once complete, another run adds nothing
    call_command("seed_incidents")
    assert (
        f"0 already present given the price path or engine stalls they lacked; {Incident.objects.count()} unchanged."
        in capsys.readouterr().out
    )
    assert PricePoint.objects.count() == points
