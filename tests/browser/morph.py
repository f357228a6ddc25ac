"""What a redraw that morphs its results keeps (#23): the same nodes where nothing changed, the
earlier drawings still in the page, and nothing that htmx cleaned up inside the results (it
fires two events on every node a swap removes). Shared by the calculator's, the account page's
and the widget's browser tests."""

from __future__ import annotations

from typing import Any

# Before the redraw: the nodes each selector matches, and a count of htmx's cleanups inside
# `within` from now on.
_NOTE = """([within, same, shown]) => {
  const all = selector => [...document.querySelectorAll(selector)];
  window.__morph = {cleaned: 0,
    same: Object.entries(same).map(([name, selector]) => [name, selector, all(selector)]),
    shown: Object.entries(shown).map(([name, selector]) => [name, all(selector)])};
  document.addEventListener('htmx:beforeCleanupElement', e => {
    if (e.target.closest && e.target.closest(within)) window.__morph.cleaned += 1;
  });
}"""

# After it: whether each `same` selector still matches the very same nodes, whether each
# `shown` node is still in the page, and the cleanups counted.
_KEPT = """() => {
  const noted = window.__morph;
  const kept = {cleaned: noted.cleaned};
  noted.same.forEach(([name, selector, nodes]) => {
    const now = [...document.querySelectorAll(selector)];
    kept[name] = nodes.length > 0 && nodes.length === now.length
      && nodes.every((node, i) => node === now[i]);
  });
  noted.shown.forEach(([name, nodes]) => {
    kept[name] = nodes.length > 0 && nodes.every(node => node.isConnected);
  });
  return kept;
}"""


def note_nodes(page: Any, within: str, same: dict[str, str], shown: dict[str, str]) -> None:
    """Before a redraw: note the nodes `same` and `shown` name (name -> CSS selector) and start
    counting htmx's cleanups inside the element `within` selects."""
    page.evaluate(_NOTE, [within, same, shown])


def nodes_kept(page: Any) -> dict[str, Any]:
    """After it: {name: kept} for every noted selector, and "cleaned": the cleanups counted."""
    result: dict[str, Any] = page.evaluate(_KEPT)
    return result
