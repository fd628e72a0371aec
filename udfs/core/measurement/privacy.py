"""Privacy by default: only aggregates leave, and no figure rests on fewer than 5 persons.

Danmarks Statistik's research servers let only aggregates out and suppress
cells under 5 persons (the project's brief; the same rule applies here to
every output: the command line, the report workbook, JSON and the Excel
functions over files).  The rules, applied in one place:

* a count of persons under :data:`MIN_PERSONS` (0 included: "all but none"
  reveals every person's value) is suppressed (``None``, shown as "< 5");
* complementary suppression: when the parts of a shown total have exactly one
  suppressed part, the smallest other part is suppressed too, so that it
  cannot be found by subtraction;
* a share or mean is shown only when the counts behind it are shown (for a
  0/1 value: both the persons with 1 and with 0);
* a difference (an effect) is shown only when both sides are shown;
* person ids are never part of an output (the measures return arrays, not ids).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

MIN_PERSONS = 5
SUPPRESSED_TEXT = "< 5"


def safe_count(n: int) -> int | None:
    """``n`` when at least :data:`MIN_PERSONS`, else None.

    >>> safe_count(5), safe_count(4), safe_count(0)
    (5, None, None)
    """
    return int(n) if n >= MIN_PERSONS else None


def partition(parts: Mapping[str, int]) -> dict[str, int | None]:
    """Counts that add up to a shown total, with small ones and their complements suppressed.

    >>> partition({"1": 3, "0": 40, "ukendt": 12})
    {'1': None, '0': 40, 'ukendt': None}
    >>> partition({"1": 30, "0": 40})
    {'1': 30, '0': 40}
    """
    out: dict[str, int | None] = {k: safe_count(v) for k, v in parts.items()}
    hidden = [k for k, v in out.items() if v is None]
    if len(hidden) == 1 and len(parts) > 1:
        shown = sorted((v, k) for k, v in parts.items() if out[k] is not None)
        if shown:
            out[shown[0][1]] = None
    return out


def is_binary(values: np.ndarray) -> bool:
    """True when every value is 0 or 1."""
    return bool(np.all((values == 0) | (values == 1)))


def safe_summary(values: np.ndarray) -> dict[str, float | int | None]:
    """Aggregates of one group's per-person values, suppressed by the rules above.

    Keys: ``n`` (persons), ``med`` and ``uden`` (persons with 1 / 0, for 0/1
    values), ``gennemsnit``, ``sum`` and ``sd``.
    """
    n = int(values.size)
    out: dict[str, float | int | None] = {"n": safe_count(n)}
    shown = out["n"] is not None
    if is_binary(values) and n:
        ones = int(values.sum())
        parts = partition({"med": ones, "uden": n - ones})
        out.update(parts)
        shown = shown and parts["med"] is not None and parts["uden"] is not None
    mean = float(values.mean()) if n else float("nan")
    out["gennemsnit"] = mean if shown else None
    out["sum"] = float(values.sum()) if shown else None
    out["sd"] = float(values.std(ddof=1)) if shown and n > 1 else None
    return out
