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
from typing import Any, get_args
from udfs.core.case_model import MAX_HORIZON, Case, parse_case
from udfs.core.errors import excerpt
from udfs.core.limits import MAX_COST_LINES, MAX_EFFECTS, MAX_METRICS, MAX_OWN_PRICES, MAX_RISKS
from udfs.core.engine import SHARE_DRIVERS
from udfs.core.lineitems import AUTHORITY_LINES, YEARLY
from udfs.core.catalogue import lookup
from udfs.core.discounting import RATE_BOUNDS
from udfs.core.data import SOURCE_KIND_SHOWN, SourceKind, Unit, UnitCost, catalogue, discount_schedules, indices, manifest, refusion_schemes
from udfs.core.engine import CASE_DRIVERS, EFFECT_DRIVERS
from udfs.core.indices import OWN
from udfs.core.uncertainty import HISTOGRAM_BINS, NO_SWITCHING, PERCENTILES, TORNADO_CHANGE
from udfs.core.refusion import scheme_kind
from udfs.core.rules import Cell, Rule, by_code, rules
from udfs.core.settlement import WORKBOOK_GUESSES
from udfs.core.errors import SIError, did_you_mean
from udfs.core.validation import danish
from pydantic import ValidationError
from udfs.core.vocabulary import (
    ADDIN_MISSING, AUTHORITIES, DEADWEIGHT_WORDS, DISCOUNTING_WORDS, DISTRIBUTION_WORDS, INDEX_WORDS, LEFT_OF, NO_LOSS, NONE_REACHED,
    NOT_COMPARED, NOT_WITHIN, PAYERS, REFUSION_WORDS, SOURCE_KIND_WORDS, UNDEFINED, UNIT_WORDS, VIEW_WORDS,
)  # fmt: skip

from . import styles as st
from .layout import Plan, describe, number_text
from .layout import (
    resolve, Blank, Chart, Data, Formula, Formulas, Heading, Input, Legend, Sheet, Table, Text, Validation, WorkbookLayout,
)  # fmt: skip

TEMPLATE_ID = "sociale_investeringer_business_case"
TEMPLATE_VERSION = "3"
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
    """The condition that the Monte Carlo driver in ``driver`` is a share (:data:`udfs.core.engine.SHARE_DRIVERS`),
    so its values are shown as per cent."""
    tests = [f'{driver}="{x}"' if "." in x else f'RIGHT({driver},{len(x) + 1})=".{x}"' for x in SHARE_DRIVERS]
    return "OR(" + ",".join(tests) + ")"
SHARE = Validation.between(0, 1)
DELTA = f"{LEFT_OF:.0E}"  # "just left of" a knot: where a step's left limit is evaluated, as in the core
INDEX_YEARS_AHEAD = 10  # rows of the index table after the last published year, for the user's own values
MACHINERY_SHEET = "Beregning_følsomhed"
"""The helper sheet with the break-even machinery behind Følsomhed (last in the workbook)."""
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
        for m, (code, steps) in enumerate(self.metrics, start=1):
            out[f"bm{m}_regel"], out[f"bm{m}_trin"] = code, steps
        if self.published:
            out["offentliggjort"] = 1
        return out

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Dims:
        metrics = tuple((int(d[f"bm{m}_regel"]), int(d[f"bm{m}_trin"])) for m in range(1, int(d["antal_resultatmaal"]) + 1))
        used = lambda key: int(d[key]) if key in d else None  # noqa: E731
        return cls(int(d["antal_aar"]), int(d["antal_effekter"]), int(d["antal_omkostninger"]),
                   int(d["antal_enhedspriser"]), metrics, int(d["antal_fordelinger"]), int(d.get("investor", 0)),
                   used("brugte_effekter"), used("brugte_omkostninger"), published=int(d.get("offentliggjort", 0)),
                   own=int(d.get("antal_egne_priser", 0)), used_metrics=used("brugte_resultatmaal"))  # fmt: skip

    def spare_effect(self, e: int) -> bool:
        """Effect slot ``e`` (1-based) was left empty for the user when the workbook was built."""
        return self.used_effects is not None and e > self.used_effects

    def spare_cost(self, c: int) -> bool:
        """Cost slot ``c`` (1-based) was left empty for the user when the workbook was built."""
        return self.used_costs is not None and c > self.used_costs

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
    for field in ("afkastloft", "afkastgulv"):
        if getattr(case, field) is not None:
            raise SIError(field, "regnearket afregner ikke med afkastloft eller afkastgulv; brug case-filen (sibc calc)")
    names = {f"effekter.{e.id}.succesrate" for e in case.effekter}
    for name, overrides in case.scenarier.items():
        if name not in ("lav", "hoej"):
            raise SIError(f"scenarier.{name}", "regnearket har scenarierne lav og hoej")
        for driver in overrides:
            if driver not in names:
                raise SIError(f"scenarier.{name}.{driver}", "regnearkets scenarier ændrer kun effekternes succesrate")


SPARE_SLOTS = 3
"""Empty effect and cost slots every workbook has beyond the case's own, for the user to fill."""
MIN_EFFECT_SLOTS, MIN_COST_SLOTS = 8, 6
"""Effect and cost slots of the smallest workbook (the blank one): room for a whole case typed in."""


def slots(used: int, minimum: int, most: int) -> int:
    """Slots of a table holding ``used`` filled ones: ``SPARE_SLOTS`` more, at least ``minimum``, at most ``most``."""
    return min(most, max(used + SPARE_SLOTS, minimum))


SPARE_STEPS = 5
"""Rows of the step table (steps, outcomes) of a spare outcome-metric slot whose rule has one."""


def spare_metrics() -> tuple[tuple[int, int], ...]:
    """The empty outcome-metric slots every workbook has after the case's own metrics: one per registered
    payment rule (:func:`udfs.core.rules.rules`), as (rule code, rows of its step table)."""
    return tuple((rule.CODE, SPARE_STEPS if rule.STEPS else 0) for rule in rules())


def dims_of(case: Case) -> Dims:
    check_supported(case)
    model = case.betalingsmodel
    own_metrics = tuple(
        (m.regel.CODE, m.regel.steps())
        for m in (model.resultatmaal if model else [])
    )
    metrics = own_metrics + spare_metrics()
    dists = len(case.usikkerhed.fordelinger) if case.usikkerhed else 0
    investor = int(any(c.betaler == "investor" for c in case.indsats))
    effects, costs = len(case.effekter), len(case.indsats)
    return Dims(MAX_HORIZON, slots(effects, MIN_EFFECT_SLOTS, MAX_EFFECTS), slots(costs, MIN_COST_SLOTS, MAX_COST_LINES),
                len(unit_ids(case)), metrics, dists, investor, effects, costs,
                published=int(case.offentliggjort is not None), own=len(case.egne_priser),
                used_metrics=len(own_metrics))  # fmt: skip


# --------------------------------------------------------------------------- small helpers


AFTER_HORIZON = "COLUMN()-2>=horisont"
HORIZON_WORDS = '{horisont}&" år (år 0–"&({horisont}-1)&")"'
"""The horizon input in words, as every sheet shows it: "5 år (år 0–4)"."""
CHART_HORIZON = " (år efter horisonten tæller 0)"
"""Added to the title of a chart over the year columns: the years after the horizon are drawn but count 0."""
"""Where a year table (years from column B) is greyed out: its columns after the horizon input."""


def years(d: Dims) -> tuple[str, ...]:
    return tuple(f"År {y}" for y in range(d.years))


def profile_years(d: Dims) -> tuple[str, ...]:
    """Headers of a profile: profile year 1, 2, … (the k-th value lands k − 1 years after the first profile year)."""
    return tuple(f"Profilår {k}" for k in range(1, d.years + 1))


def nested_if(test: str, cases: list[tuple[str, str]], otherwise: str) -> str:
    """``IF(test="a",x,IF(test="b",y,otherwise))`` from (value, result) pairs."""
    out = otherwise
    for value, result in reversed(cases):
        out = f'IF({test}="{value}",{result},{out})'
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


PRICE_MESSAGE = Formula(None, "Prisomregning", "={prisbesked}")
"""The price message (``prisbesked`` on Forudsætninger) repeated at the top of the sheets that use prices."""


def guarded(sheet: Sheet) -> Sheet:
    """The sheet with every formula shown blank while a unit cost cannot be moved to the price year.

    One message (``prisbesked``) then says why, instead of #N/A in every
    result cell.  ``IF`` evaluates only the branch it returns, so no error
    travels through.
    """
    wrap = lambda f: None if f is None else f'=IF({{pris_ok}}=1,{f[1:]},"")'  # noqa: E731

    def item(b):
        if b is PRICE_MESSAGE:
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
    "Indsats": "indsatsens omkostninger pr. år og betaler, med optimismetillæg.",
    "Effekter": "hver effekt: succesrate, dødvægt, frafald, profil og besparelser pr. myndighed.",
    "Betalingsmodel": "resultatmål, målinger, betalingsregler og lofter; betalinger pr. år.",
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
        "5  Betalingsmodel: resultatmål, hvordan de måles, betalingsregel og lofter (kan stå tom).",
        "6  Resultat: læs nutidsværdi, tilbagebetalingstid og de øvrige nøgletal (se nedenfor).",
        "7  Følsomhed: prøv lav og høj succesrate; se break-even og hvor betaleren taber.",
        "8  Risici: beskriv de vigtigste risici; de vises ved siden af resultatet.",
    )
    adding = (
        "Ny effekt: udfyld den næste af de markerede tomme effekter på arket Effekter (id, navn, enhedspris, "
        "succesrate og profil); formlerne står klar og tæller den med i Resultat.",
        "Ny omkostning: skriv navn, betaler, type og beløb pr. år i en af de markerede tomme rækker på arket Indsats.",
        "Ny enhedspris: vælg id i en af de markerede tomme rækker på arket Enhedspriser.",
        "Nyt resultatmål: arket Betalingsmodel har et ledigt resultatmål for hver betalingsregel "
        f"({', '.join(rule_name(r).lower() for r in rules())}); vælg reglen ved at udfylde id og de øvrige felter i det ledige resultatmål med den regel.",
        "Flere år: ret Tidshorisont på arket Forudsætninger (op til 30 år) og udfyld de nye årskolonner; "
        "grå år ligger uden for horisonten og regnes ikke med. Udskriften af årstabellerne viser årene inden for "
        "horisonten, da projektmappen blev bygget; udvid udskriftsområdet (Sidelayout) for at udskrive flere år.",
        "Skriv kun i inputceller: tal skrevet andre steder indgår ikke i beregningen.",
    )
    reading = (
        "Nutidsværdi netto: gevinster minus omkostninger og resultatbetalinger, hvert år ganget med "
        "diskonteringsfaktoren og lagt sammen. Over 0 betaler indsatsen sig for betaleren.",
        "Tilbagebetalingstid: antal år (år 0 medregnet), til den kumulerede netto er og bliver mindst 0; "
        f"»{NOT_WITHIN}« når det ikke sker inden for horisonten.",
        "Break-even succesrate (arket Følsomhed): den laveste succesrate, hvorfra betalerens nutidsværdi "
        "forbliver mindst 0 op til 100 %.",
        "Benefit-cost-ratio: nutidsværdien af betalerens besparelser delt med nutidsværdien af betalerens "
        "omkostninger og betalinger. Over 1 er gevinsten størst.",
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


#: A case file's list as the workbook numbers its slots: ``effekter[k].f`` is the input ``eff{slot}_f``.
_SLOT_PREFIX = {"effekter": "eff", "indsats": "omk", "betalingsmodel.resultatmaal": "bm"}


def workbook_error(err: SIError, plan: Plan | None = None, slots: dict[str, list[int]] | None = None) -> SIError:
    """``err``, raised while reading a workbook, as the workbook's user reads it: the one place that names
    the sheet, the cell and its label (``Fejl i Effekter!B12 (Effekt 1, Succesrate): …``).

    An input cell refused by :func:`workbooks.reader.checked_inputs` is named by
    :func:`workbooks.reader.cell_error`; a case field (``effekter[0].enhedspris``,
    ``indsats[1].pr_aar``, ``betalingsmodel.resultatmaal[1].regel``) by the input
    cell of its slot (``slots``: the slots in use of ``effekter`` and ``indsats``,
    by :func:`filled_slots`), else by :data:`WORKBOOK_PLACES`.
    """
    from .reader import cell_error

    if err.others:
        head = SIError(err.argument, err.message)
        head.cell = getattr(err, "cell", None)
        first = workbook_error(head, plan, slots)
        return first.with_others([workbook_error(o, plan, slots) for o in err.others])
    if plan is not None and getattr(err, "cell", None) is not None:
        return cell_error(plan, err)
    if plan is not None and err.argument in plan.names:  # an input named by its cell name
        return SIError(describe(plan, err.argument), err.message)
    m = re.fullmatch(r"([\w.]+?)\[(\d+)\]\.(\w+)((?:\.\w+)*)", err.argument)
    if plan is not None and m and m[1] in _SLOT_PREFIX:
        k = int(m[2])
        used = (slots or {}).get(m[1])
        slot = used[k] if used is not None and k < len(used) else k + 1
        fields = [m[4].rsplit(".", 1)[-1]] if m[4] else []  # regel.maal → the cell of maal; regel → its type
        for field in (*fields, m[3], m[3] + "type"):
            name = f"{_SLOT_PREFIX[m[1]]}{slot}_{field}"
            if name in plan.names:
                return SIError(describe(plan, name), err.message)
    return SIError(WORKBOOK_PLACES.get(err.argument, err.argument), err.message)


def price_message(d: Dims) -> str:
    """The one message about moving prices: what cannot be moved and what to fill, or that a rate is used."""
    missing = "&".join(f'IF({{ep_mangler[{k}]}}="","",{{ep_mangler[{k}]}}&"; ")' for k in range(unit_rows(d))) or '""'
    years = [f"{{ep_prisaar[{k}]}}" for k in range(unit_rows(d))]
    beyond = (f"OR({{prisaar}}>{{idx_sidste}},{{prisaar}}<{{idx_foerste}}"
              + "".join(f",AND(ISNUMBER({y}),{y}<>{{prisaar}},OR({y}>{{idx_sidste}},{y}<{{idx_foerste}}))" for y in years) + ")")
    rate = ('"Alle enhedspriser er omregnet til prisår "&{prisaar}&"; prisindekset "&{indeks_valg}&" er fremskrevet med "'
            '&FIXED({fremskrivning}*100,1)&" % om året fra "&{idx_sidste}&"."')
    unknown = f'COUNTIF({{ep_type}},"{UNKNOWN_ID}")>0'  # an id typed that is neither a Katalog nor an own price
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
        Formula("prisbesked", "Prisomregning", "=" + price_message(d)),
        Heading("Casen"),
        Input("navn", "Navn", kind="text"),
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
        Input("optimisme_omk", "Optimismetillæg på omkostninger (%)", number_format=st.PERCENT, validation=Validation.between(0, 10)),
        Input("optimisme_gev", "Optimismefradrag i gevinster (%)", number_format=st.PERCENT, validation=SHARE),
        Input("investor_krav", "Investors krav til afkast (% pr. år)", number_format=st.PERCENT, validation=SHARE,
              required=False, help="Tom: intet krav. Giver break-even for investorens afkastkrav på arket Følsomhed"),
        Heading("Diskonteringsrenter (Finansministeriet)"),
        *rate_data, *band_rates,
        Heading("Refusionstrappen (LBK nr. 221 af 12/02/2021 § 5)"),
        *refusion_tables(),
        Blank(),
        Table("aarstabel", years(d), (
            Formula("aar", "År", "={i}", st.INTEGER),
            Formula("kalenderaar", "Kalenderår", '=IF({startaar}="","",{startaar}+{i})', st.YEAR),
            Input("deltagere", "Deltagere, der starter (antal personer)", number_format=st.INTEGER, validation=Validation.between(0), default=0),
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
                f'"Egen pris"),IF(ISNUMBER({_KAT_AT}),"Katalog","{UNKNOWN_ID}")))'),
        Formula("ep_navn", "Navn", picked("eg_navn", "kat_navn")),
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
                f'=IF({{ep_id[i]}}="","",IF({{ep_type[i]}}="{UNKNOWN_ID}","\'"&{{ep_id[i]}}&"\' findes hverken i Katalog eller Egne priser",'
                'IF(ISNUMBER({ep_faktor[i]}),"","\'"&{ep_id[i]}&"\' (prisår "&{ep_prisaar[i]}&") mangler "&' + MISSING_YEARS + ")))"),
        Formula("ep_kilde_udgiver", "Kilde: udgiver", picked("eg_kilde_udgiver", "kat_kilde_udgiver")),
        Formula("ep_kilde_dokument", "Kilde: dokument", picked("eg_kilde_dokument", "kat_kilde_dokument")),
    )  # fmt: skip


