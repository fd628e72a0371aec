"""The Excel functions (xlwings UDFs): thin wrappers around the core.

This is the module ``addin/xlwings.conf`` names under "UDF MODULES".  Each
function converts what Excel passes (see :mod:`udfs.excel_io`), calls one core
function and returns a number or a table that spills.  Any bad input is
answered with a short Danish text naming the argument (``"Fejl i uge: skal være
et helt ugenummer fra 1 til 5200"``) — never a Python traceback, never NaN.

Names use ASCII so they are valid VBA identifiers; the help texts (the
functions' docstrings and each argument's ``doc``) are Danish, as the user
reads them in Excel's function wizard.  Every function is also callable from
Python under the same name.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import re
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import xlwings as xw

from . import excel_io as io
from .core import businesscase as bc
from .core import catalogue as cat
from .core import counterfactual as cf
from .core import discounting as disc
from .core import engine, uncertainty
from .core import indices as idx
from .core import payment as pay
from .core import refusion as ref
from .core import guarantee as gtee
from .core import settlement as stl
from .core.checks import check_share
from .core.case_model import MAX_HORIZON
from .core.casefile import case_file_key, load_business_case, load_keyed
from .core.errors import SIError, excerpt
from .core.files import is_content
from .core.limits import MAX_SEED, MAX_STEPS, max_draws
from .core.lineitems import labelled
from .core.vocabulary import AUTHORITIES, NONE_REACHED, NOT_WITHIN, UNDEFINED
from .core.measurement import design as mdesign
from .core.measurement import effects as meffects
from .core.measurement import privacy as mprivacy
from .core.measurement import sheet as msheet

CATEGORY = "Sociale investeringer"
log = logging.getLogger(__name__)

#: name → metadata of every Excel function (drives the README's reference).
REGISTRY: dict[str, dict] = {}


#: The longest text an Excel cell takes from a function: xlwings's classic route turns a
#: result holding a longer text into #VALUE! (xlwings issues 456 and 869).
MAX_CELL_TEXT = 255

#: xlwings conversion options of every argument: an error cell (#N/A, #DIV/0!, …) arrives
#: as its text instead of None, so it is refused by name, never taken as a left-out argument.
ARG_OPTIONS = {"err_to_str": True}


def cell_text(text: str) -> str:
    """A text as a cell can show it: at most MAX_CELL_TEXT characters, cut with "…".

    A text holding a URL (a source: "udgiver: dokument (https://…)") is cut in
    its prose, before the URL, so the link stays whole and usable; only a URL
    longer than a cell is cut itself.
    """
    if len(text) <= MAX_CELL_TEXT:
        return text
    url = re.search(r"https?://\S+", text)
    if url is None or len(text) - url.start() > MAX_CELL_TEXT - 20:
        return excerpt(text, MAX_CELL_TEXT)
    prose, tail = text[: url.start()], text[url.start():]
    opened = prose.rstrip().endswith("(")
    prose = prose.rstrip().removesuffix("(").rstrip()
    lead = " (" if opened else " "
    return excerpt(prose, MAX_CELL_TEXT - len(lead) - len(tail)) + lead + tail


def check_result(value):
    """Refuse non-finite numbers anywhere in a result; cut texts longer than a cell takes.

    Returns the result with every text cell at most MAX_CELL_TEXT characters.
    """
    if isinstance(value, float) and not math.isfinite(value):
        raise SIError("resultat", "er ikke et endeligt tal; kontrollér argumenterne")
    if isinstance(value, str):
        return cell_text(value)
    if isinstance(value, (list, tuple)):
        return [check_result(v) for v in value]
    return value


def excel_function(*, args: dict[str, str], example: str, excel_equivalent: str, spills: bool = False):
    """Register an Excel function: Danish help, error answers, xlwings decorators.

    ``args`` maps each argument name to its Danish help text (shown in the
    function wizard).  The wrapped function's docstring is its Danish
    description.
    """

    def decorate(f: Callable) -> Callable:
        names = list(inspect.signature(f).parameters)

        @functools.wraps(f)
        def checked(*a, **kw):
            """``f`` with error cells refused by argument name and the result checked; raises SIError."""
            for name, value in zip(names, a):
                io.refuse_errors(name, value)
            for name, value in kw.items():
                io.refuse_errors(name, value)
            return check_result(f(*a, **kw))

        @functools.wraps(f)
        def wrapper(*a, **kw):
            try:
                return checked(*a, **kw)
            except SIError as err:
                return cell_text(err.danish)
            except OverflowError:
                return "Fejl i resultat: tallene er for store til at regne med"
            except Exception:  # noqa: BLE001 - the cell must never show a traceback
                log.exception("unexpected error in %s", f.__name__)
                return f"Fejl i {f.__name__}: uventet fejl; kontrollér argumenterne"

        wrapper.__wrapped__ = checked  # what the Office.js route calls (it raises instead of answering text)
        for name, help_text in args.items():
            wrapper = xw.arg(name, doc=help_text, **ARG_OPTIONS)(wrapper)
        wrapper = xw.func(category=CATEGORY)(wrapper)
        REGISTRY[f.__name__] = {
            "name": f.__name__,
            "description": (f.__doc__ or "").strip(),
            "args": dict(args),
            "example": example,
            "excel_equivalent": excel_equivalent,
            "spills": spills,
        }
        return wrapper

    return decorate


# --------------------------------------------------------------------------- unit costs


@lru_cache(maxsize=32)
def _own_from_table(table: tuple) -> dict:
    return cat.own_prices_from_table(table)


def _own_prices(value) -> dict | None:
    """The user's own prices from a range (with header) or a CSV file name."""
    if value is None:
        return None
    table = io.rows("egne_priser", value)
    path = io.table_is_path(table)
    if path is not None:
        return cat.own_prices_from_csv(path)
    if all(c is None for r in table for c in r):
        return None
    return _own_from_table(tuple(tuple(r) for r in table))


@lru_cache(maxsize=32)
def _own_index(pairs: tuple) -> dict:
    return idx.own_index(pairs, "indeks")


