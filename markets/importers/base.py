"""What an importer reads from a platform, before anything touches the database.

An importer knows one platform's endpoints and how to read their answers into MarketReadings;
markets/services.py validates readings and writes them. Parsing is pure (JSON in, readings out),
so tests replay recorded responses through the same code that reads live ones.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings

RECORDINGS_DIR = Path(__file__).resolve().parent.parent / "recordings"


class ImportUnavailable(Exception):
    """The import cannot run (switched off, no network, the platform refused): nothing changed."""


@dataclass(frozen=True)
class Read:
    """Where a group of values came from, and when it was read."""

    source: str
    read_at: dt.datetime | None


@dataclass(frozen=True)
class TierRow:
    notional_floor: Decimal
    notional_cap: Decimal | None
    max_leverage: Decimal
    maintenance_margin_rate: Decimal
    maintenance_amount: Decimal = Decimal(0)


@dataclass
class MarketReading:
    """One market as a platform describes it; a group left out was not read (keep what we have)."""

    product_line: str
    symbol: str
    values: dict[str, Any] = field(default_factory=dict)
    tiers: tuple[TierRow, ...] | None = None
    mark_price: Decimal | None = None
    funding_rate: Decimal | None = None
    read: dict[str, Read] = field(default_factory=dict)  # "instrument", "tiers", "fees", "quote"
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Recording:
    """A real response recorded by someone else and shipped in a package we can cite."""

    file: str  # under markets/recordings/
    endpoint: str  # what the platform was asked
    package: str
    version: str
    path: str  # the file's path inside the package
    licence: str
    recorded_at: dt.datetime | None  # the response's own time, else the file's date; None: unknown
    note: str = ""

    @property
    def citation(self) -> str:
        when = f"as of {self.recorded_at:%Y-%m-%d}" if self.recorded_at else "of unknown date"
        return f"snapshot of {self.endpoint} {when}, recorded in {self.package} {self.version} ({self.path})"

    def load(self) -> Any:
        return json.loads((RECORDINGS_DIR / self.file).read_text())


@dataclass(frozen=True)
class Endpoint:
    """A public request a live import makes."""

    name: str
    url: str
    params: dict[str, str] = field(default_factory=dict)
    body: dict[str, str] | None = None  # sent as JSON in a POST (Hyperliquid's info endpoint)

    def __str__(self) -> str:
        if self.body is not None:
            return f"POST {self.url} {json.dumps(self.body)}"
        query = "&".join(f"{k}={v}" for k, v in self.params.items())
        return f"GET {self.url}" + (f"?{query}" if query else "")


class Importer:
    platform_slug: str = ""
    endpoints: tuple[Endpoint, ...] = ()
    recordings: dict[str, Recording] = {}  # keyed like the endpoints
    # Why a live import is not offered, where it is not (e.g. the data needs an API key).
    live_unavailable: str = ""

    def parse(self, answers: dict[str, Any], reads: dict[str, Read]) -> list[MarketReading]:
        raise NotImplementedError

    # --- Reading --------------------------------------------------------------------------
    def from_recordings(self) -> tuple[list[MarketReading], list[str]]:
        answers = {name: rec.load() for name, rec in self.recordings.items()}
        reads = {name: Read(rec.citation, rec.recorded_at) for name, rec in self.recordings.items()}
        return self.parse(answers, reads), [rec.citation for rec in self.recordings.values()]

    def from_platform(
        self, client: httpx.Client | None = None
    ) -> tuple[list[MarketReading], list[str]]:
        if not settings.MARKET_IMPORT_ENABLED:
            raise ImportUnavailable(
                "Live import is switched off (MARKET_IMPORT_ENABLED is not set): nothing was "
                "read and nothing changed. Use --from-recording for the shipped snapshot."
            )
        if self.live_unavailable:
            raise ImportUnavailable(self.live_unavailable)
        answers: dict[str, Any] = {}
        reads: dict[str, Read] = {}
        own_client = client is None
        client = client or httpx.Client(
            timeout=httpx.Timeout(settings.MARKET_IMPORT_TIMEOUT_SECONDS),
            transport=httpx.HTTPTransport(retries=2),  # retries failed connections
            headers={"User-Agent": "underwater-market-import"},
        )
        try:
            for endpoint in self.endpoints:
                answers[endpoint.name] = get_json(client, endpoint)
                reads[endpoint.name] = Read(str(endpoint), dt.datetime.now(dt.UTC))
        finally:
            if own_client:
                client.close()
        return self.parse(answers, reads), [read.source for read in reads.values()]


RETRY_STATUSES = {429, 500, 502, 503, 504}


def get_json(client: httpx.Client, endpoint: Endpoint, *, attempts: int = 3) -> Any:
    """Ask an endpoint, retrying busy or failing answers with a short back-off."""
    for attempt in range(1, attempts + 1):
        try:
            if endpoint.body is not None:
                response = client.post(endpoint.url, json=endpoint.body)
            else:
                response = client.get(endpoint.url, params=endpoint.params)
        except httpx.TransportError as error:
            if attempt == attempts:
                raise ImportUnavailable(
                    f"Cannot reach {endpoint.url} ({type(error).__name__}: {error}): nothing changed."
                ) from error
        else:
            if response.status_code not in RETRY_STATUSES or attempt == attempts:
                if response.status_code != 200:
                    raise ImportUnavailable(
                        f"{endpoint.url} answered {response.status_code}: nothing changed."
                    )
                try:
                    return response.json()
                except ValueError as error:
                    raise ImportUnavailable(f"{endpoint.url} did not answer JSON.") from error
        time.sleep(settings.MARKET_IMPORT_RETRY_SECONDS * attempt)
    raise AssertionError("unreachable")


def decimal(value: Any) -> Decimal | None:
    """A platform's number (often a string) as a Decimal; None for '', None or nonsense."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def from_millis(value: Any) -> dt.datetime | None:
    number = decimal(value)
    if number is None:
        return None
    return dt.datetime.fromtimestamp(int(number) / 1000, tz=dt.UTC)


