"""``skiftende_andel``: a share of the payer's savings that switches once the investors are repaid.

The payer pays ``andel_foer`` (share A) of its savings until the payments
reach the investors' principal plus the agreed return, ``hovedstol × (1 +
afkast)`` (the switch point T), and ``andel_efter`` (share B) of the savings
after that.  Source of the form: the Utah High Quality Preschool Program
(2013): 95 % of the state's avoided special-education costs until Goldman
Sachs' and J.B. Pritzker's 7 mio. USD loans and 5 % interest were repaid,
then 40 % (see ``workbooks/cases/kontrakter/utah_preschool.yaml``).

The rule is path-dependent over the years, so it is defined on the
*cumulative* savings X (kr. saved up to and including a year, each year's
savings counted from 0 upwards: a year with savings ≤ 0 adds nothing and is not
set off against later years).  The cumulative payment is

    P(X) = min(A × X, T) + B × max(0, X − T / A)

and a year's payment is the increase of P over that year
(:meth:`udfs.core.payment.OutcomeMetric.yearly`): a year that crosses the
switch pays A on its savings up to the point where the payments reach T (the
savings T / A − X_before) and B on the rest of its savings.  Excel:
``=MIN(A*MAX(0;X);T)+B*MAX(0;MAX(0;X)-T/A)`` on a cumulative row.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..vocabulary import kr_words, share_words
from .base import Cell, FormulaCell, NonNegative, Rule, scalar_out


def switching_share(x: Any, before: float, after: float, switch: float) -> Any:
    """``min(before × X, switch) + after × max(0, X − switch / before)`` with ``X = max(0, x)`` (kr.), numpy
    broadcasting: the cumulative payment on cumulative savings ``x``.

    ``before`` > 0 and ``after`` are shares 0–1, ``switch`` the payments (kr.) at
    which the share switches.  Excel: ``=MIN(før*MAX(0;x);skift)+efter*MAX(0;MAX(0;x)-skift/før)``.
    """
    saved = np.maximum(0.0, np.asarray(x, dtype=float))
    return scalar_out(np.minimum(before * saved, switch) + after * np.maximum(0.0, saved - switch / before))


class SwitchingShareRule(Rule):
    """Savings share that switches after repayment (``type: skiftende_andel``; see the module docstring)."""

    type: Literal["skiftende_andel"]
    andel_foer: float = Field(gt=0, le=1, description="Andel af besparelsen (0–1), indtil investorerne har fået hovedstol og afkast.")
    andel_efter: float = Field(ge=0, le=1, description="Andel af besparelsen (0–1) derefter.")
    hovedstol: NonNegative = Field(description="Investorernes hovedstol i kr. (eller kontraktens valuta).")
    afkast: float = Field(0.0, ge=0, le=10, description="Aftalt afkast i alt som andel af hovedstolen (0,05 = 5 %), ikke pr. år.")

    CODE: ClassVar[int] = 5
    LABEL: ClassVar[str] = "Skiftende andel af besparelsen (efter tilbagebetaling)"
    ON_SAVINGS: ClassVar[bool] = True
    SPARE_SLOT: ClassVar[bool] = True
    MEASURED: ClassVar[str] = "besparelse"
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("andel_foer", "andel_foer", "Andel før tilbagebetaling", "percent", low=0, high=1),
        Cell("andel_efter", "andel_efter", "Andel efter tilbagebetaling", "percent", low=0, high=1),
        Cell("hovedstol", "hovedstol", "Investorernes hovedstol (kr.)", "kr", low=0),
        Cell("afkast", "afkast", "Aftalt afkast i alt (andel af hovedstolen)", "percent", low=0),
    )
    FORMULAS: ClassVar[tuple[FormulaCell, ...]] = (
        FormulaCell("skift", "Betalinger, hvor andelen skifter (kr.)", "kr", "{@hovedstol}*(1+{@afkast})"),
    )

    def switch(self) -> float:
        """kr.: the payments at which the share switches, principal × (1 + return)."""
        return self.hovedstol * (1 + self.afkast)

    def describe(self, unit: str = "") -> str:
        """``Skiftende andel: 95 % af betalerens besparelse, til betalingerne når 7,35 mio. kr. (hovedstol 7 mio. kr.
        og 5 % afkast), derefter 40 %.``"""
        return (f"Skiftende andel: {share_words(self.andel_foer)} af betalerens besparelse, til betalingerne når "
                f"{kr_words(self.switch())} (hovedstol {kr_words(self.hovedstol)} og {share_words(self.afkast)} afkast), "
                f"derefter {share_words(self.andel_efter)}.")  # fmt: skip

    def pay(self, x: Any, participants: Any = None) -> Any:
        return switching_share(x, self.andel_foer, self.andel_efter, self.switch())

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """0, the savings at the switch (T / A), and where the payment reaches the metric's cap (0 without one)."""
        t, a, b = self.switch(), self.andel_foer, self.andel_efter
        if metric_cap is None:
            cap = 0.0
        elif metric_cap <= t:
            cap = metric_cap / a
        else:
            cap = 0.0 if b == 0 else t / a + (metric_cap - t) / b
        return [0.0, t / a, cap]

    @classmethod
    def excel(cls) -> str:
        return "MIN({@andel_foer}*MAX(0,{x}),{@skift})+{@andel_efter}*MAX(0,MAX(0,{x})-{@skift}/{@andel_foer})"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        after = f"IF({{@andel_efter}}=0,0,{{@skift}}/{{@andel_foer}}+({metric_cap}-{{@skift}})/{{@andel_efter}})"
        cap = f'IF({metric_cap}="",0,IF({metric_cap}<={{@skift}},{metric_cap}/{{@andel_foer}},{after}))'
        return ["0", "{@skift}/{@andel_foer}", cap]
