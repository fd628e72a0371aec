"""Effects against a comparison group, with confidence intervals, and propensity-score matching.

* **Control group or historical baseline** (independent groups):
  ``effect = mean(y1) − mean(y0)``.  For 0/1 measures the interval is the Wald
  interval of :func:`udfs.core.counterfactual.effect_vs_control` (the same one
  ``SI_MEREFFEKT`` gives); for other measures it is the normal-approximation
  (Welch) interval ``effect ∓ z sqrt(s1²/n1 + s0²/n0)`` with sample variances.
* **Matched comparison group**: each intervention person gets the nearest
  unused comparison person on the logit of the propensity score (greedy
  nearest-neighbour matching without replacement, within a caliper of 0.2
  standard deviations of the logit; P. C. Austin, "Optimal caliper widths for
  propensity-score matching when estimating differences in means and
  differences in proportions in observational studies", Pharmaceutical
  Statistics 2011;10:150–161).  The effect is the mean of the pair
  differences (the effect on the treated), with the interval
  ``mean(d) ∓ z sd(d)/sqrt(n)`` over pairs; this treats the matched set as
  given (it leaves out the uncertainty of the estimated score).
* **Bootstrap**: the percentile interval of the same estimate over resamples
  (persons within each group, or pairs), seeded.
* **Balance**: standardised differences ``(m1 − m0) / sqrt((s1² + s0²)/2)``
  per covariate before and after matching (P. C. Austin, "Balance diagnostics
  for comparing the distribution of baseline covariates between treatment
  groups in propensity-score matched samples", Statistics in Medicine
  2009;28:3083–3107; |d| < 0.1 is the usual mark of balance).

The propensity score is a logistic regression fitted by iteratively
reweighted least squares (Newton's method) in numpy, :func:`logistic_fit`:
a dozen lines, so that no statistics library is needed for it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..counterfactual import LEVEL, check_level, effect_vs_control, z_value
from ..errors import SIError
from ..vocabulary import Worded
from .privacy import is_binary


@dataclass(frozen=True)
class Estimate:
    """An effect with its interval (same unit as the measure; 0.18 = 18 percentage points for 0/1 measures)."""

    effect: float
    lower: float
    upper: float
    n1: int
    n0: int
    method: str
    """How the interval was computed: Danish words for a reader standing for a code for a program
    (:class:`~udfs.core.vocabulary.Worded`: ``wald``, ``welch``)."""
    boot_lower: float | None = None
    boot_upper: float | None = None


def check_groups(y1: np.ndarray, y0: np.ndarray) -> None:
    if y1.size < 2 or y0.size < 2:
        which = "indsatsgruppen" if y1.size < 2 else "sammenligningsgruppen"
        raise SIError("kohorte", f"{which} har {min(y1.size, y0.size)} personer; der skal mindst 2 til et interval")


def independent_effect(y1: np.ndarray, y0: np.ndarray, level: float = LEVEL) -> Estimate:
    """Mean difference of two independent groups with its analytic interval (see the module docstring).

    >>> e = independent_effect(np.array([1.0] * 50 + [0.0] * 50), np.array([1.0] * 30 + [0.0] * 70))
    >>> round(e.effect, 4), round(e.lower, 4), round(e.upper, 4)
    (0.2, 0.0671, 0.3329)
    """
    check_groups(y1, y0)
    if is_binary(y1) and is_binary(y0):
        e = effect_vs_control(float(y1.mean()), float(y0.mean()), int(y1.size), int(y0.size), level)
        return Estimate(e.effect, e.lower, e.upper, int(y1.size), int(y0.size), Worded("Wald (andele)", "wald"))
    effect = float(y1.mean() - y0.mean())
    half = z_value(level) * math.sqrt(y1.var(ddof=1) / y1.size + y0.var(ddof=1) / y0.size)
    return Estimate(effect, effect - half, effect + half, int(y1.size), int(y0.size), Worded("normalfordeling (Welch)", "welch"))


def paired_effect(d: np.ndarray, level: float = LEVEL) -> Estimate:
    """Mean of matched-pair differences ``d`` with the interval ``mean ∓ z sd/sqrt(n)``."""
    if d.size < 2:
        raise SIError("kohorte", f"kun {d.size} matchede par; der skal mindst 2 til et interval")
    effect = float(d.mean())
    half = z_value(level) * float(d.std(ddof=1)) / math.sqrt(d.size)
    return Estimate(effect, effect - half, effect + half, int(d.size), int(d.size), "matchede par")


def percentile_interval(draws: np.ndarray, level: float) -> tuple[float, float]:
    a = (1 - check_level(level)) / 2
    lo, hi = np.quantile(draws, [a, 1 - a])
    return float(lo), float(hi)


def bootstrap_independent(y1: np.ndarray, y0: np.ndarray, draws: int, seed: int, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of ``mean(y1) − mean(y0)`` over ``draws`` resamples within each group."""
    rng = np.random.default_rng(seed)
    out = np.empty(draws)
    for i in range(draws):
        out[i] = y1[rng.integers(0, y1.size, y1.size)].mean() - y0[rng.integers(0, y0.size, y0.size)].mean()
    return percentile_interval(out, level)


def bootstrap_pairs(d: np.ndarray, draws: int, seed: int, level: float = LEVEL) -> tuple[float, float]:
    """Percentile interval of the mean pair difference over ``draws`` resamples of pairs."""
    rng = np.random.default_rng(seed)
    out = np.array([d[rng.integers(0, d.size, d.size)].mean() for _ in range(draws)])
    return percentile_interval(out, level)


