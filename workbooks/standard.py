"""The standard business-case workbook, described as data (see :mod:`workbooks.layout`).

:func:`layout_for` describes the workbook for a case's dimensions (years,
effects, cost lines, unit costs, outcome metrics); :func:`values_for` gives
the input values of a case; :func:`case_from_values` turns input values read
back from a workbook into a case again.  Every computed cell is a plain Excel
formula that mirrors one line item of :mod:`udfs.core.engine`; the Kontrol
sheet puts the ``SI_`` functions beside them.

Sheets: Vejledning, Forudsætninger, Enhedspriser, Indsats, Effekter,
Betalingsmodel, Resultat, Følsomhed, Kontrol, Beregning_følsomhed (the break-even
machinery behind Følsomhed).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace
from collections.abc import Callable, Mapping
from typing import Any, get_args

from openpyxl.utils import get_column_letter
from udfs.core.case_model import (CASE_DRIVERS, DISTRIBUTION_PARAMETERS, EFFECT_DRIVERS, MAX_HORIZON, MAX_RETURN_SHARE, SHARE_DRIVERS, Case,
                                  parse_case)
from udfs.core.errors import excerpt
from udfs.core.limits import MAX_COST_LINES, MAX_EFFECTS, MAX_METRICS, MAX_OWN_PRICES, MAX_RISKS
from udfs.core.lineitems import AUTHORITY_LINES, INVESTOR_BEFORE_GUARANTEE, IRR_LABEL, ITEMS, RETURN_UNIT, YEARLY_LINES, LineItem, MAX_COST_MARKUP, PARTY_NET_LINES, view_first
from udfs.core.catalogue import lookup
from udfs.core.discounting import RATE_BOUNDS
from udfs.core.data import (
    SOURCE_KIND_SHOWN, SourceKind, Unit, UnitCost, catalogue, discount_schedules, indices, manifest, outcome_funds, refusion_schemes,
)  # fmt: skip
from udfs.core.indices import OWN
from udfs.core.uncertainty import DRIVER_WORDS, HISTOGRAM_BINS, NO_SWITCHING, OUTSIDE_INPUT_NOTE, PERCENTILES, TORNADO_CHANGE
from udfs.core.refusion import scheme_kind
from udfs.core.plausibility import (BIG_GUARANTEE, FLOOR_OVER_CAP, OPTIMISM_COST_CEILING, OWN_PRICE_CHANGED, OWN_PRICE_NO_DERIVATION,
                                     OWN_PRICE_NO_SOURCE, OWN_PRICE_OK, POPULATION, POPULATION_SOURCE, own_price_derivation, whole)
from udfs.core.rules import Cell, Rule, by_code, rules
from udfs.core.settlement import WORKBOOK_GUESSES, floor_top_up_excel, return_limit_excel
from udfs.core.payment import PAYMENT_YEARS, settlement_year_excel
from udfs.core.guarantee import GUARANTEE_FIGURES, GUARANTEE_ITEMS, INVESTOR_FIGURES, guarantee_bends_excel, guarantee_payment_excel, guarantee_year_words_excel
from udfs.core.errors import SIError, did_you_mean
from udfs.core.validation import danish
from pydantic import ValidationError
from udfs.core.vocabulary import (
    ADDIN_MISSING, AUTHORITIES, DEADWEIGHT_WORDS, DISCOUNTING_WORDS, DISTRIBUTION_WORDS, INDEX_WORDS, LEFT_OF, NO_LOSS, NONE_REACHED,
    NOT_COMPARED, NOT_WITHIN, PAYERS, REFUSION_WORDS, SOURCE_KIND_WORDS, UNDEFINED, UNIT_WORDS, VIEW_WORDS,
)  # fmt: skip
from udfs.core.vocabulary import BENEFIT_PART_WORDS, RULE_SET_WORDS
from udfs.core.vocabulary import FUND, GUARANTOR, GUARANTOR_WORDS, NO_OUTLAY, NO_START_YEAR, OUTCOME_PAYERS, PARTIES, PARTY_WORDS, number_words_excel, share_words, share_words_excel

from . import styles as st
from .layout import Plan, describe, excel_string, number_text
from .names import METRIC, SLOT_PREFIX, cost_cell, cost_ref, effect_cell, effect_prefix, effect_ref, metric_cell, metric_prefix, metric_ref, ref, slot_cell
from .layout import PRINTED_YEARS, WORD_SUFFIX, coded
from .layout import (
    resolve, Blank, Chart, Data, Formula, Formulas, Heading, Input, Legend, Sheet, Table, Text, Validation, WorkbookLayout,
)  # fmt: skip

TEMPLATE_ID = "sociale_investeringer_business_case"
TEMPLATE_VERSION = "4"
UNIT_FIELDS = (
    "id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat", "fordelingsgrundlag",
    "budgetomraade", "kilde_udgiver", "kilde_dokument", "kilde_url", "kildetype", "kildevaerdi", "note",
)  # fmt: skip
"""The fields of a unit cost (:class:`udfs.core.data.UnitCost`), in the order the Katalog and Egne priser show them."""
UNIT_NUMBERS = ("beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat")
SPARE_UNITS = 5  # empty rows below the unit prices a case uses, for the user to pick more
SPARE_OWN = 5  # empty rows below the case's own prices
DIST_FIELDS = ("driver", "fordeling", "vaerdi", "min", "mest_sandsynlig", "max", "middel", "spredning")
DIST_LABELS = {"vaerdi": "Værdi", "min": "Mindst", "mest_sandsynlig": "Mest sandsynlig", "max": "Højst", "middel": "Middelværdi",
               "spredning": "Spredning"}  # fmt: skip
"""The Danish column headers of a distribution's parameters."""


def share_driver(driver: str) -> str:
    """The condition that the Monte Carlo driver in ``driver`` is a share (:data:`udfs.core.case_model.SHARE_DRIVERS`),
    so its values are shown as per cent."""
    tests = [f'{driver}="{x}"' if "." in x else f'RIGHT({driver},{len(x) + 1})=".{x}"' for x in SHARE_DRIVERS]
    return "OR(" + ",".join(tests) + ")"
SHARE = Validation.between(0, 1)
DELTA = f"{LEFT_OF:.0E}"  # "just left of" a knot: where a step's left limit is evaluated, as in the core
INDEX_YEARS_AHEAD = 10  # rows of the index table after the last published year, for the user's own values
MACHINERY_SHEET = "Beregning_følsomhed"
"""The helper sheet with the break-even machinery behind Følsomhed (last in the workbook)."""
FUNDS_SHEET = "Resultatfonde"
"""The sheet of central outcomes funds (``udfs/data/resultatfonde.csv``) whose shares the payer table looks up."""


GUARDED_SHEETS = ("Overblik", "Effekter", "Betalingsmodel", "Resultat", "Følsomhed", MACHINERY_SHEET)  # blank, not #N/A, when prices cannot be moved
WRITTEN_NOTE = "Beregnet af sibc, da regnearket blev bygget; genberegnes ikke af Excel. Byg regnearket igen efter ændringer i input."
"""The mark on every table of values sibc writes (Følsomhed's tornado, switching values and Monte Carlo)."""


@dataclass(frozen=True)
class Dims:
    """The shape of a workbook: what its tables are sized by."""

    years: int  # year columns (MAX_HORIZON); the case's horizon is the input ``horisont``
    effects: int
    costs: int
    units: int
    metrics: tuple[tuple[int, int], ...]  # (rule code, rows of its step table) per metric; see udfs.core.rules
    distributions: int
    investor: int = 0  # 1 when some cost is paid by an investor (the IRR check is shown)
    used_effects: int | None = None  # effect slots the case filled when built (the rest are marked spare); None: all
    used_costs: int | None = None  # cost slots likewise
    published: int = 0  # 1 when the case holds its published figures (the Offentliggjort sheet is shown)
    own: int = 0  # the case's own prices (rows of Egne priser before the spare ones)
    used_metrics: int | None = None  # metric slots the case filled when built (the rest are spare, one per rule); None: all
    yearly: tuple[int, ...] = ()  # metric slots (1-based) of savings rules paid every year (til_aar) when built
    used_distributions: int | None = None  # rows of the distributions table the case filled when built; None: all
    view: str = "kommune"  # the case's view (visning) when built: Overblik's key figures in its order (overview_key_figures)

    def as_dict(self) -> dict[str, int]:
        out = {"antal_aar": self.years, "antal_effekter": self.effects, "antal_omkostninger": self.costs,
               "antal_enhedspriser": self.units, "antal_resultatmaal": len(self.metrics),
               "antal_fordelinger": self.distributions, "investor": self.investor,
               "antal_egne_priser": self.own}  # fmt: skip
        if self.used_effects is not None:
            out["brugte_effekter"] = self.used_effects
        if self.used_costs is not None:
            out["brugte_omkostninger"] = self.used_costs
        if self.used_metrics is not None:
            out["brugte_resultatmaal"] = self.used_metrics
        if self.used_distributions is not None:
            out["brugte_fordelinger"] = self.used_distributions
        for m, (code, steps) in enumerate(self.metrics, start=1):
            out[metric_cell(m, "regel")], out[metric_cell(m, "trin")] = code, steps
        if self.published:
            out["offentliggjort"] = 1
        if self.view != "kommune":
            out["offentlig_visning"] = 1
        out |= {metric_cell(m, "aarlig"): 1 for m in self.yearly}
        return out

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Dims:
        metrics = tuple((int(d[metric_cell(m, "regel")]), int(d[metric_cell(m, "trin")])) for m in range(1, int(d["antal_resultatmaal"]) + 1))
        used = lambda key: int(d[key]) if key in d else None  # noqa: E731
        return cls(int(d["antal_aar"]), int(d["antal_effekter"]), int(d["antal_omkostninger"]),
                   int(d["antal_enhedspriser"]), metrics, int(d["antal_fordelinger"]), int(d.get("investor", 0)),
                   used("brugte_effekter"), used("brugte_omkostninger"), published=int(d.get("offentliggjort", 0)),
                   own=int(d.get("antal_egne_priser", 0)), used_metrics=used("brugte_resultatmaal"),
                   yearly=tuple(m for m in range(1, len(metrics) + 1) if int(d.get(metric_cell(m, "aarlig"), 0))),
                   used_distributions=used("brugte_fordelinger"),
                   view="offentlig" if int(d.get("offentlig_visning", 0)) else "kommune")  # fmt: skip

    def spare_effect(self, e: int) -> bool:
        """Effect slot ``e`` (1-based) was left empty for the user when the workbook was built."""
        return self.used_effects is not None and e > self.used_effects

    def spare_cost(self, c: int) -> bool:
        """Cost slot ``c`` (1-based) was left empty for the user when the workbook was built."""
        return self.used_costs is not None and c > self.used_costs

    def has_monte_carlo(self) -> bool:
        """The case had distributions when built: Følsomhed holds the Monte Carlo's results."""
        return (self.distributions if self.used_distributions is None else self.used_distributions) > 0

    def spare_metric(self, m: int) -> bool:
        """Outcome-metric slot ``m`` (1-based) was left empty for the user when the workbook was built."""
        return self.used_metrics is not None and m > self.used_metrics


# --------------------------------------------------------------------------- what a case needs


def unit_ids(case: Case) -> list[str]:
    """The unit prices on Enhedspriser: those the effects use, in order, then the case's other ``enhedspriser``."""
    out: list[str] = []
    for uid in [e.enhedspris for e in case.effekter] + case.enhedspriser:
        uid = lookup(uid, case.own_prices()).id
        if uid not in out:
            out.append(uid)
    return out


def check_supported(case: Case) -> None:
    """Refuse, with a clear message, what the workbook cannot yet hold."""
    model = case.betalingsmodel
    outside = sorted(set(case.own_index() or {}) - set(index_years()))
    if outside:
        years = index_years()
        raise SIError("eget_indeks.vaerdier", f"regnearkets indekstabel rummer årene {years[0]}–{years[-1]}; "
                                              f"fjern årene {', '.join(map(str, outside))} eller brug case-filen")  # fmt: skip
    names = {f"effekter.{e.id}.succesrate" for e in case.effekter}
    for name, overrides in case.scenarier.items():
        if name not in ("lav", "hoej"):
            raise SIError(f"scenarier.{name}", "regnearket har scenarierne lav og hoej; sibc sensitivity regner ethvert scenarie "
                                               f"på case-filen. Vil du have regnearket, så omdøb scenariet til lav eller hoej, "
                                               f"eller byg det af en kopi af case-filen uden scenariet '{excerpt(name)}'")
        for driver in overrides:
            if driver not in names:
                raise SIError(f"scenarier.{name}.{driver}", "regnearkets scenarier ændrer kun effekternes succesrate; sibc "
                                                            "sensitivity regner scenariet med alle drivere på case-filen. Vil "
                                                            "du have regnearket, så byg det af en kopi af case-filen uden "
                                                            f"'{excerpt(driver)}' i scenariet")


SPARE_SLOTS = 3
"""Empty effect and cost slots every workbook has beyond the case's own, for the user to fill."""
MIN_EFFECT_SLOTS, MIN_COST_SLOTS = 8, 6
"""Effect and cost slots of the smallest workbook (the blank one): room for a whole case typed in."""
MIN_DIST_SLOTS, MAX_DIST_SLOTS = 5, 200
"""Rows of the Monte Carlo's distributions table (Følsomhed): at least 5 (the blank workbook's), at most 200."""


def slots(used: int, minimum: int, most: int) -> int:
    """Slots of a table holding ``used`` filled ones: ``SPARE_SLOTS`` more, at least ``minimum``, at most ``most``."""
    return min(most, max(used + SPARE_SLOTS, minimum))


SPARE_STEPS = 5
"""Rows of the outcome table of a spare outcome-metric slot whose rule has one (a rate card)."""
SPARE_OUTCOMES = 2
"""Empty rows after a rate card's own outcomes, for an outcome typed in (at least :data:`SPARE_STEPS` rows in all)."""


def step_rows(rule: type[Rule], steps: int | None = None) -> int:
    """Rows of the step table of a metric slot with ``rule`` holding ``steps`` (None: a spare slot).

    A rule of steps (:attr:`~udfs.core.rules.base.Rule.MOST_STEPS`: ``trappe``) has all the steps it may take, so a
    step typed after the case's own is read, recalculated and a knot of the break-even grid; a table of outcomes
    (a rate card) has the case's outcomes and :data:`SPARE_OUTCOMES` empty rows (at least :data:`SPARE_STEPS`, as a
    spare slot has); a rule without a table none."""
    if not rule.STEPS:
        return 0
    if rule.MOST_STEPS:
        return max(rule.MOST_STEPS, steps or 0)
    return SPARE_STEPS if steps is None else max(SPARE_STEPS, steps + SPARE_OUTCOMES)


def spare_metrics() -> tuple[tuple[int, int], ...]:
    """The empty outcome-metric slots every workbook has after the case's own metrics: one per registered
    payment rule (:func:`udfs.core.rules.rules`) that offers one (``SPARE_SLOT``), as (rule code, rows of its step
    table: :func:`step_rows`)."""
    return tuple((rule.CODE, step_rows(rule)) for rule in rules() if rule.SPARE_SLOT)


def dims_of(case: Case) -> Dims:
    check_supported(case)
    model = case.betalingsmodel
    own_metrics = tuple(
        (m.regel.CODE, step_rows(type(m.regel), m.regel.steps()))
        for m in (model.resultatmaal if model else [])
    )
    metrics = own_metrics + spare_metrics()
    dists = len(case.usikkerhed.fordelinger) if case.usikkerhed else 0
    investor = int(any(c.betaler == "investor" for c in case.indsats))
    effects, costs = len(case.effekter), len(case.indsats)
    return Dims(MAX_HORIZON, slots(effects, MIN_EFFECT_SLOTS, MAX_EFFECTS), slots(costs, MIN_COST_SLOTS, MAX_COST_LINES),
                len(unit_ids(case)), metrics, slots(dists, MIN_DIST_SLOTS, MAX_DIST_SLOTS), investor, effects, costs,
                published=int(case.offentliggjort is not None), own=len(case.egne_priser),
                used_metrics=len(own_metrics), used_distributions=dists, view=case.visning,
                yearly=tuple(m for m, metric in enumerate(model.resultatmaal if model else [], start=1) if metric.til_aar is not None))  # fmt: skip


# --------------------------------------------------------------------------- small helpers


AFTER_HORIZON = "COLUMN()-2>=horisont"
PAYER_SPENT_PV = "SUMPRODUCT({r_omk_betaler},{r_df})+SUMPRODUCT({r_betal_betaler},{r_df})+SUMPRODUCT({r_garanti_betaler},{r_df})"
"""The present value of what the payer spends: its costs, its outcome payments and a guarantee it pays as guarantor
(:func:`udfs.core.businesscase.benefit_cost_ratio`'s denominator)."""

HORIZON_WORDS = '{horisont}&" år (år 0–"&({horisont}-1)&")"'
"""The horizon input in words, as every sheet shows it: "5 år (år 0–4)"."""
"""Where a year table (years from column B) is greyed out: its columns after the horizon input."""
PRINT_WARNING = (
    excel_string("Udskriften viser kun år 0–") + f"&({PRINTED_YEARS}-1)&"
    + excel_string(" (horisonten, da regnearket blev bygget), men horisonten er nu ") + "&{horisont}&"
    + excel_string(" år. Udvid udskriftsområdet til kolonne ") + '&SUBSTITUTE(ADDRESS(1,{horisont}+1,4),"1","")&'
    + excel_string(" (Sidelayout > Udskriftsområde > Angiv udskriftsområde), eller byg regnearket igen (sibc extract og sibc build).")
)
PRINT_WARNING_LENGTH = 240
"""Characters of the print-area warning (a two-digit horizon and column)."""




def hidden_years_warning(d: Dims) -> str:
    """Resultat's print warning (:func:`print_warning`): its year columns after the horizon at build are hidden
    and grouped (its total column follows the years), and its charts draw the years printed; the columns to
    show are the last one printed to the total column."""
    total_col = get_column_letter(d.years + 2)
    return (
        excel_string("Udskriften og diagrammerne viser kun år 0–") + f"&({PRINTED_YEARS}-1)&"
        + excel_string(" (horisonten, da regnearket blev bygget), men horisonten er nu ") + "&{horisont}&"
        + excel_string(" år. Vis de skjulte årskolonner (markér kolonne ") + f'&SUBSTITUTE(ADDRESS(1,{PRINTED_YEARS}+1,4),"1","")&'
        + excel_string(f" til {total_col}, højreklik > Vis), eller byg regnearket igen (sibc extract og sibc build).")
    )


CHART_WARNING = (
    excel_string("Diagrammet viser kun år 0–") + f"&({PRINTED_YEARS}-1)&"
    + excel_string(" (horisonten, da regnearket blev bygget), men horisonten er nu ") + "&{horisont}&"
    + excel_string(" år: byg regnearket igen (sibc extract og sibc build), så det viser alle årene.")
)
"""Overblik's print warning (:func:`print_warning`): its chart draws the years within the horizon at build."""


def print_warning(name: str, text: str = PRINT_WARNING) -> Formula:
    """The red warning on a sheet whose year tables print (or whose charts draw) up to the horizon at build
    (Excel and LibreOffice keep a print area fixed; one given by a formula is ignored by LibreOffice; a chart's
    ranges are fixed): blank until the horizon typed on Forudsætninger is longer than the years printed, then
    what to do.  ``text``: :data:`PRINT_WARNING` (widen the print area), :func:`hidden_years_warning` or
    :data:`CHART_WARNING`."""
    formula = f'=IFERROR(IF({{horisont}}>{PRINTED_YEARS},{text},""),"")'
    return Formula(name, "Advarsel: udskrift", formula, role="warning", text_length=PRINT_WARNING_LENGTH, blank_at_build=True)


def years(d: Dims) -> tuple[str, ...]:
    return tuple(f"År {y}" for y in range(d.years))


def profile_years(d: Dims) -> tuple[str, ...]:
    """Headers of a profile: profile year 1, 2, … (the k-th value lands k − 1 years after the first profile year)."""
    return tuple(f"Profilår {k}" for k in range(1, d.years + 1))


def nested_if(test: str, cases: list[tuple[str, str]], otherwise: str) -> str:
    """``IF(test="a",x,IF(test="b",y,otherwise))`` from (value, result) pairs."""
    out = otherwise
    for value, result in reversed(cases):
        out = f'IF({test}={excel_string(value)},{result},{out})'
    return out


def at(name: str, index: int | str = "i") -> str:
    """The placeholder for cell ``index`` of a named series: ``{name[i]}``."""
    return "{" + f"{name}[{index}]" + "}"


def total(terms: list[str]) -> str:
    """A sum of formula terms, bracketed when it has several, so it can be subtracted or scaled safely."""
    return "0" if not terms else terms[0] if len(terms) == 1 else "(" + "+".join(terms) + ")"


def index_years() -> list[int]:
    """The years of the workbook's index table: the published years and ten more for the user's own values."""
    published = {y for table in indices().values() for y in table}
    return list(range(min(published), max(published) + INDEX_YEARS_AHEAD + 1))


PRICE_MESSAGE_LENGTH = 220
"""Characters the price message may take on a printed page (wrapped across the page, :attr:`Formula.text_length`)."""
PRICE_MESSAGE = Formula(None, "Prisomregning", "={prisbesked}", text_length=PRICE_MESSAGE_LENGTH)
"""The price message (``prisbesked`` on Forudsætninger) repeated at the top of the sheets that use prices."""


def guarded(sheet: Sheet) -> Sheet:
    """The sheet with every formula shown blank while a unit cost cannot be moved to the price year.

    One message (``prisbesked``) then says why, instead of #N/A in every
    result cell.  ``IF`` evaluates only the branch it returns, so no error
    travels through.
    """
    wrap = lambda f: None if f is None else f'=IF({{pris_ok}}=1,{f[1:]},"")'  # noqa: E731

    def item(b):
        if b is PRICE_MESSAGE or getattr(b, "role", None) == "warning":  # a warning must show also under the price message
            return b
        if isinstance(b, Formula):
            return replace(b, formula=wrap(b.formula), first=wrap(b.first))
        if isinstance(b, Formulas):
            return replace(b, formulas=tuple(wrap(f) for f in b.formulas))
        if isinstance(b, Table):
            return replace(b, items=tuple(item(i) for i in b.items), total_formula=wrap(b.total_formula))
        return b

    return replace(sheet, blocks=tuple(item(b) for b in sheet.blocks))


def index_level(year: str) -> str:
    """Formula for the chosen index's value in ``year`` (a formula or reference).

    Inside the table the published value; outside it, with ``fremskrivning``,
    the nearest end value × (1 + fremskrivning)^(years beyond); else #N/A.
    """
    k = f"MATCH({year},{{idx_aar}},0)"
    inside = f"INDEX({{idx_valgt}},{k},1)"
    anchor = f"IF({year}>{{idx_sidste}},{{idx_sidste}},{{idx_foerste}})"
    beyond = (f'IF({{fremskrivning}}="",NA(),INDEX({{idx_valgt}},MATCH({anchor},{{idx_aar}},0),1)'
              f"*(1+{{fremskrivning}})^({year}-{anchor}))")  # fmt: skip
    return f"IF(ISNUMBER({k}),IF(ISNUMBER({inside}),{inside},{beyond}),{beyond})"


def discount_at(year: str) -> str:
    """The discount factor of ``year`` (a formula, also an array inside SUMPRODUCT) beyond the year table.

    Each band of the schedule discounts the years of ``year`` that fall in it:
    ``Π_k (1 + rente_k)^−(years in band k)``; the years in a band are
    clamped without IF (array-safe): clamp(x, 0, L) = (ABS(x) − ABS(x − L) + L) / 2.
    """
    terms, low = [], 0
    for k, band in enumerate(discount_schedules()[sorted(discount_schedules())[0]], start=1):
        x = f"({year}-{low})"
        if band.til_aar is None:
            years_in = f"({x}+ABS({x}))/2"
        else:
            width = band.til_aar - low
            years_in = f"(ABS({x})-ABS({x}-{width})+{width})/2"
            low = band.til_aar
        terms.append(f"(1+{{rente_brugt_{k}}})^(-{years_in})")
    return "*".join(terms)


def payer_pick(prefix: str, suffix: str = "") -> str:
    """``IF({betaler}="kommune",{<prefix>kommune<suffix>},…)`` for the payer authority."""
    return nested_if("{betaler}", [(a, f"{{{prefix}{a}{suffix}}}") for a in AUTHORITIES[:-1]], f"{{{prefix}stat{suffix}}}")


# --------------------------------------------------------------------------- sheets


GUIDE_WIDTH = 92
"""Characters per line of the guide's text (columns A and B, printed on A4 portrait)."""

#: One line per sheet for the guide: what the sheet holds (a sheet of the workbook without a line here fails a test).
SHEET_GUIDE: dict[str, str] = {
    "Vejledning": "denne vejledning: formål, trin, farver og kilder.",
    "Overblik": "én side til beslutningstagere: nøgletal, hvem betaler og hvem vinder, forudsætninger.",
    "Forudsætninger": "casens rammer: prisår, startår, diskontering, indeks, betaler og deltagere pr. år.",
    "Enhedspriser": "de enhedspriser, casen bruger, med kilde og prisår, omregnet til casens prisår.",
    "Katalog": "hele kataloget over enhedspriser med kilder, prisår og fordeling på myndigheder.",
    FUNDS_SHEET: "de centrale resultatfonde med den andel af resultatbetalingerne, hver betaler, og kilden.",
    "Indsats": "indsatsens omkostninger pr. år og betaler; myndighedernes med optimismetillæg, investors uden.",
    "Effekter": "hver effekt: succesrate, dødvægt, frafald, profil og besparelser pr. myndighed.",
    "Betalingsmodel": "resultatmål, målinger, betalingsregler, lofter og afkastgulv; betalinger pr. år.",
    "Resultat": "år-for-år-tabel pr. myndighed, nutidsværdi, tilbagebetalingstid og nøgletal.",
    "Følsomhed": "lav, basis og høj succesrate, break-even og hvor betaleren taber.",
    "Risici": "risikoregister: de vigtigste risici med sandsynlighed og konsekvens.",
    "Kontrol": "nøgletallene regnet med formlerne og med SI_-funktionerne side om side.",
    "Offentliggjort": "kun for en offentliggjort case: kildens tal ved siden af regnearkets egne.",
    MACHINERY_SHEET: "skjult hjælpeark (vises med Vis under Skjul ark; udskrives ikke): maskineriet bag break-even og "
                     "scenarierne på Følsomhed (ret intet her).",
}


def wrapped_texts(blocks: list) -> tuple:
    """``blocks`` with every text longer than :data:`GUIDE_WIDTH` characters split into lines of at most that
    many (same role), so a sheet printed across pages shows its sentences whole on the first page."""
    out: list = []
    for b in blocks:
        out += [Text(line, b.role) for line in textwrap.wrap(b.text, GUIDE_WIDTH)] if isinstance(b, Text) else [b]
    return tuple(out)


def para(*texts: str, indent: str = "    ") -> list:
    """Text lines of the guide, each text wrapped at :data:`GUIDE_WIDTH` with its continuation lines indented."""
    return [Text(line) for t in texts for line in textwrap.wrap(t, GUIDE_WIDTH, subsequent_indent=indent)]


def guide_lines(sheets: tuple[str, ...]) -> list:
    """The guide's text: purpose, the steps of a case, the sheets, adding, reading results, what needs the add-in."""
    steps = (
        "1  Forudsætninger: navn, prisår, kalenderår for år 0, diskontering, prisindeks, betaler, forløbets "
        "længde, optimismetillæg og deltagere pr. år (nederst på arket).",
        "2  Enhedspriser: vælg de priser, effekterne flytter (fx en uge på kontanthjælp), ved id fra listen; navn, "
        "beløb, prisår og kilde hentes fra arket Katalog. En egen pris skrives i tabellen Egne priser med "
        "kommunens egen kilde og udledning.",
        "3  Indsats: omkostningerne pr. år og hvem der betaler (kommune, region, stat eller investor).",
        "4  Effekter: succesrate, dødvægt eller kontrolgruppe, frafald, forsinkelse, enhedspris og profil "
        "(ændringen i mængde pr. succesfuld deltager i profilår 1, 2, … efter forløbet).",
        "5  Betalingsmodel: resultatmål, hvordan de måles, betalingsregel og lofter (kan stå tom); et loft for hele "
        "kontrakten og investors afkastloft og afkastgulv (i % af investeringen) står øverst.",
        "6  Resultat: læs nutidsværdi, tilbagebetalingstid og de øvrige nøgletal (se nedenfor).",
        "7  Følsomhed: scenarierne står her, ikke på Effekter: prøv lav og høj succesrate pr. effekt (en tom celle "
        "regnes som basis); se break-even og hvor betaleren taber. Tornado, skifteværdier og "
        "Monte Carlo beregnes, når projektmappen bygges fra casefilen (med kommandolinjen): efter ændringer i input "
        "viser arket en rød advarsel, og tallene opdateres ved at udtrække casefilen og bygge projektmappen igen.",
        "8  Risici: beskriv de vigtigste risici; de vises ved siden af resultatet.",
    )
    adding = (
        "Ny effekt: udfyld den næste af de markerede tomme effekter på arket Effekter (id, navn, enhedspris, "
        "succesrate og profil) og dens lave og høje succesrate i scenarietabellen på arket Følsomhed; formlerne står "
        "klar og tæller den med i Resultat.",
        "Ny omkostning: skriv navn, betaler, type og beløb pr. år i en af de markerede tomme rækker på arket Indsats.",
        "Ny enhedspris: vælg id i en af de markerede tomme rækker på arket Enhedspriser.",
        "Nyt resultatmål: arket Betalingsmodel har et ledigt resultatmål for hver betalingsregel "
        f"({', '.join(rule_name(r).lower() for r in rules() if r.SPARE_SLOT)}); vælg reglen ved at udfylde id og de øvrige felter i det ledige resultatmål med den regel.",
        *(["Reglerne " + " og ".join(f"»{rule_name(r).lower()}«" for r in rules() if not r.SPARE_SLOT)
           + " har intet ledigt resultatmål: de skrives i casefilen, som projektmappen bygges fra."]
          if any(not r.SPARE_SLOT for r in rules()) else []),
        "Flere år: ret Tidshorisont på arket Forudsætninger (op til 30 år) og udfyld de nye årskolonner; "
        "grå år ligger uden for horisonten og regnes ikke med. Udskriften af årstabellerne viser årene inden for "
        "horisonten, da projektmappen blev bygget; udvid udskriftsområdet (Sidelayout) for at udskrive flere år. "
        "På Resultat er årskolonnerne efter horisonten skjult (vis dem med højreklik > Vis), og diagrammerne over "
        "årene viser årene inden for horisonten, da projektmappen blev bygget.",
        "Skriv kun i inputceller: tal skrevet andre steder indgår ikke i beregningen.",
    )
    reading = (
        "Nutidsværdi netto: gevinster minus omkostninger og resultatbetalinger, hvert år ganget med "
        "diskonteringsfaktoren og lagt sammen. Over 0 betaler indsatsen sig for betaleren.",
        "Tilbagebetalingstid: antal år (år 0 medregnet), til den kumulerede netto er og bliver mindst 0; "
        f"»{NOT_WITHIN}« når det ikke sker inden for horisonten, »{NO_OUTLAY}« når den aldrig er under 0.",
        "Break-even succesrate (arket Følsomhed): den laveste succesrate, hvorfra betalerens nutidsværdi "
        "forbliver mindst 0 op til 100 %.",
        "Benefit-cost-ratio: nutidsværdien af betalerens besparelser delt med nutidsværdien af betalerens "
        "omkostninger og betalinger (og en garanti, betaleren selv stiller). Over 1 er gevinsten størst.",
        "Gevinster efter horisonten vises for sig og er ikke med i nutidsværdien.",
    )
    addin = (
        f"– arket Kontrols SI_-kolonne (uden tilføjelsesprogrammet står der »{ADDIN_MISSING}«),",
        "– egne formler med SI_-funktioner, fx =SI_MONTE_CARLO(case-fil) til Monte Carlo.",
    )
    return [
        Heading("Hvad projektmappen er til"),
        *para("En business case for en social investering: indsatsens omkostninger sammenholdt med de offentlige "
              "udgifter, den sparer, opgjort med enhedspriser efter refusion og fordelt på kommune, region og stat "
              "(som i SØM). Den kan rumme en resultatbaseret betalingsmodel. Udfyld inputcellerne; alt andet "
              "regner sig selv.", indent=""),
        Blank(), Heading("Sådan bygger du en case"), *para(*steps),
        Blank(), Heading("Arkene"), *para(*(f"{name}: {SHEET_GUIDE[name]}" for name in sheets)),
        Blank(), Heading("Tilføj en effekt, en omkostning eller et år"), *para(*adding),
        Blank(), Heading("Sådan læses resultatet"), *para(*reading),
        Blank(), Heading("Farver"), Legend(("input", "formula", "data")),
        Blank(), Heading("Hvad kræver tilføjelsesprogrammet"),
        *para("Alle beregninger er almindelige formler: mappen virker i Excel, Excel på nettet og LibreOffice uden "
              "tilføjelsesprogram. Tilføjelsesprogrammet (SI_-funktionerne) skal kun bruges til:", indent=""),
        *para(*addin, indent="  "),
    ]


def sheet_guide(d: Dims, sheets: tuple[str, ...] = ()) -> Sheet:
    """The Vejledning sheet: a guide for the Excel user; ``sheets``: the workbook's other sheets, in order."""
    sources = sorted({f"{b.kilde_udgiver}: {b.kilde_dokument}" for bands in discount_schedules().values() for b in bands})
    return Sheet("Vejledning", (
        *guide_lines(("Vejledning", *sheets)),
        Blank(), Heading("Hvor tallene kommer fra"),
        *para("Enhedspriser: projektets katalog; hver pris har udgiver, dokument, prisår og URL på arket Katalog. "
              "Egne priser skal have kommunens egen kilde.",
              "Prisindeks: Danmarks Statistik (nettoprisindeks, forbrugerprisindeks, årsgennemsnit); Økonomistyrelsen "
              "(generel pris- og lønstigning, lønninger, forbrugerpriser).",
              "Refusion: refusionstrappen, LBK nr. 221 af 12/02/2021 § 5.",
              *(f"Diskontering: {s}" for s in sources)),
        Blank(), Heading("Versioner"),
        Data("skabelonversion", "Skabelon", (TEMPLATE_VERSION,)),
        Data("katalogversion", "Katalog", (manifest()["version"],)),
    ), title="Vejledning", widths={"A": 16, "B": 80})  # fmt: skip


