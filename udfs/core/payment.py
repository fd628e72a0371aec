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

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Union

import numpy as np
import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from .checks import (
    check_non_negative,
    check_non_negative_series,
    check_number,
    check_same_length,
    check_series,
    check_share,
    check_strictly_increasing,
    check_threshold_below_target,
    WholeNumber,
    check_whole,
)
from .errors import SIError, did_you_mean
from .validation import danish, shown
from .rules import LinearRule, RateCardRule, SavingsShareRule, StrictModel, TierRule, freeze, rule_types  # noqa: F401
from .rules.base import NonNegative
from .rules.linear import linear
from .rules.rate_card import check_participants, checked_payment, count_rows  # noqa: F401 - re-exported
from .rules.savings_share import savings_share
from .rules.tier import tiers

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
    a = check_number("opnaaet", achieved)
    t = check_number("taerskel", threshold)
    m = check_number("maal", target)
    check_threshold_below_target(t, m)
    p = check_non_negative("betaling_ved_maal", payment_at_target)
    c = p if cap is None else check_non_negative("loft", cap)
    return linear(a, t, m, p, c)


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
        rows.  0 participants → 0 kr.
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
    a = check_number("opnaaet", achieved)
    ts = check_series("taerskler", thresholds)
    ps = check_non_negative_series("betalinger", payments)
    if not ts:
        raise SIError("taerskler", "skal have mindst ét trin")
    check_same_length("betalinger", ps, "taerskler", ts)
    check_strictly_increasing("taerskler", ts)
    return tiers(a, ts, ps)


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
    s = check_number("besparelse", savings)
    return savings_share(s, check_share("andel", share))


# --------------------------------------------------------------------------
# The payment model (pydantic)
# --------------------------------------------------------------------------


PaymentRule = Annotated[Union[RULES], Field(discriminator="type")]  # noqa: UP007 - a union of the registered rules
"""Any registered payment rule (:mod:`udfs.core.rules`), chosen by its field ``type``."""


class OutcomeMetric(StrictModel):
    """An outcome metric (resultatmål): what is measured, from which data, when, and what it pays."""

    id: str = Field(pattern=r"^[a-z0-9_]+$", description="Kort id (små bogstaver, tal, _).")
    navn: str = Field(min_length=1)
    enhed: str = Field(min_length=1, description="Enheden for opnået, tærskel og mål.")
    datakilde: str = Field(min_length=1)
    maaletidspunkt: str = Field(min_length=1, description="Hvornår og hvordan der måles, i ord.")
    aar: WholeNumber = Field(ge=0, description="Kontraktår (0 = første år), hvor målingen falder og betalingen sker.")
    regel: PaymentRule
    loft: NonNegative | None = Field(None, description="Loft for resultatmålet i kr.")
    antagelse: str | None = Field(None, description="Antagelser bag resultatmålet, hvis det ikke er offentliggjort.")

    def payment(self, achieved: Any) -> float:
        """kr. after the rule and the metric's cap (one measured value, or counts for a rate card)."""
        payment = self.regel.payment(achieved)
        return payment if self.loft is None else min(self.loft, payment)

    def capped(self, payment: Any) -> Any:
        """``payment`` (number or array, kr.) after the metric's cap."""
        return payment if self.loft is None else np.minimum(payment, self.loft)


class PaymentModel(StrictModel):
    """A contract's payment model: its outcome metrics and an optional cap on the whole contract."""

    resultatmaal: list[OutcomeMetric] = Field(min_length=1)
    loft_kontrakt: NonNegative | None = Field(None, description="Loft i kr. for summen af alle betalinger.")

    @model_validator(mode="after")
    def _unique_ids(self) -> PaymentModel:
        ids = [m.id for m in self.resultatmaal]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise SIError("resultatmaal", f"id '{duplicates[0]}' bruges mere end én gang")
        return self

    def metric(self, metric_id: str) -> OutcomeMetric:
        """The metric with id ``metric_id``."""
        for m in self.resultatmaal:
            if m.id == metric_id:
                return m
        raise SIError("resultatmaal", f"ukendt id '{metric_id}'")

    def years(self) -> int:
        """Contract years needed to hold every measurement (last year + 1)."""
        return max(m.aar for m in self.resultatmaal) + 1


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
        Measured savings in kr. per savings-share metric id.
    years : int, optional
        Length of the result (default: up to the last measurement year).

    Returns
    -------
    list of float
        kr. per year; each metric's payment lands in its ``aar``.

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
        return "skal være en andel mellem 0 og 1, ikke procent"
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
        one = _si_error(error, prefix, model)
        if one.argument not in seen:  # a union reports each of its members: one message per field
            seen.add(one.argument)
            errors.append(one)
    return errors[0].with_others(errors[1:])


def _si_error(error: Mapping[str, Any], prefix: str, model: type[BaseModel] | None) -> SIError:
    """One pydantic error as an :class:`SIError` (see :func:`si_error_from_validation`)."""
    path = _location(list(error["loc"]))
    path = f"{prefix}.{path}" if prefix and path else (prefix or path)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, SIError):
        nested = path and not path.endswith(cause.argument)
        return SIError(f"{path}.{cause.argument}" if nested else (path or cause.argument), cause.message)
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
    return yaml.safe_dump(model.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)


def payment_model_from_yaml(text: str) -> PaymentModel:
    """A payment model from YAML text (see :func:`parse_payment_model`)."""
    return parse_payment_model(yaml.safe_load(text))


def payment_model_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for a payment model as stored in YAML/JSON.

    The schema checks types, required fields, signs, shares and rule types.
    Cross-field rules (threshold < target, increasing tiers, equal lengths,
    unique ids) are only checked by :func:`parse_payment_model`.
    """
    return PaymentModel.model_json_schema(mode="validation")
