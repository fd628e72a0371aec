"""Uncertainty: scenarios, one-at-a-time sensitivity (tornado), switching values, Monte Carlo.

Drivers are named as in :func:`udfs.core.engine.driver_names`
(``effekter.<id>.succesrate``, ``omkostningsfaktor``, …).  The Monte Carlo
draws every driver with a distribution at once and computes the present
values vectorised over the draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .businesscase import below_deadweight, switching_value
from .case_model import Case, Distribution
from .checks import out_of_range
from .danish_numbers import fixed
from .engine import (
    Drivers,
    Prepared,
    base_drivers,
    calculate,
    driver_bounds,
    driver_names,
    get_driver,
    prepare,
    present_values,
    set_drivers,
)
from .errors import SIError, excerpt
from .lineitems import LineItem
from .rounding import whole_shares
from .limits import MAX_SEED, max_draws
from .validation import _field_bounds, bounds_text, shown
from .vocabulary import DEADWEIGHT_WORDS, DISTRIBUTION_WORDS  # noqa: F401  (DISTRIBUTION_WORDS re-exported: the words of each distribution)

PERCENTILES = (5, 25, 50, 75, 95)


def monte_carlo_items(who: str) -> tuple[LineItem, ...]:
    """The Monte Carlo figures of one side's present value (``betaler``, ``offentlig``): percentiles, mean (kr.),
    probability of a gain and of a loss (shares)."""
    return (*(LineItem(f"p{q}_nv_{who}", f"P{q} nutidsværdi {who}", "kr", cell=False) for q in PERCENTILES),
            LineItem(f"middel_nv_{who}", f"Middel nutidsværdi {who}", "kr", cell=False),
            LineItem(f"p_gevinst_{who}", f"Sandsynlighed for gevinst ({who})", "share", cell=False),
            LineItem(f"p_tab_{who}", f"Sandsynlighed for tab ({who})", "share", cell=False))  # fmt: skip


MONTE_CARLO_FIGURES: tuple[LineItem, ...] = (
    *monte_carlo_items("betaler"), *monte_carlo_items("offentlig"),
    LineItem("p_tab_investor", "Sandsynlighed for tab (investor, før garanti)", "share", cell=False),
    LineItem("antal_traek", "Antal træk", "count", cell=False),
)
"""Every figure of a Monte Carlo summary (:meth:`MonteCarlo.figures`): stable name, Danish label, unit."""
MONTE_CARLO_ITEMS: dict[str, LineItem] = {item.name: item for item in MONTE_CARLO_FIGURES}
HISTOGRAM_BINS = 20
"""Bins of the Monte Carlo histogram (the command line and the workbook's Følsomhed sheet)."""

DRIVER_WORDS = {
    "succesrate": "Succesrate", "doedvaegt": DEADWEIGHT_WORDS["doedvaegt"], "frafald": "Frafald pr. år", "prisfaktor": "Prisfaktor",
    "profilfaktor": "Profilfaktor", "omkostningsfaktor": "Omkostningsfaktor (offentlige omkostninger)",
    "deltagerfaktor": "Deltagerfaktor (alle deltagere)", "optimisme.omkostninger": "Optimismetillæg på offentlige omkostninger",
    "optimisme.gevinster": "Optimismefradrag i gevinster",
}  # fmt: skip
"""Each driver (:data:`~udfs.core.engine.EFFECT_DRIVERS`, :data:`~udfs.core.engine.CASE_DRIVERS`) in Danish words.
An effect's ``doedvaegt`` given as a control group's rate is named by that field (:func:`driver_label`)."""


TORNADO_CHANGE = 0.1
"""The tornado's default change of each driver: ±10 % of its value."""
NO_SWITCHING = "ingen i intervallet"
"""A switching value that does not exist: the payer's PV keeps its sign over the driver's whole range."""


def driver_value_text(name: str, value: float | None) -> str:
    """A driver's value in Danish: a share or rate as per cent with one decimal ("35,0 %"), a factor with
    two decimals ("1,10"); None (no switching value) as :data:`NO_SWITCHING`."""
    if value is None:
        return NO_SWITCHING
    share = driver_bounds(name)[1] == 1.0 or name == "optimisme.omkostninger"  # a rate above 100 % is allowed
    return fixed(value * 100, 1) + " %" if share else fixed(value, 2)


def driver_label(case: Case, name: str) -> str:
    """A driver as a reader knows it: ``effekter.job.succesrate`` → "Succesrate, effekt 1 (job)",
    ``omkostningsfaktor`` → "Omkostningsfaktor (offentlige omkostninger)"; an unknown name as given.

    The one label of a driver everywhere (tornado, switching values, Monte Carlo distributions, command
    line, PNG).  An effect's deadweight is named by the field the user gave: "Kontrolgruppens succesrate,
    effekt 2 (krise)" for an effect with ``kontrolgruppe`` (:data:`~udfs.core.vocabulary.DEADWEIGHT_WORDS`),
    "Dødvægt, …" otherwise."""
    if name in DRIVER_WORDS:
        return DRIVER_WORDS[name]
    parts = name.split(".")
    ids = [e.id for e in case.effekter]
    if len(parts) == 3 and parts[0] == "effekter" and parts[1] in ids and parts[2] in DRIVER_WORDS:
        k = ids.index(parts[1])
        word = DRIVER_WORDS[parts[2]]
        if parts[2] == "doedvaegt" and case.effekter[k].kontrolgruppe is not None:
            word = DEADWEIGHT_WORDS["kontrolgruppe"]
        return f"{word}, effekt {k + 1} ({parts[1]})"
    return name


def tornado_label(case: Case, bar: TornadoBar, change: float = TORNADO_CHANGE) -> str:
    """A tornado row's driver as a reader reads it (:func:`driver_label`), saying so when the ±X % is not a
    per cent of its value: a driver at 0 is moved by ± ``change`` in absolute terms (:func:`tornado`), e.g.
    "Dødvægt, effekt 1 (job) — er 0: ±10 %-point".  The one label of every tornado (workbook,
    ``sibc sensitivity``, its PNG)."""
    label = driver_label(case, bar.driver)
    if bar.base_value != 0:
        return label
    share = driver_value_text(bar.driver, change).endswith(" %")
    step = f"{change * 100:g} %-point" if share else f"{change:g} absolut"
    return f"{label} — er 0: ±{step.replace('.', ',')}"


def scenario_pv(case: Case, overrides: dict[str, float], p: Prepared | None = None) -> dict[str, float]:
    """The payer's and the public sector's PV (kr.) with some drivers set to given values."""
    r = calculate(p or prepare(case), set_drivers(base_drivers(case), case, overrides))
    return {"betaler": float(r.payer_pv[0]), "offentlig": float(r.public_pv[0])}


def scenarios(case: Case) -> dict[str, dict[str, float]]:
    """PV per scenario: ``basis`` (the case as given) and every scenario in the case file."""
    p = prepare(case)
    out = {"basis": scenario_pv(case, {}, p)}
    for name, overrides in case.scenarier.items():
        try:
            out[name] = scenario_pv(case, overrides, p)
        except SIError as err:
            raise SIError(f"scenarier.{name}.{err.argument}", err.message) from None
    return out


@dataclass(frozen=True)
class TornadoBar:
    driver: str
    base_value: float
    low_value: float
    high_value: float
    pv_low: float  # payer PV with the driver at low_value, kr.
    pv_high: float

    @property
    def swing(self) -> float:
        return abs(self.pv_high - self.pv_low)


def tornado(case: Case, change: float = TORNADO_CHANGE, names: list[str] | None = None) -> list[TornadoBar]:
    """One-at-a-time sensitivity: each driver × (1 ± change), kept inside its bounds; largest swing first.

    Drivers whose base value is 0 are moved by ± ``change`` in absolute terms
    (a share of 0 has no relative change).  All 2 × drivers runs are done in
    one vectorised engine call.
    """
    if not 0 < change < 1:
        rule = "skal være en positiv andel mellem 0 og 1, fx 0,1 for ±10 % (hver driver flyttes både op og ned)"
        raise SIError("aendring", out_of_range(rule, change, 0.0, 1.0) if isinstance(change, (int, float)) else f"{rule}, ikke {shown(change)}")
    names = names or driver_names(case)
    p = prepare(case)
    base = base_drivers(case)
    n = 2 * len(names)
    many = base_drivers(case, n)
    lows, highs, bases = [], [], []
    for j, name in enumerate(names):
        value = float(get_driver(base, case, name)[0])
        lo_b, hi_b = driver_bounds(name)
        step = abs(value) * change if value != 0 else change
        lows.append(max(lo_b, value - step))
        highs.append(min(hi_b, value + step))
        bases.append(value)
        column = np.full(n, value)
        column[2 * j], column[2 * j + 1] = lows[-1], highs[-1]
        many = set_drivers(many, case, {name: column})
    pv = calculate(p, many).payer_pv
    bars = [TornadoBar(nm, b, lo, hi, float(pv[2 * j]), float(pv[2 * j + 1])) for j, (nm, b, lo, hi) in enumerate(zip(names, bases, lows, highs))]
    return sorted(bars, key=lambda b: b.swing, reverse=True)


def input_bounds(name: str) -> tuple[float, float]:
    """The range a case's input accepts for driver ``name``: the bounds its field declares (a share 0–1, the optimism
    mark-up on costs 0–:data:`~udfs.core.lineitems.MAX_COST_MARKUP`, an effect's factor 0–10¹²); a driver with no field
    of its own (``omkostningsfaktor``, ``deltagerfaktor``) the engine's range (:func:`~udfs.core.engine.driver_bounds`)."""
    parts = name.split(".")
    loc = ("effekter", 0, parts[-1]) if parts[0] == "effekter" else tuple(parts)
    declared = _field_bounds(Case, loc)
    low, high = driver_bounds(name)
    return (declared.get("ge", declared.get("gt", low)), declared.get("le", declared.get("lt", high)))


OVER_INPUT, UNDER_INPUT = "over_input", "under_input"
"""A switching value's code (``sibc foelsomhed --json``'s ``uden_for_input``) when it lies above or below the range the
input accepts (:func:`outside_input`)."""


def outside_input(name: str, value: float | None) -> str | None:
    """:data:`OVER_INPUT` or :data:`UNDER_INPUT` when driver ``name``'s ``value`` (a switching value) lies outside the
    range the case's input accepts (:func:`input_bounds`): a mark-up on costs of 350 % where 200 % is the most a
    case takes; ``None`` within it (and for no value)."""
    if value is None:
        return None
    low, high = input_bounds(name)
    return OVER_INPUT if value > high else UNDER_INPUT if value < low else None


def outside_input_words(name: str, value: float | None) -> str:
    """:func:`outside_input` in words, the one wording of the command line and the workbook: ``"over 200,0 %, det
    højeste tilladte"``; ``""`` within the range."""
    code = outside_input(name, value)
    if code is None:
        return ""
    low, high = input_bounds(name)
    return (f"over {driver_value_text(name, high)}, det højeste tilladte" if code == OVER_INPUT
            else f"under {driver_value_text(name, low)}, det laveste tilladte")


OUTSIDE_INPUT_NOTE = ("En skifteværdi over det højeste tilladte (eller under det laveste) kan ikke nås med de værdier, "
                      "casen tager imod: inden for dem skifter betalerens nutidsværdi ikke fortegn, når driveren ændres alene.")
"""The note under switching values when one lies outside the range the input accepts (:func:`outside_input`)."""


def switching_marks(name: str, value: float | None, case: Case | None = None) -> list[str]:
    """The notes on a switching value, in words: outside the range the input accepts (:func:`outside_input_words`),
    and -- given the ``case`` -- an effect's success rate below that effect's own deadweight
    (:func:`udfs.core.businesscase.below_deadweight`: the payer breaks even at a rate reached without the
    intervention).  The one rule of ``sibc foelsomhed`` and the workbook's switching values."""
    marks = [outside_input_words(name, value), below_own_deadweight(name, value, case) if case is not None else ""]
    return [m for m in marks if m]


def below_own_deadweight(name: str, value: float | None, case: Case) -> str:
    """``"under dødvægten (15,0 %)"`` when ``name`` is an effect's success rate and ``value`` lies below that
    effect's own deadweight (:func:`udfs.core.businesscase.below_deadweight`), else ``""``."""
    parts = name.split(".")
    if parts[0] != "effekter" or parts[-1] != "succesrate":
        return ""
    effect = next((e for e in case.effekter if e.id == parts[1]), None)
    return below_deadweight(value, effect.deadweight) if effect is not None else ""


def switching_text(name: str, value: float | None, case: Case | None = None) -> str:
    """A switching value as it is shown (:func:`driver_value_text`), with its notes (:func:`switching_marks`):
    ``"350,0 % (over 200,0 %, det højeste tilladte)"``, ``"12,0 % (under dødvægten (15,0 %))"``."""
    marks = switching_marks(name, value, case)
    return driver_value_text(name, value) + (f" ({'; '.join(marks)})" if marks else "")


def switching_values(case: Case, names: list[str] | None = None) -> dict[str, float | None]:
    """For each driver, the value at which the payer's PV is 0 within its bounds (factors up to 10)."""
    p = prepare(case)
    out = {}
    for name in names or driver_names(case):
        lo, hi = driver_bounds(name)
        out[name] = switching_value(case, name, lo, min(hi, 10.0), p)
    return out


# --------------------------------------------------------------------------- Monte Carlo


def draw(dist: Distribution, n: int, rng: np.random.Generator, bounds: tuple[float, float]) -> np.ndarray:
    """``n`` draws of a distribution, clipped to the driver's bounds."""
    if dist.fordeling == "fast":
        values = np.full(n, dist.vaerdi)
    elif dist.fordeling == "uniform":
        values = rng.uniform(dist.min, dist.max, n)
    elif dist.fordeling == "triangulaer":
        values = np.full(n, dist.min) if dist.min == dist.max else rng.triangular(dist.min, dist.mest_sandsynlig, dist.max, n)
    else:
        values = rng.normal(dist.middel, dist.spredning, n)
    return np.clip(values, *bounds)


def drawn_values(case: Case, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``n`` draws of every driver that has a distribution, drawn driver after driver."""
    spec = case.usikkerhed.fordelinger if case.usikkerhed else {}
    return {name: draw(dist, n, rng, driver_bounds(name)) for name, dist in spec.items()}


def drivers_with(case: Case, values: dict[str, np.ndarray], n: int) -> Drivers:
    """The case's drivers for ``n`` draws with the drawn ``values`` set."""
    try:
        return set_drivers(base_drivers(case, n), case, values)
    except SIError as err:
        raise SIError(f"usikkerhed.fordelinger.{err.argument}", err.message) from None


def drawn_drivers(case: Case, n: int, rng: np.random.Generator) -> Drivers:
    """The case's drivers with every driver that has a distribution drawn ``n`` times."""
    return drivers_with(case, drawn_values(case, n, rng), n)


WORK_FLOATS = 4_000_000
"""Floats (8 bytes each: about 32 MB) that one step of the Monte Carlo's present values may use."""


def step_size(case: Case, chunk: int) -> int:
    """Draws per step of the present values: about 20 floats per effect and 4 per year for
    each draw (drivers, weighted savings, payments) fit in :data:`WORK_FLOATS`."""
    per_draw = 20 * len(case.effekter) + 4 * case.horisont + 16
    return max(1, min(chunk, WORK_FLOATS // per_draw))


@dataclass(frozen=True)
class MonteCarlo:
    payer_pv: np.ndarray  # (n,) kr.
    investor_net: np.ndarray  # (n,) kr., payments − investment
    public_pv: np.ndarray | None = None  # (n,) kr.

    def figures(self) -> dict[str, float]:
        """Percentiles of the payer's PV, its mean, P(gain) and P(loss); the same for the public
        sector's PV when computed; P(investor loses); the number of draws — keyed by the names of
        :data:`MONTE_CARLO_FIGURES`, in its order.

        A gain is a PV above 0, a loss one below 0 (a PV of exactly 0 is neither)."""
        out: dict[str, float] = {}
        for who, pv in (("betaler", self.payer_pv), ("offentlig", self.public_pv)):
            if pv is None:
                continue
            values = (*np.percentile(pv, PERCENTILES), pv.mean(), (pv > 0).mean(), (pv < 0).mean())
            out |= {item.name: float(v) for item, v in zip(monte_carlo_items(who), values, strict=True)}
        out["p_tab_investor"] = float((self.investor_net < 0).mean())
        out["antal_traek"] = float(self.payer_pv.size)
        return out

    def summary(self) -> dict[str, float]:
        """:meth:`figures` keyed by their Danish labels (``SI_MONTE_CARLO``, ``sibc montecarlo --json``)."""
        return {MONTE_CARLO_ITEMS[name].label: value for name, value in self.figures().items()}


def shown_shares(figures: dict[str, float], decimals: int = 1) -> dict[str, float]:
    """:meth:`MonteCarlo.figures` with each side's probabilities of a gain and of a loss rounded together with the
    share of draws at exactly 0 (:func:`udfs.core.rounding.whole_shares`, ``decimals`` decimals of a per cent), so
    the shown gain and loss add up as the draws do (44,4 % + 55,6 %, never 55,7 %).  For the text and the
    workbook's written cells; ``--json`` and ``SI_MONTE_CARLO`` give the unrounded shares."""
    out = dict(figures)
    for who in ("betaler", "offentlig"):
        gain, loss = f"p_gevinst_{who}", f"p_tab_{who}"
        if gain in out:
            out[gain], out[loss], _ = whole_shares([out[gain], out[loss], 1.0 - out[gain] - out[loss]], decimals)
    return out


def histogram(values: np.ndarray, bins: int = HISTOGRAM_BINS) -> list[tuple[float, float, int]]:
    """(from, to, draws) for ``bins`` equal bins from the lowest to the highest value (kr.);
    each bin holds from ≤ x < to, the last also its upper end (numpy's ``histogram``).
    Excel equivalent: ``FREQUENCY`` over the draws."""
    counts, edges = np.histogram(values, bins=bins)
    return [(float(lo), float(hi), int(c)) for lo, hi, c in zip(edges, edges[1:], counts)]


def require_distributions(case: Case) -> None:
    """Refuse a Monte Carlo on a case without distributions: every draw would be the same case."""
    if not (case.usikkerhed and case.usikkerhed.fordelinger):
        raise SIError("usikkerhed.fordelinger", "en Monte Carlo kræver fordelinger, og casen har ingen; angiv fx "
                                                "effekter.<id>.succesrate med fordeling triangulaer (min, mest_sandsynlig, "
                                                "max) under usikkerhed.fordelinger i case-filen")  # fmt: skip


def monte_carlo(
    case: Case, draws: int | None = None, seed: int | None = None, chunk: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
) -> MonteCarlo:  # fmt: skip
    """Monte Carlo over the drivers' distributions, reproducible with ``seed``.

    Draws in chunks of ``chunk`` draws (the chunk size fixes the order in which
    the random stream is consumed, so it is part of what ``seed`` reproduces) and
    computes the present values vectorised without the year axis
    (:func:`~udfs.core.engine.present_values`: the payer's and the public PV and the investor's net) in steps sized by the case's
    effects and years (:func:`step_size`), so the working memory stays about
    32 MB whatever the case's size; the draws themselves take 8 bytes per
    uncertain driver and draw of a chunk (160 kB each).  ``progress(done,
    total)`` is called after each chunk.

    A case without ``usikkerhed.fordelinger`` is refused (:func:`require_distributions`):
    its draws would all be the base case.
    """
    require_distributions(case)
    spec = case.usikkerhed
    n = draws if draws is not None else (spec.antal_traek if spec else 10_000)
    if not 1 <= n <= max_draws():
        raise SIError("antal_traek", f"{bounds_text(ge=1, le=max_draws())}, ikke {shown(n)}")
    seed = seed if seed is not None else (spec.seed if spec else 0)
    if not 0 <= seed <= MAX_SEED:
        raise SIError("seed", f"skal være et helt tal mellem 0 og {MAX_SEED}, ikke {excerpt(seed)}")
    rng = np.random.default_rng(seed)
    p = prepare(case)
    step = step_size(case, chunk)
    payer, public, investor = [], [], []
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        values = drawn_values(case, size, rng)
        for lo in range(0, size, step):
            part = {name: v[lo : lo + step] for name, v in values.items()}
            payer_pv, public_pv, investor_net = present_values(p, drivers_with(case, part, min(step, size - lo)))
            payer.append(payer_pv)
            public.append(public_pv)
            investor.append(investor_net)
        if progress:
            progress(start + size, n)
    return MonteCarlo(np.concatenate(payer), np.concatenate(investor), np.concatenate(public))