def refusion_tables() -> list:
    """The refusion and co-financing steps as sourced data, one small table per scheme."""
    out = []
    for name, steps in sorted(refusion_schemes().items()):
        out.append(Table(f"reftabel_{name}", tuple(f"Trin {k + 1}" for k in range(len(steps))), (
            Data(f"ref_{name}_fra", "Fra uge", tuple(st_.fra_uge for st_ in steps), st.INTEGER),
            Data(f"ref_{name}_sats", "Refusion" if scheme_kind(name) == "refusion" else "Medfinansiering",
                 tuple(st_.sats for st_ in steps), st.PERCENT),
        ), title=REFUSION_WORDS[name]))  # fmt: skip
    return out


def kommune_share_formula(week: str, scheme: str) -> str:
    """The kommune's share of a benefit week under a scheme (1 − refusion, or the co-financing rate)."""
    scheme = f'IF({scheme}="","refusion_2016",{scheme})'
    pick = []
    for name in sorted(refusion_schemes()):
        rate = f"LOOKUP({week},{{ref_{name}_fra}},{{ref_{name}_sats}})"
        pick.append((name, f"(1-{rate})" if scheme_kind(name) == "refusion" else rate))
    return nested_if(scheme, pick[:-1], pick[-1][1])


# The years a unit price lacks, listed as ``udfs.core.indices.year_span`` lists them ("2024 og 2026", "2025–2026").
_LACKS_OWN, _LACKS_CASE = "NOT(ISNUMBER(MATCH({ep_prisaar[i]},{idx_aar_med_tal},0)))", "NOT(ISNUMBER(MATCH({prisaar},{idx_aar_med_tal},0)))"
MISSING_YEARS = (f'IF(AND({_LACKS_OWN},{_LACKS_CASE}),MIN({{ep_prisaar[i]}},{{prisaar}})&IF(ABS({{ep_prisaar[i]}}-{{prisaar}})=1,"–"," og ")'
                 f'&MAX({{ep_prisaar[i]}},{{prisaar}}),IF({_LACKS_OWN},{{ep_prisaar[i]}},IF({_LACKS_CASE},{{prisaar}},"")))')


WORKBOOK_PRICE_HINT = ("Udfyld Forudsætninger: »Årlig fremskrivning uden for indeksets år« eller Enhedspriser: "
                       "»Egne værdier« i indekstabellen (med kilde) for {years}")
"""The workbook's cells to fill when prices cannot be moved (:func:`udfs.core.engine.check_price_years`)."""

#: A case field as the workbook's user knows it: the sheet and the label of its cell.
WORKBOOK_PLACES = {
    "prisaar": "Forudsætninger: »Prisår (prisniveau for alle beløb)«",
    "startaar": "Forudsætninger: »Kalenderår for år 0«",
    "indeks": "Forudsætninger: »Prisindeks til omregning«",
    "fremskrivning": "Forudsætninger: »Årlig fremskrivning uden for indeksets år«",
    "eget_indeks": "Enhedspriser: »Egne værdier«",
    "eget_indeks.vaerdier": "Enhedspriser: »Egne værdier«",
    "eget_indeks.kilde": "Enhedspriser: »Egne værdier: kilde«",
    "eget_indeks.navn": "Enhedspriser: »Egne værdier: navn«",
}




def unit_price_not_listed(value: Any) -> str | None:
    """What to tell the user of an effect's unit-price id that is not on the sheet Enhedspriser but in the catalogue
    (the sheet Katalog): to add it on Enhedspriser, whose rows are the prices the effects can use (None otherwise)."""
    key = value.strip().lower() if isinstance(value, str) else None
    if key is None or key not in catalogue():
        return None
    return (f"{excerpt(key)!r} står i kataloget (arket Katalog), men ikke på arket Enhedspriser: skriv id'et i en ledig "
            "række i kolonnen id på arket Enhedspriser, så kan effekten bruge det")


def workbook_error(
    err: SIError, plan: Plan | None = None, slots: dict[str, list[int]] | None = None, headings: Mapping[str, str] | None = None
) -> SIError:
    """``err``, raised while reading a workbook, as the workbook's user reads it: the one place that names
    the sheet, the cell and its label (``Fejl i Effekter!B12 (Effekt 1, Succesrate): …``).

    An input cell refused by :func:`workbooks.reader.checked_inputs` is named by
    :func:`workbooks.reader.cell_error`; a case field (``effekter[0].enhedspris``,
    ``indsats[1].pr_aar``, ``betalingsmodel.resultatmaal[1].regel``) by the input
    cell of its slot (``slots``: the slots in use of ``effekter`` and ``indsats``,
    by :func:`filled_slots`), a field with its own input cell (``garanti.garant``) by that cell, else by
    :data:`WORKBOOK_PLACES`.  A spare slot the user has taken into use is named by its key, not as spare
    (``headings``: :func:`in_use_headings`).
    """
    if err.others:
        head = SIError(err.argument, err.message)
        head.cell = getattr(err, "cell", None)
        first = workbook_error(head, plan, slots, headings)
        return first.with_others([workbook_error(o, plan, slots, headings) for o in err.others])
    named = _workbook_error(err, plan, slots)
    for spare, in_use in (headings or {}).items():
        if f"({spare}, " in named.argument:
            return SIError(named.argument.replace(f"({spare}, ", f"({in_use}, "), named.message)
    return named


def workbook_errors(
    errors: list[SIError], plan: Plan, slots: dict[str, list[int]] | None = None, headings: Mapping[str, str] | None = None,
    refused: int = 0,
) -> SIError:
    """Every error of a workbook (refused cells, then the case's own) named by :func:`workbook_error`, each cell once
    (a cell refused while reading is not named again for the empty value it leaves): the first carrying the others.

    The first ``refused`` errors are cells refused while reading; when there are any, the case's errors after them
    (read on with those cells empty) are kept only where they name a cell of their own: an error the workbook cannot
    place (a whole effect) may be a consequence of an emptied cell."""
    named: dict[str, SIError] = {}
    of_case: set[str] = set()  # cells first named by an error of the case (not by a cell refused while reading)
    for k, err in enumerate(errors):
        one = SIError(err.argument, err.message)
        one.cell = getattr(err, "cell", None)
        one = workbook_error(one, plan, slots, headings)
        if refused and k >= refused and one.argument == err.argument:
            continue
        before = named.setdefault(one.argument, one)
        if before is one:
            of_case |= {one.argument} if k >= refused else set()
        elif one.argument in of_case and one.message not in before.message:  # two rules of the case on one cell
            before.message += "; " + one.message  # (a threshold above its target and beyond a share): both said
    first, *others = named.values()
    return first.with_others(others)


RULE_FIELD_CELLS = {c.field: c.name for rule in rules() for c in rule.CELLS}
"""A payment rule's field (``maal``) → the name of its cell after the metric's prefix (``maalvaerdi``)."""


def _workbook_error(err: SIError, plan: Plan | None, slots: dict[str, list[int]] | None) -> SIError:
    """:func:`workbook_error` of one error, named by its cell as the template labels it."""
    from .reader import cell_error

    if plan is not None and getattr(err, "cell", None) is not None:
        return cell_error(plan, err)
    if plan is not None and err.argument in plan.names:  # an input named by its cell name
        return SIError(describe(plan, err.argument), err.message)
    m = re.fullmatch(r"([\w.]+?)\[(\d+)\]\.(\w+)((?:\.\w+)*)(?:\[(\d+)\])?", err.argument)
    if plan is not None and m and m[1] in SLOT_PREFIX:
        k = int(m[2])
        used = (slots or {}).get(m[1])
        slot = used[k] if used is not None and k < len(used) else k + 1
        fields = [m[4].rsplit(".", 1)[-1]] if m[4] else []  # regel.maal → the cell of maal; regel → its type
        if m[3] == "regel":  # a rule's field by its cell's name (the linear rule's maal is the cell maalvaerdi)
            fields = [RULE_FIELD_CELLS.get(f, f) for f in fields]
        for field in (*fields, m[3], m[3] + "type"):
            name = slot_cell(m[1], slot, field)
            if name in plan.names:  # a position (pr_aar[0]: year 0) names its own cell
                return SIError(describe(plan, name) if m[5] is None else describe(plan, name, int(m[5])), err.message)
    if plan is not None and _CASE_CELLS.get(err.argument) in plan.names:  # a case field with its own input cell
        name = _CASE_CELLS[err.argument]  # a drop-down of words: the cell the user fills, not its hidden code cell
        return SIError(describe(plan, plan.input_cells.get(name, name)), err.message)
    m = re.fullmatch(r"([\w.]+)\[(\d+)\]", err.argument)  # a position of such a field (deltagere[1]: year 1's cell)
    if plan is not None and m and _CASE_CELLS.get(m[1]) in plan.names:
        return SIError(describe(plan, _CASE_CELLS[m[1]], int(m[2])), err.message)
    return SIError(WORKBOOK_PLACES.get(err.argument, err.argument), err.message)


def price_message(d: Dims) -> str:
    """The one message about moving prices: what cannot be moved and what to fill, or that a rate is used."""
    missing = "&".join(f'IF({{ep_mangler[{k}]}}="","",{{ep_mangler[{k}]}}&"; ")' for k in range(unit_rows(d))) or '""'
    years = [f"{{ep_prisaar[{k}]}}" for k in range(unit_rows(d))]
    beyond = (f"OR({{prisaar}}>{{idx_sidste}},{{prisaar}}<{{idx_foerste}}"
              + "".join(f",AND(ISNUMBER({y}),{y}<>{{prisaar}},OR({y}>{{idx_sidste}},{y}<{{idx_foerste}}))" for y in years) + ")")
    rate = ('"Alle enhedspriser er omregnet til prisår "&{prisaar}&"; prisindekset "&{indeks_valg}&" er fremskrevet med "'
            '&' + share_words_excel("{fremskrivning}") + '&" om året fra "&{idx_sidste}&"."')
    unknown = f'COUNTIF({{ep_type}},{excel_string(UNKNOWN_ID)})>0'  # an id typed that is neither a Katalog nor an own price
    return (f'IF({{ep_effektfejl}}<>"",TRIM({{ep_effektfejl}}),IF({unknown},"Ukendt enhedspris: "&{missing}&"vælg et id fra listen i kolonnen id på arket Enhedspriser.",'
            f'IF({{pris_ok}}=0,"Priserne kan ikke omregnes til prisår "&{{prisaar}}&" med indekset "&{{indeks_valg}}'
            f'&" (tal for "&{{idx_foerste}}&"–"&{{idx_sidste}}&"): "&{missing}&"udfyld Årlig fremskrivning på arket '
            f'Forudsætninger eller Egne værdier i indekstabellen på arket Enhedspriser (med kilde"'
            f'&IF({{idx_sidste_off}}>0,"; også for "&{{idx_sidste_off}}&", hvor de kædes på indekset","")&").",'
            f'IF(AND({{fremskrivning}}<>"",{beyond}),{rate},"Alle enhedspriser er omregnet til prisår "&{{prisaar}}&"."))))')


def sheet_assumptions(d: Dims) -> Sheet:
    schedules = sorted(discount_schedules())
    rate_data = []
    for name in schedules:
        for k, band in enumerate(discount_schedules()[name], start=1):
            span = f"år {band.fra_aar}–{band.til_aar}" if band.til_aar else f"år {band.fra_aar}+"
            rate_data.append(Data(f"rente_{name}_{k}", f"{DISCOUNTING_WORDS[name]}, {span}", (band.rente,), st.PERCENT))
    bands = len(discount_schedules()[schedules[0]])
    band_rates = [
        Formula(f"rente_interval_{k}", f"Valgt skema, interval {k}",
                "=" + nested_if("{diskontering}", [(n, f"{{rente_{n}_{k}}}") for n in schedules[1:]], f"{{rente_{schedules[0]}_{k}}}"),
                st.PERCENT)
        for k in range(1, bands + 1)
    ]  # fmt: skip
    band_rates += [
        Formula(f"rente_brugt_{k}", f"Anvendt rente, interval {k}", f'=IF({{diskontering}}="fast",{{fast_rente}},{{rente_interval_{k}}})', st.PERCENT)
        for k in range(1, bands + 1)
    ]  # fmt: skip
    limits = [b.til_aar for b in discount_schedules()[schedules[0]]]
    rate_by_year = "{rente_interval_%d}" % bands
    for k in range(bands - 1, 0, -1):
        rate_by_year = f"IF({{i}}<={limits[k - 1]},{{rente_interval_{k}}},{rate_by_year})"
    return Sheet("Forudsætninger", (
        Formula("prisbesked", "Prisomregning", "=" + price_message(d), text_length=PRICE_MESSAGE_LENGTH),
        Heading("Casen"),
        Input("navn", "Navn", kind="text", help="Står i sidehovedet på hver udskrevet side (et nyt navn: byg regnearket igen)"),
        Input("beskrivelse", "Beskrivelse", kind="text", required=False),
        Input("kilde", "Kilde", kind="text", required=False),
        Input("maalgruppe", "Målgruppe", kind="text", required=False),
        Heading("Beregning"),
        Input("prisaar", "Prisår (prisniveau for alle beløb)", kind="integer", validation=Validation.whole(1990, 2100)),
        Input("startaar", "Kalenderår for år 0", kind="integer", validation=Validation.whole(1990, 2100), required=False),
        Input("diskontering", "Diskonteringsrente", kind="text", validation=Validation.words(DISCOUNTING_WORDS),
              help="Finansministeriets skema (renten falder efter år 35 og 70), eller en fast rente angivet nedenfor"),
        Input("fast_rente", "Fast diskonteringsrente (kun ved fast rente)", number_format=st.PERCENT, validation=Validation.between(*RATE_BOUNDS), required=False),
        Input("visning", "Resultat vises for", kind="text", validation=Validation.words(VIEW_WORDS),
              help="Betalerens perspektiv: betalerens nutidsværdi; hele den offentlige sektor: kommune, region og stat tilsammen"),
        Input("betaler", "Betaler af resultatbetalinger", kind="text", validation=Validation.one_of(*AUTHORITIES)),
        Input("indeks", "Prisindeks til omregning", kind="text", validation=Validation.words(INDEX_WORDS),
              help="Nettoprisindeks og forbrugerprisindeks: Danmarks Statistik; (staten): Økonomistyrelsen; Eget indeks: kolonnen Egne værdier på arket Enhedspriser"),
        Input("fremskrivning", "Årlig fremskrivning uden for indeksets år", number_format=st.PERCENT,
              validation=Validation.between(-0.5, 0.5), required=False,
              help="Tom: et prisår uden for indekset giver en besked øverst (ingen stille fremskrivning)"),
        Input("horisont", "Tidshorisont (antal år i beregningen)", kind="integer", validation=Validation.whole(1, MAX_HORIZON),
              help=f"Årene efter horisonten (op til år {MAX_HORIZON - 1}) er grå og tæller 0 i alle summer, nutidsværdier og diagrammer"),
        Input("forloebsaar", "Forløbets længde (år fra start til afsluttet forløb)", kind="integer", validation=Validation.whole(0, 30)),
        Input("optimisme_omk", "Optimismetillæg på offentlige omkostninger (%)", number_format=st.PERCENT,
              validation=Validation.between(0, MAX_COST_MARKUP)),
        Input("optimisme_gev", "Optimismefradrag i gevinster (%)", number_format=st.PERCENT, validation=SHARE),
        Input("investor_krav", "Investors krav til afkast (% pr. år)", number_format=st.PERCENT, validation=SHARE,
              required=False, help="Tom: intet krav. Giver break-even for investorens afkastkrav på arket Følsomhed"),
        *guarantee_inputs(),
        Input("valuta", "Valuta for alle beløb (ISO 4217-kode)", kind="text",
              help="DKK (danske kroner) eller fx EUR, USD. Talformater og tekster følger valutaen, når regnearket bygges; "
                   "katalogets priser er i danske kroner"),
        Heading("Diskonteringsrenter (Finansministeriet)"),
        *rate_data, *band_rates,
        Heading("Refusionstrappen (LBK nr. 221 af 12/02/2021 § 5)"),
        *refusion_tables(),
        print_warning("fo_udskrift"),
        Table("aarstabel", years(d), (
            Formula("aar", "År", "={i}", st.INTEGER),
            Formula("kalenderaar", "Kalenderår", '=IF({startaar}="","",{startaar}+{i})', st.YEAR),
            Input("deltagere", "Deltagere, der starter (antal personer)", number_format=st.INTEGER, validation=Validation.whole(0), default=0),
            Formula("i_horisont", "Inden for horisonten (1 = ja)", "=IF({i}<{horisont},1,0)", st.INTEGER),
            Formula("rente", "Diskonteringsrente", '=IF({diskontering}="fast",{fast_rente},' + rate_by_year + ")", st.PERCENT),
            Formula("df", "Diskonteringsfaktor (år 0 = 1)", "={df[i-1]}/(1+{rente[i]})", st.FACTOR, first="=1"),
        ), title="Pr. år", labels_name="aar_overskrift", greyed=AFTER_HORIZON),
    ), title="Forudsætninger", freeze=None, widths={"A": 50})  # fmt: skip


def unit_rows(d: Dims) -> int:
    """Rows of the Enhedspriser table: the unit prices the case uses and :data:`SPARE_UNITS` empty ones."""
    return d.units + SPARE_UNITS


def own_rows(d: Dims) -> int:
    """Rows of the Egne priser table: the case's own prices and :data:`SPARE_OWN` empty ones."""
    return d.own + SPARE_OWN


_OWN_AT = "MATCH({ep_id[i]},{eg_id},0)"  # the row's id among the own prices (these come first, as in the core)
_KAT_AT = "MATCH({ep_id[i]},{kat_id},0)"  # … and in the Katalog
UNKNOWN_ID = "Ukendt id"
"""The Type of an Enhedspriser row whose id is neither in the Katalog nor among the own prices."""


def picked(own: str, kat: str | None) -> str:
    """The field of the unit price chosen by id on an Enhedspriser row: the own price's, else the Katalog's.

    An empty source cell gives "" (not 0), an empty or unknown id gives "".
    """
    o, k = f"INDEX({{{own}}},{_OWN_AT},1)", f"INDEX({{{kat}}},{_KAT_AT},1)" if kat else '""'
    from_kat = f'IF(ISNUMBER({_KAT_AT}),IF({k}="","",{k}),"")' if kat else '""'
    return f'=IF({{ep_id[i]}}="","",IF(ISNUMBER({_OWN_AT}),IF({o}="","",{o}),{from_kat}))'


def unit_items() -> tuple:
    """The columns of the Enhedspriser table: the id chosen from a list, everything else looked up by formula."""
    shares = [f"{{ep_andel_{a}[i]}}" for a in AUTHORITIES]
    return (
        Input("ep_id", "id (vælg på listen)", kind="text", validation=Validation.from_range("ep_valg"), required=False,
              help="Vælg et id fra Katalog eller Egne priser; navn, beløb, prisår, fordeling og kilde hentes derfra"),
        Formula("ep_type", "Type",
                f'=IF({{ep_id[i]}}="","Ledig",IF(ISNUMBER({_OWN_AT}),IF(ISNUMBER({_KAT_AT}),"Egen pris (i stedet for katalogets)",'
                f'"Egen pris"),IF(ISNUMBER({_KAT_AT}),"Katalog",{excel_string(UNKNOWN_ID)})))'),
        Formula("ep_navn", "Navn", picked("eg_navn", "kat_navn"), text_length=longest_in_catalogue("navn")),
        Formula("ep_enhed", "Enhed", picked("eg_enhed", "kat_enhed")),
        Formula("ep_beloeb", "Beløb pr. enhed (kr., eget prisår)", picked("eg_beloeb", "kat_beloeb"), st.KR_DECIMALS),
        Formula("ep_prisaar", "Prisår", picked("eg_prisaar", "kat_prisaar"), st.YEAR),
        *(Formula(f"ep_andel_{a}", f"Andel {a}", picked(f"eg_andel_{a}", f"kat_andel_{a}"), st.PERCENT) for a in AUTHORITIES),
        Formula("ep_andele", "Sum af andele (skal være 100 %)", f'=IF(COUNT({",".join(shares)})=3,{"+".join(shares)},"")', st.PERCENT),
        Formula("ep_faktor", "Indeksfaktor til casens prisår",
                '=IFERROR(IF({ep_prisaar[i]}={prisaar},1,' + index_level("{prisaar}") + "/" + index_level("{ep_prisaar[i]}") + '),"")',
                st.FACTOR),
        Formula("ep_pris", "Pris i casens prisår (offentlig i alt)", '=IF(ISNUMBER({ep_faktor[i]}),{ep_beloeb[i]}*{ep_faktor[i]},"")',
                st.KR_DECIMALS),
        Formula("ep_mangler", "Kan ikke bruges (ukendt id, mangler år i indekset)",
                f'=IF({{ep_id[i]}}="","",IF({{ep_type[i]}}={excel_string(UNKNOWN_ID)},"\'"&{{ep_id[i]}}&"\' findes hverken i Katalog eller Egne priser",'
                'IF(ISNUMBER({ep_faktor[i]}),"","\'"&{ep_id[i]}&"\' (prisår "&{ep_prisaar[i]}&") mangler "&' + MISSING_YEARS + ")))"),
        Formula("ep_kilde_udgiver", "Kilde: udgiver", picked("eg_kilde_udgiver", "kat_kilde_udgiver"),
                text_length=longest_in_catalogue("kilde_udgiver")),
        Formula("ep_kilde_dokument", "Kilde: dokument", picked("eg_kilde_dokument", "kat_kilde_dokument"),
                text_length=longest_in_catalogue("kilde_dokument")),
    )  # fmt: skip


def own_items() -> tuple:
    """The columns of Egne priser: every field of a unit cost typed by the user, a check beside the id.

    Name, amount, shares and source sit in the same columns as on the Enhedspriser table above.
    """
    text = dict(kind="text", required=False)
    return (
        Input("eg_id", "Id (små bogstaver, tal og understregning)", key=True, **text),
        Formula("eg_kontrol", "Kontrol",
                '=IF(AND({eg_id[i]}="",{eg_beloeb[i]}=""),"",IF(OR({eg_kilde_udgiver[i]}="",{eg_kilde_dokument[i]}=""),'
                f'{excel_string(OWN_PRICE_NO_SOURCE)},IF({{eg_note[i]}}="",{excel_string(OWN_PRICE_NO_DERIVATION)},'
                f'{own_price_changed_excel()})))', text_length=OWN_PRICE_CHECK_LENGTH, blank_at_build=True),
        Input("eg_navn", "Navn", **text, wrap=True),
        Input("eg_enhed", "Enhed", kind="text", validation=Validation.words(UNIT_WORDS), required=False),
        Input("eg_beloeb", "Beløb pr. enhed (kr., eget prisår)", number_format=st.KR_DECIMALS, validation=Validation.between(0),
              required=False),
        Input("eg_prisaar", "Prisår", kind="integer", validation=Validation.whole(1990, 2100), required=False),
        *(Input(f"eg_andel_{a}", f"Andel {a}", number_format=st.PERCENT, validation=SHARE, required=False) for a in AUTHORITIES),
        Input("eg_fordelingsgrundlag", "Fordelingsgrundlag", **text, wrap=True),
        Input("eg_budgetomraade", "Budgetområde", **text, wrap=True),
        Input("eg_kildetype", "Kildetype", kind="text", validation=Validation.words(SOURCE_KIND_WORDS), required=False),
        Input("eg_kildevaerdi", "Tallet som offentliggjort", **text, wrap=True),
        Input("eg_kilde_udgiver", "Kilde: udgiver", **text, wrap=True),
        Input("eg_kilde_dokument", "Kilde: dokument", **text, wrap=True),
        Input("eg_kilde_url", "Kilde: URL", **text, wrap=True),
        Input("eg_note", "Udledning (hvordan beløbet er fundet)", **text, wrap=True),
        Formula("eg_katalog", "Katalogets beløb (samme id)",
                '=IF({eg_id[i]}="","",IFERROR(INDEX({kat_beloeb},MATCH({eg_id[i]},{kat_id},0),1),"ikke i Katalog"))', st.KR_DECIMALS,
                in_kroner=True),
    )  # fmt: skip


def own_price_changed_excel() -> str:
    """:func:`udfs.core.plausibility.own_price_changed` as the last test of an own price's Kontrol (no ``=``): the row's
    amount against its copy as built (:func:`snapshot_name`) while its derivation is the text it was built with
    (``EXACT``, as Python compares), else :data:`~udfs.core.plausibility.OWN_PRICE_OK`.  A spare row's copy is empty:
    nothing to compare."""
    built, now = "{%s[i]}" % snapshot_name("eg_beloeb"), "{eg_beloeb[i]}"
    amount = lambda cell: number_words_excel(cell, None)  # noqa: E731 - as number_words writes it
    text = excel_template(OWN_PRICE_CHANGED, bygget=amount(built), nu=amount(now))
    same_text = 'EXACT({eg_note[i]}&"",{%s[i]}&"")' % snapshot_name("eg_note")
    return f'IF(AND(ISNUMBER({built}),ISNUMBER({now}),{same_text}),IF({now}<>{built},{text},{excel_string(OWN_PRICE_OK)}),{excel_string(OWN_PRICE_OK)})'


OWN_PRICE_CHECK_LENGTH = len(OWN_PRICE_CHANGED.format(bygget="1.000.000.000", nu="1.000.000.000"))
"""Characters an own price's Kontrol may take: :data:`~udfs.core.plausibility.OWN_PRICE_CHANGED` with two large amounts
(wrapped within its column; OK at build, so the row keeps its height: ``blank_at_build``)."""


def own_not_ok(d: Dims) -> str:
    """How many own prices' checks (column Kontrol: a missing source or derivation) are not OK: one count over
    the rows' own checks, so the sheet's status line (:func:`unit_check`) says what the rows say."""
    return f'SUMPRODUCT(({{eg_kontrol}}<>"")*({{eg_kontrol}}<>{excel_string(OWN_PRICE_OK)}))'


def effect_price_check(d: Dims) -> str:
    """Every effect whose unit price cannot be used, one sentence each (empty when all can): its id is not
    on Enhedspriser, or the price has no split on the authorities (the catalogue's »ukendt«) and no refusion week."""
    out = []
    for e in range(1, d.effects + 1):
        n = lambda s: effect_ref(e, s)  # noqa: E731
        row = f"MATCH({n('enhedspris')},{{ep_id}},0)"
        quote = excel_string("'")
        price = f"{quote}&{n('enhedspris')}&{quote}"  # the id in quotes: 'sygedagpenge_uge'
        who = f'"Effekt {e} ("&{n("id")}&")"'
        split = "COUNT(" + ",".join(f"INDEX({{ep_andel_{a}}},{row},1)" for a in AUTHORITIES) + ")<3"
        missing = f'{who}&" bruger enhedspris "&{price}&", som ikke står på arket Enhedspriser. "'
        no_split = f'{who}&": enhedsprisen "&{price}&" har ingen fordeling på myndigheder (ukendt) og kan ikke bruges i en business case. "'
        out.append(f'IF(OR({n("id")}="",{n("enhedspris")}=""),"",IF(ISNA({row}),{missing},'
                   f'IF(AND({n("refusionsuge")}="",INDEX({{ep_mangler}},{row},1)="",{split}),{no_split},"")))')
    return "&".join(out) or '""'


def unit_check(d: Dims) -> str:
    """The one line at the top of Enhedspriser: an unknown id, an effect's unusable price, own prices whose check is not
    OK (:func:`own_not_ok`), or OK."""
    return (f'IF({{ep_effektfejl}}<>"",TRIM({{ep_effektfejl}}),IF(COUNTIF({{ep_type}},{excel_string(UNKNOWN_ID)})>0,"Et id findes hverken i Katalog eller Egne priser: vælg et id på listen",'
            'IF({eg_mangler}>0,IF({eg_mangler}=1,"1 egen pris",{eg_mangler}&" egne priser")&" mangler kilde eller udledning, '
            'eller udledningen passer til et tidligere beløb: se Kontrol under Egne priser","OK: hver enhedspris har en kilde")))')


def choice_list(d: Dims) -> Table:
    """The ids a unit price can be chosen from (the list of Enhedspriser's id cells): the Katalog's, then the own prices'."""
    n = len(catalogue())
    formulas = tuple(f"={{kat_id[{k}]}}" for k in range(n)) + tuple(
        f'=IF({{eg_id[{k}]}}="","",{{eg_id[{k}]}})' for k in range(own_rows(d)))
    return Table("valgliste", tuple(f"Valg {k + 1}" for k in range(len(formulas))),
                 (Formulas("ep_valg", "id", formulas),), orientation="columns", title="Id'er til listen")


def longest_in_catalogue(field: str) -> int:
    """Characters of the catalogue's longest value of ``field`` (``"id"``: its longest id)."""
    return max(len(str(k if field == "id" else getattr(u, field) or "")) for k, u in catalogue().items())


UNIT_WIDTHS = {"A": 54, "B": longest_in_catalogue("id") + 3, "C": 30, "D": 50, "E": 14, "F": 15, "G": 12, "H": 11, "I": 11, "J": 11,
               "K": 20, "L": 16, "M": 15, "N": 24, "O": 28, "P": 34, "Q": 24, "R": 30, "S": 14}  # fmt: skip
"""Column widths of Enhedspriser (three tables share the columns: unit prices, own prices, the index).  The id
column holds the longest id on its list (the Katalog's) whole at the writer's 5.5 pt a character: n + 3 characters are
(7(n + 3) + 5) × 0.75 = 5.25n + 19.5 pt, at least 5.5n + 6 (the padding) up to n = 54; the names (D) and sources (O, P)
wrap within their columns (:func:`unit_items`)."""


def sheet_catalogue() -> Sheet:
    """The whole unit-cost catalogue (udfs/data/enhedspriser.csv) as sourced data: what Enhedspriser looks up."""
    units = list(catalogue().values())
    col = lambda f: tuple(None if getattr(u, f) in ("", None) else getattr(u, f) for u in units)  # noqa: E731
    long = dict(role="data_text")
    items = (
        Data("kat_navn", "Navn", col("navn"), **long),
        Data("kat_enhed", "Enhed", tuple(UNIT_WORDS[u.enhed] for u in units)),
        Data("kat_beloeb", "Beløb pr. enhed (kr.)", col("beloeb"), st.KR_DECIMALS),
        Data("kat_prisaar", "Prisår", col("prisaar"), st.YEAR),
        Data("kat_regelsaet", "Regler", tuple(RULE_SET_WORDS.get(u.regelsaet) for u in units)),
        Data("kat_ydelsesdel", "Ydelsesdel", tuple(BENEFIT_PART_WORDS.get(u.ydelsesdel) for u in units)),
        *(Data(f"kat_andel_{a}", f"Andel {a}", col(f"andel_{a}"), st.PERCENT) for a in AUTHORITIES),
        Data("kat_fordelingsgrundlag", "Fordelingsgrundlag", col("fordelingsgrundlag"), **long),
        Data("kat_budgetomraade", "Budgetområde", col("budgetomraade"), **long),
        Data("kat_kilde_udgiver", "Kilde: udgiver", col("kilde_udgiver"), **long),
        Data("kat_kilde_dokument", "Kilde: dokument", col("kilde_dokument"), **long),
        Data("kat_kilde_url", "Kilde: URL", col("kilde_url"), **long),
        Data("kat_kildetype", "Kildetype", tuple(SOURCE_KIND_SHOWN[u.kildetype] for u in units)),
        Data("kat_kildevaerdi", "Tallet som offentliggjort", col("kildevaerdi"), **long),
        Data("kat_note", "Note og udledning", col("note"), **long),
    )  # fmt: skip
    return Sheet("Katalog", (
        Text("Enhedspriser med kilde, prisår og fordeling på kommune, region og stat efter refusion (SØM-princippet)."),
        Text(f"Katalogversion {manifest()['version']}. Tallene er data med kilde og rettes ikke her: vælg et id på arket "
             "Enhedspriser, og skriv en egen pris under Egne priser samme sted."),
        Text("Tom fordeling: fordelingen på myndigheder er ikke kendt, og prisen kan kun bruges som egen pris med fordeling."),
        Text("Regler: før eller fra 1. juli 2025 (den nye kontanthjælp); tom, hvor ingen regelændring gælder. "
             "Ydelsesdel: satsen eller et tillæg."),
        Blank(),
        Table("katalog", tuple(u.id for u in units), items, orientation="columns", title="id", labels_name="kat_id"),
    ), title="Katalog over enhedspriser", freeze="katalog", in_kroner=True,
        widths={"A": 48, "B": 34, "C": 9, "D": 14, "E": 8, "F": 16, "G": 10, "H": 10, "I": 10, "J": 10, "K": 40, "L": 18,
                "M": 24, "N": 34, "O": 30, "P": 10, "Q": 20, "R": 60})  # fmt: skip


def sheet_outcome_funds() -> Sheet:
    """The central outcomes funds (udfs/data/resultatfonde.csv) as sourced data: the share of every outcome payment
    each tops up, which the payer table on Betalingsmodel looks up by the fund's id (``rf_id`` → ``rf_andel``)."""
    funds = list(outcome_funds().values())
    col = lambda f: tuple(None if getattr(x, f) in ("", None) else getattr(x, f) for x in funds)  # noqa: E731
    long = dict(role="data_text")
    items = (
        Data("rf_navn", "Navn", col("navn"), **long),
        Data("rf_andel", "Andel af hver resultatbetaling", col("andel"), st.PERCENT),
        Data("rf_gyldig_fra", "Gyldig fra", col("gyldig_fra")),
        Data("rf_kilde_udgiver", "Kilde: udgiver", col("kilde_udgiver"), **long),
        Data("rf_kilde_dokument", "Kilde: dokument", col("kilde_dokument"), **long),
        Data("rf_kilde_url", "Kilde: URL", col("kilde_url"), **long),
        Data("rf_kildetype", "Kildetype", tuple(SOURCE_KIND_SHOWN[x.kildetype] for x in funds)),
        Data("rf_note", "Note", col("note"), **long),
    )  # fmt: skip
    return Sheet(FUNDS_SHEET, (
        Text("Centrale resultatfonde: den andel af hver resultatbetaling, fonden betaler, med kilde (datafilen resultatfonde.csv)."),
        Text("Tallene er data med kilde og rettes ikke her: skriv fondens id i tabellen »Hvem betaler resultatbetalingerne« på "
             "arket Betalingsmodel."),
        Blank(),
        Table("resultatfonde", tuple(x.id for x in funds), items, orientation="columns", title="id", labels_name="rf_id"),
    ), title="Centrale resultatfonde", widths={"A": 24, "B": 24, "C": 19, "D": 11, "E": 22, "F": 50, "G": 34, "H": 12, "I": 60})  # fmt: skip


