"""The standard business-case workbook, described as data (see :mod:`workbooks.layout`).

:func:`layout_for` describes the workbook for a case's dimensions (years,
effects, cost lines, unit costs, outcome metrics); :func:`values_for` gives
the input values of a case; :func:`case_from_values` turns input values read
back from a workbook into a case again.  Every computed cell is a plain Excel
formula that mirrors one line item of :mod:`udfs.core.engine`; the Kontrol
sheet puts the ``SI_`` functions beside them.

Sheets: Vejledning, Forudsætninger, Enhedspriser, Indsats, Effekter,
Betalingsmodel, Resultat, Følsomhed, Kontrol.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import Any
from udfs.core.case_model import MAX_HORIZON, Case, parse_case
from udfs.core.errors import excerpt
from udfs.core.limits import MAX_COST_LINES, MAX_EFFECTS, MAX_METRICS
from udfs.core.engine import SHARE_DRIVERS
from udfs.core.lineitems import YEARLY
from udfs.core.catalogue import lookup
from udfs.core.discounting import RATE_BOUNDS
from udfs.core.data import UnitCost, catalogue, discount_schedules, indices, manifest, refusion_schemes
from udfs.core.indices import OWN
from udfs.core.refusion import scheme_kind
from udfs.core.rules import Cell, Rule, by_code, rules
from udfs.core.settlement import WORKBOOK_GUESSES
from udfs.core.errors import SIError
from udfs.core.vocabulary import (
    ADDIN_MISSING, AUTHORITIES, DEADWEIGHT_WORDS, DISCOUNTING_WORDS, DISTRIBUTION_WORDS, INDEX_WORDS, LEFT_OF, NO_LOSS, NONE_REACHED,
    NOT_COMPARED, NOT_WITHIN, PAYERS, REFUSION_WORDS, SOURCE_KIND_WORDS, UNDEFINED, UNIT_WORDS, VIEW_WORDS,
)  # fmt: skip

from . import styles as st
from .layout import (
    Blank, Chart, Data, Formula, Formulas, Heading, Input, Legend, Sheet, Table, Text, Validation, WorkbookLayout,
)  # fmt: skip

TEMPLATE_ID = "sociale_investeringer_business_case"
TEMPLATE_VERSION = "2"
UNIT_FIELDS = (
    "id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat", "fordelingsgrundlag",
    "budgetomraade", "kilde_udgiver", "kilde_dokument", "kilde_url", "kildetype", "kildevaerdi", "note",
)  # fmt: skip
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
GUARDED_SHEETS = ("Effekter", "Betalingsmodel", "Resultat", "Følsomhed")  # blank, not #N/A, when prices cannot be moved


@dataclass(frozen=True)
class Dims:
    """The shape of a workbook: what its tables are sized by."""

    years: int
    effects: int
    costs: int
    units: int
    metrics: tuple[tuple[int, int], ...]  # (rule code, rows of its step table) per metric; see udfs.core.rules
    distributions: int
    investor: int = 0  # 1 when some cost is paid by an investor (the IRR check is shown)

    def as_dict(self) -> dict[str, int]:
        out = {"antal_aar": self.years, "antal_effekter": self.effects, "antal_omkostninger": self.costs,
               "antal_enhedspriser": self.units, "antal_resultatmaal": len(self.metrics),
               "antal_fordelinger": self.distributions, "investor": self.investor}  # fmt: skip
        for m, (code, steps) in enumerate(self.metrics, start=1):
            out[f"bm{m}_regel"], out[f"bm{m}_trin"] = code, steps
        return out

    @classmethod
    def from_dict(cls, d: dict[str, int]) -> Dims:
        metrics = tuple((int(d[f"bm{m}_regel"]), int(d[f"bm{m}_trin"])) for m in range(1, int(d["antal_resultatmaal"]) + 1))
        return cls(int(d["antal_aar"]), int(d["antal_effekter"]), int(d["antal_omkostninger"]),
                   int(d["antal_enhedspriser"]), metrics, int(d["antal_fordelinger"]), int(d.get("investor", 0)))  # fmt: skip


# --------------------------------------------------------------------------- what a case needs


def unit_ids(case: Case) -> list[str]:
    """Unit costs shown: those the effects use (in order), then the case's other own prices."""
    out: list[str] = []
    for e in case.effekter:
        uid = lookup(e.enhedspris, case.own_prices()).id
        if uid not in out:
            out.append(uid)
    out += [p["id"] for p in case.egne_priser if p["id"] not in out]
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
            raise SIError(f"scenarier.{name}", "regnearket har scenarierne lav og hoej")
        for driver in overrides:
            if driver not in names:
                raise SIError(f"scenarier.{name}.{driver}", "regnearkets scenarier ændrer kun effekternes succesrate")


