"""Moving amounts between price years with a price index.

``value × index(to) / index(from)`` — SØM converts own prices to its price
level with the nettoprisindeks this way.  A year outside the index table is an
error, unless the caller gives an explicit annual rate for the years beyond;
the tool never extrapolates silently.

An index is chosen by name (a series in ``prisindeks.csv``: ``npi``, ``fpi``,
``pl_stat``) or given as the user's own series ``{year: value}`` (for example
KL's pris- og lønskøn, which no public source ships in a citable form).  With
a name, the user's own values can also *extend* the published series: they
are chained onto it at the last published year, which the own values must
include, exactly as two bases are chained (:func:`link`, :func:`resolve`).  The name ``eget`` means the own series alone.

A series published on two bases (DST moved NPI and FPI from 2015 = 100 to
2025 = 100 in 2026) is chained onto the older base at the link year, the
latest year that both bases cover (:func:`chain_bases`), so factors across
the change are right.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from .data import indices, manifest
from .errors import SIError, excerpt, did_you_mean, nearest
from .vocabulary import INDEX_WORDS

OWN = "eget"
"""The index name that means the user's own series."""


def default_index() -> str:
    return manifest()["datasets"]["prisindeks"]["default"]


def index_names() -> list[str]:
    return sorted(indices())


def check_index(index: str | Mapping[int, float] | None, own: Mapping[int, float] | None = None) -> str:
    """The index name (default ``npi``), or an error naming ``indeks``."""
    return resolve(index, own)[0]


def _table(index: str) -> dict[int, float]:
    table = indices().get(index)
    if table is None:
        hint = did_you_mean(index, index_names()) or _hint_from_words(index)
        raise SIError("indeks", f"ukendt indeks '{excerpt(index)}'{f' ({hint})' if hint else ''}; kendte: {', '.join(index_names())} eller et eget indeks")
    return table


def _hint_from_words(text: object) -> str:
    """``"mente du 'npi'?"`` for an index typed as (part of) its Danish name, e.g. "nettopris", or ``""``."""
    typed = str(text).strip().lower()
    names = {word.lower(): code for code, word in INDEX_WORDS.items() if code in indices()}
    codes = [code for word, code in names.items() if typed and typed in word] or [names[w] for w in nearest(typed, names)]
    return did_you_mean(codes[0], codes) if len(codes) == 1 else ""


def own_index(pairs: Iterable[tuple[object, object]] | Mapping[object, object], label: str = "indeks") -> dict[int, float]:
    """The user's own index series ``{year: value}``, validated.

    Years are whole numbers 1900–2200 without gaps and without repeats;
    values are positive finite numbers (any base: only ratios are used).
    Errors name ``label`` and the year.
    """
    items = list(pairs.items()) if isinstance(pairs, Mapping) else list(pairs)
    if not items:
        raise SIError(label, "har ingen år med værdier")
    out: dict[int, float] = {}
    for year, value in items:
        if isinstance(year, str) and year.strip().isdigit():
            year = int(year.strip())
        if isinstance(year, bool) or not isinstance(year, (int, float)) or not float(year).is_integer():
            raise SIError(label, f"årstallet '{year}' skal være et helt tal")
        year = int(year)
        if not 1900 <= year <= 2200:
            raise SIError(label, f"årstallet {year} skal ligge mellem 1900 og 2200")
        if year in out:
            raise SIError(label, f"år {year} forekommer mere end én gang")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            raise SIError(label, f"værdien for {year} skal være et positivt tal, ikke '{value}'")
        out[year] = float(value)
    missing = sorted(set(range(min(out), max(out) + 1)) - set(out))
    if missing:
        raise SIError(label, f"mangler år {', '.join(map(str, missing))} (årene skal følge efter hinanden)")
    return dict(sorted(out.items()))