def sheet_unit_costs(d: Dims, shown: OverviewRows | None = None) -> Sheet:
    """The unit prices the case uses, the own prices and the price index; the empty rows (spare unit and own prices,
    index years without values: ``shown``, :class:`OverviewRows`) and the helper list folded."""
    fold = shown is None or shown.spare_rows
    spare_units = tuple(range(d.units, unit_rows(d))) if fold else ()
    spare_own = tuple(range(d.own, own_rows(d))) if fold else ()
    all_years = index_years()
    names = sorted(indices())
    chosen = nested_if("{indeks}", [(n, f"{{idx_{n}[i]}}") for n in names[:-1]], f"{{idx_{names[-1]}[i]}}")
    own = "{idx_egne[i]}"
    index_items = [Data("idx_aar", "År", tuple(all_years), st.YEAR)] + [
        Data(f"idx_{n}", INDEX_WORDS[n], tuple(indices()[n].get(y) for y in all_years), st.DECIMAL) for n in names
    ] + [
        Input("idx_egne", "Egne værdier (kilde nedenfor)", number_format=st.DECIMAL, validation=Validation.between(0), required=False),
        Formula("idx_off", "Offentliggjort, valgt indeks", f'=IF({{indeks}}={excel_string(OWN)},"",IF(ISNUMBER({chosen}),{chosen},""))', st.DECIMAL),
        Formula("idx_aar_off", "År med offentliggjorte tal", '=IF(ISNUMBER({idx_off[i]}),{idx_aar[i]},"")', st.YEAR),
        Formula("idx_valgt", "Valgt indeks",
                f'=IF({{indeks}}={excel_string(OWN)},IF(ISNUMBER({own}),{own},""),IF(ISNUMBER({{idx_off[i]}}),{{idx_off[i]}},'
                f'IF(AND(ISNUMBER({own}),{{idx_aar[i]}}>{{idx_sidste_off}}),IFERROR({own}*{{idx_led_off}}/{{idx_led_egne}},""),"")))',
                st.DECIMAL),
        Formula("idx_aar_med_tal", "År med tal", '=IF(ISNUMBER({idx_valgt[i]}),{idx_aar[i]},"")', st.YEAR),
    ]  # fmt: skip
    blocks = (
        PRICE_MESSAGE,
        Text("Vælg en enhedspris ved at vælge dens id på listen i kolonnen id: navn, beløb, prisår, fordeling og kilde "
             "hentes fra arket Katalog eller fra Egne priser nedenfor."),
        Text("Rækker med Type »Ledig« er tomme: vælg et id for at tilføje en enhedspris. En effekt bruger en enhedspris "
             "ved at vælge dens id på arket Effekter. " + UNITS_FOLDED),
        Formula("ep_kontrol", "Kontrol af enhedspriser", "=" + unit_check(d)),
        Blank(),
        Table("enhedspriser", tuple(f"Enhedspris {k + 1}" for k in range(unit_rows(d))), unit_items(),
              orientation="columns", title="Enhedspris", hidden=spare_units),
        Blank(), Heading("Egne priser"),
        Text("Kommunens egne enhedspriser: skriv beløb, prisår, fordeling og din egen kilde (udgiver, dokument) og udledning. "
             "Et id, der også findes i Katalog, erstatter katalogets pris."),
        Text("Vælg derefter egen pris' id i tabellen ovenfor. Rækker uden id er ledige."),
        Formula("eg_mangler", "Egne priser med mangler (se Kontrol)", "=" + own_not_ok(d), st.INTEGER),
        Table("egne_priser", tuple(f"Egen pris {k + 1}" for k in range(own_rows(d))), own_items(),
              orientation="columns", title="Egen pris", hidden=spare_own),
        Blank(), Heading("Prisindeks (2015 = 100)"),
        Text("Kilder: Danmarks Statistik, nettoprisindeks og forbrugerprisindeks (årsgennemsnit af månedstal); "
             "Økonomistyrelsen, generel pris- og lønstigning, lønninger og forbrugerpriser (kædet)."),
        Text("Egne værdier (fx KL's pris- og lønskøn) er kommunens egne tal med egen kilde: med indeks 'eget' er de hele indekset; "
             "ellers forlænger de det valgte indeks efter dets sidste offentliggjorte år, kædet i det år (som Egne værdier "
             "derfor skal have med): egen(år) / egen(kædeår) × offentliggjort(kædeår), som to basisår kædes."),
        Table("indekstabel", tuple(str(y) for y in all_years), tuple(index_items), orientation="columns", title="År",
              hidden=empty_index_years(shown)),
        Input("idx_egne_navn", "Egne værdier: navn", kind="text", required=False),
        Input("idx_egne_kilde", "Egne værdier: kilde (udgiver, dokument, dato)", kind="text", required=False),
        Formula("idx_foerste", "Første år med tal i det valgte indeks", "=MIN({idx_aar_med_tal})", st.YEAR),
        Formula("idx_sidste", "Sidste år med tal i det valgte indeks", "=MAX({idx_aar_med_tal})", st.YEAR),
        Formula("idx_sidste_off", "Sidste offentliggjorte år i det valgte indeks", "=MAX({idx_aar_off})", st.YEAR),
        Formula("idx_led_off", "Kædeår: offentliggjort værdi",
                '=IFERROR(INDEX({idx_off},MATCH({idx_sidste_off},{idx_aar},0)),"")', st.DECIMAL),
        Formula("idx_led_egne", "Kædeår: egen værdi (skal udfyldes for at kæde egne værdier på)",
                '=IFERROR(IF(ISNUMBER(INDEX({idx_egne},MATCH({idx_sidste_off},{idx_aar},0))),'
                'INDEX({idx_egne},MATCH({idx_sidste_off},{idx_aar},0)),""),"")', st.DECIMAL),
        Formula("ep_effektfejl", "Effekter, hvis enhedspris ikke kan bruges", "=" + effect_price_check(d)),
        Formula("pris_ok", "Alle enhedspriser kan omregnes og bruges (1 = ja)",
                '=IF(AND(SUMPRODUCT(LEN({ep_mangler}))=0,{ep_effektfejl}=""),1,0)', st.INTEGER),
        Blank(), Heading("Hjælpetabel: id'er på listen i kolonnen id (Katalog, derefter Egne priser)"), choice_list(d),
    )  # fmt: skip
    return Sheet("Enhedspriser", blocks, title="Enhedspriser", freeze="enhedspriser", widths=UNIT_WIDTHS,
                 folded=(len(blocks) - 1,),  # the helper list: machinery of the id cells' list, not printed
                 print_title_only=True)  # the own prices and the index have headers of their own


UNITS_FOLDED = ("Er de tomme rækker (ledige enhedspriser og egne priser, indeksår uden tal) og hjælpetabellen nederst foldet "
                "sammen, udskrives de ikke: klik + i venstre margen for at vise dem.")
"""The text on Enhedspriser about its folded empty rows (:func:`sheet_unit_costs`): the same in every workbook, folded
or not (the blank one), since a template text is read back by the layout of the workbook's dimensions alone."""
RISKS_FOLDED = "Er tomme risikorækker foldet sammen, udskrives de ikke: klik + i venstre margen for at vise dem."
"""The text on Risici about its folded empty risk rows, in every workbook (as :data:`UNITS_FOLDED`)."""
SPARE_FOLDED_ROWS = ("Rækkerne for ledige effekter og resultatmål er foldet sammen og udskrives ikke: klik + i venstre margen "
                     "for at vise dem.")
"""The text above Kontrol's table when rows of spare slots are folded."""
SPARE_FOLDED = ("{what} er foldet sammen under sin overskrift og udskrives ikke: klik + i venstre margen ud for "
                "overskriften for at vise og udfylde {it}; {shown} udskrives.")
"""The text above folded spare slots (:attr:`workbooks.layout.Sheet.folded`): where they are and how to show one."""
SPARE_MARK = " – ledig: udfyld {key} for at tage den i brug (tom {key}: indgår ikke)"
"""Added to the heading of an empty slot (effect, cost line), naming the cell that takes it into use."""
SPARE_METRIC_MARK = " – ledig (regel: {rule}): udfyld id for at tage den i brug"
"""Added to the heading of an empty outcome-metric slot, naming its payment rule (:func:`rule_name`; the slot chooses the rule)."""


def in_use_headings(raw: Mapping[str, list[tuple[Any, str]]], d: Dims) -> dict[str, str]:
    """How a message names a spare slot the user has taken into use: the heading a cell's label is told apart by
    (:func:`workbooks.layout.describe`: the heading before " (", ``Effekt 2 – ledig: udfyld id for at tage den i
    brug``) → the slot named by its key (``Effekt 2 (faengsel)``), for every slot built spare whose key cell is
    filled; ``raw`` is each input's cells as read, ``(value, "Ark!B3")``."""
    spare = {"Effekt": (d.spare_effect, SPARE_MARK.format(key="id")), "Omkostning": (d.spare_cost, SPARE_MARK.format(key="navn")),
             "Resultatmål": (d.spare_metric, SPARE_METRIC_MARK.format(rule=""))}  # fmt: skip
    out = {}
    for slot in workbook_slots(d):
        is_spare, mark = spare[slot.what]
        key = raw[slot.key][0][0]
        if is_spare(slot.number) and key not in (None, ""):
            out[f"{slot.what} {slot.number}{mark}".split(" (")[0]] = f"{slot.what} {slot.number} ({excerpt(str(key))})"
    return out


def rule_name(rule: type[Rule]) -> str:
    """A payment rule's short Danish name: its label without the explanation in brackets (``Trappe``)."""
    return rule.LABEL.split(" (")[0]


def if_used(m: int, formula: str) -> str:
    """``formula`` (without ``=``) for metric slot ``m``, giving 0 while the slot's id is empty (a spare slot)."""
    return f'IF({metric_ref(m, "id")}="",0,{formula})'


def cost_inputs(c: int) -> tuple[Input, Input, Input, Input]:
    """Cost line ``c``'s inputs: name, payer, type, and its row of amounts per year."""
    return (
        Input(cost_cell(c, "navn"), "Navn", kind="text"),
        Input(cost_cell(c, "betaler"), "Betaler", kind="text", validation=Validation.one_of(*PAYERS)),
        Input(cost_cell(c, "type"), "Type", kind="text", validation=Validation.one_of("opstart", "drift")),
        Input(cost_cell(c, "pr_aar"), f"Omkostning {c}", number_format=st.KR, validation=Validation.between(0), default=0),
    )


def sheet_costs(d: Dims) -> Sheet:
    spare = tuple(c - 1 for c in range(1, d.costs + 1) if d.spare_cost(c))
    blocks: list = [Text("Indsatsens omkostninger pr. år og betaler (kr., casens prisår).")]
    if spare:  # short lines: a longer one would run past the years printed and widen the page (column A is 34 wide)
        blocks += [Text("En ledig omkostning er foldet sammen og udskrives ikke:"),
                   Text("klik + i venstre margen ud for dens overskrift for at vise den.")]
    blocks.append(Blank())
    folded: list[int] = []
    for c in range(1, d.costs + 1):
        if d.spare_cost(c):  # all but its heading: an empty slot kept for typing, not printed (Sheet.folded)
            folded += range(len(blocks) + 1, len(blocks) + 4)
        blocks += [Heading(f"Omkostning {c}" + (SPARE_MARK.format(key="navn") if d.spare_cost(c) else "")), *cost_inputs(c)[:3]]
    rows = tuple(cost_inputs(c)[3] for c in range(1, d.costs + 1))
    by_payer = tuple(  # the optimism mark-up on the public authorities' costs only (udfs.core.engine.cost_factors)
        Formula(f"omk_{p}", f"I alt {p} ({'uden' if p == 'investor' else 'med'} optimismetillæg)",
                "=" + total([f'IF({cost_ref(c, "betaler")}={excel_string(p)},{at(cost_cell(c, "pr_aar"))},0)' for c in range(1, d.costs + 1)])
                + ("" if p == "investor" else "*(1+{optimisme_omk})") + "*{i_horisont[i]}", st.KR)
        for p in PAYERS
    )  # fmt: skip
    blocks += [Heading("Omkostninger pr. år og betaler"),  # the year table's own section (not the last slot's)
               Table("omkostninger", years(d), rows + by_payer, title="Kr. pr. år", greyed=AFTER_HORIZON,
                     hidden=spare),  # a spare line's row of amounts folded as its inputs
               print_warning("in_udskrift")]  # under the table: blank (as built) it leaves no band above it
    return Sheet("Indsats", tuple(blocks), title="Indsats", widths={"A": 34}, folded=tuple(folded))


def direction(e: int) -> str:
    """Effect ``e``'s direction: 1 when its profile reduces the use of a priced service (its savings are
    gains), −1 when it adds use (extra spending), 0 without either."""
    return f"SIGN(-{effect_ref(e, 'pris')}*SUM({effect_ref(e, 'profil')}))"


def kept(e: int) -> str:
    """The share of effect ``e``'s savings kept after the optimism deduction on gains: the deduction
    applies to an effect whose profile gives gains only; extra spending counts in full (the engine's
    :func:`udfs.core.engine.benefits_kept`)."""
    return f"(1-{{optimisme_gev}}*({{eo_retning[{e - 1}]}}>0))"


def effect_blocks(e: int, d: Dims) -> list:
    p = effect_prefix(e)
    n = lambda s: "{" + p + s + "}"  # noqa: E731
    landed_term = lambda t: (f"IF({{i}}-{n('offset')}-{t}>=0,{at(p + 'gruppe', t)}*INDEX({n('kerne')},1,{{i}}-{n('offset')}-{t}+1),0)")  # noqa: E731
    # year i gets what those starting in year t <= i land in profile year i − offset − t (later starters land later)
    landed = tuple("=(" + "+".join(landed_term(t) for t in range(k + 1)) + ")*{i_horisont[i]}" for k in range(d.years))
    unit = f'IF({n("id")}="",0,INDEX({{ep_pris}},MATCH({n("enhedspris")},{{ep_id}},0),1)*{n("prisfaktor")})'
    kommune = kommune_share_formula(n("refusionsuge"), n("refusionsordning"))
    by_week = {"kommune": kommune, "region": "0", "stat": f"(1-{kommune})"}
    share = lambda a: (f'IF({n("id")}="",0,IF({n("refusionsuge")}="",INDEX({{ep_andel_{a}}},MATCH({n("enhedspris")},{{ep_id}},0),1),'  # noqa: E731
                       f"{by_week[a]}))")
    payer_share = nested_if("{betaler}", [(a, n(f"andel_{a}")) for a in AUTHORITIES[:-1]], n("andel_stat"))
    return [
        Heading(f"Effekt {e}" + (SPARE_MARK.format(key="id") if d.spare_effect(e) else "")),
        Input(p + "id", "Id (kort navn uden mellemrum)", kind="text", key=True),
        Input(p + "navn", "Navn", kind="text"),
        Input(p + "enhedspris", "Enhedspris (id fra arket Enhedspriser)", kind="text", validation=Validation.from_range("ep_id", unit_price_not_listed)),
        Input(p + "succesrate", "Succesrate", number_format=st.PERCENT, validation=SHARE),
        Input(p + "doedvaegt_type", "Dødvægt angivet som", kind="text", validation=Validation.words(DEADWEIGHT_WORDS)),
        Input(p + "doedvaegt", "Dødvægt / kontrolgruppens succesrate", number_format=st.PERCENT, validation=SHARE, default=0),
        Input(p + "frafald", "Frafald pr. år efter første profilår", number_format=st.PERCENT, validation=SHARE, default=0),
        Input(p + "forsinkelse", "Forsinkelse fra afsluttet forløb til første profilår (år)", kind="integer", validation=Validation.whole(0, 30), default=0),
        Input(p + "prisfaktor", "Prisfaktor (1 = enhedsprisen som den er)", number_format=st.DECIMAL, validation=Validation.between(0), default=1),
        Input(p + "profilfaktor", "Profilfaktor (1 = profilen som den er)", number_format=st.DECIMAL, validation=Validation.between(0), default=1),
        Input(p + "egne_deltagere", "Egne deltagere (ja) eller casens deltagere (nej)", kind="text", validation=Validation.one_of("ja", "nej")),
        Input(p + "refusionsuge", "Refusionsantagelse: uge i forløbet", kind="integer", validation=Validation.whole(1, 5200),
              required=False, help="Tom: enhedsprisens egen fordeling. Ellers følger fordelingen refusionstrappen i denne uge"),
        Input(p + "refusionsordning", "Refusionsordning", kind="text", validation=Validation.words(REFUSION_WORDS),
              required=False),
        Formula(p + "netto", "Nettosuccesrate", f"={n('succesrate')}-{n('doedvaegt')}", st.PERCENT),
        Formula(p + "offset", "År fra start til første profilår", f"={{forloebsaar}}+{n('forsinkelse')}", st.INTEGER),
        Formula(p + "pris", "Pris pr. enhed (casens prisår, med prisfaktor)", "=" + unit, st.KR_DECIMALS),
        *(Formula(p + f"andel_{a}", f"Andel {a}", "=" + share(a), st.PERCENT) for a in AUTHORITIES),
        Formula(p + "andel_betaler", "Andel betaler", "=" + payer_share, st.PERCENT),
        Formula(p + "antal", "Deltagere i alt (antal personer)", f"=SUM({n('gruppe')})", st.INTEGER),
        Table(p + "profiltabel", profile_years(d), (
            Input(p + "profil", "Profil: ændring i mængde pr. succesfuld deltager", number_format=st.DECIMAL, default=0),
            Formula(p + "kerne", "Profil efter profilfaktor og frafald", f"={at(p + 'profil')}*{n('profilfaktor')}*(1-{n('frafald')})^{{i}}", st.DECIMAL),
        ), title="Pr. profilår"),
        Table(p + "tabel", years(d), greyed=AFTER_HORIZON, items=(
            Input(p + "deltagere", "Egne deltagere (antal personer)", number_format=st.INTEGER, validation=Validation.whole(0), default=0),
            Formula(p + "gruppe", "Deltagere, der starter (anvendt)",
                    f'=IF({n("egne_deltagere")}="ja",{at(p + "deltagere")},{{deltagere[i]}})*{{i_horisont[i]}}', st.INTEGER),
            Formulas(p + "landet", "Mængde landet i året ved 100 % nettosuccesrate", landed, st.DECIMAL),
            Formula(p + "efter_nv", "Nutidsværdi af mængden efter horisonten ved 100 % (pr. startårgang)",
                    f"={at(p + 'gruppe')}*SUMPRODUCT({n('kerne')},(({{i}}+{n('offset')}+{{aar}})>={{horisont}})*"
                    + discount_at(f"({{i}}+{n('offset')}+{{aar}})") + ")", st.DECIMAL),
            Formula(p + "maengde", "Ændring i mængde (ved casens nettosuccesrate)", f"={n('netto')}*{at(p + 'landet')}", st.DECIMAL),
            *(Formula(p + f"bespar_{a}", f"Besparelse {a} (kr.)", f"=-{at(p + 'maengde')}*{n('pris')}*{n('andel_' + a)}*{kept(e)}", st.KR)
              for a in AUTHORITIES),
            Formula(p + "enhed_betaler", "Betalers besparelse ved 100 % nettosuccesrate (kr.)",
                    f"=-{at(p + 'landet')}*{n('pris')}*{n('andel_betaler')}*{kept(e)}", st.KR),
            Formula(p + "enhed_offentlig", "Offentlig besparelse ved 100 % nettosuccesrate (kr.)",
                    f"=-{at(p + 'landet')}*{n('pris')}*({n('andel_kommune')}+{n('andel_region')}+{n('andel_stat')})*{kept(e)}", st.KR),
        ), title="Pr. år"),
        Formula(p + "a_betaler", "Nutidsværdi af betalers besparelse ved 100 % nettosuccesrate", f"=SUMPRODUCT({n('enhed_betaler')},{{df}})", st.KR),
        Formula(p + "a_offentlig", "Nutidsværdi af offentlig besparelse ved 100 % nettosuccesrate", f"=SUMPRODUCT({n('enhed_offentlig')},{{df}})", st.KR),
        Formula(p + "b_betaler", "Betalers besparelse i alt ved 100 % nettosuccesrate", f"=SUM({n('enhed_betaler')})", st.KR),
        Formula(p + "efter", "Mængde efter horisonten ved 100 % nettosuccesrate (skæres fra)", f"=SUM({n('gruppe')})*SUM({n('kerne')})-SUM({n('landet')})", st.DECIMAL),
        Formula(p + "efter_nv_i_alt", "Nutidsværdi af mængden efter horisonten ved 100 % nettosucces", f"=SUM({n('efter_nv')})", st.DECIMAL),
        Blank(),
    ]  # fmt: skip


def sheet_effects(d: Dims) -> Sheet:
    blocks: list = [
        PRICE_MESSAGE,
        Text("Profilen er ændringen i mængde (fx uger på ydelse) pr. succesfuld deltager i profilår 1, 2, … efter afsluttet forløb."),
        Text("Nettosuccesrate = succesrate − dødvægt (eller kontrolgruppens succesrate). Frafald: (1 − frafald)^(k − 1) i profilår k."),
        Text("Rækker mærket »ved 100 % nettosuccesrate« regner, som om alle deltagere lykkes; ganges med nettosuccesraten."),
        Text("Scenarier med lav og høj succesrate pr. effekt står på arket Følsomhed; en tom celle der regnes som basis."),
        print_warning("ef_udskrift"),
    ]
    if any(d.spare_effect(e) for e in range(1, d.effects + 1)):
        blocks.append(Text(SPARE_FOLDED.format(what="En ledig effekt", it="den", shown="en vist effekt")))
    folded: list[int] = []
    for e in range(1, d.effects + 1):
        effect = effect_blocks(e, d)
        if d.spare_effect(e):  # all but its heading: an empty slot kept for typing, not printed (Sheet.folded)
            folded += range(len(blocks) + 1, len(blocks) + len(effect))
        blocks += effect
    # One formula per effect's column, not CHOOSE over the effects: spreadsheets cap a function's arguments
    # (LibreOffice gives #VALUE! for CHOOSE over more than 30 effect slots).
    pick = lambda s: tuple("=" + effect_ref(e, s) for e in range(1, d.effects + 1))  # noqa: E731
    blocks.append(Table("effektoversigt", tuple(f"Effekt {e}" for e in range(1, d.effects + 1)), (
        Formulas("eo_id", "Id", pick("id")),
        Formulas("eo_netto", "Nettosuccesrate", pick("netto"), st.PERCENT),
        Formulas("eo_doedvaegt", "Dødvægt", pick("doedvaegt"), st.PERCENT),
        Formulas("eo_antal", "Deltagere i alt (antal personer)", pick("antal"), st.INTEGER),
        Formulas("eo_b_betaler", "Betalers besparelse i alt ved 100 % nettosuccesrate", pick("b_betaler"), st.KR),
        Formulas("eo_besparelse", "Betalers besparelse i alt",
                 tuple("=" + payer_pick(effect_cell(e, "bespar_sum_")) for e in range(1, d.effects + 1)), st.KR),
        Formulas("eo_retning", "Profilens retning (1 gevinst: optimismefradrag, −1 merudgift: intet fradrag)",
                 tuple("=" + direction(e) for e in range(1, d.effects + 1)), st.INTEGER),
    ), title="Oversigt"))  # fmt: skip
    sums = []
    for e in range(1, d.effects + 1):
        sums += [Formula(effect_cell(e, "bespar_sum_" + a), f"Effekt {e}: besparelse {a} i alt (kr.)", f"=SUM({effect_ref(e, 'bespar_' + a)})", st.KR) for a in AUTHORITIES]
    blocks += [Blank(), Heading("Besparelser i alt pr. effekt og myndighed"), *sums]
    return Sheet("Effekter", tuple(blocks), title="Effekter", widths={"A": 68}, folded=tuple(folded))


FORMATS = {"kr": st.KR, "decimal": st.DECIMAL, "percent": st.PERCENT, "integer": None, "text": None}
"""Number format of each unit a rule's cells use (:class:`udfs.core.rules.Cell`)."""


def local(m: int, template: str) -> str:
    """A rule's formula template for metric ``m``: its own cells ``{@name}`` become ``{bm<m>_name}``."""
    return template.replace("{@", "{" + metric_prefix(m))


def share_choice(m: int) -> tuple[str, str]:
    """The choice under which metric ``m``'s measured values (and thresholds, targets) are shares: its cell *Måles som*
    holds »andel« (:attr:`workbooks.layout.Input.share_if`)."""
    return metric_cell(m, "maal"), "andel"


def as_share(m: int) -> str:
    """:func:`share_choice` as a formula condition: ``{bm1_maal}="andel"``."""
    name, word = share_choice(m)
    return f'{ref(name)}="{word}"'


def rule_input(m: int, cell: Cell, per_outcome: bool = False) -> Input:
    """The workbook input of one of a rule's cells for metric ``m`` (a measured quantity is shown as per cent
    when the metric is measured as a share)."""
    kind = cell.unit if cell.unit in ("text", "integer") else "number"
    check = None
    if cell.low is not None or cell.high is not None:
        check = (Validation.whole if kind == "integer" else Validation.between)(cell.low, cell.high)
    share = share_choice(m) if cell.in_metric_unit and not per_outcome else None  # as Rule.measured_cells
    return Input(metric_cell(m, cell.name), cell.label, kind=kind, number_format=FORMATS[cell.unit], validation=check,
                 required=cell.required, share_if=share)  # fmt: skip


def metric_blocks(m: int, code: int, steps: int, d: Dims) -> list:
    """Metric ``m``'s cells: what is measured and when, the rule's own cells (from its class), its payment."""
    rule = by_code(code)
    p = metric_prefix(m)
    n = lambda s: "{" + p + s + "}"  # noqa: E731
    blocks = [
        Heading(f"Resultatmål {m}" + (SPARE_METRIC_MARK.format(rule=rule_name(rule)) if d.spare_metric(m) else "")),
        Input(p + "id", "Id (kort navn uden mellemrum)", kind="text", key=True),
        Input(p + "navn", "Navn", kind="text"),
        Input(p + "enhed", "Enhed", kind="text"),
        Input(p + "datakilde", "Datakilde", kind="text"),
        Input(p + "maaletidspunkt", "Måletidspunkt", kind="text"),
        Input(p + "aar", "År for måling og betaling", kind="integer", validation=Validation.whole(0, d.years - 1)),
        Input(p + "maaned", "Måned for målingen efter start (valgfri)", kind="integer", validation=Validation.whole(0, 12 * d.years),
              required=False, help="Fx 12, 18, 24, 36 eller 48; falder i år HELTAL(måned/12), som skal være året ovenfor"),
        *([Input(p + "til_aar", "Betales hvert år til og med år (tom = én betaling)", kind="integer",
                 validation=Validation.whole(0, d.years - 1), required=False,
                 help="Årlig betaling på årets besparelse, fra året ovenfor til og med dette år")] if m in d.yearly else []),
        Input(p + "loft", "Loft for resultatmålet (kr.)", number_format=st.KR, validation=Validation.between(0), required=False),
        Input(p + "antagelse", "Antagelse", kind="text", required=False),
        Data(p + "regeltype", "Betalingsregel", (rule.LABEL,)),
    ]
    how = ("antal", "andel", "besparelse")
    if not rule.PER_OUTCOME:
        blocks += [
            Input(p + "effekt", "Måles på effekt (id)", kind="text", validation=Validation.from_range("eo_id"), required=False),
            Input(p + "maal", "Måles som", kind="text", validation=Validation.one_of(*how)),
            Input(p + "faktor", "Faktor på den målte værdi", number_format=st.DECIMAL, validation=Validation.between(0),
                  default=1, help="Målt værdi = faktor × antal, andel eller besparelse; 1 = som den er, "
                                  "fx 15 for uger pr. deltager ved fuld nettosucces"),
        ]
    blocks += [rule_input(m, c, rule.PER_OUTCOME) for c in rule.CELLS if not c.step]
    if rule.STEPS:
        name, column, title = rule.STEPS
        items = [rule_input(m, c, rule.PER_OUTCOME) for c in rule.CELLS if c.step]
        if rule.PER_OUTCOME:  # each outcome is measured on its own
            counted = if_used(m, f'IF({at(p + "udfald_effekt")}="","",MAX(0,'  # an empty outcome row: no outcome (not counted)
                              + measured(at(p + "udfald_effekt"), at(p + "udfald_maal"), "{eo_netto}", "{eo_besparelse}") + "))")
            items += [
                Input(p + "udfald_effekt", "Måles på effekt (id)", kind="text", validation=Validation.from_range("eo_id")),
                Input(p + "udfald_maal", "Måles som", kind="text", validation=Validation.one_of(*how[:2])),
                Formula(p + "udfald_opnaaet", "Opnået (beregnet, mindst 0)", "=" + counted, st.DECIMAL,
                        percent_when=f'{at(p + "udfald_maal")}="andel"'),
            ]
        blocks.insert(len(blocks) - len([c for c in rule.CELLS if not c.step]), Table(
            p + name, tuple(f"{column} {k + 1}" for k in range(steps)), tuple(items), title=title))  # fmt: skip
    blocks += [Formula(p + f.name, f.label, "=" + local(m, f.template), FORMATS[f.unit]) for f in rule.FORMULAS]
    if rule.PER_OUTCOME:
        x = local(m, rule.excel_measure([at(p + "udfald_opnaaet", k) for k in range(steps)]))
        blocks.append(Formula(p + "opnaaet", "Betaling før lofter (antal × pris)", "=" + if_used(m, x), st.KR))
    else:
        blocks.append(Formula(p + "opnaaet", "Opnået (beregnet)",
                              "=" + if_used(m, measured(n("effekt"), n("maal"), "{eo_netto}", "{eo_besparelse}") + "*" + n("faktor")),
                              st.DECIMAL, percent_when=as_share(m)))
    blocks += [
        Formula(p + "regelbetaling", "Betaling efter reglen", "=" + if_used(m, rule_formula(m, code, n("opnaaet"))), st.KR),
        Formula(p + "beregnet", "Betaling efter loft" + (" (årlig: summen over årene)" if m in d.yearly else ""),
                "=" + if_used(m, yearly_sum(m, d, f'IF({n("loft")}="",{n("regelbetaling")},MIN({n("loft")},{n("regelbetaling")}))')),
                st.KR),
        Blank(),
    ]
    return blocks


def measured(effect: str, how: str, net_rates: str, savings: str, counts: str = "{eo_antal}") -> str:
    """What a metric measures (``how``): the net rate, the number of net successes, or the payer's savings."""
    k = f"MATCH({effect},{{eo_id}},0)"
    return (f'IF({how}="besparelse",IF({effect}="",SUM({savings}),INDEX({savings},1,{k})),'
            f'INDEX({net_rates},1,{k})*IF({how}="antal",INDEX({counts},1,{k}),1))')  # fmt: skip


def rule_formula(m: int, code: int, x: str) -> str:
    """The payment of metric ``m``'s rule (:meth:`udfs.core.rules.Rule.excel`) at the measured value ``x``."""
    return local(m, by_code(code).excel()).replace("{x}", x)


def yearly_sum(m: int, d: Dims, once: str) -> str:
    """Metric ``m``'s payment: ``once`` (one payment), or for a slot built paid every year (``til_aar``,
    :attr:`Dims.yearly`) the sum of its yearly row."""
    return f'IF({metric_ref(m, "til_aar")}="",{once},SUM({metric_ref(m, "aarlig")}))' if m in d.yearly else once


def yearly_rows(m: int, code: int, d: Dims) -> list:
    """A savings rule's rows by year (:meth:`udfs.core.payment.OutcomeMetric.yearly`): the measured savings
    counted from 0 each year and cumulated, and the payment of each year from ``aar`` to ``til_aar`` — the
    capped rule on the cumulative savings less the same the year before (year ``aar`` pays all so far)."""
    n = lambda s: metric_ref(m, s)  # noqa: E731
    year = " + ".join(f'IF(OR({n("effekt")}="",{n("effekt")}={effect_ref(e, "id")}),{effect_ref(e, "netto")}*{at(effect_cell(e, "enhed_betaler"))},0)'
                      for e in range(1, d.effects + 1)) or "0"  # fmt: skip
    measured = f"MAX(0,{n('faktor')}*({year}))"

    def paid(x: str) -> str:
        rule = rule_formula(m, code, x)
        return f'IF({n("loft")}="",{rule},MIN({n("loft")},{rule}))'

    used = f'OR({n("id")}="",{n("til_aar")}="",{{i}}<{n("aar")},{{i}}>{n("til_aar")})'
    kum = at(metric_cell(m, "besp_kum"))
    before = at(metric_cell(m, "besp_kum"), "i-1")
    return [
        Formula(metric_cell(m, "besp_kum"), f"Resultatmål {m}: målt besparelse, kumuleret",
                f"={before}+{measured}", st.KR, first=f"={measured}"),
        Formula(metric_cell(m, "aarlig"), f"Resultatmål {m}: årlig betaling",
                f"=IF({used},0,{paid(kum)}-IF({{i}}={n('aar')},0,{paid(before)}))", st.KR,
                first=f"=IF({used},0,{paid(kum)})"),
    ]


def payments_after_horizon(d: Dims) -> str:
    """Every outcome metric paid in a year after the horizon (a payment no sum counts), one sentence each, or empty."""
    last = '"&({horisont}-1)&"'
    out = [f'IF(AND(ISNUMBER({metric_ref(m, "aar")}),{metric_ref(m, "aar")}>={{horisont}}),"Resultatmål {m} betales i år "&{metric_ref(m, "aar")}'
           f'&", efter horisonten (år 0–{last}): betalingen er ikke med. ","")' for m in range(1, len(d.metrics) + 1)]
    return "=" + ("TRIM(" + "&".join(out) + ")" if out else '""')


PAYERS_USED = 'COUNT({bt_fast})+COUNTIF({bt_besparelse},"ja")'
"""How many payers the table ``betalere`` names (a fixed share, a fund's share looked up, or »ja«); 0: the betaler
on Forudsætninger pays all."""
_FUND_COLUMN = OUTCOME_PAYERS.index(FUND)


def fund_share(k: int | str) -> str:
    """The share of the fund whose id is typed in column ``k`` of the payer table, looked up on the sheet
    Resultatfonde (``#N/A`` for an id not there)."""
    return f"INDEX({{rf_andel}},MATCH({{bt_fond[{k}]}},{{rf_id}},0))"


