"""Moving amounts between price years with a price index.

``value × index(to) / index(from)`` — SØM converts own prices to its price
level with the nettoprisindeks this way.  A year outside the index table is an
error, unless the caller gives an explicit annual rate for the years beyond;
the tool never extrapolates silently.
"""

from __future__ import annotations

import math

from .data import indices, manifest
from .errors import SIError, excerpt


def default_index() -> str:
    return manifest()["datasets"]["prisindeks"]["default"]


def index_names() -> list[str]:
    return sorted(indices())


def check_index(index: str | None) -> str:
    """The index name (default ``npi``), or an error naming ``indeks``."""
    name = index or default_index()
    _table(name)
    return name


def _table(index: str) -> dict[int, float]:
    table = indices().get(index)
    if table is None:
        raise SIError("indeks", f"ukendt indeks '{excerpt(index)}'; kendte: {', '.join(index_names())}")
    return table


def _check_rate(rate: float | None) -> float | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate) or not -0.5 < rate < 0.5:
        raise SIError("fremskrivning", "skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 (ikke 2)")
    return float(rate)


def index_value(year: int, index: str | None = None, beyond_rate: float | None = None, argument: str = "aar") -> float:
    """The index value for ``year``.

    Years outside the table are extended from the nearest end with
    ``beyond_rate`` (a share per year, e.g. 0.02) when given; otherwise they
    are an error naming ``argument``.

    Notes
    -----
    Beyond the last year L: ``I(y) = I(L) × (1 + rate)^(y − L)``; before the
    first year F: ``I(y) = I(F) × (1 + rate)^(y − F)``.
    """
    table = _table(index or default_index())
    if isinstance(year, bool) or not isinstance(year, int):
        raise SIError(argument, "skal være et helt årstal")
    if year in table:
        return table[year]
    rate = _check_rate(beyond_rate)
    first, last = min(table), max(table)
    if rate is None:
        raise SIError(argument, f"år {year} ligger uden for indekset ({first}–{last}); angiv en fremskrivning")
    if not 1900 <= year <= 2200:
        raise SIError(argument, "skal være et årstal mellem 1900 og 2200")
    anchor = last if year > last else first
    return table[anchor] * (1.0 + rate) ** (year - anchor)


def uprating_factor(from_year: int, to_year: int, index: str | None = None, beyond_rate: float | None = None) -> float:
    """Factor that moves an amount from prices of ``from_year`` to prices of ``to_year``.

    Parameters
    ----------
    from_year, to_year : int
        Price years.
    index : str, optional
        Index name in ``prisindeks.csv`` (default ``npi``, the nettoprisindeks).
    beyond_rate : float, optional
        Annual rate (share) for years outside the table; without it such years
        are an error.

    Returns
    -------
    float
        Unitless; multiply kr. in ``from_year`` prices to get ``to_year`` prices.

    Notes
    -----
    ``factor = I(to_year) / I(from_year)``, and exactly 1 when the years are
    equal (even for a year outside the table).  Chain-consistent:
    ``f(A, B) × f(B, C) = f(A, C)``.

    Examples
    --------
    >>> uprating_factor(2020, 2020)
    1.0
    """
    if from_year == to_year and not isinstance(from_year, bool) and isinstance(from_year, int):
        check_index(index)
        _check_rate(beyond_rate)
        return 1.0  # the same price level, whatever the index holds
    to_value = index_value(to_year, index, beyond_rate, "til_aar")
    from_value = index_value(from_year, index, beyond_rate, "fra_aar")
    return to_value / from_value


def uprate(amount: float, from_year: int, to_year: int, index: str | None = None, beyond_rate: float | None = None) -> float:
    """``amount`` (kr., prices of ``from_year``) in prices of ``to_year``."""
    return amount * uprating_factor(from_year, to_year, index, beyond_rate)
