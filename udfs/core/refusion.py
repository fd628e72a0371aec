"""The 2016 refusion steps: what a week of benefit costs the kommune.

The state refunds a share of most benefits the kommune pays, by the citizen's
accumulated weeks on public support (weeks 1–4: 80 %, 5–26: 40 %, 27–52: 30 %,
53+: 20 %).  For benefits the state, an a-kasse or Udbetaling Danmark pays
(a-dagpenge, førtidspension, …) the kommune instead co-finances a share
(20 / 60 / 70 / 80 %).  The steps are data (``refusionstrappe.csv``).
"""

from __future__ import annotations

from .data import manifest, refusion_schemes
from .errors import SIError, excerpt

MAX_WEEK = 52 * 100


def default_scheme() -> str:
    return manifest()["datasets"]["refusionstrappe"]["default"]


def scheme_kind(scheme: str) -> str:
    """``"refusion"`` (rate = the state's share) or ``"medfinansiering"`` (rate = the kommune's)."""
    _check_scheme(scheme)
    return manifest()["datasets"]["refusionstrappe"]["kinds"][scheme]


def _check_scheme(scheme: str) -> str:
    if scheme not in refusion_schemes():
        raise SIError("ordning", f"ukendt ordning '{excerpt(scheme)}'; kendte: {', '.join(sorted(refusion_schemes()))}")
    return scheme


def _check_week(week: int, argument: str) -> int:
    if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= MAX_WEEK:
        raise SIError(argument, f"skal være et helt ugenummer fra 1 til {MAX_WEEK}")
    return week


def rate_for_week(week: int, scheme: str | None = None) -> float:
    """The scheme's rate (share 0–1) in week ``week`` of a spell.

    For ``refusion_2016`` this is the state's refusion share; for
    ``medfinansiering_2016`` the kommune's co-financing share.

    Excel equivalent: none; a ``LOOKUP(uge; {1;5;27;53}; {0,8;0,4;0,3;0,2})``
    over the steps gives the same.

    Examples
    --------
    >>> [rate_for_week(w) for w in (1, 4, 5, 26, 27, 52, 53, 200)]
    [0.8, 0.8, 0.4, 0.4, 0.3, 0.3, 0.2, 0.2]
    """
    scheme = _check_scheme(scheme or default_scheme())
    _check_week(week, "uge")
    for step in refusion_schemes()[scheme]:
        if step.fra_uge <= week and (step.til_uge is None or week <= step.til_uge):
            return step.sats
    raise SIError("uge", f"ordningen '{excerpt(scheme)}' dækker ikke uge {week}")


def kommune_share_for_week(week: int, scheme: str | None = None) -> float:
    """Share 0–1 of a week's benefit that the kommune bears in week ``week``."""
    scheme = scheme or default_scheme()
    rate = rate_for_week(week, scheme)
    return 1.0 - rate if scheme_kind(scheme) == "refusion" else rate


def weeks_in_step(first: int, last: int, step_from: int, step_to: int | None) -> int:
    """Number of weeks of ``first..last`` (inclusive) that fall in a step."""
    hi = last if step_to is None else min(last, step_to)
    return max(0, hi - max(first, step_from) + 1)


def kommune_cost(amount_per_week: float, first_week: int, last_week: int, scheme: str | None = None) -> float:
    """The kommune's cost over weeks ``first_week..last_week`` of a spell.

    Parameters
    ----------
    amount_per_week : float
        Gross benefit in kr. per week (prices of any year; the result is in
        the same prices).
    first_week, last_week : int
        Weeks of the spell, counted from 1, both included.
    scheme : str, optional
        ``refusion_2016`` (default: the kommune pays and gets refusion) or
        ``medfinansiering_2016`` (the state / a-kasse pays and the kommune
        co-finances).

    Returns
    -------
    float
        kr. borne by the kommune.

    Notes
    -----
    ``Σ_steps amount_per_week × weeks_in_step × kommune_share(step)``; under
    refusion the kommune's share is 1 − refusion rate.

    Examples
    --------
    >>> kommune_cost(1000, 1, 60)  # 4×200 + 22×600 + 26×700 + 8×800
    38600.0
    """
    scheme = _check_scheme(scheme or default_scheme())
    _check_week(first_week, "fra_uge")
    _check_week(last_week, "til_uge")
    if last_week < first_week:
        raise SIError("til_uge", "skal være større end eller lig med fra_uge")
    refund = scheme_kind(scheme) == "refusion"
    weeks_by_share = (
        (weeks_in_step(first_week, last_week, s.fra_uge, s.til_uge), 1.0 - s.sats if refund else s.sats)
        for s in refusion_schemes()[scheme]
    )
    return float(amount_per_week) * sum(n * share for n, share in weeks_by_share)