def dims_of(case: Case) -> Dims:
    check_supported(case)
    model = case.betalingsmodel
    metrics = tuple(
        (m.regel.CODE, m.regel.steps())
        for m in (model.resultatmaal if model else [])
    )
    dists = len(case.usikkerhed.fordelinger) if case.usikkerhed else 0
    investor = int(any(c.betaler == "investor" for c in case.indsats))
    return Dims(case.horisont, len(case.effekter), len(case.indsats), len(unit_ids(case)), metrics, dists, investor)


# --------------------------------------------------------------------------- small helpers


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
            return replace(b, items=tuple(item(i) for i in b.items))
        return b

    return Sheet(sheet.name, tuple(item(b) for b in sheet.blocks), sheet.title, sheet.freeze, sheet.widths)


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
}


def para(*texts: str, indent: str = "    ") -> list:
    """Text lines of the guide, each text wrapped at :data:`GUIDE_WIDTH` with its continuation lines indented."""
    return [Text(line) for t in texts for line in textwrap.wrap(t, GUIDE_WIDTH, subsequent_indent=indent)]


def guide_lines(sheets: tuple[str, ...]) -> list:
    """The guide's text: purpose, the steps of a case, the sheets, adding, reading results, what needs the add-in."""
    steps = (
        "1  Forudsætninger: navn, prisår, kalenderår for år 0, diskontering, prisindeks, betaler, forløbets "
        "længde, optimismetillæg og deltagere pr. år (nederst på arket).",
        "2  Enhedspriser: de priser, effekterne flytter (fx en uge på kontanthjælp), med kilde og prisår. "
        "Retter du et beløb, bliver rækken kommunens egen pris: skriv da også kilden.",
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
        "Flere år: skriv i de markerede tomme årskolonner (op til 30 år); grå år ligger uden for horisonten "
        "og regnes ikke med.",
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
        *para("Enhedspriser: projektets katalog; hver pris har udgiver, dokument, prisår og URL på arket Enhedspriser. "
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


def workbook_error(err: SIError) -> SIError:
    """``err`` (naming a case field) as the workbook's user reads it: naming the sheet and the cell's label."""
    return SIError(WORKBOOK_PLACES.get(err.argument, err.argument), err.message)


def price_message(d: Dims) -> str:
    """The one message about moving prices: what cannot be moved and what to fill, or that a rate is used."""
    missing = "&".join(f'IF({{ep_mangler[{k}]}}="","",{{ep_mangler[{k}]}}&"; ")' for k in range(d.units)) or '""'
    years = [f"{{ep_prisaar[{k}]}}" for k in range(d.units)]
    beyond = (f"OR({{prisaar}}>{{idx_sidste}},{{prisaar}}<{{idx_foerste}}"
              + "".join(f",AND(ISNUMBER({y}),{y}<>{{prisaar}},OR({y}>{{idx_sidste}},{y}<{{idx_foerste}}))" for y in years) + ")")
    rate = ('"Alle enhedspriser er omregnet til prisår "&{prisaar}&"; prisindekset "&{indeks_valg}&" er fremskrevet med "'
            '&FIXED({fremskrivning}*100,1)&" % om året fra "&{idx_sidste}&"."')
    return (f'IF({{pris_ok}}=0,"Priserne kan ikke omregnes til prisår "&{{prisaar}}&" med indekset "&{{indeks_valg}}'
            f'&" (tal for "&{{idx_foerste}}&"–"&{{idx_sidste}}&"): "&{missing}&"udfyld Årlig fremskrivning på arket '
            f'Forudsætninger eller Egne værdier i indekstabellen på arket Enhedspriser (med kilde"'
            f'&IF({{idx_sidste_off}}>0,"; også for "&{{idx_sidste_off}}&", hvor de kædes på indekset","")&").",'
            f'IF(AND({{fremskrivning}}<>"",{beyond}),{rate},"Alle enhedspriser er omregnet til prisår "&{{prisaar}}&"."))')


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
            Formula("rente", "Diskonteringsrente", '=IF({diskontering}="fast",{fast_rente},' + rate_by_year + ")", st.PERCENT),
            Formula("df", "Diskonteringsfaktor (år 0 = 1)", "={df[i-1]}/(1+{rente[i]})", st.FACTOR, first="=1"),
        ), title="Pr. år", labels_name="aar_overskrift"),
    ), title="Forudsætninger", freeze=None, widths={"A": 50})  # fmt: skip


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
    labels = tuple(f"Enhedspris {k + 1}" for k in range(d.units))
    text = dict(kind="text")
    items = (
        Input("ep_id", "Id (katalogets nøgle)", **text),
        Input("ep_navn", "Navn", **text),
        Input("ep_enhed", "Pris pr.", kind="text", validation=Validation.words(UNIT_WORDS)),
        Input("ep_beloeb", "Beløb pr. enhed (kr., eget prisår)", number_format=st.KR_DECIMALS, validation=Validation.between(0)),
        Input("ep_prisaar", "Prisår", kind="integer", validation=Validation.whole(1990, 2100)),
        Input("ep_andel_kommune", "Andel kommune", number_format=st.PERCENT, validation=SHARE),
        Input("ep_andel_region", "Andel region", number_format=st.PERCENT, validation=SHARE),
        Input("ep_andel_stat", "Andel stat", number_format=st.PERCENT, validation=SHARE),
        Formula("ep_andele", "Sum af andele (skal være 100 %)", "={ep_andel_kommune[i]}+{ep_andel_region[i]}+{ep_andel_stat[i]}", st.PERCENT),
        Formula("ep_faktor", "Indeksfaktor til casens prisår",
                '=IFERROR(IF({ep_prisaar[i]}={prisaar},1,' + index_level("{prisaar}") + "/" + index_level("{ep_prisaar[i]}") + '),"")',
                st.FACTOR),
        Formula("ep_pris", "Pris i casens prisår (offentlig i alt)", '=IF(ISNUMBER({ep_faktor[i]}),{ep_beloeb[i]}*{ep_faktor[i]},"")',
                st.KR_DECIMALS),
        Formula("ep_mangler", "Kan ikke omregnes (mangler år i indekset)",
                '=IF(ISNUMBER({ep_faktor[i]}),"","\'"&{ep_id[i]}&"\' (prisår "&{ep_prisaar[i]}&") mangler "&' + MISSING_YEARS + ")"),
        Input("ep_fordeling", "Fordelingsgrundlag", kind="text", required=False),
        Input("ep_budgetomraade", "Budgetområde", **text),
        Input("ep_kilde_udgiver", "Kilde: udgiver", **text),
        Input("ep_kilde_dokument", "Kilde: dokument", **text),
        Input("ep_kilde_url", "Kilde: URL", kind="text", required=False),
        Input("ep_kildetype", "Kildetype", kind="text", validation=Validation.words(SOURCE_KIND_WORDS)),
        Input("ep_kildevaerdi", "Tallet som offentliggjort", kind="text", required=False),
        Input("ep_note", "Note", kind="text", required=False),
    )  # fmt: skip
    return Sheet("Enhedspriser", (
        PRICE_MESSAGE,
        Text("Katalogets priser med kilde og prisår, omregnet til casens prisår med det valgte indeks."),
        Text("Kommunen kan rette et beløb, et prisår eller en fordeling: så bliver rækken en egen pris (skriv kilden)."),
        Blank(),
        Table("enhedspriser", labels, items, orientation="columns", title="Enhedspris"),
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
        Formula("pris_ok", "Alle enhedspriser kan omregnes (1 = ja)", "=IF(SUMPRODUCT(LEN({ep_mangler}))=0,1,0)", st.INTEGER),
    ), title="Enhedspriser", freeze="enhedspriser", widths={"A": 16})  # fmt: skip


