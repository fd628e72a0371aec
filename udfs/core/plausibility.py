"""Warnings about inputs that are possible but implausible: said aloud, never refused.

* A success rate below the deadweight (or the control group's rate) gives a negative net success rate
  (:func:`udfs.core.engine.net_rate`): the effect then costs instead of saving.  A harmful intervention is
  possible, so the case still calculates, but a typing error (deadweight and success rate swapped) is far
  more likely, and the user is told.
* An optimism mark-up on costs above :data:`OPTIMISM_COST_CEILING` (100 %; above 200 % it is refused,
  :data:`udfs.core.lineitems.MAX_COST_MARKUP`).  Source: HM Treasury, *The Green Book: supplementary
  guidance -- optimism bias* (2003, from Mott MacDonald's *Review of Large Public Procurement in the UK*,
  2002), table 1: the upper bounds of the capital-expenditure mark-up run from 24 % (standard buildings) to
  66 % (non-standard civil engineering) and 200 % (equipment/development), and the operating-expenditure
  mark-up of outsourcing projects is 41 %; those upper bounds are meant for the earliest stage of an
  appraisal.  The Danish state's business-case guidance (Digitaliseringsstyrelsen, *Vejledning til statens
  business case-model*) asks for risks and three-point estimates rather than a fixed mark-up and gives no
  figure; the economists of the user trial work with 0–100 %.  A mark-up above 100 % (the costs more than
  doubled) is above every upper bound but equipment/development's, and a social intervention is no
  equipment project -- most often 1,5 typed for 1,5 % -- so it is said aloud; it still calculates.
* A deduction of 100 % from the gains removes every saving.
* More participants in all (the case's, or an effect's own) than :data:`POPULATION`, Denmark's population:
  most often an amount typed into the participants.
* A guarantee (``garanti.beloeb``) larger than the investor's investment: the guarantor pays at most the
  investment minus the payments (:func:`udfs.core.guarantee.guarantee_payment`), so the cover above the
  investment is never paid.  Hand case: cover 5.000.000 kr. on an investment of 2.000.000 kr.
* A return floor (``afkastgulv``) that lifts the payments to the investor above the contract's cap on all payments
  (``betalingsmodel.loft_kontrakt``): the floor tops up after the cap (:func:`udfs.core.settlement.limit_returns`),
  so the contract pays more than its cap.
* A case starting after the new kontanthjælp of 1 July 2025 (``startaar`` 2026 or later: year 0 is a calendar
  year, so a start in 2025 may lie before it) whose effect prices a week of kontanthjælp or uddannelseshjælp at
  the rates before it (a catalogue row whose ``regelsaet`` is :data:`OLD_RULES`); the new rules' rates (``regelsaet``
  :data:`NEW_RULES`, ``ydelsesdel`` ``sats``: :class:`udfs.core.data.CatalogueCost`) are named.

Each warning is ``(field, Danish message)`` with the case-file field path (``effekter[0].succesrate``),
numbered for the user as the workbook numbers effects (:func:`udfs.core.casefile.numbered_field`).
The workbook shows the same warnings by formula (``workbooks.standard.plausibility_formula``).
"""

from __future__ import annotations

import math
from typing import get_args

from .case_model import Case
from .checks import format_number
from .danish_numbers import fixed
from .data import BenefitPart, RuleSet, catalogue
from .engine import net_rate, run
from .settlement import Settlement
from .vocabulary import PAYERS, in_currency, number_words

OPTIMISM_COST_CEILING = 1.0
"""The highest optimism mark-up on costs without a warning (100 %; see the module note)."""

SOURCE = "HM Treasury, Green Book: supplementary guidance on optimism bias, tabel 1"
"""The source named in the warning about the optimism mark-up."""

POPULATION = 5_961_249
"""Denmark's population on 1 January 2024: Danmarks Statistik, statistikbanken.dk table FOLK1A (Befolkningen den 1. i
kvartalet, 2024K1, hele landet).  More participants than this in all is warned about."""
POPULATION_SOURCE = "Danmarks Statistik, FOLK1A, 1. januar 2024"
"""The source named in the warning about the number of participants."""