def _index(value):
    """The ``indeks`` argument: a name (one cell) or the user's own series (a range of år; værdi)."""
    table = io.rows("indeks", value)
    if sum(len(r) for r in table) > 1:
        return _own_index(tuple(io.year_values("indeks", table)))
    return io.choice("indeks", value, default=None)


OWN_PRICES_HELP = ("Valgfrit: egne priser som område med overskrifter eller navnet på en CSV-fil. "
                   f"Påkrævede kolonner: {', '.join(cat.REQUIRED_COLUMNS)}; andele som 0,8 eller 80 %.")

INDEX_HELP = ("Prisindeks: \"npi\" (nettoprisindeks, standard), \"fpi\", \"pl_stat\", \"loen_stat\", \"pris_stat\" (Økonomistyrelsen) "
              "eller et eget indeks som område med to kolonner (år; værdi), fx KL's pris- og lønskøn.")


@excel_function(
    args={
        "id": "Enhedsprisens id, fx \"sygedagpenge_uge\" (se SI_ENHEDSPRISER).",
        "prisaar": "Prisniveau (år) for resultatet. Tom: enhedsprisens eget prisår.",
        "myndighed": "\"kommune\", \"region\", \"stat\" eller \"offentlig\" (alle tre). Tom: offentlig.",
        "egne_priser": OWN_PRICES_HELP,
        "indeks": INDEX_HELP,
        "fremskrivning": "Valgfri årlig stigning (andel, fx 0,02) for prisår uden for indeksets år.",
    },
    example='=SI_ENHEDSPRIS("kontanthjaelp_30plus_ikke_forsoerger_uge"; 2023; "kommune")',
    excel_equivalent="None built in; an XLOOKUP in the catalogue × the authority's share × index(prisår) / index(the row's price year).",
)
def SI_ENHEDSPRIS(id, prisaar=None, myndighed=None, egne_priser=None, indeks=None, fremskrivning=None):
    """Enhedspris i kr. pr. enhed efter refusion for en myndighed, i prisniveauet for prisår (SØM-princip)."""
    return cat.unit_cost(
        io.text("id", id),
        io.integer("prisaar", prisaar, 1900, 2200, default=None),
        io.choice("myndighed", myndighed, default=None),
        _own_prices(egne_priser),
        _index(indeks),
        io.number("fremskrivning", fremskrivning, default=None, share=True),
    )


CATALOGUE_HEADER = ["id", "navn", "enhed", "prisår", "offentlig", "kommune", "region", "stat", "kilde", "kildetype"]


@excel_function(
    args={
        "filter": "Valgfri tekst; kun rækker hvis id, navn eller budgetområde indeholder teksten.",
        "prisaar": "Valgfrit prisår for beløbene. Tom: hver enhedspris i sit eget prisår.",
        "egne_priser": OWN_PRICES_HELP + " Vises med kataloget.",
        "fremskrivning": "Valgfri årlig stigning (andel, fx 0,02) for prisår uden for indeksets år; uden den vises \"prisår uden for indeks\".",
        "indeks": INDEX_HELP,
    },
    example='=SI_ENHEDSPRISER("kontanthjælp")',
    excel_equivalent="None built in; like FILTER over the catalogue table, with a header row. Rows whose price year cannot be uprated show a text instead of a number.",
    spills=True,
)
def SI_ENHEDSPRISER(filter=None, prisaar=None, egne_priser=None, fremskrivning=None, indeks=None):
    """Kataloget over enhedspriser som en tabel: id, navn, enhed, prisår, beløb i alt og pr. myndighed, kilde."""
    rows = cat.catalogue_table(
        io.text("filter", filter, default=None),
        io.integer("prisaar", prisaar, 1900, 2200, default=None),
        _own_prices(egne_priser),
        io.number("fremskrivning", fremskrivning, default=None, share=True),
        _index(indeks),
    )
    return [CATALOGUE_HEADER] + [[r[k] for k in CATALOGUE_HEADER] for r in rows]


# --------------------------------------------------------------------------- indices


@excel_function(
    args={
        "fra_aar": "Prisåret beløbet er opgjort i.",
        "til_aar": "Prisåret beløbet skal omregnes til.",
        "indeks": INDEX_HELP,
        "fremskrivning": "Valgfri årlig stigning (andel, fx 0,02) for år uden for indeksets tabel. Uden den er sådanne år en fejl.",
    },
    example="=SI_PRISINDEKS(2019; 2023)",
    excel_equivalent="None built in; index(til_aar) / index(fra_aar) looked up in an index table (VLOOKUP in the user's own two-column range). Unlike a lookup, a year outside the table is an error unless `fremskrivning` is given.",
)
def SI_PRISINDEKS(fra_aar, til_aar, indeks=None, fremskrivning=None):
    """Omregningsfaktor fra prisniveauet i fra_år til prisniveauet i til_år (indeks(til)/indeks(fra))."""
    return idx.uprating_factor(
        io.integer("fra_aar", fra_aar, 1900, 2200),
        io.integer("til_aar", til_aar, 1900, 2200),
        _index(indeks),
        io.number("fremskrivning", fremskrivning, default=None, share=True),
    )


# --------------------------------------------------------------------------- refusion


@excel_function(
    args={
        "uge": "Ugenummer i forløbet på offentlig forsørgelse (1, 2, …).",
        "ordning": "\"refusion_2016\" (statens refusion, standard) eller \"medfinansiering_2016\" (kommunens medfinansiering).",
    },
    example="=SI_REFUSIONSSATS(30)",
    excel_equivalent="None built in; LOOKUP(uge; {1;5;27;53}; {0.8;0.4;0.3;0.2}) for refusion_2016, but weeks below 1 or fractional weeks are errors.",
)
def SI_REFUSIONSSATS(uge, ordning=None):
    """Statens refusionsandel (0–1) i forløbets uge efter refusionstrappen fra 2016 (eller kommunens medfinansieringsandel)."""
    return ref.rate_for_week(io.integer("uge", uge, 1, ref.MAX_WEEK), io.choice("ordning", ordning, default=None))


