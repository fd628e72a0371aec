"""Several outcome payers: who pays which share of each outcome payment (the "wrong pocket" problem).

A contract's ``betalingsmodel.betalere`` lists the payers of its outcome
payments: kommune, region, stat and a central outcomes fund (``fond``,
"Central resultatfond": the Danish rendering of the Government Outcomes Lab's
"outcomes fund", a central pot topping up locally commissioned contracts, as the
UK Life Chances Fund).  Each payer pays

* a fixed share of every payment (``andel: 0.3``);
* the share an outcomes fund tops up, read from the data file
  ``udfs/data/resultatfonde.csv`` by the fund's id (``fond: life_chances_fund``;
  :func:`udfs.core.data.outcome_funds`) -- data with its source, not a constant; or
* a share set by where the savings fall (``andel: besparelse``, authorities
  only): what the fixed shares leave is split between these payers in
  proportion to each one's savings that year, as the case expects them (its
  drivers as given).  The split is fixed with the contract: scenarios, Monte
  Carlo draws and break-even change the payments, not the split
  (:func:`udfs.core.engine.payer_split`).

The shares add up to 1 in every year.  Without ``betalere`` the case's
``betaler`` pays everything, as before.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from .checks import out_of_range
from .errors import SIError, did_you_mean, excerpt
from .rules.base import StrictModel
from .vocabulary import AUTHORITIES, FUND, OUTCOME_PAYERS, OutcomePayer

BY_SAVINGS = "besparelse"
"""``andel`` of a payer whose share follows its savings."""
SHARE_SUM_TOLERANCE = 1e-9
"""How far fixed shares may sum from 1 (binary rounding of shares such as 0.1 + 0.2 + 0.7)."""


class PayerShare(StrictModel):
    """One payer of the outcome payments: ``betaler`` and its share (``andel`` 0–1 or ``"besparelse"``, or ``fond``)."""

    betaler: OutcomePayer
    andel: float | Literal["besparelse"] | None = Field(
        None, description="Andel af hver resultatbetaling (0–1), eller 'besparelse': andelen følger betalerens besparelser")
    fond: str | None = Field(None, description="Resultatfondens id i udfs/data/resultatfonde.csv; andelen hentes derfra")

    @model_validator(mode="after")
    def _one_share(self) -> PayerShare:
        if self.fond is not None:
            if self.betaler != FUND:
                raise SIError("fond", f"kun betaleren '{FUND}' kan have en fond; '{self.betaler}' har en andel")
            if self.andel is not None:
                raise SIError("andel", "angiv enten andel eller fond, ikke begge (fondens andel står i resultatfonde.csv)")
            from .data import outcome_funds  # the data files are read only when a fund is named

            funds = outcome_funds()
            if self.fond not in funds:
                hint = did_you_mean(self.fond, sorted(funds))
                raise SIError("fond", f"ukendt resultatfond '{excerpt(self.fond)}'; " + (hint or f"kendte: {', '.join(sorted(funds))}"))
        elif self.andel is None:
            raise SIError("andel", "mangler: en andel (0–1), 'besparelse' eller en fond")
        elif self.andel == BY_SAVINGS and self.betaler not in AUTHORITIES:
            raise SIError("andel", f"'{BY_SAVINGS}' kan kun bruges af kommune, region og stat (en fond har ingen besparelser)")
        elif not isinstance(self.andel, str) and not 0 <= self.andel <= 1:
            raise SIError("andel", out_of_range("skal ligge mellem 0 og 1", self.andel, 0.0, 1.0))
        return self

    def fixed(self) -> float | None:
        """The fixed share 0–1 (a fund's from its data row); None when the share follows the savings."""
        if self.fond is not None:
            from .data import outcome_funds

            return outcome_funds()[self.fond].andel
        return None if self.andel == BY_SAVINGS else float(self.andel)


def check_payers(payers: list[PayerShare]) -> None:
    """Each payer once; fixed shares summing to 1, or to at most 1 when some payers pay by savings.

    Raises :class:`SIError` naming ``betalere`` with the sum found.
    """
    names = [p.betaler for p in payers]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise SIError("betalere", f"'{twice[0]}' står mere end én gang")
    fixed = sum(p.fixed() or 0.0 for p in payers)
    by_savings = [p for p in payers if p.fixed() is None]
    shown = f"{fixed:.6g}".replace(".", ",")
    if by_savings and fixed > 1 - SHARE_SUM_TOLERANCE:
        raise SIError("betalere", f"de faste andele summerer til {shown}; der skal være en rest (under 1) til "
                                  f"betalerne med andel '{BY_SAVINGS}'")  # fmt: skip
    if not by_savings and abs(fixed - 1) > SHARE_SUM_TOLERANCE:
        raise SIError("betalere", f"andelene skal summe til 1 (100 %), men summerer til {shown}")


def payer_shares(payers: list[PayerShare] | None, betaler: str, savings: np.ndarray) -> np.ndarray:
    """(4, n, H) each outcome payer's share (order of :data:`~udfs.core.vocabulary.OUTCOME_PAYERS`) of the
    outcome payments in each draw and year; the four add up to 1 in every draw and year.

    ``payers``: the contract's ``betalere`` (None: ``betaler`` pays all); ``savings``: (3, n, H) kr. saved by
    kommune, region and stat.  A payer paying by savings gets ``rest × max(0, its savings) / Σ max(0, savings)``
    over the payers paying by savings, where ``rest`` = 1 − the fixed shares.  A payer whose savings that year are
    ≤ 0 pays nothing of the rest; when none of them saves (all ≤ 0), they split the rest equally.

    Excel equivalent: the table ``betalere`` on the standard workbook's sheet Betalingsmodel and the rows
    ``r_andel_<betaler>`` on the sheet Resultat.
    """
    n, h = savings.shape[1:]
    out = np.zeros((len(OUTCOME_PAYERS), n, h))
    if not payers:
        out[OUTCOME_PAYERS.index(betaler)] = 1.0
        return out
    by_savings = [p.betaler for p in payers if p.fixed() is None]
    for p in payers:
        if p.fixed() is not None:
            out[OUTCOME_PAYERS.index(p.betaler)] = p.fixed()
    if by_savings:
        rest = 1.0 - sum(p.fixed() or 0.0 for p in payers)
        weights = np.stack([np.maximum(savings[AUTHORITIES.index(a)], 0.0) for a in by_savings])  # (S, n, H)
        total = weights.sum(axis=0)
        split = np.where(total > 0, weights / np.where(total > 0, total, 1.0), 1.0 / len(by_savings))
        for k, a in enumerate(by_savings):
            out[OUTCOME_PAYERS.index(a)] = rest * split[k]
    return out