def own_items() -> tuple:
    """The columns of Egne priser: every field of a unit cost typed by the user, a check beside the id.

    Name, amount, shares and source sit in the same columns as on the Enhedspriser table above.
    """
    text = dict(kind="text", required=False)
    return (
        Input("eg_id", "Id (små bogstaver, tal og understregning)", **text),
        Formula("eg_kontrol", "Kontrol",
                '=IF(AND({eg_id[i]}="",{eg_beloeb[i]}=""),"",IF(OR({eg_kilde_udgiver[i]}="",{eg_kilde_dokument[i]}=""),'
                '"Mangler kilde: skriv udgiver og dokument",IF({eg_note[i]}="","Mangler udledning: skriv hvordan beløbet er fundet",'
                '"OK")))'),
        Input("eg_navn", "Navn", **text),
        Input("eg_enhed", "Enhed", kind="text", validation=Validation.words(UNIT_WORDS), required=False),
        Input("eg_beloeb", "Beløb pr. enhed (kr., eget prisår)", number_format=st.KR_DECIMALS, validation=Validation.between(0),
              required=False),
        Input("eg_prisaar", "Prisår", kind="integer", validation=Validation.whole(1990, 2100), required=False),
        *(Input(f"eg_andel_{a}", f"Andel {a}", number_format=st.PERCENT, validation=SHARE, required=False) for a in AUTHORITIES),
        Input("eg_fordelingsgrundlag", "Fordelingsgrundlag", **text),
        Input("eg_budgetomraade", "Budgetområde", **text),
        Input("eg_kildetype", "Kildetype", kind="text", validation=Validation.words(SOURCE_KIND_WORDS), required=False),
        Input("eg_kildevaerdi", "Tallet som offentliggjort", **text),
        Input("eg_kilde_udgiver", "Kilde: udgiver", **text),
        Input("eg_kilde_dokument", "Kilde: dokument", **text),
        Input("eg_kilde_url", "Kilde: URL", **text),
        Input("eg_note", "Udledning (hvordan beløbet er fundet)", **text),
        Formula("eg_katalog", "Katalogets beløb (samme id)",
                '=IF({eg_id[i]}="","",IFERROR(INDEX({kat_beloeb},MATCH({eg_id[i]},{kat_id},0),1),"ikke i Katalog"))', st.KR_DECIMALS),
    )  # fmt: skip


def own_without_source(d: Dims) -> str:
    """How many own prices (rows with an id or an amount) lack a source (udgiver or dokument)."""
    return ('SUMPRODUCT(((({eg_id}<>"")+({eg_beloeb}<>""))>0)*((({eg_kilde_udgiver}="")+({eg_kilde_dokument}=""))>0))')


def effect_price_check(d: Dims) -> str:
    """Every effect whose unit price cannot be used, one sentence each (empty when all can): its id is not
    on Enhedspriser, or the price has no split on the authorities (the catalogue's »ukendt«) and no refusion week."""
    out = []
    for e in range(1, d.effects + 1):
        n = lambda s: f"{{eff{e}_{s}}}"  # noqa: E731
        row = f"MATCH({n('enhedspris')},{{ep_id}},0)"
        price = f"\"'\"&{n('enhedspris')}&\"'\""  # the id in quotes: 'sygedagpenge_uge'
        who = f'"Effekt {e} ("&{n("id")}&")"'
        split = "COUNT(" + ",".join(f"INDEX({{ep_andel_{a}}},{row},1)" for a in AUTHORITIES) + ")<3"
        missing = f'{who}&" bruger enhedspris "&{price}&", som ikke står på arket Enhedspriser. "'
        no_split = f'{who}&": enhedsprisen "&{price}&" har ingen fordeling på myndigheder (ukendt) og kan ikke bruges i en business case. "'
        out.append(f'IF(OR({n("id")}="",{n("enhedspris")}=""),"",IF(ISNA({row}),{missing},'
                   f'IF(AND({n("refusionsuge")}="",INDEX({{ep_mangler}},{row},1)="",{split}),{no_split},"")))')
    return "&".join(out) or '""'


def unit_check(d: Dims) -> str:
    """The one line at the top of Enhedspriser: an unknown id, an effect's unusable price, own prices without a source, or OK."""
    return (f'IF({{ep_effektfejl}}<>"",TRIM({{ep_effektfejl}}),IF(COUNTIF({{ep_type}},"{UNKNOWN_ID}")>0,"Et id findes hverken i Katalog eller Egne priser: vælg et id på listen",'
            'IF({eg_uden_kilde}>0,{eg_uden_kilde}&" egne priser mangler kilde (udgiver og dokument): se Kontrol under Egne priser",'
            '"OK: hver enhedspris har en kilde")))')


def choice_list(d: Dims) -> Table:
    """The ids a unit price can be chosen from (the list of Enhedspriser's id cells): the Katalog's, then the own prices'."""
    n = len(catalogue())
    formulas = tuple(f"={{kat_id[{k}]}}" for k in range(n)) + tuple(
        f'=IF({{eg_id[{k}]}}="","",{{eg_id[{k}]}})' for k in range(own_rows(d)))
    return Table("valgliste", tuple(f"Valg {k + 1}" for k in range(len(formulas))),
                 (Formulas("ep_valg", "id", formulas),), orientation="columns", title="Id'er til listen")


UNIT_WIDTHS = {"A": 54, "B": 34, "C": 30, "D": 34, "E": 14, "F": 15, "G": 12, "H": 11, "I": 11, "J": 11, "K": 20, "L": 16,
               "M": 15, "N": 24, "O": 28, "P": 28, "Q": 24, "R": 30, "S": 14}  # fmt: skip
"""Column widths of Enhedspriser (three tables share the columns: unit prices, own prices, the index)."""


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
        Blank(),
        Table("katalog", tuple(u.id for u in units), items, orientation="columns", title="id", labels_name="kat_id"),
    ), title="Katalog over enhedspriser", freeze="katalog",
        widths={"A": 48, "B": 34, "C": 9, "D": 14, "E": 8, "F": 10, "G": 10, "H": 10, "I": 40, "J": 18, "K": 24, "L": 34,
                "M": 30, "N": 10, "O": 20, "P": 60})  # fmt: skip


def sheet_unit_costs(d: Dims) -> Sheet:
    all_years = index_years()
    names = sorted(indices())
    chosen = nested_if("{indeks}", [(n, f"{{idx_{n}[i]}}") for n in names[:-1]], f"{{idx_{names[-1]}[i]}}")
    own = "{idx_egne[i]}"
    index_items = [Data("idx_aar", "År", tuple(all_years), st.YEAR)] + [
        Data(f"idx_{n}", INDEX_WORDS[n], tuple(indices()[n].get(y) for y in all_years), st.DECIMAL) for n in names
    ] + [
        Input("idx_egne", "Egne værdier (kilde nedenfor)", number_format=st.DECIMAL, validation=Validation.between(0), required=False),
        Formula("idx_off", "Offentliggjort, valgt indeks", f'=IF({{indeks}}="{OWN}","",IF(ISNUMBER({chosen}),{chosen},""))', st.DECIMAL),
        Formula("idx_aar_off", "År med offentliggjorte tal", '=IF(ISNUMBER({idx_off[i]}),{idx_aar[i]},"")', st.YEAR),
        Formula("idx_valgt", "Valgt indeks",
                f'=IF({{indeks}}="{OWN}",IF(ISNUMBER({own}),{own},""),IF(ISNUMBER({{idx_off[i]}}),{{idx_off[i]}},'
                f'IF(AND(ISNUMBER({own}),{{idx_aar[i]}}>{{idx_sidste_off}}),IFERROR({own}*{{idx_led_off}}/{{idx_led_egne}},""),"")))',
                st.DECIMAL),
        Formula("idx_aar_med_tal", "År med tal", '=IF(ISNUMBER({idx_valgt[i]}),{idx_aar[i]},"")', st.YEAR),
    ]  # fmt: skip
    return Sheet("Enhedspriser", (
        PRICE_MESSAGE,
        Text("Vælg en enhedspris ved at vælge dens id på listen i kolonnen id: navn, beløb, prisår, fordeling og kilde "
             "hentes fra arket Katalog eller fra Egne priser nedenfor."),
        Text("Rækker med Type »Ledig« er tomme: vælg et id for at tilføje en enhedspris. En effekt bruger en enhedspris "
             "ved at vælge dens id på arket Effekter."),
        Formula("ep_kontrol", "Kontrol af enhedspriser", "=" + unit_check(d)),
        Blank(),
        Table("enhedspriser", tuple(f"Enhedspris {k + 1}" for k in range(unit_rows(d))), unit_items(),
              orientation="columns", title="Enhedspris"),
        Blank(), Heading("Egne priser"),
        Text("Kommunens egne enhedspriser: skriv beløb, prisår, fordeling og din egen kilde (udgiver, dokument) og udledning. "
             "Et id, der også findes i Katalog, erstatter katalogets pris."),
        Text("Vælg derefter egen pris' id i tabellen ovenfor. Rækker uden id er ledige."),
        Formula("eg_uden_kilde", "Egne priser uden kilde", "=" + own_without_source(d), st.INTEGER),
        Table("egne_priser", tuple(f"Egen pris {k + 1}" for k in range(own_rows(d))), own_items(),
              orientation="columns", title="Egen pris"),
        Blank(), Heading("Prisindeks (2015 = 100)"),
        Text("Kilder: Danmarks Statistik, nettoprisindeks og forbrugerprisindeks (årsgennemsnit af månedstal); "
             "Økonomistyrelsen, generel pris- og lønstigning, lønninger og forbrugerpriser (kædet)."),
        Text("Egne værdier (fx KL's pris- og lønskøn) er kommunens egne tal med egen kilde: med indeks 'eget' er de hele indekset; "
             "ellers forlænger de det valgte indeks efter dets sidste offentliggjorte år, kædet i det år (som Egne værdier "
             "derfor skal have med): egen(år) / egen(kædeår) × offentliggjort(kædeår), som to basisår kædes."),
        Table("indekstabel", tuple(str(y) for y in all_years), tuple(index_items), orientation="columns", title="År"),
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
    ), title="Enhedspriser", freeze="enhedspriser", widths=UNIT_WIDTHS)  # fmt: skip