@excel_function(
    args={
        "beloeb_pr_uge": "Ydelsen i kr. pr. uge før refusion.",
        "fra_uge": "Første uge i forløbet, der regnes med (1 = forløbets første uge).",
        "til_uge": "Sidste uge, der regnes med (inklusive).",
        "ordning": "\"refusion_2016\" (kommunen udbetaler og får refusion, standard) eller \"medfinansiering_2016\" (staten/a-kassen udbetaler, kommunen medfinansierer).",
    },
    example="=SI_KOMMUNAL_UDGIFT(1000; 1; 60)",
    excel_equivalent="None built in; SUMPRODUCT(weeks in each step × amount × the kommune's share of that step).",
)
def SI_KOMMUNAL_UDGIFT(beloeb_pr_uge, fra_uge, til_uge, ordning=None):
    """Kommunens udgift i kr. efter refusion for ugerne fra_uge til til_uge i et forløb."""
    amount = io.number("beloeb_pr_uge", beloeb_pr_uge)
    if amount < 0:
        raise SIError("beloeb_pr_uge", "må ikke være negativ")
    return ref.kommune_cost(
        amount,
        io.integer("fra_uge", fra_uge, 1, ref.MAX_WEEK),
        io.integer("til_uge", til_uge, 1, ref.MAX_WEEK),
        io.choice("ordning", ordning, default=None),
    )


# --------------------------------------------------------------------------- discounting


def _schedule(value):
    """A ``skema`` argument: a schedule's name or a fixed rate, as a number or a Danish text (``"0,04"``, ``"4 %"``)."""
    s = io.text_or_number("skema", value, default=None)
    return None if s is None else disc.read_schedule(s, "skema")


@excel_function(
    args={
        "aar": "År efter basisåret (0 = basisåret, faktor 1).",
        "skema": "\"fm_2021\" (Finansministeriet 3,5/2,5/1,5 %, standard), \"fm_2013\" eller en fast rente som andel, fx 0,04 (også som tekst: \"0,04\" eller \"4 %\").",
    },
    example="=SI_DISKONTERINGSFAKTOR(40)",
    excel_equivalent="With a constant rate r: 1/(1+r)^aar. Finansministeriet's declining schedule has no built-in equivalent; it equals the product of 1/(1+r_k) over years k = 1..aar.",
)
def SI_DISKONTERINGSFAKTOR(aar, skema=None):
    """Diskonteringsfaktoren for året efter Finansministeriets skema (faktorerne kædes over renteintervallerne)."""
    return disc.discount_factor(io.integer("aar", aar, 0, disc.MAX_YEAR), _schedule(skema))


@excel_function(
    args={
        "beloeb": "Årlige beløb i kr. som én række eller kolonne; første beløb er år 0 (diskonteres ikke).",
        "skema": "\"fm_2021\" (Finansministeriet, standard), \"fm_2013\" eller en fast rente som andel, fx 0,04 (også som tekst: \"0,04\" eller \"4 %\").",
    },
    example="=SI_NUTIDSVAERDI(B5:K5)",
    excel_equivalent="With a constant rate r: B5 + NPV(r; C5:K5). Excel's NPV alone also discounts the first amount one year; this function does not (year-0 convention). Empty cells are errors, not skipped as NPV skips them.",
)
def SI_NUTIDSVAERDI(beloeb, skema=None):
    """Nutidsværdien i kr. af årlige beløb, første beløb i år 0, med Finansministeriets diskonteringsrente."""
    return disc.present_value(io.vector("beloeb", beloeb), _schedule(skema))


# --------------------------------------------------------------------------- outcome payments


@excel_function(
    args={
        "opnaaet": "Opnået resultat i resultatmålets enhed (fx antal borgere i job eller en andel).",
        "taerskel": "Tærskel: ved eller under den betales 0.",
        "maal": "Mål: her betales betaling_ved_maal. Skal være større end tærsklen.",
        "betaling_ved_maal": "Betaling i kr. ved opnået mål.",
        "loft": "Valgfrit loft i kr.; over målet fortsætter betalingen med samme hældning op til loftet. Tom: betaling_ved_maal (intet ud over målet).",
    },
    example="=SI_RESULTATBETALING(96; 60; 120; 7400000)",
    excel_equivalent="MIN(loft; MAX(0; (opnaaet − taerskel) / (maal − taerskel) × betaling_ved_maal)). Unlike the formula, a threshold at or above the target, negative payments or text are errors.",
)
def SI_RESULTATBETALING(opnaaet, taerskel, maal, betaling_ved_maal, loft=None):
    """Betaling i kr. for ét resultatmål: 0 op til tærsklen, lineært op til målet, højst loftet."""
    return pay.linear_payment(
        io.number("opnaaet", opnaaet, share=True),
        io.number("taerskel", taerskel, share=True),
        io.number("maal", maal, share=True),
        io.number("betaling_ved_maal", betaling_ved_maal),
        io.number("loft", loft, default=None),
    )


def _rate_card_counts(antal, n_prices: int):
    """Counts as totals (one row or column with one cell per price) or one row per participant."""
    table = io.matrix("antal", io.beyond_steps(antal, n_prices))
    width, height = len(table[0]), len(table)
    if width == n_prices:
        return table[0] if height == 1 else table
    if width == 1 and height == n_prices:
        return [r[0] for r in table]
    raise SIError("antal", f"skal have én kolonne pr. pris ({n_prices}); én række i alt eller én række pr. deltager")


