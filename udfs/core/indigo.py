"""A case as INDIGO open data, and back: the Government Outcomes Lab's impact-bond data standard.

Standard: INDIGO data standard **4.1.0** (2023-10-19), ``schema/project.json`` of
github.com/INDIGO-Initiative/indigo-data-standard (JSON Schema draft-07; the
documentation at indigo-data-standard.readthedocs.io).  A project is a JSON
object whose fields are objects holding a ``value`` (``{"name": {"value": …}}``);
lists (``outcome_metrics``, ``outcome_pricings``, ``investments``, …) hold
one object per item.  The CSV form is the one the GO Lab publishes
(``all_data_per_data_type_csv.zip``): ``projects.csv`` with a column ``ID``
and one column per field, and ``projects_<list>.csv`` per list with a column
``Project ID``; a column's title is the field's titles in the schema joined by
`` - `` (``Impact Bond Name - (Value)``).

Which case field goes where is :data:`PROJECT_FIELDS` and :data:`LIST_FIELDS`:
each row gives the INDIGO pointer, its title and type, and the case field it
is read back into (``None``: written for readers only, computed by the engine
or a constant such as the currency ``DKK``).  What INDIGO has no field for —
participants by year, effects and unit prices, costs by payer, the payment
rules — goes into the extension block ``x_sibc`` (the schema does not forbid
other properties, ``additionalProperties`` is not set, and the standard's
"core and extended datasets" allow extra fields).  :func:`from_indigo` takes
the extension and puts each INDIGO field back in its place, so a changed
INDIGO field changes the case (but for the maximum potential outcome payment, an
engine figure: :func:`maximum_payment`; the contract cap stays in the extension).  Organisation ids are the case's own words
(``kommune``, ``investor``): INDIGO-ORG identifiers are assigned by INDIGO.
"""

from __future__ import annotations

import copy
import csv
import re
import zipfile
import io
import math
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from .case_model import Case, parse_case
from .engine import run
from .errors import SIError, excerpt
from .files import check_shape, parse_text, read_text, user_file
from .limits import MAX_CASE_FILE_BYTES
from .rounding import oere
from .vocabulary import CURRENCY, FUND, OUTCOME_PAYERS, PAYERS, check_currency, number_words, share_words

STANDARD = "INDIGO data standard 4.1.0 (schema/project.json, 2023-10-19)"
EXTENSION = "x_sibc"
COUNTRY = "DK"
MAIN_CSV = "projects.csv"
PUBLIC_ROLE = "Government/Public Sector/Public Bank"
"""The organisation role category (the schema's code list) of every outcome payer a case has: kommune, region, stat
and a central outcomes fund (public money)."""
PROJECT_ID = "sibc-1"
"""The project's ID in the CSV form (INDIGO-POJ identifiers are assigned by INDIGO)."""

Kind = Literal["text", "number", "number_text", "year"]
"""How a value is written: text; a JSON number; a number written as text (the schema's type for the
field is string: the IRR target and the maximum price); a year ``ÅÅÅÅ`` (a date field) read back as a whole number."""


@dataclass(frozen=True)
class Mapped:
    """One INDIGO field: JSON pointer (within the project or a list item), its CSV title, kind, and the case
    field it is read into (dotted, ``[i]`` for the list item's index; ``None``: written only).  A ``derived`` field
    is written from the engine, not copied from ``case``: the case field stays in the extension, and the INDIGO
    field is read into it only from a project without it (one published by others)."""

    pointer: str
    title: str
    kind: Kind
    case: str | None = None
    derived: bool = False


PROJECT_FIELDS: tuple[Mapped, ...] = (
    Mapped("/name/value", "Impact Bond Name - (Value)", "text", "navn"),
    Mapped("/purpose_and_classifications/intervention/value", "Purpose and classifications - Intervention - (Value)", "text", "beskrivelse"),
    Mapped("/service_and_beneficiaries/target_population/value", "Service and beneficiaries - Target population - (Value)", "text", "maalgruppe"),
    Mapped("/service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total/value",
           "Service and beneficiaries - Targeted number of unique service users or beneficiaries (total) - (Value)", "number"),
    Mapped("/service_and_beneficiaries/unit_type_targeted_service_users_or_beneficiaries/value",
           "Service and beneficiaries - Unit type of targeted service users or beneficiaries - (Value)", "text"),
    Mapped("/service_and_beneficiaries/actual_number_service_users_or_beneficiaries_total/value",
           "Service and beneficiaries - Actual number of unique service users or beneficiaries engaged (total) - (Value)", "number"),
    Mapped("/dates/start_date_of_service_provision/value", "Dates - Start date of service provision - (Value)", "year", "startaar"),
    Mapped("/jurisdiction/jurisdiction/value", "Jurisdiction - Jurisdiction - (Value)", "text"),
    Mapped("/overall_project_finance/total_investment_commitment/currency/value",
           "Overall project finance - Total investment commitment - Currency - (Value)", "text"),
    Mapped("/overall_project_finance/total_investment_commitment/amount/exact/value",
           "Overall project finance - Total investment commitment - Amount - Exact - (Value)", "number"),
    Mapped("/overall_project_finance/maximum_potential_outcome_payment_v2/currency/value",
           "Overall project finance - Maximum potential outcome payment - Currency - (Value)", "text"),
    Mapped("/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value",
           "Overall project finance - Maximum potential outcome payment - Amount - (Value)", "number", "betalingsmodel.loft_kontrakt",
           derived=True),  # the most the engine can pay (:func:`maximum_payment`), at most the contract cap
    Mapped("/overall_project_finance/total_outcome_payments_made/currency/value",
           "Overall project finance - Total outcome payments made - Currency - (Value)", "text"),
    Mapped("/overall_project_finance/total_outcome_payments_made/amount/value",
           "Overall project finance - Total outcome payments made - Amount - (Value)", "number", "realiseret.betalinger"),
    Mapped("/investment_details/internal_rate_of_return/target/value",
           "Investment Details - Internal Rate of Return - Target - (Value)", "number_text", "investor.krav_til_afkast"),
)  # fmt: skip
"""The project-level fields (titles and types from schema/project.json 4.1.0)."""

