"""Payment models for payment-by-results contracts (resultatbaseret betaling).

A contract lists outcome metrics (resultatmål).  Each metric has one payment
rule, chosen by the field ``type``:

* ``lineaer`` — 0 up to the threshold, then a straight line reaching the target
  payment at the target and continuing at the same slope up to the cap
  (:func:`linear_payment`);
* ``ratekort`` — a price per outcome achieved, optionally capped per
  participant and in total (:func:`rate_card_payment`);
* ``trappe`` — steps; the highest step reached applies (:func:`tier_payment`);
* ``besparelsesandel`` — a fixed share of the measured savings
  (:func:`savings_share_payment`).

On top of the rule each metric may have its own cap, and the contract may have
a cap on the sum of all payments.  Each metric is measured, and paid, in one
contract year (0 = the first year).  :func:`contract_payments` turns achieved
outcomes into payments by year.

The models are pydantic v2: validated, serialisable to YAML/JSON
(:func:`payment_model_to_yaml`, :func:`payment_model_from_yaml`) and described
by a JSON Schema (:func:`payment_model_json_schema`).  Field names are the
Danish names the user sees in a case file, spelled in ASCII.

All amounts are kr.; nothing is rounded here (rounding is for display, with
:func:`udfs.core.rounding.excel_round`).

Input checks come from :mod:`udfs.core.checks`; each raises
:class:`SIError` naming the argument.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from .checks import (
    check_series,
    check_non_negative,
    WholeNumber,
    out_of_range,
    check_whole,
)
from .errors import SIError, did_you_mean
from .files import dump_yaml, parse_text
from .validation import MISSING_VALUE, danish, shown
from .rules import LinearRule, RateCardRule, SavingsShareRule, StrictModel, TierRule, freeze, rule_types  # noqa: F401
from .rules.base import NonNegative
from .rules import linear as linear_rule, savings_share as savings_share_rule, tier as tier_rule
from .rules.rate_card import check_participants, checked_payment, count_rows  # noqa: F401 - re-exported
from .payers import PayerShare, check_payers
from .vocabulary import OUTCOME_PAYERS

RULES = freeze()
RULE_TYPES: tuple[str, ...] = rule_types()

# --------------------------------------------------------------------------
# The four payment rules as pure functions
# --------------------------------------------------------------------------


def linear_payment(
    achieved: float,
    threshold: float,
    target: float,
    payment_at_target: float,
    cap: float | None = None,
) -> float:
    """Payment for one outcome, linear between threshold and target.

    Parameters
    ----------
    achieved : float
        Outcome achieved, in the metric's unit (persons, weeks, share 0–1, …).
    threshold : float
        Tærskel, same unit: at or below it nothing is paid.
    target : float
        Mål, same unit; must be larger than ``threshold``.
    payment_at_target : float
        kr. paid when ``achieved`` equals ``target`` (≥ 0).
    cap : float, optional
        Loft in kr. (≥ 0).  Default ``payment_at_target``: nothing beyond the
        target.  A cap above it lets the payment keep rising beyond the target.

    Returns
    -------
    float
        kr.

    Notes
    -----
    ``payment = min(cap, payment_at_target × max(0, (achieved − threshold) / (target − threshold)))``.

    Edges: exactly at the threshold the line starts at 0, so 0 is paid;
    exactly at the target ``payment_at_target`` is paid (exactly, no rounding
    error); above the cap the cap is paid.

    Excel equivalent:
    ``=MIN(loft; betaling_ved_mål*MAX(0; (opnået-tærskel)/(mål-tærskel)))``.
    Excel does not check that the threshold is below the target (it returns
    ``#DIV/0!`` when they are equal and nonsense when reversed); this function
    raises :class:`SIError` naming ``taerskel``.

    Examples
    --------
    >>> linear_payment(60, 20, 120, 1_000_000)
    400000.0
    >>> linear_payment(150, 20, 120, 1_000_000, cap=1_200_000)
    1200000.0
    """
    return linear_rule.checked_payment(achieved, threshold, target, payment_at_target, cap)


def rate_card_payment(
    counts: Any,
    prices: Sequence[float],
    cap_per_participant: float | None = None,
    participants: int | None = None,
    cap_total: float | None = None,
) -> float:
    """Rate-card payment: a price per outcome achieved, capped per participant and in total.

    Parameters
    ----------
    counts : sequence of float, or sequence of sequences of float
        Outcomes achieved (≥ 0).  Either one number per outcome type (the
        totals for all participants), or one row per participant with one
        number per outcome type (an empty table = no participants → 0 kr.).
    prices : sequence of float
        kr. per outcome, one per outcome type (≥ 0).
    cap_per_participant : float, optional
        Loft pr. deltager in kr.  With per-participant rows each row is capped;
        with totals the sum is capped at ``cap_per_participant × participants``
        (the best one can do without the individual rows).
    participants : int, optional
        Number of participants (≥ 0, whole).  Required with totals and a cap
        per participant; with per-participant rows it must equal the number of
        rows.  Participants enter only through the cap per participant:
        with that cap, 0 participants → 0 kr. (the cap is 0 × the cap per
        participant); without it the counts are paid as the rule says.
    cap_total : float, optional
        Loft i alt in kr. on the whole rate card.

    Returns
    -------
    float
        kr.

    Notes
    -----
    Per participant: ``payment = min(cap_total, Σ_i min(cap_pp, Σ_k n_ik × price_k))``.
    Totals: ``payment = min(cap_total, cap_pp × participants, Σ_k n_k × price_k)``.

    Excel equivalent (totals, no caps): ``=SUMPRODUCT(antal; priser)``; with
    caps ``=MIN(loft_i_alt; loft_pr_deltager*deltagere; SUMPRODUCT(antal; priser))``.
    Excel accepts negative counts and ranges of different shapes silently;
    this function raises :class:`SIError`.

    Examples
    --------
    >>> rate_card_payment([10, 4], [5_000, 20_000])
    130000.0
    >>> rate_card_payment([[1, 1], [1, 0]], [5_000, 20_000], cap_per_participant=15_000)
    20000.0
    """
    return checked_payment(counts, prices, cap_per_participant, participants, cap_total)


def tier_payment(achieved: float, thresholds: Sequence[float], payments: Sequence[float]) -> float:
    """Tiered (step) payment: the payment of the highest step reached.

    Parameters
    ----------
    achieved : float
        Outcome achieved, in the metric's unit.
    thresholds : sequence of float
        Tærskler, strictly increasing, same unit.  A step is reached when
        ``achieved ≥ threshold`` (reaching the threshold exactly counts).
    payments : sequence of float
        kr. for each step (≥ 0), same length as ``thresholds``.  They need not
        increase, but usually do.

    Returns
    -------
    float
        kr.; 0 below the first threshold.

    Notes
    -----
    ``payment = payments[k]`` for the largest k with ``thresholds[k] ≤ achieved``,
    comparing as Excel does (equal at 15 significant digits counts as reached,
    see :func:`udfs.core.checks.reaches`).

    Excel equivalent: ``=IFERROR(LOOKUP(opnået; tærskler; betalinger); 0)``
    (``LOOKUP`` gives ``#N/A`` below the first threshold and silently gives
    wrong answers when the thresholds are not sorted; this function checks).

    Examples
    --------
    >>> tier_payment(0.12, [0.085, 0.10, 0.15], [0, 100_000, 250_000])
    100000.0
    """
    return tier_rule.checked_payment(achieved, thresholds, payments)


def savings_share_payment(savings: float, share: float) -> float:
    """Savings-share payment: a fixed share of the measured savings.

    Parameters
    ----------
    savings : float
        Measured savings in kr. (may be negative: costs went up).
    share : float
        Andel, share 0–1, not per cent.

    Returns
    -------
    float
        kr.; 0 when the savings are zero or negative.

    Notes
    -----
    ``payment = share × max(0, savings)``.

    Excel equivalent: ``=andel*MAX(0; besparelse)``.

    Examples
    --------
    >>> savings_share_payment(2_000_000, 0.4)
    800000.0
    """
    return savings_share_rule.checked_payment(savings, share)


# --------------------------------------------------------------------------
# The payment model (pydantic)
# --------------------------------------------------------------------------


PaymentRule = Annotated[Union[RULES], Field(discriminator="type")]  # noqa: UP007 - a union of the registered rules
"""Any registered payment rule (:mod:`udfs.core.rules`), chosen by its field ``type``."""


def year_of_month(month: int) -> int:
    """The contract year (0 = the first) in which a measurement ``month`` months after the contract's start falls
    due: ⌊month / 12⌋.  Month 12 is the first day of year 1 (twelve whole months have passed), so 12 and 18 fall
    in year 1, 24 in year 2, 36 in year 3, 48 in year 4; months 0–11 in year 0.  Excel: ``=INT(måned/12)``."""
    return month // 12


PAYMENT_YEARS: tuple[str, ...] = ("aar", "til_aar")
"""The fields of an outcome metric that are contract years a payment falls in (year 0 first): the measurement's year
and, for a metric paid every year, the last year (``til_aar`` ≥ ``aar``).  The standard workbook's metric slots have
cells of the same names (``bm<m>_aar``, ``bm<m>_til_aar``)."""


def settlement_year(horizon: int, years: Sequence[int]) -> int:
    """The contract's settlement year (year 0 first): the latest of the outcome metrics' payment ``years``
    (:data:`PAYMENT_YEARS`), at most the horizon's last year ``horizon − 1``; that year without any year (no payment
    model).  The guarantor pays then and a return floor tops up then (:attr:`udfs.core.case_model.Case.settlement_year`).

    The Excel form is :func:`settlement_year_excel`, written next to this with the same steps.

    >>> settlement_year(10, [2, 3, 4]), settlement_year(3, [1, 5]), settlement_year(6, [])
    (4, 2, 5)
    """
    last = horizon - 1
    return min(last, max(years)) if years else last


def settlement_year_excel(horizon: str, years: Sequence[str]) -> str:
    """:func:`settlement_year` as an Excel expression (no ``=``): ``horizon`` the horizon's cell, ``years`` the metric
    slots' cells of :data:`PAYMENT_YEARS` (a blank one is no year: ``MAX`` and ``COUNT`` skip it), so the horizon's last
    year where no cell holds a year.

    >>> settlement_year_excel("{horisont}", ["{bm1_aar}", "{bm1_til_aar}"])
    'IF(COUNT({bm1_aar},{bm1_til_aar})=0,{horisont}-1,MIN({horisont}-1,MAX({bm1_aar},{bm1_til_aar})))'
    >>> settlement_year_excel("{horisont}", [])
    '{horisont}-1'
    """
    last = f"{horizon}-1"
    if not years:
        return last
    cells = ",".join(years)
    return f"IF(COUNT({cells})=0,{last},MIN({last},MAX({cells})))"


class OutcomeMetric(StrictModel):
    """An outcome metric (resultatmål): what is measured, from which data, when, and what it pays."""

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Kort id (små bogstaver, tal, _).")
    navn: str = Field(min_length=1)
    enhed: str = Field(min_length=1, description="Enheden for opnået, tærskel og mål.")
    datakilde: str = Field(min_length=1)
    maaletidspunkt: str = Field(min_length=1, description="Hvornår og hvordan der måles, i ord.")
    aar: WholeNumber = Field(ge=0, description="Kontraktår (0 = første år), hvor målingen falder og betalingen sker.")
    maaned: WholeNumber | None = Field(
        None, ge=0, le=12 * 31, description="Måletidspunkt i måneder efter kontraktens start (fx 12, 18, 24, 36, 48); "
                                            "betalingen falder i år ⌊maaned / 12⌋ (måned 12–23: år 1). Tom: aar gælder."
    )
    til_aar: WholeNumber | None = Field(
        None, ge=0, description="Årlig betaling af en besparelsesregel: betales hvert år fra aar til og med til_aar "
                                "på årets besparelse (tom = én betaling i aar)."
    )
    regel: PaymentRule
    loft: NonNegative | None = Field(None, description="Loft for resultatmålet i kr.")
    antagelse: str | None = Field(None, description="Antagelser bag resultatmålet, hvis det ikke er offentliggjort.")

    @model_validator(mode="before")
    @classmethod
    def _year_of_month(cls, data: Any) -> Any:
        """``aar`` from ``maaned`` when only the month is given (:func:`year_of_month`)."""
        if isinstance(data, dict) and data.get("aar") is None and isinstance(data.get("maaned"), int | float):
            if data["maaned"] >= 0 and float(data["maaned"]).is_integer():
                return {**data, "aar": year_of_month(int(data["maaned"]))}
        return data

    @model_validator(mode="after")
    def _month_in_year(self) -> OutcomeMetric:
        if self.maaned is not None and self.aar != year_of_month(self.maaned):
            raise SIError("maaned", f"er {self.maaned} måneder efter start, som falder i år {year_of_month(self.maaned)}, "
                                    f"men aar er {self.aar} — ret det ene, eller udelad aar")  # fmt: skip
        return self

    @property
    def payment_years(self) -> tuple[int, ...]:
        """The metric's given :data:`PAYMENT_YEARS` (``aar``, and ``til_aar`` for a metric paid every year)."""
        return tuple(y for y in (getattr(self, field) for field in PAYMENT_YEARS) if y is not None)

    @property
    def last_year(self) -> int:
        """The last contract year the metric pays in: the latest of its :attr:`payment_years`."""
        return max(self.payment_years)

    @model_validator(mode="after")
    def _yearly_on_savings(self) -> OutcomeMetric:
        if self.til_aar is not None:
            if not self.regel.ON_SAVINGS:
                raise SIError("til_aar", f"kan kun bruges med en regel, der betales af besparelsen (ikke {self.regel.type})")
            if self.til_aar < self.aar:
                raise SIError("til_aar", f"er {self.til_aar}, men skal være mindst aar ({self.aar})")
        return self

    def yearly(self, measured: Any) -> np.ndarray:
        """(…, H) kr. paid each year from ``aar`` to ``til_aar`` on savings measured by year (…, H), kr.

        The rule is paid on the cumulative savings X_t = Σ_{τ≤t} max(0, s_τ) (a
        year with savings ≤ 0 adds nothing and is not set off against later
        years), then the metric's cap; year ``aar`` pays the cumulative payment
        so far (savings before ``aar`` are paid then), each later year to
        ``til_aar`` the increase over the year before.  For a fixed share this is
        the share of each year's savings; for a share that switches
        (:mod:`udfs.core.rules.switching_share`) a year that crosses the switch
        pays the old share up to it and the new share on the rest.  Excel: a
        cumulative row ``=prev+MAX(0;savings)`` and ``=P(cum[i])-P(cum[i-1])``.
        """
        x = np.cumsum(np.maximum(0.0, np.asarray(measured, dtype=float)), axis=-1)
        paid = np.asarray(self.capped(self.regel.pay(x)), dtype=float)
        last = self.last_year
        out = np.zeros_like(paid)
        out[..., self.aar] = paid[..., self.aar]
        out[..., self.aar + 1 : last + 1] = np.diff(paid, axis=-1)[..., self.aar : last]
        return out

    def payment(self, achieved: Any) -> float:
        """kr. after the rule and the metric's cap (one measured value, or counts for a rate card; for a metric
        paid every year the savings by year, and the sum of :meth:`payments_by_year`)."""
        if self.til_aar is not None:
            return math.fsum(self.payments_by_year(achieved))
        payment = self.regel.payment(achieved)
        return payment if self.loft is None else min(self.loft, payment)

    def payments_by_year(self, savings_by_year: Any) -> list[float]:
        """kr. by year (year 0 first) for a metric paid every year, from the savings by year (kr., year 0
        first, at least to ``til_aar``), checked (SIError naming ``besparelser``); see :meth:`yearly`."""
        values = check_series("besparelser", savings_by_year)
        if len(values) <= self.til_aar:
            raise SIError("besparelser", f"har {len(values)} år, men resultatmålet '{self.id}' betales til og med år "
                                         f"{self.til_aar} — angiv besparelsen for hvert år fra år 0")  # fmt: skip
        return [float(v) for v in self.yearly(np.array(values))]

    def capped(self, payment: Any) -> Any:
        """``payment`` (number or array, kr.) after the metric's cap."""
        return payment if self.loft is None else np.minimum(payment, self.loft)

    def maximum(self, participants: float) -> float | None:
        """The most the metric can pay, kr. (after its rule's caps and its own), with ``participants`` participants
        (a per-participant cap counts them); None when it has no upper bound (a share of savings without a cap).

        The rule's :meth:`~udfs.core.rules.base.Rule.levels` are the measured values where the payment bends or
        steps, so the payment is linear between them and beyond the largest: its largest value is at one of them
        (or at 0), and it is bounded when it no longer grows one unit beyond the largest.  A metric paid every
        year (``til_aar``) pays the same function of the cumulative savings in all, so the same bound holds.
        """
        rule = self.regel
        points = sorted({0.0, *(max(0.0, float(v)) for v in rule.levels(self.loft, participants))})
        paid = [float(self.capped(rule.pay(x, participants))) for x in points]
        if float(self.capped(rule.pay(points[-1] + 1.0, participants))) > paid[-1]:
            return None
        return max(paid)