@excel_function(
    args={
        "antal": "Opnåede udfald: én række med antal pr. udfaldstype i alt, eller én række pr. deltager med én kolonne pr. udfaldstype (tomme celler efter sidste pris tæller ikke).",
        "priser": "Pris i kr. pr. udfald, én pr. udfaldstype (række eller kolonne; tomme celler til sidst er ikke udfald).",
        "loft_pr_deltager": "Valgfrit loft i kr. pr. deltager.",
        "deltagere": "Antal deltagere; kræves med loft_pr_deltager, når antal er i alt.",
        "loft_i_alt": "Valgfrit loft i kr. for hele ratekortet.",
    },
    example="=SI_RATEKORT(B2:D2; B1:D1; 15000; 45)",
    excel_equivalent="SUMPRODUCT(antal; priser), capped: MIN(loft_i_alt; loft_pr_deltager × deltagere; …). Excel accepts negative counts and mismatched ranges silently; here they are errors.",
)
def SI_RATEKORT(antal, priser, loft_pr_deltager=None, deltagere=None, loft_i_alt=None):
    """Betaling i kr. efter et ratekort: pris pr. opnået udfald, med loft pr. deltager og i alt."""
    prices = io.steps("priser", priser)
    return pay.rate_card_payment(
        _rate_card_counts(antal, len(prices)),
        prices,
        io.number("loft_pr_deltager", loft_pr_deltager, default=None),
        io.integer("deltagere", deltagere, 0, None, default=None),
        io.number("loft_i_alt", loft_i_alt, default=None),
    )


@excel_function(
    args={
        "opnaaet": "Opnået resultat i resultatmålets enhed.",
        "taerskler": f"Trinenes tærskler, strengt stigende, højst {MAX_STEPS} trin (række eller kolonne; tomme celler til sidst er ikke trin).",
        "betalinger": "Betaling i kr. for hvert trin, samme antal som tærskler (tomme celler til sidst er ikke trin).",
    },
    example="=SI_TRAPPEBETALING(0,095; {0,085;0,1;0,12}; {0;1000000;1500000})",
    excel_equivalent="LOOKUP(opnaaet; taerskler; betalinger) with 0 below the first threshold (LOOKUP gives #N/A there). Unsorted thresholds are errors, not silently wrong.",
)
def SI_TRAPPEBETALING(opnaaet, taerskler, betalinger):
    """Trappebetaling i kr.: betalingen for det højeste trin, hvis tærskel er nået (0 under første trin)."""
    return pay.tier_payment(
        io.number("opnaaet", opnaaet, share=True), io.steps("taerskler", taerskler, share=True), io.steps("betalinger", betalinger)
    )


@excel_function(
    args={
        "andel_indsats": "Andelen med udfaldet i indsatsgruppen (0–1: 0,42 eller som tekst \"42 %\", ikke 42).",
        "andel_kontrol": "Andelen i kontrolgruppen eller den historiske baseline (0–1).",
        "n_indsats": "Valgfrit: antal i indsatsgruppen (giver konfidensinterval).",
        "n_kontrol": "Valgfrit: antal i kontrolgruppen.",
        "niveau": "Konfidensniveau (0–1). Tom: 0,95.",
    },
    example="=SI_MEREFFEKT(0,42; 0,24; 120; 118)",
    excel_equivalent="andel_indsats − andel_kontrol ± NORM.S.INV((1+niveau)/2) × SQRT(p1(1−p1)/n1 + p0(1−p0)/n0) (Wald). Spills one row: effect, lower, upper (bounds empty without group sizes).",
    spills=True,
)
def SI_MEREFFEKT(andel_indsats, andel_kontrol, n_indsats=None, n_kontrol=None, niveau=None):
    """Mereffekten mod en kontrolgruppe (forskel i andele) med konfidensinterval, når gruppestørrelser er givet."""
    effect = cf.effect_vs_control(
        io.number("andel_indsats", andel_indsats, share=True),
        io.number("andel_kontrol", andel_kontrol, share=True),
        io.integer("n_indsats", n_indsats, 1, None, default=None),
        io.integer("n_kontrol", n_kontrol, 1, None, default=None),
        io.number("niveau", niveau, default=cf.LEVEL, share=True),
    )
    return [[effect.effect, "" if effect.lower is None else effect.lower, "" if effect.upper is None else effect.upper]]


WEEK_ARGS = {
    "koder": "Ydelseskoder: én række pr. person, én kolonne pr. uge (tom celle = ingen ydelse den uge).",
    "uger": "Ugerne over kolonnerne i koder, fortløbende ISO-uger: 2020-W53, 202053 eller y_2053 (række eller kolonne).",
    "start": "Hver persons startuge (uge 0), samme skrivemåde (én pr. række i koder).",
    "fra_uge": "Første uge i vinduet efter start (0 = startugen, 1 = ugen efter).",
    "til_uge": "Sidste uge i vinduet efter start (med).",
    "gruppe": "Gruppe i kodegrupperingen bmc_2023: selvforsoerget (standard), sundhed eller anden.",
}


@excel_function(
    args=WEEK_ARGS,
    example='=SI_UGER_I_GRUPPE(C2:E3; {"2020-W52";"2020-W53";"2021-W01"}; {"2020-W52";"2020-W53"}; 0; 1; "anden")',
    excel_equivalent="Per person: COUNTIFS over the window's cells with the group's codes (the window moves with each person's start week). Spills one column, one row per person.",
    spills=True,
)
def SI_UGER_I_GRUPPE(koder, uger, start, fra_uge, til_uge, gruppe=None):
    """Uger i gruppen (fx selvforsørget) i vinduet efter hver persons startuge; én værdi pr. person."""
    values = msheet.sheet_measure(
        io.rows("koder", koder), io.cells("uger", uger), io.cells("start", start), "uger",
        io.integer("fra_uge", fra_uge), io.integer("til_uge", til_uge), io.choice("gruppe", gruppe, default="selvforsoerget"),
    )
    return [[int(v)] for v in values]


@excel_function(
    args=WEEK_ARGS,
    example='=SI_FULDTIDSPERSONER(C2:E6; {"2020-W52";"2020-W53";"2021-W01"}; {"2020-W52";"2020-W52";"2020-W52";"2020-W52";"2020-W52"}; 0; 2; "anden")',
    excel_equivalent="Jobindsats's fuldtidspersoner: SUM of the weeks in the group over persons / weeks in the window (26 of 52 weeks = 0,5). Fewer than 5 persons gives a message, not a number.",
)
def SI_FULDTIDSPERSONER(koder, uger, start, fra_uge, til_uge, gruppe=None):
    """Fuldtidspersoner i gruppen (Jobindsats): uger i gruppen i vinduet efter start, summeret og delt med vinduets uger."""
    return msheet.full_time_persons(
        io.rows("koder", koder), io.cells("uger", uger), io.cells("start", start),
        io.integer("fra_uge", fra_uge), io.integer("til_uge", til_uge), io.choice("gruppe", gruppe, default="selvforsoerget"),
    )