LIST_FIELDS: dict[str, tuple[Mapped, ...]] = {
    "sources": (
        Mapped("/id", "Id", "text"),
        Mapped("/name/value", "Name - (Value)", "text"),
    ),
    "outcome_metrics": (
        Mapped("/id", "Id", "text", "betalingsmodel.resultatmaal[i].id"),
        Mapped("/definition/value", "Outcome Definition - (Value)", "text", "betalingsmodel.resultatmaal[i].navn"),
        Mapped("/data_source_for_outcome_validation/value", "Data source for Outcome validation - (Value)", "text",
               "betalingsmodel.resultatmaal[i].datakilde"),
        Mapped("/targeted_number_of_service_users_or_beneficiaries_total/value",
               "Targeted number of service users Or beneficiaries (total) - (Value)", "number"),
    ),
    "outcome_pricings": (
        Mapped("/outcome_metric_id/value", "Outcome Metric Id - (Value)", "text"),
        Mapped("/currency/value", "Currency - (Value)", "text"),
        Mapped("/price_per_unit/amount/value", "Price Per Unit - Amount - (Value)", "number"),
        Mapped("/maximum_price_if_all_targets_achieved/amount/value", "Maximum Price if all targets achieved - Amount - (Value)",
               "number_text", "betalingsmodel.resultatmaal[i].loft"),
        Mapped("/price_description/value", "Price Description - (Value)", "text"),
    ),
    "outcome_payment_commitments": (
        Mapped("/organisation_id/value", "Organisation ID - (Value)", "text", "betaler"),
        Mapped("/organisation_role_category/value", "Organisation Role Category - (Value)", "text"),
        Mapped("/maximum_potential_outcome_payment/currency/value", "Maximum potential Outcome payment - Currency - (Value)", "text"),
        Mapped("/maximum_potential_outcome_payment/amount/value", "Maximum potential Outcome payment - Amount - (Value)", "number"),
    ),
    "outcome_funds": (
        Mapped("/id", "Id", "text"),
        Mapped("/notes", "Notes", "text"),
    ),
    "investments": (
        Mapped("/id", "Id", "text"),
        Mapped("/organisation_id/value", "Organisation ID - (Value)", "text"),
        Mapped("/investment_commitment/currency/value", "Investment Commitment - Currency - (Value)", "text"),
        Mapped("/investment_commitment/amount/exact/value", "Investment Commitment - Amount - Exact - (Value)", "number"),
    ),
    "outcome_payments": (
        Mapped("/outcome_metric_id/value", "Outcome Metric Id - (Value)", "text"),
        Mapped("/period/start_date/value", "Period - Start - (Value)", "text"),
        Mapped("/period/end_date/value", "Period - End - (Value)", "text"),
        Mapped("/payer_organisation_id/value", "Payer Organisation ID - (Value)", "text"),
        Mapped("/recipient_organisation_id/value", "Recipient Organisation ID - (Value)", "text"),
        Mapped("/type/value", "Type - (Value)", "text"),
        Mapped("/money/currency/value", "Payments - Currency - (Value)", "text"),
        Mapped("/money/amount/value", "Payments - Amount - (Value)", "number"),
    ),
    "results": (
        Mapped("/result_level/value", "Result level - (Value)", "text"),
        Mapped("/result_type/value", "Result type - (Value)", "text"),
        Mapped("/period/end_date/value", "Period - End - (Value)", "text", "realiseret.dato"),
        Mapped("/number_with_positive_social_outcomes/value", "Number with Positive social outcomes - (Value)", "number",
               "realiseret.borgere_i_arbejde"),
        Mapped("/source_ids", "Sources", "text"),
    ),
}  # fmt: skip
"""The list fields, per list (titles and types from schema/project.json 4.1.0).  A list's case field with
``[i]`` maps item i to item i of the case's list (outcome metrics and their pricings in the order of the
payment model's metrics); the other case fields come from the list's first item."""

SOURCE_CASE, SOURCE_REALISED = "source1", "source2"
"""The ids of the two sources a case can give: the case's ``kilde`` and the realised figures' ``kilde``."""


# --------------------------------------------------------------------------- pointers and dotted paths