def payer_warnings() -> str:
    """A red text naming each payer-table entry the core refuses (extract and check refuse them too), "" when none:
    an unknown fund id, a fund id for an authority, »ja« for the fund, a fixed share beside »ja«, and a fixed share
    beside a fund's id that differs from the fund's share on Resultatfonde."""
    parts = []
    for k, who in enumerate(OUTCOME_PAYERS):
        word = PARTY_WORDS[who]
        fund, share, by_savings = f"{{bt_fond[{k}]}}", f"{{bt_andel[{k}]}}", f"{{bt_besparelse[{k}]}}"
        if who == FUND:
            parts.append(f'IF(AND({fund}<>"",ISNA(MATCH({fund},{{rf_id}},0))),"Resultatfonden \'"&{fund}&"\' findes ikke på arket '
                         f'{FUNDS_SHEET}. ","")')
            parts.append(f'IF({by_savings}="ja","{word}: en fond har ingen besparelser; »ja« kan kun bruges af kommune, region og stat. ","")')
            parts.append(f'IF(AND({fund}<>"",ISNUMBER({share})),IF(IFERROR(ABS({share}-{fund_share(k)})>1E-12,FALSE),'
                         f'"{word}: fondens andel står på arket {FUNDS_SHEET}; tøm den faste andel. ",""),"")')
        else:
            parts.append(f'IF({fund}<>"","{word}: kun {PARTY_WORDS[FUND].lower()} kan have en resultatfonds id. ","")')
            parts.append(f'IF(AND(ISNUMBER({share}),{by_savings}="ja"),"{word}: angiv enten en fast andel eller »ja«, ikke begge. ","")')
    return '=TRIM(' + "&".join(parts) + ')'


def payer_blocks() -> list:
    """The table of outcome payers (case file: ``betalingsmodel.betalere``), one row per possible payer: a fixed
    share, a share after where the savings fall (ja), or a central outcomes fund's id, whose share the row
    ``bt_fast`` looks up on the sheet Resultatfonde (data from ``udfs/data/resultatfonde.csv``).  An empty table:
    the betaler on Forudsætninger pays all.  Each year's shares: the rows ``r_andel_<betaler>`` on Resultat."""
    used = PAYERS_USED
    fixed = share_words_excel("SUM({bt_fast})")
    check = (f'=IF({used}=0,"Ingen betalere udfyldt: betaleren på Forudsætninger betaler alt.",'
             f'IF(COUNTIF({{bt_besparelse}},"ja")>0,IF(SUM({{bt_fast}})>=1,"Fejl: de faste andele summerer til "&{fixed}&'
             f'"; der skal være en rest til betalerne efter besparelse.","Faste andele "&{fixed}&"; resten deles efter besparelserne."),'
             f'IF(ABS(SUM({{bt_fast}})-1)>1E-9,"Fejl: andelene summerer til "&{fixed}&"; de skal summe til 100 %.",'
             '"Andelene summerer til 100 %.")))')  # fmt: skip
    in_use = (f'=IF({{bt_fond[i]}}<>"",IFERROR({fund_share("i")},""),IF(ISNUMBER({{bt_andel[i]}}),{{bt_andel[i]}},""))')
    return [
        Heading("Hvem betaler resultatbetalingerne"),
        Text("Udfyld én række pr. betaler: en fast andel af hver betaling, »ja« for en andel efter hvor besparelserne"),
        Text("falder (resten efter de faste andele, delt efter hver betalers besparelse det år), eller en central"),
        Text(f"resultatfonds id fra arket {FUNDS_SHEET} (fondens andel hentes derfra). Tom tabel: betaleren"),
        Text("på Forudsætninger betaler alt."),
        Table("betalere", tuple(PARTY_WORDS[p] for p in OUTCOME_PAYERS), (
            Input("bt_andel", "Fast andel af hver betaling", number_format=st.PERCENT, validation=SHARE, required=False),
            Input("bt_besparelse", "Andel efter besparelse (ja/nej)", kind="text", validation=Validation.one_of("ja", "nej"),
                  required=False),
            Input("bt_fond", "Resultatfond (id)", kind="text", required=False, key=True),
            Formula("bt_fast", f"Fast andel i brug (fond: fra {FUNDS_SHEET})", in_use, st.PERCENT),
        ), orientation="columns", title="Betaler"),
        Formula("bt_kontrol", "Kontrol af andelene", check),
        Formula("bt_advarsel", "Advarsel: betalere", payer_warnings(), role="warning", text_length=240),
    ]  # fmt: skip


def payer_values(case: Case) -> dict[str, list]:
    """The payer table's cells (:func:`payer_blocks`) for a case's ``betalingsmodel.betalere``: a fund by its id
    alone (its share is looked up on the sheet Resultatfonde, as when a user types the id)."""
    rows = {p.betaler: p for p in (case.betalingsmodel.betalere or [])} if case.betalingsmodel else {}
    return {
        "bt_andel": [rows[p].fixed() if p in rows and rows[p].fond is None else None for p in OUTCOME_PAYERS],
        "bt_besparelse": ["ja" if p in rows and rows[p].fixed() is None else None for p in OUTCOME_PAYERS],
        "bt_fond": [rows[p].fond if p in rows else None for p in OUTCOME_PAYERS],
    }


def payer_data(values: dict[str, Any], errors: list[SIError]) -> list[dict[str, Any]] | None:
    """The case's ``betalingsmodel.betalere`` from the payer table (None when it is empty); a row with both a
    fixed share and »ja«, or a fund whose share differs from the data file's, is refused naming its cell
    (appended to ``errors``; the row is read as its fund, or its share after savings)."""
    out = []
    for k, _ in payer_rows(values):
        who = OUTCOME_PAYERS[k]
        share, by_savings, fund = _payer_cells(values, k)
        if fund:
            known = outcome_funds().get(str(fund))
            if known is not None and share is not None and abs(share - known.andel) > 1e-12:
                errors.append(_at_cell("bt_andel", k, f"fonden '{fund}' har andelen {share_words(known.andel)} i resultatfonde.csv; "
                                                      "tøm andelen eller fondens id"))  # fmt: skip
            out.append({"betaler": who, "fond": str(fund)})
        elif by_savings == "ja":
            if share is not None:
                errors.append(_at_cell("bt_andel", k, "angiv enten en fast andel eller »ja« til andel efter besparelse, ikke begge"))
            out.append({"betaler": who, "andel": "besparelse"})
        else:
            out.append({"betaler": who, "andel": share})
    return out or None


def _payer_cells(values: dict[str, Any], k: int) -> tuple[Any, Any, Any]:
    """Column ``k`` of the payer table: the fixed share, »ja« (share after savings) and the fund's id."""
    return tuple(values.get(name, [None] * len(OUTCOME_PAYERS))[k] for name in ("bt_andel", "bt_besparelse", "bt_fond"))


def payer_rows(values: dict[str, Any]) -> list[tuple[int, dict[str, str]]]:
    """The column (0-based) of the payer table of each of :func:`payer_data`'s payers, and the cell of each field
    (``andel``: the fixed share, or »ja« where the share follows the savings; ``fond``: the fund's id)."""
    out = []
    for k in range(len(OUTCOME_PAYERS)):
        share, by_savings, fund = _payer_cells(values, k)
        if fund or by_savings == "ja" or share is not None:
            andel = "bt_besparelse" if by_savings == "ja" and not fund else "bt_andel"
            out.append((k, {"andel": andel, "betaler": andel, "fond": "bt_fond"}))
    return out


def sheet_payment_model(d: Dims) -> Sheet:
    blocks: list = [
        Text("Resultatmål, betalingsregler og lofter. Investeringen er omkostningerne med betaler »investor« på arket Indsats."),
        Formula("bm_efter_horisont", "Advarsel: betaling efter horisonten", payments_after_horizon(d), role="warning"),
        Input("loft_kontrakt", "Loft for hele kontrakten (kr.)", number_format=st.KR, validation=Validation.between(0), required=False),
        *return_limit_blocks(),
        print_warning("bm_udskrift"),
        *payer_blocks(),
        Blank(),
    ]
    if not d.metrics or d.used_metrics == 0:
        blocks.append(Text("Casen har ingen betalingsmodel: der er ingen resultatbetalinger."))
    if any(d.spare_metric(m) for m in range(1, len(d.metrics) + 1)):
        blocks += [Text("De ledige resultatmål nedenfor har hver sin betalingsregel: vælg reglen ved at udfylde id"),
                   Text("i det ledige resultatmål med den regel. En tom række i en trappe eller et ratekort indgår ikke."),
                   Text("Et ledigt resultatmål er foldet sammen under sin overskrift og udskrives ikke: klik + i venstre"),
                   Text("margen ud for overskriften for at vise og udfylde det; et vist resultatmål udskrives.")]
    folded: list[int] = []
    for m, (code, steps) in enumerate(d.metrics, start=1):
        metric = metric_blocks(m, code, steps, d)
        if d.spare_metric(m):  # all but its heading: empty slots kept for typing, not printed (Sheet.folded)
            folded += range(len(blocks) + 1, len(blocks) + len(metric))
        blocks += metric
    yearly = d.yearly
    once = lambda m: metric_ref(m, "til_aar") + '="",' if m in yearly else ""  # noqa: E731
    gross = "=" + total([f'IF(AND({metric_ref(m, "id")}<>"",{once(m)}{metric_ref(m, "aar")}={{i}}),{metric_ref(m, "beregnet")},0)'
                         + ("+" + ref(metric_cell(m, "aarlig") + "[i]") if m in yearly else "") for m in range(1, len(d.metrics) + 1)]) + "*{i_horisont[i]}"
    def cut(level: str) -> str:  # year i's cut when the payments' total is capped at ``level`` (udfs.core.payment.cap_latest_first)
        excess = f'IF({level}="",0,MAX(0,SUM({{bet_brutto}})-{level}))'
        return f"MIN({{bet_brutto[i]}},MAX(0,{excess}-(SUM({{bet_brutto}})-{{bet_kum[i]}})))"

    after_caps = "SUM({bet_brutto})-SUM({bet_skaeres})-SUM({bet_skaeres_afkast})"
    blocks.append(Table("betalingstabel", years(d), (
        *[row for m in yearly for row in yearly_rows(m, d.metrics[m - 1][0], d)],
        Formula("bet_brutto", "Betalinger før lofter og gulv", gross, st.KR),
        Formula("bet_kum", "Kumuleret", "={bet_kum[i-1]}+{bet_brutto[i]}", st.KR, first="={bet_brutto[0]}"),
        Formula("bet_skaeres", "Skæres af kontraktloftet (seneste år først)", "=" + cut("{loft_kontrakt}"), st.KR),
        # both caps cut the latest payments first: together they cut to the lower total (cap_latest_first twice)
        Formula("bet_skaeres_afkast", "Skæres af afkastloftet (seneste år først)",
                f"={cut('{loft_samlet}')}-{{bet_skaeres[i]}}", st.KR),
        Formula("bet_gulv", "Lægges til af afkastgulvet (i afregningsåret)",
                f"=IF({{i}}={{garanti_aar}},{floor_top_up_excel('{gulv_afkast}', after_caps)},0)", st.KR),
        Formula("betalinger", "Resultatbetalinger",
                "={bet_brutto[i]}-{bet_skaeres[i]}-{bet_skaeres_afkast[i]}+{bet_gulv[i]}", st.KR),
    ), title="Pr. år", greyed=AFTER_HORIZON))  # fmt: skip
    return Sheet("Betalingsmodel", tuple(blocks), title="Betalingsmodel", widths={"A": 40}, folded=tuple(folded))


RETURN_LIMIT_HELP = {
    "afkastloft": "Investors samlede afkast højst. Tom: intet afkastloft. Fx 30 %: investor får højst investeringen + 30 % "
                  "i alt; det, betalingerne er over, skæres af de seneste år først. Betalingerne i alt højst er det "
                  "laveste af kontraktloftet og afkastloftets grænse",
    "afkastgulv": "Investors samlede afkast mindst. Tom: intet afkastgulv. Fx -25 %: investor taber højst 25 % af "
                  "investeringen; det, betalingerne mangler, lægges til i kontraktens afregningsår (garantens betalingsår)",
}


def return_limit_blocks() -> list:
    """The investor's return cap and floor (``afkastloft``, ``afkastgulv``: shares of the investment, −1 to
    :data:`~udfs.core.case_model.MAX_RETURN_SHARE`) and the totals they set, by their Excel forms
    (:func:`udfs.core.settlement.return_limit_excel`): ``loft_samlet`` is the lower of the contract's cap and the
    return cap's total, the one total the latest payments are cut to; a floor above the cap is said in red (the case
    file refuses it, :func:`udfs.core.settlement.check_return_limits`)."""
    limit = Validation.between(-1, MAX_RETURN_SHARE)
    both = 'IF({loft_kontrakt}="",{loft_afkast},IF({loft_afkast}="",{loft_kontrakt},MIN({loft_kontrakt},{loft_afkast})))'
    return [
        Input("afkastloft", f"Afkastloft ({RETURN_UNIT})", number_format=st.PERCENT, validation=limit,
              required=False, help=RETURN_LIMIT_HELP["afkastloft"]),
        Input("afkastgulv", f"Afkastgulv ({RETURN_UNIT})", number_format=st.PERCENT, validation=limit,
              required=False, help=RETURN_LIMIT_HELP["afkastgulv"]),
        Formula("bm_afkast_advarsel", "Advarsel: afkastloft og afkastgulv",
                f'=IF(AND(ISNUMBER({{afkastloft}}),ISNUMBER({{afkastgulv}})),IF({{afkastgulv}}>{{afkastloft}},'
                f'"Afkastgulvet er større end afkastloftet: sæt gulvet ned eller loftet op",""),"")', role="warning"),
        Formula("loft_afkast", "Afkastloftets grænse (kr. i alt)",
                "=" + return_limit_excel("{investering}", "{afkastloft}"), st.KR),
        Formula("loft_samlet", "Betalingerne i alt højst (kr.)",
                "=" + both, st.KR),
        Formula("gulv_afkast", "Afkastgulvets grænse (kr. i alt)",
                "=" + return_limit_excel("{investering}", "{afkastgulv}"), st.KR),
    ]  # fmt: skip


def irr_formula(flows: str) -> str:
    """Excel's IRR of ``flows`` from each of :data:`~udfs.core.settlement.WORKBOOK_GUESSES` in turn.

    A guess that gives ``#NUM!`` or a rate not above −1 (no rate of return)
    passes to the next; after the last the cell shows :data:`~udfs.core.vocabulary.UNDEFINED`.  The
    core's :func:`~udfs.core.settlement.workbook_irr` gives the same value.
    """
    out = excel_string(UNDEFINED)
    for guess in reversed(WORKBOOK_GUESSES):
        irr = f"IRR({flows},{guess:g})"
        out = f"IFERROR(IF({irr}>-1,{irr},NA()),{out})"
    return "=" + out


RESULT_TOTALS = (
    "r_deltagere", *(f"r_omk_{p}" for p in PAYERS), *(f"r_bes_{a}" for a in AUTHORITIES), "r_betalinger",
    "r_bes_betaler", "r_omk_betaler", "r_netto_betaler", "r_netto_offentlig", "r_nv_betaler", "r_nv_offentlig", "r_investor",
    *(f"r_betal_{p}" for p in OUTCOME_PAYERS), "r_betal_betaler", *(f"r_netto_{a}" for a in AUTHORITIES), f"r_netto_{FUND}",
)
"""The Resultat rows that get an "I alt" cell (``<row>_i_alt``, the sum over the horizon): flows, not levels."""


def yearly_row(item: LineItem, d: Dims) -> Formula:
    """A yearly line's Resultat row from its one definition (:data:`udfs.core.lineitems.YEARLY_LINES`): its
    template, with ``{eff*_…[i]}`` summed over the workbook's effect slots."""

    def effects(template: str) -> str:
        return re.sub(r"\{eff\*(_[a-z_]+\[i\])\}", lambda m: total([ref(effect_cell(e, m.group(1)[1:])) for e in range(1, d.effects + 1)]), template)

    return Formula(item.name, item.label, effects(item.excel), st.UNIT_FORMATS[item.unit], first=item.first and effects(item.first))


def public_guarantee_formula(authority: str) -> str:
    """Year i's payment of a public guarantor that is ``authority`` (Forudsætninger's *Myndighed bag garanten*):
    the guarantee's payment to the investor that year (the yearly line ``r_garanti``: in the settlement year ``garanti_aar``) when ``authority`` stands behind
    it, else 0 (:func:`udfs.core.guarantee.public_guarantee`; the core's :attr:`udfs.core.engine.Result.public_guarantee`).
    The authority's net, the payer's net and the public net by year count it."""
    return f'=IF({{garanti_myndighed}}="{authority}",{{r_garanti[i]}},0)'


def payer_share_formula(who: str) -> str:
    """Year i's share of the outcome payments paid by ``who`` (:func:`udfs.core.payers.payer_shares`): with no
    payer in the table ``betalere`` the case's betaler pays all; a fixed share as typed, a fund's as looked up on
    Resultatfonde (the row ``bt_fast``); a share by savings is
    the rest (1 − the fixed shares) × its savings that year (≤ 0 counts 0) / the savings of all paying by savings,
    split equally when none of them saves."""
    k = OUTCOME_PAYERS.index(who)
    by_savings = 'COUNTIF({bt_besparelse},"ja")'
    used = PAYERS_USED
    if who not in AUTHORITIES:
        return f'=IF({used}=0,0,N({{bt_fast[{k}]}}))'
    weights = "+".join(f'IF({{bt_besparelse[{j}]}}="ja",MAX(0,{{r_bes_{a}[i]}}),0)' for j, a in enumerate(AUTHORITIES))
    split = f"IF({weights}>0,MAX(0,{{r_bes_{who}[i]}})/({weights}),1/{by_savings})"
    return (f'=IF({used}=0,IF({{betaler}}={excel_string(who)},1,0),IF({{bt_besparelse[{k}]}}="ja",(1-SUM({{bt_fast}}))*{split},'
            f"N({{bt_fast[{k}]}})))")


def sheet_results(d: Dims) -> Sheet:
    last = d.years - 1
    helpers = {  # rows that are not lines of the year-by-year table, laid out before the line they serve
        f"r_betal_{OUTCOME_PAYERS[0]}": [Formula(f"r_andel_{p}", f"Andel af resultatbetalinger {PARTY_WORDS[p].lower()}",
                                                 payer_share_formula(p), st.PERCENT) for p in OUTCOME_PAYERS],
        "r_netto_betaler": [
            *(Formula(f"r_garanti_{a}", f"Offentlig garanti betalt af {a}", public_guarantee_formula(a), st.KR) for a in AUTHORITIES),
            Formula("r_bes_betaler", "Besparelse hos betaler", "=" + payer_pick("r_bes_", "[i]"), st.KR),
            Formula("r_omk_betaler", "Omkostninger hos betaler", "=" + payer_pick("r_omk_", "[i]"), st.KR),
            Formula("r_betal_betaler", "Resultatbetalinger fra betaler", "=" + payer_pick("r_betal_", "[i]"), st.KR),
            Formula("r_andel_betaler", "Betalers andel af resultatbetalingerne", "=" + payer_pick("r_andel_", "[i]"), st.PERCENT),
            Formula("r_garanti_betaler", "Offentlig garanti betalt af betaler", "=" + payer_pick("r_garanti_", "[i]"), st.KR),
        ],
        "r_investor": [
            Formula("r_investor_kontrakt", f"{INVESTOR_BEFORE_GUARANTEE} (betalinger − investering)",
                    "={r_betalinger[i]}-{r_omk_investor[i]}", st.KR),
        ],
    }
    rows = tuple(row for item in YEARLY_LINES for row in (*helpers.get(item.name, ()), yearly_row(item, d))) + (
        Formula("r_flag_betaler", "Betaler: kumuleret ≥ 0 herfra", f"=IF(MIN({{r_kum_betaler[i]}}:{{r_kum_betaler[{last}]}})>=0,1,0)", st.INTEGER),
        Formula("r_flag_offentlig", "Offentlig: kumuleret ≥ 0 herfra", f"=IF(MIN({{r_kum_offentlig[i]}}:{{r_kum_offentlig[{last}]}})>=0,1,0)", st.INTEGER),
    )  # fmt: skip
    # never out of pocket (the cumulative net never below 0: businesscase.no_outlay): nothing to pay back
    outlay = lambda who: f'IF(MIN({{r_kum_{who}}})>=0,{excel_string(NO_OUTLAY)},'  # noqa: E731
    payback = lambda who: f'={outlay(who)}IF(MAX({{r_flag_{who}}})=0,{excel_string(NOT_WITHIN)},MATCH(1,{{r_flag_{who}}},0)))'  # noqa: E731
    paid_in = lambda who: (f'={outlay(who)}IF(MAX({{r_flag_{who}}})=0,{excel_string(NOT_WITHIN)},'  # noqa: E731
                           f'IF({{startaar}}="",{excel_string(NO_START_YEAR)},{{startaar}}+MATCH(1,{{r_flag_{who}}},0)-1)))')
    return Sheet("Resultat", (
        PRICE_MESSAGE,
        Table("resultat", years(d), rows, title="Kr. pr. år", labels_name="r_aar_overskrift", totals=RESULT_TOTALS,
              greyed=AFTER_HORIZON),
        print_warning("r_udskrift", hidden_years_warning(d)), Heading("Nøgletal"),
        Formula("nv_betaler", "Nutidsværdi netto betaler", "=SUM({r_nv_betaler})", st.KR),
        Formula("nv_offentlig", "Nutidsværdi netto offentlig", "=SUM({r_nv_offentlig})", st.KR),
        *risk_pool_cells(),
        *present_value_parts(),
        *after_horizon_cells(d),
        Formula("nv_visning", "Nutidsværdi i casens visning", '=IF({visning}="kommune",{nv_betaler},{nv_offentlig})', st.KR),
        Formula("tilbage_betaler", "Tilbagebetalingstid betaler (antal år fra start)", payback("betaler"), st.INTEGER),
        Formula("tilbage_betaler_aar", "Tilbagebetalt i kalenderår betaler", paid_in("betaler"), st.YEAR),
        Formula("tilbage_offentlig", "Tilbagebetalingstid offentlig (antal år fra start)", payback("offentlig"), st.INTEGER),
        Formula("tilbage_offentlig_aar", "Tilbagebetalt i kalenderår offentlig", paid_in("offentlig"), st.YEAR),
        Formula("bcr_betaler", "Benefit-cost-ratio betaler",
                f'=IF({PAYER_SPENT_PV}=0,{excel_string(UNDEFINED)},SUMPRODUCT({{r_bes_betaler}},{{r_df}})/({PAYER_SPENT_PV}))', st.DECIMAL),
        Formula("roi_betaler", "Afkast (ROI) betaler", f'=IF(ISNUMBER({{bcr_betaler}}),{{bcr_betaler}}-1,{excel_string(UNDEFINED)})', st.PERCENT),
        Formula("investering", ITEMS["investering"].label, "=SUM({r_omk_investor})", st.KR),
        Formula("betalinger_i_alt", ITEMS["betalinger_i_alt"].label, "=SUM({r_betalinger})", st.KR),
        Formula("bonus", "Investors bonus", "={betalinger_i_alt}-{investering}", st.KR),
        Formula("afkast", ITEMS["afkast"].label, f'=IF({{investering}}=0,{excel_string(UNDEFINED)},{{bonus}}/{{investering}})', st.PERCENT),
        Formula("pengemultiplikator", "Pengemultiplikator", f'=IF({{investering}}=0,{excel_string(UNDEFINED)},{{betalinger_i_alt}}/{{investering}})', st.DECIMAL),
        Formula("investor_irr", f"{IRR_LABEL}, med flere gæt om nødvendigt",
                irr_formula("{r_investor_kontrakt}"), st.PERCENT),
        Text("Skifter investors pengestrøm fortegn mere end én gang, kan den have flere interne renter; "
             "cellen viser den, Excels IRR finder. SI_NOEGLETAL og sibc calc viser dem alle."),
        *investor_block(d),
        Blank(),
        Chart("Besparelser pr. år og myndighed", ("r_bes_kommune", "r_bes_region", "r_bes_stat"), "r_aar_overskrift", kind="bar",
              y_title="kr.", over_years=True),
        Chart("Betalerens nettoresultat lagt sammen år for år", ("r_kum_betaler",), "r_aar_overskrift", kind="line", y_title="kr.", over_years=True),
    ), title="Resultat", freeze="resultat", widths={"A": 58})  # fmt: skip


GUARANTEE_CELLS = {"garant": "garant", "myndighed": "garanti_myndighed", "beloeb": "garanti_beloeb", "andel": "garanti_andel"}
"""The case file's ``garanti`` fields → the input cells on Forudsætninger."""


SHARE_LABEL = "Garantiens dækning som andel af investeringen (%)"
"""The label of the guarantee's share (of the investor's cost lines as entered, without the optimism mark-up)."""


def guarantee_inputs() -> list:
    """The guarantor (not the payer), the public body behind it (``garanti.myndighed``, right under the name) and
    its cover of the investor's principal: an amount or a share."""
    return [
        Input("garant", "Garant for investors hovedstol (navn)", kind="text", required=False,
              help="Tom: ingen garanti. En fond eller en myndighed (cellen nedenfor), også betaleren; ikke investoren. Betaler ved "
                   "kontraktens udløb det, betalingerne mangler i at dække investeringen, højst dækningen"),
        Input("garanti_myndighed", "Myndighed bag garanten", kind="text", validation=Validation.words(GUARANTOR_WORDS),
              required=False, help="Påkrævet med en garant. Kommune, region eller stat: garantens betaling er en udgift i "
                                   "myndighedens og den offentlige sektors netto. Ingen: en privat garant, fx en fond"),
        Input("garanti_beloeb", "Garantiens dækning (kr.)", number_format=st.KR, validation=Validation.between(0), required=False,
              help="Udfyld enten beløbet eller andelen"),
        Input("garanti_andel", SHARE_LABEL, number_format=st.PERCENT, validation=SHARE, required=False,
              help="Udfyld enten beløbet eller andelen. Andelen er af investeringen (investors omkostninger, uden optimismetillæg)"),
    ]  # fmt: skip


def guarantee_values(case: Case) -> dict[str, Any]:
    """The input cells of :func:`guarantee_inputs` from the case's ``garanti`` (all empty without one)."""
    g = case.garanti
    return {name: None if g is None else getattr(g, field) for field, name in GUARANTEE_CELLS.items()}


def settlement_year_formula(d: Dims) -> str:
    """The contract's settlement year (:attr:`udfs.core.case_model.Case.settlement_year`): the rule's Excel form
    (:func:`udfs.core.payment.settlement_year_excel`) of the horizon and every metric slot's cells of
    :data:`~udfs.core.payment.PAYMENT_YEARS` (``til_aar`` only in a slot built paid every year)."""
    years = [metric_ref(m, field) for m in range(1, len(d.metrics) + 1) for field in PAYMENT_YEARS
             if field != "til_aar" or m in d.yearly]
    return "=" + settlement_year_excel("{horisont}", years)


def investor_block(d: Dims) -> list:
    """Resultat's investor block: the guarantee's payment, the investor after it, and the largest loss.

    The investor's flow after the guarantee is the year-by-year table's line ``r_investor`` (the contract's flow
    ``r_investor_kontrakt`` plus the guarantee's payment ``r_garanti``): the IRR after the guarantee reads that row.

    The guarantor pays ``MAX(0, MIN(cover, investment − payments))`` in the contract's settlement year ``garanti_aar``
    (:func:`udfs.core.guarantee.guarantee_payment`, :attr:`udfs.core.case_model.Case.settlement_year`); the largest loss is the lowest payments − investment over
    success rates 0–100 % (the Følsomhed machinery's ``inv_laveste``), less the guarantee then
    (:func:`udfs.core.guarantee.maximum_loss`).
    """
    shortfall = "MAX(0,-{inv_laveste})"
    cover = GUARANTEE_ITEMS["garanti_daekning"].label
    return [
        Blank(), Heading("Investor og garant"),
        Formula("garanti_daekning", cover,
                '=IF(ISNUMBER({garanti_beloeb}),{garanti_beloeb},IF(ISNUMBER({garanti_andel}),{garanti_andel}*{investering},0))', st.KR),
        Formula("garanti_aar", "Garantens betalingsår (kontraktens sidste betalingsår)", settlement_year_formula(d), st.INTEGER),
        Formula("garanti_betaling", "Garantens betaling (i kontraktens afregningsår)",
                "=" + guarantee_payment_excel("{garanti_daekning}", "{investering}", "{betalinger_i_alt}"), st.KR,
                label_formula=guarantee_payment_label()),
        Formula("inv_netto_garanti", "Investors nettoresultat efter garanti", "={bonus}+{garanti_betaling}", st.KR),
        Formula("afkast_garanti", GUARANTEE_ITEMS["afkast_garanti"].label,
                f'=IF({{investering}}=0,{excel_string(UNDEFINED)},{{inv_netto_garanti}}/{{investering}})', st.PERCENT),
        Formula("investor_irr_garanti", GUARANTEE_ITEMS["investor_irr_garanti"].label, irr_formula("{r_investor}"), st.PERCENT),
        Formula("garant_netto", "Garantens nettoresultat", "=0-{garanti_betaling}", st.KR),
        Formula("loft_skaaret", INVESTOR_FIGURES["loft_skaaret"].label, "=SUM({bet_skaeres_afkast})", st.KR),
        Formula("gulv_lagt_til", f'{INVESTOR_FIGURES["gulv_lagt_til"].label} (i garantens betalingsår)', "=SUM({bet_gulv})", st.KR),
        Formula("inv_tab", "Investors største tab uden garanti (succesrate 0–100 %)", f"={shortfall}", st.KR),
        Formula("inv_tab_garanti", "Investors største tab med garanti",  # received − principal at the lowest: inv_laveste
                f"={shortfall}-" + guarantee_payment_excel("{garanti_daekning}", "0", "{inv_laveste}"), st.KR),
    ]  # fmt: skip


def present_value_parts() -> list:
    """The present values of gains and of costs (with payments) shown apart, for the payer and the public sector:
    gains − costs = the net present value above."""
    public = total([f"SUMPRODUCT({{r_omk_{a}}},{{r_df}})" for a in AUTHORITIES])
    return [
        Formula("nv_gevinst_betaler", "Nutidsværdi af gevinster betaler", "=SUMPRODUCT({r_bes_betaler},{r_df})", st.KR),
        Formula("nv_omk_betaler", "Nutidsværdi af omkostninger og betalinger betaler",
                "=" + PAYER_SPENT_PV, st.KR),
        Formula("nv_gevinst_offentlig", "Nutidsværdi af gevinster offentlig",
                "=" + "+".join(f"SUMPRODUCT({{r_bes_{a}}},{{r_df}})" for a in AUTHORITIES), st.KR),
        Formula("nv_omk_offentlig", "Nutidsværdi af omkostninger og betalinger offentlig",
                f"={public}+SUMPRODUCT({{r_betalinger}},{{r_df}})" + "".join(f"+SUMPRODUCT({{r_garanti_{a}}},{{r_df}})" for a in AUTHORITIES), st.KR),
    ]


def risk_pool_cells() -> list:
    """The risk pool (sheet Risici) beside the result: the present values net after it (Resultat's key figures)."""
    public = "".join(f"-{{risiko_{a}}}" for a in AUTHORITIES)
    return [
        Formula(None, "Risikopulje hos betaler (arket Risici)", "={risiko_betaler}", st.KR),
        Formula("nv_betaler_efter_risiko", "Nutidsværdi netto betaler efter risikopulje", "={nv_betaler}-{risiko_betaler}", st.KR),
        Formula("nv_offentlig_efter_risiko", "Nutidsværdi netto offentlig efter risikopulje", "={nv_offentlig}" + public, st.KR),
    ]


RISK_FIELDS = ("beskrivelse", "ejer", "sandsynlighed", "min", "mest_sandsynlig", "max")
"""The risk register's input columns (sheet Risici, cells ``rk_<field>``), as the case file's ``risici`` fields."""
RISK_LABELS = {"beskrivelse": "Risiko (hvad kan ske)", "ejer": "Ejer", "sandsynlighed": "Sandsynlighed",
               "min": "Konsekvens min. (kr.)", "mest_sandsynlig": "Konsekvens mest sandsynlig (kr.)", "max": "Konsekvens maks. (kr.)"}
"""The risk register's column headers, by field."""
TOP_RISKS = 5
"""Risks shown on Overblik: the largest by expected value."""


def sheet_risks(d: Dims, shown: OverviewRows | None = None) -> Sheet:
    """The risk register, as in the state's business-case model: up to 12 risks and their risk pool; the rows after
    the case's risks (``shown``, :class:`OverviewRows`) folded, none in the blank workbook (typed into).

    Expected value = probability × (min + 4 × most likely + max) / 6 (the PERT
    mean of the three-point estimate), as :func:`udfs.core.businesscase.risk_expected`.
    """
    kr = dict(number_format=st.KR, validation=Validation.between(0), required=False)
    expected = "{rk_forventet[i]}"
    items = (
        Input("rk_beskrivelse", RISK_LABELS["beskrivelse"], kind="text", required=False),
        Input("rk_ejer", RISK_LABELS["ejer"], kind="text", required=False),
        Input("rk_sandsynlighed", RISK_LABELS["sandsynlighed"], number_format=st.PERCENT, validation=SHARE, required=False),
        *(Input(f"rk_{f}", RISK_LABELS[f], **kr) for f in ("min", "mest_sandsynlig", "max")),
        Formula("rk_forventet", "Forventet værdi (kr.)",
                '=IF(COUNT({rk_sandsynlighed[i]},{rk_min[i]},{rk_mest_sandsynlig[i]},{rk_max[i]})=4,'
                "{rk_sandsynlighed[i]}*({rk_min[i]}+4*{rk_mest_sandsynlig[i]}+{rk_max[i]})/6,\"\")", st.KR),
        Formula("rk_rang", "Rang",
                f'=IF(ISNUMBER({expected}),RANK({expected},{{rk_forventet}})+COUNTIF({{rk_forventet[0]}}:{expected},{expected})-1,"")',
                st.INTEGER),
    )  # fmt: skip
    empty = tuple(range(shown.risks, MAX_RISKS)) if shown is not None and shown.spare_rows else ()
    return Sheet("Risici", (
        Text("Casens væsentligste risici (op til 12, som i statens business case-model), hver med ejer, sandsynlighed"),
        Text("og konsekvens i kr. (nutidsværdi i casens prisår) som trepunktsestimat: min., mest sandsynlig og maks."),
        Text("Forventet værdi = sandsynlighed × (min. + 4 × mest sandsynlig + maks.) / 6 (trepunktsestimatets middelværdi, PERT)."),
        Text("Risikopuljen er summen af de forventede værdier; hver fratrækkes ejerens nutidsværdi (Resultat, Overblik)."),
        Text(RISKS_FOLDED),  # in every workbook (the blank one too): a text that differed by case was read back as typed
        Table("risici", tuple(f"Risiko {k}" for k in range(1, MAX_RISKS + 1)), items, orientation="columns", title="Nr.",
              hidden=empty),
        Blank(),
        Formula("risikopulje", "Risikopulje", "=SUM({rk_forventet})", st.KR, unit="(summen af de forventede værdier)"),
        *risk_owner_cells(),
    ), title="Risici", freeze="risici", widths={"A": 22, "B": 44, "C": 18, "D": 15, "E": 15, "F": 15, "G": 15, "H": 15, "I": 7})  # fmt: skip


RISK_OTHER_OWNER = "Risikopulje, anden ejer"
"""The label of the part of the risk pool whose owner is no party (a person, a department, blank): the payer's."""


