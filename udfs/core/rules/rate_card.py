"""``ratekort``: a price per outcome achieved, optionally capped per participant and in total.

Measured with one count per outcome type; the rule is paid on the gross
payment Σ max(0, count) × price (:meth:`RateCardRule.measure`), then capped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..checks import (
    WholeNumber, check_non_negative, check_non_negative_series, check_optional_non_negative, check_same_length, check_whole,
)  # fmt: skip
from ..errors import SIError, count
from ..vocabulary import kr_words, number_words, sentence
from .base import Cell, FormulaCell, NonNegative, Rule, scalar_out


def gross(counts: Any, prices: Sequence[float]) -> Any:
    """Σ_k max(0, counts[k]) × prices[k] (kr.); ``counts`` has the outcome types on its first axis."""
    c = np.maximum(0.0, np.asarray(counts, dtype=float))
    p = np.asarray(prices, dtype=float).reshape((-1,) + (1,) * (c.ndim - 1))
    return scalar_out((p * c).sum(axis=0))


def capped(x: Any, cap_per_participant: float | None, participants: Any, cap_total: float | None) -> Any:
    """The gross payment ``x`` capped at ``cap_per_participant × participants`` and at ``cap_total`` (numpy)."""
    out = np.asarray(x, dtype=float)
    if cap_per_participant is not None:
        out = np.minimum(out, cap_per_participant * np.asarray(participants, dtype=float))
    if cap_total is not None:
        out = np.minimum(out, cap_total)
    return scalar_out(out)


def count_rows(counts: Any, n_types: int) -> tuple[list[list[float]], bool]:
    """Counts as rows of ``n_types`` numbers ≥ 0, and whether they are per participant.

    A flat sequence (one number per outcome type) is one aggregate row; a
    sequence of sequences has one row per participant; an empty sequence is a
    table with no participants.
    """
    if hasattr(counts, "tolist"):
        counts = counts.tolist()
    if isinstance(counts, (str, bytes)) or not isinstance(counts, Sequence):
        raise SIError("antal", "skal være en række eller en tabel af tal")
    per_participant = all(isinstance(row, Sequence) and not isinstance(row, (str, bytes)) for row in counts)
    rows = (
        [check_non_negative_series("antal", row) for row in counts]
        if per_participant
        else [check_non_negative_series("antal", counts)]
    )
    for row in rows:
        if len(row) != n_types:
            raise SIError("antal", f"har {count(len(row), 'værdi', 'værdier')}, men priser har {n_types} — områderne skal være lige lange")
    return rows, per_participant


def participants_used(own: int | None, participants: Any) -> Any:
    """A rule's own participants ``own`` (as an array shaped like ``participants``), else the case's ``participants``."""
    return participants if own is None else np.full_like(np.asarray(participants, dtype=float), own)


def check_participants(value: Any) -> int:
    """A whole number ≥ 0 (Excel passes 12.0 for 12)."""
    return check_whole("deltagere", check_non_negative("deltagere", value))


def checked_payment(
    counts: Any,
    prices: Sequence[float],
    cap_per_participant: float | None = None,
    participants: int | None = None,
    cap_total: float | None = None,
) -> float:
    """The rate card's payment from counts per outcome type or rows per participant, every argument checked
    (see :func:`udfs.core.payment.rate_card_payment`)."""
    price_list = check_non_negative_series("priser", prices)
    if not price_list:
        raise SIError("priser", "skal have mindst én pris")
    rows, per_participant = count_rows(counts, len(price_list))
    cap_pp = check_optional_non_negative("loft_pr_deltager", cap_per_participant)
    n = None if participants is None else check_participants(participants)
    total_cap = check_optional_non_negative("loft_i_alt", cap_total)
    if per_participant and n is not None and n != len(rows):
        raise SIError("deltagere", f"er {n}, men antal har {len(rows)} rækker — én række pr. deltager")
    if not per_participant and cap_pp is not None and n is None:
        raise SIError("deltagere", "skal angives, når loft_pr_deltager bruges med samlede antal")
    if not per_participant:
        return capped(gross(rows[0], price_list), cap_pp, n, total_cap)
    payment = math.fsum(capped(gross(row, price_list), cap_pp, 1, None) for row in rows)
    return capped(payment, None, None, total_cap)



def cap_words(per_participant: float | None, participants: int | None, total: float | None) -> list[str]:
    """The caps per participant and in total in Danish words (``højst 4.000 kr. pr. deltager``), for ``describe``."""
    caps = []
    if per_participant is not None:
        whom = f" ({number_words(participants)} deltagere)" if participants is not None else ""
        caps.append(f"højst {kr_words(per_participant)} pr. deltager{whom}")
    if total is not None:
        caps.append(f"højst {kr_words(total)} i alt")
    return caps


class RateCardRule(Rule):
    """Rate card (``type: ratekort``; see :func:`udfs.core.payment.rate_card_payment`)."""

    type: Literal["ratekort"]
    udfald: list[str] = Field(min_length=1, description="Navne på udfaldstyperne, i samme rækkefølge som priser.")
    priser: list[NonNegative] = Field(min_length=1, description="kr. pr. udfald.")
    loft_pr_deltager: NonNegative | None = None
    deltagere: WholeNumber | None = Field(None, ge=0)
    loft_i_alt: NonNegative | None = None

    CODE: ClassVar[int] = 4
    LABEL: ClassVar[str] = "Ratekort (pris pr. udfald)"
    PER_OUTCOME: ClassVar[bool] = True
    STEPS: ClassVar[tuple[str, str, str] | None] = ("udfald", "Udfald", "Ratekort")
    CELLS: ClassVar[tuple[Cell, ...]] = (
        Cell("udfald_navn", "udfald", "Udfald", "text", step=True),
        Cell("priser", "priser", "Pris pr. udfald (kr.)", "kr", low=0, step=True),
        Cell("loft_pr_deltager", "loft_pr_deltager", "Loft pr. deltager (kr.)", "kr", required=False, low=0),
        Cell("deltagere", "deltagere", "Deltagere (tom = casens deltagere i alt)", "integer", required=False, low=0),
        Cell("loft_i_alt", "loft_i_alt", "Loft i alt (kr.)", "kr", required=False, low=0),
    )
    FORMULAS: ClassVar[tuple[FormulaCell, ...]] = (
        FormulaCell("deltagere_brugt", "Deltagere til loftet", "decimal", 'IF({@deltagere}="",SUM({deltagere}),{@deltagere})'),
    )
    SI_CHECK: ClassVar[str | None] = (
        "SI_RATEKORT({@udfald_opnaaet},{@priser},{@loft_pr_deltager},{@deltagere_brugt},{@loft_i_alt})"
    )
    LINK_LEVELS: ClassVar[tuple[float, ...]] = (0.0,)

    @model_validator(mode="after")
    def _one_price_per_outcome(self) -> RateCardRule:
        check_same_length("priser", self.priser, "udfald", self.udfald)
        return self

    def steps(self) -> int:
        return len(self.priser)

    def payment(self, achieved: Any) -> float:
        """kr. for counts per outcome type, or rows per participant (see :func:`udfs.core.payment.rate_card_payment`)."""
        return checked_payment(achieved, self.priser, self.loft_pr_deltager, self.deltagere, self.loft_i_alt)

    def measure(self, values: Sequence[Any]) -> Any:
        """The gross payment Σ max(0, count) × price (kr.)."""
        return gross(np.stack([np.asarray(v, dtype=float) for v in values]), self.priser)

    def participants_used(self, participants: Any) -> Any:
        """The rule's own ``deltagere``, else the case's participants."""
        return participants_used(self.deltagere, participants)

    def describe(self, unit: str = "") -> str:
        """``Ratekort: 20.000 kr. pr. færre domme; højst 4.000 kr. pr. deltager, højst 400.000 kr. i alt.``"""
        prices = ", ".join(f"{kr_words(p)} pr. {name}" for name, p in zip(self.udfald, self.priser, strict=True))
        caps = cap_words(self.loft_pr_deltager, self.deltagere, self.loft_i_alt)
        return sentence(f"Ratekort: {prices}" + (f"; {', '.join(caps)}" if caps else ""))

    def pay(self, x: Any, participants: Any = None) -> Any:
        used = None if self.loft_pr_deltager is None else self.participants_used(participants)
        return capped(x, self.loft_pr_deltager, used, self.loft_i_alt)

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """Where the gross payment reaches each cap (−1 for a cap that is not set, as the workbook writes it)."""
        per = -1.0 if self.loft_pr_deltager is None else self.loft_pr_deltager * float(self.participants_used(participants))
        return [per, -1.0 if self.loft_i_alt is None else self.loft_i_alt, -1.0 if metric_cap is None else metric_cap]

    @classmethod
    def excel(cls) -> str:
        per = "{@loft_pr_deltager}*{@deltagere_brugt}"
        limited = f'IF({{@loft_pr_deltager}}="",{{x}},MIN({{x}},{per}))'
        return f'IF({{@loft_i_alt}}="",{limited},MIN({limited},{{@loft_i_alt}}))'

    @classmethod
    def excel_measure(cls, values: Sequence[str]) -> str:
        terms = [f"MAX(0,{v})*{{@priser[{k}]}}" for k, v in enumerate(values)]
        return terms[0] if len(terms) == 1 else "(" + "+".join(terms) + ")"

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        return ['IF({@loft_pr_deltager}="",-1,{@loft_pr_deltager}*{@deltagere_brugt})',
                'IF({@loft_i_alt}="",-1,{@loft_i_alt})', f'IF({metric_cap}="",-1,{metric_cap})']  # fmt: skip