def _put(target: dict, pointer: str, value: Any) -> None:
    parts = pointer.strip("/").split("/")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _get(source: Any, pointer: str) -> Any:
    for part in pointer.strip("/").split("/"):
        if not isinstance(source, dict) or part not in source:
            return None
        source = source[part]
    return source


def _steps(path: str, i: int | None) -> list[str | int]:
    out: list[str | int] = []
    for part in path.replace("[i]", f"[{i}]" if i is not None else "[0]").split("."):
        if "[" in part:
            name, index = part[:-1].split("[")
            out += [name, int(index)]
        else:
            out.append(part)
    return out


def _case_get(data: dict, path: str, i: int | None = None) -> Any:
    node: Any = data
    for step in _steps(path, i):
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _case_pop(data: dict, path: str, i: int | None = None) -> None:
    steps = _steps(path, i)
    node: Any = data
    for step in steps[:-1]:
        node = node[step] if isinstance(step, int) else node.get(step)
        if node is None:
            return
    node.pop(steps[-1], None)


def _case_put(data: dict, path: str, value: Any, i: int | None = None) -> None:
    steps = _steps(path, i)
    node: Any = data
    for step, following in zip(steps[:-1], steps[1:]):
        if isinstance(step, int):
            while len(node) <= step:
                node.append({})
            node = node[step]
        else:
            node = node.setdefault(step, [] if isinstance(following, int) else {})
    node[steps[-1]] = value


# --------------------------------------------------------------------------- values


def _written(value: Any, kind: Kind) -> Any:
    if kind == "year":
        return f"{int(value):04d}"
    if kind == "number_text":
        return repr(float(value))
    return value


def _read(value: Any, kind: Kind, where: str) -> Any:
    """An INDIGO value as the case holds it; SIError naming ``where`` (the INDIGO field)."""
    if kind == "text":
        if not isinstance(value, str):
            raise SIError(where, "skal være tekst")
        return value
    if kind == "year":
        text = str(value).strip()
        if not (len(text) >= 4 and text[:4].isdigit() and (len(text) == 4 or text[4] == "-")):
            raise SIError(where, f"'{excerpt(value)}' er ikke en dato ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD")
        return int(text[:4])
    if isinstance(value, bool):
        raise SIError(where, "skal være et tal")
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise SIError(where, f"'{excerpt(value)}' er ikke et tal (decimalpunktum, som standarden skriver tal)") from None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise SIError(where, "skal være et endeligt tal")
    return value


# --------------------------------------------------------------------------- export


def _rule_text(metric) -> str:
    """The metric's payment rule in Danish words for readers, from the rule's own :meth:`~udfs.core.rules.base.Rule.describe`
    (``Lineær: 0 kr. ved 3 personer, 2,5 mio. kr. ved 10, højst 3 mio. kr.``); the rule itself is read back from the
    extension."""
    return metric.regel.describe(metric.enhed)


def split_in_oere(total: float, weights: list[float]) -> list[float]:
    """``total`` split in proportion to ``weights`` (≥ 0, not all 0), each part in øre, the parts summing to ``total``
    in øre exactly: the rounding difference (a few øre at most) goes to the largest part."""
    whole = oere(total)
    parts = [oere(whole * w / sum(weights)) for w in weights]
    largest = max(range(len(parts)), key=lambda k: weights[k])
    parts[largest] = oere(whole - sum(p for k, p in enumerate(parts) if k != largest))
    return parts


def contracted_investment(result) -> float:
    """kr.: the investment the contract commits, the investor's cost lines as entered (``indsats`` with ``betaler:
    investor``, within the horizon), in øre -- the engine's investment too: the optimism mark-up on costs applies to
    the public authorities' costs only (:func:`udfs.core.engine.cost_factors`)."""
    return oere(result.prepared.costs[PAYERS.index("investor")].sum())


def outcome_payers(case: Case) -> list[str]:
    """Who pays the outcome payments, as the case names them (``kommune``, ``stat``, ``fond``): the payment model's
    ``betalere`` in their order, else the case's ``betaler``."""
    model = case.betalingsmodel
    return [p.betaler for p in model.betalere] if model is not None and model.betalere else [case.betaler]


def maximum_payment(case: Case) -> float | None:
    """kr.: the most the contract can pay in all, whatever the success: Σ each metric's largest payment
    (:meth:`udfs.core.payment.OutcomeMetric.maximum`, with the case's participants), at most the contract cap
    ``loft_kontrakt``; the cap alone where a metric's payment has no bound (a share of the savings without a cap);
    None without a payment model, or with an unbounded metric and no contract cap.  Never the expected payments:
    a linear rule capped at 3.500.000 kr. and a rate card capped at 500.000 kr. in all can pay 4.000.000 kr."""
    model = case.betalingsmodel
    if model is None:
        return None
    participants = float(sum(case.deltagere))
    maxima = [m.maximum(participants) for m in model.resultatmaal]
    if any(m is None for m in maxima):
        return model.loft_kontrakt
    total = math.fsum(maxima)
    return total if model.loft_kontrakt is None else min(model.loft_kontrakt, total)