def whole(n: float) -> str:
    """A count as Danish text: 40000000 → ``40.000.000``."""
    return fixed(n, 0)


def percent(x: float) -> str:
    """A share as Danish per cent text: 0.125 → ``12,5 %``."""
    return fixed(x * 100, 1, thousands=False).rstrip("0").rstrip(",") + " %"


NEGATIVE_NET = ("succesraten ({success}) er under {what} ({deadweight}): nettosuccesraten er negativ ({net}), så effekten "
                "giver merudgifter i stedet for besparelser. Er succesrate og dødvægt byttet om?")
HIGH_MARKUP = ("optimismetillægget på omkostningerne er {markup}, over 100 % -- over alle øvre grænser i {source} "
               "undtagen udstyr og udvikling (200 %). Et tillæg på {typed} % skrives {share}")
ALL_GAINS = "fradraget på 100 % fjerner alle gevinster"
MANY_PARTICIPANTS = ("deltagerne er {count} i alt, flere end Danmarks befolkning ({population}, {source}). "
                     "Er et beløb skrevet som antal?")


BIG_GUARANTEE = ("garantiens dækning ({cover}) er større end investors investering ({investment}). Garanten betaler "
                 "aldrig mere end investeringen minus betalingerne, så dækningen ud over investeringen kommer aldrig i brug")
FLOOR_OVER_CAP = ("afkastgulvet ({floor}) løfter betalingerne til investor til {total} i alt, over kontraktens loft "
                  "(loft_kontrakt {cap}): gulvet betaler {over} ud over loftet. Gælder loftet også gulvet, så sæt "
                  "afkastgulvet ned")
OLD_RULES, NEW_RULES = get_args(RuleSet)
"""The ``regelsaet`` of a catalogue row priced by the rules before the new kontanthjælp of 1 July 2025
(``foer_1_7_2025``), and of a row of the new kontanthjælp from that day (``fra_1_7_2025``)."""
RATE = get_args(BenefitPart)[0]
"""The ``ydelsesdel`` of a catalogue row that prices a benefit's rate (``sats``; not a supplement on top of it)."""
NEW_RULES_YEAR = 2026
"""The first ``startaar`` whose year 0 lies wholly after 1 July 2025."""
OLD_RULE_PRICE = ("enhedsprisen '{id}' ({name}) er satsen efter reglerne før 1. juli 2025, men casen starter i {start}, "
                  "efter den nye kontanthjælp. Overvej satserne fra 1. juli 2025 (som egen pris med fordeling på kommune og stat, "
                  "som kataloget ikke kender): {new}")


def amount(value: float, currency: str) -> str:
    """An amount as Danish text in the case's currency: 5000000 → ``5.000.000 kr.``."""
    return in_currency(f"{whole(value)} kr.", currency)


def new_rule_rates() -> list[str]:
    """The catalogue's rates of the new kontanthjælp (``regelsaet`` :data:`NEW_RULES`, ``ydelsesdel`` :data:`RATE`:
    its rates, not its supplements), in catalogue order."""
    return [u.id for u in catalogue().values() if u.regelsaet == NEW_RULES and u.ydelsesdel == RATE]


def old_rule_prices(case: Case) -> list[tuple[str, str]]:
    """Each effect of a case starting from :data:`NEW_RULES_YEAR` priced by a catalogue row of the old rules
    (``regelsaet`` :data:`OLD_RULES`, not overridden by an own price of the same id): ``(field, message)``."""
    if case.startaar is None or case.startaar < NEW_RULES_YEAR:
        return []
    rows, own = catalogue(), case.own_prices()
    new = ", ".join(new_rule_rates())
    return [(f"effekter[{k}].enhedspris", OLD_RULE_PRICE.format(id=e.enhedspris, name=rows[e.enhedspris].navn, start=case.startaar, new=new))
            for k, e in enumerate(case.effekter)
            if e.enhedspris not in own and e.enhedspris in rows and rows[e.enhedspris].regelsaet == OLD_RULES]


