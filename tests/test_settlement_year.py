"""The contract's settlement year in its two forms, on one table of cases: the Python form
(``udfs.core.payment.settlement_year``, which ``Case.settlement_year`` applies) and the Excel form of the standard
workbook's cell ``garanti_aar`` (``workbooks.standard.settlement_year_formula`` from
``udfs.core.payment.settlement_year_excel``), recalculated by LibreOffice.

The rule, by hand: the latest year an outcome metric pays in (its ``aar``, or its ``til_aar`` when it is paid every
year), at most the horizon's last year (horizon − 1); the horizon's last year without any metric.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from udfs.core.casefile import read_case_file
from udfs.core.payment import settlement_year
from workbooks.standard import Dims, settlement_year_formula

UTAH = Path(__file__).resolve().parents[1] / "workbooks" / "cases" / "kontrakter" / "utah_preschool.yaml"

NO_CELL = object()
"""A metric slot built paid once: it has no ``til_aar`` cell."""


def once(aar):
    return (aar, NO_CELL)


def yearly(aar, til_aar):
    return (aar, til_aar)


TABLE = [
    # (horizon, metric slots (aar, til_aar; None = a blank cell), settlement year by hand)
    (10, [once(2), once(4)], 4),  # the latest measurement year, 4
    (10, [once(1), yearly(2, 6)], 6),  # paid every year to year 6, after the other metric's year 1
    (8, [yearly(1, 7)], 7),  # Utah (utah_preschool.yaml): aar 1, til_aar 7, horizon 8 → 7 = the horizon's last year
    (5, [yearly(2, 8)], 4),  # til_aar 8 is after the horizon's last year 5 − 1 = 4: capped at 4
    (3, [once(5)], 2),  # a measurement after the horizon (a case refuses it): capped at 3 − 1 = 2
    (7, [], 6),  # no payment model: the horizon's last year, 7 − 1 = 6
    (7, [once(None)], 6),  # a spare slot (blank): no metric, so 6 as above
    (10, [yearly(3, None), once(None)], 3),  # a slot built paid every year with til_aar left blank pays once, in year 3
    (1, [once(0)], 0),  # a one-year horizon: year 0
]


def payment_years(slots) -> list[int]:
    """The years the case's metrics pay in: each filled slot's aar and, where given, its til_aar."""
    return [y for aar, til in slots if aar is not None for y in (aar, til) if y is not None and y is not NO_CELL]


@pytest.mark.parametrize(("horizon", "slots", "expected"), TABLE)
def test_python_form(horizon, slots, expected):
    assert settlement_year(horizon, payment_years(slots)) == expected
    # the case's property applies it to its own metrics (Utah's metric, copied with each slot's years)
    case = read_case_file(UTAH)
    metric = case.betalingsmodel.resultatmaal[0]
    metrics = [metric.model_copy(update={"aar": aar, "til_aar": None if til is NO_CELL else til})
               for aar, til in slots if aar is not None]
    model = case.betalingsmodel.model_copy(update={"resultatmaal": metrics}) if metrics else None
    assert case.model_copy(update={"horisont": horizon, "betalingsmodel": model}).settlement_year == expected


def test_excel_form_recalculated_by_libreoffice(libreoffice):
    """Each row of the table on its own sheet row: the horizon in column A, each slot's aar and til_aar cells after it
    (blank where None), and the workbook's formula of ``garanti_aar`` for that many slots with those cells."""
    cells: dict[str, object] = {}
    results = []
    for r, (horizon, slots, _) in enumerate(TABLE, start=1):
        where = {"horisont": f"A{r}"}
        column = 1
        for m, (aar, til) in enumerate(slots, start=1):
            for field, value in (("aar", aar), ("til_aar", til)):
                if value is NO_CELL:
                    continue
                column += 1
                address = f"{chr(64 + column)}{r}"
                where[f"bm{m}_{field}"] = address
                if value is not None:
                    cells[address] = value
        d = Dims(years=12, effects=1, costs=1, units=1, metrics=tuple((1, 1) for _ in slots), distributions=0,
                 yearly=tuple(m for m, (_, til) in enumerate(slots, start=1) if til is not NO_CELL))
        cells[f"A{r}"] = horizon
        cells[f"J{r}"] = re.sub(r"\{(\w+)\}", lambda hit: where[hit.group(1)], settlement_year_formula(d))
        results.append(f"J{r}")
    got = libreoffice(cells)
    assert [got[a] for a in results] == [expected for _, _, expected in TABLE], [cells[a] for a in results]
