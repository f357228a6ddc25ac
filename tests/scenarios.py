"""Scenarios several test modules ask about, written once."""

# 0.1 XBT at 20× long BitMEX's XBTUSD inverse perpetual from $30,000 (60,000 contracts of
# 1 USD), gapping 10% past liquidation: a deficit, in coin as BitMEX settles it.
BITMEX_INVERSE_GAP = {
    "platform": "bitmex",
    "contract": "inverse",
    "entry_price": "30000",
    "margin": "0.1",
    "leverage": "20",
    "gap": "0.1",
}

# The textbook case: $1,000 at 10× long Binance's linear perpetual from $50,000 (0.2 BTC),
# gapping 5% past liquidation.
BINANCE_TEXTBOOK = {
    "platform": "binance",
    "entry_price": "50000",
    "margin": "1000",
    "leverage": "10",
    "gap": "0.05",
}
