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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .vocabulary import AUTHORITIES, CURRENCY, FUND, GUARANTOR, NOT_PUBLIC, NOT_WITHIN, OUTCOME_PAYERS, PARTY_WORDS, PAYERS, UNDEFINED, VIEW_FIGURES, in_currency

Unit = Literal["kr", "share", "years", "year", "ratio", "factor", "count", "text"]


@dataclass(frozen=True)
class LineItem:
    """A key figure: ``name`` (stable, ASCII), Danish ``label``, ``unit``; ``cell``: the workbook has a cell ``name``;
    ``missing``: the Danish text shown where the figure does not exist (None in the core).

    Units: ``kr`` (kr., present values and totals), ``share`` (0–1, shown as
    per cent), ``years`` (a duration in whole years), ``year`` (a calendar
    year), ``ratio`` (a plain number), ``factor`` (a discount factor, four decimals), ``count`` (a number of
    persons or draws: whole, with decimals only when it has a fraction), ``text``.
    """

    name: str
    label: str
    unit: Unit
    cell: bool = True
    missing: str = UNDEFINED
    excel: str = ""
    """A yearly line's Excel template on the standard workbook's sheet Resultat: a formula of year ``i`` over
    named ranges (``{name[i]}``, ``{name[i-1]}``); ``{eff*_…[i]}`` is the sum over the workbook's effect slots."""
    first: str | None = None
    """The template of year 0 where it differs (a running sum starts without ``[i-1]``)."""


RETURN_WORDS, RETURN_UNIT = "Samlet afkast", "i % af investeringen"
RETURN_LABEL = f"{RETURN_WORDS} ({RETURN_UNIT})"
"""The investor's total return over the contract, (payments − investment) / investment: the quantity ``afkastloft``
and ``afkastgulv`` limit, a share of the investment -- not a yearly rate (:data:`IRR_LABEL`).  The one label of it
everywhere (command line, settlement, workbook), so the two are never both just "afkast"."""
IRR_LABEL = "Investors interne rente (IRR)"
"""The investor's internal rate of return, a rate per year (compare ``investor.krav_til_afkast``): the one label of
it everywhere; not the total return (:data:`RETURN_LABEL`)."""


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
    LineItem("betalinger_i_alt", "Resultatbetalinger i alt (alle betalere)", "kr"),
    LineItem("bonus", "Investors bonus", "kr"),
    LineItem("afkast", RETURN_LABEL, "share"),
    LineItem("pengemultiplikator", "Pengemultiplikator", "ratio"),
    LineItem("investor_irr", IRR_LABEL, "share"),
    LineItem("investor_renter", "Investors interne renter", "text", cell=False),
    LineItem("break_even", "Break-even succesrate", "share"),
    LineItem("tab_intervaller", "Betaler taber ved succesrater", "text", cell=False),
    LineItem("tab_stoerst", "Største tab for betaler (nutidsværdi, succesrate fra dødvægten)", "kr"),
    LineItem("be_investor", "Break-even succesrate investor (pengene tilbage)", "share"),
    LineItem("be_investor_krav", "Break-even succesrate investor (krav til afkast)", "share"),
    LineItem("efter_betaler_kr", "Gevinster efter horisonten betaler (kr.)", "kr"),
    LineItem("efter_betaler_nv", "Gevinster efter horisonten betaler (nutidsværdi)", "kr"),
    LineItem("efter_offentlig_kr", "Gevinster efter horisonten offentlig (kr.)", "kr"),
    LineItem("efter_offentlig_nv", "Gevinster efter horisonten offentlig (nutidsværdi)", "kr"),
    LineItem("risikopulje", "Risikopulje (forventet værdi af risici)", "kr"),
    *(LineItem(f"risiko_{who}", f"Risikopulje, ejer {PARTY_WORDS[who].lower()}", "kr") for who in PAYERS),
    LineItem("risiko_betaler", "Risikopulje hos betaler", "kr"),
    LineItem("nv_betaler_efter_risiko", "Nutidsværdi netto betaler efter risikopulje", "kr"),
    LineItem("nv_offentlig_efter_risiko", "Nutidsværdi netto offentlig efter risikopulje", "kr"),
)

ITEMS: dict[str, LineItem] = {item.name: item for item in KEY_FIGURES}

_PUBLIC_GUARANTEE = "".join(f"+{{r_garanti_{a}[i]}}" for a in AUTHORITIES)
"""A public guarantor's payment in year i, whichever authority it is (the workbook's rows ``r_garanti_<authority>``)."""
_PUBLIC_NET = ("={r_bes_kommune[i]}+{r_bes_region[i]}+{r_bes_stat[i]}-{r_omk_kommune[i]}-{r_omk_region[i]}-{r_omk_stat[i]}"
               "-{r_betalinger[i]}-(" + _PUBLIC_GUARANTEE[1:] + ")")