class PaymentModel(StrictModel):
    """A contract's payment model: its outcome metrics and an optional cap on the whole contract."""

    resultatmaal: list[OutcomeMetric] = Field(min_length=1)
    loft_kontrakt: NonNegative | None = Field(None, description="Loft i kr. for summen af alle betalinger.")
    betalere: list[PayerShare] | None = Field(
        None, max_length=len(OUTCOME_PAYERS),
        description="Hvem betaler resultatbetalingerne, hver med sin andel (udeladt: casens betaler betaler alt)")

    @field_validator("betalere")
    @classmethod
    def _payer_order(cls, v: list[PayerShare] | None) -> list[PayerShare] | None:
        """The payers in the order of every table (kommune, region, stat, fond), however the file lists them."""
        return None if v is None else sorted(v, key=lambda p: OUTCOME_PAYERS.index(p.betaler))

    @model_validator(mode="after")
    def _unique_ids(self) -> PaymentModel:
        ids = [m.id for m in self.resultatmaal]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise SIError("resultatmaal", f"id '{duplicates[0]}' bruges mere end én gang")
        if self.betalere is not None:
            check_payers(self.betalere)
        return self

    def metric(self, metric_id: str) -> OutcomeMetric:
        """The metric with id ``metric_id``."""
        for m in self.resultatmaal:
            if m.id == metric_id:
                return m
        raise SIError("resultatmaal", f"ukendt id '{metric_id}'")

    def years(self) -> int:
        """Contract years needed to hold every measurement (last year + 1)."""
        return max(m.last_year for m in self.resultatmaal) + 1