SPARE_MARK = " – ledig: udfyld {key} for at tage den i brug (tom {key}: indgår ikke)"
"""Added to the heading of an empty slot (effect, cost line), naming the cell that takes it into use."""
SPARE_METRIC_MARK = " – ledig (regel: {rule}): udfyld id for at tage den i brug"
"""Added to the heading of an empty outcome-metric slot, naming its payment rule (:func:`rule_name`; the slot chooses the rule)."""


def rule_name(rule: type[Rule]) -> str:
    """A payment rule's short Danish name: its label without the explanation in brackets (``Trappe``)."""
    return rule.LABEL.split(" (")[0]


def if_used(m: int, formula: str) -> str:
    """``formula`` (without ``=``) for metric slot ``m``, giving 0 while the slot's id is empty (a spare slot)."""
    return f'IF({{bm{m}_id}}="",0,{formula})'


def cost_inputs(c: int) -> tuple[Input, Input, Input, Input]:
    """Cost line ``c``'s inputs: name, payer, type, and its row of amounts per year."""
    return (
        Input(f"omk{c}_navn", "Navn", kind="text"),
        Input(f"omk{c}_betaler", "Betaler", kind="text", validation=Validation.one_of(*PAYERS)),
        Input(f"omk{c}_type", "Type", kind="text", validation=Validation.one_of("opstart", "drift")),
        Input(f"omk{c}_pr_aar", f"Omkostning {c}", number_format=st.KR, validation=Validation.between(0), default=0),
    )


def sheet_costs(d: Dims) -> Sheet:
    blocks: list = [Text("Indsatsens omkostninger pr. år og betaler (kr., casens prisår)."), Blank()]
    for c in range(1, d.costs + 1):
        blocks += [Heading(f"Omkostning {c}" + (SPARE_MARK.format(key="navn") if d.spare_cost(c) else "")), *cost_inputs(c)[:3]]
    rows = tuple(cost_inputs(c)[3] for c in range(1, d.costs + 1))
    by_payer = tuple(
        Formula(f"omk_{p}", f"I alt {p} (med optimismetillæg)",
                "=" + total([f'IF({{omk{c}_betaler}}="{p}",{{omk{c}_pr_aar[i]}},0)' for c in range(1, d.costs + 1)])
                + "*(1+{optimisme_omk})*{i_horisont[i]}", st.KR)
        for p in PAYERS
    )  # fmt: skip
    blocks += [Blank(), Table("omkostninger", years(d), rows + by_payer, title="Kr. pr. år", greyed=AFTER_HORIZON)]
    return Sheet("Indsats", tuple(blocks), title="Indsats", widths={"A": 34})


def effect_blocks(e: int, d: Dims) -> list:
    p = f"eff{e}_"
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
        Input(p + "id", "Id (kort navn uden mellemrum)", kind="text"),
        Input(p + "navn", "Navn", kind="text"),
        Input(p + "enhedspris", "Enhedspris (id fra arket Enhedspriser)", kind="text", validation=Validation.from_range("ep_id")),
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
            Input(p + "deltagere", "Egne deltagere (antal personer)", number_format=st.INTEGER, validation=Validation.between(0), default=0),
            Formula(p + "gruppe", "Deltagere, der starter (anvendt)",
                    f'=IF({n("egne_deltagere")}="ja",{at(p + "deltagere")},{{deltagere[i]}})*{{i_horisont[i]}}', st.INTEGER),
            Formulas(p + "landet", "Mængde landet i året ved 100 % nettosuccesrate", landed, st.DECIMAL),
            Formula(p + "efter_nv", "Nutidsværdi af mængden efter horisonten ved 100 % (pr. startårgang)",
                    f"={at(p + 'gruppe')}*SUMPRODUCT({n('kerne')},(({{i}}+{n('offset')}+{{aar}})>={{horisont}})*"
                    + discount_at(f"({{i}}+{n('offset')}+{{aar}})") + ")", st.DECIMAL),
            Formula(p + "maengde", "Ændring i mængde (ved casens nettosuccesrate)", f"={n('netto')}*{at(p + 'landet')}", st.DECIMAL),
            *(Formula(p + f"bespar_{a}", f"Besparelse {a} (kr.)", f"=-{at(p + 'maengde')}*{n('pris')}*{n('andel_' + a)}*(1-{{optimisme_gev}})", st.KR)
              for a in AUTHORITIES),
            Formula(p + "enhed_betaler", "Betalers besparelse ved 100 % nettosuccesrate (kr.)",
                    f"=-{at(p + 'landet')}*{n('pris')}*{n('andel_betaler')}*(1-{{optimisme_gev}})", st.KR),
            Formula(p + "enhed_offentlig", "Offentlig besparelse ved 100 % nettosuccesrate (kr.)",
                    f"=-{at(p + 'landet')}*{n('pris')}*({n('andel_kommune')}+{n('andel_region')}+{n('andel_stat')})*(1-{{optimisme_gev}})", st.KR),
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
        Blank(),
    ]
    for e in range(1, d.effects + 1):
        blocks += effect_blocks(e, d)
    # One formula per effect's column, not CHOOSE over the effects: spreadsheets cap a function's arguments
    # (LibreOffice gives #VALUE! for CHOOSE over more than 30 effect slots).
    pick = lambda s: tuple(f"={{eff{e}_{s}}}" for e in range(1, d.effects + 1))  # noqa: E731
    blocks.append(Table("effektoversigt", tuple(f"Effekt {e}" for e in range(1, d.effects + 1)), (
        Formulas("eo_id", "Id", pick("id")),
        Formulas("eo_netto", "Nettosuccesrate", pick("netto"), st.PERCENT),
        Formulas("eo_doedvaegt", "Dødvægt", pick("doedvaegt"), st.PERCENT),
        Formulas("eo_antal", "Deltagere i alt (antal personer)", pick("antal"), st.INTEGER),
        Formulas("eo_b_betaler", "Betalers besparelse i alt ved 100 % nettosuccesrate", pick("b_betaler"), st.KR),
        Formulas("eo_besparelse", "Betalers besparelse i alt",
                 tuple("=" + payer_pick(f"eff{e}_bespar_sum_") for e in range(1, d.effects + 1)), st.KR),
    ), title="Oversigt"))  # fmt: skip
    sums = []
    for e in range(1, d.effects + 1):
        sums += [Formula(f"eff{e}_bespar_sum_{a}", f"Effekt {e}: besparelse {a} i alt (kr.)", f"=SUM({{eff{e}_bespar_{a}}})", st.KR) for a in AUTHORITIES]
    blocks += [Blank(), Heading("Besparelser i alt pr. effekt og myndighed"), *sums]
    return Sheet("Effekter", tuple(blocks), title="Effekter", widths={"A": 68})


FORMATS = {"kr": st.KR, "decimal": st.DECIMAL, "percent": st.PERCENT, "integer": None, "text": None}
"""Number format of each unit a rule's cells use (:class:`udfs.core.rules.Cell`)."""


def local(m: int, template: str) -> str:
    """A rule's formula template for metric ``m``: its own cells ``{@name}`` become ``{bm<m>_name}``."""
    return template.replace("{@", f"{{bm{m}_")


def as_share(m: int) -> str:
    """The condition under which metric ``m``'s measured values (and thresholds, targets) are shares: measured as »andel«."""
    return f'{{bm{m}_maal}}="andel"'


def rule_input(m: int, cell: Cell, per_outcome: bool = False) -> Input:
    """The workbook input of one of a rule's cells for metric ``m`` (a measured quantity is shown as per cent
    when the metric is measured as a share)."""
    kind = cell.unit if cell.unit in ("text", "integer") else "number"
    check = None
    if cell.low is not None or cell.high is not None:
        check = (Validation.whole if kind == "integer" else Validation.between)(cell.low, cell.high)
    share = as_share(m) if cell.unit == "decimal" and not per_outcome else None
    return Input(f"bm{m}_{cell.name}", cell.label, kind=kind, number_format=FORMATS[cell.unit], validation=check,
                 required=cell.required, percent_when=share)  # fmt: skip


