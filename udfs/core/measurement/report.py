"""Running a measurement file end to end: panel → measures → effects → metrics → payments → settlement.

:func:`run` reads the files a :class:`.definitions.MeasurementFile` names,
measures every person with DuckDB, estimates each measure's effect against the
chosen comparison, applies the suppression rules of :mod:`.privacy`, computes
the minimum detectable effect of the design, and, with a case file, the
payments by year and the settlement.  The result holds aggregates only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from ..case_model import Case
from ..casefile import read_case_file
from ..files import located_errors, read_text_and_data
from ..errors import SIError, excerpt
from ..payment import PaymentModel, contract_payments
from ..engine import run as run_case
from ..published import MeasuredSavings, measured_savings, settle_case, settlement_rows
from ..rounding import by_unit
from ..settlement import Settlement, named_years
from ..vocabulary import CURRENCY, program_block
from . import design
from .definitions import Measure, MeasurementFile, PaymentLink, parse_measure, parse_measurement_file
from .effects import (BalanceRow, Estimate, balance_table, bootstrap_independent, bootstrap_pairs, greedy_match,
                      independent_effect, logit_scores, paired_effect)
from .grouping import Grouping, load_grouping
from .link import Measured, link_errors, measured_effect, metric_values
from .measures import measure_persons
from .panel import Panel, connect, load_cohort, load_panel_file
from .privacy import safe_count, safe_summary

COMPARISON_ARM = {"kontrolgruppe": "kontrol", "historisk": "historisk", "matchning": "pulje"}


@dataclass(frozen=True)
class MeasureResult:
    """One measure: definition, the two groups' suppressed summaries, the effect (None when suppressed) and the MDE."""

    measure: Measure
    treated: dict[str, Any]
    comparison: dict[str, Any]
    estimate: Estimate | None
    mde: float | None


