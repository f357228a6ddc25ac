"""`seed_profiles --reset` refuses to replace what admins have edited unless told to (--force),
and a reset keeps each platform's id, so its History page goes on, admins' edits included."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from platforms.models import Platform
from tests.platforms.admin_forms import form_data

pytestmark = pytest.mark.django_db


def edit_in_admin(client, platform, summary):
    url = reverse("admin:platforms_platform_change", args=[platform.pk])
    data = form_data(client.get(url))
    data["summary"] = summary
    assert client.post(url, data).status_code == 302


def test_reset_refuses_where_an_admin_has_edited(seeded, staff_client):
    bitmex = Platform.objects.get(slug="bitmex")
    edit_in_admin(staff_client, bitmex, "Re-checked by an admin against the new terms.")
    with pytest.raises(CommandError, match="admins have edited since they were seeded: bitmex"):
        call_command("seed_profiles", "--reset")
    assert Platform.objects.get(slug="bitmex").summary.startswith("Re-checked by an admin")


def test_reset_force_replaces_and_keeps_the_history(seeded, staff_client):
    bitmex = Platform.objects.get(slug="bitmex")
    edit_in_admin(staff_client, bitmex, "Re-checked by an admin against the new terms.")
    call_command("seed_profiles", "--reset", "--force", verbosity=0)
    replaced = Platform.objects.get(slug="bitmex")
    assert not replaced.summary.startswith("Re-checked by an admin")
    assert replaced.pk == bitmex.pk  # same id: the same History page
    history = Platform.history.filter(id=bitmex.pk)
    assert history.filter(summary__startswith="Re-checked by an admin").exists()
    page = staff_client.get(reverse("admin:platforms_platform_history", args=[bitmex.pk]))
    assert "Re-checked by an admin" in page.content.decode()  # the admin's edit, kept
    assert history.filter(history_user=staff_client.user).exists()
    # the replaced children's deletions and the new rows are on it too
    assert page.content.decode().count("Deleted") > 0
    # once reset, the admin's old edit no longer blocks a plain reset
    call_command("seed_profiles", "--reset", verbosity=0)


def test_reset_without_admin_edits_still_works(seeded):
    call_command("seed_profiles", "--reset", verbosity=0)


def test_force_needs_reset(seeded):
    with pytest.raises(CommandError, match="--force only makes sense with --reset"):
        call_command("seed_profiles", "--force")