def resolve(index: str | Mapping[int, float] | None = None, own: Mapping[int, float] | None = None) -> tuple[str, dict[int, float]]:
    """The name and the series ``{year: value}`` an uprating uses.

    - ``index`` a mapping: the user's own series itself (name ``"eget"``);
    - ``index == "eget"``: the series ``own`` (an error naming ``indeks`` without it);
    - otherwise the published series ``index`` (default ``npi``), extended by
      ``own`` for the years after its last published year L, chained at L:
      ``own(y) × published(L) / own(L)`` (:func:`link`).  ``own`` must then
      include L; otherwise an error naming ``eget_indeks`` says so.
    """
    if isinstance(index, Mapping):
        return OWN, dict(index)
    name = (index or default_index()).strip().lower()
    if name == OWN:
        if not own:
            raise SIError("indeks", "\"eget\" kræver et eget indeks med værdier (år; værdi)")
        return name, dict(own)
    table = _table(name)
    if own:
        last = max(table)
        if any(y > last for y in own):
            chained = link(table, own)
            if chained is None:
                raise SIError("eget_indeks", (
                    f"de egne værdier ({year_span(own)}) skal også have en værdi for {last}, det sidste år i indekset "
                    f"{name}, så de kan kædes på det: eget(år) / eget({last}) × {name}({last})"
                ))  # fmt: skip
            return name, chained
    return name, table


def check_rate(rate: float | None) -> float | None:
    """An annual rate for years outside an index (a share, −0.5 < rate < 0.5), or an error naming ``fremskrivning``.

    The message quotes the value given and what it would mean as a share
    (``5`` is 500 % a year), since per cent typed as a number is the usual slip.
    """
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not math.isfinite(rate):
        raise SIError("fremskrivning", f"skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 for 2 % om året, ikke '{excerpt(rate)}'")
    if not -0.5 < rate < 0.5:
        given = f"{rate:g}".replace(".", ",")
        share = f"{rate * 100:g}".replace(".", ",")
        raise SIError("fremskrivning", f"skal være en årlig andel mellem -0,5 og 0,5, fx 0,02 for 2 % om året; {given} er {share} % om året")
    return float(rate)


def index_value(
    year: int,
    index: str | Mapping[int, float] | None = None,
    beyond_rate: float | None = None,
    argument: str = "aar",
    own: Mapping[int, float] | None = None,
) -> float:
    """The index value for ``year``.

    Years outside the series are extended from the nearest end with
    ``beyond_rate`` (a share per year, e.g. 0.02) when given; otherwise they
    are an error naming ``argument``.

    Notes
    -----
    Beyond the last year L: ``I(y) = I(L) × (1 + rate)^(y − L)``; before the
    first year F: ``I(y) = I(F) × (1 + rate)^(y − F)``.
    """
    name, table = resolve(index, own)
    if isinstance(year, bool) or not isinstance(year, int):
        raise SIError(argument, "skal være et helt årstal")
    if year in table:
        return table[year]
    rate = check_rate(beyond_rate)
    first, last = min(table), max(table)
    if rate is None:
        raise SIError(
            argument,
            f"år {year} ligger uden for indekset {name} ({first}–{last}); angiv en fremskrivning (fx 0,02) eller et eget indeks",
        )
    if not 1900 <= year <= 2200:
        raise SIError(argument, "skal være et årstal mellem 1900 og 2200")
    anchor = last if year > last else first
    return table[anchor] * (1.0 + rate) ** (year - anchor)


def uprating_factor(
    from_year: int,
    to_year: int,
    index: str | Mapping[int, float] | None = None,
    beyond_rate: float | None = None,
    own: Mapping[int, float] | None = None,
) -> float:
    """Factor that moves an amount from prices of ``from_year`` to prices of ``to_year``.

    Parameters
    ----------
    from_year, to_year : int
        Price years.
    index : str or mapping, optional
        Index name in ``prisindeks.csv`` (default ``npi``, the nettoprisindeks),
        ``"eget"``, or the user's own series ``{year: value}``.
    beyond_rate : float, optional
        Annual rate (share) for years outside the series; without it such
        years are an error.
    own : mapping, optional
        The user's own values ``{year: value}`` (see :func:`resolve`).

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
    >>> uprating_factor(2024, 2026, {2024: 100, 2025: 102, 2026: 104.5})
    1.045
    """
    if from_year == to_year and not isinstance(from_year, bool) and isinstance(from_year, int):
        resolve(index, own)
        check_rate(beyond_rate)
        return 1.0  # the same price level, whatever the index holds
    to_value = index_value(to_year, index, beyond_rate, "til_aar", own)
    from_value = index_value(from_year, index, beyond_rate, "fra_aar", own)
    return to_value / from_value


def uprate(amount: float, from_year: int, to_year: int, index: str | Mapping[int, float] | None = None,
           beyond_rate: float | None = None, own: Mapping[int, float] | None = None) -> float:  # fmt: skip
    """``amount`` (kr., prices of ``from_year``) in prices of ``to_year``."""
    return amount * uprating_factor(from_year, to_year, index, beyond_rate, own)


