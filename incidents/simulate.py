"""The chance of owing money: Merton jump-diffusion price paths over a holding period.

Pure numpy, no Django. The price follows geometric Brownian motion with Poisson jumps
(Merton 1976): over a step dt the log price moves by

    (μ − σ²/2 − λκ)·dt + σ·√dt·Z + (sum of N jumps, each Normal(m, δ²)),  N ~ Poisson(λ·dt),

with κ = exp(m + δ²/2) − 1, so the drift μ is the expected growth of the price itself.

Each platform's liquidation and bankruptcy prices come from the engine (Decimal, once); the
paths are floats. How a path is read for one platform:

- **trigger**: the liquidation price is watched continuously. Between two grid points the
  diffusion is a Brownian bridge, so a step whose ends are both safe still touched the price
  with probability exp(−2·d₀·d₁ / (σ²·dt)) (d = distance in log price to the liquidation
  price); a uniform draw decides. With this the chance of liquidation is exact for the
  diffusion whatever the number of steps (tests check it against the closed form). Jumps are
  placed at the end of a step (N jumps per path, Poisson over the horizon, at uniform steps).
- **fill**: a touch by the diffusion happens at the liquidation price itself; a jump across it
  lands wherever the jump lands (a gap). The liquidation engine then needs `delay` minutes,
  over which the price diffuses on, and fills `slippage` worse:
  fill = touch price × exp(σ·√τ·Z + ν·τ) × (1 − slippage) for a long (× (1 + slippage) short).
  A fill that came back better than the liquidation price counts as a fill at that price: it
  only changes what is left over, never a deficit.
- **result**: a liquidated path closes at its fill; a surviving path is marked at the last
  price. What the trader keeps or owes at that price, and the deficit, come from the engine's
  own table for the platform (`Exposure.table`), so fees, settlement rules, protection and the
  platform's waterfall are the calculator's, not re-implemented here.

Reproducible: the same inputs and seed give the same numbers (random draws come from child
seeds of one `numpy.random.SeedSequence`, one per block of paths, whatever the thread count).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

DAYS_PER_YEAR = 365.0  # crypto trades every day
MINUTES_PER_YEAR = DAYS_PER_YEAR * 24 * 60
MAX_PATHS = 200_000
MAX_STEPS = 500
MAX_CELLS = 12_000_000  # paths × steps: caps memory (48 MB of float32) and time per request
BLOCKS = 2  # blocks of paths, each with its own child seed; drawn in parallel threads
# A step whose ends are both further than this many σ√dt from the liquidation price crosses it
# with probability below exp(−2·3²) ≈ 1.5e-8: such paths skip the bridge check.
BRIDGE_REACH = 3.0

# outcome table: closing prices (increasing) → (trader result, deficit) at those prices
Table = Callable[[float, float], tuple[np.ndarray, np.ndarray, np.ndarray]]


class SimulationInputError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Market:
    """Simulation inputs. Defaults are illustrative assumptions, not estimates from data."""

    volatility: float = 0.60  # annual σ of the log price
    drift: float = 0.0  # annual μ: expected growth of the price
    jump_intensity: float = 4.0  # λ, jumps per year
    jump_mean: float = -0.05  # m, mean of the log jump
    jump_stdev: float = 0.10  # δ, st.dev. of the log jump
    horizon_days: float = 7.0
    steps: int = 24
    paths: int = 100_000
    delay_minutes: float = 1.0  # the liquidation engine's delay between trigger and fill
    slippage: float = 0.005  # fill this fraction worse than the price after the delay
    seed: int = 1
    bridge: bool = True  # continuous watching; False: only at the grid points

    def check(self) -> None:
        rules = [
            ("volatility", 0 <= self.volatility <= 10, "between 0 and 10 (1000% a year)"),
            ("drift", -10 <= self.drift <= 10, "between −10 and 10"),
            ("jump_intensity", 0 <= self.jump_intensity <= 1000, "between 0 and 1,000 a year"),
            ("jump_mean", -5 <= self.jump_mean <= 5, "between −5 and 5"),
            ("jump_stdev", 0 <= self.jump_stdev <= 5, "between 0 and 5"),
            ("horizon_days", 0 < self.horizon_days <= 3650, "more than 0 and at most 3,650"),
            ("steps", 1 <= self.steps <= MAX_STEPS, f"between 1 and {MAX_STEPS}"),
            ("paths", 100 <= self.paths <= MAX_PATHS, f"between 100 and {MAX_PATHS:,}"),
            ("delay_minutes", 0 <= self.delay_minutes <= 1440, "between 0 and 1,440"),
            ("slippage", 0 <= self.slippage < 1, "at least 0 and below 1"),
            ("seed", 0 <= self.seed < 2**63, "a whole number from 0"),
        ]
        for name, ok, rule in rules:
            if not ok or not math.isfinite(float(getattr(self, name))):
                raise SimulationInputError(name, f"Must be {rule}.")
        if self.paths * self.steps > MAX_CELLS:
            raise SimulationInputError(
                "steps", f"Paths × steps must be at most {MAX_CELLS:,}: use fewer of either."
            )
        kappa = math.exp(self.jump_mean + self.jump_stdev**2 / 2) - 1
        if not math.isfinite(kappa) or abs(self.jump_intensity * kappa) > 1e4:
            raise SimulationInputError("jump_mean", "Jumps this large cannot be simulated.")

    @property
    def years(self) -> float:
        return self.horizon_days / DAYS_PER_YEAR

    @property
    def dt(self) -> float:
        return self.years / self.steps

    @property
    def log_drift(self) -> float:
        """ν: drift of the log price per year, jump compensator included."""
        kappa = math.exp(self.jump_mean + self.jump_stdev**2 / 2) - 1
        return self.drift - self.volatility**2 / 2 - self.jump_intensity * kappa


@dataclass(frozen=True)
class Exposure:
    """One platform's position as the simulation needs it (prices from the engine)."""

    label: str
    sign: int  # +1 long, −1 short
    entry: float
    liquidation_price: float | None  # None: no price liquidates
    bankruptcy_price: float | None
    table: Table  # (low, high) → (prices, results, deficits), prices increasing over [low, high]


