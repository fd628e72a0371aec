"""Measures per person, computed by DuckDB on the panel's week letters.

For a person with start week ``s`` (running number) in a panel whose first
week is ``p0``, relative week ``r`` is character ``s − p0 + 1 + r`` of the
person's letters (1-based).  A measure takes the window's substring,
``translate``\\ s it to '1' (week in the chosen groups) and '0', and counts or
searches it (see :mod:`.definitions` for the types).  A window that reaches
outside the panel for any person is an error: a payment is never computed on
weeks that were not observed.

Results are numpy arrays in the order of the cohort table sorted by person
id; they never leave the core with the ids (see :mod:`.privacy`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import SIError
from .definitions import Measure
from .panel import Panel
from .weeks import week_label


def flags_sql(panel: Panel, measure: Measure, argument: str) -> str:
    """SQL text of '1'/'0' flags over the measure's window for the row's person (needs columns ``g``, ``start``)."""
    mask = panel.grouping.mask(tuple(measure.gruppe), f"{argument}.gruppe")
    pos = f"(k.start - {panel.first} + 1 + ({measure.first}))"
    return f"translate(substr(h.g, {pos}, {measure.weeks}), '{panel.grouping.letters}', '{mask}')"


def ones(flags: str) -> str:
    """SQL: number of '1' in a text expression."""
    return f"(length({flags}) - length(replace({flags}, '1', '')))"


def value_sql(panel: Panel, measure: Measure, argument: str) -> str:
    """SQL for the measure's per-person value (DOUBLE)."""
    f = flags_sql(panel, measure, argument)
    t = measure.type
    if t == "uger":
        return f"CAST({ones(f)} AS DOUBLE)"
    if t == "fuldtid":
        return f"CAST({ones(f)} AS DOUBLE) / {measure.weeks}"
    if t == "status":
        return f"CAST({f} = '1' AS DOUBLE)"
    if t == "overgang":
        return f"CAST(strpos({f}, '1') > 0 AS DOUBLE)"
    if measure.k == measure.m:
        return f"CAST(strpos({f}, '{'1' * measure.m}') > 0 AS DOUBLE)"
    return f  # k of m: the flags go to numpy (durable_from_flags), where sliding sums are cheap


def durable_from_flags(flags: np.ndarray, k: int, m: int) -> np.ndarray:
    """1.0 where some ``m`` consecutive flags ('1'/'0' texts of equal length) hold at least ``k`` ones.

    Sliding sums from a cumulative sum: ``ones(i…i+m−1) = c[i+m] − c[i]``.

    >>> durable_from_flags(np.array(["1101100", "1010101"], dtype=object), 3, 4).tolist()
    [1.0, 0.0]
    """
    if flags.size == 0:
        return np.zeros(0)
    width = len(flags[0])
    bits = np.frombuffer("".join(flags).encode("ascii"), dtype=np.uint8).reshape(len(flags), width) - ord("0")
    c = np.zeros((len(flags), width + 1), dtype=np.int32)
    np.cumsum(bits, axis=1, out=c[:, 1:])
    return ((c[:, m:] - c[:, :-m]).max(axis=1) >= k).astype(float)


def check_window(panel: Panel, measure: Measure, argument: str, argument_last: str | None = None) -> None:
    """SIError when the measure's window reaches outside the panel for some person of the cohort.

    The error names ``argument``, or ``argument_last`` (when given) if only the
    window's end is outside.
    """
    lo, hi = panel.con.execute(
        f"SELECT min(start + ({measure.first})), max(start + ({measure.last})) FROM kohorte"
    ).fetchall()[0]
    if lo is None:
        raise SIError("kohorte", "har ingen personer")
    if lo < panel.first or hi > panel.last:
        outside = panel.con.execute(
            f"SELECT count(*) FROM kohorte WHERE start + ({measure.first}) < {panel.first} OR start + ({measure.last}) > {panel.last}"
        ).fetchall()[0][0]
        raise SIError(
            argument if argument_last is None or lo < panel.first else argument_last,
            f"vinduet (uge {measure.first} til {measure.last} efter start) rækker uden for panelet "
            f"({panel.span()}) for {outside} personer; første/sidste uge i vinduet: {week_label(lo)}/{week_label(hi)}",
        )


@dataclass(frozen=True)
class PersonValues:
    """Per-person values of the cohort (sorted by person id): arm per person and one array per measure and covariate."""

    arm: np.ndarray  # str
    values: dict[str, np.ndarray]
    covariates: np.ndarray  # (n, c)

    def arm_mask(self, arm: str) -> np.ndarray:
        return self.arm == arm


def measure_persons(panel: Panel, measures: Sequence[Measure], n_covariates: int = 0, argument: str = "maal") -> PersonValues:
    """Every measure for every person of table ``kohorte`` (one query; DuckDB runs it in parallel).

    Returns a :class:`PersonValues`; SIError naming ``maal[i]`` when a
    measure's window leaves the panel.
    """
    for i, m in enumerate(measures):
        check_window(panel, m, f"{argument}[{i}]")
    cols = ", ".join(f"{value_sql(panel, m, f'{argument}[{i}]')} AS v{i}" for i, m in enumerate(measures))
    covs = "".join(f", k.c{j}" for j in range(n_covariates))
    got = panel.con.execute(
        f"SELECT k.arm{covs}{', ' + cols if cols else ''} FROM kohorte k JOIN historik h USING (pid) ORDER BY k.pid"
    ).fetchnumpy()
    arm = np.asarray(got["arm"]).astype(str)
    cov = np.column_stack([np.asarray(got[f"c{j}"], dtype=float) for j in range(n_covariates)]) if n_covariates else np.zeros((len(arm), 0))
    values = {}
    for i, m in enumerate(measures):
        column = np.asarray(got[f"v{i}"])
        values[m.id] = durable_from_flags(column, m.k, m.m) if m.type == "varig" and m.k != m.m else column.astype(float)
    return PersonValues(arm, values, cov)