@excel_function(
    args={
        "vaerdier_indsats": "Indsatsgruppens værdier, én pr. person (fx uger selvforsørget eller 1/0).",
        "vaerdier_kontrol": "Kontrolgruppens (eller sammenligningsgruppens) værdier, én pr. person.",
        "niveau": "Konfidensniveau (0–1). Tom: 0,95.",
    },
    example="=SI_MAALT_EFFEKT(B2:B7; C2:C7)",
    excel_equivalent="AVERAGE(indsats) − AVERAGE(kontrol) ± NORM.S.INV((1+niveau)/2) × SQRT(VAR.S(indsats)/n1 + VAR.S(kontrol)/n0); for 1/0 values the Wald interval of SI_MEREFFEKT. Spills one row: effect, lower, upper, n1, n0.",
    spills=True,
)
def SI_MAALT_EFFEKT(vaerdier_indsats, vaerdier_kontrol, niveau=None):
    """Målt effekt: forskellen i gennemsnit mellem indsats- og kontrolgruppe med konfidensinterval (under 5 personer vises ikke)."""
    y1 = np.array(io.vector("vaerdier_indsats", vaerdier_indsats))
    y0 = np.array(io.vector("vaerdier_kontrol", vaerdier_kontrol))
    level = io.number("niveau", niveau, default=cf.LEVEL, share=True)
    cf.check_level(level)
    for name, values in (("vaerdier_indsats", y1), ("vaerdier_kontrol", y0)):
        summary = mprivacy.safe_summary(values)
        if summary["gennemsnit"] is None:
            raise SIError(name, f"har under {mprivacy.MIN_PERSONS} personer (eller under {mprivacy.MIN_PERSONS} med 1 eller 0); tallet vises ikke")
    e = meffects.independent_effect(y1, y0, level)
    return [[e.effect, e.lower, e.upper, e.n1, e.n0]]


DESIGN_ARGS = {
    "styrke": "Styrke (0–1). Tom: 0,8.",
    "niveau": "Konfidensniveau for en tosidet test (0–1). Tom: 0,95.",
}


@excel_function(
    args={
        "n_indsats": "Antal personer i indsatsgruppen (helt tal ≥ 1).",
        "n_kontrol": "Antal personer i kontrolgruppen (helt tal ≥ 1).",
        "andel_kontrol": "Forventet andel med udfaldet i kontrolgruppen (0–1), fx 0,5.",
        **DESIGN_ARGS,
    },
    example="=SI_MDE(120; 480; 0,5)",
    excel_equivalent="Solves δ = (NORM.S.INV(1−(1−niveau)/2) + NORM.S.INV(styrke)) × SQRT((p0+δ)(1−p0−δ)/n1 + p0(1−p0)/n0) for δ (Goal Seek); a share, 0,14 = 14 percentage points.",
)
def SI_MDE(n_indsats, n_kontrol, andel_kontrol, styrke=None, niveau=None):
    """Mindste påviselige effekt (stigning i en andel) for to grupper, givet styrke og niveau."""
    return mdesign.mde_proportions(
        io.integer("n_indsats", n_indsats, 1), io.integer("n_kontrol", n_kontrol, 1), io.number("andel_kontrol", andel_kontrol, share=True),
        io.number("styrke", styrke, default=mdesign.POWER, share=True), io.number("niveau", niveau, default=cf.LEVEL, share=True),
    )


@excel_function(
    args={
        "n_indsats": "Antal personer i indsatsgruppen (helt tal ≥ 1).",
        "n_kontrol": "Antal personer i kontrolgruppen (helt tal ≥ 1).",
        "sd": "Standardafvigelsen pr. person i udfaldets enhed (fx uger), > 0.",
        **DESIGN_ARGS,
    },
    example="=SI_MDE_GENNEMSNIT(120; 480; 10)",
    excel_equivalent="=(NORM.S.INV(1-(1-niveau)/2)+NORM.S.INV(styrke))*sd*SQRT(1/n_indsats+1/n_kontrol).",
)
def SI_MDE_GENNEMSNIT(n_indsats, n_kontrol, sd, styrke=None, niveau=None):
    """Mindste påviselige forskel i gennemsnit (fx uger selvforsørget) for to grupper."""
    return mdesign.mde_means(
        io.integer("n_indsats", n_indsats, 1), io.integer("n_kontrol", n_kontrol, 1), io.number("sd", sd),
        io.number("styrke", styrke, default=mdesign.POWER, share=True), io.number("niveau", niveau, default=cf.LEVEL, share=True),
    )


@excel_function(
    args={
        "mde": "Den effekt, der skal kunne påvises: stigning i andelen (0,14 = 14 procentpoint).",
        "andel_kontrol": "Forventet andel med udfaldet i kontrolgruppen (0–1).",
        "forhold": "n_indsats / n_kontrol, fx 0,25 for 1 mod 4. Tom: 1.",
        **DESIGN_ARGS,
    },
    example="=SI_STIKPROEVE(0,14; 0,5; 0,25)",
    excel_equivalent="n_kontrol = (NORM.S.INV(1-(1-niveau)/2)+NORM.S.INV(styrke))^2*((p0+mde)(1-p0-mde)/forhold + p0(1-p0))/mde^2, n_indsats = forhold × n_kontrol, both rounded up. Spills one row.",
    spills=True,
)
def SI_STIKPROEVE(mde, andel_kontrol, forhold=None, styrke=None, niveau=None):
    """Antal personer i indsats- og kontrolgruppe, der skal til for at påvise en given stigning i en andel."""
    n1, n0 = mdesign.sample_size_proportions(
        io.number("mde", mde, share=True), io.number("andel_kontrol", andel_kontrol, share=True), io.number("forhold", forhold, default=1.0),
        io.number("styrke", styrke, default=mdesign.POWER, share=True), io.number("niveau", niveau, default=cf.LEVEL, share=True),
    )
    return [[n1, n0]]