NAUTILUS_LICENCE = "LGPL-3.0-or-later (nautilus_trader); data excerpt with attribution"


def nautilus_fixture(
    *,
    file: str,
    endpoint: str,
    adapter: str,
    fixture: str,
    recorded_at: dt.datetime | None,
    note: str,
    version: str = "1.221.0",
) -> Recording:
    """A test fixture of one of nautilus_trader's adapters
    (crates/adapters/<adapter>/test_data/<fixture>, LGPL-3.0-or-later)."""
    return Recording(
        file=file,
        endpoint=endpoint,
        package="nautilus_trader",
        version=version,
        path=f"crates/adapters/{adapter}/test_data/{fixture}",
        licence=NAUTILUS_LICENCE,
        recorded_at=recorded_at,
        note=note,
    )


def cryptofeed_sample(
    *, file: str, endpoint: str, sample: str, recorded_at: dt.datetime | None, note: str
) -> Recording:
    """Answers cryptofeed recorded from a platform's live API for its playback tests
    (sample_data/<sample> in its repository, XFree86 1.1): one line a request, its time, the body."""
    return Recording(
        file=file,
        endpoint=endpoint,
        package="cryptofeed (GitHub)",
        version="commit ce58c2a",
        path=f"sample_data/{sample}",
        licence="XFree86 1.1 (cryptofeed); data excerpt with attribution",
        recorded_at=recorded_at,
        note=note,
    )


def gocryptotrader_mock(
    *, file: str, endpoint: str, commit: str, path: str, recorded_at: dt.datetime, note: str
) -> Recording:
    """An answer gocryptotrader recorded from a platform's live API for its mock tests (MIT)."""
    return Recording(
        file=file,
        endpoint=endpoint,
        package="gocryptotrader (GitHub)",
        version=f"commit {commit}",
        path=path,
        licence="MIT (gocryptotrader); data excerpt with attribution",
        recorded_at=recorded_at,
        note=note,
    )


def ccxt_static_markets(
    *,
    file: str,
    endpoint: str,
    commit: str,
    exchange: str,
    note: str = "ccxt's static test markets: each market's 'info' is the platform's own row; no "
    "time stated.",
    recorded_at: dt.datetime | None = None,
) -> Recording:
    """ccxt's recorded static markets of one exchange (ts/src/test/static/markets/<exchange>.json
    in ccxt's repository, MIT): real answers, kept without the time they were read unless the
    rows carry their own (recorded_at)."""
    return Recording(
        file=file,
        endpoint=endpoint,
        package="ccxt (GitHub)",
        version=f"commit {commit}",
        path=f"ts/src/test/static/markets/{exchange}.json",
        licence="MIT (ccxt); data excerpt with attribution",
        recorded_at=recorded_at,
        note=note,
    )


def ccxt_market_infos(answer: Any) -> list[dict[str, Any]] | None:
    """The platform's own rows inside ccxt's recorded static markets ({symbol: {"info": row}}),
    or None when the answer is not in that shape."""
    if (
        isinstance(answer, dict)
        and answer
        and all(isinstance(m, dict) and "info" in m for m in answer.values())
    ):
        return [m["info"] for m in answer.values()]
    return None


@dataclass(frozen=True)
class ListAnswer:
    """How a platform answers with its list of contracts: the key that holds the rows, the status
    field and the values of it that mean success, and the field that explains a refusal."""

    platform: str
    key: str
    status: str
    accepted: tuple[Any, ...]
    message: str
    noun: str = "contracts"

    def rows(self, answer: Any) -> list[dict[str, Any]]:
        """The rows of a live answer once its status is accepted, or the platform's rows in ccxt's
        recorded static markets. A refusal or any other shape raises: a failed answer is never
        read as an empty list."""
        if isinstance(answer, dict) and self.key in answer:
            if answer.get(self.status) not in self.accepted:
                raise ValueError(
                    f"{self.platform} answered {self.status} {answer.get(self.status)!r}: "
                    f"{answer.get(self.message)}"
                )
            return list(answer[self.key])
        infos = ccxt_market_infos(answer)
        if infos is not None:
            return infos
        raise ValueError(f"{self.platform} answered no {self.noun}: {answer!r:.200}")


def add_unseen(readings: list[MarketReading], older: list[MarketReading]) -> None:
    """Add an older recording's markets, only those the newer readings do not describe."""
    seen = {reading.symbol for reading in readings}
    readings.extend(reading for reading in older if reading.symbol not in seen)


def leverage_from_margin(initial: Decimal | None) -> Decimal | None:
    """The maximum leverage an initial margin rate allows (1 / rate, to the cent)."""
    return (Decimal(1) / initial).quantize(Decimal("0.01")) if initial else None


def one_tier(
    max_leverage: Decimal, maintenance: Decimal, *, cap: Decimal | None = None
) -> tuple[TierRow]:
    """A table of one row: one maintenance rate for the whole position, up to cap (or any size)."""
    return (
        TierRow(
            notional_floor=Decimal(0),
            notional_cap=cap,
            max_leverage=max_leverage,
            maintenance_margin_rate=maintenance,
        ),
    )
