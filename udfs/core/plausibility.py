"""Warnings about inputs that are possible but implausible: said aloud, never refused.

* A success rate below the deadweight (or the control group's rate) gives a negative net success rate
  (:func:`udfs.core.engine.net_rate`): the effect then costs instead of saving.  A harmful intervention is
  possible, so the case still calculates, but a typing error (deadweight and success rate swapped) is far
  more likely, and the user is told.
* An optimism mark-up on costs above :data:`OPTIMISM_COST_CEILING`.  Source: HM Treasury, *The Green Book:
  supplementary guidance -- optimism bias* (2003, from Mott MacDonald's *Review of Large Public Procurement
  in the UK*, 2002), table 1: the upper bounds of the capital-expenditure mark-up run from 24 % (standard
  buildings) to 200 % (equipment/development), and the operating-expenditure mark-up of outsourcing
  projects is 41 %; those upper bounds are meant for the earliest stage of an appraisal.  The Danish state's
  business-case guidance (Digitaliseringsstyrelsen, *Vejledning til statens business case-model*) asks for
  risks and three-point estimates rather than a fixed mark-up and gives no figure.  A mark-up above 200 %
  is therefore above every published starting value -- most often 10 typed for 0,1 (10 %).
* A deduction of 100 % from the gains removes every saving.

Each warning is ``(field, Danish message)`` with the case-file field path (``effekter[0].succesrate``),
numbered for the user as the workbook numbers effects (:func:`udfs.core.casefile.numbered_field`).
The workbook shows the same warnings by formula (``workbooks.standard.plausibility_formula``).
"""

from __future__ import annotations

from .case_model import Case
from .danish_numbers import fixed
from .engine import net_rate

OPTIMISM_COST_CEILING = 2.0
"""The highest optimism mark-up on costs without a warning (200 %, the Green Book's highest upper bound)."""

SOURCE = "HM Treasury, Green Book: supplementary guidance on optimism bias, tabel 1"
"""The source named in the warning about the optimism mark-up."""


def percent(x: float) -> str:
    """A share as Danish per cent text: 0.125 → ``12,5 %``."""
    return fixed(x * 100, 1, thousands=False).rstrip("0").rstrip(",") + " %"


NEGATIVE_NET = ("succesraten ({success}) er under {what} ({deadweight}): nettosuccesraten er negativ ({net}), så effekten "
                "giver merudgifter i stedet for besparelser. Er succesrate og dødvægt byttet om?")
HIGH_MARKUP = ("optimismetillægget på omkostningerne er {markup}, over 200 % -- den højeste øvre grænse i {source}. "
               "Et tillæg på 10 % skrives 0,1")
ALL_GAINS = "fradraget på 100 % fjerner alle gevinster"


def plausibility_warnings(case: Case) -> list[tuple[str, str]]:
    """The case's implausible inputs (see the module note), in the order of the case file."""
    out = []
    for k, effect in enumerate(case.effekter):
        net = net_rate(effect.succesrate, effect.deadweight)
        if net < 0:
            what = "kontrolgruppens succesrate" if effect.kontrolgruppe is not None else "dødvægten"
            out.append((f"effekter[{k}].succesrate", NEGATIVE_NET.format(
                success=percent(effect.succesrate), what=what, deadweight=percent(effect.deadweight), net=percent(net))))
    if case.optimisme.omkostninger > OPTIMISM_COST_CEILING:
        out.append(("optimisme.omkostninger", HIGH_MARKUP.format(markup=percent(case.optimisme.omkostninger), source=SOURCE)))
    if case.optimisme.gevinster >= 1:
        out.append(("optimisme.gevinster", ALL_GAINS))
    return out


OWN_PRICE_NO_SOURCE = "Mangler kilde: skriv udgiver og dokument"
"""An own price's check (Enhedspriser, column Kontrol) when its source (publisher, document) is missing."""
OWN_PRICE_NO_DERIVATION = "Mangler udledning: skriv hvordan beløbet er fundet"
"""An own price's check when its derivation (``note``, the column Udledning) is empty: the case still calculates."""
OWN_PRICE_OK = "OK"


def own_price_warnings(case: Case) -> list[tuple[str, str]]:
    """Each own price without a derivation (``egne_priser[k].note`` empty): ``(field, message)``, the message the
    workbook's check of that row shows (``workbooks.standard.own_items``, column Kontrol).  A missing source is
    refused when the case is read (:class:`udfs.core.data.UnitCost`), so only the derivation is left to warn
    about."""
    return [(f"egne_priser[{k}].note", OWN_PRICE_NO_DERIVATION)
            for k, row in enumerate(case.egne_priser) if not str(row.get("note") or "").strip()]