@excel_function(
    args={
        "investering": "Investorens investering i kr. pr. år, år 0 først (række eller kolonne).",
        "betalinger": "Resultatbetalingerne til investor i kr. pr. år fra alle betalere tilsammen, samme antal år.",
        "besparelser": "Betalerens besparelser i kr. pr. år, samme antal år.",
        "afkastloft": "Valgfrit afkastloft som andel af investeringen over kontrakten (fx 0,3).",
        "afkastgulv": "Valgfrit afkastgulv som andel af investeringen (fx -0,25: investor taber højst 25 %).",
        "garanti_beloeb": "Valgfrit: en garants (ikke betalerens) dækning af investorens hovedstol i kr. Garanten betaler ved kontraktens udløb (rækkernes sidste år) det, betalingerne mangler i at dække investeringen, højst dækningen.",
        "garanti_andel": "Valgfrit i stedet for garanti_beloeb: garantiens dækning som andel af investeringen (0–1, fx 0,75).",
        "garant": "Valgfrit: garantens navn (fx en fond), vist i tabellen. Ikke betaleren eller investoren; en myndighed som garant angives i garanti_myndighed.",
        "betalers_andel": "Valgfrit ved flere betalere: betalerens andel af hver betaling (0–1), ét tal for alle år eller ét pr. år (fx arket Resultats række »Betalers andel af resultatbetalingerne«). Tom: 1, betaleren betaler alt.",
        "optimismetillaeg": "Bruges ikke længere; lad det stå tomt (eller 0). Investeringen er investors omkostninger som "
                            "aftalt, uden optimismetillæg: tillægget gælder kun kommunens, regionens og statens omkostninger.",
        "garanti_myndighed": "Påkrævet med en garanti: myndigheden bag garanten, kommune, region, stat eller ingen (ikke offentlig, "
                             "fx en fond). En offentlig garants betaling er en udgift for myndigheden (rækken »Offentlig udgift til garanti«).",
        "betaler": "Valgfrit: den myndighed, hvis besparelser og betalinger er givet (kommune, region eller stat). Er den også "
                   "garant (garanti_myndighed), vises betalers nettobesparelse før og efter garantiens betaling.",
    },
    example="=SI_AFREGNING(B2:D2; B3:D3; B4:D4)",
    excel_equivalent="None built in; SUM, differences and IRR over the three rows; the guarantor pays MAX(0;MIN(dækning;SUM(investering)-SUM(betalinger))) in the last year; the payer's own payments SUMPRODUCT(betalers_andel;betalinger) and its net saving SUM(besparelser) minus them. Spills a labelled two-column table; the line \"Investors interne renter\" lists every internal rate when the investor's flow has several. With a guarantee, rows for the guarantor and the investor after the guarantee, the public body behind it (garanti_myndighed, required then) and the public cost of the guarantee (its payment when the body is kommune, region or stat, else 0), and where the payer (betaler) is the guarantor its net saving before and after the guarantee's payment; always the investor's largest loss (no outcome reached) with and without guarantee and what the return cap takes off and the floor adds.",
    spills=True,
)
def SI_AFREGNING(investering, betalinger, besparelser, afkastloft=None, afkastgulv=None,
                 garanti_beloeb=None, garanti_andel=None, garant=None, betalers_andel=None, optimismetillaeg=None,
                 garanti_myndighed=None, betaler=None):
    """Afregningen mellem betaler, investor og en evt. garant: alle betaleres resultatbetalinger, investors bonus, afkast og IRR før og efter garanti, investors største tab, betalerens egne betalinger og nettobesparelse."""
    share = None
    if betalers_andel is not None:
        cells = io.cells("betalers_andel", betalers_andel)
        share = io.number("betalers_andel", cells[0], share=True) if len(cells) == 1 else io.vector("betalers_andel", betalers_andel, share=True)
    result = stl.settle(
        io.vector("investering", investering),
        io.vector("betalinger", betalinger),
        io.vector("besparelser", besparelser),
        io.number("afkastloft", afkastloft, default=None, share=True),
        io.number("afkastgulv", afkastgulv, default=None, share=True),
        share,
    )
    if io.number("optimismetillaeg", optimismetillaeg, default=0.0, share=True) != 0:
        raise SIError("optimismetillaeg", "bruges ikke længere: investeringen er investors omkostninger som aftalt, uden "
                                          "optimismetillæg (tillægget gælder kun kommunens, regionens og statens "
                                          "omkostninger). Lad argumentet stå tomt")
    amount, share = gtee.check_cover(
        io.number("garanti_beloeb", garanti_beloeb, default=None), io.number("garanti_andel", garanti_andel, default=None, share=True)
    )
    name = io.text("garant", garant, default=None)
    authority = io.text("garanti_myndighed", garanti_myndighed, default=None)
    if name is not None and amount is None and share is None:
        raise SIError("garant", "angiv også garantiens dækning (garanti_beloeb eller garanti_andel)")
    if authority is not None and amount is None and share is None:
        raise SIError("garanti_myndighed", "angiv også garantiens dækning (garanti_beloeb eller garanti_andel)")
    guarantee = None if amount is None and share is None else gtee.Guarantee(name or "", amount, share, authority)
    payer = io.choice("betaler", betaler, default=None)
    if payer is not None and payer not in AUTHORITIES:
        raise SIError("betaler", f"'{excerpt(payer)}' kendes ikke: skriv kommune, region eller stat")
    rows = gtee.settlement_table(result, guarantee, payer=payer)
    return [[label, UNDEFINED if value is None else value] for label, value in rows if not (label == "Garant" and not value)]