def guarantee_warning(case: Case) -> list[tuple[str, str]]:
    """:data:`BIG_GUARANTEE` when ``garanti.beloeb`` exceeds the investor's investment (the engine's, as settled)."""
    g = case.garanti
    if g is None or g.beloeb is None:
        return []
    investment = float(run(case).investment[0].sum())
    if g.beloeb <= investment:
        return []
    return [("garanti.beloeb", BIG_GUARANTEE.format(cover=amount(g.beloeb, case.valuta), investment=amount(investment, case.valuta)))]


def floor_over_cap(case: Case, settlement: Settlement | None = None) -> list[tuple[str, str]]:
    """:data:`FLOOR_OVER_CAP` when the case's settlement (``settlement``: one settled on other payments) pays more
    than ``betalingsmodel.loft_kontrakt`` because of ``afkastgulv``; [] otherwise."""
    model = case.betalingsmodel
    cap = None if model is None else model.loft_kontrakt
    if case.afkastgulv is None or cap is None:
        return []
    if settlement is None:
        from .published import settle_case  # published builds on the engine and the guarantee, not on this module

        if float(run(case).investment[0].sum()) <= 0:
            return []
        settlement = settle_case(case)
    total = settlement.total_payments
    if total <= cap + 0.005 or total <= math.fsum(settlement.payments_before_limits) + 0.005:
        return []
    money = lambda v: amount(v, case.valuta)  # noqa: E731
    return [("afkastgulv", FLOOR_OVER_CAP.format(floor=percent(case.afkastgulv), total=money(total), cap=money(cap),
                                                 over=money(total - cap)))]


def plausibility_warnings(case: Case) -> list[tuple[str, str]]:
    """The case's implausible inputs (see the module note), in the order of the case file."""
    out = []
    many = lambda n: MANY_PARTICIPANTS.format(count=whole(n), population=whole(POPULATION), source=POPULATION_SOURCE)  # noqa: E731
    if sum(case.deltagere) > POPULATION:
        out.append(("deltagere", many(sum(case.deltagere))))
    for k, effect in enumerate(case.effekter):
        if effect.deltagere is not None and sum(effect.deltagere) > POPULATION:
            out.append((f"effekter[{k}].deltagere", many(sum(effect.deltagere))))
        net = net_rate(effect.succesrate, effect.deadweight)
        if net < 0:
            what = "kontrolgruppens succesrate" if effect.kontrolgruppe is not None else "dødvægten"
            out.append((f"effekter[{k}].succesrate", NEGATIVE_NET.format(
                success=percent(effect.succesrate), what=what, deadweight=percent(effect.deadweight), net=percent(net))))
    out += old_rule_prices(case)
    if case.optimisme.omkostninger > OPTIMISM_COST_CEILING:
        markup = case.optimisme.omkostninger
        out.append(("optimisme.omkostninger", HIGH_MARKUP.format(markup=percent(markup), source=SOURCE, typed=format_number(markup),
                                                                 share=format_number(markup / 100))))
    if case.optimisme.gevinster >= 1:
        out.append(("optimisme.gevinster", ALL_GAINS))
    model = case.betalingsmodel
    for k, metric in enumerate(model.resultatmaal if model is not None else []):
        links = case.maaling.get(metric.id, [])
        on_savings = any(link.maal == "besparelse" for link in (links if isinstance(links, list) else [links]))
        if on_savings and metric.til_aar is None and metric.aar < case.horisont - 1:
            out.append((f"betalingsmodel.resultatmaal[{k}].til_aar", LATER_SAVINGS.format(
                id=metric.id, year=metric.aar, later=f"{metric.aar + 1}–{case.horisont - 1}")))
    for k, risk in enumerate(case.risici):
        owner = risk.ejer.strip()
        if owner and owner.lower() not in PAYERS:
            out.append((f"risici[{k}].ejer", UNKNOWN_OWNER.format(owner=owner, payer=case.betaler)))
    return out + floor_over_cap(case) + guarantee_warning(case)


LATER_SAVINGS = ("resultatmål '{id}' betales i år {year} af besparelserne over hele horisonten, også årene efter ({later}), "
                 "der ikke er målt endnu. Betales der af de realiserede besparelser, så skriv til_aar (betaling hvert år)")
