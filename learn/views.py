"""The Learn pages: plain answers to "can I lose more than I deposit?", with worked examples.

A view works out the page's examples through the calculator's form and engine, reads the
sources it cites from the Citation records, and renders the page's template (where the prose is).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from learn.examples import Given, Worked, work
from learn.sources import cite
from learn.topics import (
    CUSTOM_MMR,
    EXAMPLES,
    INDEX_EXAMPLES,
    LEVERAGE_LADDER,
    PROTECTION_PLATFORMS,
    SOURCES,
    TOPICS,
    protection_key,
)


def worked(keys: tuple[str, ...]) -> dict[str, Worked]:
    return {key: work(EXAMPLES[key]) for key in keys}


def _common() -> dict:
    return {
        "topics": TOPICS.values(),
        # The rule every example without a platform uses, as its links type it.
        "custom_mmr": Given("", "maintenance_margin_rate", CUSTOM_MMR),
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    examples = worked(INDEX_EXAMPLES)
    context = {**_common(), "ex": examples, "gap_rows": list(examples.values())}
    return render(request, "learn/index.html", context)


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    page = TOPICS.get(slug)
    if page is None:
        raise Http404("No such Learn page.")
    examples = worked(page.examples)
    context = {
        **_common(),
        "topic": page,
        "ex": examples,
        "has_custom_examples": any(w.ok and w.profile is None for w in examples.values()),
        "cites": cite(SOURCES, page.sources),
        "ladder": [
            examples[f"ladder_{lev}x"] for lev in LEVERAGE_LADDER if f"ladder_{lev}x" in examples
        ],
        "protection_rows": [
            examples[protection_key(slug)]
            for slug in PROTECTION_PLATFORMS
            if protection_key(slug) in examples
        ],
    }
    return render(request, f"learn/{page.slug}.html", context)
