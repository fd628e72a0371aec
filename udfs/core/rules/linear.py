"""``lineaer``: 0 up to the threshold, then a straight line reaching the target payment at the target.

The line continues at the same slope up to the rule's cap (default: the
payment at the target).  Source of the form: the linear payment of SIB
contracts, e.g. Job til mor (see ``workbooks/cases/job_til_mor.yaml``).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..checks import check_non_negative, check_number, check_threshold_below_target
from ..vocabulary import kr_words, number_words, sentence
from .base import Cell, NonNegative, Rule, scalar_out


def linear(x: Any, threshold: float, target: float, payment_at_target: float, cap: float) -> Any:
    """``min(cap, payment_at_target × max(0, (x − threshold) / (target − threshold)))``, numpy broadcasting.

    Exactly at the threshold 0 is paid, exactly at the target
    ``payment_at_target`` (the fraction is exactly 1).  Excel:
    ``=MIN(loft; betaling*MAX(0; (x-tærskel)/(mål-tærskel)))``.
    """
    fraction = np.maximum(0.0, (np.asarray(x, dtype=float) - threshold) / (target - threshold))
    return scalar_out(np.minimum(cap, payment_at_target * fraction))


def checked_payment(achieved: Any, threshold: Any, target: Any, payment_at_target: Any, cap: Any = None) -> float:
    """The linear payment with every argument checked; the cap defaults to the payment at the target
    (see :func:`udfs.core.payment.linear_payment`)."""
    a, t, m = check_number("opnaaet", achieved), check_number("taerskel", threshold), check_number("maal", target)
    check_threshold_below_target(t, m)
    p = check_non_negative("betaling_ved_maal", payment_at_target)
    return linear(a, t, m, p, p if cap is None else check_non_negative("loft", cap))


class LinearRule(Rule):
    """Linear payment between threshold and target (``type: lineaer``; see :func:`udfs.core.payment.linear_payment`)."""

    type: Literal["lineaer"]
    taerskel: float = Field(description="Tærskel i resultatmålets enhed; ved eller under den betales 0.")
    maal: float = Field(description="Mål i resultatmålets enhed; her betales betaling_ved_maal.")
    betaling_ved_maal: NonNegative = Field(description="kr. ved opnået mål.")
    loft: NonNegative | None = Field(None, description="kr.; standard = betaling_ved_maal.")

    CODE: ClassVar[int] = 1
    LABEL: ClassVar[str] = "Lineær (fra tærskel til mål)"
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("taerskel", "taerskel", "Tærskel", "decimal"),
        Cell("maalvaerdi", "maal", "Mål", "decimal"),
        Cell("betaling", "betaling_ved_maal", "Betaling ved mål (kr.)", "kr", low=0),
        Cell("regelloft", "loft", "Regelens loft (kr.; tom = betaling ved mål)", "kr", required=False, low=0),
    )
    SI_CHECK: ClassVar[str | None] = "SI_RESULTATBETALING({@opnaaet},{@taerskel},{@maalvaerdi},{@betaling},{@regelloft})"

    @model_validator(mode="after")
    def _threshold_below_target(self) -> LinearRule:
        check_threshold_below_target(self.taerskel, self.maal)
        return self

    def cap(self) -> float:
        """kr.: the rule's cap, default the payment at the target."""
        return self.betaling_ved_maal if self.loft is None else self.loft

    def describe(self, unit: str = "") -> str:
        """``Lineær: 0 kr. ved 3 personer, 2,5 mio. kr. ved 10, højst 3 mio. kr.``"""
        at = f" {unit}" if unit else ""
        return sentence(f"Lineær: 0 kr. ved {number_words(self.taerskel)}{at}, {kr_words(self.betaling_ved_maal)} ved "
                        f"{number_words(self.maal)}, højst {kr_words(self.cap())}")  # fmt: skip

    def pay(self, x: Any, participants: Any = None) -> Any:
        return linear(x, self.taerskel, self.maal, self.betaling_ved_maal, self.cap())

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """Threshold, target, and where the line reaches the smaller of the two caps."""
        cap = self.cap() if metric_cap is None else min(self.cap(), metric_cap)
        reach = 0.0 if self.betaling_ved_maal == 0 else cap / self.betaling_ved_maal
        return [self.taerskel, self.maal, self.taerskel + reach * (self.maal - self.taerskel)]

    @classmethod
    def excel(cls) -> str:
        cap = 'IF({@regelloft}="",{@betaling},{@regelloft})'
        return f"MIN({cap},MAX(0,({{x}}-{{@taerskel}})/({{@maalvaerdi}}-{{@taerskel}}))*{{@betaling}})"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        cap = 'IF({@regelloft}="",{@betaling},{@regelloft})'
        cap = f'IF({metric_cap}="",{cap},MIN({cap},{metric_cap}))'
        return ["{@taerskel}", "{@maalvaerdi}",
                f"{{@taerskel}}+IF({{@betaling}}=0,0,{cap}/{{@betaling}})*({{@maalvaerdi}}-{{@taerskel}})"]  # fmt: skip