def metric_blocks(m: int, code: int, steps: int, d: Dims) -> list:
    """Metric ``m``'s cells: what is measured and when, the rule's own cells (from its class), its payment."""
    rule = by_code(code)
    p = f"bm{m}_"
    n = lambda s: "{" + p + s + "}"  # noqa: E731
    blocks = [
        Heading(f"Resultatmål {m}" + (SPARE_METRIC_MARK.format(rule=rule_name(rule)) if d.spare_metric(m) else "")),
        Input(p + "id", "Id (kort navn uden mellemrum)", kind="text"),
        Input(p + "navn", "Navn", kind="text"),
        Input(p + "enhed", "Enhed", kind="text"),
        Input(p + "datakilde", "Datakilde", kind="text"),
        Input(p + "maaletidspunkt", "Måletidspunkt", kind="text"),
        Input(p + "aar", "År for måling og betaling", kind="integer", validation=Validation.whole(0, d.years - 1)),
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
        Formula(p + "beregnet", "Betaling efter loft",
                "=" + if_used(m, f'IF({n("loft")}="",{n("regelbetaling")},MIN({n("loft")},{n("regelbetaling")}))'), st.KR),
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


def payments_after_horizon(d: Dims) -> str:
    """Every outcome metric paid in a year after the horizon (a payment no sum counts), one sentence each, or empty."""
    last = '"&({horisont}-1)&"'
    out = [f'IF(AND(ISNUMBER({{bm{m}_aar}}),{{bm{m}_aar}}>={{horisont}}),"Resultatmål {m} betales i år "&{{bm{m}_aar}}'
           f'&", efter horisonten (år 0–{last}): betalingen er ikke med. ","")' for m in range(1, len(d.metrics) + 1)]
    return "=" + ("TRIM(" + "&".join(out) + ")" if out else '""')


def sheet_payment_model(d: Dims) -> Sheet:
    blocks: list = [
        Text("Resultatmål, betalingsregler og lofter. Investeringen er omkostningerne med betaler »investor« på arket Indsats."),
        Formula("bm_efter_horisont", "Advarsel: betaling efter horisonten", payments_after_horizon(d)),
        Input("loft_kontrakt", "Loft for hele kontrakten (kr.)", number_format=st.KR, validation=Validation.between(0), required=False),
        Blank(),
    ]
    if not d.metrics or d.used_metrics == 0:
        blocks.append(Text("Casen har ingen betalingsmodel: der er ingen resultatbetalinger."))
    if any(d.spare_metric(m) for m in range(1, len(d.metrics) + 1)):
        blocks += [Text("De ledige resultatmål nedenfor har hver sin betalingsregel: vælg reglen ved at udfylde id"),
                   Text("i det ledige resultatmål med den regel. En tom række i en trappe eller et ratekort indgår ikke.")]
    for m, (code, steps) in enumerate(d.metrics, start=1):
        blocks += metric_blocks(m, code, steps, d)
    gross = "=" + total([f'IF(AND({{bm{m}_id}}<>"",{{bm{m}_aar}}={{i}}),{{bm{m}_beregnet}},0)' for m in range(1, len(d.metrics) + 1)]) + "*{i_horisont[i]}"
    excess = 'IF({loft_kontrakt}="",0,MAX(0,SUM({bet_brutto})-{loft_kontrakt}))'
    blocks.append(Table("betalingstabel", years(d), (
        Formula("bet_brutto", "Betalinger før kontraktloft", gross, st.KR),
        Formula("bet_kum", "Kumuleret", "={bet_kum[i-1]}+{bet_brutto[i]}", st.KR, first="={bet_brutto[0]}"),
        Formula("bet_skaeres", "Skæres (seneste år først)",
                f"=MIN({{bet_brutto[i]}},MAX(0,{excess}-(SUM({{bet_brutto}})-{{bet_kum[i]}})))", st.KR),
        Formula("betalinger", "Resultatbetalinger", "={bet_brutto[i]}-{bet_skaeres[i]}", st.KR),
    ), title="Pr. år", greyed=AFTER_HORIZON))  # fmt: skip
    return Sheet("Betalingsmodel", tuple(blocks), title="Betalingsmodel", widths={"A": 40})


def irr_formula(flows: str) -> str:
    """Excel's IRR of ``flows`` from each of :data:`~udfs.core.settlement.WORKBOOK_GUESSES` in turn.

    A guess that gives ``#NUM!`` or a rate not above −1 (no rate of return)
    passes to the next; after the last the cell shows :data:`~udfs.core.vocabulary.UNDEFINED`.  The
    core's :func:`~udfs.core.settlement.workbook_irr` gives the same value.
    """
    out = f'"{UNDEFINED}"'
    for guess in reversed(WORKBOOK_GUESSES):
        irr = f"IRR({flows},{guess:g})"
        out = f"IFERROR(IF({irr}>-1,{irr},NA()),{out})"
    return "=" + out


RESULT_TOTALS = (
    "r_deltagere", *(f"r_omk_{p}" for p in PAYERS), *(f"r_bes_{a}" for a in AUTHORITIES), "r_betalinger",
    "r_bes_betaler", "r_omk_betaler", "r_netto_betaler", "r_netto_offentlig", "r_nv_betaler", "r_nv_offentlig", "r_investor",
)
"""The Resultat rows that get an "I alt" cell (``<row>_i_alt``, the sum over the horizon): flows, not levels."""


def sheet_results(d: Dims) -> Sheet:
    last = d.years - 1
    effect_sum = lambda a: "=" + total([f"{{eff{e}_bespar_{a}[i]}}" for e in range(1, d.effects + 1)])  # noqa: E731
    rows = (
        Formula("r_aar", YEARLY["r_aar"].label, "={aar[i]}", st.INTEGER),
        Formula("r_kalenderaar", YEARLY["r_kalenderaar"].label, "={kalenderaar[i]}", st.YEAR),
        Formula("r_deltagere", YEARLY["r_deltagere"].label, "={deltagere[i]}*{i_horisont[i]}", st.INTEGER),
        *(Formula(f"r_omk_{p}", YEARLY[f"r_omk_{p}"].label, f"={{omk_{p}[i]}}", st.KR) for p in PAYERS),
        *(Formula(f"r_bes_{a}", YEARLY[f"r_bes_{a}"].label, effect_sum(a), st.KR) for a in AUTHORITIES),
        Formula("r_betalinger", YEARLY["r_betalinger"].label, "={betalinger[i]}", st.KR),
        Formula("r_bes_betaler", "Besparelse hos betaler", "=" + payer_pick("r_bes_", "[i]"), st.KR),
        Formula("r_omk_betaler", "Omkostninger hos betaler", "=" + payer_pick("r_omk_", "[i]"), st.KR),
        Formula("r_netto_betaler", YEARLY["r_netto_betaler"].label, "={r_bes_betaler[i]}-{r_omk_betaler[i]}-{r_betalinger[i]}", st.KR),
        Formula("r_kum_betaler", YEARLY["r_kum_betaler"].label, "={r_kum_betaler[i-1]}+{r_netto_betaler[i]}", st.KR, first="={r_netto_betaler[0]}"),
        Formula("r_netto_offentlig", YEARLY["r_netto_offentlig"].label,
                "={r_bes_kommune[i]}+{r_bes_region[i]}+{r_bes_stat[i]}-{r_omk_kommune[i]}-{r_omk_region[i]}-{r_omk_stat[i]}-{r_betalinger[i]}", st.KR),
        Formula("r_kum_offentlig", YEARLY["r_kum_offentlig"].label, "={r_kum_offentlig[i-1]}+{r_netto_offentlig[i]}", st.KR, first="={r_netto_offentlig[0]}"),
        Formula("r_df", YEARLY["r_df"].label, "={df[i]}", st.FACTOR),
        Formula("r_nv_betaler", YEARLY["r_nv_betaler"].label, "={r_netto_betaler[i]}*{r_df[i]}", st.KR),
        Formula("r_nv_offentlig", YEARLY["r_nv_offentlig"].label, "={r_netto_offentlig[i]}*{r_df[i]}", st.KR),
        Formula("r_investor", "Investors nettopengestrøm", "={r_betalinger[i]}-{r_omk_investor[i]}", st.KR),
        Formula("r_flag_betaler", "Betaler: kumuleret ≥ 0 herfra", f"=IF(MIN({{r_kum_betaler[i]}}:{{r_kum_betaler[{last}]}})>=0,1,0)", st.INTEGER),
        Formula("r_flag_offentlig", "Offentlig: kumuleret ≥ 0 herfra", f"=IF(MIN({{r_kum_offentlig[i]}}:{{r_kum_offentlig[{last}]}})>=0,1,0)", st.INTEGER),
    )  # fmt: skip
    payback = lambda who: f'=IF(MAX({{r_flag_{who}}})=0,"{NOT_WITHIN}",MATCH(1,{{r_flag_{who}}},0))'  # noqa: E731
    paid_in = lambda who: (f'=IF(MAX({{r_flag_{who}}})=0,"{NOT_WITHIN}",IF({{startaar}}="","{UNDEFINED}",'  # noqa: E731
                           f"{{startaar}}+MATCH(1,{{r_flag_{who}}},0)-1))")
    return Sheet("Resultat", (
        PRICE_MESSAGE,
        Table("resultat", years(d), rows, title="Kr. pr. år", labels_name="r_aar_overskrift", totals=RESULT_TOTALS,
              greyed=AFTER_HORIZON),
        Blank(), Heading("Nøgletal"),
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
                f'=IF(SUMPRODUCT({{r_omk_betaler}},{{r_df}})+SUMPRODUCT({{r_betalinger}},{{r_df}})=0,"{UNDEFINED}",'
                "SUMPRODUCT({r_bes_betaler},{r_df})/(SUMPRODUCT({r_omk_betaler},{r_df})+SUMPRODUCT({r_betalinger},{r_df})))", st.DECIMAL),
        Formula("roi_betaler", "Afkast (ROI) betaler", f'=IF(ISNUMBER({{bcr_betaler}}),{{bcr_betaler}}-1,"{UNDEFINED}")', st.PERCENT),
        Formula("investering", "Investering (investor)", "=SUM({r_omk_investor})", st.KR),
        Formula("betalinger_i_alt", "Resultatbetalinger i alt", "=SUM({r_betalinger})", st.KR),
        Formula("bonus", "Investors bonus", "={betalinger_i_alt}-{investering}", st.KR),
        Formula("afkast", "Afkast af investering", f'=IF({{investering}}=0,"{UNDEFINED}",{{bonus}}/{{investering}})', st.PERCENT),
        Formula("pengemultiplikator", "Pengemultiplikator", f'=IF({{investering}}=0,"{UNDEFINED}",{{betalinger_i_alt}}/{{investering}})', st.DECIMAL),
        Formula("investor_irr", "Investors IRR (IRR, med flere gæt hvis det første ikke konvergerer)",
                irr_formula("{r_investor}"), st.PERCENT),
        Text("Skifter investors pengestrøm fortegn mere end én gang, kan den have flere interne renter; "
             "cellen viser den, Excels IRR finder. SI_NOEGLETAL og sibc calc viser dem alle."),
        Blank(),
        Chart("Besparelser pr. år og myndighed" + CHART_HORIZON, ("r_bes_kommune", "r_bes_region", "r_bes_stat"), "r_aar_overskrift", kind="bar", y_title="kr."),
        Chart("Betalers kumulerede netto" + CHART_HORIZON, ("r_kum_betaler",), "r_aar_overskrift", kind="line", y_title="kr."),
    ), title="Resultat", freeze="resultat", widths={"A": 58})  # fmt: skip


def present_value_parts() -> list:
    """The present values of gains and of costs (with payments) shown apart, for the payer and the public sector:
    gains − costs = the net present value above."""
    public = total([f"SUMPRODUCT({{r_omk_{a}}},{{r_df}})" for a in AUTHORITIES])
    return [
        Formula("nv_gevinst_betaler", "Nutidsværdi af gevinster betaler", "=SUMPRODUCT({r_bes_betaler},{r_df})", st.KR),
        Formula("nv_omk_betaler", "Nutidsværdi af omkostninger og betalinger betaler",
                "=SUMPRODUCT({r_omk_betaler},{r_df})+SUMPRODUCT({r_betalinger},{r_df})", st.KR),
        Formula("nv_gevinst_offentlig", "Nutidsværdi af gevinster offentlig",
                "=" + "+".join(f"SUMPRODUCT({{r_bes_{a}}},{{r_df}})" for a in AUTHORITIES), st.KR),
        Formula("nv_omk_offentlig", "Nutidsværdi af omkostninger og betalinger offentlig",
                f"={public}+SUMPRODUCT({{r_betalinger}},{{r_df}})", st.KR),
    ]


def risk_pool_cells() -> list:
    """The risk pool (sheet Risici) beside the result: the present values net after it (Resultat's key figures)."""
    return [
        Formula(None, "Risikopulje (arket Risici)", "={risikopulje}", st.KR),
        Formula("nv_betaler_efter_risiko", "Nutidsværdi netto betaler efter risikopulje", "={nv_betaler}-{risikopulje}", st.KR),
        Formula("nv_offentlig_efter_risiko", "Nutidsværdi netto offentlig efter risikopulje", "={nv_offentlig}-{risikopulje}", st.KR),
    ]


RISK_FIELDS = ("beskrivelse", "ejer", "sandsynlighed", "min", "mest_sandsynlig", "max")
"""The risk register's input columns (sheet Risici, cells ``rk_<field>``), as the case file's ``risici`` fields."""
RISK_LABELS = {"beskrivelse": "Risiko (hvad kan ske)", "ejer": "Ejer", "sandsynlighed": "Sandsynlighed",
               "min": "Konsekvens min. (kr.)", "mest_sandsynlig": "Konsekvens mest sandsynlig (kr.)", "max": "Konsekvens maks. (kr.)"}
"""The risk register's column headers, by field."""
TOP_RISKS = 5
"""Risks shown on Overblik: the largest by expected value."""


