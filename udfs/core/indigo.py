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
INDIGO field changes the case.  Organisation ids are the case's own words
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

STANDARD = "INDIGO data standard 4.1.0 (schema/project.json, 2023-10-19)"
EXTENSION = "x_sibc"
CURRENCY = "DKK"
COUNTRY = "DK"
MAIN_CSV = "projects.csv"
PROJECT_ID = "sibc-1"
"""The project's ID in the CSV form (INDIGO-POJ identifiers are assigned by INDIGO)."""

Kind = Literal["text", "number", "number_text", "year"]
"""How a value is written: text; a JSON number; a number written as text (the schema's type for the
field is string: the IRR target and the maximum price); a year ``ÅÅÅÅ`` (a date field) read back as a whole number."""


@dataclass(frozen=True)
class Mapped:
    """One INDIGO field: JSON pointer (within the project or a list item), its CSV title, kind, and the case
    field it is read into (dotted, ``[i]`` for the list item's index; ``None``: written only)."""

    pointer: str
    title: str
    kind: Kind
    case: str | None = None


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
           "Overall project finance - Maximum potential outcome payment - Amount - (Value)", "number", "betalingsmodel.loft_kontrakt"),
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
    """The metric's payment rule in words for readers, e.g. ``type lineaer, taerskel 8.0, maal 20.0, …`` (the rule
    itself is read back from the extension)."""
    rule = metric.regel.model_dump(mode="json", exclude_none=True)
    return ", ".join(f"{k} {v}" for k, v in rule.items())


def to_indigo(case: Case) -> dict:
    """The case as an INDIGO 4.1.0 project (JSON-ready dict) with the extension block :data:`EXTENSION`.

    Written for readers: the investment (the investor's costs), the planned outcome payments per metric and
    year from the engine (after caps; the amount only where the metric is the one paid that year, since the
    contract cap cuts a year's total), the targeted number of participants; read back: the fields of
    :data:`PROJECT_FIELDS` and :data:`LIST_FIELDS` with a case field, and the extension.
    """
    data = case.model_dump(mode="json", exclude_defaults=True)
    result = run(case)
    investment = float(result.investment[0].sum())
    model = case.betalingsmodel
    metrics = model.resultatmaal if model else []
    start = case.startaar
    project: dict = {}
    values = {
        "/service_and_beneficiaries/targeted_number_service_users_or_beneficiaries_total/value": float(sum(case.deltagere)),
        "/service_and_beneficiaries/unit_type_targeted_service_users_or_beneficiaries/value": "Individual",
        "/jurisdiction/jurisdiction/value": COUNTRY,
        "/overall_project_finance/total_investment_commitment/currency/value": CURRENCY,
        "/overall_project_finance/total_investment_commitment/amount/exact/value": investment,
    }
    if model is not None and model.loft_kontrakt is not None:
        values["/overall_project_finance/maximum_potential_outcome_payment_v2/currency/value"] = CURRENCY
    if case.realiseret is not None and case.realiseret.betalinger is not None:
        values["/overall_project_finance/total_outcome_payments_made/currency/value"] = CURRENCY
    if case.realiseret is not None and case.realiseret.borgere_i_arbejde is not None:
        values["/service_and_beneficiaries/actual_number_service_users_or_beneficiaries_total/value"] = case.realiseret.borgere_i_arbejde
    for field in PROJECT_FIELDS:
        value = _case_get(data, field.case) if field.case else values.get(field.pointer)
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
        pricing = {"outcome_metric_id": {"value": m.id}, "currency": {"value": CURRENCY},
                   "price_description": {"value": _rule_text(m)}}  # fmt: skip
        prices = getattr(m.regel, "priser", None)
        if prices is not None and len(prices) == 1:
            pricing["price_per_unit"] = {"amount": {"value": float(prices[0])}}
        if m.loft is not None:
            pricing["maximum_price_if_all_targets_achieved"] = {"amount": {"value": _written(m.loft, "number_text")}}
        lists["outcome_pricings"].append(pricing)
    commitment = {"organisation_id": {"value": case.betaler},
                  "organisation_role_category": {"value": "Government/Public Sector/Public Bank"}}  # fmt: skip
    if model is not None and model.loft_kontrakt is not None:
        commitment["maximum_potential_outcome_payment"] = {"currency": {"value": CURRENCY}, "amount": {"value": model.loft_kontrakt}}
    lists["outcome_payment_commitments"] = [commitment]
    lists["investments"] = [{
        "id": "investment1", "organisation_id": {"value": "investor"},
        "investment_commitment": {"currency": {"value": CURRENCY}, "amount": {"exact": {"value": investment}}},
    }] if investment > 0 else []  # fmt: skip
    payments = result.payments[0]
    lists["outcome_payments"] = []
    for m in metrics:
        amount = float(payments[m.aar]) if sum(1 for n in metrics if n.aar == m.aar) == 1 else None
        item = {"outcome_metric_id": {"value": m.id}, "payer_organisation_id": {"value": case.betaler},
                "recipient_organisation_id": {"value": "investor"}, "type": {"value": "Planned"}}  # fmt: skip
        if start is not None:
            item["period"] = {"start_date": {"value": f"{start + m.aar:04d}"}, "end_date": {"value": f"{start + m.aar:04d}"}}
        if amount is not None:
            item["money"] = {"currency": {"value": CURRENCY}, "amount": {"value": amount}}
        lists["outcome_payments"].append(item)
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
        if field.case:
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
    for field in PROJECT_FIELDS:
        if field.case:
            value = _get(project, field.pointer)
            if value is not None:
                _put_checked(data, field, value, field.pointer.strip("/").replace("/", "."))
    for name, fields in LIST_FIELDS.items():
        items = project.get(name, [])
        if not isinstance(items, list):
            raise SIError(name, "skal være en liste")
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
    try:
        return parse_case(data)
    except SIError as err:
        raise SIError(indigo_name(err.argument), err.message) from None


def indigo_name(case_field: str) -> str:
    """Where a case field is in the INDIGO file: its INDIGO field (``outcome_metrics[1].definition.value``),
    else its place in the extension (``x_sibc.case.effekter[0].succesrate``)."""
    for name, fields in [("", PROJECT_FIELDS), *LIST_FIELDS.items()]:
        for field in fields:
            if field.case is None:
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
"""Most files in an INDIGO CSV zip (the form has one main file and one per list: 8)."""


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


__all__ = ["EXTENSION", "LIST_FIELDS", "PROJECT_FIELDS", "STANDARD", "csv_files", "from_indigo", "project_from_csv",
           "read_indigo", "to_indigo"]  # fmt: skip
