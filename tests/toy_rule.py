"""A toy payment rule in one file: a price per unit achieved above a threshold (``type: pr_enhed_over``).

Nothing else in the project names it.  Registered before the payment model is built, it is in the
JSON Schema, the engine, the break-even, the standard workbook (LibreOffice recalculates it) and the
read-back.  ``python -m tests.toy_rule`` registers it, runs all of these on a small case and prints
the results as JSON (tests/test_toy_rule.py reads them); the registry is closed once
:mod:`udfs.core.payment` is imported, so it runs in a process of its own.
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np

from udfs.core.rules import register
from udfs.core.rules.base import Cell, NonNegative, Rule, scalar_out


@register
class PricePerUnitAbove(Rule):
    """``pris × max(0, x − taerskel)`` kr."""

    type: Literal["pr_enhed_over"]
    taerskel: float
    pris: NonNegative

    CODE: ClassVar[int] = 90
    LABEL: ClassVar[str] = "pr_enhed_over"
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("taerskel", "taerskel", "Tærskel", "decimal"),
        Cell("pris", "pris", "Pris pr. enhed over tærsklen (kr.)", "kr", low=0),
    )

    def pay(self, x: Any, participants: Any = None) -> Any:
        return scalar_out(self.pris * np.maximum(0.0, np.asarray(x, dtype=float) - self.taerskel))

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        cap_reached = self.taerskel if metric_cap is None or self.pris == 0 else self.taerskel + metric_cap / self.pris
        return [self.taerskel, cap_reached]

    @classmethod
    def excel(cls) -> str:
        return "{@pris}*MAX(0,{x}-{@taerskel})"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        return ["{@taerskel}", f'IF(OR({metric_cap}="",{{@pris}}=0),{{@taerskel}},{{@taerskel}}+{metric_cap}/{{@pris}})']


def toy_case() -> dict[str, Any]:
    """The worked example of tests/feature_cases.py paid by the toy rule: 3 000 kr. per job above 2 jobs,
    capped at 30 000 kr., measured as the number of net successes of the effect ``job``."""
    from tests.feature_cases import WORKED, metric

    data = copy.deepcopy(WORKED)
    data["indsats"].append({"navn": "Investor", "betaler": "investor", "pr_aar": [20_000]})
    data["betalingsmodel"] = {"resultatmaal": [
        metric("job", 1, {"type": "pr_enhed_over", "taerskel": 2, "pris": 3_000}, loft=30_000)]}
    data["maaling"] = {"job": {"effekt": "job", "maal": "antal"}}
    return data


def main() -> dict[str, Any]:
    from udfs.core.businesscase import break_evens, rule_knots
    from udfs.core.case_model import parse_case
    from udfs.core.engine import prepare, run
    from udfs.core.payment import payment_model_json_schema
    from workbooks import book

    case = parse_case(toy_case())
    result = run(case)
    schema = json.dumps(payment_model_json_schema())
    be = break_evens(case)
    with tempfile.TemporaryDirectory() as tmp:
        path = book.build(case, Path(tmp) / "toy.xlsx")
        extracted = book.extract(path)
        checked, differences, cells, kontrol = book.check(path)
    return {
        "in_schema": '"pr_enhed_over"' in schema,
        "payments": result.payments[0].tolist(),
        "knots": rule_knots(case, prepare(case)),
        "break_even_payer": be["betaler"].rate,
        "break_even_investor": be["investor"].rate,
        "read_back_equal": extracted == case and checked == case,
        "workbook_differences": [str(d) for d in differences],
        "workbook_cells": cells,
        "kontrol_ok": all(k.ok for k in kontrol),
    }


if __name__ == "__main__":
    json.dump(main(), sys.stdout)
