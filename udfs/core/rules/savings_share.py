"""``besparelsesandel``: a fixed share of the payer's measured savings (0 when they are ≤ 0)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..checks import check_number, check_share
from ..vocabulary import sentence, share_words
from .base import Cell, Rule, scalar_out


def savings_share(x: Any, share: float) -> Any:
    """``share × max(0, x)``, numpy broadcasting.  Excel: ``=andel*MAX(0; besparelse)``."""
    return scalar_out(share * np.maximum(0.0, np.asarray(x, dtype=float)))


def checked_payment(savings: Any, share: Any) -> float:
    """The savings-share payment with both arguments checked (see :func:`udfs.core.payment.savings_share_payment`)."""
    return savings_share(check_number("besparelse", savings), check_share("andel", share))


class SavingsShareRule(Rule):
    """Savings share (``type: besparelsesandel``; see :func:`udfs.core.payment.savings_share_payment`)."""

    type: Literal["besparelsesandel"]
    andel: float = Field(ge=0, le=1, description="Andel 0–1, ikke procent.")

    CODE: ClassVar[int] = 3
    LABEL: ClassVar[str] = "Andel af besparelsen"
    ON_SAVINGS: ClassVar[bool] = True
    MEASURED: ClassVar[str] = "besparelse"
    CELLS: ClassVar[tuple[Cell, ...]] = (Cell("andel", "andel", "Andel af besparelsen", "percent", low=0, high=1),)

    def describe(self, unit: str = "") -> str:
        """``Andel af besparelsen: 40 % af betalerens besparelse.``"""
        return sentence(f"Andel af besparelsen: {share_words(self.andel)} af betalerens besparelse")

    def pay(self, x: Any, participants: Any = None) -> Any:
        return savings_share(x, self.andel)

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """0 (savings turn positive) and where the share reaches the metric's cap."""
        return [0.0, 0.0 if metric_cap is None or self.andel == 0 else metric_cap / self.andel]

    @classmethod
    def excel(cls) -> str:
        return "{@andel}*MAX(0,{x})"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        return ["0", f'IF(OR({metric_cap}="",{{@andel}}=0),0,{metric_cap}/{{@andel}})']