def _commitments(case: Case, result) -> list[dict]:
    """One outcome payment commitment per outcome payer, from the engine's one split of the payments
    (:attr:`udfs.core.engine.Result.payments_by_payer`): each payer's share of the most the contract can pay
    (:func:`maximum_payment`; its share of the planned payments over the contract), in øre summing to that maximum.
    Without a maximum (a metric without a bound and no contract cap) no amount is written: the planned payments are
    expected payments, not a maximum (they are in ``outcome_payments``)."""
    model = case.betalingsmodel
    payers = outcome_payers(case)
    planned = [float(result.payments_by_payer[OUTCOME_PAYERS.index(p), 0].sum()) for p in payers]
    if sum(planned) <= 0:  # nothing planned: the shares of the years, equally weighted
        planned = [float(result.payer_shares[OUTCOME_PAYERS.index(p), 0].mean()) for p in payers]
    total = maximum_payment(case)
    amounts = split_in_oere(total, planned) if total is not None and sum(planned) > 0 else [0.0] * len(payers)
    out = []
    for payer, amount in zip(payers, amounts, strict=True):
        item = {"organisation_id": {"value": payer}, "organisation_role_category": {"value": PUBLIC_ROLE}}
        if total is not None:
            item["maximum_potential_outcome_payment"] = {"currency": {"value": case.valuta}, "amount": {"value": amount}}
        out.append(item)
    return out


def _payments(case: Case, result) -> list[dict]:
    """The planned outcome payments, one item per metric and payer: the engine's payment of the metric's year (after
    caps; an amount only where the metric is the one paid that year, since the contract cap cuts a year's total),
    split between the payers by their shares that year, in øre summing to the year's payment in øre."""
    model = case.betalingsmodel
    metrics = model.resultatmaal if model else []
    payers = outcome_payers(case)
    out = []
    for m in metrics:
        alone = sum(1 for n in metrics if n.aar == m.aar) == 1
        shares = [float(result.payer_shares[OUTCOME_PAYERS.index(p), 0, m.aar]) for p in payers]
        paying = [(p, w) for p, w in zip(payers, shares, strict=True) if w > 0] or [(payers[0], 1.0)]
        amounts = split_in_oere(float(result.payments[0, m.aar]), [w for _, w in paying])
        for (payer, _), amount in zip(paying, amounts, strict=True):
            item = {"outcome_metric_id": {"value": m.id}, "payer_organisation_id": {"value": payer},
                    "recipient_organisation_id": {"value": "investor"}, "type": {"value": "Planned"}}  # fmt: skip
            if case.startaar is not None:
                year = f"{case.startaar + m.aar:04d}"
                item["period"] = {"start_date": {"value": year}, "end_date": {"value": year}}
            if alone:
                item["money"] = {"currency": {"value": case.valuta}, "amount": {"value": amount}}
            out.append(item)
    return out


def _outcome_funds(case: Case) -> list[dict]:
    """The central outcomes funds paying a share (``betaler: fond``), by their id in ``resultatfonde.csv``."""
    model = case.betalingsmodel
    out = []
    for p in (model.betalere or []) if model is not None else []:
        if p.fond is not None:
            out.append({"id": p.fond, "notes": f"Central resultatfond (organisation '{FUND}'): betaler "
                                               f"{share_words(p.fixed())} af hver resultatbetaling (resultatfonde.csv)"})  # fmt: skip
    return out