INVESTOR_BEFORE_GUARANTEE = "Investors nettopengestrøm før garanti"
"""The investor's cash flow by the contract alone (payments − investment): the one label of that quantity in ``sibc
afregn``, ``SI_AFREGNING`` and Resultat's row ``r_investor_kontrakt``; after the guarantee it is the yearly line
``r_investor`` (:data:`INVESTOR_AFTER_GUARANTEE`)."""
INVESTOR_AFTER_GUARANTEE = "Investors nettopengestrøm efter garanti"
"""The investor's cash flow with the guarantee's payment (any guarantor's): the label of the yearly line ``r_investor``
and of ``sibc afregn``'s line of the same quantity."""

YEARLY_LINES: tuple[LineItem, ...] = (
    LineItem("r_aar", "År", "years", excel="={aar[i]}"),
    LineItem("r_kalenderaar", "Kalenderår", "year", excel="={kalenderaar[i]}"),
    LineItem("r_deltagere", "Deltagere, der starter", "count", excel="={deltagere[i]}*{i_horisont[i]}"),
    *(LineItem(f"r_omk_{p}", f"Omkostninger {p}", "kr", excel=f"={{omk_{p}[i]}}") for p in PAYERS),
    *(LineItem(f"r_bes_{a}", f"Besparelse {a}", "kr", excel=f"={{eff*_bespar_{a}[i]}}") for a in AUTHORITIES),
    LineItem("r_betalinger", "Resultatbetalinger", "kr", excel="={betalinger[i]}"),
    *(LineItem(f"r_betal_{p}", f"Resultatbetalinger {PARTY_WORDS[p].lower()}", "kr", excel=f"={{r_andel_{p}[i]}}*{{r_betalinger[i]}}")
      for p in OUTCOME_PAYERS),
    LineItem("r_netto_betaler", "Netto betaler", "kr",
             excel="={r_bes_betaler[i]}-{r_omk_betaler[i]}-{r_betal_betaler[i]}-{r_garanti_betaler[i]}"),
    LineItem("r_kum_betaler", "Netto betaler kumuleret", "kr", excel="={r_kum_betaler[i-1]}+{r_netto_betaler[i]}",
             first="={r_netto_betaler[0]}"),
    LineItem("r_netto_offentlig", "Netto offentlig", "kr", excel=_PUBLIC_NET),
    LineItem("r_kum_offentlig", "Netto offentlig kumuleret", "kr", excel="={r_kum_offentlig[i-1]}+{r_netto_offentlig[i]}",
             first="={r_netto_offentlig[0]}"),
    LineItem("r_df", "Diskonteringsfaktor", "factor", excel="={df[i]}"),
    LineItem("r_nv_betaler", "Nutidsværdi netto betaler", "kr", excel="={r_netto_betaler[i]}*{r_df[i]}"),
    LineItem("r_nv_offentlig", "Nutidsværdi netto offentlig", "kr", excel="={r_netto_offentlig[i]}*{r_df[i]}"),
    *(LineItem(f"r_netto_{a}", f"Netto {a}", "kr", excel=f"={{r_bes_{a}[i]}}-{{r_omk_{a}[i]}}-{{r_betal_{a}[i]}}-{{r_garanti_{a}[i]}}")
      for a in AUTHORITIES),
    LineItem("r_garanti", "Garantens betaling til investor", "kr", excel="=IF({i}={garanti_aar},{garanti_betaling},0)"),
    LineItem("r_investor", INVESTOR_AFTER_GUARANTEE, "kr", excel="={r_investor_kontrakt[i]}+{r_garanti[i]}"),
    LineItem(f"r_netto_{FUND}", f"Netto {PARTY_WORDS[FUND].lower()}", "kr", excel=f"=-{{r_betal_{FUND}[i]}}"),
    LineItem(f"r_netto_{GUARANTOR}", f"Netto {PARTY_WORDS[GUARANTOR].lower()}", "kr",
             excel=f'=IF({{garanti_myndighed}}="{NOT_PUBLIC}",-{{r_garanti[i]}},0)'),
)
"""The lines of the year-by-year table, in its column order, each defined once: ``name`` is the row of the
standard workbook's sheet Resultat that holds the line, ``label`` the column header of ``SI_BUSINESS_CASE`` and
``sibc calc``, ``excel`` the row's formula (its number format follows its unit) (laid out by
``workbooks.standard.sheet_results``).  ``r_garanti`` is the guarantee's payment to the investor (any guarantor's, in
the contract's settlement year, :attr:`udfs.core.case_model.Case.settlement_year`; 0 in every year without a guarantee): a line of every case, so the table, its CSV and JSON
have the same columns whether a case has a guarantee or not, and a party's net that holds it is explained by it.  Each line's numpy column is
:data:`udfs.core.businesscase.YEARLY_COLUMNS`, keyed by the same name.  The parties' nets by year
(``r_netto_<authority>``, ``r_investor``, ``r_netto_fond``, ``r_netto_garant``) are
:attr:`udfs.core.engine.Result.net_by_party`, with the guarantee's payment (``r_garanti``; a public guarantor's share by
authority in the workbook's helper rows ``r_garanti_<authority>``, :attr:`udfs.core.engine.Result.public_guarantee`)."""

