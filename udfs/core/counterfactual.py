"""Effect against a control group or a historical baseline (mereffekt).

The effect of an intervention is the difference between the share of the
treated group that reaches the outcome and the share of a comparison group
(a control group, or the same kind of citizens in an earlier period) that
reaches it anyway.  The difference is what SØM calls the success rate net of
deadweight (dødvægt).  Shares are 0–1 and so is the effect: 18 percentage
points is 0.18.

With group sizes the effect gets a Wald confidence interval (normal
approximation for a difference of two independent proportions).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any, NamedTuple

from .checks import check_number, check_share, check_whole
from .errors import SIError


LEVEL = 0.95
"""The default confidence level (and test level) of every interval and design calculation: 95 %."""


class Effect(NamedTuple):
    """Mereffekt with its confidence interval (``lower``/``upper`` are None without group sizes)."""

    effect: float
    lower: float | None
    upper: float | None

    def rows(self, level: float = LEVEL) -> list[tuple[str, float | None]]:
        """Labelled rows for a two-column table (Danish labels)."""
        pct = f"{level * 100:g}".replace(".", ",")
        return [
            ("Mereffekt", self.effect),
            (f"Nedre grænse ({pct} %)", self.lower),
            (f"Øvre grænse ({pct} %)", self.upper),
        ]


def check_group_size(argument: str, value: Any) -> int:
    """A whole number ≥ 1 (Excel passes 45.0 for 45)."""
    return check_whole(argument, value, 1)


def check_level(value: Any) -> float:
    """A confidence level strictly between 0 and 1 (0.95, not 95)."""
    number = check_number("niveau", value)
    if not 0.0 < number < 1.0:
        raise SIError("niveau", "skal være en andel mellem 0 og 1 (fx 0,95), ikke procent")
    return number


def z_value(level: float = LEVEL) -> float:
    """Two-sided standard-normal quantile for ``level``: 1.959964 for 0.95.

    Notes
    -----
    ``z = Φ⁻¹((1 + level) / 2)``.  Excel equivalent:
    ``NORM.S.INV((1+niveau)/2)``.

    Examples
    --------
    >>> round(z_value(0.95), 6)
    1.959964
    """
    return NormalDist().inv_cdf((1.0 + check_level(level)) / 2.0)


def wald_standard_error(share_treated: float, n_treated: int, share_control: float, n_control: int) -> float:
    """Standard error of a difference between two independent shares (share 0–1).

    Notes
    -----
    ``se = sqrt(p1 (1 − p1) / n1 + p0 (1 − p0) / n0)``.
    Excel: ``=SQRT(p1*(1-p1)/n1 + p0*(1-p0)/n0)``.

    Examples
    --------
    >>> round(wald_standard_error(0.5, 100, 0.5, 100), 10)
    0.0707106781
    """
    return math.sqrt(
        share_treated * (1.0 - share_treated) / n_treated + share_control * (1.0 - share_control) / n_control
    )


def effect_vs_control(
    share_treated: float,
    share_control: float,
    n_treated: int | None = None,
    n_control: int | None = None,
    level: float = 0.95,
) -> Effect:
    """Effect of an intervention against a control group or baseline, with a Wald interval.

    Parameters
    ----------
    share_treated : float
        Andel i indsatsgruppen med udfaldet, share 0–1, not per cent.
    share_control : float
        Andel i kontrolgruppen (or the historical baseline), share 0–1.
    n_treated, n_control : int, optional
        Group sizes (whole numbers ≥ 1).  Give both or neither.
    level : float
        Confidence level, share strictly between 0 and 1 (default 0.95).

    Returns
    -------
    Effect
        ``(effect, lower, upper)``: the difference in shares (0.18 = 18
        percentage points) and the interval bounds; the bounds are None
        without group sizes.

    Notes
    -----
    ``effect = p1 − p0``;
    ``se = sqrt(p1 (1 − p1) / n1 + p0 (1 − p0) / n0)``;
    ``[lower, upper] = effect ∓ z × se`` with ``z = Φ⁻¹((1 + level) / 2)``.

    The Wald interval is the usual normal approximation; it is poor for very
    small groups or shares near 0 or 1 (at p = 0 or 1 in both groups the
    standard error is 0 and the interval shrinks to the point).  It is not
    clipped to [−1, 1].

    Excel equivalent: ``=p1-p0`` and
    ``=(p1-p0) ± NORM.S.INV((1+niveau)/2)*SQRT(p1*(1-p1)/n1+p0*(1-p0)/n0)``.

    Examples
    --------
    >>> round(effect_vs_control(0.30, 0.12).effect, 12)
    0.18
    >>> e = effect_vs_control(0.5, 0.3, 100, 100)
    >>> round(e.lower, 4), round(e.upper, 4)
    (0.0671, 0.3329)
    """
    p1 = check_share("andel_indsats", share_treated)
    p0 = check_share("andel_kontrol", share_control)
    z = z_value(level)
    effect = p1 - p0
    if n_treated is None and n_control is None:
        return Effect(effect, None, None)
    if n_treated is None or n_control is None:
        missing = "n_indsats" if n_treated is None else "n_kontrol"
        raise SIError(missing, "angiv begge gruppestørrelser eller ingen af dem")
    n1 = check_group_size("n_indsats", n_treated)
    n0 = check_group_size("n_kontrol", n_control)
    half_width = z * wald_standard_error(p1, n1, p0, n0)
    return Effect(effect, effect - half_width, effect + half_width)