# --------------------------------------------------------------------------
# Contract payments
# --------------------------------------------------------------------------


def achieved_for(metric: OutcomeMetric, achieved_by_metric: Mapping[str, Any], savings: Mapping[str, float]) -> Any:
    """The measured value a metric is paid on: savings (kr.) for a savings share, else the outcome achieved."""
    if metric.regel.ON_SAVINGS:
        if metric.id not in savings:
            raise SIError("besparelser", f"mangler den målte besparelse for resultatmålet '{metric.id}'")
        return savings[metric.id]
    if metric.id not in achieved_by_metric:
        raise SIError("opnaaet", f"mangler værdi for resultatmålet '{metric.id}'")
    return achieved_by_metric[metric.id]


def check_known_ids(argument: str, given: Mapping[str, Any], model: PaymentModel) -> None:
    """SIError when a key names no metric (a typo would otherwise be ignored)."""
    known = {m.id for m in model.resultatmaal}
    unknown = sorted(set(given) - known)
    if unknown:
        raise SIError(argument, f"ukendt resultatmål '{unknown[0]}'; kendte: {', '.join(sorted(known))}")


def metric_payments(
    model: PaymentModel,
    achieved_by_metric: Mapping[str, Any],
    savings: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """kr. per metric after each rule and each metric's cap (before the contract cap).

    ``achieved_by_metric`` maps metric id → outcome achieved (a number, or
    counts for a rate card).  ``savings`` maps the id of each savings-share
    metric → the measured savings in kr.
    """
    savings = {} if savings is None else savings
    check_known_ids("opnaaet", achieved_by_metric, model)
    check_known_ids("besparelser", savings, model)
    return {m.id: m.payment(achieved_for(m, achieved_by_metric, savings)) for m in model.resultatmaal}


def cap_latest_first(by_year: Any, cap: float) -> Any:
    """Reduce the latest amounts first until their sum is at most ``cap`` (kr.).

    ``by_year`` is one row of yearly amounts (a list gives a list) or an
    array (n, H) with one row per draw.  Excel: the Betalingsmodel sheet's
    ``MIN(brutto; MAX(0; overskud − senere år))`` per year.

    Examples
    --------
    >>> cap_latest_first([100.0, 50.0, 80.0], 170.0)
    [100.0, 50.0, 20.0]
    >>> cap_latest_first([100.0, 50.0, 80.0], 90.0)
    [90.0, 0.0, 0.0]
    """
    rows = np.atleast_2d(np.asarray(by_year, dtype=float))
    rev = rows[:, ::-1]
    excess = np.clip(rev.sum(axis=1) - cap, 0.0, None)
    before = np.cumsum(rev, axis=1) - rev
    cut = np.minimum(rev, np.clip(excess[:, None] - before, 0.0, None))
    out = (rev - cut)[:, ::-1]
    return out if np.ndim(by_year) == 2 else [float(v) for v in out[0]]


def contract_payments(
    model: PaymentModel,
    achieved_by_metric: Mapping[str, Any],
    savings: Mapping[str, float] | None = None,
    years: int | None = None,
) -> list[float]:
    """Payments by contract year (kr.), year 0 first.

    Parameters
    ----------
    model : PaymentModel
        The contract's payment model.
    achieved_by_metric : mapping of str to number or counts
        Outcome achieved per metric id (every metric except savings shares).
    savings : mapping of str to float, optional
        Measured savings in kr. per savings-share metric id; for a metric paid
        every year (``til_aar``) the savings by year, year 0 first.
    years : int, optional
        Length of the result (default: up to the last measurement year).

    Returns
    -------
    list of float
        kr. per year; each metric's payment lands in its ``aar`` (a metric with
        ``til_aar``: in each year from ``aar`` to ``til_aar``, see
        :meth:`OutcomeMetric.yearly`).

    Notes
    -----
    Order: (1) each rule, (2) each metric's ``loft``, (3) sum per year,
    (4) the contract's ``loft_kontrakt`` on the sum over all years — when the
    sum is above it, the latest payments are reduced first (the payer has
    already paid the earlier ones when the cap is reached).

    Examples
    --------
    >>> m = PaymentModel.model_validate({"resultatmaal": [
    ...     {"id": "job", "navn": "I job", "enhed": "personer", "datakilde": "DREAM",
    ...      "maaletidspunkt": "efter 2 år", "aar": 2,
    ...      "regel": {"type": "lineaer", "taerskel": 0, "maal": 10, "betaling_ved_maal": 1000}}]})
    >>> contract_payments(m, {"job": 5})
    [0.0, 0.0, 500.0]
    """
    n_years = model.years() if years is None else check_years(years, model)
    by_metric = metric_payments(model, achieved_by_metric, savings)
    by_year = [0.0] * n_years
    for m in model.resultatmaal:
        if m.til_aar is not None:  # paid every year on that year's savings
            for year, paid in enumerate(m.payments_by_year(savings[m.id])[:n_years]):
                by_year[year] += paid
            continue
        by_year[m.aar] += by_metric[m.id]
    return by_year if model.loft_kontrakt is None else cap_latest_first(by_year, model.loft_kontrakt)


def check_years(years: Any, model: PaymentModel) -> int:
    """A whole number of years long enough for every measurement year."""
    n = check_whole("antal_aar", check_non_negative("antal_aar", years))
    if n < model.years():
        raise SIError("antal_aar", f"er {n}, men et resultatmål måles i år {model.years() - 1} (år 0 er det første)")
    return n


# --------------------------------------------------------------------------
# Serialisation, schema, Danish validation errors
# --------------------------------------------------------------------------

_DANISH_BY_TYPE = {
    "union_tag_invalid": "type skal være en af: " + ", ".join(RULE_TYPES),
    "union_tag_not_found": "mangler feltet type (" + ", ".join(RULE_TYPES) + ")",
}


def _union_member(part: str) -> bool:
    """Pydantic's name for a member of a union (``constrained-str``, ``float``, ``function-after[…]``, a model's
    class name such as ``MetricLink``), not a field (fields are lower-case ASCII)."""
    return part in ("str", "float", "int", "bool") or "-" in part or "[" in part or part[:1].isupper()


def _location(loc: Sequence[Any]) -> str:
    """Dotted ASCII field path, list positions as [i], without union tags: ``resultatmaal[0].regel.maal``."""
    out = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        elif not (part in RULE_TYPES and i > 0 and loc[i - 1] == "regel") and not _union_member(str(part)):
            out += ("." if out else "") + str(part)
    return out


def _error_message(error: Mapping[str, Any], field: str, model: type[BaseModel] | None = None) -> str:
    """Danish text for one pydantic error (the general wording in :mod:`udfs.core.validation`)."""
    if field == "andel" and error["type"] in ("greater_than_equal", "less_than_equal"):
        return out_of_range("skal være en andel mellem 0 og 1", error.get("input"), 0.0, 1.0)
    tag = (error.get("ctx") or {}).get("tag")
    if error["type"] == "union_tag_invalid" and tag is not None:  # the type given, and the nearest known
        hint = did_you_mean(tag, RULE_TYPES)
        return f"{_DANISH_BY_TYPE['union_tag_invalid']}, ikke {shown(tag)}" + (f" ({hint})" if hint else "")
    if error["type"] in _DANISH_BY_TYPE:
        return _DANISH_BY_TYPE[error["type"]]
    return danish(error, model)


def si_error_from_validation(exc: ValidationError, prefix: str = "", model: type[BaseModel] | None = None) -> SIError:
    """The first pydantic error as an :class:`SIError` naming the field path, Danish text; the others
    (one per field, in the file's order) in its :attr:`~udfs.core.errors.SIError.others`.

    ``model`` (the validated class) lets a value out of range quote both of its field's bounds.
    """
    errors, seen = [], set()
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        found = [_si_error(error, prefix, model)]
        if isinstance(cause, SIError) and cause.others:  # a validator that found several errors at once
            found += [_si_error({**error, "ctx": {"error": other}}, prefix, model) for other in cause.others]
        for one in found:
            if (one.argument, one.message) not in seen:  # a union reports each of its members: one message per field
                seen.add((one.argument, one.message))
                errors.append(one)
    return errors[0].with_others(errors[1:])


def _si_error(error: Mapping[str, Any], prefix: str, model: type[BaseModel] | None) -> SIError:
    """One pydantic error as an :class:`SIError` (see :func:`si_error_from_validation`)."""
    path = _location(list(error["loc"]))
    path = f"{prefix}.{path}" if prefix and path else (prefix or path)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, SIError):
        within = cause.argument.startswith(f"{path}[")  # an element of the list at path (egne_priser[0].beloeb)
        nested = path and not path.endswith(cause.argument) and not within
        # a field's own validator given nothing: it is missing (its own words kept when they say so and how to fill it)
        empty = path and error.get("input", "") is None and not cause.message.startswith("mangler")
        return SIError(f"{path}.{cause.argument}" if nested else (cause.argument if within else path or cause.argument),
                       MISSING_VALUE if empty else cause.message)
    field = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
    return SIError(path or "betalingsmodel", _error_message(error, field, model))


def parse_payment_model(data: Any) -> PaymentModel:
    """Validate plain data (from YAML/JSON) as a :class:`PaymentModel`; SIError with Danish text on failure."""
    try:
        return PaymentModel.model_validate(data)
    except ValidationError as exc:
        raise si_error_from_validation(exc, "betalingsmodel", PaymentModel) from None


def payment_model_to_yaml(model: PaymentModel) -> str:
    """YAML text for a payment model (Danish letters kept, field order kept, unset optional fields left out)."""
    return dump_yaml(model.model_dump(mode="json", exclude_none=True))


def payment_model_from_yaml(text: str) -> PaymentModel:
    """A payment model from YAML text (see :func:`parse_payment_model`)."""
    return parse_payment_model(parse_text(text, json_format=False))


def payment_model_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a payment model as stored in YAML/JSON.

    The schema checks types, required fields, signs, shares and rule types.
    Cross-field rules (threshold < target, increasing tiers, equal lengths,
    unique ids) are only checked by :func:`parse_payment_model`.
    """
    return PaymentModel.model_json_schema(mode="validation")
