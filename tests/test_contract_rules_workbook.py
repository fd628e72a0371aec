"""The contract forms of issue 15 (points 3 and 4) in the standard workbook: Utah's share that switches after
repayment, paid every year, and a rate per week with caps measured in months.  LibreOffice recalculates each
workbook and agrees with the core in every result cell; the workbook reads back to the same case."""

from __future__ import annotations

from pathlib import Path

import pytest

from udfs.core.casefile import load_business_case
from udfs.core.engine import run

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"


@pytest.mark.parametrize("name", ["kontrakter/utah_preschool", "kontraktformer/pr_uge"])
def test_libreoffice_agrees_with_the_core_and_the_workbook_reads_back(name, soffice, tmp_path):
    from workbooks import book

    case = load_business_case(CASES / f"{name}.yaml")
    path = book.build(case, tmp_path / f"{Path(name).name}.xlsx")
    checked, differences, cells, kontrol = book.check(path)
    assert cells > 1000
    assert [str(d) for d in differences] == []
    assert checked == case


def test_pay_per_week_with_caps_and_measurement_months():
    # Hand calculation (workbooks/cases/kontraktformer/pr_uge.yaml): net success 0.40 − 0.15 = 0.25 × 50 participants
    # = 12.5; month 24 falls in year ⌊24/12⌋ = 2: 12.5 × 20 weeks = 250 weeks × 3 000 kr. = 750 000 kr., under
    # 30 000 × 50 = 1 500 000 and 800 000; month 36 in year 3: 12.5 × 25 = 312.5 weeks × 3 000 = 937 500 kr.,
    # above the cap in total: 800 000 kr.
    case = load_business_case(CASES / "kontraktformer" / "pr_uge.yaml")
    assert [m.aar for m in case.betalingsmodel.resultatmaal] == [2, 3]
    assert run(case).payments[0].tolist() == pytest.approx([0, 0, 750_000, 800_000, 0], abs=1e-6)