def to_indigo(case: Case) -> dict:
    """The case as an INDIGO 4.1.0 project (JSON-ready dict) with the extension block :data:`EXTENSION`.

    Written for readers: the investment commitment (the investor's cost lines as entered, without the optimism
    mark-up: :func:`contracted_investment`), one commitment per outcome payer (:func:`_commitments`) and the planned
    outcome payments per metric, year and payer (:func:`_payments`), both from the engine's one split of the
    payments; the central outcomes funds (``outcome_funds``); each metric's rule in Danish words; the targeted
    number of participants.  Amounts in kr., rounded to øre.  Read back: the fields of :data:`PROJECT_FIELDS` and
    :data:`LIST_FIELDS` with a case field, and the extension.
    """
    data = case.model_dump(mode="json", exclude_defaults=True)
    result = run(case)
    investment = contracted_investment(result)
    model = case.betalingsmodel
    metrics = model.resultatmaal if model else []
    project: dict = {}
    values = {
        "/service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total/value": float(sum(case.deltagere)),
        "/service_and_beneficiaries/unit_type_targeted_service_users_or_beneficiaries/value": "Individual",
        "/jurisdiction/jurisdiction/value": COUNTRY,
        "/overall_project_finance/total_investment_commitment/currency/value": case.valuta,
        "/overall_project_finance/total_investment_commitment/amount/exact/value": investment,
    }
    most = maximum_payment(case)
    if most is not None:
        values["/overall_project_finance/maximum_potential_outcome_payment_v2/currency/value"] = case.valuta
        values["/overall_project_finance/maximum_potential_outcome_payment_v2/amount/value"] = oere(most)
    if case.realiseret is not None and case.realiseret.betalinger is not None:
        values["/overall_project_finance/total_outcome_payments_made/currency/value"] = case.valuta
    if case.realiseret is not None and case.realiseret.borgere_i_arbejde is not None:
        values["/service_and_beneficiaries/actual_number_service_users_or_beneficiaries_total/value"] = case.realiseret.borgere_i_arbejde
    for field in PROJECT_FIELDS:
        value = _case_get(data, field.case) if field.case and not field.derived else values.get(field.pointer)
        if value is not None and value != "":
            _put(project, field.pointer, _written(value, field.kind))
    sources = []
    if case.kilde:
        sources.append({"id": SOURCE_CASE, "name": {"value": case.kilde}})
    if case.realiseret is not None:
        sources.append({"id": SOURCE_REALISED, "name": {"value": case.realiseret.kilde}})
    lists: dict[str, list[dict]] = {"sources": sources}
    lists["outcome_metrics"] = [{
        "id": m.id, "definition": {"value": m.navn}, "data_source_for_outcome_validation": {"value": m.datakilde},
        "targeted_number_of_service_users_or_beneficiaries_total": {"value": float(sum(case.deltagere))},
    } for m in metrics]  # fmt: skip
    lists["outcome_pricings"] = []
    for m in metrics:
        pricing = {"outcome_metric_id": {"value": m.id}, "currency": {"value": case.valuta},
                   "price_description": {"value": _rule_text(m)}}  # fmt: skip
        prices = getattr(m.regel, "priser", None)
        if prices is not None and len(prices) == 1:
            pricing["price_per_unit"] = {"amount": {"value": float(prices[0])}}
        if m.loft is not None:
            pricing["maximum_price_if_all_targets_achieved"] = {"amount": {"value": _written(m.loft, "number_text")}}
        lists["outcome_pricings"].append(pricing)
    lists["outcome_payment_commitments"] = _commitments(case, result)
    lists["outcome_funds"] = _outcome_funds(case)
    lists["investments"] = [{
        "id": "investment1", "organisation_id": {"value": "investor"},
        "investment_commitment": {"currency": {"value": case.valuta}, "amount": {"exact": {"value": investment}}},
    }] if investment > 0 else []  # fmt: skip
    lists["outcome_payments"] = _payments(case, result)
    real = case.realiseret
    lists["results"] = [{
        "result_level": {"value": "Project level"}, "result_type": {"value": "Interim"},
        "period": {"end_date": {"value": real.dato}}, "source_ids": SOURCE_REALISED,
        **({"number_with_positive_social_outcomes": {"value": real.borgere_i_arbejde}} if real.borgere_i_arbejde is not None else {}),
    }] if real is not None else []  # fmt: skip
    for name, items in lists.items():
        if items:
            project[name] = items
    project[EXTENSION] = {"standard": STANDARD, "case": _extension_case(data)}
    return project


def _extension_case(data: dict) -> dict:
    """The case data without the fields INDIGO holds (each is kept in one place)."""
    rest = copy.deepcopy(data)
    for field in PROJECT_FIELDS:
        if field.case and not field.derived:
            _case_pop(rest, field.case)
    metrics = _case_get(rest, "betalingsmodel.resultatmaal") or []
    for name, fields in LIST_FIELDS.items():
        for field in fields:
            if field.case is None:
                continue
            if "[i]" in field.case:
                for i in range(len(metrics)):
                    _case_pop(rest, field.case, i)
            else:
                _case_pop(rest, field.case)
    if _case_get(data, "betalingsmodel.betalere"):
        rest["betaler"] = data.get("betaler", "kommune")  # several payers: the commitments name them, not the case's payer
    rest.pop("kilde", None)  # sources[source1]
    if isinstance(rest.get("realiseret"), dict):
        rest["realiseret"].pop("kilde", None)  # sources[source2]
    return rest


# --------------------------------------------------------------------------- import


def from_indigo(project: Any) -> Case:
    """The case of an INDIGO project written by :func:`to_indigo` (or edited since): the extension's case
    with every INDIGO field of :data:`PROJECT_FIELDS` and :data:`LIST_FIELDS` put back in its place.

    Raises :class:`SIError` naming the INDIGO field (``outcome_metrics[1].definition.value``) for a value of
    the wrong type, and ``x_sibc`` when the extension is missing (INDIGO has no fields for the effects,
    unit prices and participants by year a case needs).
    """
    if not isinstance(project, dict):
        raise SIError("indigo", "skal være et INDIGO-projekt (et JSON-objekt)")
    ext = project.get(EXTENSION)
    if not isinstance(ext, dict) or not isinstance(ext.get("case"), dict):
        raise SIError(EXTENSION, "mangler (blokken med casens effekter, enhedspriser, deltagere pr. år og betalingsregler, "
                                 "som INDIGO-standarden ikke har felter til)")  # fmt: skip
    data = copy.deepcopy(ext["case"])
    _fields_into(project, data)
    try:
        return parse_case(data)
    except SIError as err:
        raise SIError(indigo_name(err.argument), err.message) from None