"""A payment on savings made once, in its year, but measured on the savings of the whole horizon: the engine sums the
savings of every year (:func:`udfs.core.engine.achieved`); a contract that pays on realised savings pays every year
(``til_aar``)."""

UNKNOWN_OWNER = ("ejeren '{owner}' er ikke kommune, region, stat eller investor, så risikoens forventede værdi regnes "
                 "til betaleren ({payer}). Skriv en af de fire, hvis en anden part bærer risikoen")
"""A risk whose owner is none of the parties (``Investoren``, a department, a supplier): its expected value counts as
the payer's (:func:`udfs.core.businesscase.risk_owner`; the sheet Risici's SUMIF over Ejer does the same)."""


OWN_PRICE_NO_SOURCE = "Mangler kilde: skriv udgiver og dokument"
"""An own price's check (Enhedspriser, column Kontrol) when its source (publisher, document) is missing."""
OWN_PRICE_NO_DERIVATION = "Mangler udledning: skriv hvordan beløbet er fundet"
"""An own price's check when its derivation (``note``, the column Udledning) is empty: the case still calculates."""
OWN_PRICE_OK = "OK"
OWN_PRICE_CHANGED = ("Beløbet er ændret fra {bygget} kr. til {nu} kr., efter udledningen blev skrevet: ret udledningen, "
                     "så den fører til det nye beløb")
"""An own price's check when its amount differs from the amount the workbook was built with while its derivation is the
text it was built with (:func:`own_price_changed`): the derivation explains another amount.  ``{bygget}`` and ``{nu}``
are the amounts as :func:`~udfs.core.vocabulary.number_words` writes them."""


def own_price_changed(built: object, now: object, built_derivation: object, derivation: object) -> str:
    """:data:`OWN_PRICE_CHANGED` for an own price whose amount ``now`` differs from the amount ``built`` (both numbers)
    while its derivation (not empty) is still ``built_derivation``, the text written beside the built amount; "" otherwise.

    The one rule of a derivation left behind by a changed amount: the workbook's Kontrol of the row says the same by
    formula (``workbooks.standard.own_price_changed_excel``), ``sibc extract`` and ``sibc check`` say it from the cells.
    A derivation changed together with the amount is taken as rewritten for it; an empty one is already flagged
    (:data:`OWN_PRICE_NO_DERIVATION`); a row without a built amount (typed into a spare row) has nothing to compare."""
    numbers = all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in (built, now))
    text = lambda x: "" if x is None else str(x)  # noqa: E731 - an empty cell reads as None
    if not numbers or math.isclose(now, built, rel_tol=1e-12, abs_tol=1e-9) or text(derivation) == "":  # type: ignore[arg-type]
        return ""
    if text(derivation) != text(built_derivation):
        return ""
    return OWN_PRICE_CHANGED.format(bygget=number_words(built), nu=number_words(now))  # type: ignore[arg-type]


def own_price_warnings(case: Case) -> list[tuple[str, str]]:
    """Each own price without a derivation (:func:`own_price_derivation` empty): ``(field, message)``, the message the
    workbook's check of that row shows (``workbooks.standard.own_items``, column Kontrol).  A missing source is
    refused when the case is read (:class:`udfs.core.data.UnitCost`), so only the derivation is left to warn
    about."""
    return [(f"egne_priser[{k}].note", OWN_PRICE_NO_DERIVATION)
            for k in range(len(case.egne_priser)) if not own_price_derivation(case, k)]


def own_price_derivation(case: Case, k: int) -> str:
    """How own price ``k``'s amount was found: its ``note``, else the assumption written beside the amount
    (``beloeb: {vaerdi: …, antagelse: …}``, :mod:`udfs.core.sourced`), else ''.  The workbook's column Udledning
    shows it (``workbooks.standard.values_for``) and its Kontrol checks it."""
    note = str(case.egne_priser[k].get("note") or "").strip()
    annotation = case.kilder.get(f"egne_priser[{k}].beloeb")
    return note or (annotation.antagelse or "" if annotation is not None else "")
