"""The messages marked for translation in our code and templates, found without GNU gettext.

`make messages` extracts with Django's makemessages (xgettext). The tests need the same list on a
machine without gettext, to fail when a marked string has no translation: Python files are read
with Babel's Python extractor, and templates first go through Django's own `templatize`, which is
what makemessages feeds to xgettext.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from babel.messages.extract import extract_python
from django.utils.translation.template import templatize

KEYWORDS = {
    "gettext": None,
    "gettext_noop": None,
    "gettext_lazy": None,
    "_": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
# Where our own marked strings live: not the environment, tests, or generated files.
SKIP_PARTS = {".venv", "tests", "staticfiles", "var", "node_modules", "scripts", "migrations"}

MessageId = tuple[str | None, str]  # (context, msgid)


def _extract(source: bytes) -> Iterator[MessageId]:
    found = extract_python(io.BytesIO(source), KEYWORDS, [], {"encoding": "utf-8"})
    for _lineno, funcname, message, _comments in found:
        parts = [message] if isinstance(message, str) else list(message or ())
        if not parts or not all(isinstance(part, str) for part in parts[:2]):
            continue  # not a literal (a variable passed to gettext_noop, say)
        if str(funcname).startswith(("pgettext", "npgettext")):
            yield parts[0], parts[1]
        else:
            yield None, parts[0]


def marked_messages(base_dir: Path) -> set[MessageId]:
    """Every (context, msgid) marked in the project's Python files and templates."""
    found: set[MessageId] = set()
    for path in sorted(base_dir.rglob("*")):
        relative = path.relative_to(base_dir)
        if SKIP_PARTS.intersection(relative.parts) or not path.is_file():
            continue
        if path.suffix == ".py":
            found.update(_extract(path.read_bytes()))
        elif path.suffix in (".html", ".txt") and "templates" in relative.parts:
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            # xgettext reads this loosely; Python's tokenizer needs no indentation
            code = "\n".join(line.lstrip() for line in code.splitlines())
            found.update(_extract(code.encode("utf-8")))
    found.discard((None, ""))
    return found