def _fields_into(project: dict, data: dict, extension: bool = True) -> None:
    """Every INDIGO field of :data:`PROJECT_FIELDS` and :data:`LIST_FIELDS` that maps to a case field, and
    the sources, put into the case data ``data`` (SIError naming the INDIGO field for a value of the wrong type).
    ``extension``: ``data`` is the extension's case, whose fields a ``derived`` INDIGO field (an engine figure) never
    replaces; a file without one (published by others) has only the INDIGO field to go on."""
    for field in PROJECT_FIELDS:
        if field.case:
            if field.derived and extension:
                continue  # the extension holds the case field (or its absence); the INDIGO field is the engine's figure
            value = _get(project, field.pointer)
            if value is not None:
                _put_checked(data, field, value, field.pointer.strip("/").replace("/", "."))
    for name, fields in LIST_FIELDS.items():
        items = project.get(name, [])
        if not isinstance(items, list):
            raise SIError(name, "skal være en liste")
        if name == "outcome_payment_commitments" and (_case_get(data, "betalingsmodel.betalere") or len(items) > 1):
            _payers_into(items, data)
            continue
        for k, item in enumerate(items):
            if not isinstance(item, dict):
                raise SIError(f"{name}[{k}]", "skal være et objekt")
            for field in fields:
                if field.case is None or ("[i]" not in field.case and k > 0):
                    continue
                value = _get(item, field.pointer)
                if value is not None:
                    _put_checked(data, field, value, f"{name}[{k}].{field.pointer.strip('/').replace('/', '.')}",
                                 k if "[i]" in field.case else None)  # fmt: skip
    _sources_back(project, data)


def _payers_into(items: list, data: dict) -> None:
    """Several outcome payment commitments: the payment model's ``betalere``, each commitment's organisation with
    the share its maximum is of all the commitments' maxima (``andel``; None where an amount is missing).  A case
    whose extension already has ``betalere`` keeps them (the commitments are then written from them for readers,
    and the case's own ``betaler`` stays in the extension)."""
    if _case_get(data, "betalingsmodel.betalere"):
        return
    where = "outcome_payment_commitments[{k}].{field}"
    payers, amounts = [], []
    for k, item in enumerate(items):
        if not isinstance(item, dict):
            raise SIError(f"outcome_payment_commitments[{k}]", "skal være et objekt")
        org = _get(item, "/organisation_id/value")
        payers.append(None if org is None else _read(org, "text", where.format(k=k, field="organisation_id.value")))
        amount = _get(item, "/maximum_potential_outcome_payment/amount/value")
        amounts.append(None if amount is None else
                       _read(amount, "number", where.format(k=k, field="maximum_potential_outcome_payment.amount.value")))
    known = all(a is not None for a in amounts) and sum(amounts) > 0
    _case_put(data, "betalingsmodel.betalere", [
        {"betaler": payer, "andel": amount / sum(amounts) if known else None} for payer, amount in zip(payers, amounts, strict=True)
    ])  # fmt: skip


CASE_PAYERS = ("kommune", "region", "stat")
"""Who can pay the outcome payments of a case (``betaler``)."""


