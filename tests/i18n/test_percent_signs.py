"""A help text with a percent sign reads "50%" in every language: a `_("…")` argument of a
template tag shows its % doubled in English and misses its translation (Django doubles the
sign before the lookup), so such texts are `{% translate … as name %}`."""

import pytest

pytestmark = pytest.mark.django_db

HELP = {
    "": [
        "0.5 = 50% against you.",
        "0.005 = 0.5%. Replaces",
        "0.0005 = 0.05%, on open",
        "0.1 = 10%.",
    ],
    "/ru": [
        "0.5 = 50% против вас.",
        "0.005 = 0.5%. Заменяет",
        "0.0005 = 0.05%, при",
        "В год: 0.1 = 10%.",
    ],
    "/tr": ["aleyhinize %50.", "0.005 = %0,5.", "0.0005 = %0,05,", "Yıllık: 0.1 = %10."],
}


@pytest.mark.parametrize("prefix", HELP)
def test_percent_help_texts_read_once_and_in_the_language(client, prefix):
    page = client.get(f"{prefix}/").content.decode()
    assert "%%" not in page
    for text in HELP[prefix]:
        assert text in page, text
