"""A positions table pasted by the visitor, parsed into positions for a preview.

Two kinds of paste, both parsed here without any network or API key:

- **A table** (a page's positions table as the browser copies it, tab-separated, or a CSV or
  semicolon export) whose first line names the columns. Columns are recognised by their
  names (`HEADER_ALIASES`), and the visitor can map any column by hand in the preview.
- **The exchange's own positions JSON**, in the formats Binance (`GET /fapi/v2/positionRisk`),
  Bybit (`GET /v5/position/list`) and OKX (`GET /api/v5/account/positions`) document, and that
  nautilus_trader's adapters parse (readers/recordings/README.md cites the examples used).

Every problem names its line (or entry), so the visitor can correct the paste.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from readers.types import ReadPosition

MAX_CHARS = 50_000
MAX_ROWS = 50
# The preview's column choices, in the visitor's language when shown.
FIELDS = {
    "": pgettext_lazy("paste column", "ignore"),
    "symbol": pgettext_lazy("paste column", "symbol"),
    "side": pgettext_lazy("paste column", "side"),
    "quantity": pgettext_lazy("paste column", "size"),
    "entry_price": pgettext_lazy("paste column", "entry price"),
    "mark_price": pgettext_lazy("paste column", "mark price"),
    "margin_mode": pgettext_lazy("paste column", "margin mode"),
    "leverage": pgettext_lazy("paste column", "leverage"),
    "margin": pgettext_lazy("paste column", "margin (isolated)"),
}
# One whole sentence per field, so each language words it its own way.
NOT_A_NUMBER = {
    "quantity": gettext_noop("Line %(line)s: the size “%(text)s” is not a number."),
    "entry_price": gettext_noop("Line %(line)s: the entry price “%(text)s” is not a number."),
    "mark_price": gettext_noop("Line %(line)s: the mark price “%(text)s” is not a number."),
    "leverage": gettext_noop("Line %(line)s: the leverage “%(text)s” is not a number."),
    "margin": gettext_noop("Line %(line)s: the margin “%(text)s” is not a number."),
}
# Column names, lower-cased with units in brackets dropped, as tables commonly name them.
HEADER_ALIASES = {
    # Bybit's positions tab names its columns Contracts, Qty, Value, Entry Price, Mark Price,
    # Est. Liquidation Price… (Bybit Help Center, "How to navigate Bybit perpetual futures
    # contract trading page"); Binance's Symbol, Size, Entry Price, Mark Price, Liq. Price,
    # Margin Ratio, Margin, PNL (ROI %) are the names its help pages use for the same panel.
    "symbol": ("symbol", "contract", "contracts", "instrument", "market", "pair", "coin"),
    "side": ("side", "direction", "position side", "long/short"),
    "quantity": ("size", "qty", "quantity", "amount", "position", "position size", "pos"),
    "entry_price": (
        "entry price",
        "avg entry price",
        "avg. entry price",
        "entry",
        "open price",
        "avg price",
        "average price",
        "avg. price",
    ),
    "mark_price": ("mark price", "mark", "mark px"),
    "margin_mode": ("margin mode", "margin type", "mode"),
    "leverage": ("leverage", "lev", "lever"),
    "margin": ("margin", "isolated margin", "position margin"),
}
_NUMBER = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?|[-+−]?\.\d+")
# "Cross 10.00x", "Isolated 20x": the margin mode and leverage some tables print in the symbol
# cell (Bybit's Contracts column shows "the margin mode and leverage used for each position").
_LEVERAGE_IN_CELL = re.compile(r"(\d+(?:\.\d+)?)\s*[x×]\b", re.IGNORECASE)


@dataclass
class ParsedPaste:
    kind: str  # "table", "binance", "bybit", "okx"
    positions: list[ReadPosition] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # read, but worth checking
    headers: list[str] = field(default_factory=list)  # a table's column names
    mapping: list[str] = field(default_factory=list)  # the field each column fills ("" = none)

    @property
    def platform(self) -> str:
        return self.kind if self.kind in ("binance", "bybit", "okx") else ""


def _key(header: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\(.*?\)", "", header)).strip().lower()


def guess_mapping(headers: list[str]) -> list[str]:
    mapping = []
    taken: set[str] = set()
    for header in headers:
        name = next(
            (
                f
                for f, aliases in HEADER_ALIASES.items()
                if _key(header) in aliases and f not in taken
            ),
            "",
        )
        taken.add(name)
        mapping.append(name)
    return mapping


def number(text: str) -> Decimal | None:
    """The first number in a cell ("0.5 BTC", "98,000.5 USDT", "−3"), or None."""
    match = _NUMBER.search(text.replace("\u2212", "-"))
    if match is None:
        return None
    try:
        return Decimal(match.group().replace(",", "").replace("−", "-"))
    except InvalidOperation:
        return None


def _rows(text: str) -> list[tuple[int, list[str]]]:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if not lines:
        return []
    head = lines[0][1]
    if "\t" in head:
        delimiter = "\t"
    elif head.count(";") > head.count(","):
        delimiter = ";"
    elif "," in head:
        delimiter = ","
    else:
        return [(n, re.split(r"\s{2,}", line.strip())) for n, line in lines]
    reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)), delimiter=delimiter)
    return [
        (n, [cell.strip() for cell in cells]) for (n, _), cells in zip(lines, reader, strict=False)
    ]


def _side(text: str) -> str | None:
    word = text.strip().lower()
    if word in ("long", "buy", "l", "b"):
        return "long"
    if word in ("short", "sell", "s"):
        return "short"
    return None


def parse_table(text: str, mapping: list[str] | None = None) -> ParsedPaste:
    rows = _rows(text)
    parsed = ParsedPaste("table")
    if len(rows) < 2:
        parsed.errors.append(
            gettext("Paste the table with its header line and at least one position.")
        )
        return parsed
    (_, headers), body = rows[0], rows[1:]
    parsed.headers = headers
    parsed.mapping = (mapping or guess_mapping(headers))[: len(headers)]
    parsed.mapping += [""] * (len(headers) - len(parsed.mapping))
    if "quantity" not in parsed.mapping:
        parsed.errors.append(gettext("No column is the size: choose it below."))
    if "entry_price" not in parsed.mapping:
        parsed.errors.append(gettext("No column is the entry price: choose it below."))
    if parsed.errors:
        return parsed
    if len(body) > MAX_ROWS:
        parsed.errors.append(
            gettext("At most %(count)s positions: line %(line)s and after are left out.")
            % {"count": MAX_ROWS, "line": body[MAX_ROWS][0]}
        )
        body = body[:MAX_ROWS]
    for line, cells in body:
        values = {
            name: cells[i] for i, name in enumerate(parsed.mapping) if name and i < len(cells)
        }
        position = _table_position(line, values, parsed.errors)
        if position is not None:
            parsed.positions.append(position)
    if "side" not in parsed.mapping and parsed.positions:
        parsed.notices.append(
            gettext(
                "No column gives the side: a line with a positive size is read as long, a "
                "negative one as short. Some pages show the side by colour only (Bybit's Qty), "
                "which a copy loses: check each line's side."
            )
        )
    return parsed


def _table_position(line: int, values: dict[str, str], errors: list[str]) -> ReadPosition | None:
    numbers: dict[str, Decimal | None] = {}
    for name in ("quantity", "entry_price", "mark_price", "leverage", "margin"):
        text = values.get(name, "").strip()
        if not text or text in ("-", "--", "—"):
            numbers[name] = None
            continue
        numbers[name] = number(text)
        if numbers[name] is None:
            errors.append(gettext(NOT_A_NUMBER[name]) % {"line": line, "text": text[:30]})
            return None
    size, entry = numbers["quantity"], numbers["entry_price"]
    if not size:
        errors.append(gettext("Line %(line)s: no size (or a size of 0).") % {"line": line})
        return None
    if entry is None or entry <= 0:
        errors.append(gettext("Line %(line)s: no entry price above 0.") % {"line": line})
        return None
    side = _side(values["side"]) if values.get("side") else ("long" if size > 0 else "short")
    if side is None:
        errors.append(
            gettext("Line %(line)s: the side “%(side)s” is neither long nor short.")
            % {"line": line, "side": values["side"][:20]}
        )
        return None
    symbol_cell = values.get("symbol", "")
    mode_text = values.get("margin_mode", "").lower() or symbol_cell.lower()
    mode = "isolated" if "isol" in mode_text else "cross"
    if numbers["leverage"] is None and "leverage" not in values:
        in_cell = _LEVERAGE_IN_CELL.search(symbol_cell)
        numbers["leverage"] = Decimal(in_cell.group(1)) if in_cell else None
    if mode == "isolated" and numbers["margin"] is None and numbers["leverage"] is None:
        errors.append(
            gettext("Line %(line)s: an isolated position needs its margin or its leverage.")
            % {"line": line}
        )
        return None
    return ReadPosition(
        symbol=values.get("symbol", "").split()[0][:30] if values.get("symbol", "").strip() else "",
        side=side,
        quantity=abs(size),
        entry_price=entry,
        mark_price=numbers["mark_price"]
        if numbers["mark_price"] and numbers["mark_price"] > 0
        else None,
        margin_mode=mode,
        margin=numbers["margin"] if mode == "isolated" else None,
        leverage=numbers["leverage"],
    )


# --- the exchanges' positions JSON ------------------------------------------------------------


def _dec(row: dict[str, Any], key: str) -> Decimal | None:
    value = row.get(key)
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


def _json_kind(data: Any) -> tuple[str, list[Any]] | None:
    if isinstance(data, list) and all(isinstance(r, dict) and "positionAmt" in r for r in data):
        return "binance", data
    if isinstance(data, dict):
        result = data.get("result")
        if isinstance(result, dict) and isinstance(result.get("list"), list):
            return "bybit", result["list"]
        if isinstance(data.get("data"), list) and all(
            isinstance(r, dict) and "instId" in r for r in data["data"]
        ):
            return "okx", data["data"]
    return None


def _entry(kind: str, row: dict[str, Any]) -> tuple[ReadPosition | None, str]:
    """One exchange JSON row as a position, or why not."""
    if kind == "binance":
        amount, entry = _dec(row, "positionAmt"), _dec(row, "entryPrice")
        if not amount:
            return None, ""  # Binance lists every symbol, open or not
        side = {"LONG": "long", "SHORT": "short"}.get(
            row.get("positionSide", ""), "long" if amount > 0 else "short"
        )
        mode = "isolated" if str(row.get("marginType", "")).lower() == "isolated" else "cross"
        margin = _dec(row, "isolatedWallet") if mode == "isolated" else None
        return _made(
            row.get("symbol"),
            side,
            amount,
            entry,
            _dec(row, "markPrice"),
            mode,
            margin,
            _dec(row, "leverage"),
        )
    if kind == "bybit":
        size, entry = _dec(row, "size"), _dec(row, "avgPrice")
        if not size:
            return None, ""
        bybit_side = {"Buy": "long", "Sell": "short"}.get(row.get("side", ""))
        if bybit_side is None:
            return None, "side"
        side = bybit_side
        mode = "isolated" if row.get("tradeMode") == 1 else "cross"
        margin = _dec(row, "positionBalance") if mode == "isolated" else None
        return _made(
            row.get("symbol"),
            side,
            size,
            entry,
            _dec(row, "markPrice"),
            mode,
            margin,
            _dec(row, "leverage"),
        )
    pos, entry, mark = _dec(row, "pos"), _dec(row, "avgPx"), _dec(row, "markPx")
    if not pos:
        return None, ""
    side = {"long": "long", "short": "short"}.get(
        row.get("posSide", ""), "long" if pos > 0 else "short"
    )
    # OKX states `pos` in contracts; its USD notional over the mark is the size in coin
    notional = _dec(row, "notionalUsd")
    size = notional / mark if notional and mark else abs(pos)
    mode = "isolated" if row.get("mgnMode") == "isolated" else "cross"
    margin = _dec(row, "margin") if mode == "isolated" else None
    return _made(row.get("instId"), side, size, entry, mark, mode, margin, _dec(row, "lever"))


def _made(
    symbol: Any,
    side: str,
    size: Decimal,
    entry: Decimal | None,
    mark: Decimal | None,
    mode: str,
    margin: Decimal | None,
    leverage: Decimal | None,
) -> tuple[ReadPosition | None, str]:
    if entry is None or entry <= 0:
        return None, "entry"
    if mode == "isolated" and not (margin and margin > 0):
        margin = None
    return (
        ReadPosition(
            symbol=str(symbol or "")[:30],
            side=side,
            quantity=abs(size).normalize(),
            entry_price=entry,
            mark_price=mark if mark and mark > 0 else None,
            margin_mode=mode,
            margin=margin,
            leverage=leverage,
        ),
        "",
    )


def parse_json(text: str) -> ParsedPaste:
    try:
        data = json.loads(text)
    except ValueError as error:
        message = gettext("Line %(line)s: this is not valid JSON (%(reason)s).") % {
            "line": getattr(error, "lineno", 1),
            "reason": getattr(error, "msg", error),
        }
        return ParsedPaste("json", errors=[message])
    found = _json_kind(data)
    if found is None:
        return ParsedPaste(
            "json",
            errors=[gettext("This JSON is not a Binance, Bybit or OKX positions answer we know.")],
        )
    kind, rows = found
    parsed = ParsedPaste(kind)
    for index, row in enumerate(rows[: MAX_ROWS * 20], 1):
        position, problem = _entry(kind, row)
        if problem:
            where = {
                "index": index,
                "symbol": str(row.get("symbol") or row.get("instId") or "?")[:30],
                "side": str(row.get("side"))[:20],
            }
            message = (
                gettext(
                    "Entry %(index)s (%(symbol)s): the side “%(side)s” is neither Buy nor Sell."
                )
                if problem == "side"
                else gettext("Entry %(index)s (%(symbol)s): no entry price above 0.")
            )
            parsed.errors.append(message % where)
        elif position is not None:
            parsed.positions.append(position)
    if len(parsed.positions) > MAX_ROWS:
        parsed.errors.append(
            gettext("At most %(count)s positions: the rest are left out.") % {"count": MAX_ROWS}
        )
        parsed.positions = parsed.positions[:MAX_ROWS]
    return parsed


def parse(text: str, mapping: list[str] | None = None) -> ParsedPaste:
    """A paste of either kind; too long a paste is refused whole."""
    if len(text) > MAX_CHARS:
        message = gettext("The paste is longer than %(count)s characters.") % {
            "count": f"{MAX_CHARS:,}"
        }
        return ParsedPaste("table", errors=[message])
    if text.lstrip()[:1] in ("[", "{"):
        return parse_json(text)
    return parse_table(text, mapping)