def partial_from_indigo(project: Any) -> tuple[dict, list[str]]:
    """What an INDIGO project published by others (without :data:`EXTENSION`) holds of a case, as case data,
    and a Danish list of what must be filled in by hand before it is a case (the fields INDIGO has no field
    for: price year, horizon, participants by year, costs by payer, effects, the payment rules), each with
    what the file says about it.  The file's organisation ids (``INDIGO-ORG-…``) are not a case's payer and
    are listed to fill in; amounts in another currency than DKK are listed to convert.

    Raises :class:`SIError` for a value of the wrong type (naming the INDIGO field), and when the file holds
    none of the fields a case is read from (then no case can be formed)."""
    if not isinstance(project, dict):
        raise SIError("indigo", "skal være et INDIGO-projekt (et JSON-objekt)")
    data: dict = {}
    _fields_into(project, data, extension=False)
    if not data:
        wanted = ", ".join(f.pointer.strip("/").split("/")[0] for f in PROJECT_FIELDS if f.case) + ", outcome_metrics"
        raise SIError("indigo", f"filen har ingen af de felter, en case læses fra ({wanted}); der kan ikke dannes en case")
    todo = []
    currencies = sorted(_currencies(project))
    if len(currencies) == 1 and currencies[0] != CURRENCY:
        try:
            data["valuta"] = check_currency(currencies[0], "valuta")
            todo.append(f"valuta: filens beløb er i {currencies[0]}, og casen får valuta {currencies[0]}; "
                        "enhedspriser fra kataloget er i kr., så effekterne skal have egne priser i samme valuta")
        except SIError:
            todo.append(f"beløb: filens valuta '{excerpt(currencies[0])}' er ikke en valutakode (ISO 4217); skriv casens valuta")
    elif len(currencies) > 1:
        todo.append(f"beløb: filens beløb er i flere valutaer ({', '.join(currencies)}); omregn dem til én og skriv den som "
                    "valuta (loft, betalinger, investorkrav står som i filen)")
    if "navn" not in data:
        data["navn"] = "Ny business case"
        todo.append("navn: casens navn (filen har intet name; der står 'Ny business case')")
    todo.append("prisaar: prisniveauet for beløbene (INDIGO har intet prisår)")
    start = data.get("startaar")
    todo.append("horisont: antal år, casen regnes over (INDIGO har ingen horisont" + (f"; tjenesten startede {start})" if start else ")"))
    total = _get(project, "/service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total/value")
    todo.append("deltagere: deltagere pr. år, fx [40, 40] (INDIGO har kun det samlede antal" + (f": {number_words(total)})" if isinstance(total, int | float) else ")"))
    invested = _get(project, "/overall_project_finance/total_investment_commitment/amount/exact/value")
    todo.append("indsats: omkostningerne pr. år med betaler (INDIGO har kun den samlede investering"
                + (f": {number_words(invested)})" if isinstance(invested, int | float) else ")"))
    todo.append("effekter: mindst én effekt med enhedspris (et id fra sibc catalogue), profil og succesrate (INDIGO har ingen effekter)")
    payers = _case_get(data, "betalingsmodel.betalere") or []
    for k, p in enumerate(payers):
        if p["betaler"] not in OUTCOME_PAYERS:
            named = p["betaler"]
            p["betaler"] = None
            share = f" (andel {number_words(p['andel'])} efter filens beløb)" if p["andel"] is not None else ""
            todo.append(f"betalingsmodel.betalere[{k}].betaler: kommune, region, stat eller fond for filens organisation "
                        f"'{excerpt(named)}'{share}")  # fmt: skip
        if p["andel"] is None:
            todo.append(f"betalingsmodel.betalere[{k}].andel: betalerens andel (0–1) af hver resultatbetaling, 'besparelse' "
                        "eller en fond (filen har ikke alle betaleres beløb)")  # fmt: skip
    if payers and "betaler" not in data:
        todo.append("betaler: kommune, region eller stat, den myndighed casen regnes for (filen har flere resultatbetalere)")
    payer = data.get("betaler")
    if payer is not None and payer not in CASE_PAYERS:
        del data["betaler"]
        todo.append(f"betaler: kommune, region eller stat (filen nævner organisationen '{excerpt(payer)}')")
    prices = {_get(p, "/outcome_metric_id/value"): _get(p, "/price_per_unit/amount/value")
              for p in project.get("outcome_pricings") or [] if isinstance(p, dict)}
    for k, metric in enumerate(_case_get(data, "betalingsmodel.resultatmaal") or []):
        price = prices.get(metric.get("id"))
        todo.append(f"betalingsmodel.resultatmaal[{k}] ({excerpt(metric.get('id') or metric.get('navn') or k + 1)}): regel (betalingsreglen), "
                    "aar, enhed, datakilde, maaletidspunkt og dens maaling" + (f"; filens pris pr. enhed er {number_words(price) if isinstance(price, int | float) else price}" if price is not None else ""))
    if isinstance(data.get("realiseret"), dict) and "dato" not in data["realiseret"]:
        todo.append("realiseret.dato: opgørelsesdatoen for de realiserede tal (ÅÅÅÅ-MM-DD)")
    return data, todo


def _currencies(project: dict) -> set[str]:
    """Every currency the project names (its ``…/currency/value`` fields), upper-case."""
    out, stack = set(), [project]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            currency = node.get("currency")
            if isinstance(currency, dict) and isinstance(currency.get("value"), str):
                out.add(currency["value"].strip().upper())
            stack += [v for k, v in node.items() if k != EXTENSION]
        elif isinstance(node, list):
            stack += node
    return out


def indigo_name(case_field: str) -> str:
    """Where a case field is in the INDIGO file: its INDIGO field (``outcome_metrics[1].definition.value``),
    else its place in the extension (``x_sibc.case.effekter[0].succesrate``)."""
    for name, fields in [("", PROJECT_FIELDS), *LIST_FIELDS.items()]:
        for field in fields:
            if field.case is None or field.derived:
                continue
            pattern = re.escape(field.case).replace(re.escape("[i]"), r"\[(\d+)\]")
            m = re.fullmatch(pattern, case_field)
            if m:
                index = f"[{m.group(1)}]" if m.groups() else "[0]"
                pointer = field.pointer.strip("/").replace("/", ".")
                return f"{name}{index}.{pointer}" if name else pointer
    return f"{EXTENSION}.case.{case_field}"


def _put_checked(data: dict, field: Mapped, value: Any, where: str, i: int | None = None) -> None:
    _case_put(data, field.case, _read(value, field.kind, where), i)


def _sources_back(project: dict, data: dict) -> None:
    for k, source in enumerate(project.get("sources") or []):
        if not isinstance(source, dict):
            raise SIError(f"sources[{k}]", "skal være et objekt")
        name = _get(source, "/name/value")
        if name is None:
            continue
        text = _read(name, "text", f"sources[{k}].name.value")
        if source.get("id") == SOURCE_CASE:
            data["kilde"] = text
        elif source.get("id") == SOURCE_REALISED and isinstance(data.get("realiseret"), dict):
            data["realiseret"]["kilde"] = text


# --------------------------------------------------------------------------- the CSV form


