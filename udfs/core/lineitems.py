"""The key figures of a business case as line items: one definition each, keyed by a stable name.

A :class:`LineItem` gives a figure's stable name (Danish in ASCII; also the
name of the standard workbook's cell that holds it, when there is one), its
Danish label (what users read: ``SI_NOEGLETAL``, ``sibc calc``) and its
unit, which decides how it is shown.  :func:`udfs.core.businesscase.key_figures`
returns the figures keyed by name in the order of :data:`KEY_FIGURES`; the
Excel function, the command line and the workbook check look them up by name,
never by label.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .vocabulary import AUTHORITIES, NOT_WITHIN, PAYERS, UNDEFINED

Unit = Literal["kr", "share", "years", "year", "ratio", "text"]


@dataclass(frozen=True)
class LineItem:
    """A key figure: ``name`` (stable, ASCII), Danish ``label``, ``unit``; ``cell``: the workbook has a cell ``name``;
    ``missing``: the Danish text shown where the figure does not exist (None in the core).

    Units: ``kr`` (kr., present values and totals), ``share`` (0–1, shown as
    per cent), ``years`` (a duration in whole years), ``year`` (a calendar
    year), ``ratio`` (a plain number), ``text``.
    """

    name: str
    label: str
    unit: Unit
    cell: bool = True
    missing: str = UNDEFINED


KEY_FIGURES: tuple[LineItem, ...] = (
    LineItem("nv_betaler", "Nutidsværdi netto betaler", "kr"),
    LineItem("nv_offentlig", "Nutidsværdi netto offentlig", "kr"),
    LineItem("tilbage_betaler", "Tilbagebetalingstid betaler (antal år fra start)", "years", missing=NOT_WITHIN),
    LineItem("tilbage_betaler_aar", "Tilbagebetalt i kalenderår betaler", "year", missing=NOT_WITHIN),
    LineItem("tilbage_offentlig", "Tilbagebetalingstid offentlig (antal år fra start)", "years", missing=NOT_WITHIN),
    LineItem("tilbage_offentlig_aar", "Tilbagebetalt i kalenderår offentlig", "year", missing=NOT_WITHIN),
    LineItem("bcr_betaler", "Benefit-cost-ratio betaler", "ratio"),
    LineItem("roi_betaler", "Afkast (ROI) betaler", "share"),
    LineItem("investering", "Investering (investor)", "kr"),
    LineItem("betalinger_i_alt", "Resultatbetalinger i alt", "kr"),
    LineItem("bonus", "Investors bonus", "kr"),
    LineItem("afkast", "Afkast af investering", "share"),
    LineItem("pengemultiplikator", "Pengemultiplikator", "ratio"),
    LineItem("investor_irr", "Investors IRR", "share"),
    LineItem("investor_renter", "Investors interne renter", "text", cell=False),
    LineItem("break_even", "Break-even succesrate", "share"),
    LineItem("tab_intervaller", "Betaler taber ved succesrater", "text", cell=False),
    LineItem("tab_stoerst", "Største tab for betaler (nutidsværdi)", "kr"),
    LineItem("be_investor", "Break-even succesrate investor (pengene tilbage)", "share"),
    LineItem("be_investor_krav", "Break-even succesrate investor (krav til afkast)", "share"),
    LineItem("efter_betaler_kr", "Gevinster efter horisonten betaler (kr.)", "kr"),
    LineItem("efter_betaler_nv", "Gevinster efter horisonten betaler (nutidsværdi)", "kr"),
    LineItem("efter_offentlig_kr", "Gevinster efter horisonten offentlig (kr.)", "kr"),
    LineItem("efter_offentlig_nv", "Gevinster efter horisonten offentlig (nutidsværdi)", "kr"),
    LineItem("risikopulje", "Risikopulje (forventet værdi af risici)", "kr"),
    LineItem("nv_betaler_efter_risiko", "Nutidsværdi netto betaler efter risikopulje", "kr"),
    LineItem("nv_offentlig_efter_risiko", "Nutidsværdi netto offentlig efter risikopulje", "kr"),
)

ITEMS: dict[str, LineItem] = {item.name: item for item in KEY_FIGURES}

YEARLY_LINES: tuple[LineItem, ...] = (
    LineItem("r_aar", "År", "years"),
    LineItem("r_kalenderaar", "Kalenderår", "year"),
    LineItem("r_deltagere", "Deltagere, der starter", "ratio"),
    *(LineItem(f"r_omk_{p}", f"Omkostninger {p}", "kr") for p in PAYERS),
    *(LineItem(f"r_bes_{a}", f"Besparelse {a}", "kr") for a in AUTHORITIES),
    LineItem("r_betalinger", "Resultatbetalinger", "kr"),
    LineItem("r_netto_betaler", "Netto betaler", "kr"),
    LineItem("r_kum_betaler", "Netto betaler kumuleret", "kr"),
    LineItem("r_netto_offentlig", "Netto offentlig", "kr"),
    LineItem("r_kum_offentlig", "Netto offentlig kumuleret", "kr"),
    LineItem("r_df", "Diskonteringsfaktor", "ratio"),
    LineItem("r_nv_betaler", "Nutidsværdi netto betaler", "kr"),
    LineItem("r_nv_offentlig", "Nutidsværdi netto offentlig", "kr"),
)
"""The lines of the year-by-year table, in its column order: ``name`` is the row of the standard
workbook's sheet Resultat that holds the line (its Excel template is there, keyed by this name),
``label`` the column header of ``SI_BUSINESS_CASE`` and ``sibc calc``.  Each line's numpy
column is :data:`udfs.core.businesscase.YEARLY_COLUMNS`, keyed by the same name."""

AUTHORITY_LINES: tuple[tuple[str, str], ...] = (
    ("omk", "Omkostninger i alt"),
    ("bes", "Besparelser i alt"),
    ("betal", "Resultatbetalinger (+ modtaget, − betalt)"),
    ("netto", "Netto i alt"),
    ("nv", "Nutidsværdi netto"),
)
"""The columns of the who-pays-who-gains table (the standard workbook's sheet Overblik): suffix and label."""

AUTHORITY_FIGURES: tuple[LineItem, ...] = tuple(LineItem(f"myn_{k}", label, "kr") for k, label in AUTHORITY_LINES)
"""Who pays and who gains over the horizon (kr.): each figure is a list by :data:`~udfs.core.vocabulary.PAYERS`
(kommune, region, stat, investor), in the column of the same name of the table on the standard workbook's
sheet Overblik.  Values: :func:`udfs.core.businesscase.authority_figures`."""

YEARLY: dict[str, LineItem] = {item.name: item for item in YEARLY_LINES}


def labelled(figures: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(Danish label, value) pairs of figures keyed by name, in their order; a figure that does not exist
    (None) shows its item's ``missing`` text."""
    return [(ITEMS[name].label, ITEMS[name].missing if value is None else value) for name, value in figures.items()]
