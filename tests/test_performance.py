"""Faster paths give the same numbers as the paths they replace (issue 14).

Each fast path is compared with the straightforward computation it stands for,
on the example cases, the feature cases (every payment rule, caps, refusion
weeks) and a large synthetic case.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from udfs.core import engine
from udfs.core.case_model import parse_case
from udfs.core.casefile import load_business_case
from udfs.core.uncertainty import drawn_drivers, monte_carlo
from tests.feature_cases import FEATURE_CASES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench_cases import large_case_data  # noqa: E402

EXAMPLES = sorted((ROOT / "workbooks" / "cases").glob("*.yaml"))
CASES = {p.stem: lambda p=p: load_business_case(p) for p in EXAMPLES}
CASES |= {name: lambda d=d: parse_case(d) for name, d in FEATURE_CASES.items()}
CASES["stor_12x7"] = lambda: parse_case(large_case_data(years=12, effects=7))


def random_drivers(case, n: int, seed: int) -> engine.Drivers:
    """Every driver of the case drawn uniformly inside its bounds (factors 0–2)."""
    rng = np.random.default_rng(seed)
    values = {}
    for name in engine.driver_names(case):
        lo, hi = engine.driver_bounds(name)
        values[name] = rng.uniform(lo, min(hi, 2.0), n)
    return engine.set_drivers(engine.base_drivers(case, n), case, values)


@pytest.mark.parametrize("name", sorted(CASES))
def test_present_value_without_the_year_axis_equals_the_engine(name):
    # The reference is the full engine (savings by effect, authority, draw and year, then @ discount).
    case = CASES[name]()
    p = engine.prepare(case)
    for d in (engine.base_drivers(case), random_drivers(case, 500, seed=len(name))):
        full = engine.calculate(p, d)
        payer_pv, investor_net = engine.pv_and_investor_net(p, d)
        scale = max(1.0, float(np.abs(full.payer_pv).max()))
        np.testing.assert_allclose(payer_pv, full.payer_pv, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(investor_net, full.investor_net, rtol=0, atol=1e-9 * max(1.0, float(np.abs(full.investor_net).max())))


def _monte_carlo_as_before(case, n: int, seed: int, chunk: int = 20_000):
    """The Monte Carlo as computed until now: the full engine on each chunk of draws."""
    rng = np.random.default_rng(seed)
    p = engine.prepare(case)
    payer, investor = [], []
    for start in range(0, n, chunk):
        r = engine.calculate(p, drawn_drivers(case, min(chunk, n - start), rng))
        payer.append(r.payer_pv)
        investor.append(r.investor_net)
    return np.concatenate(payer), np.concatenate(investor)


@pytest.mark.parametrize("name", ["eksempel_ungeindsats", "stor_12x7"])
def test_monte_carlo_uses_the_same_draws_and_gives_the_same_numbers(name):
    # 45,000 draws: three chunks, so the random stream is consumed chunk by chunk as before.
    case = CASES[name]()
    payer, investor = _monte_carlo_as_before(case, 45_000, seed=11)
    mc = monte_carlo(case, draws=45_000, seed=11)
    np.testing.assert_allclose(mc.payer_pv, payer, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(mc.investor_net, investor, rtol=1e-12, atol=1e-6)