@dataclass
class Paths:
    """Log prices relative to entry at the end of each step, and the jumps in them."""

    market: Market
    log_prices: np.ndarray  # (paths, steps) float32
    row_min: np.ndarray  # lowest log price per path, including just before each jump
    row_max: np.ndarray
    jump_rows: np.ndarray  # (K,) path of each step that holds a jump
    jump_steps: np.ndarray  # (K,) step index
    jump_sizes: np.ndarray  # (K,) total log jump in that step
    generator: np.random.Generator  # for the draws that depend on the platform


@dataclass
class PlatformStress:
    """What the paths mean for one platform."""

    label: str
    paths: int
    liquidated: int
    with_deficit: int
    expected_deficit: float  # mean over all paths; what someone must pay
    deficit_p99: float
    mean_deficit_when_any: float
    expected_owed: float  # what the trader owes on this platform (its protection, its waterfall)
    owed_p99: float
    chance_owed: float
    results: np.ndarray = field(repr=False)  # per path: ends with (≥ 0) or owes (< 0)

    @property
    def chance_liquidation(self) -> float:
        return self.liquidated / self.paths

    @property
    def chance_deficit(self) -> float:
        return self.with_deficit / self.paths

    @property
    def liquidation_error(self) -> float:
        """One standard error of the chance of liquidation (Monte Carlo)."""
        p = self.chance_liquidation
        return math.sqrt(p * (1 - p) / self.paths)

    @property
    def deficit_error(self) -> float:
        p = self.chance_deficit
        return math.sqrt(p * (1 - p) / self.paths)