@dataclass(frozen=True)
class MeasurementResult:
    """Everything a report shows (aggregates only)."""

    name: str
    grouping: Grouping
    panel_span: str
    method: str
    level: float
    power: float
    counts: dict[str, int | None]
    measures: list[MeasureResult]
    balance: list[BalanceRow] = field(default_factory=list)
    matched: int | None = None
    unmatched: int | None = None
    metrics: list[tuple[str, str, int, str, float]] = field(default_factory=list)  # id, navn, aar, maal, value
    payments: list[float] = field(default_factory=list)
    settlement: Settlement | None = None
    # the settlement as `sibc afregn` shows it (:func:`udfs.core.published.settlement_rows`): with the case's guarantee
    settlement_rows: list[tuple[Any, Any]] = field(default_factory=list)  # (line item, value)
    settlement_lines: list[tuple[str, str, Any]] = field(default_factory=list)  # (name, label, values by year)
    notes: list[str] = field(default_factory=list)
    payment_model: PaymentModel | None = None
    links: list[PaymentLink] = field(default_factory=list)
    n_treated: int | None = None  # persons in the intervention group behind "i_alt" links (None when suppressed)
    paid: dict[str, float] = field(default_factory=dict)  # kr. per metric after its rule and cap (before the contract cap)
    per_person: dict[str, float] = field(default_factory=dict)  # kr. per pr_person metric: Σ each person's capped payment
    savings_basis: MeasuredSavings | None = None  # the settlement's savings: the case's scaled to the measured effects
    valuta: str = CURRENCY  # the case's currency (ISO 4217): the unit of every amount above
    case_name: str | None = None  # the case file's navn (None without a case)

    def month(self, metric_id: str) -> int | None:
        """The metric's measurement point in months after the contract's start (None: only a year is given)."""
        return None if self.payment_model is None else self.payment_model.metric(metric_id).maaned

    def scale(self, metric_id: str) -> str | None:
        """The ``skala`` of the link that measures the metric."""
        return next((link.skala for link in self.links if link.resultatmaal == metric_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Danish keys, as the report)."""
        def est(e: Estimate | None) -> dict | None:
            return None if e is None else {"effekt": e.effect, "nedre": e.lower, "oevre": e.upper, "metode": e.method,
                                           "bootstrap_nedre": e.boot_lower, "bootstrap_oevre": e.boot_upper}
        return {
            "navn": self.name,
            "kodegruppering": self.grouping.name,
            "panel": self.panel_span,
            "sammenligning": self.method,
            "niveau": self.level,
            "antal": self.counts,
            "maal": [{"id": r.measure.id, "version": r.measure.version, "definition": r.measure.describe(),
                      "indsats": r.treated, "sammenligning": r.comparison, "effekt": est(r.estimate), "mde": r.mde}
                     for r in self.measures],
            "balance": [{"variabel": b.name, "indsats": b.treated_mean, "pulje": b.pool_mean, "smd_foer": b.smd_before,
                         "matchet": b.matched_mean, "smd_efter": b.smd_after} for b in self.balance],
            "resultatmaal": [{"id": m[0], "navn": m[1], "aar": m[2], "maaned": self.month(m[0]), "maal": m[3],
                              "skala": self.scale(m[0]), "vaerdi": m[4], "betaling": by_unit(self.paid.get(m[0]), "kr")}
                             for m in self.metrics],
            "betalinger": [by_unit(v, "kr") for v in self.payments],
            **({"afregning": None} if self.settlement is None else program_block("afregning", self.settlement_rows)),
            "afregning_aar_for_aar": None if self.settlement is None else named_years(self.settlement_lines),
            "afregningens_besparelser": None if self.savings_basis is None else {
                "grundlag": "maalt" if self.savings_basis.savings is not None else None,
                "udeladt_fordi": self.savings_basis.reason,
                "effekter": {e: {"resultatmaal": m, "casens_vaerdi": case_value, "forhold": ratio,
                                 "casens_besparelse": by_unit(sum(self.savings_basis.expected[e]), "kr")}
                             for e, (ratio, m, case_value) in self.savings_basis.scales.items()}},
            "noter": self.notes,
        }


def resolve(base: Path, name: str) -> Path:
    """A path from a measurement file, relative to the file's folder."""
    p = Path(name)
    return p if p.is_absolute() else base / p


def load_file(path: str | Path) -> tuple[MeasurementFile, Path]:
    """A measurement file (YAML/JSON) and its folder; every error of the file at once, each naming its field by
    its path in the file and its line (``betaling[2].maal (linje 58)``)."""
    p = Path(path)
    text, data = read_text_and_data(p, "maalefil")
    base = p.resolve().parent
    errors: list[SIError] = []
    spec = None
    try:
        spec = parse_measurement_file(data)
    except SIError as err:
        errors += [err, *err.others]
    if isinstance(data, dict):
        errors += file_errors(data, base)
    if errors:
        raise located_errors(errors[0].with_others(errors[1:]), text)
    assert spec is not None
    return spec, base


def file_errors(data: dict[str, Any], base: Path) -> list[SIError]:
    """The errors of a measurement file (plain data) that need its code grouping or its case file, each named by its
    path in the file: a group of a measure (``maal[2].gruppe``) or of the history (``sammenligning.forhistorie_grupper``)
    the grouping lacks ("mente du …?"), a grouping or case file that cannot be read, and every ``betaling`` link the
    case's payment model refuses (:func:`.link.link_errors`).  Fields of the wrong shape are left to the file's own
    validation (:func:`.definitions.parse_measurement_file`)."""
    errors: list[SIError] = []
    name = data.get("kodegruppering")
    try:
        grouping = load_grouping(str(resolve(base, name)) if isinstance(name, str) and name.lower().endswith(".csv") else name)
    except SIError as err:
        errors += [err, *err.others]
        grouping = None
    measures = data.get("maal") if isinstance(data.get("maal"), list) else []
    comparison = data.get("sammenligning") if isinstance(data.get("sammenligning"), dict) else {}
    named = [(f"maal[{i}].gruppe", m.get("gruppe")) for i, m in enumerate(measures) if isinstance(m, dict)]
    named.append(("sammenligning.forhistorie_grupper", comparison.get("forhistorie_grupper")))
    for argument, groups in named if grouping is not None else []:
        for g in [groups] if isinstance(groups, str) else groups if isinstance(groups, list) else []:
            try:
                grouping.group(str(g), argument)
            except SIError as err:
                errors.append(err)
    case_name, links = data.get("case"), data.get("betaling")
    if isinstance(case_name, str) and case_name:
        try:
            case = load_case(base, case_name)
        except SIError as err:
            return errors + [err, *err.others]
        parsed = [PaymentLink.model_validate(x) for x in links if _valid_link(x)] if isinstance(links, list) else []
        if case.betalingsmodel is not None and len(parsed) == len(links or []) and parsed:
            errors += link_errors(case.betalingsmodel, parsed)
    return errors


def _valid_link(item: Any) -> bool:
    """Whether a ``betaling`` item is a valid link by itself (its own errors are the file validation's)."""
    try:
        PaymentLink.model_validate(item)
    except Exception:  # noqa: BLE001 - pydantic's ValidationError or an SIError of a validator: reported elsewhere
        return False
    return True


def located_in_file(err: SIError, path: str | Path) -> SIError:
    """``err`` (found while running a measurement file) with the line of each field the measurement file has
    (:func:`~udfs.core.files.located_errors`); the file read again, as it is only needed for a message."""
    try:
        text, _ = read_text_and_data(path, "maalefil")
    except SIError:
        return err
    return located_errors(err, text)


def load_case(base: Path, name: str) -> Case:
    """The case file a measurement file names (``case``), its errors named as in that file
    (``case-filen sygedagpenge.yaml, maaling.job.effekt (linje 129)``); a file that cannot be read names ``case``."""
    try:
        return read_case_file(resolve(base, name))
    except SIError as err:
        shown = excerpt(Path(name).name)
        errors = [SIError("case", e.message) if e.argument == "casefil" else SIError(f"case-filen {shown}, {e.argument}", e.message)
                  for e in (err, *err.others)]
        raise errors[0].with_others(errors[1:]) from None


def pre_period_measures(spec: MeasurementFile, grouping: Grouping) -> list[Measure]:
    """Weeks in each group in the ``forhistorie`` weeks before start (the history matched on).

    By default every group but the first: the weeks of all groups add up to the
    window, so the first is implied by the others (and would make the
    propensity model's covariates collinear).
    """
    groups = spec.sammenligning.forhistorie_grupper or [g.id for g in grouping.groups[1:]]
    weeks = spec.sammenligning.forhistorie
    return [parse_measure({"id": f"forhistorie_{g}", "navn": f"Uger i {g} før start", "type": "uger", "gruppe": g,
                           "fra": -weeks, "til": -1}, "sammenligning.forhistorie_grupper") for g in groups]


def estimate_mde(measure: Measure, y1: np.ndarray, y0: np.ndarray, power: float, level: float) -> float | None:
    """The design's MDE for this measure: two proportions (baseline = comparison share) or two means (pooled sd)."""
    if y1.size < 2 or y0.size < 2:
        return None
    if measure.binary:
        p0 = float(y0.mean())
        if not 0 < p0 < 1:
            return None
        try:
            return design.mde_proportions(y1.size, y0.size, p0, power, level)
        except SIError:
            return None
    sd = float(np.sqrt((y1.var(ddof=1) + y0.var(ddof=1)) / 2))
    return design.mde_means(y1.size, y0.size, sd, power, level) if sd > 0 else None


def run(spec: MeasurementFile, base: Path, progress: bool = False, memory_limit: str | None = None) -> MeasurementResult:
    """Run a measurement file (paths relative to ``base``); SIError naming the field or file at fault.

    The case file (``case``) is read first, every error of it at once (:func:`load_case`), so a broken case
    file is reported before any code grouping, panel or cohort is read and measured.  The panel and the cohort
    file are then both read, and every error of both is raised at once (the panel's first, each file's row
    errors bounded as :func:`.panel.load_cohort_source` and :func:`.panel.csv_source` bound them); a cohort is
    checked against the panel only when the panel could be read."""
    case = load_case(base, spec.case) if spec.case else None
    grouping_name = spec.kodegruppering
    if grouping_name and grouping_name.lower().endswith(".csv"):
        grouping_name = str(resolve(base, grouping_name))
    grouping = load_grouping(grouping_name)
    con = connect(progress, memory_limit)
    try:
        src = spec.panel
        period = (src.foerste_uge, src.sidste_uge) if src.foerste_uge is not None and src.sidste_uge is not None else None
        errors: list[SIError] = []  # both data files' errors at once: the panel's, then the cohort's
        bounded = True
        panel = None
        try:
            panel = load_panel_file(con, resolve(base, src.fil), src.format, src.person, grouping, src.uge, src.kode,
                                    period=period)
        except SIError as err:
            errors, bounded = [err, *err.others], err.bounded
        c = spec.kohorte
        try:
            load_cohort(panel, resolve(base, c.fil), c.person, c.start, c.gruppe, c.kovariater, con=con)
        except SIError as err:
            errors, bounded = errors + [err, *err.others], bounded and err.bounded
        if errors:
            raise errors[0].with_others(errors[1:], bounded=bounded)
        assert panel is not None
        return evaluate(spec, base, panel, case)
    except duckdb.OutOfMemoryException:
        raise SIError("hukommelse", "DuckDB har ikke hukommelse nok til panelet; sæt en grænse med --hukommelse "
                                    "(fx 3GB), så resten skrives midlertidigt til disk") from None
    except duckdb.Error:  # the files are named where they are read (panel.file_source): never DuckDB's English
        raise SIError("maalefil", "panelet eller kohorten kan ikke måles (DuckDB fejlede uden at pege på en fil)") from None
    finally:
        con.close()


def evaluate(spec: MeasurementFile, base: Path, panel: Panel, case: Case | None = None) -> MeasurementResult:
    """Measures, effects, payments for a loaded panel and cohort; ``case``: the case file already read
    (:func:`load_case`; read here when not given)."""
    cmp = spec.sammenligning
    method = cmp.metode
    arm0 = COMPARISON_ARM[method]
    pre = pre_period_measures(spec, panel.grouping) if method == "matchning" else []
    values = measure_persons(panel, list(spec.maal) + pre, len(spec.kohorte.kovariater))
    t_mask, c_mask = values.arm_mask("indsats"), values.arm_mask(arm0)
    n_t, n_c = int(t_mask.sum()), int(c_mask.sum())
    if n_t == 0 or n_c == 0:
        missing = "indsats" if n_t == 0 else arm0
        raise SIError(f"kohorte.{spec.kohorte.gruppe}", f"har ingen personer i gruppen '{missing}' (sammenligning: {method})")
    counts = {"indsats": safe_count(n_t), arm0: safe_count(n_c)}
    notes: list[str] = []
    balance: list[BalanceRow] = []
    matched = unmatched = None
    pairs = None
    if method == "matchning":
        names = [m.navn for m in pre] + list(spec.kohorte.kovariater)
        x_all = np.column_stack([values.values[m.id] for m in pre] + ([values.covariates] if values.covariates.size else []))
        keep = t_mask | c_mask
        x, is_t = x_all[keep], t_mask[keep]
        score = logit_scores(x, is_t.astype(float))
        pairs = greedy_match(score, is_t, cmp.kaliber, cmp.seed)
        balance = balance_table(names, x, is_t, pairs)
        matched, unmatched = safe_count(len(pairs.treated)), safe_count(pairs.unmatched) if pairs.unmatched else 0
        if pairs.unmatched and unmatched is None:
            matched = None  # complementary: n_treated − matched would reveal the small count
        notes.append(f"Matchning: nærmeste nabo på logit(propensity score) uden tilbagelægning, kaliber {cmp.kaliber} sd.")
        idx = np.flatnonzero(keep)
    measure_results: list[MeasureResult] = []
    for m in spec.maal:
        v = values.values[m.id]
        if pairs is None:
            y1, y0 = v[t_mask], v[c_mask]
            est = independent_effect(y1, y0, cmp.niveau)
            if cmp.bootstrap:
                lo, hi = bootstrap_independent(y1, y0, cmp.bootstrap, cmp.seed, cmp.niveau)
                est = Estimate(**{**est.__dict__, "boot_lower": lo, "boot_upper": hi})
        else:
            y1, y0 = v[idx[pairs.treated]], v[idx[pairs.control]]
            est = paired_effect(y1 - y0, cmp.niveau)
            if cmp.bootstrap:
                lo, hi = bootstrap_pairs(y1 - y0, cmp.bootstrap, cmp.seed, cmp.niveau)
                est = Estimate(**{**est.__dict__, "boot_lower": lo, "boot_upper": hi})
        s1, s0 = safe_summary(y1), safe_summary(y0)
        shown = s1["gennemsnit"] is not None and s0["gennemsnit"] is not None
        if pairs is not None and matched is None:
            s1["n"] = s0["n"] = None
        measure_results.append(MeasureResult(m, s1, s0, est if shown else None,
                                             estimate_mde(m, y1, y0, spec.design.styrke, spec.design.niveau) if shown else None))
    result = MeasurementResult(spec.navn, panel.grouping, panel.span(), method, cmp.niveau, spec.design.styrke, counts,
                               measure_results, balance, matched, unmatched, notes=notes)
    if not spec.case:
        return result
    # Each participant's own value, for links paid per person; never stored in the result (privacy).
    persons = {link.maal: values.values[link.maal][t_mask] for link in spec.betaling
               if link.skala == "pr_person" and safe_count(n_t) is not None}
    return with_payments(result, spec, base, n_t, persons, case)


def target_notes(model: PaymentModel, spec: MeasurementFile, result: MeasurementResult, n_treated: int,
                 case: Case | None = None, expected: Any = None) -> list[str]:
    """For each linear metric paid on an effect: its target against the minimum detectable effect, in the same unit.

    A link paid per participant compares the target with the MDE.  A link paid in total (``skala: i_alt``) counts
    the persons measured: the MDE is the MDE per participant × those persons, and a target the case counts over
    its own participants (``maal: antal``, :func:`udfs.core.published.counted_participants`) is that target for the
    persons measured — the case's 30 of 75 participants is 30 × 25 ÷ 75 = 10 of 25 measured, against an MDE of
    0,315 × 25 = 7,88 — and the note says that the payment sets the count of the persons measured against the
    target for all the case's participants."""
    from ..payment import LinearRule
    from ..published import counted_participants

    mde = {r.measure.id: r.mde for r in result.measures}
    notes = []

    def dk(x: float, fmt: str = "g") -> str:
        return format(x, fmt).replace(".", ",")

    level = f"(styrke {dk(spec.design.styrke)}, niveau {dk(spec.design.niveau)})"
    for link in spec.betaling:
        rule = model.metric(link.resultatmaal).regel
        if link.vaerdi != "effekt" or not isinstance(rule, LinearRule) or mde.get(link.maal) is None:
            continue
        target = abs(rule.maal)
        if link.skala != "i_alt":
            verdict = "kan påvises" if target >= mde[link.maal] else "ligger under det, der kan påvises"
            notes.append(f"{link.resultatmaal}: målet {dk(target)} mod en mindste påviselige effekt på "
                         f"{dk(mde[link.maal], '.3g')} {level}: målet {verdict}.")
            continue
        detectable = mde[link.maal] * n_treated
        persons = None if case is None else counted_participants(case, link.resultatmaal, expected)
        mde_words = f"{dk(mde[link.maal], '.3g')} pr. deltager × {n_treated} målte = {dk(detectable, '.3g')}"
        if persons is None or persons == n_treated:
            verdict = "kan påvises" if target >= detectable else "ligger under det, der kan påvises"
            notes.append(f"{link.resultatmaal}: målet {dk(target)} mod en mindste påviselige effekt på {mde_words} "
                         f"{level}: målet {verdict}.")
            continue
        share = target * n_treated / persons
        verdict = "kan påvises" if share >= detectable else "ligger under det, der kan påvises"
        notes.append(f"{link.resultatmaal}: målet {dk(target)} gælder casens {dk(persons)} deltagere; for de {n_treated} "
                     f"målte er det {dk(share, '.3g')} mod en mindste påviselige effekt på {mde_words} {level}: "
                     f"målet {verdict}.\nBetalingen måler {link.resultatmaal} på de {n_treated} målte alene mod målet for alle "
                     f"{dk(persons)} deltagere.")
    return notes


def checked_payments(model: PaymentModel, values: dict[str, Any]) -> dict[str, float]:
    """kr. per metric after its rule and cap; a rule's error names the case's metric (``betalingsmodel.<id>.regel``)."""
    paid = {}
    for m in model.resultatmaal:
        try:
            paid[m.id] = m.payment(values[m.id])
        except SIError as err:
            raise SIError(f"case.betalingsmodel.{m.id}.regel.{err.argument}", err.message) from None
    return paid


def with_payments(result: MeasurementResult, spec: MeasurementFile, base: Path, n_treated: int,
                  persons: dict[str, np.ndarray] | None = None, case: Case | None = None) -> MeasurementResult:
    """The result with the metric values, payments by year and (for a case with an investment) the settlement.

    ``persons`` holds the intervention group's per-person values (n,) of each measure a ``pr_person`` link
    pays on (absent when suppressed); only their sum and the payment reach the result."""
    case = case if case is not None else load_case(base, spec.case)  # type: ignore[arg-type]
    model = case.betalingsmodel
    if model is None:
        raise SIError("case", "case-filen har ingen betalingsmodel")
    measured = {r.measure.id: Measured(r.treated["gennemsnit"], None if r.estimate is None else r.estimate.effect,
                                       None if r.estimate is None else r.estimate.lower, n_treated,
                                       (persons or {}).get(r.measure.id))
                for r in result.measures}
    values = metric_values(model, spec.betaling, measured)
    paid = checked_payments(model, values)
    per_person = {link.resultatmaal: model.metric(link.resultatmaal).regel.per_person_sum(values[link.resultatmaal])
                  for link in spec.betaling if link.skala == "pr_person"}  # before the cap in total (the report workbook)
    payments = contract_payments(model, values, years=case.horisont)
    metrics = [(m.id, m.navn, m.aar, next(l.maal for l in spec.betaling if l.resultatmaal == m.id),
                float(np.sum(values[m.id])))  # a per-person series is shown as its sum (weeks in total)
               for m in model.resultatmaal]
    settlement = basis = None
    rows: list[tuple[Any, Any]] = []
    lines: list[tuple[str, str, Any]] = []
    expected = run_case(case)
    notes = list(result.notes) + target_notes(model, spec, result, n_treated, case, expected)
    if expected.investment[0].sum() > 0:
        effects = {link.resultatmaal: measured_effect(link, measured[link.maal]) for link in spec.betaling}
        counted = {link.resultatmaal: n_treated for link in spec.betaling if link.skala in ("i_alt", "pr_person")}
        basis = measured_savings(case, effects, expected, counted)
        settlement = settle_case(case, payments, result=expected, measured=basis)
        rows, lines = settlement_rows(case, expected, settlement)  # the guarantee, cap and floor as `sibc afregn`
        notes.append(savings_note(case, basis))
    else:
        notes.append("Case-filen har ingen investering; afregningen vises ikke.")
    return MeasurementResult(**{**result.__dict__, "metrics": metrics, "payments": payments, "settlement": settlement,
                                "settlement_rows": rows, "settlement_lines": lines,
                                "notes": notes, "payment_model": model, "links": list(spec.betaling),
                                "n_treated": safe_count(n_treated), "paid": paid,
                                "per_person": per_person, "savings_basis": basis, "valuta": case.valuta,
                                "case_name": case.navn})


def savings_note(case: Any, basis: MeasuredSavings) -> str:
    """The settlement's footnote in short lines (joined by newlines): how its savings follow the measured effects
    (a line per effect), or why they are left out."""
    if basis.savings is None:
        return "\n".join(["Afregningen viser ingen besparelser og ingen nettobesparelse, fordi", f"{basis.reason}.",
                          "Casens forventede besparelser gælder casens effekter, ikke de målte,",
                          "og stilles ikke op mod de målte betalinger."])
    names = {e.id: e.navn for e in case.effekter}
    return "\n".join(["Afregningens besparelser gælder den målte situation: casens forventede besparelse for hver",
                      "effekt × den målte effekt (punktestimatet) ÷ casens forventede værdi af resultatmålet,",
                      "dvs. den målte nettosuccesrate i forhold til casens:",
                      *(f"  {names[e]}: {dk_share(ratio)}" for e, (ratio, _, _) in basis.scales.items())])


def dk_share(x: float) -> str:
    """A ratio as a Danish per cent with one decimal: 0.376 → '37,6 %'."""
    return f"{x * 100:.1f} %".replace(".", ",")


def measure_frames(panel_frame: Any, cohort_frame: Any, measures: list[Measure], grouping: Grouping | None = None,
                   covariates: tuple[str, ...] = ()) -> Any:
    """Per-person values of ``measures`` for a wide panel and a cohort held as data frames (pnr, start, gruppe).

    The same DuckDB code as for files; used for synthetic panels (the true
    effect from the potential outcomes) and benchmarks.
    """
    from .panel import load_cohort_source, load_wide

    con = connect()
    try:
        con.register("panel_df", panel_frame)
        con.register("kohorte_df", cohort_frame)
        panel = load_wide(con, "panel_df", "pnr", grouping or load_grouping())
        load_cohort_source(panel, "kohorte_df", "pnr", "start", "gruppe", list(covariates))
        return measure_persons(panel, measures, len(covariates))
    finally:
        con.close()
