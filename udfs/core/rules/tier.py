"""``trappe``: steps; the payment of the highest step reached (reaching a step exactly counts)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..checks import check_same_length, check_strictly_increasing, reaches
from .base import Cell, NonNegative, Rule, scalar_out


def tiers(x: Any, thresholds: Any, payments: Any) -> Any:
    """The payment of the highest threshold ``x`` reaches, 0 below the first; numpy broadcasting.

    Reached as Excel compares (:func:`udfs.core.checks.reaches`).  Excel:
    ``=IF(x<INDEX(tærskler;1);0;INDEX(betalinger;MATCH(x;tærskler;1)))``.
    """
    reached = reaches(np.asarray(x, dtype=float)[..., None], np.asarray(thresholds, dtype=float))
    pays = np.concatenate([[0.0], np.asarray(payments, dtype=float)])
    return scalar_out(pays[np.sum(reached, axis=-1)])


class TierRule(Rule):
    """Tiers: the payment of the highest step reached (``type: trappe``; see :func:`udfs.core.payment.tier_payment`)."""

    type: Literal["trappe"]
    taerskler: list[float] = Field(min_length=1, description="Strengt stigende, i resultatmålets enhed.")
    betalinger: list[NonNegative] = Field(min_length=1, description="kr. pr. trin.")

    CODE: ClassVar[int] = 2
    LABEL: ClassVar[str] = "Trappe (betaling pr. trin)"
    STEPS: ClassVar[tuple[str, str, str] | None] = ("trin", "Trin", "Trin")
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("taerskler", "taerskler", "Tærskel", "decimal", step=True),
        Cell("betalinger", "betalinger", "Betaling (kr.)", "kr", low=0, step=True),
    )
    SI_CHECK: ClassVar[str | None] = "SI_TRAPPEBETALING({@opnaaet},{@taerskler},{@betalinger})"

    @model_validator(mode="after")
    def _steps(self) -> TierRule:
        check_same_length("betalinger", self.betalinger, "taerskler", self.taerskler)
        check_strictly_increasing("taerskler", self.taerskler)
        return self

    def steps(self) -> int:
        return len(self.taerskler)

    def pay(self, x: Any, participants: Any = None) -> Any:
        return tiers(x, self.taerskler, self.betalinger)

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """The steps."""
        return list(self.taerskler)

    @classmethod
    def excel(cls) -> str:
        return "IF({x}<INDEX({@taerskler},1,1),0,INDEX({@betalinger},1,MATCH({x},{@taerskler},1)))"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        return [f"{{@taerskler[{k}]}}" for k in range(steps)]