def risk_owner_cells() -> list:
    """The risk pool by owner, as :func:`udfs.core.businesscase.risk_figures`: ``SUMIF`` over the column Ejer for
    kommune, region, stat and investor (case-insensitive, as :func:`~udfs.core.businesscase.risk_owner`), the rest
    (another or no owner) added to the payer's part; ``risiko_betaler`` the payer's part."""
    named = "".join(f'-SUMIF({{rk_ejer}},{excel_string(who)},{{rk_forventet}})' for who in PAYERS)
    return [
        Formula("risiko_anden_ejer", RISK_OTHER_OWNER, "={risikopulje}" + named, st.KR,
                unit="(en anden eller ingen ejer: regnes til betaleren)"),
        *(Formula(f"risiko_{who}", ITEMS[f"risiko_{who}"].label,
                  f'=SUMIF({{rk_ejer}},{excel_string(who)},{{rk_forventet}})+IF({{betaler}}={excel_string(who)},{{risiko_anden_ejer}},0)',
                  st.KR) for who in PAYERS),
        Formula("risiko_betaler", ITEMS["risiko_betaler"].label, "=" + payer_pick("risiko_"), st.KR),
    ]


@dataclass(frozen=True)
class OverviewRows:
    """Which rows of Overblik's tables the case uses when built (:func:`overview_rows`); the others are hidden."""

    parties: tuple[bool, ...]  # per party (vocabulary.PARTIES): the payer, or one with a cost, a saving or a payment
    risks: int  # risks in the register (the largest ones shown, at most TOP_RISKS)
    spare_effects: bool = True  # hide the spare effect slots' rows
    own_index: tuple[int, ...] = ()  # years of the case's own index values (their rows of the index tables shown)
    spare_rows: bool = True  # fold Enhedspriser's empty rows (spare unit and own prices, index years without values)

    @classmethod
    def every_row(cls) -> OverviewRows:
        """Nothing hidden: the blank workbook, which the user types into (a trial's filled rows stayed hidden)."""
        return cls(tuple(True for _ in PARTIES), TOP_RISKS, spare_effects=False, spare_rows=False)


def overview_rows(case: Case) -> OverviewRows:
    """The rows of Overblik the case fills: the payer and the parties with any cost, saving or payment (the core's
    :func:`~udfs.core.businesscase.authority_figures`) and the number of risks."""
    from udfs.core.businesscase import authority_figures
    from udfs.core.engine import run

    figures = authority_figures(run(case))
    used = tuple(party == case.betaler or any(abs(figures[name][k]) > 0 for name in ("myn_omk", "myn_bes", "myn_betal"))
                 for k, party in enumerate(PARTIES))
    return OverviewRows(used, len(case.risici), own_index=tuple(sorted(case.own_index() or {})))


def empty_index_years(shown: OverviewRows | None) -> tuple[int, ...]:
    """Positions of the index tables' years (:func:`index_years`) without a value when built: no published index
    has one and the case's own values do not (``shown``; None: no own values).  Folded on Enhedspriser and Kontrol
    (the ten years ahead kept for own values print only when filled); none in the blank workbook, typed into."""
    if shown is not None and not shown.spare_rows:
        return ()
    own = set(shown.own_index) if shown else set()
    return tuple(k for k, y in enumerate(index_years()) if y not in own and all(t.get(y) is None for t in indices().values()))


HIDDEN_ROWS_WARNING = ("Overblik har skjulte rækker (ubrugte ved opbygningen), som nu har tal: vis dem med + i venstre margen "
                       "(Data > Vis detaljer) før udskrift, eller byg regnearket igen (sibc extract og sibc build).")
"""The red warning on Overblik when a row hidden at build (a spare effect slot, a party or a risk not used then) is in use."""


OVERVIEW_KEY_FIGURES = (
    ("ov_nv_betaler", "Nutidsværdi netto, betaler", "nv_betaler", st.KR),
    ("ov_nv_offentlig", "Nutidsværdi netto, offentlig sektor i alt", "nv_offentlig", st.KR),
    ("ov_risikopulje", "Risikopulje hos betaler (arket Risici)", "risiko_betaler", st.KR),
    ("ov_nv_betaler_efter_risiko", "Nutidsværdi netto, betaler, efter risikopulje", "nv_betaler_efter_risiko", st.KR),
    ("ov_tilbage_betaler", "Tilbagebetalingstid, betaler (år fra start)", "tilbage_betaler", st.INTEGER),
    ("ov_tilbage_offentlig", "Tilbagebetalingstid, offentlig sektor (år fra start)", "tilbage_offentlig", st.INTEGER),
    ("ov_break_even", "Break-even succesrate (betaler)", "break_even", st.PERCENT),
    ("ov_investor_irr", IRR_LABEL, "investor_irr", st.PERCENT),
)
"""Overblik's key figures, the one definition of which Overblik cells are key figures: Overblik's cell, its label, the
Resultat cell (a key figure of :data:`~udfs.core.lineitems.KEY_FIGURES`) it shows, number format.  Overblik shows
them in this order, and ``sibc check`` compares each with the core's value of its Resultat cell
(:func:`overview_key_cells`), so a number typed over a Resultat formula is named where a reader sees it too."""

OVERVIEW_GUARANTEE = (("ov_garanti_betaling", "garanti_betaling", "garanti_betaling", st.KR),
                      ("ov_investor_netto_garanti", "investor_netto_garanti", "inv_netto_garanti", st.KR),
                      ("ov_investor_irr_garanti", "investor_irr_garanti", "investor_irr_garanti", st.PERCENT))
"""The guarantee's key figures on Overblik: Overblik's cell, the core's line item (:data:`GUARANTEE_FIGURES`),
the Resultat cell it reads, number format."""
NO_GUARANTEE = "ingen garanti"


def overview_key_figures(view: str) -> tuple[tuple[str, str, str, str], ...]:
    """:data:`OVERVIEW_KEY_FIGURES` in the order of the case's view (``visning``): the present value the view heads
    with first (:func:`udfs.core.lineitems.view_first`, the order ``sibc calc`` heads with), the rest as listed."""
    order = view_first([source for _, _, source, _ in OVERVIEW_KEY_FIGURES], view)
    return tuple(sorted(OVERVIEW_KEY_FIGURES, key=lambda row: order.index(row[2])))


def overview_key_cells() -> dict[str, str]:
    """Every key figure on Overblik (:data:`OVERVIEW_KEY_FIGURES`, :data:`OVERVIEW_GUARANTEE`): its cell → the Resultat
    cell whose value it shows (a guarantee's row without a guarantor says :data:`NO_GUARANTEE` instead)."""
    return {cell: source for cell, _, source, _ in (*OVERVIEW_KEY_FIGURES, *OVERVIEW_GUARANTEE)}


def overview_guarantee() -> list:
    """Overblik's rows of the guarantee: each reads its Resultat cell when the case has a guarantor
    (Forudsætninger's ``garant``) and says "ingen garanti" otherwise."""
    items = {item.name: item for item in GUARANTEE_FIGURES}
    return [Formula(cell, items[item].label, f'=IF({{garant}}="",{excel_string(NO_GUARANTEE)},{{{result}}})', fmt,
                    label_formula=guarantee_payment_label() if item == "garanti_betaling" else None)
            for cell, item, result, fmt in OVERVIEW_GUARANTEE]


def guarantee_payment_label() -> str:
    """The label formula of the guarantee's payment, saying its year: ``Garantens betaling (i kontraktens afregningsår,
    år 5)`` (:func:`udfs.core.guarantee.guarantee_year_words`, as ``sibc afregn`` and ``SI_AFREGNING`` label it)."""
    label = GUARANTEE_ITEMS["garanti_betaling"].label
    return f'={excel_string(label + " (")}&{guarantee_year_words_excel("{garanti_aar}")}&")"'


NO_RISKS = "Ingen risici er skrevet ind (arket Risici)."
"""Overblik's text, under the table of the largest risks, when the register on Risici is empty."""
NO_RISK_VALUES = "Ingen risici har en forventet værdi endnu (arket Risici: sandsynlighed og konsekvens i kr.)."
"""Overblik's text when risks are described on Risici but none has an expected value to rank it by."""


def no_risks(name: str) -> Formula:
    """The text under Overblik's largest risks when there are none to show (:data:`NO_RISKS`, :data:`NO_RISK_VALUES`);
    blank, label included, while a risk has an expected value (the table then lists it).  Not a red warning."""
    text = (f'=IF(COUNT({{rk_forventet}})>0,"",IF(COUNTA({{rk_beskrivelse}})=0,{excel_string(NO_RISKS)},'
            f'{excel_string(NO_RISK_VALUES)}))')
    return Formula(name, "Største risici", text, label_formula=f'=IF({{{name}}}="","",{excel_string("Største risici")})')


def sheet_overview(d: Dims, shown: OverviewRows | None = None) -> Sheet:
    """One printed page for decision makers: key figures, who pays and who gains, the cumulative net,
    the main assumptions and the largest risks -- every cell a formula on the other sheets.

    The rows a case does not use when built (``shown``: the parties and the risks it has; the spare effect
    slots by ``d``, unless ``shown.spare_effects`` is False) are hidden and grouped, so the page prints no empty rows; a red warning says when one of
    them is in use later (an effect slot filled, a risk added, a party paying).  None: nothing hidden but the
    spare effect slots (the layout a workbook is read back with; the cells are the same)."""
    who = PARTIES
    hidden_parties = tuple(k for k, used in enumerate(shown.parties) if not used) if shown else ()
    hide_spare = shown is None or shown.spare_effects
    hidden_effects = tuple(e - 1 for e in range(1, d.effects + 1) if d.spare_effect(e)) if hide_spare else ()
    hidden_risks = tuple(range(min(shown.risks, TOP_RISKS), TOP_RISKS)) if shown else ()
    net = dict(zip(PARTIES, PARTY_NET_LINES))  # each party's net by year: its Resultat row
    formulas = {
        "omk": tuple(f"=SUM({{r_omk_{w}}})" if w in PAYERS else "=0" for w in who),
        "bes": tuple(f"=SUM({{r_bes_{w}}})" if w in AUTHORITIES else "=0" for w in who),
        "betal": tuple("=SUM({r_betalinger})+SUM({r_garanti})" if w == "investor" else f"=SUM({{{net[w]}}})" if w == GUARANTOR
                       else f"=-SUM({{r_betal_{w}}})" + (f"-SUM({{r_garanti_{w}}})" if w in AUTHORITIES else "")
                       for w in who),  # outcome payments and the guarantee's payment (Resultat's r_garanti, r_garanti_<a>)
        "netto": tuple("={myn_bes[%d]}-{myn_omk[%d]}+{myn_betal[%d]}" % (k, k, k) for k in range(len(who))),
        "nv": tuple(f"=SUMPRODUCT({{{net[w]}}},{{r_df}})" for w in who),
    }
    authorities = Table("myndigheder", tuple(PARTY_WORDS[w] for w in who),
                        tuple(Formulas(f"myn_{k}", label, formulas[k], st.KR) for k, label in AUTHORITY_LINES),
                        orientation="columns", title="Hvem", hidden=hidden_parties)  # fmt: skip
    rates = Table("ov_effekter", tuple(f"Effekt {e}" for e in range(1, d.effects + 1)), (
        Formulas("ov_succesrate", "Succesrate", tuple(f'=IF({effect_ref(e, "id")}="","",{effect_ref(e, "succesrate")})' for e in range(1, d.effects + 1)), st.PERCENT),
        Formulas("ov_navn", "Navn", tuple(f'=IF({effect_ref(e, "id")}="","",{effect_ref(e, "navn")}&"")' for e in range(1, d.effects + 1))),
    ), orientation="columns", title="Effekt", hidden=hidden_effects)  # fmt: skip
    top = Table("ov_risici", tuple(str(k) for k in range(1, TOP_RISKS + 1)), (
        Formula("ov_risiko_vaerdi", "Forventet værdi", '=IFERROR(INDEX({rk_forventet},MATCH({i}+1,{rk_rang},0)),"")', st.KR),
        Formula(None, "Ejer", '=IFERROR(INDEX({rk_ejer},MATCH({i}+1,{rk_rang},0))&"","")'),
        Formula(None, "Risiko", '=IFERROR(INDEX({rk_beskrivelse},MATCH({i}+1,{rk_rang},0))&"","")'),
    ), orientation="columns", title="Største risici", hidden=hidden_risks)  # fmt: skip
    in_use = ([f"{effect_ref(e + 1, 'id')}<>\"\"" for e in hidden_effects]
              + [f"OR({{myn_omk[{k}]}}<>0,{{myn_bes[{k}]}}<>0,{{myn_betal[{k}]}}<>0)" for k in hidden_parties]
              + [f"{{ov_risiko_vaerdi[{k}]}}<>\"\"" for k in hidden_risks])
    hidden_warning = f'=IF(OR({",".join(in_use)}),{excel_string(HIDDEN_ROWS_WARNING)},"")' if in_use else '=""'
    schedules = [(code, excel_string(word)) for code, word in DISCOUNTING_WORDS.items() if code != "fast"]
    discounting = ('=IF({diskontering}="fast","fast rente "&' + share_words_excel("{fast_rente}") + '&" om året",'
                   + nested_if("{diskontering}", schedules, "{diskontering}") + ")")
    return Sheet("Overblik", (
        PRICE_MESSAGE,
        Formula(None, "Case", "={navn}"),
        Formula(None, "Visning", '=IF({visning}="kommune","kommunens (betalers) perspektiv","hele den offentlige sektor")'),
        Heading("Nøgletal"),
        *(Formula(cell, label, f"={{{source}}}", fmt) for cell, label, source, fmt in overview_key_figures(d.view)),
        *overview_guarantee(),
        Blank(),
        Heading("Hvem betaler, og hvem vinder (kr. over horisonten)"),
        authorities,
        Text("Kommune + region + stat + central resultatfond = offentlig sektor i alt; alle rækker tilsammen = besparelser − omkostninger."),
        Text("Resultatbetalinger: hver betaler betaler sin andel (−, arket Betalingsmodel), investor modtager (+)."),
        Blank(),
        Heading("Forudsætninger"),
        Formula("ov_horisont", "Horisont", "=" + HORIZON_WORDS),
        Formula(None, "Prisår", "={prisaar}", st.YEAR),
        Formula("ov_diskontering", "Diskontering", discounting),
        Formula(None, "Betaler af resultatbetalinger",
                f'=IF({PAYERS_USED}=0,{{betaler}},"flere (arket Betalingsmodel); betaler i nøgletal: "&{{betaler}})'),
        rates,
        Blank(),
        top,
        no_risks("ov_ingen_risici"),  # in the blank row under the table: says why the risk area is empty
        Chart("Nettoresultat lagt sammen år for år: betaler og offentlig sektor", ("r_kum_betaler", "r_kum_offentlig"), "r_aar_overskrift",
              kind="line", y_title="kr.", height_rows=18, over_years=True),
        # The red warnings last, under the chart: blank (as built, mostly) they leave no white band above the figures
        # (their rows are as tall as their texts need), and the page's rows do not move when one shows.
        Formula("ov_advarsel", "Advarsel: betaling efter horisonten", "={bm_efter_horisont}&\"\"", role="warning"),
        stale_warning("ov_foraeldet"),
        plausibility_formula(d, "ov_plausibel"),
        Formula("ov_skjult", "Advarsel: skjulte rækker", hidden_warning, role="warning", text_length=len(HIDDEN_ROWS_WARNING)),
        print_warning("ov_udskrift", CHART_WARNING),
    ), title="Overblik", widths={"A": 46, "B": 15, "C": 15, "D": 15, "E": 15, "F": 15, "G": 15}, one_page=True)  # fmt: skip


def after_horizon_cells(d: Dims) -> list:
    """Savings the horizon cuts off (profiles landing in year H or later), for the payer and the public sector."""
    out = []
    for who, share in (("betaler", lambda e: effect_ref(e, "andel_betaler")),
                       ("offentlig", lambda e: f"({effect_ref(e, 'andel_kommune')}+{effect_ref(e, 'andel_region')}+{effect_ref(e, 'andel_stat')})")):  # fmt: skip
        for kind, item, label in (("kr", "efter", "kr."), ("nv", "efter_nv_i_alt", "nutidsværdi")):
            terms = [f"-{effect_ref(e, 'netto')}*{effect_ref(e, item)}*{effect_ref(e, 'pris')}*{share(e)}*{kept(e)}" for e in range(1, d.effects + 1)]
            out.append(Formula(f"efter_{who}_{kind}", f"Gevinster efter horisonten {who} ({label})", "=" + total(terms), st.KR))
    return out


def evaluation_rows(d: Dims, rate_of: str) -> tuple:
    """Rows of the compact model that gives the payer's PV at given success rates.

    ``rate_of`` is a template for effect e's success rate in column i
    (``{e}`` is replaced by the effect number).  Savings are linear in each
    net success rate: PV = Σ_e net_e × A_e − PV(payer's costs) − PV(payments).
    """
    E, M, H = d.effects, len(d.metrics), d.years
    rows: list = []
    for e in range(1, E + 1):
        rows.append(Formula(f"ev_succes{e}", f"Succesrate effekt {e}", "=" + rate_of.replace("{e}", str(e)), st.PERCENT))
    for e in range(1, E + 1):
        rows.append(Formula(f"ev_netto{e}", f"Nettosuccesrate effekt {e}", f"={{ev_succes{e}[i]}}-{effect_ref(e, 'doedvaegt')}", st.PERCENT))
    nets = f"INDEX({{ev_netto1[i]}}:{{ev_netto{E}[i]}},MATCH({{eff}},{{eo_id}},0))"  # the effect's row of this column
    savings_all = total([f"{{ev_netto{e}[i]}}*{effect_ref(e, 'b_betaler')}" for e in range(1, E + 1)])
    savings_one = f"{nets}*INDEX({{eo_b_betaler}},1,MATCH({{eff}},{{eo_id}},0))"
    antal = "INDEX({eo_antal},1,MATCH({eff},{eo_id},0))"
    paying: list = []  # the metrics' payments, in consecutive rows (a column range per evaluation point)
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if rule.PER_OUTCOME:
            counts = [f'IF({{eff}}="",0,{nets}*IF({at(metric_cell(m, "udfald_maal"), k)}="antal",{antal},1))'.replace("{eff}", at(metric_cell(m, "udfald_effekt"), k))
                      for k in range(steps)]  # fmt: skip
            x = local(m, rule.excel_measure(counts))
        else:
            eff, maal = metric_ref(m, "effekt"), metric_ref(m, "maal")
            x = (f'IF({maal}="besparelse",IF({eff}="",{savings_all},{savings_one}),{nets}*IF({maal}="antal",{antal},1))'
                 .replace("{eff}", eff)) + f"*{metric_ref(m, 'faktor')}"  # fmt: skip
        rows.append(Formula(f"ev_opnaaet{m}", f"Opnået resultatmål {m}", "=" + if_used(m, x), st.DECIMAL))
        pay = rule_formula(m, code, f"{{ev_opnaaet{m}[i]}}")
        if m in d.yearly:  # paid every year (til_aar): by year, from the savings at this column's success rates
            rows += evaluation_yearly_rows(m, code, d)
        paying.append(Formula(f"ev_betaling{m}", f"Betaling resultatmål {m}", "=" + if_used(m, yearly_sum(
            m, d, f'IF({metric_ref(m, "loft")}="",{pay},MIN({metric_ref(m, "loft")},{pay}))').replace(
            f'SUM({metric_ref(m, "aarlig")})', f'INDEX({{ev_betkum{m}_0[i]}}:{{ev_betkum{m}_{H - 1}[i]}},{metric_ref(m, "til_aar")}+1)')), st.KR))  # fmt: skip
    rows += paying
    payments, years_of = (f"{{ev_betaling1[i]}}:{{ev_betaling{M}[i]}}", f"{{ev_aar1[0]}}:{{ev_aar{M}[0]}}") if M else ("0", "0")
    rows.append(Formula("ev_i_alt", "Betalinger i alt før kontraktloft", f"=SUM({payments})" if M else "=0", st.KR))
    for m in range(1, M + 1):
        upto = f"SUMPRODUCT(({years_of}<={metric_ref(m, 'aar')})*({payments}))"
        rows.append(Formula(f"ev_kumuleret{m}", f"Betalinger til og med år for resultatmål {m}, før kontraktloft", "=" + if_used(m, upto), st.KR))
    yearly = d.yearly
    for y in range(H):
        terms = f"SUMPRODUCT(({years_of}={y})*({payments}))" if M else "0"
        terms += "".join(f"+{evaluation_yearly_payment(m, y)}" for m in yearly)
        rows.append(Formula(f"ev_brutto{y}", f"Betaling år {y} før kontraktloft", "=" + terms, st.KR))
    column = lambda first: f"SUM({{ev_brutto{first}[i]}}:{{ev_brutto{H - 1}[i]}})"  # noqa: E731 - the years from first on
    # the contract's cap and the return cap cut the latest payments first to the lower of their totals (loft_samlet);
    # the return floor tops up what the payments after them lack, in the settlement year (Betalingsmodel's rows)
    excess = f'IF({{loft_samlet}}="",0,MAX(0,{column(0)}-{{loft_samlet}}))'
    rows.append(Formula("ev_gulv", "Lagt til af afkastgulvet (i afregningsåret)",
                        "=" + floor_top_up_excel("{gulv_afkast}", f"{column(0)}-{excess}"), st.KR))
    for y in range(H):
        later = column(y + 1) if y + 1 < H else "0"
        rows.append(Formula(f"ev_efter_loft{y}", f"Betaling år {y} efter lofter og gulv",
                            f"={{ev_brutto{y}[i]}}-MIN({{ev_brutto{y}[i]}},MAX(0,{excess}-{later}))"
                            f"+IF({{garanti_aar}}={y},{{ev_gulv[i]}},0)", st.KR))  # fmt: skip
    paid = f"{{ev_efter_loft0[i]}}:{{ev_efter_loft{H - 1}[i]}}"  # this column's payments, year by year (a column)
    rows.append(Formula("ev_nv_betalinger", "Nutidsværdi af betalinger", f"=SUMPRODUCT({paid},{{fs_df}})", st.KR))
    rows.append(Formula("ev_inv", "Investor: betalinger − investering", f"=SUM({paid})-{{investering}}", st.KR))
    krav = "(1+{investor_krav})"
    rows.append(Formula("ev_inv_krav", "Investor: nutidsværdi ved krav til afkast",
                        f'=IF({{investor_krav}}="",0,SUMPRODUCT({paid},1/{krav}^{{fs_aar}})'
                        + f"-SUMPRODUCT({{r_omk_investor}},1/{krav}^{{aar}}))", st.KR))  # fmt: skip
    costs_payer = "SUMPRODUCT({r_omk_betaler},{r_df})"
    costs_public = total([f"SUMPRODUCT({{r_omk_{a}}},{{r_df}})" for a in AUTHORITIES])
    a_payer = total([f"{{ev_netto{e}[i]}}*{effect_ref(e, 'a_betaler')}" for e in range(1, E + 1)])
    a_public = total([f"{{ev_netto{e}[i]}}*{effect_ref(e, 'a_offentlig')}" for e in range(1, E + 1)])
    public = "OR(" + ",".join(f'{{garanti_myndighed}}="{a}"' for a in AUTHORITIES) + ")"
    paid_back = guarantee_payment_excel("{garanti_daekning}", "0", "{ev_inv[i]}")  # ev_inv: payments − investment
    rows.append(Formula("ev_nv_garanti", "Nutidsværdi af en offentlig garants betaling",  # udfs.core.guarantee.public_guarantee
                        f"=IF({public},{paid_back}*INDEX({{fs_df}},{{garanti_aar}}+1),0)", st.KR))
    rows.append(Formula("ev_nv_betaler", "Nutidsværdi netto betaler",  # the payer pays its share of each year's payment
                        f"={a_payer}-{costs_payer}-SUMPRODUCT({paid},{{fs_df}},{{fs_andel_betaler}})"
                        "-IF({garanti_myndighed}={betaler},{ev_nv_garanti[i]},0)", st.KR))
    rows.append(Formula("ev_nv_offentlig", "Nutidsværdi netto offentlig",
                        f"={a_public}-{costs_public}-{{ev_nv_betalinger[i]}}-{{ev_nv_garanti[i]}}", st.KR))
    return tuple(rows)


def evaluation_yearly_rows(m: int, code: int, d: Dims) -> list:
    """Metric ``m``'s savings by year at a column's success rates, counted from 0 and cumulated, and the capped
    rule on them, as the Betalingsmodel sheet's :func:`yearly_rows` (one row per year: the columns are success
    rates).  A year's savings are the column's net rates times the weights of :func:`yearly_weights`; the rule
    reads the metric's cells from their copies there (short references keep the sheet small)."""
    nets = f"{{ev_netto1[i]}}:{{ev_netto{d.effects}[i]}}"
    rows: list = []
    for y in range(d.years):
        before = f"{{ev_kum{m}_{y - 1}[i]}}+" if y else ""
        rows.append(Formula(f"ev_kum{m}_{y}", f"Resultatmål {m}: målt besparelse til og med år {y}",
                            f"={before}MAX(0,SUMPRODUCT({nets},{{ev_vaegt{m}_e1[{y}]}}:{{ev_vaegt{m}_e{d.effects}[{y}]}}))", st.KR))
    for y in range(d.years):
        rule = by_code(code).excel().replace("{@", f"{{ev_bm{m}_").replace("{x}", f"{{ev_kum{m}_{y}[i]}}")
        rows.append(Formula(f"ev_betkum{m}_{y}", f"Resultatmål {m}: betaling til og med år {y}",
                            f"=MIN({{ev_bm{m}_loft_tal}},{rule})", st.KR))
    return rows


def evaluation_yearly_payment(m: int, y: int) -> str:
    """Metric ``m``'s payment in year ``y`` in an evaluation column: the payments so far less those the year
    before, in the years from ``aar`` to ``til_aar`` (see :func:`evaluation_yearly_rows`)."""
    earlier = f"-IF({y}={{ev_bm{m}_aar}},0,{{ev_betkum{m}_{y - 1}[i]}})" if y else ""
    return f"IF(OR({{ev_bm{m}_ledig}},{y}<{{ev_bm{m}_aar}},{y}>{{ev_bm{m}_til_aar}}),0,{{ev_betkum{m}_{y}[i]}}{earlier})"


def yearly_weights(m: int, code: int, d: Dims) -> list:
    """Metric ``m``'s cells copied for the evaluation, and its weight per effect (rows) and year (columns): the
    payer's savings at 100 % net success times the metric's ``faktor``, 0 for an effect the metric does not
    measure (for :func:`evaluation_yearly_rows`)."""
    n = lambda s: metric_ref(m, s)  # noqa: E731
    rule = by_code(code)
    copies = [Formula(f"ev_bm{m}_ledig", f"Resultatmål {m}: ikke årligt (ledigt eller uden »til og med år«)",
                      f'=OR({n("id")}="",{n("til_aar")}="")'),
              Formula(f"ev_bm{m}_aar", f"Resultatmål {m}: første år", f"={n('aar')}", st.INTEGER),
              Formula(f"ev_bm{m}_til_aar", f"Resultatmål {m}: til og med år", f'=N({n("til_aar")})', st.INTEGER),
              Formula(f"ev_bm{m}_loft_tal", f"Resultatmål {m}: loft (uden loft: 9,99E+307)",
                      f'=IF({n("loft")}="",9.99E+307,{n("loft")})', st.KR)]  # fmt: skip
    copies += [Formula(f"ev_bm{m}_{c.name}", f"Resultatmål {m}: {c.label}", f"={n(c.name)}", FORMATS[c.unit])
               for c in rule.CELLS if not c.step]
    copies += [Formula(f"ev_bm{m}_{f.name}", f"Resultatmål {m}: {f.label}", f"={n(f.name)}", FORMATS[f.unit]) for f in rule.FORMULAS]
    weights = Table(f"ev_vaegte{m}", years(d), tuple(
        Formula(f"ev_vaegt{m}_e{e}", f"Resultatmål {m}: effekt {e}",
                f'=IF(OR({n("effekt")}="",{n("effekt")}={effect_ref(e, "id")}),{n("faktor")}*{at(effect_cell(e, "enhed_betaler"))},0)', st.KR)
        for e in range(1, d.effects + 1)), title=f"Resultatmål {m}: besparelse pr. år ved 100 % nettosuccesrate")  # fmt: skip
    return [*copies, weights]


def deadweight_floor_formula(d: Dims) -> str:
    """The highest deadweight (or control group's success rate) of the effects in use, without ``=``: the success
    rate from which the payer's largest loss is sought (the core's :func:`udfs.core.businesscase.deadweight_floor`;
    an effect slot without an id counts 0)."""
    return "MAX(0," + ",".join(f'IF({effect_ref(e, "id")}="",0,N({effect_ref(e, "doedvaegt")}))' for e in range(1, d.effects + 1)) + ")"


def deadweight_floor_effect_formula(d: Dims) -> str:
    """The id of the first effect in use whose deadweight is ``kn_doedvaegt`` when the deadweights of the effects in use
    differ, else "" (the core's :func:`udfs.core.businesscase.deadweight_floor_effect`), without ``=``."""
    used = [(effect_ref(e, "id"), f'N({effect_ref(e, "doedvaegt")})') for e in range(1, d.effects + 1)]
    differ = "OR(" + ",".join(f'AND({i}<>"",{dw}<{{kn_doedvaegt}})' for i, dw in used) + ")"
    first = '""'
    for i, dw in reversed(used):
        first = f'IF(AND({i}<>"",{dw}={{kn_doedvaegt}}),{i},{first})'
    return f'IF({differ},{first},"")'


def excel_template(template: str, **parts: str) -> str:
    """``template`` with its ``{name}`` fields replaced by Excel expressions ``parts``, as one Excel text expression."""
    pieces = re.split(r"\{(\w+)\}", template)
    out = [excel_string(text) if k % 2 == 0 else f"({parts[text]})" for k, text in enumerate(pieces) if k % 2 or text]
    return "&".join(out)


def floor_words_excel() -> dict[str, str]:
    """The core's :func:`udfs.core.businesscase.floor_words` by formula of the cells ``kn_doedvaegt`` and
    ``kn_doedvaegt_effekt``: ``name`` (``dødvægten`` / ``den højeste dødvægt``) and ``detail`` (``50,0 %`` /
    ``50,0 %, effekt psyk``), Excel text expressions, and ``effect`` (the effect's id or "")."""
    from udfs.core.businesscase import DEADWEIGHT_NAMES, FLOOR_EFFECT

    effect = "{kn_doedvaegt_effekt}"
    alike = f'{effect}=""'
    name = f"IF({alike},{excel_string(DEADWEIGHT_NAMES[0])},{excel_string(DEADWEIGHT_NAMES[1])})"
    detail = share_words_excel("{kn_doedvaegt}") + f'&IF({alike},"",{excel_template(FLOOR_EFFECT, effect=effect)})'
    return {"name": name, "detail": detail, "effect": effect}


LARGEST_LOSS_LENGTH = 110
"""The characters the largest loss's label may take (:func:`largest_loss_label_formula`): 88 with the words for
differing deadweights and 100,0 %, and an effect's id of up to 22; wrapped within Følsomhed's column A."""


def largest_loss_label_formula() -> str:
    """The label of ``tab_stoerst`` by formula, the core's :func:`udfs.core.businesscase.largest_loss_label`."""
    from udfs.core.businesscase import LARGEST_LOSS

    words = floor_words_excel()
    # while the floor is an error (a price year beyond the index), the label without the rate, never #VALUE!
    return (f'=IFERROR({excel_template(LARGEST_LOSS, name=words["name"], detail=words["detail"])},'
            f'{excel_string(ITEMS["tab_stoerst"].label)})')


def knot_candidates(d: Dims) -> list[str]:
    """Formulas for the success rates where a payment rule bends or steps (mapped to 0–1).

    A slot built paid every year (:attr:`Dims.yearly`) has its one payment's knots while ``til_aar`` is empty and
    else the :data:`YEARLY_KNOTS` distinct knots of its yearly rows (:func:`yearly_knot_blocks`)."""
    out = []
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if m in d.yearly:
            out += [f"={{ev_ak{m}_valgt[{j}]}}" for j in range(YEARLY_KNOTS)]
        x0, x1 = f"{{ev_opnaaet{m}[0]}}", f"{{ev_opnaaet{m}[1]}}"
        if 0.0 in rule.LINK_LEVELS:  # where an outcome's count leaves 0 (its effect's net rate crosses 0)
            for k in range(steps):
                dead = "INDEX({eo_doedvaegt},1,MATCH({eff},{eo_id},0))"
                knot = f'IF({{eff}}="",0,IF(AND({dead}>0,{dead}<1),{dead},0))'.replace("{eff}", at(metric_cell(m, "udfald_effekt"), k))
                out.append("=" + if_used(m, knot))
            continue  # its own levels are met between these knots (see piecewise_levels)
        for level in rule.excel_levels(steps, metric_ref(m, "loft")):
            level = local(m, level)
            s = f"({level}-{x0})/({x1}-{x0})"
            once = f"IF({x1}={x0},0,IF(AND({s}>0,{s}<1),{s},0))"
            out.append("=" + if_used(m, f'IF({metric_ref(m, "til_aar")}<>"",0,{once})' if m in d.yearly else once))
    return out


YEARLY_KNOTS = 16
"""Columns of the break-even grid for the distinct knots of each slot paid every year (``til_aar``): where a year's
savings cross 0 and where a year's cumulative savings reach one of its rule's levels.  More distinct knots than
this (a long ``til_aar`` with a switch and a cap, say) give ``kn_fuld`` = 0 and :data:`TOO_MANY_KNOTS`, never
a wrong figure."""
SAME_KNOT = "1E-12"
"""Knots of a yearly slot closer than this are one knot (the same success rate computed for several years)."""