def simulate_paths(market: Market) -> Paths:
    """Draw the paths: two blocks in two threads, each from its own child seed."""
    market.check()
    n, m = market.paths, market.steps
    seeds = np.random.SeedSequence(market.seed).spawn(BLOCKS + 1)
    bounds = np.linspace(0, n, BLOCKS + 1).astype(int)
    log_prices = np.empty((n, m), dtype=np.float32)
    sigma_step = market.volatility * math.sqrt(market.dt)
    drift_step = market.log_drift * market.dt

    def block(index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        start, stop = bounds[index], bounds[index + 1]
        rng = np.random.Generator(np.random.PCG64(seeds[index]))
        out = log_prices[start:stop]
        rng.standard_normal(out=out, dtype=np.float32)
        out *= np.float32(sigma_step)
        out += np.float32(drift_step)
        rows, steps, sizes = _jumps(rng, stop - start, market)
        if rows.size:
            np.add.at(out, (rows, steps), sizes.astype(np.float32))
        np.cumsum(out, axis=1, out=out)
        return rows + start, steps, sizes

    with ThreadPoolExecutor(max_workers=BLOCKS) as pool:
        parts = list(pool.map(block, range(BLOCKS)))
    rows = np.concatenate([p[0] for p in parts])
    steps = np.concatenate([p[1] for p in parts])
    sizes = np.concatenate([p[2] for p in parts])
    row_min = np.minimum(log_prices.min(axis=1), 0.0).astype(np.float64)
    row_max = np.maximum(log_prices.max(axis=1), 0.0).astype(np.float64)
    if rows.size:
        # just before a jump the path stood at (end of step) − jump: it may have gone further
        before = log_prices[rows, steps].astype(np.float64) - sizes
        np.minimum.at(row_min, rows, before)
        np.maximum.at(row_max, rows, before)
    generator = np.random.Generator(np.random.PCG64(seeds[BLOCKS]))
    return Paths(market, log_prices, row_min, row_max, rows, steps, sizes, generator)


def _jumps(
    rng: np.random.Generator, n: int, market: Market
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Jumps of a Poisson process: a count per path, each at a uniformly drawn step."""
    if market.jump_intensity == 0:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0)
    counts = rng.poisson(market.jump_intensity * market.years, size=n)
    rows = np.repeat(np.arange(n), counts)
    steps = rng.integers(0, market.steps, size=rows.size)
    sizes: np.ndarray = np.asarray(
        rng.normal(market.jump_mean, market.jump_stdev, size=rows.size) if rows.size else [],
        dtype=np.float64,
    )
    if rows.size:
        # several jumps in one step add up: keep one entry per (path, step)
        keys = rows * market.steps + steps
        keys, inverse = np.unique(keys, return_inverse=True)
        sizes = np.bincount(inverse, weights=sizes)
        rows, steps = keys // market.steps, keys % market.steps
    return rows, steps, sizes


def stress(paths: Paths, exposure: Exposure) -> PlatformStress:
    """Read the shared paths for one platform's liquidation price and outcome table."""
    market = paths.market
    n = market.paths
    closing = exposure.entry * np.exp(paths.log_prices[:, -1].astype(np.float64))
    liquidated = np.zeros(n, dtype=bool)
    if exposure.liquidation_price is not None and exposure.liquidation_price > 0:
        rows, fills = _liquidations(paths, exposure)
        liquidated[rows] = True
        closing[rows] = fills
    low, high = float(closing.min()), float(closing.max())
    prices, results_table, deficits_table = exposure.table(low, high)
    results = np.interp(closing, prices, results_table)
    deficits = np.interp(closing, prices, deficits_table)
    deficits = np.where(liquidated, np.maximum(deficits, 0.0), 0.0)
    owed = np.maximum(-results, 0.0)
    has_deficit = deficits > 0
    return PlatformStress(
        label=exposure.label,
        paths=n,
        liquidated=int(liquidated.sum()),
        with_deficit=int(has_deficit.sum()),
        expected_deficit=float(deficits.mean()),
        deficit_p99=float(np.percentile(deficits, 99)),
        mean_deficit_when_any=float(deficits[has_deficit].mean()) if has_deficit.any() else 0.0,
        expected_owed=float(owed.mean()),
        owed_p99=float(np.percentile(owed, 99)),
        chance_owed=float((owed > 0).mean()),
        results=results,
    )


def _liquidations(paths: Paths, exposure: Exposure) -> tuple[np.ndarray, np.ndarray]:
    """Which paths trigger liquidation, and their fill prices."""
    market = paths.market
    s = exposure.sign
    assert exposure.liquidation_price is not None  # stress() calls this only when there is one
    barrier = math.log(exposure.liquidation_price / exposure.entry)
    if s * barrier >= 0:  # liquidated on entry: every path, at entry
        every = np.arange(market.paths)
        return every, np.full(market.paths, exposure.entry * (1 - s * market.slippage))
    sigma_step = market.volatility * math.sqrt(market.dt)
    reach = BRIDGE_REACH * sigma_step if market.bridge else 0.0
    if s > 0:
        candidates = np.flatnonzero(paths.row_min <= barrier + reach)
    else:
        candidates = np.flatnonzero(paths.row_max >= barrier - reach)
    if candidates.size == 0:
        return candidates, np.empty(0)
    # distances to the liquidation price in log terms, > 0 on the safe side (float32: the
    # candidates are many, and 1e-7 of a log price is far below what a bridge draw resolves)
    dist_end = paths.log_prices[candidates]  # a copy: fancy indexing
    dist_end -= np.float32(barrier)
    if s < 0:
        np.negative(dist_end, out=dist_end)
    dist_before = dist_end.copy()  # before the step's jump: where the diffusion alone went
    if paths.jump_rows.size:
        position = np.minimum(np.searchsorted(candidates, paths.jump_rows), candidates.size - 1)
        keep = candidates[position] == paths.jump_rows
        dist_before[position[keep], paths.jump_steps[keep]] -= s * paths.jump_sizes[keep]
    dist_start = np.empty_like(dist_end)
    dist_start[:, 0] = -s * barrier
    dist_start[:, 1:] = dist_end[:, :-1]
    by_diffusion = dist_before <= 0
    if market.bridge and sigma_step > 0:
        # chance exp(−2·d₀·d₁/(σ²dt)) only where it is above 1e-12 and both ends are safe
        product = dist_start * dist_before
        maybe = (product < np.float32(13.9 * sigma_step**2)) & (dist_before > 0)
        maybe_rows, maybe_steps = np.nonzero(maybe)
        exponent = -2.0 * product[maybe_rows, maybe_steps].astype(np.float64) / sigma_step**2
        # a near-zero volatility makes the exponent huge: an end already past the price
        # (product < 0) is a crossing for certain, not an overflow
        chance = np.exp(np.minimum(exponent, 0.0))
        draws = paths.generator.random(chance.size)
        crossed = draws < chance
        by_diffusion[maybe_rows[crossed], maybe_steps[crossed]] = True
    event = by_diffusion | (dist_end <= 0)  # a jump across the price is the other way in
    hit = event.any(axis=1)
    rows = np.flatnonzero(hit)
    first = event[rows].argmax(axis=1)
    touch = np.where(
        by_diffusion[rows, first],
        barrier,
        barrier + s * dist_end[rows, first].astype(np.float64),
    )
    tau = market.delay_minutes / MINUTES_PER_YEAR
    moved = touch + market.log_drift * tau
    if tau > 0 and market.volatility > 0:
        moved = moved + market.volatility * math.sqrt(tau) * paths.generator.standard_normal(
            rows.size
        )
    # a fill that came back past the liquidation price counts as filled at it
    moved = barrier + s * np.minimum(s * (moved - barrier), 0.0)
    fills = exposure.entry * np.exp(moved) * (1 - s * market.slippage)
    return candidates[rows], fills


def run(market: Market, exposures: list[Exposure]) -> list[PlatformStress]:
    paths = simulate_paths(market)
    return [stress(paths, exposure) for exposure in exposures]


def histogram(results: list[PlatformStress], bins: int = 40) -> tuple[np.ndarray, list[np.ndarray]]:
    """Shared bin edges over every platform's outcomes, and each platform's share per bin."""
    if not results:
        return np.array([0.0, 1.0]), []
    low = min(float(np.percentile(r.results, 0.5)) for r in results)
    high = max(float(np.percentile(r.results, 99.5)) for r in results)
    low = min(low, min(float(r.results.min()) for r in results), 0.0)
    if not high > low:
        high = low + 1.0
    # 0 is always an edge, so a bin never mixes "owes" with "keeps"
    below = round(bins * -low / (high - low)) if low < 0 else 0
    if low < 0 < high:
        below = min(max(below, 1), bins - 1)
        edges = np.concatenate(
            [np.linspace(low, 0.0, below + 1), np.linspace(0.0, high, bins - below + 1)[1:]]
        )
    else:
        edges = np.linspace(low, high, bins + 1)
    shares = []
    for r in results:
        counts, _ = np.histogram(np.clip(r.results, low, high), bins=edges)
        shares.append(counts / r.paths)
    return edges, shares
