"""``sibc check`` compares amounts to 0,01 kr. -- except where a float cannot hold the øre: Excel and Python keep 15-17
significant digits, so two computations of 2,5 × 10¹⁷ kr. (a case with 10¹² participants, warned about as more than
Denmark's population) differ by hundreds of kr. in their last digits (a trial found 96–384 kr.) and are the same figure."""

from __future__ import annotations

import pytest

from workbooks.book import _same


@pytest.mark.parametrize("workbook, core, agree", [
    (1_000_000.00, 1_000_000.009, True),     # within 0,01 kr.
    (1_000_000.00, 1_000_000.02, False),     # 2 øre apart: a difference
    (254866940866915008.0, 254866940866914624.0, True),  # 384 kr. on 2,5 × 10¹⁷ (1,5 × 10⁻¹⁵): float noise
    (254866940866915008.0, 254866940800000000.0, False),  # 66.915.008 kr. apart (2,6 × 10⁻¹⁰): a real difference; the
    # tolerance there is 10⁻¹³ × 2,5 × 10¹⁷ = 25.487 kr.
])
def test_amounts_agree_to_the_oere_or_to_a_floats_precision(workbook, core, agree):
    assert _same(workbook, core, "nv_betaler") is agree
