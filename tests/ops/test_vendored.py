"""The browser libraries vendored in static/vendor/ (the pages load nothing from a CDN): each
with the version it was fetched at and its licence, as scripts/refresh_vendor.sh leaves them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
LIBRARIES = {"plotly": "plotly-basic.min.js", "idiomorph": "idiomorph-ext.min.js"}


@pytest.mark.parametrize(("name", "script"), LIBRARIES.items())
def test_each_vendored_library_has_its_file_version_and_licence(name, script):
    folder = VENDOR / name
    assert re.fullmatch(r"\d+\.\d+\.\d+\n?", (folder / "VERSION").read_text())
    assert "Permission" in (folder / "LICENSE").read_text()
    assert (folder / script).stat().st_size > 5_000


def test_nothing_else_is_vendored_unrecorded():
    assert sorted(path.name for path in VENDOR.iterdir()) == sorted(LIBRARIES)


def test_the_idiomorph_file_is_htmxs_morph_extension():
    folder = VENDOR / "idiomorph"
    assert 'defineExtension("morph"' in (folder / "idiomorph-ext.min.js").read_text()