# --------------------------------------------------------------------------- propensity score


def standardise(x: np.ndarray) -> np.ndarray:
    """Columns centred and scaled to sd 1 (constant columns left at 0)."""
    sd = x.std(axis=0)
    return (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def logistic_fit(x: np.ndarray, t: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Coefficients (intercept first) of a logistic regression of 0/1 ``t`` on ``x`` (n × k), by IRLS.

    Newton's method on the log-likelihood: ``β ← β + (XᵀWX)⁻¹ Xᵀ(t − p)``
    with ``W = diag(p(1 − p))``; a tiny ridge (1e-8) keeps XᵀWX invertible.
    SIError when it does not converge (e.g. complete separation).

    With one 0/1 covariate the fit has a closed form: the intercept is the
    logit of the share with t = 1 among x = 0 (1 of 4: log(1/3) = −1.0986) and
    the slope the difference of logits (3 of 4 among x = 1: 2 × 1.0986):

    >>> x = np.array([[0.0], [0.0], [0.0], [0.0], [1.0], [1.0], [1.0], [1.0]])
    >>> t = np.array([0, 0, 1, 0, 1, 1, 0, 1.0])
    >>> np.round(logistic_fit(x, t), 4)
    array([-1.0986,  2.1972])
    """
    X = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(X.shape[1])
    for _ in range(iterations):
        eta = np.clip(X @ beta, -30, 30)
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        step = np.linalg.solve(X.T @ (X * w[:, None]) + 1e-8 * np.eye(X.shape[1]), X.T @ (t - p))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-8:
            return beta
    raise SIError("kovariater", "propensity-modellen konvergerer ikke (grupperne kan adskilles helt på kovariaterne)")


def logit_scores(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Logit of the fitted propensity score for every row (covariates standardised first)."""
    z = standardise(x)
    beta = logistic_fit(z, t)
    return np.column_stack([np.ones(len(z)), z]) @ beta


@dataclass(frozen=True)
class Matching:
    """Greedy 1:1 matching: ``treated[i]`` is paired with ``control[i]`` (row indices); ``unmatched`` treated had no partner within the caliper."""

    treated: np.ndarray
    control: np.ndarray
    unmatched: int
    caliper: float


def greedy_match(score: np.ndarray, is_treated: np.ndarray, caliper_sd: float = 0.2, seed: int = 1) -> Matching:
    """Nearest unused comparison person on ``score`` for each treated person, in random order, within the caliper.

    The caliper is ``caliper_sd`` standard deviations of the score (pooled over
    all rows).  Without replacement: a comparison person is used at most once.
    """
    t_idx = np.flatnonzero(is_treated)
    c_idx = np.flatnonzero(~is_treated)
    if c_idx.size == 0:
        raise SIError("kohorte", "har ingen personer i puljen at matche med")
    caliper = caliper_sd * float(score.std())
    order = np.argsort(score[c_idx], kind="stable")
    c_sorted = c_idx[order]
    s_sorted = score[c_sorted]
    n = c_sorted.size
    right = np.arange(n + 1)  # next unused position ≥ i (n = none)
    left = np.arange(n + 1)  # index i + 1 stands for position i: next unused position ≤ i (index 0 = none)

    def find(parent: np.ndarray, i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    rng = np.random.default_rng(seed)
    pairs_t, pairs_c = [], []
    for t in rng.permutation(t_idx):
        s = score[t]
        pos = int(np.searchsorted(s_sorted, s))
        r = find(right, pos)
        lpos = find(left, pos) - 1
        best = None
        if r < n:
            best = r
        if lpos >= 0 and (best is None or s - s_sorted[lpos] <= s_sorted[best] - s):
            best = lpos
        if best is None or abs(s_sorted[best] - s) > caliper:
            continue
        pairs_t.append(t)
        pairs_c.append(c_sorted[best])
        right[best] = best + 1
        left[best + 1] = best
    unmatched = int(t_idx.size - len(pairs_t))
    return Matching(np.array(pairs_t, dtype=int), np.array(pairs_c, dtype=int), unmatched, caliper)


def smd(a: np.ndarray, b: np.ndarray) -> float:
    """Standardised difference ``(mean(a) − mean(b)) / sqrt((var(a) + var(b)) / 2)`` (0 when both are constant)."""
    pooled = math.sqrt((a.var(ddof=1) + b.var(ddof=1)) / 2) if a.size > 1 and b.size > 1 else 0.0
    diff = float(a.mean() - b.mean())
    return 0.0 if pooled == 0 else diff / pooled


@dataclass(frozen=True)
class BalanceRow:
    """One covariate: means and standardised differences before and after matching."""

    name: str
    treated_mean: float
    pool_mean: float
    smd_before: float
    matched_mean: float
    smd_after: float


def balance_table(names: list[str], x: np.ndarray, is_treated: np.ndarray, matching: Matching) -> list[BalanceRow]:
    """Balance of every covariate before (all treated vs the whole pool) and after matching (matched pairs)."""
    rows = []
    for j, name in enumerate(names):
        t_all, c_all = x[is_treated, j], x[~is_treated, j]
        t_m, c_m = x[matching.treated, j], x[matching.control, j]
        rows.append(BalanceRow(name, float(t_all.mean()), float(c_all.mean()), smd(t_all, c_all),
                               float(c_m.mean()) if c_m.size else float("nan"), smd(t_m, c_m)))
    return rows
