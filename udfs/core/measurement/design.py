"""Evaluation design: minimum detectable effect (MDE) and sample size.

Normal approximation for a two-sided test at level ``1 − α`` (``niveau`` 0.95)
with power ``1 − β`` (``styrke`` 0.8), two independent groups of ``n1``
(intervention) and ``n0`` (comparison) persons, ``z = z_{1−α/2} + z_{1−β}``:

* two proportions, baseline ``p0`` and ``p1 = p0 + δ``:
  ``δ = z × sqrt(p1 (1 − p1) / n1 + p0 (1 − p0) / n0)``, solved for δ;
  sample size ``n0 = z² (p1 (1 − p1) / κ + p0 (1 − p0)) / δ²``, ``n1 = κ n0``;
* two means (e.g. weeks self-supported), standard deviation σ in both groups:
  ``δ = z × σ × sqrt(1/n1 + 1/n0)``; ``n0 = z² σ² (1/κ + 1) / δ²``.

Source: S.-C. Chow, J. Shao & H. Wang, *Sample Size Calculations in Clinical
Research*, 2nd ed., Chapman & Hall/CRC 2008, §3.2 (two-sample parallel design,
means) and §4.2 (two-sample parallel design, proportions): the formulas with
unpooled variances.  Sample sizes are rounded up to whole persons.

Excel equivalent (means):
``=(NORM.S.INV(1-(1-niveau)/2)+NORM.S.INV(styrke))*sd*SQRT(1/n1+1/n0)``.

Check of the brief's example (120 vs 480 persons, 80 % power, 5 % level):
z = 1.959964 + 0.841621 = 2.801585; with a baseline of p0 = 0.5 the solution
is δ = 0.1385 (13.9 percentage points; p1 = 0.6385: sqrt(0.6385·0.3615/120 +
0.25/480) = 0.04944, × 2.8016 = 0.1385); with the pooled worst case
sqrt(0.25 (1/120 + 1/480)) × 2.8016 = 0.143.  So "≈ 14 percentage points"
holds for a baseline from about 0.3 to 0.5 (0.140 at p0 = 0.3, 0.142 at 0.4);
at p0 = 0.1 the MDE is 0.111.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

from ..checks import check_number, check_whole
from ..counterfactual import LEVEL, check_level
from ..errors import SIError
from ..validation import shown


POWER = 0.8
"""The default power of a design calculation: 80 %, the conventional choice (Chow, Shao & Wang 2008)."""


def check_power(value: Any) -> float:
    """A power strictly between 0 and 1 (0.8, not 80)."""
    number = check_number("styrke", value)
    if not 0.0 < number < 1.0:
        raise SIError("styrke", "skal være en andel mellem 0 og 1 (fx 0,8), ikke procent")
    return number


def z_total(power: float, level: float) -> float:
    """``z_{1−α/2} + z_{1−β}``: 2.801585 for power 0.8 and level 0.95.

    >>> round(z_total(0.8, 0.95), 6)
    2.801585
    """
    nd = NormalDist()
    return nd.inv_cdf((1.0 + check_level(level)) / 2.0) + nd.inv_cdf(check_power(power))


def check_baseline(value: Any) -> float:
    number = check_number("andel_kontrol", value)
    if not 0.0 < number < 1.0:
        raise SIError("andel_kontrol", "skal være en andel strengt mellem 0 og 1 (fx 0,3), ikke procent")
    return number


def mde_proportions(n1: Any, n0: Any, baseline: Any, power: Any = POWER, level: Any = LEVEL) -> float:
    """Minimum detectable increase in a share (0–1; 0.14 = 14 percentage points).

    Parameters: group sizes ``n1``, ``n0`` (whole ≥ 1), baseline share
    ``baseline`` (0 < p0 < 1), ``power`` and ``level`` (shares).  SIError when
    no increase up to a share of 1 can be detected.

    >>> round(mde_proportions(120, 480, 0.5), 4)
    0.1385
    """
    a = check_whole("n_indsats", n1, 1)
    b = check_whole("n_kontrol", n0, 1)
    p0 = check_baseline(baseline)
    z = z_total(power, level)

    def gap(d: float) -> float:
        p1 = p0 + d
        return d - z * math.sqrt(p1 * (1 - p1) / a + p0 * (1 - p0) / b)

    hi = 1.0 - p0
    if gap(hi) < 0:
        raise SIError("n_indsats", "grupperne er for små: ingen stigning op til en andel på 1 kan påvises")
    lo = 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
    return hi


def check_sd(value: Any) -> float:
    number = check_number("sd", value)
    if number <= 0:
        raise SIError("sd", "skal være større end 0")
    return number


def mde_means(n1: Any, n0: Any, sd: Any, power: Any = POWER, level: Any = LEVEL) -> float:
    """Minimum detectable difference in means, in the unit of ``sd`` (e.g. weeks).

    >>> round(mde_means(120, 480, 10), 4)
    2.8594
    """
    a = check_whole("n_indsats", n1, 1)
    b = check_whole("n_kontrol", n0, 1)
    return z_total(power, level) * check_sd(sd) * math.sqrt(1 / a + 1 / b)


def check_ratio(value: Any) -> float:
    number = check_number("forhold", value)
    if number <= 0:
        raise SIError("forhold", "skal være større end 0 (n_indsats / n_kontrol)")
    return number


def check_mde(value: Any) -> float:
    number = check_number("mde", value)
    if number <= 0:
        raise SIError("mde", "skal være større end 0")
    return number


#: The most persons a sample-size answer may give; an ``mde`` so small that a group needs more is refused.
MAX_PERSONS = 10**12


def persons(numerator: float, d: float, k: float) -> tuple[int, int]:
    """(n1, n0) = (⌈k × n0⌉, ⌈n0⌉) with n0 = numerator / d²; SIError naming ``mde`` when a group would need
    more than :data:`MAX_PERSONS` (a tiny ``mde``: d² may even underflow to 0)."""
    n0 = numerator / d**2 if d**2 > 0 else math.inf
    if not math.isfinite(n0) or max(n0, k * n0) > MAX_PERSONS:
        limit = f"{MAX_PERSONS:_}".replace("_", ".")
        raise SIError("mde", f"er så lille ({shown(d)}), at en gruppe skulle have over {limit} personer; angiv en større forskel")
    return math.ceil(k * n0 - 1e-9), math.ceil(n0 - 1e-9)


def sample_size_proportions(mde: Any, baseline: Any, ratio: Any = 1.0, power: Any = POWER, level: Any = LEVEL) -> tuple[int, int]:
    """(n1, n0): persons needed to detect an increase ``mde`` over ``baseline`` with ``n1 = ratio × n0``.

    >>> sample_size_proportions(0.14, 0.5, 0.25)
    (118, 470)
    """
    d = check_mde(mde)
    p0 = check_baseline(baseline)
    k = check_ratio(ratio)
    p1 = p0 + d
    if p1 >= 1:
        raise SIError("mde", f"giver en andel på {p1:.2f} i indsatsgruppen; skal være under 1")
    return persons(z_total(power, level) ** 2 * (p1 * (1 - p1) / k + p0 * (1 - p0)), d, k)


def sample_size_means(mde: Any, sd: Any, ratio: Any = 1.0, power: Any = POWER, level: Any = LEVEL) -> tuple[int, int]:
    """(n1, n0) to detect a difference ``mde`` in means with standard deviation ``sd``.

    >>> sample_size_means(2.86, 10, 0.25)
    (120, 480)
    """
    d = check_mde(mde)
    s = check_sd(sd)
    k = check_ratio(ratio)
    return persons(z_total(power, level) ** 2 * s**2 * (1 / k + 1), d, k)