def sheet_risks(d: Dims) -> Sheet:
    """The risk register, as in the state's business-case model: up to 12 risks and their risk pool.

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
    return Sheet("Risici", (
        Text("Casens væsentligste risici (op til 12, som i statens business case-model), hver med ejer, sandsynlighed"),
        Text("og konsekvens i kr. (nutidsværdi i casens prisår) som trepunktsestimat: min., mest sandsynlig og maks."),
        Text("Forventet værdi = sandsynlighed × (min. + 4 × mest sandsynlig + maks.) / 6 (trepunktsestimatets middelværdi, PERT)."),
        Text("Risikopuljen er summen af de forventede værdier; Resultat og Overblik viser nutidsværdien efter den."),
        Blank(),
        Table("risici", tuple(f"Risiko {k}" for k in range(1, MAX_RISKS + 1)), items, orientation="columns", title="Nr."),
        Blank(),
        Formula("risikopulje", "Risikopulje", "=SUM({rk_forventet})", st.KR, unit="(summen af de forventede værdier)"),
    ), title="Risici", freeze="risici", widths={"A": 12, "B": 44, "C": 18, "D": 15, "E": 15, "F": 15, "G": 15, "H": 15, "I": 7})  # fmt: skip


def sheet_overview(d: Dims) -> Sheet:
    """One printed page for decision makers: key figures, who pays and who gains, the cumulative net,
    the main assumptions and the largest risks -- every cell a formula on the other sheets."""
    who = PAYERS
    pay = lambda w: (f'=IF({{betaler}}="{w}",-SUM({{r_betalinger}}),0)' if w != "investor" else "=SUM({r_betalinger})")  # noqa: E731
    pv_pay = lambda w: (f'-IF({{betaler}}="{w}",SUMPRODUCT({{r_betalinger}},{{r_df}}),0)' if w != "investor"  # noqa: E731
                        else "+SUMPRODUCT({r_betalinger},{r_df})")  # fmt: skip
    savings = lambda w: f"SUM({{r_bes_{w}}})" if w != "investor" else "0"  # noqa: E731
    pv_savings = lambda w: f"SUMPRODUCT({{r_bes_{w}}},{{r_df}})" if w != "investor" else "0"  # noqa: E731
    formulas = {
        "omk": tuple(f"=SUM({{r_omk_{w}}})" for w in who),
        "bes": tuple("=" + savings(w) for w in who),
        "betal": tuple(pay(w) for w in who),
        "netto": tuple("={myn_bes[%d]}-{myn_omk[%d]}+{myn_betal[%d]}" % (k, k, k) for k in range(len(who))),
        "nv": tuple(f"={pv_savings(w)}-SUMPRODUCT({{r_omk_{w}}},{{r_df}}){pv_pay(w)}" for w in who),
    }
    authorities = Table("myndigheder", tuple(w.capitalize() for w in who),
                        tuple(Formulas(f"myn_{k}", label, formulas[k], st.KR) for k, label in AUTHORITY_LINES),
                        orientation="columns", title="Hvem")  # fmt: skip
    rates = Table("ov_effekter", tuple(f"Effekt {e}" for e in range(1, d.effects + 1)), (
        Formulas("ov_succesrate", "Succesrate", tuple(f'=IF({{eff{e}_id}}="","",{{eff{e}_succesrate}})' for e in range(1, d.effects + 1)), st.PERCENT),
        Formulas("ov_navn", "Navn", tuple(f'=IF({{eff{e}_id}}="","",{{eff{e}_navn}}&"")' for e in range(1, d.effects + 1))),
    ), orientation="columns", title="Effekt")  # fmt: skip
    top = Table("ov_risici", tuple(str(k) for k in range(1, TOP_RISKS + 1)), (
        Formula(None, "Forventet værdi", '=IFERROR(INDEX({rk_forventet},MATCH({i}+1,{rk_rang},0)),"")', st.KR),
        Formula(None, "Ejer", '=IFERROR(INDEX({rk_ejer},MATCH({i}+1,{rk_rang},0))&"","")'),
        Formula(None, "Risiko", '=IFERROR(INDEX({rk_beskrivelse},MATCH({i}+1,{rk_rang},0))&"","")'),
    ), orientation="columns", title="Største risici")  # fmt: skip
    schedules = [(code, f'"{word}"') for code, word in DISCOUNTING_WORDS.items() if code != "fast"]
    discounting = ('=IF({diskontering}="fast","fast rente "&FIXED({fast_rente}*100,1)&" % om året",'
                   + nested_if("{diskontering}", schedules, "{diskontering}") + ")")
    return Sheet("Overblik", (
        PRICE_MESSAGE,
        Formula("ov_advarsel", "Advarsel: betaling efter horisonten", "={bm_efter_horisont}&\"\""),
        Formula(None, "Case", "={navn}"),
        Formula(None, "Visning", '=IF({visning}="kommune","kommunens (betalers) perspektiv","hele den offentlige sektor")'),
        Heading("Nøgletal"),
        Formula(None, "Nutidsværdi netto, betaler", "={nv_betaler}", st.KR),
        Formula(None, "Nutidsværdi netto, offentlig sektor i alt", "={nv_offentlig}", st.KR),
        Formula(None, "Risikopulje (arket Risici)", "={risikopulje}", st.KR),
        Formula(None, "Nutidsværdi netto, betaler, efter risikopulje", "={nv_betaler_efter_risiko}", st.KR),
        Formula(None, "Tilbagebetalingstid, betaler (år fra start)", "={tilbage_betaler}", st.INTEGER),
        Formula(None, "Tilbagebetalingstid, offentlig sektor (år fra start)", "={tilbage_offentlig}", st.INTEGER),
        Formula(None, "Break-even succesrate (betaler)", "={break_even}", st.PERCENT),
        Formula(None, "Investors afkast (IRR)", "={investor_irr}", st.PERCENT),
        Blank(),
        Heading("Hvem betaler, og hvem vinder (kr. over horisonten)"),
        authorities,
        Text("Kommune + region + stat = offentlig sektor i alt."),
        Text("Resultatbetalinger: betaleren betaler (−), investor modtager (+)."),
        Blank(),
        Heading("Forudsætninger"),
        Formula("ov_horisont", "Horisont", "=" + HORIZON_WORDS),
        Formula(None, "Prisår", "={prisaar}", st.YEAR),
        Formula("ov_diskontering", "Diskontering", discounting),
        Formula(None, "Betaler af resultatbetalinger", "={betaler}"),
        rates,
        Blank(),
        top,
        Blank(),
        Chart("Kumuleret netto: betaler og offentlig sektor" + CHART_HORIZON, ("r_kum_betaler", "r_kum_offentlig"), "r_aar_overskrift",
              kind="line", y_title="kr.", height_rows=18),
    ), title="Overblik", widths={"A": 46, "B": 15, "C": 15, "D": 15, "E": 15, "F": 15}, one_page=True)  # fmt: skip


def after_horizon_cells(d: Dims) -> list:
    """Savings the horizon cuts off (profiles landing in year H or later), for the payer and the public sector."""
    out = []
    for who, share in (("betaler", lambda e: f"{{eff{e}_andel_betaler}}"),
                       ("offentlig", lambda e: f"({{eff{e}_andel_kommune}}+{{eff{e}_andel_region}}+{{eff{e}_andel_stat}})")):  # fmt: skip
        for kind, item, label in (("kr", "efter", "kr."), ("nv", "efter_nv_i_alt", "nutidsværdi")):
            terms = [f"-{{eff{e}_netto}}*{{eff{e}_{item}}}*{{eff{e}_pris}}*{share(e)}*(1-{{optimisme_gev}})" for e in range(1, d.effects + 1)]
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
        rows.append(Formula(f"ev_netto{e}", f"Nettosuccesrate effekt {e}", f"={{ev_succes{e}[i]}}-{{eff{e}_doedvaegt}}", st.PERCENT))
    nets = f"INDEX({{ev_netto1[i]}}:{{ev_netto{E}[i]}},MATCH({{eff}},{{eo_id}},0))"  # the effect's row of this column
    savings_all = total([f"{{ev_netto{e}[i]}}*{{eff{e}_b_betaler}}" for e in range(1, E + 1)])
    savings_one = f"{nets}*INDEX({{eo_b_betaler}},1,MATCH({{eff}},{{eo_id}},0))"
    antal = "INDEX({eo_antal},1,MATCH({eff},{eo_id},0))"
    paying: list = []  # the metrics' payments, in consecutive rows (a column range per evaluation point)
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if rule.PER_OUTCOME:
            counts = [f'IF({{eff}}="",0,{nets}*IF({at(f"bm{m}_udfald_maal", k)}="antal",{antal},1))'.replace("{eff}", at(f"bm{m}_udfald_effekt", k))
                      for k in range(steps)]  # fmt: skip
            x = local(m, rule.excel_measure(counts))
        else:
            eff, maal = f"{{bm{m}_effekt}}", f"{{bm{m}_maal}}"
            x = (f'IF({maal}="besparelse",IF({eff}="",{savings_all},{savings_one}),{nets}*IF({maal}="antal",{antal},1))'
                 .replace("{eff}", eff)) + f"*{{bm{m}_faktor}}"  # fmt: skip
        rows.append(Formula(f"ev_opnaaet{m}", f"Opnået resultatmål {m}", "=" + if_used(m, x), st.DECIMAL))
        pay = rule_formula(m, code, f"{{ev_opnaaet{m}[i]}}")
        paying.append(Formula(f"ev_betaling{m}", f"Betaling resultatmål {m}",
                              "=" + if_used(m, f'IF({{bm{m}_loft}}="",{pay},MIN({{bm{m}_loft}},{pay}))'), st.KR))
    rows += paying
    payments, years_of = (f"{{ev_betaling1[i]}}:{{ev_betaling{M}[i]}}", f"{{ev_aar1[0]}}:{{ev_aar{M}[0]}}") if M else ("0", "0")
    rows.append(Formula("ev_i_alt", "Betalinger i alt før kontraktloft", f"=SUM({payments})" if M else "=0", st.KR))
    for m in range(1, M + 1):
        upto = f"SUMPRODUCT(({years_of}<={{bm{m}_aar}})*({payments}))"
        rows.append(Formula(f"ev_kumuleret{m}", f"Betalinger til og med år for resultatmål {m}, før kontraktloft", "=" + if_used(m, upto), st.KR))
    for y in range(H):
        terms = f"SUMPRODUCT(({years_of}={y})*({payments}))" if M else "0"
        rows.append(Formula(f"ev_brutto{y}", f"Betaling år {y} før kontraktloft", "=" + terms, st.KR))
    column = lambda first: f"SUM({{ev_brutto{first}[i]}}:{{ev_brutto{H - 1}[i]}})"  # noqa: E731 - the years from first on
    excess = f'IF({{loft_kontrakt}}="",0,MAX(0,{column(0)}-{{loft_kontrakt}}))'
    for y in range(H):
        later = column(y + 1) if y + 1 < H else "0"
        rows.append(Formula(f"ev_efter_loft{y}", f"Betaling år {y} efter kontraktloft",
                            f"={{ev_brutto{y}[i]}}-MIN({{ev_brutto{y}[i]}},MAX(0,{excess}-{later}))", st.KR))  # fmt: skip
    paid = f"{{ev_efter_loft0[i]}}:{{ev_efter_loft{H - 1}[i]}}"  # this column's payments, year by year (a column)
    rows.append(Formula("ev_nv_betalinger", "Nutidsværdi af betalinger", f"=SUMPRODUCT({paid},{{fs_df}})", st.KR))
    rows.append(Formula("ev_inv", "Investor: betalinger − investering", f"=SUM({paid})-{{investering}}", st.KR))
    krav = "(1+{investor_krav})"
    rows.append(Formula("ev_inv_krav", "Investor: nutidsværdi ved krav til afkast",
                        f'=IF({{investor_krav}}="",0,SUMPRODUCT({paid},1/{krav}^{{fs_aar}})'
                        + f"-SUMPRODUCT({{r_omk_investor}},1/{krav}^{{aar}}))", st.KR))  # fmt: skip
    costs_payer = "SUMPRODUCT({r_omk_betaler},{r_df})"
    costs_public = total([f"SUMPRODUCT({{r_omk_{a}}},{{r_df}})" for a in AUTHORITIES])
    a_payer = total([f"{{ev_netto{e}[i]}}*{{eff{e}_a_betaler}}" for e in range(1, E + 1)])
    a_public = total([f"{{ev_netto{e}[i]}}*{{eff{e}_a_offentlig}}" for e in range(1, E + 1)])
    rows.append(Formula("ev_nv_betaler", "Nutidsværdi netto betaler", f"={a_payer}-{costs_payer}-{{ev_nv_betalinger[i]}}", st.KR))
    rows.append(Formula("ev_nv_offentlig", "Nutidsværdi netto offentlig", f"={a_public}-{costs_public}-{{ev_nv_betalinger[i]}}", st.KR))
    return tuple(rows)


def knot_candidates(d: Dims) -> list[str]:
    """Formulas for the success rates where a payment rule bends or steps (mapped to 0–1)."""
    out = []
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        x0, x1 = f"{{ev_opnaaet{m}[0]}}", f"{{ev_opnaaet{m}[1]}}"
        if 0.0 in rule.LINK_LEVELS:  # where an outcome's count leaves 0 (its effect's net rate crosses 0)
            for k in range(steps):
                dead = "INDEX({eo_doedvaegt},1,MATCH({eff},{eo_id},0))"
                knot = f'IF({{eff}}="",0,IF(AND({dead}>0,{dead}<1),{dead},0))'.replace("{eff}", at(f"bm{m}_udfald_effekt", k))
                out.append("=" + if_used(m, knot))
            continue  # its own levels are met between these knots (see piecewise_levels)
        for level in rule.excel_levels(steps, f"{{bm{m}_loft}}"):
            level = local(m, level)
            s = f"({level}-{x0})/({x1}-{x0})"
            out.append("=" + if_used(m, f"IF({x1}={x0},0,IF(AND({s}>0,{s}<1),{s},0))"))
    return out


def piecewise_levels(d: Dims) -> list[tuple[str, str]]:
    """(row, level) for the rules whose measured value bends between its measurements' own knots (a rate card's
    counts clipped at 0): their levels are met piece by piece between the sorted rule knots, as in the core's
    :func:`udfs.core.businesscase.rule_knots`."""
    out = []
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if rule.LINK_LEVELS:
            out += [(f"ev_opnaaet{m}", local(m, level)) for level in rule.excel_levels(steps, f"{{bm{m}_loft}}")]
    return out


def metric_years(d: Dims) -> Table:
    """Each metric slot's year of payment, in one column (−1 for an empty slot: its blank year is not year 0), for
    the evaluation's sums of payments by year (:func:`evaluation_rows`)."""
    return Table("resultatmaal_aar", ("År",), tuple(
        Formula(f"ev_aar{m}", f"Resultatmål {m}: år for måling og betaling (−1: ledigt)", f'=IF({{bm{m}_id}}="",-1,{{bm{m}_aar}})', st.INTEGER)
        for m in range(1, len(d.metrics) + 1)), title="Resultatmålenes år")  # fmt: skip