PARTY_NET_LINES: tuple[str, ...] = (*(f"r_netto_{a}" for a in AUTHORITIES), "r_investor", f"r_netto_{FUND}", f"r_netto_{GUARANTOR}")
"""The yearly line of each party's net, in the order of :data:`~udfs.core.vocabulary.PARTIES`."""

AUTHORITY_LINES: tuple[tuple[str, str], ...] = (
    ("omk", "Omkostninger i alt"),
    ("bes", "Besparelser i alt"),
    ("betal", "Resultatbetalinger og garanti (+ modtaget, − betalt)"),
    ("netto", "Netto i alt"),
    ("nv", "Nutidsværdi netto"),
)
"""The columns of the who-pays-who-gains table (the standard workbook's sheet Overblik): suffix and label."""

AUTHORITY_FIGURES: tuple[LineItem, ...] = tuple(LineItem(f"myn_{k}", label, "kr") for k, label in AUTHORITY_LINES)
"""Who pays and who gains over the horizon (kr.): each figure is a list by :data:`~udfs.core.vocabulary.PARTIES`
(kommune, region, stat, investor, central resultatfond, privat garant), in the column of the same name of the table on the standard workbook's
sheet Overblik.  Values: :func:`udfs.core.businesscase.authority_figures`."""

YEARLY: dict[str, LineItem] = {item.name: item for item in YEARLY_LINES}


def view_names(visning: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The key figures and the yearly lines of a case's view (``visning``, :data:`~udfs.core.vocabulary.VIEW_FIGURES`),
    by name: for ``offentlig`` ``(("nv_offentlig", "tilbage_offentlig", "tilbage_offentlig_aar",
    "nv_offentlig_efter_risiko"), ("r_netto_offentlig", "r_kum_offentlig", "r_nv_offentlig"))``; for ``kommune`` the
    same of ``betaler``."""
    who = VIEW_FIGURES[visning]
    return ((f"nv_{who}", f"tilbage_{who}", f"tilbage_{who}_aar", f"nv_{who}_efter_risiko"),
            (f"r_netto_{who}", f"r_kum_{who}", f"r_nv_{who}"))


def view_first(names: Sequence[str], visning: str) -> list[str]:
    """``names`` (key figures) with the present value the case's view heads with (the first of :func:`view_names`:
    ``nv_offentlig`` for ``offentlig``, ``nv_betaler`` for ``kommune``) first, the rest in their order: the order of
    ``sibc calc``'s headline and key figures and of Overblik's key figures.

    >>> view_first(["nv_betaler", "nv_offentlig", "break_even"], "offentlig")
    ['nv_offentlig', 'nv_betaler', 'break_even']
    """
    head = view_names(visning)[0][0]
    return sorted(names, key=lambda name: name != head)


MAX_COST_MARKUP = 2.0
"""The highest optimism mark-up on costs accepted (200 %), in a case file (``optimisme.omkostninger``) and the
workbook's cell *Optimismetillæg på offentlige omkostninger* (its data validation and the reader); above it, a value is refused with how to type a per cent.

Why 200 % and not 100 % (the other shares' 1): a mark-up above 100 % is legitimate -- HM Treasury's *Green
Book: supplementary guidance on optimism bias* (2003, from Mott MacDonald 2002), table 1, gives upper bounds
of the capital-expenditure mark-up up to 200 % (equipment/development) for the earliest stage of an appraisal
-- so a mark-up between 100 % and 200 % is warned of, not refused (:mod:`udfs.core.plausibility`: the user
trial's economists work with 0–100 %, as 10 typed for 10 % is the usual slip).  Above 200 % is above every
published starting value: 10 (1.000 %) is nearly always 10 % typed as a whole number, so it is refused."""


def labelled(figures: Mapping[str, Any], currency: str = CURRENCY, labels: Mapping[str, str] | None = None) -> list[tuple[str, Any]]:
    """(Danish label, value) pairs of figures keyed by name, in their order; a figure that does not exist
    (None) shows its item's ``missing`` text.  ``currency``: the case's, named where a label names the unit;
    ``labels`` as :func:`figure_label`'s."""
    return [(figure_label(name, currency, labels), ITEMS[name].missing if value is None else value) for name, value in figures.items()]


def figure_label(name: str, currency: str = CURRENCY, labels: Mapping[str, str] | None = None) -> str:
    """The Danish label of the key figure ``name``; a label naming the unit (*Gevinster efter horisonten betaler
    (kr.)*) names the case's ``currency`` (:func:`~udfs.core.vocabulary.in_currency`).  ``labels``: labels that depend
    on the case (:func:`udfs.core.businesscase.case_labels`: the deadweight the largest loss is sought from)."""
    return in_currency((labels or {}).get(name, ITEMS[name].label), currency)