def yearly_knot_blocks(m: int, code: int, d: Dims) -> list:
    """The knots of slot ``m`` paid every year, as the core's :func:`udfs.core.businesscase.yearly_knots` finds them.

    Year t's savings are linear in the success rate s, s_t(s) = s_t(0) + (s_t(1) − s_t(0)) × s (from the net rates
    of the evaluation's columns s = 0 and s = 1 and the weights of :func:`yearly_weights`); the cumulative savings
    X_t(s) = Σ_{τ≤t} max(0, s_τ(s)) are linear between the points where a year's savings cross 0 (years up to
    ``til_aar``; sorted, with 0 and 1: the grid). On each piece of the grid, each year t from ``aar`` to
    ``til_aar`` meets each level of the rule (:meth:`~udfs.core.rules.base.Rule.excel_levels`) where X_t crosses
    it; X_t is convex (a sum of max(0, linear)), so it crosses a level at most once upwards and once downwards:
    two cells per year and level, each a sum over the pieces. The distinct knots above 0 of all these, in
    increasing order, fill :data:`YEARLY_KNOTS` columns (``ev_ak<m>_valgt``); ``ev_ak<m>_fuld`` is 0 when
    they do not fit.
    """
    E, H = d.effects, d.years
    rule = by_code(code)
    steps = d.metrics[m - 1][1]
    levels = [local(m, level) for level in rule.excel_levels(steps, metric_ref(m, "loft"))]
    k, g, x = f"ev_ak{m}_k", f"ev_ak{m}_g", f"ev_ak{m}_x"
    s0, s1 = f"ev_ak{m}_s0", f"ev_ak{m}_s1"
    weights = f"{{ev_vaegt{m}_e1[i]}}:{{ev_vaegt{m}_e{E}[i]}}"
    savings = Table(f"ev_aarbesp{m}", years(d), tuple(
        Formula(name, f"Resultatmål {m}: årets besparelse ved succesrate {col}",
                f"=SUMPRODUCT({{ev_netto1[{col}]}}:{{ev_netto{E}[{col}]}},{weights})", st.KR)
        for name, col in ((s0, 0), (s1, 1))), title=f"Resultatmål {m}: besparelse pr. år ved succesrate 0 og 1")  # fmt: skip
    level_row = Table(f"ev_aarniveauer{m}", tuple(f"Niveau {n + 1}" for n in range(len(levels))), (
        Formulas(f"ev_ak{m}_niv", f"Resultatmål {m}: reglens niveauer (kumuleret besparelse)", tuple("=" + v for v in levels), st.KR),
    ), title=f"Resultatmål {m}: niveauer")  # fmt: skip
    grid = Table(f"ev_aargitter{m}", tuple(f"Punkt {j}" for j in range(H + 2)), (
        Formula(g, f"Resultatmål {m}: succesrate (0, årenes nulpunkter sorteret, 1)",
                f"=IF({{i}}=0,0,IF({{i}}={H + 1},1,SMALL({{{k}0[0]}}:{{{k}{H - 1}[0]}},{{i}})))", st.PERCENT),
        *(Formula(f"{x}{t}", f"Resultatmål {m}: kumuleret besparelse til og med år {t}",
                  ("=" if t == 0 else f"={{{x}{t - 1}[i]}}+") + f"MAX(0,{{{s0}[{t}]}}+({{{s1}[{t}]}}-{{{s0}[{t}]}})*{{{g}[i]}})", st.KR)
          for t in range(H)),
    ), title=f"Resultatmål {m}: kumuleret besparelse på knækpunkternes gitter")  # fmt: skip
    unused = f"{{ev_bm{m}_ledig}}"

    def zero(t: int) -> str:
        a, b = f"{{{s0}[{t}]}}", f"{{{s1}[{t}]}}"
        z = f"-{a}/({b}-{a})"
        return f"=IF(OR({unused},{t}>{{ev_bm{m}_til_aar}}),0,IF({b}={a},0,IF(AND({z}>0,{z}<1),{z},0)))"

    def crossing(t: int, n: int, up: bool) -> str:
        xa, xb = f"{{{x}{t}[0]}}:{{{x}{t}[{H}]}}", f"{{{x}{t}[1]}}:{{{x}{t}[{H + 1}]}}"
        ga, gb = f"{{{g}[0]}}:{{{g}[{H}]}}", f"{{{g}[1]}}:{{{g}[{H + 1}]}}"
        level = f"{{ev_ak{m}_niv[{n}]}}"
        side = f"({xa}<{level})*({xb}>{level})" if up else f"({xa}>{level})*({xb}<{level})"
        at = f"({ga}+({level}-{xa})*({gb}-{ga})/({xb}-{xa}+({xb}={xa})))"
        return (f"=IF(OR({unused},{t}<{{ev_bm{m}_aar}},{t}>{{ev_bm{m}_til_aar}}),0,SUMPRODUCT({side}*{at}))")

    columns = ("Nulpunkt", *(f"Niveau {n + 1} {w}" for n in range(len(levels)) for w in ("op", "ned")))
    crossings = Table(f"ev_aarknaek{m}", columns, tuple(
        Formulas(f"{k}{t}", f"År {t}", (zero(t), *(crossing(t, n, up) for n in range(len(levels)) for up in (True, False))), st.PERCENT)
        for t in range(H)), title=f"Resultatmål {m}: knækpunkter (nulpunkter; hvor årets kumulerede besparelse når et niveau)")  # fmt: skip
    pool = f"{{{k}0[0]}}:{{{k}{H - 1}[{len(columns) - 1}]}}"

    def pick(j: int) -> str:
        before = "0" if j == 0 else f"{{ev_ak{m}_valgt[{j - 1}]}}"
        nxt = f"IFERROR(SMALL({pool},SUMPRODUCT(--({pool}<={before}+{SAME_KNOT}))+1),0)"
        return "=" + (nxt if j == 0 else f"IF({before}=0,0,{nxt})")

    chosen = Table(f"ev_aarvalgt{m}", tuple(f"K{j}" for j in range(YEARLY_KNOTS)), (
        Formulas(f"ev_ak{m}_valgt", f"Resultatmål {m}: forskellige knækpunkter over 0 (sorteret; 0 når de er brugt op)",
                 tuple(pick(j) for j in range(YEARLY_KNOTS)), st.PERCENT),
    ), title=f"Resultatmål {m}: knækpunkter i beregningen")  # fmt: skip
    fits = Formula(f"ev_ak{m}_fuld", f"Resultatmål {m}: alle knækpunkter er med (1 = ja)",
                   f"=IF(SUMPRODUCT(--({pool}>MAX({{ev_ak{m}_valgt}})+{SAME_KNOT}))=0,1,0)", st.INTEGER)
    return [savings, level_row, grid, crossings, chosen, fits]


def piecewise_levels(d: Dims) -> list[tuple[str, str]]:
    """(row, level) for the rules whose measured value bends between its measurements' own knots (a rate card's
    counts clipped at 0): their levels are met piece by piece between the sorted rule knots, as in the core's
    :func:`udfs.core.businesscase.rule_knots`."""
    out = []
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if rule.LINK_LEVELS:
            out += [(f"ev_opnaaet{m}", local(m, level)) for level in rule.excel_levels(steps, metric_ref(m, "loft"))]
    return out


def metric_years(d: Dims) -> Table:
    """Each metric slot's year of payment, in one column (−1 for an empty slot: its blank year is not year 0), for
    the evaluation's sums of payments by year (:func:`evaluation_rows`)."""
    return Table("resultatmaal_aar", ("År",), tuple(
        Formula(f"ev_aar{m}", f"Resultatmål {m}: år for måling og betaling (−1: ledigt eller årlig)",
                f'=IF({metric_ref(m, "id")}="",-1,' + (f'IF({metric_ref(m, "til_aar")}<>"",-1,{metric_ref(m, "aar")}))' if m in d.yearly else f'{metric_ref(m, "aar")})'),
                st.INTEGER)
        for m, (code, _) in enumerate(d.metrics, start=1)), title="Resultatmålenes år")  # fmt: skip


#: Where a guarantee the payer gives itself bends the payer's present value (:func:`udfs.core.guarantee.guarantee_payment`,
#: ``MAX(0, MIN(cover, investment − payments))``): where the payments (after the contract cap, which cuts their total
#: to the cap) reach the investment less the cover, and the investment.  The payments before the cap cross these
#: levels where those after it do (or above the cap, an extra knot that changes nothing); 0 (no knot) when the
#: guarantor is not the payer.  The core finds the same bends between its rule knots (:func:`udfs.core.businesscase.linear_pieces`).
GUARANTEE_BENDS = tuple(f"(IF({{garanti_myndighed}}={{betaler}},{level},0))"
                        for level in guarantee_bends_excel("{garanti_daekning}", "{investering}"))


#: Shown instead of a break-even figure when the knots on the break-even sheet do not all fit (see :func:`union_columns`).
TOO_MANY_KNOTS = "ikke beregnet: flere knækpunkter, end arket har plads til (se sibc sensitivity)"


def union_columns(rule_knots: int, crossed: int) -> int:
    """Columns for the distinct knots of the break-even grid: 0, the rule knots (0 and 1 included) and two
    crossings per crossed row (a rate card's caps; the contract cap; where a payer's own guarantee bends).  Also the
    columns of the stage-1 knots (the rule knots and a rate card's crossings: ``crossed`` = its rows).

    Every slot's candidates are on the sheet (a spare slot filled later has its knots), but most are 0
    (an empty slot, no crossing): the grid evaluates only the distinct knots above 0, in increasing order,
    so it grows with the slots, not with slots × crossings. A row that is monotone in the success rate
    (each rule's payment of a measure that grows with it) crosses its level at most once; should a case
    have more knots than columns, ``kn_fuld`` is 0 and the break-even cells show :data:`TOO_MANY_KNOTS`,
    never a wrong figure.  A slot paid every year brings its :data:`YEARLY_KNOTS` among the rule knots; in such a
    workbook the contract cap's rows are the payments up to each year (not up to each metric's year), within the
    same two columns per metric.
    """
    return 1 + rule_knots + 2 * crossed


def at_column(row: str) -> Callable[[int], str]:
    """The cell of evaluation row ``row`` in a given column, as a formula reference."""
    return lambda col: f"{{{row}[{col}]}}"


def complete_only(formula: str) -> str:
    """``formula`` (without ``=``) while every knot is on the break-even grid, else :data:`TOO_MANY_KNOTS`."""
    return f'IF({{kn_fuld}}=0,{excel_string(TOO_MANY_KNOTS)},{formula})'


def sensitivity_model(d: Dims) -> tuple[list, list]:
    """The break-even machinery (knots, loss ranges, the evaluation grid) and the figures read from it.

    Returns (machinery blocks for :data:`MACHINERY_SHEET`, the named figures for Følsomhed:
    the scenarios' present values and the break-evens).
    """
    cands = knot_candidates(d)
    K = len(cands) + 3  # rule knots and the deadweight floor, with 0 and 1
    # the floor as a knot unless a rule's knot is already there (a rate card's count leaving 0 at that deadweight)
    cands.append(f"=IF(AND({{kn_doedvaegt}}>0,{{kn_doedvaegt}}<1,COUNTIF({{kn_kandidat[0]}}:{{kn_kandidat[{K - 2}]}},{{kn_doedvaegt}})=0),{{kn_doedvaegt}},0)")
    # The contract cap cuts the latest payments first: the payments' PV bends where the payments up to and
    # including a metric's year reach the cap (the last such year: where the cap starts to bind).
    cumulative = [f"ev_kumuleret{m}" for m in range(1, len(d.metrics) + 1)] or ["ev_i_alt"]
    capped = [(at_column(c), "{loft_samlet}") for c in cumulative]
    if d.yearly:  # a metric paid every year pays in every year from aar to til_aar: the payments up to each year
        # (the columns stay those of the metrics' rows: the payments up to a year grow with the years, and each
        # crosses the cap at most once in a case whose payments grow with the success rate)
        capped = [(lambda col, y=y: f"SUM({{ev_brutto0[{col}]}}:{{ev_brutto{y}[{col}]}})", "{loft_samlet}")
                  for y in range(d.years)]  # fmt: skip
    # a return floor bends the payments where their total reaches the floor's (above the caps' total: where the
    # capped total does, a knot already); a guarantee the payer gives itself where GUARANTEE_BENDS says
    guaranteed = [(at_column("ev_i_alt"), level) for level in ("{gulv_afkast}", *GUARANTEE_BENDS)]
    capped += guaranteed
    # Two stages.  A rule whose measured value bends between its measurements' own knots (a rate card's caps) meets
    # its levels between the rule knots (stage 1: linear there).  The payments in total then bend at those crossings
    # too, so the contract cap and a payer's guarantee are met between the stage-1 knots (stage 2), evaluated in
    # columns of their own; without such a rule stage 1 is the rule knots.
    piecewise = [(at_column(r), level) for r, level in piecewise_levels(d)]
    K1 = union_columns(K, len(piecewise)) if piecewise else K  # the stage-1 knots (0 and 1 included)
    # the distinct knots evaluated (most candidates are 0: no crossing, an empty slot); the yearly cap rows within
    # the columns of the metrics' (see union_columns)
    L = union_columns(K, len(piecewise) + len(cumulative) + len(guaranteed))
    U = K1 + K1 * len(capped)  # candidates: the stage-1 knots, and where the contract cap and a guarantee are met
    # the payer's largest loss is sought from the highest deadweight up (the core's deadweight_floor), a knot of its own
    floor = Formula("kn_doedvaegt", "Største tab søges fra succesraten (højeste dødvægt)", "=" + deadweight_floor_formula(d), st.PERCENT)
    floor_effect = Formula("kn_doedvaegt_effekt", "Effekten med den højeste dødvægt (tom: alle effekter har samme dødvægt)",
                           "=" + deadweight_floor_effect_formula(d))
    knots = Table("knaekpunkter", tuple(f"K{k}" for k in range(K)), (
        Formulas("kn_kandidat", "Kandidat (regler; 0, 1, dødvægten)", ("=0", "=1", *cands), st.PERCENT),
        Formula("kn_sorteret", "Sorteret", "=SMALL({kn_kandidat},{i}+1)", st.PERCENT),
    ), title="Knækpunkter")  # fmt: skip
    # Evaluation columns: 0 s=0, 1 s=1, 2 lav, 3 basis, 4 høj; then A = the sorted rule knots, B = just left of them,
    # (with stage 1) T = the stage-1 knots, T− = just left of them; C = all knots, D = just left of those.
    a0, b0 = 5, 5 + K
    t0, u0 = (5 + 2 * K, 5 + 2 * K + K1) if piecewise else (a0, b0)
    c0 = 5 + 2 * K + (2 * K1 if piecewise else 0)
    d0 = c0 + L
    stage1 = "kn_trin1" if piecewise else "kn_sorteret"
    # an empty Lav or Høj is the base success rate (the scenario changes nothing for that effect)
    lav = "IF(ISNUMBER(INDEX({sc_lav},{e},1)),INDEX({sc_lav},{e},1),INDEX({sc_basis},{e},1))"
    hoej = "IF(ISNUMBER(INDEX({sc_hoej},{e},1)),INDEX({sc_hoej},{e},1),INDEX({sc_basis},{e},1))"
    columns = [(b0, "kn_sorteret", a0, False), (c0 if not piecewise else t0, "kn_sorteret", b0, True)]
    if piecewise:
        columns += [(u0, "kn_trin1", t0, False), (c0, "kn_trin1", u0, True)]
    columns += [(d0, "kn_alle", c0, False)]
    rate = f"MAX(0,INDEX({{kn_alle}},1,{{i}}-{d0 - 1})-{DELTA})"
    for below, row, first, left in reversed(columns):  # the last column first: each branch wraps the ones after it
        at = f"INDEX({{{row}}},1,{{i}}-{first - 1})"
        rate = f"IF({{i}}<{below},{f'MAX(0,{at}-{DELTA})' if left else at},{rate})"
    rate = (f"IF({{i}}=0,0,IF({{i}}=1,1,IF({{i}}=2,{lav},IF({{i}}=3,INDEX({{sc_basis}},{{e}},1),"
            f"IF({{i}}=4,{hoej},{rate})))))")  # fmt: skip
    labels = ("s = 0", "s = 1", "Lav", "Basis", "Høj", *(f"A{k}" for k in range(K)), *(f"A{k}−" for k in range(K)),
              *((*(f"T{k}" for k in range(K1)), *(f"T{k}−" for k in range(K1))) if piecewise else ()),
              *(f"K{j}" for j in range(L)), *(f"K{j}−" for j in range(L)))  # fmt: skip
    evaluation = Table("evaluering", labels, evaluation_rows(d, rate), title="Beregning")

    def crossings(rows: list, knots: str, n: int, at0: int, left0: int) -> list[str]:
        """Where each (row, level) of ``rows`` meets its level between consecutive knots of ``knots`` (``n`` of them,
        evaluated at columns ``at0`` + k and just left of them at ``left0`` + k), by linear interpolation; 0 = none."""
        return [
            "=0" if k == 0 else
            f'=IF(N({level})=0,0,IF(({c(at0 + k - 1)}-{level})*({c(left0 + k)}-{level})<0,'
            f"{{{knots}[{k - 1}]}}+({level}-{c(at0 + k - 1)})*(MAX(0,{{{knots}[{k}]}}-{DELTA})-{{{knots}[{k - 1}]}})"
            f"/({c(left0 + k)}-{c(at0 + k - 1)}),0))"
            for c, level in rows for k in range(n)
        ]  # fmt: skip

    first_stage = []
    if piecewise:  # the rule knots and where the rate cards' levels are met, each once, in increasing order
        first_stage = [
            Table("knaekpunkter_trin1_kandidater", tuple(f"K{j}" for j in range(K * (1 + len(piecewise)))), (
                Formulas("kn_trin1_kandidat", "Regler og ratekortets lofter (kandidater; 0 = intet knæk)",
                         tuple(f"={{kn_sorteret[{k}]}}" for k in range(K)) + tuple(crossings(piecewise, "kn_sorteret", K, a0, b0)), st.PERCENT),
            ), title="Knækpunkter, trin 1 (kandidater)"),
            Table("knaekpunkter_trin1", tuple(f"T{j}" for j in range(K1)), (
                Formula("kn_trin1", "Sorteret, hver én gang (1 når de er brugt op)",
                        "=IFERROR(SMALL({kn_trin1_kandidat},SUMPRODUCT(--({kn_trin1_kandidat}<={kn_trin1[i-1]}))+1),1)", st.PERCENT, first="=0"),
            ), title="Knækpunkter, trin 1 (sorteret)"),
            Blank(),
        ]  # fmt: skip
    cap_cross = crossings(capped, stage1, K1, t0, u0)
    union = Table("knaekpunkter_kandidater", tuple(f"K{j}" for j in range(U)), (
        Formulas("kn_union", "Regler, ratekortets lofter, kontraktloft og garanti", tuple(f"={{{stage1}[{k}]}}" for k in range(K1)) + tuple(cap_cross), st.PERCENT),
    ), title="Alle knækpunkter (kandidater; 0 = intet knæk)")  # fmt: skip
    # the distinct knots above 0 in increasing order after the one 0, each the smallest candidate above the one before
    # (an exact comparison, as the core's set of knots; all of them when the last column is 1: see kn_fuld)
    ordered = Table("knaekpunkter_alle", tuple(f"K{j}" for j in range(L)), (
        Formula("kn_alle", "Sorteret, hver én gang (over 0; 1 når de er brugt op)",
                "=IFERROR(SMALL({kn_union},SUMPRODUCT(--({kn_union}<={kn_alle[i-1]}))+1),1)", st.PERCENT, first="=0"),
    ), title="Knækpunkter i beregningen (sorteret)")  # fmt: skip
    # and every yearly slot's knots fit its columns, and the stage-1 knots theirs
    fits = "".join(f",{{ev_ak{m}_fuld}}=1" for m in d.yearly) + (f",{{kn_trin1[{K1 - 1}]}}=1" if piecewise else "")
    complete = Formula("kn_fuld", "Alle knækpunkter er med (1 = ja)",
                       f"=IF(AND({{kn_alle[{L - 1}]}}=1{fits}),1,0)" if fits else f"=IF({{kn_alle[{L - 1}]}}=1,1,0)", st.INTEGER)

    def piece(j: int, row: str, end: bool) -> str:
        """Where figure ``row`` is < 0 on the piece from knot j−1 to knot j: its start (or its end)."""
        a, b, va, vb = f"{{kn_alle[{j - 1}]}}", f"{{kn_alle[{j}]}}", f"{{{row}[{c0 + j - 1}]}}", f"{{{row}[{d0 + j}]}}"
        root = f"{a}-{va}*(MAX(0,{b}-{DELTA})-{a})/({vb}-{va})"
        first, other, bound = (vb, va, b) if end else (va, vb, a)
        return f'=IF({b}<={a},"",IF({first}<0,{bound},IF({other}<0,{root},"")))'

    figures = (("betaler", "ev_nv_betaler", "Betaler"), ("investor", "ev_inv", "Investor"),
               ("krav", "ev_inv_krav", "Investor, krav til afkast"))  # fmt: skip
    cross = Table("tabsintervaller", tuple(f"K{j}" for j in range(L)), tuple(
        Formulas(f"tab_{side}_{who}", f"{label}: taber {side}",
                 ('=""',) + tuple(piece(j, row, side == "til") for j in range(1, L)), st.PERCENT)
        for who, row, label in figures for side in ("fra", "til")
    ), title="Tab pr. interval")  # fmt: skip

    # the payer's separate loss intervals: a piece whose loss starts where the previous piece's loss ended continues
    # that interval (both are the same knot cell); text compares above numbers, so an empty end never counts
    starts, ends = (f"{{tab_{side}_betaler[{first}]}}:{{tab_{side}_betaler[{first + L - 2}]}}" for side, first in (("fra", 1), ("til", 0)))
    separate = Formula("tab_antal_betaler", "Betaler: antal adskilte tabsintervaller",
                       f"=SUMPRODUCT(ISNUMBER({starts})*(1-ISNUMBER({ends})*({ends}>={starts})))", st.INTEGER)

    def stays(who: str, row: str) -> str:
        return complete_only(f'IF({{{row}[1]}}<0,{excel_string(NONE_REACHED)},IF(COUNT({{tab_til_{who}}})=0,0,MAX({{tab_til_{who}}})))')

    # the largest loss over the grid's points (knots and just left of them) at success rates from the floor up;
    # SUMPRODUCT evaluates the array (points below the floor give 0, as does no loss)
    evaluated = f"{{ev_nv_betaler[{c0}]}}:{{ev_nv_betaler[{d0 + L - 1}]}}"
    rates = f"{{ev_succes1[{c0}]}}:{{ev_succes1[{d0 + L - 1}]}}"
    largest_loss = f"MAX(0,SUMPRODUCT(MAX(({rates}>={{kn_doedvaegt}})*(-{evaluated}))))"
    machinery = [
        Text("Hjælpeark: regnemaskineriet bag break-even og scenarierne på arket Følsomhed. Ret intet her."),
        Text("Knækpunkterne er de succesrater, hvor en betalingsregel knækker eller springer; mellem dem er "
             "nutidsværdien lineær, så hvert tab findes eksakt. 'Tab pr. interval' viser hvert interval, hvor der tabes."),
        Blank(), floor, floor_effect, knots, Blank(), *first_stage, union, Blank(), ordered, complete, Blank(), cross, separate, Blank(), *([metric_years(d), Blank()] if d.metrics else []),
        *(x for m in d.yearly for x in (*yearly_weights(m, d.metrics[m - 1][0], d), Blank(),
                                          *(y for b in yearly_knot_blocks(m, d.metrics[m - 1][0], d) for y in (b, Blank())))),
        evaluation,
        Blank(), Table("fs_aarstabel", years(d), (Formula("fs_aar", "År", "={i}", st.INTEGER), Formula("fs_df", "Diskonteringsfaktor", "={df[i]}", st.FACTOR),
                                                       Formula("fs_andel_betaler", "Betalers andel af betalingerne", "={r_andel_betaler[i]}", st.PERCENT)),
                       orientation="columns", title="År (til beregningen ovenfor)"),
    ]
    scenario_pvs = [
        Formula(f"{prefix}_{scen}", f"Nutidsværdi {who}, {label}", f"={{{row}[{col}]}}", st.KR)
        for prefix, who, row in (("nv", "betaler", "ev_nv_betaler"), ("nvo", "offentlig", "ev_nv_offentlig"))
        for scen, label, col in (("lav", "lav", 2), ("basis", "basis", 3), ("hoej", "høj", 4))
    ]
    break_even = [
        Formula("break_even", "Break-even succesrate (betaler forbliver mindst 0 herfra)", "=" + stays("betaler", "ev_nv_betaler"), st.PERCENT),
        Formula("tab_fra", "Betaler taber ved succesrater fra (og op til break-even)", "=" + complete_only(f'IF(COUNT({{tab_fra_betaler}})=0,{excel_string(NO_LOSS)},MIN({{tab_fra_betaler}}))'), st.PERCENT),
        Formula("tab_stoerst", ITEMS["tab_stoerst"].label, "=" + complete_only(largest_loss), st.KR,
                label_formula=largest_loss_label_formula(), label_length=LARGEST_LOSS_LENGTH),
        Formula("inv_laveste", "Investor: laveste netto ved succesrate 0–100 %",
                "=" + complete_only(f"MIN({{ev_inv[{c0}]}}:{{ev_inv[{d0 + L - 1}]}})"), st.KR),
        Formula("be_investor", "Break-even succesrate investor (pengene tilbage)",
                f'=IF({{investering}}=0,{excel_string(UNDEFINED)},' + stays("investor", "ev_inv") + ")", st.PERCENT),
        Formula("be_investor_krav", "Break-even succesrate investor (krav til afkast)",
                f'=IF(OR({{investering}}=0,{{investor_krav}}=""),{excel_string(UNDEFINED)},' + stays("krav", "ev_inv_krav") + ")", st.PERCENT),
    ]  # fmt: skip
    return machinery, scenario_pvs + break_even


BREAK_EVEN_LENGTH = 560
"""Characters of the break-even sentence with a loss interval (:func:`break_even_sentence`), printed wrapped: 346 with
every rate at 100,0 %, two to nine separate loss intervals and a loss of 1.234.567.890 kr., and 69 more for the mark
of a break-even below the deadweight (`` (under dødvægten (100,0 %): casen betaler sig, selv om intet ændres)``); below
the highest of differing deadweights the deadweight is named twice with its effect (an id of up to 20 characters) and
the mark says what it means for that effect: 140 more."""

def break_even_sentence() -> str:
    """The payer's break-even in one Danish sentence, from the cells ``break_even``, ``tab_fra``, ``tab_stoerst``
    and ``kn_doedvaegt`` (the largest loss is sought from the deadweight up), the amount in kr. (the writer writes every
    ``kr.`` of a text in the case's currency, :func:`udfs.core.vocabulary.in_currency`).  A break-even below the
    deadweight is marked as the core marks it (:func:`udfs.core.businesscase.below_deadweight`):
    ``… for alle effekter (under dødvægten (20 %): casen betaler sig, selv om intet ændres); …``."""
    be, loss = share_words_excel("{break_even}"), number_words_excel("{tab_stoerst}", 0) + '&" kr."'
    words = floor_words_excel()
    floor = f'"ved succesrater fra "&{excel_template("{name} ({detail}) ", **words)}'
    first = share_words_excel("{tab_fra}")
    separate = 'IF({tab_antal_betaler}>1,"i "&{tab_antal_betaler}&" adskilte intervaller ","")'
    never = (f'"Betaleren taber også ved 100 % (samme succesrate for alle effekter): ved succesrater "&{separate}&"fra "&{first}'
             f'&" op til 100 %; største tab "&{floor}&"er "&{loss}'
             '&" i nutidsværdi. Betalingsmodellen eller omkostningerne skal ændres, før casen kan betale sig for betaleren."')
    no_loss = '"Betaleren taber ikke ved nogen succesrate fra 0 til 100 % (samme succesrate for alle effekter)."'
    from udfs.core.businesscase import BELOW_DEADWEIGHT, DEADWEIGHT_NOISE, PAYS_UNCHANGED, WITHOUT_INTERVENTION

    # the core's mark (businesscase.below_deadweight) by formula, and what it means: for every effect the case pays
    # unchanged; below the highest of differing deadweights, that effect's rate would be reached without the intervention
    meaning = (f'IF({words["effect"]}="",{excel_string(PAYS_UNCHANGED)},'
               f'{excel_template("en succesrate, " + WITHOUT_INTERVENTION[1], effect=words["effect"])})')
    below = (f'IF({{break_even}}<{{kn_doedvaegt}}-{DEADWEIGHT_NOISE:.9f},'
             f'{excel_template(" (" + BELOW_DEADWEIGHT + ": {meaning})", **words, meaning=meaning)},"")')
    some = (f'"Betaleren får mindst pengene igen (nutidsværdi mindst 0), når succesraten er mindst "&{be}&" for alle effekter"&{below}&"; "'
            f'&"under "&{be}&" taber betaleren ved succesrater "&{separate}&"mellem "&{first}&" og "&{be}'
            f'&" (største tab "&{floor}&"er "&{loss}&" i nutidsværdi)."')
    return "=" + complete_only(f"IF(NOT(ISNUMBER({{break_even}})),{never},IF({{break_even}}=0,{no_loss},{some}))")


def written(values: dict[str, Any] | None, name: str, n: int = 1) -> tuple:
    """The values sibc wrote for ``name`` at build (:func:`workbooks.book.written_values`), or ``n`` blanks
    (the layout a workbook is read back with)."""
    return tuple(values[name]) + (None,) * (n - len(values[name])) if values and name in values else (None,) * n


TORNADO_CHART_DRIVERS = 12
"""Drivers drawn in the tornado chart: the largest swings (the table lists them all); more are unreadable on A4."""


def tornado_drivers(d: Dims) -> int:
    """Drivers of the tornado and the switching values (:func:`udfs.core.engine.driver_names`)."""
    used = d.effects if d.used_effects is None else d.used_effects  # the case's own effects (written at build), not spare slots
    return used * len(EFFECT_DRIVERS) + len(CASE_DRIVERS)


SENSITIVITY_LABEL_WIDTH = 53
"""Column A of Følsomhed (characters): its longest label, "Største tab for betaler (nutidsværdi, succesrate fra dødvægten)", printed whole."""

SENSITIVITY_WIDTHS = {"A": SENSITIVITY_LABEL_WIDTH, "B": 46, "C": 22, "D": 22,
                      **{letter: 15 for letter in "EFGHIJKLMN"}}
"""Følsomhed's columns (characters).  Sized by their longest header or text, the tables' columns (a driver's name in
words, the Monte Carlo's driver names, a switching value outside the input) took the sheet to 314 characters, printed at
45 %; set here, the long texts wrap within their columns (two lines for the longest) and the sheet prints at about
two thirds: a driver's name in words fits B, a driver's name from the case file or a switching value C and D on two
lines, an amount (−1.800.000 kr.) and a header's longest word each of the rest."""