def sensitivity_model(d: Dims) -> tuple[list, list]:
    """The break-even machinery (knots, loss ranges, the evaluation grid) and the figures read from it.

    Returns (machinery blocks for :data:`MACHINERY_SHEET`, the named figures for Følsomhed:
    the scenarios' present values and the break-evens).
    """
    cands = knot_candidates(d)
    K = len(cands) + 2  # rule knots with 0 and 1
    # The contract cap cuts the latest payments first: the payments' PV bends where the payments up to and
    # including a metric's year reach the cap (the last such year: where the cap starts to bind).
    cumulative = [f"ev_kumuleret{m}" for m in range(1, len(d.metrics) + 1)] or ["ev_i_alt"]
    crossed = [(c, "{loft_kontrakt}") for c in cumulative] + piecewise_levels(d)
    L = K * (1 + len(crossed))  # rule knots, and where the contract cap and the piecewise rules' levels are met
    knots = Table("knaekpunkter", tuple(f"K{k}" for k in range(K)), (
        Formulas("kn_kandidat", "Kandidat (regler)", ("=0", "=1", *cands), st.PERCENT),
        Formula("kn_sorteret", "Sorteret", "=SMALL({kn_kandidat},{i}+1)", st.PERCENT),
    ), title="Knækpunkter")  # fmt: skip
    # Evaluation columns: 0 s=0, 1 s=1, 2 lav, 3 basis, 4 høj; then A = the sorted rule knots,
    # B = just left of them, C = all knots (with the contract cap's crossings), D = just left of those.
    a0, b0, c0, d0 = 5, 5 + K, 5 + 2 * K, 5 + 2 * K + L
    rate = ("IF({i}=0,0,IF({i}=1,1,IF({i}=2,INDEX({sc_lav},{e},1),IF({i}=3,INDEX({sc_basis},{e},1),"
            f"IF({{i}}=4,INDEX({{sc_hoej}},{{e}},1),IF({{i}}<{b0},INDEX({{kn_sorteret}},1,{{i}}-{a0 - 1}),"
            f"IF({{i}}<{c0},MAX(0,INDEX({{kn_sorteret}},1,{{i}}-{b0 - 1})-{DELTA}),"
            f"IF({{i}}<{d0},INDEX({{kn_alle}},1,{{i}}-{c0 - 1}),MAX(0,INDEX({{kn_alle}},1,{{i}}-{d0 - 1})-{DELTA})))))))))")  # fmt: skip
    labels = ("s = 0", "s = 1", "Lav", "Basis", "Høj", *(f"A{k}" for k in range(K)), *(f"A{k}−" for k in range(K)),
              *(f"K{j}" for j in range(L)), *(f"K{j}−" for j in range(L)))  # fmt: skip
    evaluation = Table("evaluering", labels, evaluation_rows(d, rate), title="Beregning")
    cap_cross = [
        "=0" if k == 0 else
        f'=IF(N({level})=0,0,IF(({{{c}[{a0 + k - 1}]}}-{level})*({{{c}[{b0 + k}]}}-{level})<0,'
        f"{{kn_sorteret[{k - 1}]}}+({level}-{{{c}[{a0 + k - 1}]}})*(MAX(0,{{kn_sorteret[{k}]}}-{DELTA})-{{kn_sorteret[{k - 1}]}})"
        f"/({{{c}[{b0 + k}]}}-{{{c}[{a0 + k - 1}]}}),0))"
        for c, level in crossed for k in range(K)
    ]  # fmt: skip
    union = Table("knaekpunkter_alle", tuple(f"K{j}" for j in range(L)), (
        Formulas("kn_union", "Regler, kontraktloft og ratekortets lofter", tuple(f"={{kn_sorteret[{k}]}}" for k in range(K)) + tuple(cap_cross), st.PERCENT),
        Formula("kn_alle", "Sorteret", "=SMALL({kn_union},{i}+1)", st.PERCENT),
    ), title="Alle knækpunkter")  # fmt: skip

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

    def stays(who: str, row: str) -> str:
        return f'IF({{{row}[1]}}<0,"{NONE_REACHED}",IF(COUNT({{tab_til_{who}}})=0,0,MAX({{tab_til_{who}}})))'

    evaluated = f"{{ev_nv_betaler[{c0}]}}:{{ev_nv_betaler[{d0 + L - 1}]}}"
    machinery = [
        Text("Hjælpeark: regnemaskineriet bag break-even og scenarierne på arket Følsomhed. Ret intet her."),
        Text("Knækpunkterne er de succesrater, hvor en betalingsregel knækker eller springer; mellem dem er "
             "nutidsværdien lineær, så hvert tab findes eksakt. 'Tab pr. interval' viser hvert interval, hvor der tabes."),
        Blank(), knots, Blank(), union, Blank(), cross, Blank(), *([metric_years(d), Blank()] if d.metrics else []), evaluation,
        Blank(), Table("fs_aarstabel", years(d), (Formula("fs_aar", "År", "={i}", st.INTEGER), Formula("fs_df", "Diskonteringsfaktor", "={df[i]}", st.FACTOR)),
                       orientation="columns", title="År (til beregningen ovenfor)"),
    ]
    scenario_pvs = [
        Formula(f"{prefix}_{scen}", f"Nutidsværdi {who}, {label}", f"={{{row}[{col}]}}", st.KR)
        for prefix, who, row in (("nv", "betaler", "ev_nv_betaler"), ("nvo", "offentlig", "ev_nv_offentlig"))
        for scen, label, col in (("lav", "lav", 2), ("basis", "basis", 3), ("hoej", "høj", 4))
    ]
    break_even = [
        Formula("break_even", "Break-even succesrate (betaler forbliver mindst 0 herfra)", "=" + stays("betaler", "ev_nv_betaler"), st.PERCENT),
        Formula("tab_fra", "Betaler taber fra succesrate", f'=IF(COUNT({{tab_fra_betaler}})=0,"{NO_LOSS}",MIN({{tab_fra_betaler}}))', st.PERCENT),
        Formula("tab_stoerst", "Største tab for betaler (nutidsværdi)", f"=MAX(0,-MIN({evaluated}))", st.KR),
        Formula("be_investor", "Break-even succesrate investor (pengene tilbage)",
                f'=IF({{investering}}=0,"{UNDEFINED}",' + stays("investor", "ev_inv") + ")", st.PERCENT),
        Formula("be_investor_krav", "Break-even succesrate investor (krav til afkast)",
                f'=IF(OR({{investering}}=0,{{investor_krav}}=""),"{UNDEFINED}",' + stays("krav", "ev_inv_krav") + ")", st.PERCENT),
    ]  # fmt: skip
    return machinery, scenario_pvs + break_even


def percent_words(cell: str) -> str:
    """A share in a cell as Danish text in a formula: ``FIXED(x*100,1)&" %"`` (Excel shows the decimal comma)."""
    return f'FIXED({cell}*100,1)&" %"'


def break_even_sentence() -> str:
    """The payer's break-even in one Danish sentence, from the cells ``break_even``, ``tab_fra`` and ``tab_stoerst``."""
    be, loss = percent_words("{break_even}"), f'FIXED({{tab_stoerst}},0)&" kr."'
    never = (f'"Betaleren taber ved alle succesrater op til 100 % (samme succesrate for alle effekter): største tab er "&{loss}'
             '&" i nutidsværdi. Betalingsmodellen eller omkostningerne skal ændres, før casen kan betale sig for betaleren."')
    no_loss = '"Betaleren taber ikke ved nogen succesrate fra 0 til 100 % (samme succesrate for alle effekter)."'
    some = (f'"Betaleren får mindst pengene igen (nutidsværdi mindst 0), når succesraten er mindst "&{be}&" for alle effekter; "'
            f'&"under "&{be}&" taber betaleren ved succesrater mellem "&{percent_words("{tab_fra}")}&" og "&{be}'
            f'&" (største tab "&{loss}&" i nutidsværdi; intervallerne står på arket {MACHINERY_SHEET})."')
    return f"=IF(NOT(ISNUMBER({{break_even}})),{never},IF({{break_even}}=0,{no_loss},{some}))"


def written(values: dict[str, Any] | None, name: str, n: int = 1) -> tuple:
    """The values sibc wrote for ``name`` at build (:func:`workbooks.book.written_values`), or ``n`` blanks
    (the layout a workbook is read back with)."""
    return tuple(values[name]) if values and name in values else (None,) * n


def tornado_drivers(d: Dims) -> int:
    """Drivers of the tornado and the switching values (:func:`udfs.core.engine.driver_names`)."""
    used = d.effects if d.used_effects is None else d.used_effects  # the case's own effects (written at build), not spare slots
    return used * len(EFFECT_DRIVERS) + len(CASE_DRIVERS)


SENSITIVITY_LABEL_WIDTH = 50
"""Column A of Følsomhed (characters): its longest label, "Break-even succesrate (betaler forbliver mindst 0 herfra)", printed whole."""


