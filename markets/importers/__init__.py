"""One importer per platform, by the platform's slug."""

from markets.importers.base import Importer, ImportUnavailable
from markets.importers.binance import BinanceImporter
from markets.importers.bingx import BingxImporter
from markets.importers.bitget import BitgetImporter
from markets.importers.bitmex import BitmexImporter
from markets.importers.bybit import BybitImporter
from markets.importers.deribit import DeribitImporter
from markets.importers.dydx import DydxImporter
from markets.importers.gate import GateImporter
from markets.importers.htx import HtxImporter
from markets.importers.hyperliquid import HyperliquidImporter
from markets.importers.kraken import KrakenImporter
from markets.importers.mexc import MexcImporter
from markets.importers.okx import OkxImporter

IMPORTERS: dict[str, type[Importer]] = {
    cls.platform_slug: cls
    for cls in (
        BinanceImporter,
        BingxImporter,
        BitgetImporter,
        BitmexImporter,
        BybitImporter,
        DeribitImporter,
        DydxImporter,
        GateImporter,
        HtxImporter,
        HyperliquidImporter,
        KrakenImporter,
        MexcImporter,
        OkxImporter,
    )
}

__all__ = ["IMPORTERS", "ImportUnavailable", "Importer"]