def and_words(words: list[str]) -> str:
    """``["a", "b", "c"]`` as ``"a, b og c"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]


DISTRIBUTION_HELP = (
    "Fordelinger: skriv én driver pr. række i kolonnen Driver med det navn, sibc læser (driver = navn at skrive). "
    + "En effekts drivere: " + "; ".join(f"{DRIVER_WORDS[x]} = effekter.<id>.{x}" for x in EFFECT_DRIVERS)
    + " (<id> er effektens id fra arket Effekter). Hele casens drivere: "
    + "; ".join(f"{DRIVER_WORDS[x]} = {x}" for x in CASE_DRIVERS)
    + ". Vælg fordelingen, og udfyld dens værdier i driverens enhed ("
    + "; ".join(f"{DISTRIBUTION_WORDS[k].lower()}: " + and_words([DIST_LABELS[f] for f in fields])
                for k, fields in DISTRIBUTION_PARAMETERS.items())
    + "). Kolonnen »Driver og fordeling i ord« viser driveren i ord. Tomme rækker indgår ikke."
)
"""The Monte Carlo guide on Følsomhed: each driver in Danish words (:data:`~udfs.core.uncertainty.DRIVER_WORDS`, as the
tornado and the command line name it), with the name to type beside it."""


def sheet_sensitivity(d: Dims, values: dict[str, Any] | None = None) -> Sheet:
    """Følsomhed: the analysis a reader needs (scenarios, break-even in words, tornado, switching
    values, Monte Carlo); its machinery is on :data:`MACHINERY_SHEET`.  ``values`` are the figures
    sibc computes at build (:func:`workbooks.book.written_values`); None gives blank cells."""
    E, N = d.effects, tornado_drivers(d)
    scen = Table("scenarier", tuple(f"Effekt {e}" for e in range(1, E + 1)), (
        Input("sc_lav", "Lav", number_format=st.PERCENT, validation=SHARE, required=False,
              help="Tom: som basis."),
        Formulas("sc_basis", "Basis", tuple(f"={effect_ref(e, 'succesrate')}" for e in range(1, E + 1)), st.PERCENT),
        Input("sc_hoej", "Høj", number_format=st.PERCENT, validation=SHARE, required=False,
              help="Tom: som basis."),
    ), orientation="columns", title="Succesrate", hidden=tuple(e - 1 for e in range(1, E + 1) if d.spare_effect(e)))  # fmt: skip
    _, figures = sensitivity_model(d)
    scenario_pvs, break_even = figures[:6], figures[6:]
    w = lambda name, n=1: written(values, name, n)  # noqa: E731
    pct = f"{TORNADO_CHANGE * 100:g} %"
    ranks = tuple(str(k) for k in range(1, N + 1))
    tornado = Table("tornado", ranks, (
        Data("to_driver", "Driver", w("to_driver", N), role="written"),
        Data("to_basis", "Basisværdi", w("to_basis", N), role="written"),
        Data("to_lav", f"Værdi ved −{pct}", w("to_lav", N), role="written"),
        Data("to_hoej", f"Værdi ved +{pct}", w("to_hoej", N), role="written"),
        Data("to_nv_lav", f"Nutidsværdi ved −{pct}", w("to_nv_lav", N), st.KR, role="written"),
        Data("to_nv_hoej", f"Nutidsværdi ved +{pct}", w("to_nv_hoej", N), st.KR, role="written"),
        Data("to_aendr_lav", f"Ændring ved −{pct}", w("to_aendr_lav", N), st.KR, role="written"),
        Data("to_aendr_hoej", f"Ændring ved +{pct}", w("to_aendr_hoej", N), st.KR, role="written"),
        Data("to_udsving", "Udsving", w("to_udsving", N), st.KR, role="written"),
    ), orientation="columns", title="Nr.")  # fmt: skip
    switching = Table("skiftevaerdier", ranks, (
        Data("sv_driver", "Driver", w("sv_driver", N), role="written"),
        Data("sv_basis", "Basisværdi", w("sv_basis", N), role="written"),
        Data("sv_vaerdi", "Skifteværdi (nutidsværdi 0)", w("sv_vaerdi", N), role="written"),
    ), orientation="columns", title="Nr.")  # fmt: skip
    blocks: list = [
        Text("Hvor robust er casen? Arket viser betalerens nutidsværdi i scenarier, break-even, en tornado, "
             "skifteværdier og en Monte Carlo. Maskineriet bag break-even står på arket " + MACHINERY_SHEET + "."),
        stale_warning("fo_foraeldet"),
        Blank(), Heading("Scenarier: lav, basis og høj succesrate"),
        Text("Sådan læses tabellen: hver række er en effekt, hver kolonne succesraten i et scenarie (lav og høj kan rettes; "
             "en tom lav eller høj regnes som basis). "
             "Nutidsværdierne under tabellen er hele casen regnet med scenariets succesrater, alt andet som i basis. "
             "Ledige effekter (tomme ved opbygningen) er skjult: vis dem med + i venstre margen."),
        scen, *scenario_pvs,
        Blank(), Heading("Break-even: hvornår betaler casen sig for betaleren?"),
        Formula("be_tekst", "Forklaring", break_even_sentence(), text_length=BREAK_EVEN_LENGTH),
        *break_even,
        Blank(), Heading(f"Tornado: betalerens nutidsværdi, når én driver ad gangen ændres ±{pct}"),
        Text(WRITTEN_NOTE, role="note"),
        Text(f"Sådan læses den: hver række sætter én driver {pct} lavere (−{pct}) og {pct} højere (+{pct}) end i basis, "
             f"alt andet uændret (en driver på 0 har ingen procentvis ændring: den flyttes ±{number_text(TORNADO_CHANGE)} i absolutte "
             "tal, og det står ved driveren; andele holdes i 0–100 %). "
             "'Ændring' er nutidsværdien minus basis. Det største udsving står øverst."),
        Data("to_basis_nv", "Nutidsværdi betaler, basis", w("to_basis_nv"), st.KR, role="written"),
        tornado,
        Chart(f"Tornado: betalerens nutidsværdi ved −{pct}/+{pct}"
              + (f" ({TORNADO_CHART_DRIVERS} største)" if N > TORNADO_CHART_DRIVERS else ""),
              ("to_aendr_lav", "to_aendr_hoej"), "to_driver", kind="tornado", y_title="kr.",
              height_rows=max(15, 2 * min(N, TORNADO_CHART_DRIVERS)), first=TORNADO_CHART_DRIVERS),
        Blank(), Heading("Skifteværdier: hvor meget må en driver ændre sig, før betaleren taber?"),
        Text(WRITTEN_NOTE, role="note"),
        Text("Skifteværdien er den værdi af driveren, alt andet som i basis, hvor betalerens nutidsværdi er 0. "
             f"'{NO_SWITCHING}': nutidsværdien skifter ikke fortegn, mens driveren går over hele sit interval "
             "(andele 0–100 %, faktorer 0–10). " + OUTSIDE_INPUT_NOTE),
        switching,
        Blank(), Heading("Monte Carlo: alle usikre drivere trukket på én gang"),
        Input("mc_antal_traek", "Antal træk", kind="integer", validation=Validation.whole(1, 1_000_000), default=10_000),
        Input("mc_seed", "Seed", kind="integer", number_format=st.CODE, validation=Validation.whole(0), default=0),
    ]  # fmt: skip
    dist_rows = tuple(f"Fordeling {k + 1}" for k in range(d.distributions))
    blocks += [
        Text(DISTRIBUTION_HELP),
        Table("fordelinger", dist_rows, (
            Data("mc_i_ord", "Driver og fordeling i ord (ved opbygning)", w("mc_i_ord", d.distributions), role="written"),
            Input("mc_driver", "Driver (navnet fra case-filen; i ord i rækken ovenfor)", kind="text", required=False, key=True,
                  wrap=True),
            Input("mc_fordeling", "Fordeling", kind="text", validation=Validation.words(DISTRIBUTION_WORDS), required=False),
            *(Input(f"mc_{f}", DIST_LABELS[f], number_format=st.DECIMAL, required=False, percent_when=share_driver(at("mc_driver")),
                    per_cent_by_case=True)
              for f in DIST_FIELDS[2:]),
        ), orientation="columns", title="Fordeling"),
    ]  # fmt: skip
    if not d.has_monte_carlo():
        blocks.append(Text("Casen har ingen fordelinger endnu: en Monte Carlo kræver fordelinger for de usikre drivere. "
                           "Udfyld tabellen ovenfor, og byg regnearket igen (sibc extract, derefter sibc build); så beregner "
                           "sibc Monte Carlo'en og skriver resultaterne her.", role="note"))
        return Sheet("Følsomhed", wrapped_texts(blocks), title="Følsomhed", widths=SENSITIVITY_WIDTHS)
    bins = tuple(f"Interval {k}" for k in range(1, HISTOGRAM_BINS + 1))
    blocks += [
        Text(WRITTEN_NOTE, role="note"),
        Data("mc_dato", "Beregnet den", w("mc_dato"), role="written"),
        Data("mc_traek_brugt", "Antal træk brugt", w("mc_traek_brugt"), st.INTEGER, role="written"),
        Data("mc_seed_brugt", "Seed brugt", w("mc_seed_brugt"), st.CODE, role="written"),
        Table("mc_resultat", tuple(f"P{q}" for q in PERCENTILES) + ("Middel",), (
            Data("mc_pv_betaler", "Nutidsværdi betaler", w("mc_pv_betaler", len(PERCENTILES) + 1), st.KR, role="written"),
            Data("mc_pv_offentlig", "Nutidsværdi offentlig", w("mc_pv_offentlig", len(PERCENTILES) + 1), st.KR, role="written"),
        ), orientation="columns", title="Percentil"),
        Text("P5 er den nutidsværdi, som 5 % af trækkene ligger under; P50 er medianen."),
        Text("Gevinst: nutidsværdi over 0; tab: under 0. Investorens tab: resultatbetalinger under investeringen."),
        Data("mc_gevinst_betaler", "Sandsynlighed for gevinst, betaler", w("mc_gevinst_betaler"), st.PERCENT, role="written"),
        Data("mc_tab_betaler", "Sandsynlighed for tab, betaler", w("mc_tab_betaler"), st.PERCENT, role="written"),
        Data("mc_gevinst_offentlig", "Sandsynlighed for gevinst, offentlig", w("mc_gevinst_offentlig"), st.PERCENT, role="written"),
        Data("mc_tab_offentlig", "Sandsynlighed for tab, offentlig", w("mc_tab_offentlig"), st.PERCENT, role="written"),
        Data("mc_tab_investor", "Sandsynlighed for tab, investor", w("mc_tab_investor"), st.PERCENT, role="written"),
        Table("mc_histogram", bins, (
            Data("mc_hist_navn", "Nutidsværdi betaler (mio. kr.)", w("mc_hist_navn", HISTOGRAM_BINS), role="written"),
            Data("mc_hist_fra", "Fra (kr.)", w("mc_hist_fra", HISTOGRAM_BINS), st.KR, role="written"),
            Data("mc_hist_til", "Til (kr.)", w("mc_hist_til", HISTOGRAM_BINS), st.KR, role="written"),
            Data("mc_hist_antal", "Antal træk", w("mc_hist_antal", HISTOGRAM_BINS), st.INTEGER, role="written"),
            Data("mc_hist_andel", "Andel af trækkene", w("mc_hist_andel", HISTOGRAM_BINS), st.PERCENT, role="written"),
        ), orientation="columns", title="Histogram"),
        Chart("Monte Carlo: fordeling af betalerens nutidsværdi", ("mc_hist_antal",), "mc_hist_navn", kind="bar", y_title="antal træk",
              x_title="nutidsværdi, mio. kr."),
    ]  # fmt: skip
    return Sheet("Følsomhed", wrapped_texts(blocks), title="Følsomhed", widths=SENSITIVITY_WIDTHS)


def sheet_sensitivity_machinery(d: Dims, values: dict[str, Any] | None = None) -> Sheet:
    """The break-even machinery behind Følsomhed (:func:`sensitivity_model`), and the fingerprint of the
    inputs sibc computed Følsomhed's written values for."""
    machinery, _ = sensitivity_model(d)
    return Sheet(MACHINERY_SHEET, (
        *machinery, Blank(),
        Data("foelsomhed_grundlag", "Fingeraftryk af de input, som sibc beregnede værdierne på arket Følsomhed for",
             written(values, "foelsomhed_grundlag"), role="written"),
    ), title="Beregning til arket Følsomhed (hjælpeark)", widths={"A": 66}, hidden=True)  # fmt: skip


STALE_WARNING = ("Tallene på arket Følsomhed (tornado, skifteværdier, Monte Carlo) er beregnet for andre input: "
                 "kør sibc extract og sibc build (opdater regnearket).")
"""The red warning on Følsomhed and Overblik when an input differs from the value it had at build."""

SNAPSHOT_HEADING = "Input ved opbygning (til kontrol af, om arket Følsomhed er forældet)"


def input_items(sheets: tuple[Sheet, ...]) -> list[tuple[str, Input, int | None, str]]:
    """Every input of ``sheets``: (sheet name, input, cells of its row/column or None for one cell, orientation)."""
    out = []
    for sheet in sheets:
        for block in sheet.blocks:
            if isinstance(block, Input):
                out.append((sheet.name, block, None, "rows"))
            elif isinstance(block, Table):
                out += [(sheet.name, item, len(block.labels), block.orientation) for item in block.items if isinstance(item, Input)]
    return out


SNAPSHOT = "grundlag_"
"""Prefix of the name of an input's copy as built (:func:`snapshot_blocks`), e.g. ``grundlag_eg_beloeb``."""


def snapshot_name(name: str) -> str:
    """The name of the copy of input ``name`` as built (:func:`snapshot_blocks`): a formula compares the input's cell
    with it (the Følsomhed values' staleness, an own price's amount changed under its derivation)."""
    return SNAPSHOT + name


def snapshot_blocks(sheets: tuple[Sheet, ...], snapshot: dict[str, Any] | None = None) -> list:
    """The copy of every input as built (``snapshot``: input name → the value its cell holds; None: blank, as
    when reading back) and, per input, the number of its cells that differ from that copy now
    (``EXACT`` compares text and numbers alike; an emptied or a filled cell counts).  ``grundlag_aendret``
    is their sum: above 0, Følsomhed's written values (:func:`workbooks.book.written_values`) are stale."""
    items = input_items(sheets)
    groups: dict[tuple[int | None, str], list[int]] = {}
    for k, (_, _, n, orientation) in enumerate(items):
        groups.setdefault((n, orientation), []).append(k)
    value = lambda k, n: (snapshot or {}).get(items[k][1].name, None if n is None else [None] * n)  # noqa: E731
    blocks: list = [Heading(SNAPSHOT_HEADING)]
    for j, ((n, orientation), ks) in enumerate(groups.items()):
        data = [Data(snapshot_name(items[k][1].name), f"{items[k][0]}: {items[k][1].label}",
                     (value(k, n),) if n is None else tuple(value(k, n) or [None] * n), role="written") for k in ks]
        blocks += data if n is None else [Table(f"grundlag_tabel_{j}", tuple(str(i) for i in range(1, n + 1)), tuple(data),
                                                orientation=orientation, title="Input")]
    cell = lambda item, n: item.name + WORD_SUFFIX if n is None and coded(item) else item.name  # noqa: E731 - the cell showing a word
    # text comparison (x&"") treats numbers and texts alike and an empty cell as ""; EXACT would be case-sensitive, but
    # LibreOffice does not evaluate it over a range inside SUMPRODUCT
    differ = tuple(f'=SUMPRODUCT(--({{{cell(item, n)}}}&""<>{{{snapshot_name(item.name)}}}&""))' for _, item, n, _ in items)
    blocks += [
        Table("grundlag_kontrol", tuple(f"{sheet}: {item.label}" for sheet, item, _, _ in items),
              (Formulas("grundlag_forskel", "Celler ændret siden opbygning", differ, st.INTEGER),), orientation="columns", title="Input"),
        Formula("grundlag_aendret", "Input-celler ændret siden opbygning i alt", "=SUM({grundlag_forskel})", st.INTEGER),
    ]
    return blocks


COPY = "kopi_"
"""Prefix of the name of the copy (on :data:`MACHINERY_SHEET`) of a value sibc wrote on Følsomhed."""
COPIES_HEADING = "Kopi af de værdier, sibc skrev på arket Følsomhed (til kontrol af, om en er overskrevet)"


def written_copies(sheet: Sheet) -> list:
    """A copy of every value sibc writes on ``sheet`` (Følsomhed: its ``written`` cells, singly or in tables), named
    ``kopi_<name>``: a cell of Følsomhed that differs from its copy was typed over (:func:`workbooks.book.written_over`)."""
    def copy(item: Data) -> Data:
        return Data(COPY + item.name, f"Kopi: {item.label}", item.values, item.number_format, role="written")

    blocks: list = [Heading(COPIES_HEADING)]
    for block in sheet.blocks:
        if isinstance(block, Data) and block.role == "written":
            blocks.append(copy(block))
        elif isinstance(block, Table) and any(isinstance(i, Data) and i.role == "written" for i in block.items):
            items = tuple(copy(i) for i in block.items if isinstance(i, Data) and i.role == "written")
            blocks.append(replace(block, name=COPY + block.name, items=items, labels_name=None))
    return blocks if len(blocks) > 1 else []


def stale_warning(name: str | None = None) -> Formula:
    """The red warning cell (:data:`STALE_WARNING`): blank while every input holds its value from the build
    (or nothing was written at build, e.g. under the price message)."""
    return Formula(name, "Advarsel: Følsomhed", f'=IF(OR({{foelsomhed_grundlag}}="",{{grundlag_aendret}}=0),"",{excel_string(STALE_WARNING)})',
                   role="warning", text_length=len(STALE_WARNING))


PLAUSIBILITY_LENGTH = 240
"""Characters of the implausible-inputs warning a printed page makes room for: one effect and the mark-up, or the
longest single warning (a return floor over the contract's cap, 215 with amounts in millions)."""


def plausibility_formula(d: Dims, name: str | None = None) -> Formula:
    """The red warning cell for implausible inputs, by formula: the rules of
    :func:`udfs.core.plausibility.plausibility_warnings` (a negative net success rate of an effect in use, an
    optimism mark-up on costs above :data:`~udfs.core.plausibility.OPTIMISM_COST_CEILING`, a 100 % deduction
    from the gains, more participants than :data:`~udfs.core.plausibility.POPULATION`, a guarantee's cover above the
    investment, :func:`~udfs.core.plausibility.guarantee_warning`); blank when none applies."""
    ceiling = OPTIMISM_COST_CEILING
    many = f"flere end Danmarks befolkning ({whole(POPULATION)}, {POPULATION_SOURCE}). "
    parts = [f'IF(SUM({{deltagere}})>{POPULATION},"Deltagerne i alt er {many}","")']
    parts += [f'IF(AND({effect_ref(e, "id")}<>"",{effect_ref(e, "egne_deltagere")}="ja"),IF(SUM({effect_ref(e, "deltagere")})>{POPULATION},'
              f'"Effekt {e}: deltagerne i alt er {many}",""),"")' for e in range(1, d.effects + 1)]
    parts += [f'IF(AND({effect_ref(e, "id")}<>"",ISNUMBER({effect_ref(e, "netto")})),IF({effect_ref(e, "netto")}<0,"Effekt {e}: succesraten er under '
              f'dødvægten (nettosuccesrate "&{share_words_excel(effect_ref(e, "netto"))}&"): merudgifter. ",""),"")'
              for e in range(1, d.effects + 1)]
    parts += [f'IF({{optimisme_omk}}>{ceiling:g},"Optimismetillægget på omkostninger er over {ceiling * 100:g} % (Green Book: '
              'over 100 % kun for udstyr og udvikling); 1,5 % skrives 0,015. ","")',
              'IF({optimisme_gev}>=1,"Fradraget på 100 % i gevinster fjerner alle gevinster. ","")']
    kr = lambda cell: number_words_excel(cell, 0) + '&" kr."'  # noqa: E731 - plausibility.amount by formula
    said = lambda template, **fields: excel_template(template[0].upper() + template[1:] + ". ", **fields)  # noqa: E731
    parts += [f'IF({{garanti_daekning}}>{{investering}},{said(BIG_GUARANTEE, cover=kr("{garanti_daekning}"), investment=kr("{investering}"))},"")']
    # a return floor paying beyond the contract's cap (plausibility.floor_over_cap: the floor's top-up lifts the total over it)
    floor = f"SUM({{betalinger}})"
    parts += [f'IF(AND(ISNUMBER({{afkastgulv}}),ISNUMBER({{loft_kontrakt}}),SUM({{bet_gulv}})>0.005,{floor}>{{loft_kontrakt}}+0.005),'
              f'{said(FLOOR_OVER_CAP, floor=share_words_excel("{afkastgulv}", None), total=kr(floor), cap=kr("{loft_kontrakt}"), over=kr(floor + "-{loft_kontrakt}"))},"")']
    return Formula(name, "Advarsel: forudsætninger", "=TRIM(" + "&".join(parts) + ")", role="warning", text_length=PLAUSIBILITY_LENGTH)


def with_snapshot(layout: WorkbookLayout, inputs: dict[str, Any]) -> WorkbookLayout:
    """``layout`` with the copy of the inputs (:func:`snapshot_blocks`) holding ``inputs`` as the writer
    writes them (defaults filled in, a word where the cell shows a word for a code)."""
    from .writer import collect_values, shown_values

    plan = resolve(layout, cells=False)
    cells = shown_values(plan, collect_values(plan, inputs))  # as the cells show them: a word for a code
    visible = tuple(s for s in layout.sheets if s.name != MACHINERY_SHEET)
    blank = len(snapshot_blocks(visible))
    copies = len(written_copies(next(s for s in visible if s.name == "Følsomhed")))  # after the snapshot, last on the sheet
    fill = lambda blocks: blocks[:-blank - copies] + tuple(snapshot_blocks(visible, cells)) + blocks[len(blocks) - copies:]  # noqa: E731
    sheets = tuple(replace(s, blocks=fill(s.blocks)) if s.name == MACHINERY_SHEET else s for s in layout.sheets)
    return replace(layout, sheets=sheets)


def without_addin(si: str) -> str:
    """``si`` (an ``SI_`` formula) showing :data:`~udfs.core.vocabulary.ADDIN_MISSING` instead of ``#NAME?``
    when the add-in is not installed (Excel's ERROR.TYPE of #NAME? is 5); any other error stays visible."""
    call = si[1:]
    return f'=IFERROR({call},IF(ERROR.TYPE({call})=5,{excel_string(ADDIN_MISSING)},{call}))'


CURRENCY_CHANGED = ("Valutaen er ændret fra {bygget} til {nu} efter opbygningen; talformater og tekster viser stadig {bygget}. "
                    "Kør sibc extract og sibc build igen.")
"""Said on Kontrol and by ``sibc check`` when the currency input (*Valuta for alle beløb*) differs from the currency the
workbook's number formats and texts were written in at build (the cell ``valuta_bygget``)."""


def currency_changed(built: str | None, now: str) -> str:
    """:data:`CURRENCY_CHANGED` for a workbook built in ``built`` (None: not kept, built before the cell existed) whose
    currency input reads ``now`` (a code, :func:`udfs.core.vocabulary.check_currency`); "" when they are the same."""
    return "" if built is None or built == now else CURRENCY_CHANGED.format(bygget=built, nu=now)


def currency_changed_excel() -> str:
    """:func:`currency_changed` as the formula of Kontrol's warning cell: the typed currency as ``check_currency`` reads it
    (spaces dropped; ``=`` compares texts regardless of case), blank while it is empty or equal to ``valuta_bygget``."""
    now = 'UPPER(SUBSTITUTE({valuta}," ",""))'
    parts = re.split(r"(\{bygget\}|\{nu\})", CURRENCY_CHANGED)
    text = "&".join({"{bygget}": "{valuta_bygget}", "{nu}": now}.get(part) or excel_string(part) for part in parts if part)
    return f'=IF(OR({{valuta_bygget}}="",{now}="",{now}={{valuta_bygget}}),"",{text})'


SPARE_NOT_COMPARED = "ledig: ikke i brug"
"""The difference of a Kontrol row whose slot (effect, outcome metric) is not in use: nothing was compared."""


def check_row(name: str, label: str, plain: str, si: str, fmt: str | None = None, spare: str | None = None) -> Formulas:
    """A Kontrol row: the plain formula, the ``SI_`` formula and their difference; ``spare`` (a condition, no
    ``=``) says the row's slot is not in use, and the difference then says so instead of a 0 that looks compared."""
    a, b = f"{{{name}[0]}}", f"{{{name}[1]}}"
    diff = (f'IF(AND(ISNUMBER({a}),ISNUMBER({b})),{a}-{b},IF(ISERROR({b}),{b},IF({b}={excel_string(ADDIN_MISSING)},{excel_string(NOT_COMPARED)},'
            f'IF({a}={b},0,"forskellig"))))')
    diff = f'=IF({spare},{excel_string(SPARE_NOT_COMPARED)},{diff})' if spare else "=" + diff
    return Formulas(name, label, (plain, without_addin(si), diff), fmt)


def sheet_control(d: Dims, shown: OverviewRows | None = None) -> Sheet:
    """The plain formulas beside the ``SI_`` functions; the rows of the spare slots (effects, outcome metrics) and
    the index years without values (:func:`empty_index_years`, ``shown``) folded."""
    rows = [
        check_row("k_df", "Diskonteringsfaktor sidste år", "=INDEX({df},1,{horisont})", "=SI_DISKONTERINGSFAKTOR({k_sidste_aar},{k_skema})", st.FACTOR),
        check_row("k_nv_betaler", "Nutidsværdi netto betaler", "={nv_betaler}", "=SI_NUTIDSVAERDI({r_netto_betaler},{k_skema})", st.KR),
        check_row("k_nv_offentlig", "Nutidsværdi netto offentlig", "={nv_offentlig}", "=SI_NUTIDSVAERDI({r_netto_offentlig},{k_skema})", st.KR),
        check_row("k_tilbage_betaler", "Tilbagebetalingstid betaler", "={tilbage_betaler}", "=SI_TILBAGEBETALINGSTID({r_netto_betaler})"),
        check_row("k_tilbage_offentlig", "Tilbagebetalingstid offentlig", "={tilbage_offentlig}", "=SI_TILBAGEBETALINGSTID({r_netto_offentlig})"),
        check_row("k_nv_model", "Nutidsværdi betaler (følsomhedsmodellen, basis)", "={nv_basis}", "=SI_NUTIDSVAERDI({r_netto_betaler},{k_skema})", st.KR),
    ]  # fmt: skip
    n = len(index_years())
    series = f"{{k_idx_aar[0]}}:{{k_idx_vaerdi[{n - 1}]}}"  # the chosen series (with own values) as a two-column range
    for k in range(d.units):
        rows.append(check_row(f"k_ep{k + 1}", f"Indeksfaktor, enhedspris {k + 1}", f"={{ep_faktor[{k}]}}",
                              f"=SI_PRISINDEKS({{ep_prisaar[{k}]}},{{prisaar}},{series},{{fremskrivning}})", st.FACTOR))  # fmt: skip
    spare: list[int] = []  # rows of the spare slots (effects, outcome metrics): folded, not printed
    for e in range(1, d.effects + 1):
        spare += [len(rows) + k for k in range(len(AUTHORITIES))] if d.spare_effect(e) else []
        for a in AUTHORITIES:
            rows.append(check_row(
                f"k_eff{e}_{a}", f"Effekt {e}: besparelse {a} i alt", "=" + effect_ref(e, "bespar_sum_" + a),
                f'=IF({effect_ref(e, "id")}="",0,SUM(SI_BESPARELSE({effect_ref(e, "gruppe")},{effect_ref(e, "profil")},{effect_ref(e, "succesrate")},{{k_pris{e}_{a}}},'
                f"{effect_ref(e, 'doedvaegt')},{effect_ref(e, 'frafald')},{effect_ref(e, 'offset')},{{horisont}})))", st.KR, spare=f'{effect_ref(e, "id")}=""'))  # fmt: skip
    for m, (code, _) in enumerate(d.metrics, start=1):
        si = by_code(code).SI_CHECK
        if si is not None:
            spare += [len(rows)] if d.spare_metric(m) else []
            rows.append(check_row(f"k_bm{m}", f"Resultatmål {m}: betaling efter reglen", "=" + metric_ref(m, "regelbetaling"),
                                  "=" + if_used(m, local(m, si)), st.KR, spare=f'{metric_ref(m, "id")}=""'))  # fmt: skip
    if d.investor:
        rows.append(check_row("k_irr", IRR_LABEL, "={investor_irr}", "=SI_INVESTOR_IRR({r_investor_kontrakt})", st.PERCENT))
    helpers = [Formula("k_skema", "Skema til SI_-funktionerne", '=IF({diskontering}="fast",{fast_rente},{diskontering})'),
               Formula("k_sidste_aar", "Horisontens sidste år", "={horisont}-1", st.INTEGER)]
    folded: list[int] = []  # positions in ``helpers`` of the spare effects' helper cells
    for e in range(1, d.effects + 1):
        folded += range(len(helpers), len(helpers) + len(AUTHORITIES)) if d.spare_effect(e) else []
        helpers += [Formula(f"k_pris{e}_{a}", f"Effekt {e}: pris × andel {a} × (1 − optimisme) × profilfaktor",
                            f'=IF({{pris_ok}}=1,{effect_ref(e, "pris")}*{effect_ref(e, "andel_" + a)}*{kept(e)}*{effect_ref(e, "profilfaktor")},"")',
                            st.KR_DECIMALS)
                    for a in AUTHORITIES]  # fmt: skip
    helpers.append(Table("k_indeks", tuple(str(y) for y in index_years()), (
        Formula("k_idx_aar", "År", "={idx_aar[i]}", st.YEAR),
        Formula("k_idx_vaerdi", "Valgt indeks", "={idx_valgt[i]}", st.DECIMAL),
    ), orientation="columns", title="Valgt indeks til SI_PRISINDEKS", hidden=empty_index_years(shown)))  # fmt: skip
    blocks = (
        Text("Hvert nøgletal beregnet med regnearkets formler og med SI_-funktionerne (kræver tilføjelsesprogrammet)."),
        Text(f"Forskellen skal være 0 (højst 0,01 kr.). Uden tilføjelsesprogrammet står der »{ADDIN_MISSING}« i SI_-kolonnen "
             "og »ikke sammenlignet« i forskellen; regnearkets egne formler virker uden."),
        *([Text(SPARE_FOLDED_ROWS)] if spare else []),
        Blank(),
        Table("kontrol", ("Regnearkets formel", "SI_-funktion", "Forskel"), tuple(rows), title="Kontrol", hidden=tuple(spare)),
        # the red warnings under the table: blank (as built, mostly) they leave no band above it
        plausibility_formula(d, "k_plausibel"),
        Formula("k_valuta", "Advarsel: valuta", currency_changed_excel(), role="warning",
                text_length=len(CURRENCY_CHANGED.format(bygget="DKK", nu="USD"))),
        Blank(), Heading("Hjælpeceller til SI_-funktionerne"),
    )
    return Sheet("Kontrol", (
        *blocks, *helpers,
        Blank(), Heading("Opbygning"),
        Data("valuta_bygget", "Valuta for talformater og tekster (da regnearket blev bygget)", (None,), role="written"),
    ), title="Kontrol", widths={"A": 60, "B": 20, "C": 28, "D": 46}, folded=tuple(len(blocks) + k for k in folded))  # fmt: skip


def with_guide(d: Dims, sheets: tuple[Sheet, ...]) -> tuple[Sheet, ...]:
    """Overblik, then the Vejledning sheet describing the visible ``sheets`` that follow it, then the sheets."""
    guide = sheet_guide(d, tuple(s.name for s in sheets if not s.name.startswith("_")))
    front = tuple(s for s in sheets if s.name == "Overblik")  # the decision makers' page stays in front
    return (*front, guide, *(s for s in sheets if s.name != "Overblik"))


def layout_for(d: Dims, values: dict[str, Any] | None = None, shown: OverviewRows | None = None) -> WorkbookLayout:
    """The workbook for these dimensions; ``values`` are the figures sibc writes at build
    (:func:`workbooks.book.written_values`; None: those cells blank, as when reading back); ``shown`` the rows of
    Overblik the case uses (:func:`overview_rows`; None: all but the spare effect slots)."""
    sheets = with_guide(d, tuple(guarded(s) if s.name in GUARDED_SHEETS else s for s in (
        sheet_overview(d, shown), sheet_assumptions(d), sheet_unit_costs(d, shown), sheet_costs(d), sheet_effects(d),
        sheet_payment_model(d), sheet_risks(d, shown), sheet_results(d), sheet_sensitivity(d, values), sheet_control(d, shown),
        *([sheet_published(d)] if d.published else []), sheet_catalogue(), sheet_outcome_funds(),
        sheet_sensitivity_machinery(d, values))))
    snapshot = tuple(snapshot_blocks(tuple(s for s in sheets if s.name != MACHINERY_SHEET)))  # filled at build (with_snapshot)
    copies = tuple(written_copies(next(s for s in sheets if s.name == "Følsomhed")))
    sheets = tuple(replace(s, blocks=s.blocks + snapshot + copies) if s.name == MACHINERY_SHEET else s for s in sheets)
    return WorkbookLayout(
        TEMPLATE_ID, TEMPLATE_VERSION, sheets,
        meta={"katalogversion": manifest()["version"]}, dims=d.as_dict(), print_name="navn",
        print_horizon="horisont", currency_mark="valuta", currency_built="valuta_bygget",
    )  # fmt: skip


#: Bounds of each stored dimension (``_skabelon``), checked before any layout is built.
DIM_BOUNDS = {
    "antal_aar": (1, MAX_HORIZON), "antal_effekter": (1, MAX_EFFECTS), "antal_omkostninger": (0, MAX_COST_LINES),
    "antal_enhedspriser": (0, 2 * MAX_EFFECTS), "antal_resultatmaal": (0, MAX_METRICS + len(rules())), "antal_fordelinger": (0, MAX_DIST_SLOTS),
    "brugte_fordelinger": (0, MAX_DIST_SLOTS),
    "investor": (0, 1), "offentliggjort": (0, 1), "offentlig_visning": (0, 1), "brugte_effekter": (0, MAX_EFFECTS), "brugte_omkostninger": (0, MAX_COST_LINES),
    "brugte_resultatmaal": (0, MAX_METRICS),
    "antal_egne_priser": (0, MAX_OWN_PRICES), "regel": (min(r.CODE for r in rules()), max(r.CODE for r in rules())), "trin": (0, 100), "aarlig": (0, 1),
}  # fmt: skip


def check_dims(dims: dict[str, int]) -> None:
    """Refuse stored dimensions outside :data:`DIM_BOUNDS` (a damaged or hostile ``_skabelon``)."""
    for key, value in dims.items():
        low, high = DIM_BOUNDS.get(key.split("_", 1)[1] if key.startswith(METRIC) else key, (0, 0))
        if not low <= value <= high:
            raise SIError("fil", f"skabelonens dimension {excerpt(key)} = {value} ligger uden for {low}–{high}")


def layout_from_info(info) -> WorkbookLayout:
    """Rebuild the layout of a workbook from its stored dimensions (for reading back)."""
    check_dims(info.dims)
    try:
        return layout_for(Dims.from_dict(info.dims))
    except (KeyError, ValueError):
        raise SIError("fil", "skabelonens dimensioner mangler eller er ugyldige") from None


# --------------------------------------------------------------------------- slots


@dataclass(frozen=True)
class Slot:
    """One effect, cost-line or outcome-metric slot of a workbook: the input that takes it into use, and all its inputs.

    ``inputs`` holds (input, cells): ``cells`` is ``None`` for a single cell,
    else the length of its row.  ``columns`` are the series with one cell per
    slot of this kind (the scenarios' success rates), at index ``number − 1``.
    """

    what: str
    number: int
    key: str
    inputs: tuple[tuple[Input, int | None], ...]
    columns: tuple[str, ...] = ()


def block_inputs(blocks) -> tuple[tuple[Input, int | None], ...]:
    """The inputs among ``blocks`` (also inside tables) with their number of cells (``None``: one)."""
    out = []
    for b in blocks:
        if isinstance(b, Input):
            out.append((b, None))
        elif isinstance(b, Table):
            out += [(i, len(b.labels)) for i in b.items if isinstance(i, Input)]
    return tuple(out)


SLOT_KINDS = ("Effekt", "Omkostning", "Resultatmål")
"""The kinds of slot (:attr:`Slot.what`), in the order :func:`filled_slots` returns them."""


def workbook_slots(d: Dims) -> list[Slot]:
    """Every effect, cost-line and outcome-metric slot of the workbook ``d`` describes, in order."""
    costs = Table("_", years(d), (cost_inputs(1)[3],))
    return [
        *(Slot("Effekt", e, effect_cell(e, "id"), block_inputs(effect_blocks(e, d)), ("sc_lav", "sc_hoej")) for e in range(1, d.effects + 1)),
        *(Slot("Omkostning", c, cost_cell(c, "navn"), block_inputs((*cost_inputs(c)[:3], replace(costs, items=(cost_inputs(c)[3],)))))
          for c in range(1, d.costs + 1)),
        *(Slot("Resultatmål", m, metric_cell(m, "id"), block_inputs(metric_blocks(m, code, steps, d)))
          for m, (code, steps) in enumerate(d.metrics, start=1)),
    ]  # fmt: skip


def year_inputs(d: Dims) -> list[str]:
    """The inputs with one cell per year column (participants, costs, profiles): read up to the horizon."""
    return ["deltagere", *(i.name for slot in workbook_slots(d) for i, cells in slot.inputs if cells == d.years)]


def spare_values(slot: Slot) -> dict[str, Any]:
    """The input values of an empty slot: each input's default (a row of them for a series), no key."""
    return {i.name: (i.default if cells is None else [i.default] * cells) for i, cells in slot.inputs}


def _empty_or_default(value: Any, default: Any) -> bool:
    if value in (None, ""):
        return True
    return default is not None and not isinstance(value, str) and isinstance(default, int | float) and value == default


def filled_slots(raw: dict[str, list[tuple[Any, str]]], d: Dims) -> tuple[list[int], list[int], list[int]]:
    """The effect, cost-line and outcome-metric slots a workbook's user filled (their key cell is not empty).

    ``raw`` is each input's cells as read, ``(value, "Ark!B3")``.  A slot with an
    empty key cell is left out; if it still holds a value other than the
    template's default, that is refused, naming both cells.
    """
    used: dict[str, list[int]] = {what: [] for what in SLOT_KINDS}
    for slot in workbook_slots(d):
        key_value, key_where = raw[slot.key][0]
        if key_value not in (None, ""):
            used[slot.what].append(slot.number)
            continue
        cells = [(i, cell) for i, _ in slot.inputs for cell in raw[i.name]]
        cells += [(None, raw[name][slot.number - 1]) for name in slot.columns]
        for item, (value, where) in cells:
            if not _empty_or_default(value, item.default if item is not None else None):
                key = slot.key.split("_", 1)[1]
                raise SIError(f"{slot.what} {slot.number}", f"er delvist udfyldt: {where} har værdien {excerpt(str(value))}, men "
                                                            f"{key} i {key_where} er tom; udfyld {key} eller tøm cellerne")  # fmt: skip
    return used["Effekt"], used["Omkostning"], used["Resultatmål"]