def sheet_costs(d: Dims) -> Sheet:
    blocks: list = [Text("Indsatsens omkostninger pr. år og betaler (kr., casens prisår)."), Blank()]
    for c in range(1, d.costs + 1):
        blocks += [
            Heading(f"Omkostning {c}"),
            Input(f"omk{c}_navn", "Navn", kind="text"),
            Input(f"omk{c}_betaler", "Betaler", kind="text", validation=Validation.one_of(*PAYERS)),
            Input(f"omk{c}_type", "Type", kind="text", validation=Validation.one_of("opstart", "drift")),
        ]
    rows = tuple(
        Input(f"omk{c}_pr_aar", f"Omkostning {c}", number_format=st.KR, validation=Validation.between(0), default=0)
        for c in range(1, d.costs + 1)
    )
    by_payer = tuple(
        Formula(f"omk_{p}", f"I alt {p} (med optimismetillæg)",
                "=" + total([f'IF({{omk{c}_betaler}}="{p}",{{omk{c}_pr_aar[i]}},0)' for c in range(1, d.costs + 1)])
                + "*(1+{optimisme_omk})", st.KR)
        for p in PAYERS
    )  # fmt: skip
    blocks += [Blank(), Table("omkostninger", years(d), rows + by_payer, title="Kr. pr. år")]
    return Sheet("Indsats", tuple(blocks), title="Indsats", widths={"A": 34})