@excel_function(
    args={
        "pengestroem": "Investorens pengestrøm i kr.: udbetalinger negative, indbetalinger positive; første beløb i periode 0.",
        "datoer": "Valgfrit: datoer for beløbene (som XIRR). Tom: én periode (år) mellem beløbene (som IRR).",
        "gaet": "Valgfrit gæt (andel over -1), som i Excels IRR: har pengestrømmen flere interne renter, gives den, Excel finder fra gættet. Tom: 0,1.",
    },
    example="=SI_INVESTOR_IRR(B5:F5)",
    excel_equivalent="IRR(pengestroem; gaet), or XIRR(pengestroem; datoer; gaet) with dates: the same rate, also where a flow has several (Newton's method from the guess, as Excel). Where Excel gives #NUM!, the rate from the guesses 0.1, -0.5, -0.9, 1 in turn (as the standard workbook's IRR cell), else the rate nearest the guess. SI_AFREGNING and SI_NOEGLETAL list every rate.",
)
def SI_INVESTOR_IRR(pengestroem, datoer=None, gaet=None):
    """Investorens interne rente (andel pr. periode, eller pr. år med datoer som XIRR)."""
    flows = io.vector("pengestroem", pengestroem)
    guess = io.number("gaet", gaet, default=0.1, share=True)
    if datoer is None:
        return stl.irr(flows, guess)
    return stl.xirr(flows, io.dates("datoer", datoer), guess)


# --------------------------------------------------------------------------- the business case


def _case(casefil):
    return load_business_case(io.text("casefil", casefil))


@excel_function(
    args={
        "casefil": "Fuld sti til en case-fil (.yaml eller .json) i projektets format.",
    },
    example='=SI_BUSINESS_CASE("C:\\cases\\ungeindsats.yaml")',
    excel_equivalent="None built in; the standard workbook's Resultat sheet computes the same table with plain formulas. Spills the year-by-year table with a header row.",
    spills=True,
)
def SI_BUSINESS_CASE(casefil):
    """Business casens år-for-år-tabel: omkostninger og besparelser pr. myndighed, betalinger, netto, kumuleret og nutidsværdi."""
    return bc.yearly_table(engine.run(_case(casefil)))


@excel_function(
    args={"casefil": "Fuld sti til en case-fil (.yaml eller .json)."},
    example='=SI_NOEGLETAL("C:\\cases\\ungeindsats.yaml")',
    excel_equivalent="None built in. Spills a labelled two-column table; figures that do not exist (no payback within the horizon) are text, and so are the success-rate ranges where the payer loses; \"Investors interne renter\" lists every internal rate when the investor's flow has several.",
    spills=True,
)
def SI_NOEGLETAL(casefil):
    """Casens nøgletal: nutidsværdi, tilbagebetalingstid (antal år og kalenderår), benefit-cost-ratio, investor, break-even med tabsintervaller og gevinster efter horisonten."""
    value = io.text("casefil", casefil)
    return [list(row) for row in _key_figure_rows(value if is_content(value) else case_file_key(value))]


@lru_cache(maxsize=16)
def _key_figure_rows(key: tuple[str, int, int] | str) -> tuple[tuple[str, object], ...]:
    """The key figures of the case file with this :func:`case_file_key` (or of the case's content itself):
    computed once while the file is unchanged."""
    case = load_business_case(key) if isinstance(key, str) else load_keyed(key)
    figures = labelled(bc.key_figures(engine.run(case)), case.valuta, bc.case_labels(case))
    return tuple((label, UNDEFINED if value is None else value) for label, value in figures)


@excel_function(
    args={"casefil": "Fuld sti til en case-fil (.yaml eller .json)."},
    example='=SI_PARTER("C:\\cases\\tre_betalere.yaml")',
    excel_equivalent="None built in; the standard workbook's Resultat sheet has each party's net by year (rows "
    "r_netto_kommune … r_netto_garant) and Overblik its sum and present value (SUMPRODUCT of the row and the discount "
    "factors). Spills a table: a header row, then one row per party (kommune, region, stat, investor, central "
    "resultatfond, private guarantor) with its net for each year, the sum and the present value; the rows add up to "
    "savings − costs.",
    spills=True,
)
def SI_PARTER(casefil):
    """Hver parts netto pr. år, i alt og i nutidsværdi: kommune, region, stat (besparelser − omkostninger − betalinger og garanti), investor (betalinger + garanti − investering), central resultatfond og privat garant (− dens betalinger)."""
    return bc.party_table(engine.run(_case(casefil)))


BREAK_EVEN_FOR = {"betaler": "betaleren", "investor": "investoren", "investor_krav": "investorens krav til afkast"}


@excel_function(
    args={
        "casefil": "Fuld sti til en case-fil (.yaml eller .json).",
        "hvem": '"betaler" (nutidsværdi, standard), "investor" (pengene tilbage: betalinger ≥ investering) eller '
                '"investor_krav" (nutidsværdi ved investor.krav_til_afkast ≥ 0).',
    },
    example='=SI_BREAK_EVEN("C:\\cases\\ungeindsats.yaml"; "investor")',
    excel_equivalent="None built in; Goal Seek finds one zero, this is the lowest success rate from which the figure "
    "stays ≥ 0 up to 1, solved exactly on the piecewise-linear figure. Returns the text \"nås ikke (taber også ved 100 %)\" when the figure is below 0 even at 1, and \"ikke defineret\" for the investor without an investment or a required return. SI_NOEGLETAL also lists the ranges where the payer loses.",
)
def SI_BREAK_EVEN(casefil, hvem=None):
    """Den laveste fælles succesrate (0–1), hvorfra betalerens nutidsværdi (eller investorens resultat) forbliver mindst 0 op til 1; ellers teksten »nås ikke (taber også ved 100 %)« eller »ikke defineret« (ingen investering eller krav til afkast)."""
    who = io.choice("hvem", hvem, default="betaler")
    if who not in BREAK_EVEN_FOR:
        raise SIError("hvem", 'skal være "betaler", "investor" eller "investor_krav"')
    be = bc.break_evens(_case(casefil))[who]
    if be is None:  # no investment, or no required return: as SI_NOEGLETAL and the workbook show it
        return UNDEFINED
    return NONE_REACHED if be.rate is None else be.rate