def spare_cells(d: Dims, effects: list[int], costs: list[int], metrics: list[int] | None = None) -> set[tuple[str, int]]:
    """(input, index) of every cell of the slots not in use: they may stay empty (``metrics``: None = all in use)."""
    out: set[tuple[str, int]] = set()
    in_use = {"Effekt": effects, "Omkostning": costs, "Resultatmål": range(1, len(d.metrics) + 1) if metrics is None else metrics}
    for slot in workbook_slots(d):
        if slot.number in in_use[slot.what]:
            continue
        out |= {(i.name, k) for i, cells in slot.inputs for k in range(cells or 1)}
        out |= {(name, slot.number - 1) for name in slot.columns}
    return out


# --------------------------------------------------------------------------- values in and out


def padded(values, n: int, fill: float = 0.0) -> list:
    return list(values) + [fill] * (n - len(values))


def values_for(case: Case) -> dict[str, Any]:
    """The input values of the workbook for ``case``."""
    d = dims_of(case)
    fixed_rate = not isinstance(case.diskontering, str)
    v: dict[str, Any] = {
        "navn": case.navn, "beskrivelse": case.beskrivelse or None, "kilde": case.kilde or None,
        "maalgruppe": case.maalgruppe or None, "prisaar": case.prisaar, "startaar": case.startaar,
        "diskontering": "fast" if fixed_rate else case.diskontering,
        "fast_rente": case.diskontering if fixed_rate else None,
        "visning": case.visning, "betaler": case.betaler, "indeks": case.indeks, "forloebsaar": case.forloebsaar,
        "fremskrivning": case.fremskrivning, "horisont": case.horisont,
        "idx_egne": [(case.own_index() or {}).get(y) for y in index_years()],
        "idx_egne_navn": case.eget_indeks.navn if case.eget_indeks else None,
        "idx_egne_kilde": case.eget_indeks.kilde if case.eget_indeks else None,
        "optimisme_omk": case.optimisme.omkostninger, "optimisme_gev": case.optimisme.gevinster,
        "investor_krav": case.investor.krav_til_afkast if case.investor else None,
        **guarantee_values(case),
        "valuta": case.valuta,
        "deltagere": padded(case.deltagere, d.years),
    }  # fmt: skip
    v["ep_id"] = padded(unit_ids(case), unit_rows(d), None)
    for f in UNIT_FIELDS:
        v[f"eg_{f}"] = padded([p[f] if p[f] != "" else None for p in case.egne_priser], own_rows(d), None)
    # the column Udledning: the note, else the assumption beside the amount (with_notes leaves it out again)
    v["eg_note"] = padded([own_price_derivation(case, k) or None for k in range(len(case.egne_priser))], own_rows(d), None)
    v["eg_kildetype"] = padded(v["eg_kildetype"][: d.own], own_rows(d), "egen")  # spare rows: a new price is the kommune's own
    for c, cost in enumerate(case.indsats, start=1):
        v |= {cost_cell(c, "navn"): cost.navn, cost_cell(c, "betaler"): cost.betaler, cost_cell(c, "type"): cost.type,
              cost_cell(c, "pr_aar"): padded(cost.pr_aar, d.years)}  # fmt: skip
    for e, eff in enumerate(case.effekter, start=1):
        p = effect_prefix(e)
        v |= {p + "id": eff.id, p + "navn": eff.navn, p + "enhedspris": lookup(eff.enhedspris, case.own_prices()).id,
              p + "succesrate": eff.succesrate, p + "doedvaegt": eff.deadweight,
              p + "doedvaegt_type": "kontrolgruppe" if eff.kontrolgruppe is not None else "doedvaegt",
              p + "frafald": eff.frafald, p + "forsinkelse": eff.forsinkelse, p + "prisfaktor": eff.prisfaktor,
              p + "profilfaktor": eff.profilfaktor, p + "egne_deltagere": "nej" if eff.deltagere is None else "ja",
              p + "refusionsuge": eff.refusion.uge if eff.refusion else None,
              p + "refusionsordning": eff.refusion.ordning if eff.refusion else None,
              p + "profil": padded(eff.profil, d.years),
              p + "deltagere": padded(eff.deltagere if eff.deltagere is not None else case.deltagere, d.years)}  # fmt: skip
    model = case.betalingsmodel
    v["loft_kontrakt"] = model.loft_kontrakt if model else None
    v["afkastloft"], v["afkastgulv"] = case.afkastloft, case.afkastgulv
    v |= payer_values(case)
    for m, metric in enumerate(model.resultatmaal if model else [], start=1):
        v |= metric_values(m, metric, case.maaling[metric.id])
    for scen, key in (("lav", "sc_lav"), ("hoej", "sc_hoej")):  # an effect the scenario leaves at its base: empty
        over = case.scenarier.get(scen, {})
        v[key] = padded([over.get(f"effekter.{e.id}.succesrate") for e in case.effekter], d.effects, None)
    own = {"Effekt": len(case.effekter), "Omkostning": len(case.indsats), "Resultatmål": len(model.resultatmaal) if model else 0}
    for slot in workbook_slots(d):
        if slot.number > own[slot.what]:
            v |= spare_values(slot)
    for f in RISK_FIELDS:
        v[f"rk_{f}"] = padded([None if getattr(r, f) == "" else getattr(r, f) for r in case.risici], MAX_RISKS, None)
    u = case.usikkerhed
    v["mc_antal_traek"], v["mc_seed"] = (u.antal_traek, u.seed) if u else MC_DEFAULTS
    dists = list(u.fordelinger.items()) if u else []
    v["mc_driver"] = padded([name for name, _ in dists], d.distributions, None)
    for f in DIST_FIELDS[1:]:
        v[f"mc_{f}"] = padded([getattr(dist, f) for _, dist in dists], d.distributions, None)
    return v | published_values(case, d.effects)


def metric_values(m: int, metric, link) -> dict[str, Any]:
    """Metric ``m``'s input cells: the metric, how it is measured, and its rule's cells (:meth:`Rule.cell_values`)."""
    p = metric_prefix(m)
    v = {p + "id": metric.id, p + "navn": metric.navn, p + "enhed": metric.enhed, p + "datakilde": metric.datakilde,
         p + "maaletidspunkt": metric.maaletidspunkt, p + "aar": metric.aar, p + "loft": metric.loft,
         p + "antagelse": metric.antagelse}  # fmt: skip
    rule: Rule = metric.regel
    v |= {p + name: value for name, value in rule.cell_values().items()}
    rows = step_rows(type(rule), rule.steps())  # the rows after the case's steps are left empty for more
    padded_rows = lambda values: list(values) + [None] * (rows - len(values))  # noqa: E731
    v |= {p + c.name: padded_rows(v[p + c.name]) for c in rule.CELLS if c.step}
    if metric.maaned is not None:
        v[p + "maaned"] = metric.maaned
    if metric.til_aar is not None:  # a slot built paid every year (Dims.yearly)
        v[p + "til_aar"] = metric.til_aar
    if rule.PER_OUTCOME:
        links = link if isinstance(link, list) else [link]
        return v | {p + "udfald_effekt": padded_rows([x.effekt for x in links]), p + "udfald_maal": padded_rows([x.maal for x in links])}
    return v | {p + "effekt": link.effekt, p + "maal": link.maal, p + "faktor": link.faktor}


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def own_filled(values: dict[str, Any], d: Dims) -> list[int]:
    """The rows (0-based) of Egne priser the user filled: any field but Kildetype (written in the spare rows)."""
    return [k for k in range(own_rows(d)) if any(values[f"eg_{f}"][k] is not None for f in UNIT_FIELDS if f != "kildetype")]


def own_price_rows(values: dict[str, Any], d: Dims, errors: list[SIError]) -> list[dict[str, Any]]:
    """The rows of Egne priser the user filled, validated as the catalogue's (:class:`UnitCost`).

    A row counts when any field but Kildetype (written in the spare rows) is
    filled; a refused row is named by its cell (``Enhedspriser!B40``), appended to ``errors`` and kept as
    typed (the case refuses it again at the same cell, and its id stays known to the effects).
    """
    rows, seen = [], {}
    for k in own_filled(values, d):
        row = {f: values[f"eg_{f}"][k] for f in UNIT_FIELDS}
        row = {f: ("" if x is None and f not in UNIT_NUMBERS else x) for f, x in row.items()}
        try:
            unit = UnitCost.model_validate(row)
        except ValidationError as exc:
            column = lambda e: UNIT_FIELDS.index(e["loc"][0]) if e["loc"] and e["loc"][0] in UNIT_FIELDS else len(UNIT_FIELDS)  # noqa: E731
            err = min(exc.errors(), key=column)  # the first fault from the left, as the user reads the row
            empty = [f"andel_{a}" for a in AUTHORITIES if row[f"andel_{a}"] is None]
            # a rule across fields (the shares): the share left empty, else (their sum) the first share
            field = str(err["loc"][0]) if err["loc"] else (empty or ["andel_kommune"])[0]
            errors.append(_at_cell(f"eg_{field}", k, danish(err, UnitCost)))
            rows.append(row)
            continue
        if unit.id in seen:
            errors.append(_at_cell("eg_id", k, f"id '{unit.id}' er også egen pris {seen[unit.id] + 1}; giv hver egen pris sit eget id"))
        seen[unit.id] = k
        rows.append(unit.model_dump())
    return rows


def unit_rows_read(values: dict[str, Any], own: list[dict[str, Any]], used: set[str], errors: list[SIError]) -> list[str]:
    """The ids chosen on Enhedspriser that no effect uses (the case's ``enhedspriser``), each checked.

    Each id must be a Katalog price or an own price; an unknown one is refused (appended to ``errors``),
    naming its cell, with the nearest ids ("mente du …?").
    """
    own_ids, out = {p["id"] for p in own}, []
    for k, uid in enumerate(values["ep_id"]):
        if uid is None:
            continue
        if uid not in own_ids and uid not in catalogue():
            hint = did_you_mean(uid, [*own_ids, *catalogue()])
            errors.append(_at_cell("ep_id", k, f"'{uid}' findes hverken i Katalog eller Egne priser" + (f"; {hint}" if hint else "")))
            continue
        if uid not in used and uid not in out:
            out.append(uid)
    return out


def case_from_values(values: dict[str, Any], d: Dims, effects: list[int] | None = None, costs: list[int] | None = None,
                     metrics: list[int] | None = None) -> Case:
    """The case described by a workbook's input values (the reverse of :func:`values_for`).

    ``effects``, ``costs`` and ``metrics`` are the slots in use (:func:`filled_slots`; default: all).  Every
    error is raised at once: the rows refused while reading the tables first, then the case's own (each field,
    each id and driver it names), the first carrying the others.
    """
    errors: list[SIError] = []
    effects = list(range(1, d.effects + 1)) if effects is None else effects
    costs = list(range(1, d.costs + 1)) if costs is None else costs
    metrics = list(range(1, len(d.metrics) + 1)) if metrics is None else metrics
    values = values | {name: values[name][: values["horisont"]] for name in year_inputs(d)}  # the case's years
    data: dict[str, Any] = {
        "navn": values["navn"], "beskrivelse": _text(values.get("beskrivelse")), "kilde": _text(values.get("kilde")),
        "maalgruppe": _text(values.get("maalgruppe")), "prisaar": values["prisaar"], "startaar": values.get("startaar"),
        "valuta": values["valuta"], "horisont": values["horisont"],
        "diskontering": fixed_rate_of(values) if values["diskontering"] == "fast" else values["diskontering"],
        "visning": values["visning"], "betaler": values["betaler"], "indeks": values["indeks"],
        "fremskrivning": values.get("fremskrivning"), "eget_indeks": own_index_data(values),
        "forloebsaar": values["forloebsaar"], "deltagere": values["deltagere"],
        "optimisme": {"omkostninger": values["optimisme_omk"], "gevinster": values["optimisme_gev"]},
        "indsats": [{"navn": values[cost_cell(c, "navn")], "betaler": values[cost_cell(c, "betaler")], "type": values[cost_cell(c, "type")],
                     "pr_aar": values[cost_cell(c, "pr_aar")]} for c in costs],
        "egne_priser": own_price_rows(values, d, errors),
        "effekter": [effect_data(values, e) for e in effects],
    }  # fmt: skip
    data["enhedspriser"] = unit_rows_read(values, data["egne_priser"], {str(e["enhedspris"]) for e in data["effekter"]}, errors)
    if values.get("investor_krav") is not None:
        data["investor"] = {"krav_til_afkast": values["investor_krav"]}
    data |= {field: values[field] for field in ("afkastloft", "afkastgulv") if values.get(field) is not None}
    if any(values.get(name) is not None for name in GUARANTEE_CELLS.values()):
        data["garanti"] = {field: values.get(name) for field, name in GUARANTEE_CELLS.items() if values.get(name) is not None}
    if metrics:
        read, links = zip(*(metric_data(values, m, d.metrics[m - 1][0]) for m in metrics))
        data["betalingsmodel"] = {"resultatmaal": list(read), "loft_kontrakt": values.get("loft_kontrakt")}
        payers = payer_data(values, errors)
        if payers:
            data["betalingsmodel"]["betalere"] = payers
        data["maaling"] = {mt["id"]: link for mt, link in zip(read, links)}
    ids = [eff["id"] for eff in data["effekter"]]
    base = [eff["succesrate"] for eff in data["effekter"]]
    scenarios = {}
    for scen, key in (("lav", "sc_lav"), ("hoej", "sc_hoej")):
        # an empty Lav/Høj is the base (no override)
        changed = {f"effekter.{i}.succesrate": s for i, s, b in zip(ids, [values[key][e - 1] for e in effects], base)
                   if s is not None and s != b}
        if changed:
            scenarios[scen] = changed
    data["scenarier"] = scenarios
    data["risici"] = risk_data(values, errors)
    dists, rows = distribution_rows(values, d, errors)
    places = row_places(values, d, data, metrics)
    if dists or (values["mc_antal_traek"], values["mc_seed"]) != MC_DEFAULTS:
        data["usikkerhed"] = {"antal_traek": values["mc_antal_traek"], "seed": values["mc_seed"], "fordelinger": dists}
    if d.published:
        data["offentliggjort"] = published_data(values, ids, effects, d.effects)
    try:
        case = parse_case(data)
    except SIError as err:
        err = place_error(distribution_error(err, rows), places)
        errors += [err, *err.others]
    if errors:
        raise errors[0].with_others(errors[1:])
    return case


MC_DEFAULTS = (10_000, 0)
"""The Monte Carlo's draws and seed in a workbook whose case gives none (:func:`values_for`)."""


def distribution_rows(values: dict[str, Any], d: Dims, errors: list[SIError]) -> tuple[dict[str, dict[str, Any]], dict[str, int]]:
    """The filled rows of the distributions table (Følsomhed): driver → its distribution's values, and driver → row
    (0-based).  An empty row is left out; a row with values but no driver, or a driver given twice, is refused
    naming its cell (appended to ``errors``, the row left out)."""
    dists: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    for k in range(d.distributions):
        row = {f: values[f"mc_{f}"][k] for f in DIST_FIELDS}
        if all(x in (None, "") for x in row.values()):
            continue
        driver = row["driver"]
        if driver in (None, ""):
            errors.append(_at_cell("mc_driver", k, f"fordeling {k + 1} har værdier, men ingen driver; skriv driveren (fx "
                                                  f"effekter.<id>.succesrate), eller tøm rækken"))
            continue
        driver = str(driver).strip()
        if driver in rows:
            errors.append(_at_cell("mc_driver", k, f"driveren '{excerpt(driver)}' har allerede en fordeling (fordeling {rows[driver] + 1}); "
                                                  "giv hver driver én fordeling"))
            continue
        dists[driver] = {f: x for f, x in row.items() if f != "driver" and x not in (None, "")}
        rows[driver] = k
    return dists, rows


def _at_cell(name: str, k: int | None, message: str) -> SIError:
    """An error in cell ``k`` of the table input ``name`` (a row of Egne priser, Risici, the distributions, …), named
    by sheet, cell and label when read (:func:`workbook_error`)."""
    err = SIError(name, message)
    err.cell = (name, k, "")
    return err


def distribution_error(err: SIError, rows: dict[str, int]) -> SIError:
    """``err`` from the case model, its own errors of the distributions table (``usikkerhed.fordelinger.<driver>.<field>``)
    named by their cell (:func:`distribution_rows`' ``rows``: driver → row); the others unchanged."""
    def one(e: SIError) -> SIError:
        prefix = "usikkerhed.fordelinger."
        if not e.argument.startswith(prefix):
            return e
        rest = e.argument[len(prefix):]
        driver = next((x for x in sorted(rows, key=len, reverse=True) if rest == x or rest.startswith(x + ".")), None)
        if driver is None:
            return e
        field = rest[len(driver) + 1:] or "driver"
        column = f"mc_{field}" if field in DIST_FIELDS else "mc_fordeling"
        return _at_cell(column, rows[driver], e.message)

    return one(err).with_others([one(o) for o in err.others])


def row_places(values: dict[str, Any], d: Dims, data: dict[str, Any], metrics: list[int]) -> dict[str, tuple[str, int | None]]:
    """Case path → the input cell (name, index) a user changes for an error of that field, for the case's lists read
    from a table's filled rows (risks, own prices, unit prices, payers) and the metrics' measurement links, whose
    positions in the case are not those of the workbook (:func:`place_error`).  A path of a whole element or list
    (``risici[0]``, ``betalingsmodel.betalere``: the shares' sum) names its first cell."""
    out: dict[str, tuple[str, int | None]] = {}

    def rows(path: str, filled: list[tuple[int, dict[str, str]]]) -> None:
        for i, (k, names) in enumerate(filled):
            out.update({f"{path}[{i}].{f}": (name, k) for f, name in names.items()})
            out.setdefault(f"{path}[{i}]", (next(iter(names.values())), k))
        if filled:
            out[path] = (next(iter(filled[0][1].values())), filled[0][0])

    rows("risici", [(k, {f: f"rk_{f}" for f in RISK_FIELDS}) for k in risk_rows(values)])
    rows("egne_priser", [(k, {f: f"eg_{f}" for f in UNIT_FIELDS}) for k in own_filled(values, d)])
    rows("enhedspriser", [(values["ep_id"].index(uid), {"id": "ep_id"}) for uid in data["enhedspriser"]])
    rows("betalingsmodel.betalere", payer_rows(values))
    for metric, m in zip((data.get("betalingsmodel") or {}).get("resultatmaal", []), metrics):
        p, at = metric_prefix(m), f"maaling.{metric['id']}"
        if by_code(d.metrics[m - 1][0]).PER_OUTCOME:
            out[at] = (p + "udfald_effekt", 0)
            for k in range(len(values.get(p + "udfald_effekt") or [])):
                out |= {f"{at}[{k}].effekt": (p + "udfald_effekt", k), f"{at}[{k}].maal": (p + "udfald_maal", k)}
        else:
            out |= {at: (p + "effekt", None), f"{at}.effekt": (p + "effekt", None), f"{at}.maal": (p + "maal", None),
                    f"{at}.faktor": (p + "faktor", None)}
    return out


def place_error(err: SIError, places: dict[str, tuple[str, int | None]]) -> SIError:
    """``err`` from the case model, each of its errors whose path :func:`row_places` knows named by that cell (sheet,
    cell and label when read, :func:`workbook_error`); the others unchanged."""
    def one(e: SIError) -> SIError:
        return _at_cell(*places[e.argument], e.message) if e.argument in places else e

    return one(err).with_others([one(o) for o in err.others])


def fixed_rate_of(values: dict[str, Any]) -> float:
    """The fixed discount rate, required when "Fast rente" is chosen."""
    if values.get("fast_rente") is None:
        raise SIError("fast_rente", "mangler en værdi, når Diskontering er »Fast rente« (skriv fx 3,5 %)")
    return values["fast_rente"]


def risk_rows(values: dict[str, Any]) -> list[int]:
    """The rows (0-based) of the risk register with something in them: the row of each of the case's ``risici``."""
    return [k for k in range(MAX_RISKS) if any((values.get(f"rk_{f}") or [None] * MAX_RISKS)[k] is not None for f in RISK_FIELDS)]


def risk_data(values: dict[str, Any], errors: list[SIError]) -> list[dict[str, Any]]:
    """The case's ``risici`` from the risk register's rows: every row with something in it, in order; a row
    half filled is refused at its first empty cell (appended to ``errors``; the row is kept, so each row stays
    at its position)."""
    out = []
    for k in risk_rows(values):
        row = {f: (values.get(f"rk_{f}") or [None] * MAX_RISKS)[k] for f in RISK_FIELDS}
        missing = [f for f, x in row.items() if x is None and f != "ejer"]
        if missing:
            errors.append(_at_cell(f"rk_{missing[0]}", k, f"mangler {', '.join(RISK_LABELS[f] for f in missing)} (udfyld rækken helt, eller tøm den)"))
        out.append({f: x for f, x in row.items() if x is not None})
    return out


def own_index_data(values: dict[str, Any]) -> dict[str, Any] | None:
    """The case's ``eget_indeks`` from the index table's own values (``None`` when there are none)."""
    own = {y: v for y, v in zip(index_years(), values.get("idx_egne") or []) if v is not None}
    if not own:
        return None
    data: dict[str, Any] = {"kilde": _text(values.get("idx_egne_kilde")), "vaerdier": own}
    if values.get("idx_egne_navn"):
        data["navn"] = _text(values["idx_egne_navn"])
    return data


def effect_data(values: dict[str, Any], e: int) -> dict[str, Any]:
    p = effect_prefix(e)
    out = {"id": values[p + "id"], "navn": values[p + "navn"], "enhedspris": values[p + "enhedspris"],
           "profil": values[p + "profil"], "succesrate": values[p + "succesrate"], "frafald": values[p + "frafald"],
           "forsinkelse": values[p + "forsinkelse"], "prisfaktor": values[p + "prisfaktor"],
           "profilfaktor": values[p + "profilfaktor"]}  # fmt: skip
    out[values[p + "doedvaegt_type"]] = values[p + "doedvaegt"]
    if values[p + "egne_deltagere"] == "ja":
        out["deltagere"] = values[p + "deltagere"]
    if values.get(p + "refusionsuge") is not None:
        out["refusion"] = {"uge": values[p + "refusionsuge"], "ordning": values.get(p + "refusionsordning") or "refusion_2016"}
    return out


def step_inputs(p: str, rule: type[Rule]) -> list[str]:
    """The inputs of the step table of the metric with prefix ``p`` (empty when its rule has none)."""
    return [p + c.name for c in rule.CELLS if c.step] + ([p + "udfald_effekt", p + "udfald_maal"] if rule.PER_OUTCOME else [])


def rows_used(columns: list[list[Any]]) -> int:
    """Rows of a step table up to its last row with something in it (the empty rows after it do not count)."""
    return max((k + 1 for k, row in enumerate(zip(*columns)) if any(x not in (None, "") for x in row)), default=0)


def step_rows_used(values: dict[str, Any], p: str, rule: type[Rule]) -> dict[str, list]:
    """The step table of the metric with prefix ``p`` without its empty rows at the end (its :func:`step_rows`; a
    rule with fewer steps leaves the last ones empty)."""
    names = step_inputs(p, rule)
    used = rows_used([values[name] for name in names])
    return {name: list(values[name][:used]) for name in names}


def empty_step_rows(d: Dims, raw: dict[str, list[tuple[Any, str]]], metrics: list[int]) -> set[tuple[str, int]]:
    """(input, index) of the empty rows at the end of the step tables of the metric slots in use: they may stay
    empty (:func:`step_rows_used` leaves them out)."""
    out: set[tuple[str, int]] = set()
    for m in metrics:
        code, steps = d.metrics[m - 1]
        names = step_inputs(metric_prefix(m), by_code(code))
        used = rows_used([[value for value, _ in raw[name]] for name in names])
        out |= {(name, k) for name in names for k in range(max(used, 1), steps)}
    return out


def metric_data(values: dict[str, Any], m: int, code: int) -> tuple[dict[str, Any], dict[str, Any] | list[dict[str, Any]]]:
    """Metric ``m`` and how it is measured, read back from its cells (the reverse of :func:`metric_values`)."""
    p = metric_prefix(m)
    metric = {"id": values[p + "id"], "navn": values[p + "navn"], "enhed": values[p + "enhed"],
              "datakilde": values[p + "datakilde"], "maaletidspunkt": values[p + "maaletidspunkt"],
              "aar": values[p + "aar"], "loft": values.get(p + "loft"), "antagelse": values.get(p + "antagelse")}  # fmt: skip
    rule = by_code(code)
    if values.get(p + "maaned") is not None:
        metric["maaned"] = values[p + "maaned"]
    if values.get(p + "til_aar") is not None:
        metric["til_aar"] = values[p + "til_aar"]
    values = values | step_rows_used(values, p, rule)
    metric["regel"] = rule.from_cells({k[len(p):]: v for k, v in values.items() if k.startswith(p)})
    if rule.PER_OUTCOME:
        return metric, [{"effekt": e, "maal": m_} for e, m_ in zip(values[p + "udfald_effekt"], values[p + "udfald_maal"])]
    return metric, {"effekt": values.get(p + "effekt") or None, "maal": values[p + "maal"], "faktor": values[p + "faktor"]}


# --------------------------------------------------------------------------- sources beside the values

_CASE_CELLS = {
    "navn": "navn", "beskrivelse": "beskrivelse", "kilde": "kilde", "maalgruppe": "maalgruppe", "prisaar": "prisaar",
    "startaar": "startaar", "valuta": "valuta", "visning": "visning", "betaler": "betaler", "indeks": "indeks", "forloebsaar": "forloebsaar",
    "fremskrivning": "fremskrivning", "deltagere": "deltagere", "optimisme.omkostninger": "optimisme_omk",
    "optimisme.gevinster": "optimisme_gev", "investor.krav_til_afkast": "investor_krav",
    "betalingsmodel.loft_kontrakt": "loft_kontrakt", "afkastloft": "afkastloft", "afkastgulv": "afkastgulv",
    **{f"garanti.{field}": name for field, name in GUARANTEE_CELLS.items()},
}  # fmt: skip
_EFFECT_CELLS = ("id", "navn", "enhedspris", "succesrate", "frafald", "forsinkelse", "prisfaktor", "profilfaktor", "profil", "deltagere")
_METRIC_CELLS = ("id", "navn", "enhed", "datakilde", "maaletidspunkt", "aar", "loft")


def note_cells(case: Case) -> dict[str, tuple[str, int | None]]:
    """Case-file path → (input cell name, position in the name's range; None = the whole input).

    The inverse of :func:`with_notes`: where the workbook shows a value's
    ``kilde``/``antagelse`` (:mod:`udfs.core.sourced`) as a cell comment.
    """
    out: dict[str, tuple[str, int | None]] = {path: (name, None) for path, name in _CASE_CELLS.items()}
    out["diskontering"] = ("diskontering" if isinstance(case.diskontering, str) else "fast_rente", None)
    for c in range(len(case.indsats)):
        out |= {f"indsats[{c}].{f}": (cost_cell(c + 1, f), None) for f in ("navn", "betaler", "type", "pr_aar")}
    for e, eff in enumerate(case.effekter):
        p = effect_prefix(e + 1)
        out |= {f"effekter[{e}].{f}": (p + f, None) for f in _EFFECT_CELLS}
        out[f"effekter[{e}].{'kontrolgruppe' if eff.kontrolgruppe is not None else 'doedvaegt'}"] = (p + "doedvaegt", None)
        out |= {f"effekter[{e}].refusion.uge": (p + "refusionsuge", None), f"effekter[{e}].refusion.ordning": (p + "refusionsordning", None)}
    for i, _ in enumerate(case.egne_priser):  # row i of Egne priser (the own prices come first, in case order)
        out |= {f"egne_priser[{i}].{f}": (f"eg_{f}", i) for f in UNIT_FIELDS}
    for m, metric in enumerate(case.betalingsmodel.resultatmaal if case.betalingsmodel else []):
        p, at = metric_prefix(m + 1), f"betalingsmodel.resultatmaal[{m}]"
        out |= {f"{at}.{f}": (p + f, None) for f in _METRIC_CELLS}
        out |= {f"{at}.regel.{c.field}": (p + c.name, None) for c in metric.regel.CELLS}
        if not metric.regel.PER_OUTCOME:
            out |= {f"maaling.{metric.id}.{f}": (p + f, None) for f in ("effekt", "maal", "faktor")}
    return out


def _place(path: str, cells: dict[str, tuple[str, int | None]]) -> tuple[str, int] | None:
    """The cell (name, position) showing ``path``, or None where the workbook has no cell for it."""
    if path in cells:
        name, k = cells[path]
        return name, k or 0
    base, _, rest = path.rpartition("[")
    if base in cells and cells[base][1] is None and rest.rstrip("]").isdigit():
        return cells[base][0], int(rest.rstrip("]"))
    return None


def notes_for(case: Case) -> dict[str, dict[int, str]]:
    """Each cell comment the workbook shows: input name → {position: "Kilde: …\\nAntagelse: …"}."""
    cells, out = note_cells(case), {}
    for path, note in case.kilder.items():
        where = _place(path, cells)
        if where is not None:
            out.setdefault(where[0], {})[where[1]] = note.text()
    return out


def unplaced_notes(case: Case) -> list[str]:
    """The paths whose kilde/antagelse the workbook has no cell for (and so cannot show or read back)."""
    cells = note_cells(case)
    return sorted(p for p in case.kilder if _place(p, cells) is None)


def with_notes(case: Case, comments: dict[str, dict[int, str]]) -> Case:
    """``case`` with the sources read back from the workbook's cell comments (the reverse of :func:`notes_for`).

    A comment that is not a ``Kilde:``/``Antagelse:`` text (one the user wrote) is left out.
    """
    from udfs.core.sourced import Note

    cells = note_cells(case)
    by_cell = {(name, k or 0): path for path, (name, k) in cells.items()}
    notes = {}
    for name, texts in comments.items():
        for k, text in texts.items():
            note = Note.from_text(text)
            path = by_cell.get((name, k))
            if path is None and (name, 0) in by_cell and cells[by_cell[(name, 0)]][1] is None:
                path = f"{by_cell[(name, 0)]}[{k}]"
            if note is not None and path is not None:
                notes[path] = note
    if not notes:
        return case
    data = case.model_dump()
    for k, row in enumerate(data["egne_priser"]):  # an Udledning the build wrote from the amount's assumption
        beside = notes.get(f"egne_priser[{k}].beloeb")
        if beside is not None and beside.antagelse and str(row.get("note") or "").strip() == beside.antagelse:
            row["note"] = ""
    return parse_case({**data, "kilder": notes})


# --------------------------------------------------------------------------- the published figures

#: The published figures after the effects' savings: (field of ``offentliggjort``, label, the workbook's figure in kr.).
_PUBLISHED_TOTALS = (
    ("besparelse_i_alt", "Besparelse i alt", "{off_besparelse}"),
    ("betaling_ved_fuld_succes", "Betaling ved fuld succes", "{ev_inv[1]}+{investering}"),
    ("investors_bonus", "Investors bonus", "{bonus}"),
    ("kommunal_nettobesparelse", "Kommunal nettobesparelse", "{off_besparelse}-{r_betal_betaler_i_alt}"),  # the payer's own payments
)


def _payer_pick(by_authority: dict[str, str]) -> str:
    """The payer's term of a per-authority formula (``betaler`` chooses)."""
    return nested_if("{betaler}", [(a, by_authority[a]) for a in AUTHORITIES[:-1]], by_authority[AUTHORITIES[-1]])


def sheet_published(d: Dims) -> Sheet:
    """The figures as the source published them beside the workbook's own, mio. kr. at one decimal.

    The same rows as :func:`udfs.core.published.reproduction`; a difference is
    reported, not an error (a what-if differs from its source).
    """
    labels = ("Investering", *(f"Besparelse: effekt {e}" for e in range(1, d.effects + 1)), *(t[1] for t in _PUBLISHED_TOTALS))
    kr = ("{investering}", *(_payer_pick({a: effect_ref(e, "bespar_sum_" + a) for a in AUTHORITIES}) for e in range(1, d.effects + 1)),
          *(t[2] for t in _PUBLISHED_TOTALS))  # fmt: skip
    status = '=IF({off_tal[i]}="","—",IF({off_tal[i]}={off_beregnet[i]},"genskabt","afviger"))'
    return Sheet("Offentliggjort", (
        Text("Tallene, som kilden har offentliggjort (mio. kr. med 1 decimal), ved siden af regnearkets egne tal."),
        Text("En afvigelse er ikke en fejl: en hvad-nu-hvis-beregning på en offentliggjort case afviger fra kilden."),
        Blank(),
        Input("off_kilde", "Kilde", kind="text"),
        Input("off_bemaerkning", "Bemærkning", kind="text", required=False),
        Formula("off_besparelse", "Betalers besparelse i alt (kr.)",
                "=" + _payer_pick({a: f"SUM({{r_bes_{a}}})" for a in AUTHORITIES}), st.KR),
        Blank(),
        Table("offentliggjort", labels, (
            Formulas(None, "Effektens navn", ('=""', *(f"={effect_ref(e, 'navn')}" for e in range(1, d.effects + 1)),
                                                *('=""' for _ in _PUBLISHED_TOTALS))),
            Input("off_tal", "Offentliggjort", number_format="0.0", required=False),
            Formulas("off_beregnet", "Beregnet", tuple(f"=ROUND(({x})/1000000,1)" for x in kr), "0.0"),
            Formula("off_status", "Sammenligning", status),
        ), orientation="columns", title="Mio. kr."),
    ), title="Offentliggjorte tal", widths={"A": 30, "B": 50, "C": 16, "D": 16, "E": 16})  # fmt: skip


def published_values(case: Case, slots: int) -> dict[str, Any]:
    """The Offentliggjort sheet's inputs for ``case`` ({} without published figures); one row per effect slot."""
    pub = case.offentliggjort
    if pub is None:
        return {}
    savings = [pub.besparelser.get(e.id) for e in case.effekter]
    figures = [pub.investering, *savings, *[None] * (slots - len(savings)), *(getattr(pub, f) for f, _, _ in _PUBLISHED_TOTALS)]
    return {"off_kilde": pub.kilde, "off_bemaerkning": pub.bemaerkning, "off_tal": figures}


def published_data(values: dict[str, Any], effect_ids: list[str], effects: list[int], slots: int) -> dict[str, Any]:
    """``offentliggjort`` read back from the Offentliggjort sheet (the reverse of :func:`published_values`).

    ``effect_ids`` are the ids of the effects in the filled slots ``effects`` (1-based) of ``slots``.
    """
    figures = values["off_tal"]
    savings = [figures[e] for e in effects]
    return {
        "kilde": _text(values.get("off_kilde")), "bemaerkning": values.get("off_bemaerkning") or None,
        "investering": figures[0], "besparelser": {i: v for i, v in zip(effect_ids, savings) if v is not None},
        **{f: v for (f, _, _), v in zip(_PUBLISHED_TOTALS, figures[1 + slots:])},
    }  # fmt: skip