def effect_blocks(e: int, d: Dims) -> list:
    p = f"eff{e}_"
    n = lambda s: "{" + p + s + "}"  # noqa: E731
    landed_terms = [
        f"IF({{i}}-{n('offset')}-{t}>=0,{at(p + 'gruppe', t)}*INDEX({n('kerne')},1,{{i}}-{n('offset')}-{t}+1),0)"
        for t in range(d.years)
    ]
    unit = f"INDEX({{ep_pris}},MATCH({n('enhedspris')},{{ep_id}},0),1)*{n('prisfaktor')}"
    kommune = kommune_share_formula(n("refusionsuge"), n("refusionsordning"))
    by_week = {"kommune": kommune, "region": "0", "stat": f"(1-{kommune})"}
    share = lambda a: (f'IF({n("refusionsuge")}="",INDEX({{ep_andel_{a}}},MATCH({n("enhedspris")},{{ep_id}},0),1),'  # noqa: E731
                       f"{by_week[a]})")
    payer_share = nested_if("{betaler}", [(a, n(f"andel_{a}")) for a in AUTHORITIES[:-1]], n("andel_stat"))
    return [
        Heading(f"Effekt {e}"),
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
        Table(p + "tabel", years(d), (
            Input(p + "deltagere", "Egne deltagere (antal personer)", number_format=st.INTEGER, validation=Validation.between(0), default=0),
            Formula(p + "gruppe", "Deltagere, der starter (anvendt)", f'=IF({n("egne_deltagere")}="ja",{at(p + "deltagere")},{{deltagere[i]}})', st.INTEGER),
            Formula(p + "landet", "Mængde landet i året ved 100 % nettosuccesrate", "=" + "+".join(landed_terms), st.DECIMAL),
            Formula(p + "efter_nv", "Nutidsværdi af mængden efter horisonten ved 100 % (pr. startårgang)",
                    f"={at(p + 'gruppe')}*SUMPRODUCT({n('kerne')},(({{i}}+{n('offset')}+{{aar}})>={d.years})*"
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
    pick = lambda s: "=CHOOSE({i}+1," + ",".join(f"{{eff{e}_{s}}}" for e in range(1, d.effects + 1)) + ")"  # noqa: E731
    blocks.append(Table("effektoversigt", tuple(f"Effekt {e}" for e in range(1, d.effects + 1)), (
        Formula("eo_id", "Id", pick("id")),
        Formula("eo_netto", "Nettosuccesrate", pick("netto"), st.PERCENT),
        Formula("eo_antal", "Deltagere i alt (antal personer)", pick("antal"), st.INTEGER),
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
        Heading(f"Resultatmål {m}"),
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
        ]
    blocks += [rule_input(m, c, rule.PER_OUTCOME) for c in rule.CELLS if not c.step]
    if rule.STEPS:
        name, column, title = rule.STEPS
        items = [rule_input(m, c, rule.PER_OUTCOME) for c in rule.CELLS if c.step]
        if rule.PER_OUTCOME:  # each outcome is measured on its own
            counted = "MAX(0," + measured(at(p + "udfald_effekt"), at(p + "udfald_maal"), "{eo_netto}", "{eo_besparelse}") + ")"
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
        blocks.append(Formula(p + "opnaaet", "Betaling før lofter (antal × pris)", "=" + x, st.KR))
    else:
        blocks.append(Formula(p + "opnaaet", "Opnået (beregnet)",
                              "=" + measured(n("effekt"), n("maal"), "{eo_netto}", "{eo_besparelse}"), st.DECIMAL,
                              percent_when=as_share(m)))
    blocks += [
        Formula(p + "regelbetaling", "Betaling efter reglen", "=" + rule_formula(m, code, n("opnaaet")), st.KR),
        Formula(p + "beregnet", "Betaling efter loft", f'=IF({n("loft")}="",{n("regelbetaling")},MIN({n("loft")},{n("regelbetaling")}))', st.KR),
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


def sheet_payment_model(d: Dims) -> Sheet:
    blocks: list = [
        Text("Resultatmål, betalingsregler og lofter. Investeringen er omkostningerne med betaler »investor« på arket Indsats."),
        Input("loft_kontrakt", "Loft for hele kontrakten (kr.)", number_format=st.KR, validation=Validation.between(0), required=False),
        Blank(),
    ]
    if not d.metrics:
        blocks.append(Text("Casen har ingen betalingsmodel: der er ingen resultatbetalinger."))
    for m, (code, steps) in enumerate(d.metrics, start=1):
        blocks += metric_blocks(m, code, steps, d)
    gross = "=" + total([f"IF({{bm{m}_aar}}={{i}},{{bm{m}_beregnet}},0)" for m in range(1, len(d.metrics) + 1)])
    excess = 'IF({loft_kontrakt}="",0,MAX(0,SUM({bet_brutto})-{loft_kontrakt}))'
    blocks.append(Table("betalingstabel", years(d), (
        Formula("bet_brutto", "Betalinger før kontraktloft", gross, st.KR),
        Formula("bet_kum", "Kumuleret", "={bet_kum[i-1]}+{bet_brutto[i]}", st.KR, first="={bet_brutto[0]}"),
        Formula("bet_skaeres", "Skæres (seneste år først)",
                f"=MIN({{bet_brutto[i]}},MAX(0,{excess}-(SUM({{bet_brutto}})-{{bet_kum[i]}})))", st.KR),
        Formula("betalinger", "Resultatbetalinger", "={bet_brutto[i]}-{bet_skaeres[i]}", st.KR),
    ), title="Pr. år"))  # fmt: skip
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


def sheet_results(d: Dims) -> Sheet:
    last = d.years - 1
    effect_sum = lambda a: "=" + total([f"{{eff{e}_bespar_{a}[i]}}" for e in range(1, d.effects + 1)])  # noqa: E731
    rows = (
        Formula("r_aar", YEARLY["r_aar"].label, "={aar[i]}", st.INTEGER),
        Formula("r_kalenderaar", YEARLY["r_kalenderaar"].label, "={kalenderaar[i]}", st.YEAR),
        Formula("r_deltagere", YEARLY["r_deltagere"].label, "={deltagere[i]}", st.INTEGER),
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
        Table("resultat", years(d), rows, title="Kr. pr. år", labels_name="r_aar_overskrift"),
        Blank(), Heading("Nøgletal"),
        Formula("nv_betaler", "Nutidsværdi netto betaler", "=SUM({r_nv_betaler})", st.KR),
        Formula("nv_offentlig", "Nutidsværdi netto offentlig", "=SUM({r_nv_offentlig})", st.KR),
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
        Chart("Besparelser pr. år og myndighed", ("r_bes_kommune", "r_bes_region", "r_bes_stat"), "r_aar_overskrift", kind="bar", y_title="kr."),
        Chart("Betalers kumulerede netto", ("r_kum_betaler",), "r_aar_overskrift", kind="line", y_title="kr."),
    ), title="Resultat", freeze="resultat", widths={"A": 52})  # fmt: skip


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
    nets = "CHOOSE(MATCH({eff},{eo_id},0)," + ",".join(f"{{ev_netto{e}[i]}}" for e in range(1, E + 1)) + ")"
    savings_all = total([f"{{ev_netto{e}[i]}}*{{eff{e}_b_betaler}}" for e in range(1, E + 1)])
    savings_one = "CHOOSE(MATCH({eff},{eo_id},0)," + ",".join(f"{{ev_netto{e}[i]}}*{{eff{e}_b_betaler}}" for e in range(1, E + 1)) + ")"
    antal = "CHOOSE(MATCH({eff},{eo_id},0)," + ",".join(f"{{eff{e}_antal}}" for e in range(1, E + 1)) + ")"
    for m, (code, steps) in enumerate(d.metrics, start=1):
        rule = by_code(code)
        if rule.PER_OUTCOME:
            counts = [f'{nets}*IF({at(f"bm{m}_udfald_maal", k)}="antal",{antal},1)'.replace("{eff}", at(f"bm{m}_udfald_effekt", k))
                      for k in range(steps)]  # fmt: skip
            x = local(m, rule.excel_measure(counts))
        else:
            eff, maal = f"{{bm{m}_effekt}}", f"{{bm{m}_maal}}"
            x = (f'IF({maal}="besparelse",IF({eff}="",{savings_all},{savings_one}),{nets}*IF({maal}="antal",{antal},1))'
                 .replace("{eff}", eff))  # fmt: skip
        rows.append(Formula(f"ev_opnaaet{m}", f"Opnået resultatmål {m}", "=" + x, st.DECIMAL))
        pay = rule_formula(m, code, f"{{ev_opnaaet{m}[i]}}")
        rows.append(Formula(f"ev_betaling{m}", f"Betaling resultatmål {m}", f'=IF({{bm{m}_loft}}="",{pay},MIN({{bm{m}_loft}},{pay}))', st.KR))
    rows.append(Formula("ev_i_alt", "Betalinger i alt før kontraktloft", "=" + total([f"{{ev_betaling{m}[i]}}" for m in range(1, M + 1)]), st.KR))
    for m in range(1, M + 1):
        upto = total([f"IF({{bm{k}_aar}}<={{bm{m}_aar}},{{ev_betaling{k}[i]}},0)" for k in range(1, M + 1)])
        rows.append(Formula(f"ev_kumuleret{m}", f"Betalinger til og med år for resultatmål {m}, før kontraktloft", "=" + upto, st.KR))
    for y in range(H):
        terms = total([f"IF({{bm{m}_aar}}={y},{{ev_betaling{m}[i]}},0)" for m in range(1, M + 1)])
        rows.append(Formula(f"ev_brutto{y}", f"Betaling år {y} før kontraktloft", "=" + terms, st.KR))
    gross_total = total([f"{{ev_brutto{y}[i]}}" for y in range(H)])
    excess = f'IF({{loft_kontrakt}}="",0,MAX(0,{gross_total}-{{loft_kontrakt}}))'
    for y in range(H):
        later = total([f"{{ev_brutto{t}[i]}}" for t in range(y + 1, H)])
        rows.append(Formula(f"ev_efter_loft{y}", f"Betaling år {y} efter kontraktloft",
                            f"={{ev_brutto{y}[i]}}-MIN({{ev_brutto{y}[i]}},MAX(0,{excess}-{later}))", st.KR))  # fmt: skip
    rows.append(Formula("ev_nv_betalinger", "Nutidsværdi af betalinger", "=" + total([f"{{ev_efter_loft{y}[i]}}*{{df[{y}]}}" for y in range(H)]), st.KR))
    rows.append(Formula("ev_inv", "Investor: betalinger − investering", "=" + total([f"{{ev_efter_loft{y}[i]}}" for y in range(H)]) + "-{investering}", st.KR))
    krav = "(1+{investor_krav})"
    rows.append(Formula("ev_inv_krav", "Investor: nutidsværdi ved krav til afkast",
                        f'=IF({{investor_krav}}="",0,' + total([f"{{ev_efter_loft{y}[i]}}/{krav}^{y}" for y in range(H)])
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
                dead = "CHOOSE(MATCH({eff},{eo_id},0)," + ",".join(f"{{eff{e}_doedvaegt}}" for e in range(1, d.effects + 1)) + ")"
                out.append("=" + f"IF(AND({dead}>0,{dead}<1),{dead},0)".replace("{eff}", at(f"bm{m}_udfald_effekt", k)))
            continue  # its own levels are met between these knots (see piecewise_levels)
        for level in rule.excel_levels(steps, f"{{bm{m}_loft}}"):
            level = local(m, level)
            s = f"({level}-{x0})/({x1}-{x0})"
            out.append(f"=IF({x1}={x0},0,IF(AND({s}>0,{s}<1),{s},0))")
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


def sheet_sensitivity(d: Dims) -> Sheet:
    E = d.effects
    scen = Table("scenarier", tuple(f"Effekt {e}" for e in range(1, E + 1)), (
        Input("sc_lav", "Lav", number_format=st.PERCENT, validation=SHARE),
        Formula("sc_basis", "Basis", "=CHOOSE({i}+1," + ",".join(f"{{eff{e}_succesrate}}" for e in range(1, E + 1)) + ")", st.PERCENT),
        Input("sc_hoej", "Høj", number_format=st.PERCENT, validation=SHARE),
    ), orientation="columns", title="Succesrate")  # fmt: skip
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
    dist_rows = tuple(f"Fordeling {k + 1}" for k in range(d.distributions))
    blocks: list = [
        Text("Scenarier: succesrater pr. effekt. Break-even: den laveste fælles succesrate, hvorfra betalerens nutidsværdi "
             "forbliver mindst 0 op til 100 %. Tabellen 'Tab pr. interval' viser hvert interval, hvor der tabes."),
        Blank(), scen, Blank(),
        Formula("nv_lav", "Nutidsværdi betaler, lav", "={ev_nv_betaler[2]}", st.KR),
        Formula("nv_basis", "Nutidsværdi betaler, basis", "={ev_nv_betaler[3]}", st.KR),
        Formula("nv_hoej", "Nutidsværdi betaler, høj", "={ev_nv_betaler[4]}", st.KR),
        Formula("nvo_lav", "Nutidsværdi offentlig, lav", "={ev_nv_offentlig[2]}", st.KR),
        Formula("nvo_basis", "Nutidsværdi offentlig, basis", "={ev_nv_offentlig[3]}", st.KR),
        Formula("nvo_hoej", "Nutidsværdi offentlig, høj", "={ev_nv_offentlig[4]}", st.KR),
        Formula("break_even", "Break-even succesrate (betaler forbliver mindst 0 herfra)", "=" + stays("betaler", "ev_nv_betaler"), st.PERCENT),
        Formula("tab_fra", "Betaler taber fra succesrate", f'=IF(COUNT({{tab_fra_betaler}})=0,"{NO_LOSS}",MIN({{tab_fra_betaler}}))', st.PERCENT),
        Formula("tab_stoerst", "Største tab for betaler (nutidsværdi)", f"=MAX(0,-MIN({evaluated}))", st.KR),
        Formula("be_investor", "Break-even succesrate investor (pengene tilbage)",
                f'=IF({{investering}}=0,"{UNDEFINED}",' + stays("investor", "ev_inv") + ")", st.PERCENT),
        Formula("be_investor_krav", "Break-even succesrate investor (krav til afkast)",
                f'=IF(OR({{investering}}=0,{{investor_krav}}=""),"{UNDEFINED}",' + stays("krav", "ev_inv_krav") + ")", st.PERCENT),
        Blank(), knots, Blank(), union, Blank(), cross, Blank(), evaluation, Blank(),
        Heading("Monte Carlo (beregnes i Python: sibc montecarlo eller SI_MONTE_CARLO)"),
        Input("mc_antal_traek", "Antal træk", kind="integer", validation=Validation.whole(1, 1_000_000), default=10_000),
        Input("mc_seed", "Seed", kind="integer", validation=Validation.whole(0), default=0),
    ]  # fmt: skip
    if d.distributions:
        blocks.append(Table("fordelinger", dist_rows, (
            Input("mc_driver", "Driver", kind="text"),
            Input("mc_fordeling", "Fordeling", kind="text", validation=Validation.words(DISTRIBUTION_WORDS)),
            *(Input(f"mc_{f}", DIST_LABELS[f], number_format=st.DECIMAL, required=False, percent_when=share_driver(at("mc_driver")))
              for f in DIST_FIELDS[2:]),
        ), orientation="columns", title="Fordeling"))  # fmt: skip
    return Sheet("Følsomhed", tuple(blocks), title="Følsomhed", widths={"A": 36})


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
    last = d.years - 1
    rows = [
        check_row("k_df", "Diskonteringsfaktor sidste år", f"={{df[{last}]}}", f"=SI_DISKONTERINGSFAKTOR({{aar[{last}]}},{{k_skema}})", st.FACTOR),
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
                f"=SUM(SI_BESPARELSE({{eff{e}_gruppe}},{{eff{e}_profil}},{{eff{e}_succesrate}},{{k_pris{e}_{a}}},"
                f"{{eff{e}_doedvaegt}},{{eff{e}_frafald}},{{eff{e}_offset}},{d.years}))", st.KR))  # fmt: skip
    for m, (code, _) in enumerate(d.metrics, start=1):
        si = by_code(code).SI_CHECK
        if si is not None:
            rows.append(check_row(f"k_bm{m}", f"Resultatmål {m}: betaling efter reglen", f"={{bm{m}_regelbetaling}}",
                                  "=" + local(m, si), st.KR))  # fmt: skip
    if d.investor:
        rows.append(check_row("k_irr", "Investors IRR", "={investor_irr}", "=SI_INVESTOR_IRR({r_investor})", st.PERCENT))
    helpers = [Formula("k_skema", "Skema til SI_-funktionerne", '=IF({diskontering}="fast",{fast_rente},{diskontering})')]
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
    """The Vejledning sheet first, describing the visible ``sheets`` that follow it, then the sheets."""
    return (sheet_guide(d, tuple(s.name for s in sheets if not s.name.startswith("_"))), *sheets)


def layout_for(d: Dims) -> WorkbookLayout:
    """The workbook for these dimensions."""
    return WorkbookLayout(
        TEMPLATE_ID, TEMPLATE_VERSION,
        with_guide(d, tuple(guarded(s) if s.name in GUARDED_SHEETS else s for s in (
            sheet_assumptions(d), sheet_unit_costs(d), sheet_costs(d), sheet_effects(d),
            sheet_payment_model(d), sheet_results(d), sheet_sensitivity(d), sheet_control(d)))),
        meta={"katalogversion": manifest()["version"]}, dims=d.as_dict(),
    )  # fmt: skip


#: Bounds of each stored dimension (``_skabelon``), checked before any layout is built.
DIM_BOUNDS = {
    "antal_aar": (1, MAX_HORIZON), "antal_effekter": (1, MAX_EFFECTS), "antal_omkostninger": (0, MAX_COST_LINES),
    "antal_enhedspriser": (0, MAX_EFFECTS), "antal_resultatmaal": (0, MAX_METRICS), "antal_fordelinger": (0, 200),
    "investor": (0, 1), "regel": (min(r.CODE for r in rules()), max(r.CODE for r in rules())), "trin": (0, 100),
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


# --------------------------------------------------------------------------- values in and out


def padded(values, n: int, fill: float = 0.0) -> list:
    return list(values) + [fill] * (n - len(values))


def unit_row(case: Case, uid: str) -> dict[str, Any]:
    """The unit cost as shown: the case's own price if it has one, else the catalogue's."""
    own = {p["id"]: p for p in case.egne_priser}
    return dict(own[uid]) if uid in own else lookup(uid).model_dump()


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
        "fremskrivning": case.fremskrivning,
        "idx_egne": [(case.own_index() or {}).get(y) for y in index_years()],
        "idx_egne_navn": case.eget_indeks.navn if case.eget_indeks else None,
        "idx_egne_kilde": case.eget_indeks.kilde if case.eget_indeks else None,
        "optimisme_omk": case.optimisme.omkostninger, "optimisme_gev": case.optimisme.gevinster,
        "investor_krav": case.investor.krav_til_afkast if case.investor else None,
        "deltagere": padded(case.deltagere, d.years),
    }  # fmt: skip
    rows = [unit_row(case, uid) for uid in unit_ids(case)]
    for f in UNIT_FIELDS:
        key = "ep_fordeling" if f == "fordelingsgrundlag" else f"ep_{f}"
        v[key] = [r.get(f) if r.get(f) != "" else None for r in rows]
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
        v[key] = [over.get(f"effekter.{e.id}.succesrate", base[e.id]) for e in case.effekter]
    u = case.usikkerhed
    v["mc_antal_traek"], v["mc_seed"] = (u.antal_traek, u.seed) if u else (10_000, 0)
    dists = list(u.fordelinger.items()) if u else []
    if dists:
        v["mc_driver"] = [name for name, _ in dists]
        for f in DIST_FIELDS[1:]:
            v[f"mc_{f}"] = [getattr(dist, f) for _, dist in dists]
    return v


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
    return v | {p + "effekt": link.effekt, p + "maal": link.maal}


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def own_price_rows(values: dict[str, Any], d: Dims) -> list[dict[str, Any]]:
    """Unit-cost rows that are not exactly the catalogue's: the kommune's own prices."""
    rows = []
    for k in range(d.units):
        row = {f: values["ep_fordeling" if f == "fordelingsgrundlag" else f"ep_{f}"][k] for f in UNIT_FIELDS}
        row = {f: (_text(x) if f not in ("beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat") else x)
               for f, x in row.items()}  # fmt: skip
        built_in = catalogue().get(row["id"])
        unit = UnitCost.model_validate({f: ("" if x is None else x) for f, x in row.items()})
        if built_in is None or unit.model_dump() != built_in.model_dump():
            rows.append(unit.model_dump())
    return rows


def case_from_values(values: dict[str, Any], d: Dims) -> Case:
    """The case described by a workbook's input values (the reverse of :func:`values_for`)."""
    data: dict[str, Any] = {
        "navn": values["navn"], "beskrivelse": _text(values.get("beskrivelse")), "kilde": _text(values.get("kilde")),
        "maalgruppe": _text(values.get("maalgruppe")), "prisaar": values["prisaar"], "startaar": values.get("startaar"),
        "horisont": d.years,
        "diskontering": values["fast_rente"] if values["diskontering"] == "fast" else values["diskontering"],
        "visning": values["visning"], "betaler": values["betaler"], "indeks": values["indeks"],
        "fremskrivning": values.get("fremskrivning"), "eget_indeks": own_index_data(values),
        "forloebsaar": values["forloebsaar"], "deltagere": values["deltagere"],
        "optimisme": {"omkostninger": values["optimisme_omk"], "gevinster": values["optimisme_gev"]},
        "indsats": [{"navn": values[f"omk{c}_navn"], "betaler": values[f"omk{c}_betaler"], "type": values[f"omk{c}_type"],
                     "pr_aar": values[f"omk{c}_pr_aar"]} for c in range(1, d.costs + 1)],
        "egne_priser": own_price_rows(values, d),
        "effekter": [effect_data(values, e) for e in range(1, d.effects + 1)],
    }  # fmt: skip
    if values.get("investor_krav") is not None:
        data["investor"] = {"krav_til_afkast": values["investor_krav"]}
    if d.metrics:
        metrics, links = zip(*(metric_data(values, m, code) for m, (code, _) in enumerate(d.metrics, start=1)))
        data["betalingsmodel"] = {"resultatmaal": list(metrics), "loft_kontrakt": values.get("loft_kontrakt")}
        data["maaling"] = {mt["id"]: link for mt, link in zip(metrics, links)}
    ids = [data["effekter"][e]["id"] for e in range(d.effects)]
    base = [data["effekter"][e]["succesrate"] for e in range(d.effects)]
    scenarios = {}
    for scen, key in (("lav", "sc_lav"), ("hoej", "sc_hoej")):
        changed = {f"effekter.{i}.succesrate": s for i, s, b in zip(ids, values[key], base) if s != b}
        if changed:
            scenarios[scen] = changed
    data["scenarier"] = scenarios
    if d.distributions:
        dists = {}
        for k, driver in enumerate(values["mc_driver"]):
            dists[driver] = {f: values[f"mc_{f}"][k] for f in DIST_FIELDS[1:] if values[f"mc_{f}"][k] is not None}
        data["usikkerhed"] = {"antal_traek": values["mc_antal_traek"], "seed": values["mc_seed"], "fordelinger": dists}
    return parse_case(data)


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


def metric_data(values: dict[str, Any], m: int, code: int) -> tuple[dict[str, Any], dict[str, Any] | list[dict[str, Any]]]:
    """Metric ``m`` and how it is measured, read back from its cells (the reverse of :func:`metric_values`)."""
    p = f"bm{m}_"
    metric = {"id": values[p + "id"], "navn": values[p + "navn"], "enhed": values[p + "enhed"],
              "datakilde": values[p + "datakilde"], "maaletidspunkt": values[p + "maaletidspunkt"],
              "aar": values[p + "aar"], "loft": values.get(p + "loft"), "antagelse": values.get(p + "antagelse")}  # fmt: skip
    rule = by_code(code)
    metric["regel"] = rule.from_cells({k[len(p):]: v for k, v in values.items() if k.startswith(p)})
    if rule.PER_OUTCOME:
        return metric, [{"effekt": e, "maal": m_} for e, m_ in zip(values[p + "udfald_effekt"], values[p + "udfald_maal"])]
    return metric, {"effekt": values.get(p + "effekt") or None, "maal": values[p + "maal"]}
