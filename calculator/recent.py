"""Results partials (and the chart tables a redraw leaves out) rendered recently by this process, for redraws that ask again.

A visitor dragging the gap slider back, or retyping a digit, asks for HTML rendered moments
ago. Keeping the last few hundred partials in memory answers those for the price of a dict
lookup. The key holds the policy-data version, so an edit in the admin retires them all at
once, in every process. Memory, not the shared cache: on one machine the file cache lists its
whole directory on every write (more than computing the partial costs), and on Redis a
network round trip would buy little for entries that are rarely asked for twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.http import QueryDict

from platforms.profiles import profiles_version

MAX_ENTRIES = 512  # ~25 KB each: about 13 MB per process at most

# The policy-data version, what was rendered (the results, one chart's table) and the query's
# non-empty (name, value) pairs, sorted.
Key = tuple[str, str, tuple[tuple[str, str], ...]]

_entries: OrderedDict[Key, bytes] = OrderedDict()
_lock = threading.Lock()


def key_for(query: QueryDict, part: str = "results") -> Key:
    """Order-independent key of the query and the part rendered for it, tied to the current
    version of the policy data."""
    items = sorted((key, value) for key, values in query.lists() for value in values if value != "")
    return profiles_version(), part, tuple(items)


def get(key: Key) -> bytes | None:
    with _lock:
        body = _entries.get(key)
        if body is not None:
            _entries.move_to_end(key)
        return body


def put(key: Key, body: bytes) -> None:
    with _lock:
        _entries[key] = body
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