@excel_function(
    args={"netto": "Årlige nettobeløb i kr. (besparelser − omkostninger − betalinger), år 0 først."},
    example="=SI_TILBAGEBETALINGSTID(B20:K20)",
    excel_equivalent="None built in; the number of years (the first year counts 1) until the running total (cumulative SUM) stays ≥ 0 to the end. Returns the text \"ikke inden for perioden\" when it never does, and \"ikke relevant (intet udlæg)\" when the running total is never below 0 (nothing to pay back).",
)
def SI_TILBAGEBETALINGSTID(netto):
    """Tilbagebetalingstiden i hele år fra start (første år = 1): efter så mange år forbliver det akkumulerede nettobeløb mindst 0; »ikke relevant (intet udlæg)«, når det aldrig er under 0."""
    years = bc.payback_years(np.array(io.vector("netto", netto)))
    return NOT_WITHIN if years is None else years


def _effect_row(deltagere, profil, succesrate, doedvaegt, frafald, forsinkelse, horisont):
    participants = io.vector("deltagere", deltagere)
    profile = np.array(io.vector("profil", profil))
    rate = io.number("succesrate", succesrate, share=True)
    dead = io.number("doedvaegt", doedvaegt, default=0.0, share=True)
    drop = io.number("frafald", frafald, default=0.0, share=True)
    for name, value in (("succesrate", rate), ("doedvaegt", dead), ("frafald", drop)):
        check_share(name, value)
    if any(p < 0 for p in participants):
        raise SIError("deltagere", "må ikke være negativ")
    lag = io.integer("forsinkelse", forsinkelse, 0, MAX_HORIZON, default=0)
    default = len(participants) + lag + len(profile) - 1
    h = io.integer("horisont", horisont, 1, MAX_HORIZON, default=min(default, MAX_HORIZON))
    with np.errstate(all="ignore"):  # overflow becomes inf/NaN, which check_result refuses
        kern = engine.kernel(profile, np.array([drop]), np.array([1.0]))
        return engine.net_rate(rate, dead) * engine.landed(np.array(participants), kern, lag, h)[0]


_EFFECT_ARGS = {
    "deltagere": "Deltagere, der starter i år 0, 1, … (række).",
    "profil": "Ændring i mængde pr. succesfuld deltager i år 1, 2, … efter afslutning (negativ = mindre forbrug).",
    "succesrate": "Andelen, der lykkes (0–1).",
}
_EFFECT_OPTIONAL = {
    "doedvaegt": "Andelen, der ville lykkes uden indsatsen, eller kontrolgruppens succesrate (0–1). Tom: 0.",
    "frafald": "Andel af effekten, der falder bort pr. år efter første år (0–1). Tom: 0.",
    "forsinkelse": "År fra afslutning til første profilår. Tom: 0.",
    "horisont": "Antal år i resultatet (højst 30). Tom: til sidste år med effekt.",
}


@excel_function(
    args={**_EFFECT_ARGS, **_EFFECT_OPTIONAL},
    example="=SI_EFFEKT(B2:D2; B5:F5; 0,35; 0,15; 0,1)",
    excel_equivalent="None built in; per year y: (succesrate − doedvaegt) × SUM over start years t of deltagere[t] × profil[y − t − forsinkelse] × (1 − frafald)^(y − t − forsinkelse). Spills one row, year 0 first.",
    spills=True,
)
def SI_EFFEKT(deltagere, profil, succesrate, doedvaegt=None, frafald=None, forsinkelse=None, horisont=None):
    """Ændringen i mængde pr. år (fx uger på ydelse) for én effekt: deltagere × nettosuccesrate × profil efter frafald."""
    return [list(map(float, _effect_row(deltagere, profil, succesrate, doedvaegt, frafald, forsinkelse, horisont)))]


@excel_function(
    args={
        **_EFFECT_ARGS,
        "enhedspris": "Pris i kr. pr. enhed for den myndighed, der spares hos (fx =SI_ENHEDSPRIS(…; \"kommune\")).",
        **_EFFECT_OPTIONAL,
    },
    example="=SI_BESPARELSE(B2:D2; B5:F5; 0,35; 2205,05; 0,15)",
    excel_equivalent="−SI_EFFEKT(…) × enhedspris: the savings of one effect for one authority, one row of kr. per year (pick a year with INDEX).",
    spills=True,
)
def SI_BESPARELSE(deltagere, profil, succesrate, enhedspris, doedvaegt=None, frafald=None, forsinkelse=None, horisont=None):
    """Besparelsen i kr. pr. år for én effekt og én myndighed: −ændring i mængde × enhedspris."""
    price = io.number("enhedspris", enhedspris)
    if price < 0:
        raise SIError("enhedspris", "må ikke være negativ")
    with np.errstate(all="ignore"):
        return [list(map(float, -_effect_row(deltagere, profil, succesrate, doedvaegt, frafald, forsinkelse, horisont) * price))]


@excel_function(
    args={
        "casefil": "Fuld sti til en case-fil med fordelinger under usikkerhed.fordelinger.",
        "antal_traek": "Antal træk. Tom: case-filens antal (standard 10.000).",
        "seed": "Startværdi for tilfældige tal; samme seed giver samme resultat. Tom: case-filens.",
    },
    example='=SI_MONTE_CARLO("C:\\cases\\ungeindsats.yaml"; 10000; 1)',
    excel_equivalent="None built in (a data table over RAND() comes closest). Spills a labelled two-column table of percentiles and probabilities.",
    spills=True,
)
def SI_MONTE_CARLO(casefil, antal_traek=None, seed=None):
    """Monte Carlo over casens usikre drivere: percentiler af betalerens og det offentliges nutidsværdi og sandsynligheder for gevinst og tab. En case uden fordelinger giver en fejl."""
    result = uncertainty.monte_carlo(
        _case(casefil),
        io.integer("antal_traek", antal_traek, 1, max_draws(), default=None),
        io.integer("seed", seed, 0, MAX_SEED, default=None),
    )
    return [[label, value] for label, value in result.summary().items()]
