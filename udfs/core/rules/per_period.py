"""``pr_periode``: a rate per week (or month) in work or education, capped per participant and in total.

Aalborg's model: the payer pays a rate for each week a participant is in work
or education, paid as measured, with a cap per participant and a cap on the
whole contract.  The measured value is the number of weeks (months) in total
(a metric measured as ``antal`` with ``faktor`` = weeks per net success, or
the weeks from a measurement panel); the payment is

    min(rate × max(0, weeks), cap per participant × participants, cap in total)

With weeks per participant (one number per person, e.g. from a DREAM-style
panel) the cap per participant applies to each person:
Σ_p min(rate × max(0, weeks_p), cap per participant), then the cap in total
(:meth:`PerPeriodRule.payment`; from a measurement file's panel with ``skala: pr_person``,
:mod:`udfs.core.measurement.link`).  Excel:
``=MIN(MIN(sats*MAX(0;uger);loft_pr_deltager*deltagere);loft_i_alt)``.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator

from ..checks import WholeNumber, check_non_negative_series, check_number
from ..errors import SIError
from ..vocabulary import UNIT_WORDS, code_for, kr_words, sentence
from .base import Cell, FormulaCell, NonNegative, Rule, scalar_out
from .rate_card import cap_words, capped, check_participants, participants_used


class PerPeriodRule(Rule):
    """Rate per week or month in work or education (``type: pr_periode``; see the module docstring)."""

    type: Literal["pr_periode"]
    sats: NonNegative = Field(description="kr. pr. uge (eller måned) i job eller uddannelse pr. deltager.")
    periode: Literal["uge", "maaned"] = Field("uge", description="Enheden for satsen og den målte værdi: uge eller måned (koden maaned).")
    loft_pr_deltager: NonNegative | None = Field(None, description="kr. højst pr. deltager.")
    deltagere: WholeNumber | None = Field(None, ge=0, description="Deltagere til loftet (tom = casens deltagere i alt).")
    loft_i_alt: NonNegative | None = Field(None, description="kr. højst i alt.")

    CODE: ClassVar[int] = 6
    LABEL: ClassVar[str] = "Betaling pr. uge eller måned (i job eller uddannelse)"
    MEASURED: ClassVar[str] = "uger"
    SPARE_SLOT: ClassVar[bool] = True
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("sats", "sats", "Sats pr. uge eller måned (kr.)", "kr", low=0),
        Cell("periode", "periode", "Periode (uge eller måned)", "text"),
        Cell("loft_pr_deltager", "loft_pr_deltager", "Loft pr. deltager (kr.)", "kr", required=False, low=0),
        Cell("deltagere", "deltagere", "Deltagere (tom = casens deltagere i alt)", "integer", required=False, low=0),
        Cell("loft_i_alt", "loft_i_alt", "Loft i alt (kr.)", "kr", required=False, low=0),
    )
    FORMULAS: ClassVar[tuple[FormulaCell, ...]] = (
        FormulaCell("deltagere_brugt", "Deltagere til loftet", "decimal", 'IF({@deltagere}="",SUM({deltagere}),{@deltagere})'),
    )

    @field_validator("periode", mode="before")
    @classmethod
    def _period_word(cls, v: Any) -> Any:
        """The Danish word (``måned``) or the code (``maaned``), in any case and spacing."""
        return code_for(UNIT_WORDS, v) if isinstance(v, str) else v

    def cell_values(self) -> dict[str, Any]:
        """The input cells, the period shown as its Danish word (``måned``), never its code."""
        return super().cell_values() | {"periode": UNIT_WORDS[self.periode]}

    def per_person_unit(self) -> str | None:
        """The rule's period: each participant's weeks (``uge``) or months (``maaned``) in work or education."""
        return self.periode

    def per_person_sum(self, values: Any) -> float:
        """Σ_p min(sats × max(0, weeks_p), loft_pr_deltager) kr. for weeks (months) per participant, shape (n,),
        before the cap in total; SIError naming ``uger`` (not numbers ≥ 0) or ``deltagere`` (not n)."""
        weeks = check_non_negative_series("uger", values.tolist() if hasattr(values, "tolist") else values)
        if self.deltagere is not None and self.deltagere != len(weeks):
            raise SIError("deltagere", f"er {self.deltagere}, men uger har {len(weeks)} værdier — én pr. deltager")
        return math.fsum(capped(self.sats * w, self.loft_pr_deltager, 1, None) for w in weeks)

    @classmethod
    def excel_per_person(cls) -> str:
        """The cap in total on ``{x}``: ``=IF(loft_i_alt="";x;MIN(x;loft_i_alt))``."""
        return 'IF({@loft_i_alt}="",{x},MIN({x},{@loft_i_alt}))'

    def payment(self, achieved: Any) -> float:
        """kr. for the weeks (months) in total, or for a sequence of weeks per participant (the cap per
        participant then applies to each person); checked, SIError naming ``uger`` or ``deltagere``."""
        if not isinstance(achieved, (str, bytes)) and np.ndim(achieved) > 0:  # weeks per participant
            return float(capped(self.per_person_sum(achieved), None, None, self.loft_i_alt))
        x = check_number("uger", achieved)
        if self.loft_pr_deltager is not None and self.deltagere is None:
            raise SIError("deltagere", "skal angives, når loft_pr_deltager bruges med uger i alt")
        n = None if self.deltagere is None else check_participants(self.deltagere)
        return float(self.pay(x, n))

    def pay(self, x: Any, participants: Any = None) -> Any:
        gross = self.sats * np.maximum(0.0, np.asarray(x, dtype=float))
        used = None if self.loft_pr_deltager is None else participants_used(self.deltagere, participants)
        return scalar_out(capped(gross, self.loft_pr_deltager, used, self.loft_i_alt))

    def describe(self, unit: str = "") -> str:
        """``Pr. uge: 1.000 kr. pr. uge i job eller uddannelse; højst 30.000 kr. pr. deltager, højst 1 mio. kr. i alt.``"""
        word = UNIT_WORDS[self.periode]
        caps = cap_words(self.loft_pr_deltager, self.deltagere, self.loft_i_alt)
        return sentence(f"Pr. {word}: {kr_words(self.sats)} pr. {word} i job eller uddannelse" + (f"; {', '.join(caps)}" if caps else ""))

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """0, and the weeks where the payment reaches each cap (−1 for a cap that is not set, or a rate of 0)."""
        def reach(cap: float | None) -> float:
            return -1.0 if cap is None or self.sats == 0 else cap / self.sats

        per = None if self.loft_pr_deltager is None else self.loft_pr_deltager * float(participants_used(self.deltagere, participants))
        return [0.0, reach(per), reach(self.loft_i_alt), reach(metric_cap)]

    @classmethod
    def excel(cls) -> str:
        gross = "{@sats}*MAX(0,{x})"
        limited = f'IF({{@loft_pr_deltager}}="",{gross},MIN({gross},{{@loft_pr_deltager}}*{{@deltagere_brugt}}))'
        return cls.excel_per_person().replace("{x}", limited)

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        def reach(cap: str) -> str:
            return f'IF(OR({cap}="",{{@sats}}=0),-1,{cap}/{{@sats}})'

        return ["0", 'IF({@loft_pr_deltager}="",-1,IF({@sats}=0,-1,{@loft_pr_deltager}*{@deltagere_brugt}/{@sats}))',
                reach("{@loft_i_alt}"), reach(metric_cap)]  # fmt: skip
