"""Measures over a sheet range: small cohorts in Excel, with the same DuckDB code as files.

The range holds one row per person and one column per consecutive ISO week
(codes as numbers or texts, empty = empty week); a row or column of week
labels names the columns; a column of start weeks gives each person's week 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import check_whole
from ..errors import SIError
from .definitions import MAX_WEEKS, parse_measure
from .grouping import load_grouping
from .measures import check_window, measure_persons
from .panel import code_text, cohort_from_starts, connect, load_rows
from .privacy import MIN_PERSONS


def sheet_measure(codes: Sequence[Sequence[Any]], weeks: Sequence[Any], starts: Sequence[Any], kind: str,
                  first: Any, last: Any, group: str = "selvforsoerget") -> np.ndarray:
    """Per-person values (row order) of a ``uger`` or ``fuldtid`` measure over a sheet range.

    Arguments are named as the Excel functions name them: ``koder``,
    ``uger``, ``start``, ``fra_uge``, ``til_uge``, ``gruppe``.
    """
    codes = [[code_text(f"koder[{r},{c}]", v) for c, v in enumerate(row, start=1)] for r, row in enumerate(codes, start=1)]
    if len(weeks) == 0:
        raise SIError("uger", "er tomt")
    for i, row in enumerate(codes, start=1):
        if len(row) != len(weeks):
            raise SIError("koder", f"række {i} har {len(row)} uger, men uger har {len(weeks)}")
    if len(starts) != len(codes):
        raise SIError("start", f"har {len(starts)} startuger, men koder har {len(codes)} personer (rækker)")
    a = check_whole("fra_uge", first, -MAX_WEEKS, MAX_WEEKS)
    b = check_whole("til_uge", last, -MAX_WEEKS, MAX_WEEKS)
    if b < a:
        raise SIError("til_uge", f"er {b}, men skal være mindst fra_uge ({a})")
    grouping = load_grouping()
    grouping.group(group, "gruppe")
    measure = parse_measure({"id": "ark", "navn": "ark", "type": kind, "gruppe": group, "fra": a, "til": b})
    con = connect()
    try:
        panel = load_rows(con, weeks, codes, grouping)
        cohort_from_starts(con, starts)
        check_window(panel, measure, "fra_uge", "til_uge")
        return measure_persons(panel, [measure]).values["ark"]
    finally:
        con.close()


def full_time_persons(codes: Sequence[Sequence[Any]], weeks: Sequence[Any], starts: Sequence[Any],
                      first: Any, last: Any, group: str = "selvforsoerget") -> float:
    """Jobindsats's fuldtidspersoner of a cohort: Σ weeks in the group ÷ weeks in the window.

    SIError naming ``koder`` for fewer than 5 persons (see :mod:`.privacy`).
    """
    if len(codes) < MIN_PERSONS:
        raise SIError("koder", f"har {len(codes)} personer; tal for færre end {MIN_PERSONS} personer vises ikke")
    return float(sheet_measure(codes, weeks, starts, "fuldtid", first, last, group).sum())
