"""Time the stress simulation: 100,000 paths read for one platform, as /api/v1/simulate does.

Run: .venv/bin/python scripts/bench_stress.py [--paths 100000] [--repeat 15]
Prints the median and best wall time of: drawing the paths (two threads), reading them for one
platform (liquidation watch, fills, the engine's outcome table, results).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal as D
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import Contract, Position, Rules, Side
from incidents.exposure import exposure_for
from incidents.simulate import Market, simulate_paths, stress

# $1,000 at 10x long from $50,000, 0.4% maintenance, 0.5% liquidation fee (the calculator's
# first-visit example on Binance-like numbers)
POSITION = Position(
    contract=Contract.LINEAR,
    side=Side.LONG,
    entry_price=D(50000),
    margin=D(1000),
    leverage=D(10),
)
RULES = Rules(maintenance_margin_rate=D("0.004"), liquidation_fee=D("0.005"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paths", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=Market().steps)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    market = Market(paths=args.paths, steps=args.steps)
    exposure = exposure_for("example", POSITION, RULES)
    stress(simulate_paths(market), exposure)  # warm up
    draw, read, total = [], [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        paths = simulate_paths(market)
        middle = time.perf_counter()
        result = stress(paths, exposure)
        end = time.perf_counter()
        draw.append(middle - start)
        read.append(end - middle)
        total.append(end - start)
    ms = 1000
    print(
        f"{args.paths:,} paths × {market.steps} steps, {os.cpu_count()} cores, "
        f"{args.repeat} runs: total median {statistics.median(total) * ms:.1f} ms, "
        f"best {min(total) * ms:.1f} ms (draw paths {statistics.median(draw) * ms:.1f} ms, "
        f"read for one platform {statistics.median(read) * ms:.1f} ms); "
        f"chance of liquidation {result.chance_liquidation:.4f}"
    )


if __name__ == "__main__":
    main()