def sheet_sensitivity(d: Dims, values: dict[str, Any] | None = None) -> Sheet:
    """Følsomhed: the analysis a reader needs (scenarios, break-even in words, tornado, switching
    values, Monte Carlo); its machinery is on :data:`MACHINERY_SHEET`.  ``values`` are the figures
    sibc computes at build (:func:`workbooks.book.written_values`); None gives blank cells."""
    E, N = d.effects, tornado_drivers(d)
    scen = Table("scenarier", tuple(f"Effekt {e}" for e in range(1, E + 1)), (
        Input("sc_lav", "Lav", number_format=st.PERCENT, validation=SHARE),
        Formulas("sc_basis", "Basis", tuple(f"={{eff{e}_succesrate}}" for e in range(1, E + 1)), st.PERCENT),
        Input("sc_hoej", "Høj", number_format=st.PERCENT, validation=SHARE),
    ), orientation="columns", title="Succesrate")  # fmt: skip
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
        Blank(), Heading("Scenarier: lav, basis og høj succesrate"),
        Text("Sådan læses tabellen: hver række er en effekt, hver kolonne succesraten i et scenarie (lav og høj kan rettes). "
             "Nutidsværdierne under tabellen er hele casen regnet med scenariets succesrater, alt andet som i basis."),
        scen, *scenario_pvs,
        Blank(), Heading("Break-even: hvornår betaler casen sig for betaleren?"),
        Formula("be_tekst", "Forklaring", break_even_sentence()),
        *break_even,
        Blank(), Heading(f"Tornado: betalerens nutidsværdi, når én driver ad gangen ændres ±{pct}"),
        Text(WRITTEN_NOTE, role="note"),
        Text(f"Sådan læses den: hver række sætter én driver {pct} lavere (−{pct}) og {pct} højere (+{pct}) end i basis, "
             f"alt andet uændret (en driver på 0 flyttes ±{number_text(TORNADO_CHANGE)} i absolutte tal; andele holdes i 0–100 %). "
             "'Ændring' er nutidsværdien minus basis. Det største udsving står øverst."),
        Data("to_basis_nv", "Nutidsværdi betaler, basis", w("to_basis_nv"), st.KR, role="written"),
        tornado,
        Chart(f"Tornado: ændring i betalerens nutidsværdi ved −{pct} og +{pct}", ("to_aendr_lav", "to_aendr_hoej"), "to_driver",
              kind="tornado", y_title="kr.", height_rows=max(15, 3 * N // 2)),
        Blank(), Heading("Skifteværdier: hvor meget må en driver ændre sig, før betaleren taber?"),
        Text(WRITTEN_NOTE, role="note"),
        Text("Skifteværdien er den værdi af driveren, alt andet som i basis, hvor betalerens nutidsværdi er 0. "
             f"'{NO_SWITCHING}': nutidsværdien skifter ikke fortegn, mens driveren går over hele sit interval "
             "(andele 0–100 %, faktorer 0–10)."),
        switching,
        Blank(), Heading("Monte Carlo: alle usikre drivere trukket på én gang"),
        Input("mc_antal_traek", "Antal træk", kind="integer", validation=Validation.whole(1, 1_000_000), default=10_000),
        Input("mc_seed", "Seed", kind="integer", validation=Validation.whole(0), default=0),
    ]  # fmt: skip
    if not d.distributions:
        blocks.append(Text("Casen har ingen fordelinger: en Monte Carlo kræver fordelinger for de usikre drivere "
                           "(usikkerhed.fordelinger i case-filen, fx en trekantfordeling for en succesrate). "
                           "Tilføj dem i case-filen og byg regnearket igen.", role="note"))
        return Sheet("Følsomhed", wrapped_texts(blocks), title="Følsomhed", widths={"A": SENSITIVITY_LABEL_WIDTH})
    dist_rows = tuple(f"Fordeling {k + 1}" for k in range(d.distributions))
    blocks.append(Table("fordelinger", dist_rows, (
        Data("mc_i_ord", "Driver og fordeling i ord (ved opbygning)", w("mc_i_ord", d.distributions), role="written"),
        Input("mc_driver", "Driver (kode)", kind="text"),
        Input("mc_fordeling", "Fordeling", kind="text", validation=Validation.words(DISTRIBUTION_WORDS)),
        *(Input(f"mc_{f}", DIST_LABELS[f], number_format=st.DECIMAL, required=False, percent_when=share_driver(at("mc_driver")))
          for f in DIST_FIELDS[2:]),
    ), orientation="columns", title="Fordeling"))  # fmt: skip
    bins = tuple(f"Interval {k}" for k in range(1, HISTOGRAM_BINS + 1))
    blocks += [
        Text(WRITTEN_NOTE, role="note"),
        Data("mc_dato", "Beregnet den", w("mc_dato"), role="written"),
        Data("mc_traek_brugt", "Antal træk brugt", w("mc_traek_brugt"), st.INTEGER, role="written"),
        Data("mc_seed_brugt", "Seed brugt", w("mc_seed_brugt"), st.INTEGER, role="written"),
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
    return Sheet("Følsomhed", wrapped_texts(blocks), title="Følsomhed", widths={"A": SENSITIVITY_LABEL_WIDTH})


def sheet_sensitivity_machinery(d: Dims, values: dict[str, Any] | None = None) -> Sheet:
    """The break-even machinery behind Følsomhed (:func:`sensitivity_model`), and the fingerprint of the
    inputs sibc computed Følsomhed's written values for."""
    machinery, _ = sensitivity_model(d)
    return Sheet(MACHINERY_SHEET, (
        *machinery, Blank(),
        Data("foelsomhed_grundlag", "Fingeraftryk af de input, som sibc beregnede værdierne på arket Følsomhed for",
             written(values, "foelsomhed_grundlag"), role="written"),
    ), title="Beregning til arket Følsomhed (hjælpeark)", widths={"A": 66}, hidden=True)  # fmt: skip


def without_addin(si: str) -> str:
    """``si`` (an ``SI_`` formula) showing :data:`~udfs.core.vocabulary.ADDIN_MISSING` instead of ``#NAME?``
    when the add-in is not installed (Excel's ERROR.TYPE of #NAME? is 5); any other error stays visible."""
    call = si[1:]
    return f'=IFERROR({call},IF(ERROR.TYPE({call})=5,"{ADDIN_MISSING}",{call}))'


def check_row(name: str, label: str, plain: str, si: str, fmt: str | None = None) -> Formulas:
    a, b = f"{{{name}[0]}}", f"{{{name}[1]}}"
    diff = (f'=IF(AND(ISNUMBER({a}),ISNUMBER({b})),{a}-{b},IF(ISERROR({b}),{b},IF({b}="{ADDIN_MISSING}","{NOT_COMPARED}",'
            f'IF({a}={b},0,"forskellig"))))')
    return Formulas(name, label, (plain, without_addin(si), diff), fmt)


def sheet_control(d: Dims) -> Sheet:
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
    for e in range(1, d.effects + 1):
        for a in AUTHORITIES:
            rows.append(check_row(
                f"k_eff{e}_{a}", f"Effekt {e}: besparelse {a} i alt", f"={{eff{e}_bespar_sum_{a}}}",
                f'=IF({{eff{e}_id}}="",0,SUM(SI_BESPARELSE({{eff{e}_gruppe}},{{eff{e}_profil}},{{eff{e}_succesrate}},{{k_pris{e}_{a}}},'
                f"{{eff{e}_doedvaegt}},{{eff{e}_frafald}},{{eff{e}_offset}},{{horisont}})))", st.KR))  # fmt: skip
    for m, (code, _) in enumerate(d.metrics, start=1):
        si = by_code(code).SI_CHECK
        if si is not None:
            rows.append(check_row(f"k_bm{m}", f"Resultatmål {m}: betaling efter reglen", f"={{bm{m}_regelbetaling}}",
                                  "=" + if_used(m, local(m, si)), st.KR))  # fmt: skip
    if d.investor:
        rows.append(check_row("k_irr", "Investors IRR", "={investor_irr}", "=SI_INVESTOR_IRR({r_investor})", st.PERCENT))
    helpers = [Formula("k_skema", "Skema til SI_-funktionerne", '=IF({diskontering}="fast",{fast_rente},{diskontering})'),
               Formula("k_sidste_aar", "Horisontens sidste år", "={horisont}-1", st.INTEGER)]
    for e in range(1, d.effects + 1):
        helpers += [Formula(f"k_pris{e}_{a}", f"Effekt {e}: pris × andel {a} × (1 − optimisme) × profilfaktor",
                            f'=IF({{pris_ok}}=1,{{eff{e}_pris}}*{{eff{e}_andel_{a}}}*(1-{{optimisme_gev}})*{{eff{e}_profilfaktor}},"")',
                            st.KR_DECIMALS)
                    for a in AUTHORITIES]  # fmt: skip
    helpers.append(Table("k_indeks", tuple(str(y) for y in index_years()), (
        Formula("k_idx_aar", "År", "={idx_aar[i]}", st.YEAR),
        Formula("k_idx_vaerdi", "Valgt indeks", "={idx_valgt[i]}", st.DECIMAL),
    ), orientation="columns", title="Valgt indeks til SI_PRISINDEKS"))  # fmt: skip
    return Sheet("Kontrol", (
        Text("Hvert nøgletal beregnet med regnearkets formler og med SI_-funktionerne (kræver tilføjelsesprogrammet)."),
        Text(f"Forskellen skal være 0 (højst 0,01 kr.). Uden tilføjelsesprogrammet står der »{ADDIN_MISSING}« i SI_-kolonnen "
             "og »ikke sammenlignet« i forskellen; regnearkets egne formler virker uden."),
        Blank(),
        Table("kontrol", ("Regnearkets formel", "SI_-funktion", "Forskel"), tuple(rows), title="Kontrol"),
        Blank(), Heading("Hjælpeceller til SI_-funktionerne"), *helpers,
    ), title="Kontrol", widths={"A": 60, "B": 20, "C": 28, "D": 46})  # fmt: skip


def with_guide(d: Dims, sheets: tuple[Sheet, ...]) -> tuple[Sheet, ...]:
    """Overblik, then the Vejledning sheet describing the visible ``sheets`` that follow it, then the sheets."""
    guide = sheet_guide(d, tuple(s.name for s in sheets if not s.name.startswith("_")))
    front = tuple(s for s in sheets if s.name == "Overblik")  # the decision makers' page stays in front
    return (*front, guide, *(s for s in sheets if s.name != "Overblik"))


def layout_for(d: Dims, values: dict[str, Any] | None = None) -> WorkbookLayout:
    """The workbook for these dimensions; ``values`` are the figures sibc writes at build
    (:func:`workbooks.book.written_values`; None: those cells blank, as when reading back)."""
    return WorkbookLayout(
        TEMPLATE_ID, TEMPLATE_VERSION,
        with_guide(d, tuple(guarded(s) if s.name in GUARDED_SHEETS else s for s in (
            sheet_overview(d), sheet_assumptions(d), sheet_unit_costs(d), sheet_costs(d), sheet_effects(d),
            sheet_payment_model(d), sheet_risks(d), sheet_results(d), sheet_sensitivity(d, values), sheet_control(d),
            *([sheet_published(d)] if d.published else []), sheet_catalogue(), sheet_sensitivity_machinery(d, values)))),
        meta={"katalogversion": manifest()["version"]}, dims=d.as_dict(), print_name="navn",
        print_horizon="horisont",
    )  # fmt: skip


#: Bounds of each stored dimension (``_skabelon``), checked before any layout is built.
DIM_BOUNDS = {
    "antal_aar": (1, MAX_HORIZON), "antal_effekter": (1, MAX_EFFECTS), "antal_omkostninger": (0, MAX_COST_LINES),
    "antal_enhedspriser": (0, 2 * MAX_EFFECTS), "antal_resultatmaal": (0, MAX_METRICS + len(rules())), "antal_fordelinger": (0, 200),
    "investor": (0, 1), "offentliggjort": (0, 1), "brugte_effekter": (0, MAX_EFFECTS), "brugte_omkostninger": (0, MAX_COST_LINES),
    "brugte_resultatmaal": (0, MAX_METRICS),
    "antal_egne_priser": (0, MAX_OWN_PRICES), "regel": (min(r.CODE for r in rules()), max(r.CODE for r in rules())), "trin": (0, 100),
}  # fmt: skip


def check_dims(dims: dict[str, int]) -> None:
    """Refuse stored dimensions outside :data:`DIM_BOUNDS` (a damaged or hostile ``_skabelon``)."""
    for key, value in dims.items():
        low, high = DIM_BOUNDS.get(key.split("_", 1)[1] if key.startswith("bm") else key, (0, 0))
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
        *(Slot("Effekt", e, f"eff{e}_id", block_inputs(effect_blocks(e, d)), ("sc_lav", "sc_hoej")) for e in range(1, d.effects + 1)),
        *(Slot("Omkostning", c, f"omk{c}_navn", block_inputs((*cost_inputs(c)[:3], replace(costs, items=(cost_inputs(c)[3],)))))
          for c in range(1, d.costs + 1)),
        *(Slot("Resultatmål", m, f"bm{m}_id", block_inputs(metric_blocks(m, code, steps, d)))
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
        "deltagere": padded(case.deltagere, d.years),
    }  # fmt: skip
    v["ep_id"] = padded(unit_ids(case), unit_rows(d), None)
    for f in UNIT_FIELDS:
        v[f"eg_{f}"] = padded([p[f] if p[f] != "" else None for p in case.egne_priser], own_rows(d), None)
    v["eg_kildetype"] = padded(v["eg_kildetype"][: d.own], own_rows(d), "egen")  # spare rows: a new price is the kommune's own
    for c, cost in enumerate(case.indsats, start=1):
        v |= {f"omk{c}_navn": cost.navn, f"omk{c}_betaler": cost.betaler, f"omk{c}_type": cost.type,
              f"omk{c}_pr_aar": padded(cost.pr_aar, d.years)}  # fmt: skip
    for e, eff in enumerate(case.effekter, start=1):
        p = f"eff{e}_"
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
    for m, metric in enumerate(model.resultatmaal if model else [], start=1):
        v |= metric_values(m, metric, case.maaling[metric.id])
    base = {e.id: e.succesrate for e in case.effekter}
    for scen, key in (("lav", "sc_lav"), ("hoej", "sc_hoej")):
        over = case.scenarier.get(scen, {})
        v[key] = padded([over.get(f"effekter.{e.id}.succesrate", base[e.id]) for e in case.effekter], d.effects, None)
    own = {"Effekt": len(case.effekter), "Omkostning": len(case.indsats), "Resultatmål": len(model.resultatmaal) if model else 0}
    for slot in workbook_slots(d):
        if slot.number > own[slot.what]:
            v |= spare_values(slot)
    for f in RISK_FIELDS:
        v[f"rk_{f}"] = padded([None if getattr(r, f) == "" else getattr(r, f) for r in case.risici], MAX_RISKS, None)
    u = case.usikkerhed
    v["mc_antal_traek"], v["mc_seed"] = (u.antal_traek, u.seed) if u else (10_000, 0)
    dists = list(u.fordelinger.items()) if u else []
    if dists:
        v["mc_driver"] = [name for name, _ in dists]
        for f in DIST_FIELDS[1:]:
            v[f"mc_{f}"] = [getattr(dist, f) for _, dist in dists]
    return v | published_values(case, d.effects)


def metric_values(m: int, metric, link) -> dict[str, Any]:
    """Metric ``m``'s input cells: the metric, how it is measured, and its rule's cells (:meth:`Rule.cell_values`)."""
    p = f"bm{m}_"
    v = {p + "id": metric.id, p + "navn": metric.navn, p + "enhed": metric.enhed, p + "datakilde": metric.datakilde,
         p + "maaletidspunkt": metric.maaletidspunkt, p + "aar": metric.aar, p + "loft": metric.loft,
         p + "antagelse": metric.antagelse}  # fmt: skip
    rule: Rule = metric.regel
    v |= {p + name: value for name, value in rule.cell_values().items()}
    if rule.PER_OUTCOME:
        links = link if isinstance(link, list) else [link]
        return v | {p + "udfald_effekt": [x.effekt for x in links], p + "udfald_maal": [x.maal for x in links]}
    return v | {p + "effekt": link.effekt, p + "maal": link.maal, p + "faktor": link.faktor}


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def cell_label(d: Dims, name: str, k: int) -> str:
    """Where the user finds cell ``k`` of the named range ``name``: ``Enhedspriser!C40``."""
    return resolve(layout_for(d), cells=False).names[name].cell(k).label()


def own_price_rows(values: dict[str, Any], d: Dims) -> list[dict[str, Any]]:
    """The rows of Egne priser the user filled, validated as the catalogue's (:class:`UnitCost`).

    A row counts when any field but Kildetype (written in the spare rows) is
    filled; a refused row is named by its cell (``Enhedspriser!B40``).
    """
    rows, seen = [], {}
    for k in range(own_rows(d)):
        row = {f: values[f"eg_{f}"][k] for f in UNIT_FIELDS}
        if all(row[f] is None for f in UNIT_FIELDS if f != "kildetype"):
            continue
        row = {f: ("" if x is None and f not in UNIT_NUMBERS else x) for f, x in row.items()}
        try:
            unit = UnitCost.model_validate(row)
        except ValidationError as exc:
            column = lambda e: UNIT_FIELDS.index(e["loc"][0]) if e["loc"] and e["loc"][0] in UNIT_FIELDS else len(UNIT_FIELDS)  # noqa: E731
            err = min(exc.errors(), key=column)  # the first fault from the left, as the user reads the row
            field = str(err["loc"][0]) if err["loc"] else "andel_kommune"  # a rule across fields: the shares
            label = next(i.label for i in own_items() if i.name == f"eg_{field}")
            raise SIError(cell_label(d, f"eg_{field}", k), f"egen pris {k + 1}, {label}: {danish(err, UnitCost)}") from None
        if unit.id in seen:
            raise SIError(cell_label(d, "eg_id", k), f"id '{unit.id}' er også egen pris {seen[unit.id] + 1}; giv hver egen pris sit eget id")
        seen[unit.id] = k
        rows.append(unit.model_dump())
    return rows


def unit_rows_read(values: dict[str, Any], d: Dims, own: list[dict[str, Any]], used: set[str]) -> list[str]:
    """The ids chosen on Enhedspriser that no effect uses (the case's ``enhedspriser``), each checked.

    Each id must be a Katalog price or an own price; an unknown one is refused,
    naming its cell, with the nearest ids ("mente du …?").
    """
    own_ids, out = {p["id"] for p in own}, []
    for k, uid in enumerate(values["ep_id"]):
        if uid is None:
            continue
        if uid not in own_ids and uid not in catalogue():
            hint = did_you_mean(uid, [*own_ids, *catalogue()])
            raise SIError(cell_label(d, "ep_id", k), f"'{uid}' findes hverken i Katalog eller Egne priser" + (f"; {hint}" if hint else ""))
        if uid not in used and uid not in out:
            out.append(uid)
    return out


def case_from_values(values: dict[str, Any], d: Dims, effects: list[int] | None = None, costs: list[int] | None = None,
                     metrics: list[int] | None = None) -> Case:
    """The case described by a workbook's input values (the reverse of :func:`values_for`).

    ``effects``, ``costs`` and ``metrics`` are the slots in use (:func:`filled_slots`; default: all).
    """
    effects = list(range(1, d.effects + 1)) if effects is None else effects
    costs = list(range(1, d.costs + 1)) if costs is None else costs
    metrics = list(range(1, len(d.metrics) + 1)) if metrics is None else metrics
    values = values | {name: values[name][: values["horisont"]] for name in year_inputs(d)}  # the case's years
    data: dict[str, Any] = {
        "navn": values["navn"], "beskrivelse": _text(values.get("beskrivelse")), "kilde": _text(values.get("kilde")),
        "maalgruppe": _text(values.get("maalgruppe")), "prisaar": values["prisaar"], "startaar": values.get("startaar"),
        "horisont": values["horisont"],
        "diskontering": fixed_rate_of(values) if values["diskontering"] == "fast" else values["diskontering"],
        "visning": values["visning"], "betaler": values["betaler"], "indeks": values["indeks"],
        "fremskrivning": values.get("fremskrivning"), "eget_indeks": own_index_data(values),
        "forloebsaar": values["forloebsaar"], "deltagere": values["deltagere"],
        "optimisme": {"omkostninger": values["optimisme_omk"], "gevinster": values["optimisme_gev"]},
        "indsats": [{"navn": values[f"omk{c}_navn"], "betaler": values[f"omk{c}_betaler"], "type": values[f"omk{c}_type"],
                     "pr_aar": values[f"omk{c}_pr_aar"]} for c in costs],
        "egne_priser": own_price_rows(values, d),
        "effekter": [effect_data(values, e) for e in effects],
    }  # fmt: skip
    data["enhedspriser"] = unit_rows_read(values, d, data["egne_priser"], {str(e["enhedspris"]) for e in data["effekter"]})
    if values.get("investor_krav") is not None:
        data["investor"] = {"krav_til_afkast": values["investor_krav"]}
    if metrics:
        read, links = zip(*(metric_data(values, m, d.metrics[m - 1][0]) for m in metrics))
        data["betalingsmodel"] = {"resultatmaal": list(read), "loft_kontrakt": values.get("loft_kontrakt")}
        data["maaling"] = {mt["id"]: link for mt, link in zip(read, links)}
    ids = [eff["id"] for eff in data["effekter"]]
    base = [eff["succesrate"] for eff in data["effekter"]]
    scenarios = {}
    for scen, key in (("lav", "sc_lav"), ("hoej", "sc_hoej")):
        changed = {f"effekter.{i}.succesrate": s for i, s, b in zip(ids, [values[key][e - 1] for e in effects], base) if s != b}
        if changed:
            scenarios[scen] = changed
    data["scenarier"] = scenarios
    data["risici"] = risk_data(values)
    if d.distributions:
        dists = {}
        for k, driver in enumerate(values["mc_driver"]):
            dists[driver] = {f: values[f"mc_{f}"][k] for f in DIST_FIELDS[1:] if values[f"mc_{f}"][k] is not None}
        data["usikkerhed"] = {"antal_traek": values["mc_antal_traek"], "seed": values["mc_seed"], "fordelinger": dists}
    if d.published:
        data["offentliggjort"] = published_data(values, ids, effects, d.effects)
    return parse_case(data)


def fixed_rate_of(values: dict[str, Any]) -> float:
    """The fixed discount rate, required when "Fast rente" is chosen."""
    if values.get("fast_rente") is None:
        raise SIError("fast_rente", "mangler en værdi, når Diskontering er »Fast rente« (skriv fx 3,5 %)")
    return values["fast_rente"]


def risk_data(values: dict[str, Any]) -> list[dict[str, Any]]:
    """The case's ``risici`` from the risk register's rows: every row with something in it, in order."""
    rows = zip(*(values.get(f"rk_{f}") or [None] * MAX_RISKS for f in RISK_FIELDS))
    out = []
    for k, row in enumerate(rows, start=1):
        if any(x is not None for x in row):
            missing = [RISK_LABELS[f] for f, x in zip(RISK_FIELDS, row) if x is None and f != "ejer"]
            if missing:
                raise SIError(f"Risici: Risiko {k}", f"mangler {', '.join(missing)} (udfyld rækken helt, eller tøm den)")
            out.append({f: x for f, x in zip(RISK_FIELDS, row) if x is not None})
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
    p = f"eff{e}_"
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
    """The step table of the metric with prefix ``p`` without its empty rows at the end (a spare slot has
    :data:`SPARE_STEPS` rows; a rule with fewer steps leaves the last ones empty)."""
    names = step_inputs(p, rule)
    used = rows_used([values[name] for name in names])
    return {name: list(values[name][:used]) for name in names}


def empty_step_rows(d: Dims, raw: dict[str, list[tuple[Any, str]]], metrics: list[int]) -> set[tuple[str, int]]:
    """(input, index) of the empty rows at the end of the step tables of the metric slots in use: they may stay
    empty (:func:`step_rows_used` leaves them out)."""
    out: set[tuple[str, int]] = set()
    for m in metrics:
        code, steps = d.metrics[m - 1]
        names = step_inputs(f"bm{m}_", by_code(code))
        used = rows_used([[value for value, _ in raw[name]] for name in names])
        out |= {(name, k) for name in names for k in range(max(used, 1), steps)}
    return out


def metric_data(values: dict[str, Any], m: int, code: int) -> tuple[dict[str, Any], dict[str, Any] | list[dict[str, Any]]]:
    """Metric ``m`` and how it is measured, read back from its cells (the reverse of :func:`metric_values`)."""
    p = f"bm{m}_"
    metric = {"id": values[p + "id"], "navn": values[p + "navn"], "enhed": values[p + "enhed"],
              "datakilde": values[p + "datakilde"], "maaletidspunkt": values[p + "maaletidspunkt"],
              "aar": values[p + "aar"], "loft": values.get(p + "loft"), "antagelse": values.get(p + "antagelse")}  # fmt: skip
    rule = by_code(code)
    values = values | step_rows_used(values, p, rule)
    metric["regel"] = rule.from_cells({k[len(p):]: v for k, v in values.items() if k.startswith(p)})
    if rule.PER_OUTCOME:
        return metric, [{"effekt": e, "maal": m_} for e, m_ in zip(values[p + "udfald_effekt"], values[p + "udfald_maal"])]
    return metric, {"effekt": values.get(p + "effekt") or None, "maal": values[p + "maal"], "faktor": values[p + "faktor"]}


# --------------------------------------------------------------------------- sources beside the values

_CASE_CELLS = {
    "navn": "navn", "beskrivelse": "beskrivelse", "kilde": "kilde", "maalgruppe": "maalgruppe", "prisaar": "prisaar",
    "startaar": "startaar", "visning": "visning", "betaler": "betaler", "indeks": "indeks", "forloebsaar": "forloebsaar",
    "fremskrivning": "fremskrivning", "deltagere": "deltagere", "optimisme.omkostninger": "optimisme_omk",
    "optimisme.gevinster": "optimisme_gev", "investor.krav_til_afkast": "investor_krav",
    "betalingsmodel.loft_kontrakt": "loft_kontrakt",
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
        out |= {f"indsats[{c}].{f}": (f"omk{c + 1}_{f}", None) for f in ("navn", "betaler", "type", "pr_aar")}
    for e, eff in enumerate(case.effekter):
        p = f"eff{e + 1}_"
        out |= {f"effekter[{e}].{f}": (p + f, None) for f in _EFFECT_CELLS}
        out[f"effekter[{e}].{'kontrolgruppe' if eff.kontrolgruppe is not None else 'doedvaegt'}"] = (p + "doedvaegt", None)
        out |= {f"effekter[{e}].refusion.uge": (p + "refusionsuge", None), f"effekter[{e}].refusion.ordning": (p + "refusionsordning", None)}
    for i, _ in enumerate(case.egne_priser):  # row i of Egne priser (the own prices come first, in case order)
        out |= {f"egne_priser[{i}].{f}": (f"eg_{f}", i) for f in UNIT_FIELDS}
    for m, metric in enumerate(case.betalingsmodel.resultatmaal if case.betalingsmodel else []):
        p, at = f"bm{m + 1}_", f"betalingsmodel.resultatmaal[{m}]"
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
    return parse_case({**case.model_dump(), "kilder": notes})


# --------------------------------------------------------------------------- the published figures

#: The published figures after the effects' savings: (field of ``offentliggjort``, label, the workbook's figure in kr.).
_PUBLISHED_TOTALS = (
    ("besparelse_i_alt", "Besparelse i alt", "{off_besparelse}"),
    ("betaling_ved_fuld_succes", "Betaling ved fuld succes", "{betalinger_i_alt}"),
    ("investors_bonus", "Investors bonus", "{bonus}"),
    ("kommunal_nettobesparelse", "Kommunal nettobesparelse", "{off_besparelse}-{betalinger_i_alt}"),
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
    kr = ("{investering}", *(_payer_pick({a: f"{{eff{e}_bespar_sum_{a}}}" for a in AUTHORITIES}) for e in range(1, d.effects + 1)),
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
            Formulas(None, "Effektens navn", ('=""', *(f"={{eff{e}_navn}}" for e in range(1, d.effects + 1)),
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