def csv_files(project: dict) -> dict[str, str]:
    """The project as the GO Lab's CSV files: ``projects.csv`` (``ID`` and the project fields, the extension as
    JSON text in the column :data:`EXTENSION`) and ``projects_<list>.csv`` per list (``Project ID`` and the
    list's fields).  Comma-separated, UTF-8, numbers with a decimal point, as the GO Lab writes them."""
    import json

    def text(rows: list[list[Any]]) -> str:
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row])
        return out.getvalue()

    main = [["ID", *(f.title for f in PROJECT_FIELDS), EXTENSION],
            [PROJECT_ID, *(_get(project, f.pointer) for f in PROJECT_FIELDS),
             json.dumps(project.get(EXTENSION), ensure_ascii=False, allow_nan=False)]]  # fmt: skip
    files = {MAIN_CSV: text(main)}
    for name, fields in LIST_FIELDS.items():
        rows = [["Project ID", *(f.title for f in fields)]]
        rows += [[PROJECT_ID, *(_get(item, f.pointer) for f in fields)] for item in project.get(name, [])]
        files[f"projects_{name}.csv"] = text(rows)
    return files


def project_from_csv(files: dict[str, str]) -> dict:
    """The project of :func:`csv_files` (one project; a number column read as a number).  Unknown columns are
    ignored; SIError names the file and column."""
    import json

    if MAIN_CSV not in files:
        raise SIError("indigo", f"filen {MAIN_CSV} mangler")
    header, rows = _csv_rows(files[MAIN_CSV], MAIN_CSV)
    if len(rows) != 1:
        raise SIError(MAIN_CSV, f"skal have præcis ét projekt, har {len(rows)}")
    row = dict(zip(header, rows[0]))
    project: dict = {}
    for field in PROJECT_FIELDS:
        value = row.get(field.title, "")
        if value != "":
            _put(project, field.pointer, _csv_value(value, field, f"{MAIN_CSV}, kolonnen '{field.title}'"))
    if row.get(EXTENSION):
        try:
            project[EXTENSION] = json.loads(row[EXTENSION], parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise SIError(f"{MAIN_CSV}, kolonnen '{EXTENSION}'", f"er ikke gyldig JSON: {excerpt(exc.msg, 80)}") from None
    for name, fields in LIST_FIELDS.items():
        file = f"projects_{name}.csv"
        if file not in files:
            continue
        header, rows = _csv_rows(files[file], file)
        items = []
        for r in rows:
            item: dict = {}
            for field, value in ((f, dict(zip(header, r)).get(f.title, "")) for f in fields):
                if value != "":
                    _put(item, field.pointer, _csv_value(value, field, f"{file}, kolonnen '{field.title}'"))
            items.append(item)
        if items:
            project[name] = items
    return project


def _no_constant(name: str):
    raise SIError(EXTENSION, f"{name} er ikke et tal, JSON tillader det ikke")


def _csv_rows(text: str, file: str) -> tuple[list[str], list[list[str]]]:
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise SIError(file, f"kan ikke læses som CSV: {excerpt(str(exc), 80)}") from None
    if not rows:
        raise SIError(file, "er tom (mangler overskriftsrækken)")
    return rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]


def _csv_value(value: str, field: Mapped, where: str) -> Any:
    if field.kind == "number":
        return _read(value, "number", where)
    return value


# --------------------------------------------------------------------------- files

MAX_ZIP_ENTRIES = 20
"""Most files in an INDIGO CSV zip (the form has one main file and one per list: 9)."""


def read_indigo(path: str | Path) -> dict:
    """The INDIGO project in a file: ``.json`` (the project object) or ``.zip`` (the CSV form of
    :func:`csv_files`).  Sizes are checked before anything is read or unpacked (the file, each entry and
    all entries at most :data:`~udfs.core.limits.MAX_CASE_FILE_BYTES`, at most :data:`MAX_ZIP_ENTRIES`
    entries); SIError naming ``indigo`` or the file inside the zip."""
    p = user_file(path, "indigo", (".json", ".zip"))
    if p.suffix.lower() == ".json":
        try:
            return parse_text(read_text(p, "indigo", "JSON (UTF-8)"), json_format=True)
        except SIError as err:
            raise SIError("indigo" if err.argument == "casefil" else err.argument, err.message) from None
    try:
        with zipfile.ZipFile(p) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise SIError("indigo", f"zip-filen har {len(entries)} filer; højst {MAX_ZIP_ENTRIES}")
            total = sum(e.file_size for e in entries)
            if total > MAX_CASE_FILE_BYTES:
                raise SIError("indigo", f"zip-filen fylder {total:,} byte udpakket; højst {MAX_CASE_FILE_BYTES:,}".replace(",", "."))
            files = {}
            for e in entries:
                if e.is_dir() or not e.filename.lower().endswith(".csv"):
                    continue
                with archive.open(e) as fh:
                    data = fh.read(MAX_CASE_FILE_BYTES + 1)
                if len(data) > MAX_CASE_FILE_BYTES:  # the header lied about the size
                    raise SIError("indigo", f"'{excerpt(e.filename)}' er større end angivet i zip-filen")
                try:
                    files[PurePosixPath(e.filename).name] = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise SIError(excerpt(e.filename), "er ikke UTF-8-tekst") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise SIError("indigo", f"'{excerpt(p.name)}' er ikke en gyldig zip-fil ({type(exc).__name__})") from None
    project = project_from_csv(files)
    check_shape(project)
    return project


__all__ = ["EXTENSION", "LIST_FIELDS", "PROJECT_FIELDS", "STANDARD", "csv_files", "from_indigo", "maximum_payment",
           "project_from_csv", "read_indigo", "to_indigo"]  # fmt: skip
