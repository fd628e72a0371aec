"""``trappe``: steps; the payment of the highest step reached (reaching a step exactly counts)."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..checks import check_non_negative_series, check_number, check_series, check_strictly_increasing, reaches
from ..errors import SIError, too_many
from ..limits import MAX_STEPS
from ..vocabulary import kr_words, number_words, sentence
from .base import Cell, NonNegative, Rule, scalar_out


def tiers(x: Any, thresholds: Any, payments: Any) -> Any:
    """The payment of the highest threshold ``x`` reaches, 0 below the first; numpy broadcasting.

    Reached as Excel compares (:func:`udfs.core.checks.reaches`).  Excel (:meth:`TierRule.excel`):
    ``=IF(x<INDEX(tærskler;1);0;INDEX(betalinger;SUMPRODUCT((tærskler<>"")*(tærskler<=x))))``, the number of
    thresholds reached counting only the filled cells, so a step table with empty rows after its steps gives the
    same payment (a MATCH over the empty rows gives #N/A in LibreOffice).
    """
    reached = reaches(np.asarray(x, dtype=float)[..., None], np.asarray(thresholds, dtype=float))
    pays = np.concatenate([[0.0], np.asarray(payments, dtype=float)])
    return scalar_out(pays[np.sum(reached, axis=-1)])


def check_steps(thresholds: list[float], payments: list[float]) -> None:
    """At most ``MAX_STEPS`` steps, one payment per threshold, thresholds strictly increasing (the rule's and the
    scalar function's one check: a case file's ``trappe`` and ``SI_TRAPPEBETALING``)."""
    if len(thresholds) > MAX_STEPS:
        raise SIError("taerskler", too_many(MAX_STEPS))
    if len(payments) != len(thresholds):
        raise SIError("betalinger", f"har {len(payments)} trin, men taerskler har {len(thresholds)} — angiv én betaling pr. tærskel")
    check_strictly_increasing("taerskler", thresholds)


def checked_payment(achieved: Any, thresholds: Any, payments: Any) -> float:
    """The tier payment with every argument checked (see :func:`udfs.core.payment.tier_payment`)."""
    a = check_number("opnaaet", achieved)
    ts = check_series("taerskler", thresholds)
    ps = check_non_negative_series("betalinger", payments)
    if not ts:
        raise SIError("taerskler", "skal have mindst ét trin")
    check_steps(ts, ps)
    return tiers(a, ts, ps)


class TierRule(Rule):
    """Tiers: the payment of the highest step reached (``type: trappe``; see :func:`udfs.core.payment.tier_payment`)."""

    type: Literal["trappe"]
    taerskler: list[float] = Field(min_length=1, max_length=MAX_STEPS, description="Strengt stigende, i resultatmålets enhed.")
    betalinger: list[NonNegative] = Field(min_length=1, max_length=MAX_STEPS, description="kr. pr. trin.")

    CODE: ClassVar[int] = 2
    LABEL: ClassVar[str] = "Trappe (betaling pr. trin)"
    STEPS: ClassVar[tuple[str, str, str] | None] = ("trin", "Trin", "Trin")
    MOST_STEPS: ClassVar[int | None] = MAX_STEPS
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("taerskler", "taerskler", "Tærskel", "decimal", step=True),
        Cell("betalinger", "betalinger", "Betaling (kr.)", "kr", low=0, step=True),
    )
    SI_CHECK: ClassVar[str | None] = "SI_TRAPPEBETALING({@opnaaet},{@taerskler},{@betalinger})"

    @model_validator(mode="after")
    def _steps(self) -> TierRule:
        check_steps(self.taerskler, self.betalinger)
        return self

    def steps(self) -> int:
        return len(self.taerskler)

    def describe(self, unit: str = "") -> str:
        """``Trappe: 0 kr. under 5 personer, 500.000 kr. fra 5, 1 mio. kr. fra 10.``"""
        at = f" {unit}" if unit else ""
        steps = ", ".join(f"{kr_words(p)} fra {number_words(t)}" for t, p in zip(self.taerskler, self.betalinger, strict=True))
        return sentence(f"Trappe: 0 kr. under {number_words(self.taerskler[0])}{at}, {steps}")

    def pay(self, x: Any, participants: Any = None) -> Any:
        return tiers(x, self.taerskler, self.betalinger)

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """The steps."""
        return list(self.taerskler)

    @classmethod
    def excel(cls) -> str:
        """The payment of the steps reached, counting the filled thresholds ≤ ``{x}``; the empty rows after the
        steps (a spare slot's step table) count for nothing (see :func:`tiers`)."""
        reached = 'SUMPRODUCT(({@taerskler}<>"")*({@taerskler}<={x}))'
        return f"IF({{x}}<INDEX({{@taerskler}},1,1),0,INDEX({{@betalinger}},1,{reached}))"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        return [f"{{@taerskler[{k}]}}" for k in range(steps)]