def missing_years(years: Iterable[int], index: str | Mapping[int, float] | None = None,
                  own: Mapping[int, float] | None = None) -> list[int]:  # fmt: skip
    """The years among ``years`` that the series has no value for (sorted, unique)."""
    table = resolve(index, own)[1]
    return sorted({y for y in years if y not in table})


def extension_note(years: Iterable[int], index: str | Mapping[int, float] | None = None,
                   beyond_rate: float | None = None, own: Mapping[int, float] | None = None) -> str:  # fmt: skip
    """A Danish line saying that ``beyond_rate`` is used, and from which year; ``""`` when it is not.

    Example: ``"Prisindekset npi er fremskrevet med 2,0 % om året fra 2023."``
    """
    name, table = resolve(index, own)
    outside = missing_years(years, index, own)
    if not outside or beyond_rate is None:
        return ""
    rate = f"{beyond_rate * 100:.1f}".replace(".", ",")
    after = [y for y in outside if y > max(table)]
    before = [y for y in outside if y < min(table)]
    parts = ([f"fra {max(table)}"] if after else []) + ([f"tilbage fra {min(table)}"] if before else [])
    return f"Prisindekset {name} er fremskrevet med {rate} % om året {' og '.join(parts)}."


_BASE = re.compile(r"^\s*(\d{4})\s*=\s*100\s*$")


def base_year(basis: str) -> int:
    """The reference year of a base such as ``"2015=100"``."""
    match = _BASE.match(basis or "")
    if not match:
        raise SIError("prisindeks.csv", f"basis '{basis}' skal have formen ÅÅÅÅ=100")
    return int(match.group(1))


def chain_bases(segments: Mapping[str, Mapping[int, float]], name: str = "indeks") -> dict[int, float]:
    """One series on the oldest base from segments published on different bases.

    ``segments`` maps a base (``"2015=100"``, ``"2025=100"``) to that base's
    values ``{year: value}``.  Going from the oldest base to the newest, each
    newer segment is linked at the *link year* L, the latest year both the
    chained series so far and the newer segment cover, and its years after L
    are added as ``new(y) × old(L) / new(L)``.  Factors within the newer
    segment are kept exactly; factors across the change go through L.

    Example (hand calculation in ``tests/test_indices.py``): old base
    2015 = 100 with 2025 = 121.0, new base 2025 = 100 with 2026 = 102.0 gives
    2026 = 102.0 × 121.0 / 100 = 123.42 on the old base.
    """
    ordered = sorted(segments.items(), key=lambda kv: base_year(kv[0]))
    out = dict(ordered[0][1])
    for basis, values in ordered[1:]:
        chained = link(out, values)
        if chained is None:
            raise SIError("prisindeks.csv", f"{name}: basis {basis} har intet år fælles med den ældre basis og kan ikke kædes")
        out = chained
    return out


def link(old: Mapping[int, float], new: Mapping[int, float]) -> dict[int, float] | None:
    """``old`` extended by the years of ``new`` after the link year, on ``old``'s base; ``None`` without a common year.

    The link year L is the latest year both series cover; each later year y
    of ``new`` is added as ``new(y) × old(L) / new(L)``.  Used to chain two
    bases of a published index (:func:`chain_bases`) and to chain the user's
    own values onto a published index (:func:`resolve`).

    Example: old ``{2023: 118.04}``, new ``{2023: 100, 2024: 102}`` gives
    ``{2023: 118.04, 2024: 102 × 118.04 / 100 = 120.4008}``.
    """
    common = set(old) & set(new)
    if not common:
        return None
    at = max(common)
    factor = old[at] / new[at]
    return dict(sorted((dict(old) | {y: v * factor for y, v in new.items() if y > at}).items()))


def year_span(years: Iterable[int]) -> str:
    """Years as Danish text with runs joined: ``"2015–2023 og 2025–2026"``, ``"2024 og 2026"``, ``"2020, 2022 og 2024"``.

    The one way the project lists years in a message (the workbook's price
    message lists the same way, see ``workbooks/standard.py``).
    """
    ys = sorted(set(years))
    runs: list[str] = []
    start = prev = None
    for y in ys + [None]:
        if start is not None and (y is None or y != prev + 1):
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            start = None
        if y is not None and start is None:
            start = y
        prev = y
    return runs[0] if len(runs) == 1 else ", ".join(runs[:-1]) + " og " + runs[-1] if runs else ""
