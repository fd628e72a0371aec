"""The project's shared words and tolerances, defined once.

Authorities and payers (the values a case file and the workbook use), the
Danish standard texts a figure shows where it has no number, and the
tolerances by which numbers are compared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any, Literal

from .danish_numbers import round_half_away

Authority = Literal["kommune", "region", "stat"]
AUTHORITIES: tuple[str, ...] = ("kommune", "region", "stat")
"""The public authorities that pay and save, in the order of every table (kommune, region, stat)."""
Payer = Literal["kommune", "region", "stat", "investor"]
PAYERS: tuple[str, ...] = (*AUTHORITIES, "investor")
"""Who can pay an intervention's costs: an authority, or the investor who pre-finances it."""
FUND = "fond"
"""A central outcomes fund (resultatfond) that tops up a share of the outcome payments (as the UK Life Chances Fund)."""
OutcomePayer = Literal["kommune", "region", "stat", "fond"]
OUTCOME_PAYERS: tuple[str, ...] = (*AUTHORITIES, FUND)
"""Who can pay outcome payments: an authority or a central outcomes fund (``betalingsmodel.betalere``)."""
GUARANTOR = "garant"
"""A private guarantor (``garanti.myndighed`` ``ingen``, a foundation, say) as a party: its payment to the investor is its
net (−).  A public guarantor's payment is in its authority's net instead, so this party's net is then 0."""
PARTIES: tuple[str, ...] = (*PAYERS, FUND, GUARANTOR)
"""Every party whose net a case reports, in the order of every table by party: the authorities, the investor,
the outcomes fund, a private guarantor (after the first four, which keep the order of :data:`PAYERS`)."""
PARTY_WORDS: dict[str, str] = {"kommune": "Kommune", "region": "Region", "stat": "Stat", "investor": "Investor",
                               FUND: "Central resultatfond", GUARANTOR: "Garant (privat)"}
"""Each party as the workbook, the Excel functions and the command line name it."""

CURRENCY = "DKK"
"""The currency of a case's amounts when the case names none (``valuta``; ISO 4217 code)."""


def currency_word(code: str) -> str:
    """How an amount's unit is shown for the currency ``code``: ``kr.`` for Danish kroner, else the ISO 4217 code.

    The one definition of the unit in a text: :func:`in_currency` (labels, headings, help texts, number formats and
    formulas of the workbook, labels of the command line) and :func:`amount_unit` use it.

    >>> currency_word("DKK"), currency_word("USD")
    ('kr.', 'USD')
    """
    return "kr." if code == CURRENCY else code


_KR = re.compile(r"(?<![\w.])kr\.")
"""``kr.`` as a word of its own (not the end of ``dkr.``), in a text, a number format (``"kr."``) or a formula."""


def in_currency(text: str, code: str) -> str:
    """``text`` written for kroner (a label, heading or help text, a number format ``#,##0 "kr."``, an axis title, a
    formula's text) with each ``kr.`` naming the unit of an amount in the currency ``code`` (:func:`currency_word`).

    A text about the catalogue's prices, which are Danish kroner whatever the case's currency, is not passed here
    (the workbook's Katalog sheet: :attr:`workbooks.layout.Sheet.in_kroner`).

    >>> in_currency("Garantiens dækning (kr.)", "USD"), in_currency('#,##0 "kr."', "EUR"), in_currency("mio. kr.", "DKK")
    ('Garantiens dækning (USD)', '#,##0 "EUR"', 'mio. kr.')
    """
    word = currency_word(code)
    if word == "kr." or "kr." not in text:
        return text
    return _KR.sub(word, text)


CURRENCY_ALIASES = {"kr": "DKK", "kr.": "DKK", "dkr": "DKK", "dkr.": "DKK", "krone": "DKK", "kroner": "DKK",
                    "euro": "EUR", "dollar": "USD", "pund": "GBP"}
"""Words a Dane may write for a currency, answered with its code in the message (never taken silently)."""


def check_currency(value: object, argument: str = "valuta") -> str:
    """``value`` as an ISO 4217 currency code (upper case, spaces dropped), or a Danish
    :class:`~udfs.core.errors.SIError` naming ``argument``.

    The list of codes is Babel's (the Unicode CLDR's), so historic and fund codes count too.

    >>> check_currency(" usd ")
    'USD'
    """
    from babel.numbers import list_currencies  # only a case naming a currency needs it

    from .errors import SIError, did_you_mean, excerpt

    if not isinstance(value, str) or not value.strip():
        raise SIError(argument, "skal være en valutakode (ISO 4217), fx DKK, EUR eller USD")
    code = "".join(value.split()).upper()
    known = list_currencies()
    if code not in known:
        near = did_you_mean(code, sorted(known), CURRENCY_ALIASES)
        raise SIError(argument, f"'{excerpt(value)}' er ikke en valutakode (ISO 4217); skriv fx DKK, EUR eller USD"
                      + (f" ({near})" if near else ""))
    return code


def amount_unit(code: str, oere: bool = False) -> str:
    """The unit line of an amount table: ``hele kr.`` / ``kr. med øre`` for DKK, ``hele USD`` / ``USD med cent`` else.

    >>> amount_unit("DKK"), amount_unit("USD", oere=True)
    ('hele kr.', 'USD med cent')
    """
    if oere:
        return f"{currency_word(code)} med {'øre' if code == CURRENCY else 'cent'}"
    return f"hele {currency_word(code)}"


class Worded(str):
    """A figure given in words: the Danish text a reader sees (the string itself: tables, cells, ``SI_`` functions)
    standing for ``data``, what a program gets instead (``--json``, :func:`data_of`): a code, a number, a list or
    None.  ``Worded("nås ikke …", "naas_ikke")``; ``Worded("2,0 %–5,9 %", [[0.02, 0.059]])``.  The one place a
    figure's text and its value for programs are made together."""

    data: Any

    def __new__(cls, text: str, data: Any) -> Worded:
        self = super().__new__(cls, text)
        self.data = data
        return self

    def __reduce__(self):
        return (Worded, (str(self), self.data))


def data_of(value: Any) -> Any:
    """``value`` for a program: every :class:`Worded` text in it (dicts, lists and tuples too; a list for a tuple)
    replaced by its ``data``; anything else unchanged."""
    if isinstance(value, Worded):
        return value.data
    if isinstance(value, dict):
        return {k: data_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [data_of(v) for v in value]
    return value


def program_figures(figures: Iterable[tuple[Any, Any]]) -> tuple[dict[str, Any], dict[str, str]]:
    """(line item, value) pairs as a program gets them (``--json``), and why each figure that is null is null.

    ``figures``: pairs of a line item (:class:`udfs.core.lineitems.LineItem`: its ``name``, ``unit`` and ``missing``)
    and the figure's value.  Returns ``(data, reasons)``: ``data`` keyed by the items' stable names (never their
    Danish labels, which are for a reader and may be reworded), each value as :func:`data_of` gives it and an
    amount to the øre (:func:`by_unit`); ``reasons``
    the Danish text a reader sees in place of each figure that does not exist, which is null in ``data``: None (the
    item's ``missing`` text, e.g. :data:`NOT_WITHIN`), a figure in words standing for None (:data:`NO_OUTLAY`,
    :data:`NO_START_YEAR`), or a text where a number belongs (an item whose unit is not ``text``).  A figure in words
    with a code, number or list for programs (:data:`NONE_REACHED`: ``naas_ikke``) keeps it.  The one rule for every
    ``--json`` output of figures (:func:`program_block`).

    >>> from types import SimpleNamespace as Item
    >>> payback = Item(name="tilbage", unit="years", missing=NOT_WITHIN)
    >>> program_figures([(payback, NO_OUTLAY), (Item(name="be", unit="share", missing=UNDEFINED), NONE_REACHED)])
    ({'tilbage': None, 'be': 'naas_ikke'}, {'tilbage': 'ikke relevant (intet udlæg)'})
    >>> program_figures([(payback, None), (Item(name="garant", unit="text", missing=UNDEFINED), "Egmont Fonden")])
    ({'tilbage': None, 'garant': 'Egmont Fonden'}, {'tilbage': 'ikke inden for perioden'})
    """
    data: dict[str, Any] = {}
    reasons: dict[str, str] = {}
    for item, value in figures:
        worded = isinstance(value, Worded)
        if value is None or (isinstance(value, str) and item.unit != "text" and (not worded or value.data is None)):
            data[item.name], reasons[item.name] = None, str(item.missing if value is None else value)
        else:
            data[item.name] = by_unit(data_of(value), item.unit)  # an amount to the øre, a share in full
    return data, reasons


def program_block(key: str, figures: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """``{key: data}`` of :func:`program_figures`, with ``{key}_forklaring: reasons`` beside it when a figure is
    null (e.g. ``noegletal`` and ``noegletal_forklaring``)."""
    data, reasons = program_figures(figures)
    return {key: data} | ({f"{key}_forklaring": reasons} if reasons else {})


UNDEFINED = "ikke defineret"
"""Shown where a figure does not exist (no investment, no IRR, no start year)."""
NO_START_YEAR = Worded(f"{UNDEFINED} (intet startår i casen)", None)
"""Shown for a calendar year (*Tilbagebetalt i kalenderår*) of a case without ``startaar``: says what to fill
(``null`` for a program, as a payback outside the horizon)."""
NOT_WITHIN = "ikke inden for perioden"
"""Shown for a payback that does not happen within the horizon."""
NO_OUTLAY = Worded("ikke relevant (intet udlæg)", None)
"""Shown for the payback of a party that is never out of pocket (its cumulative net is never below 0: no costs
before its gains, e.g. a payer that only saves and pays later): there is nothing to pay back (``null`` for a
program)."""
NONE_REACHED = Worded("nås ikke (taber også ved 100 %)", "naas_ikke")
"""A break-even that no success rate up to 100 % reaches (the figure is still below 0 at 100 %); the code
``naas_ikke`` for a program."""
NO_LOSS = "ingen (taber ikke)"
"""Where the payer loses at no success rate: the loss ranges and the first loss (not a break-even that is not reached)."""

ADDIN_MISSING = "kræver tilføjelsesprogrammet"
"""Shown on the Kontrol sheet where an ``SI_`` function cannot run because the add-in is not installed."""
NOT_COMPARED = "ikke sammenlignet (kræver tilføjelsesprogrammet)"
"""The Kontrol sheet's difference where the ``SI_`` value is missing for want of the add-in."""

EXCEL_EQUAL = 1e-13
"""Relative difference below which Excel and LibreOffice compare two numbers as equal (15 significant
digits); the one tolerance for "reached as Excel compares" (:func:`udfs.core.checks.reaches`)."""
NOISE_KR = 1e-6
"""kr.: an amount closer to 0 than this is 0 — the rounding left when large amounts cancel (payments equal to
the investment at a cap), far below :data:`TOLERANCE_KR`."""
TOLERANCE_KR = 0.01
"""kr.: two amounts that differ by at most this agree (a workbook's cell and the core, a Kontrol row)."""
OERE_DECIMALS = 2
"""The decimals an amount in kr. is written with (CSV, ``--json``, INDIGO): the øre, the precision to which the tool
compares amounts (:data:`TOLERANCE_KR`, 0.01 kr.)."""
assert 10.0 ** -OERE_DECIMALS == TOLERANCE_KR


def amount_tolerance(*amounts: float) -> float:
    """How far two amounts in kr. may differ and agree: :data:`TOLERANCE_KR`, or for amounts so large that a float
    (Excel's too: 15 significant digits) cannot hold the øre, :data:`EXCEL_EQUAL` of the largest (10¹⁷ kr.: 10.000
    kr.).  The one rule of ``sibc check`` and the Kontrol rows.

    >>> amount_tolerance(1_000_000.0), amount_tolerance(2.5e17)
    (0.01, 25000.0)
    """
    return max(TOLERANCE_KR, EXCEL_EQUAL * max((abs(a) for a in amounts), default=0.0))


def oere(value: float) -> float:
    """kr. rounded to the øre (:data:`OERE_DECIMALS`, half away from zero as Excel's ROUND:
    :func:`udfs.core.danish_numbers.round_half_away`), which also takes away the float noise of a sum
    (1999999.9999999995 → 2000000.0).

    >>> oere(1374999.9999999998), oere(378.599999999977), oere(-0.005)
    (1375000.0, 378.6, -0.01)
    """
    return round_half_away(float(value), OERE_DECIMALS)


def by_unit(value: Any, unit: str | None) -> Any:
    """A figure as written for a program (CSV, ``--json``): an amount (``unit`` ``"kr"``) to the øre (:func:`oere`);
    a share, rate, factor or count, a text, None and anything not a number as it is (full precision).  The one rule
    of how amounts are written; a line item's unit (:class:`~udfs.core.lineitems.LineItem`) says which is which.

    >>> by_unit(1999999.9999999995, "kr"), by_unit(0.5636363636363636, "share"), by_unit("naas_ikke", "share")
    (2000000.0, 0.5636363636363636, 'naas_ikke')
    """
    if unit == "kr" and isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return oere(value)
    return value
LEFT_OF = 1e-9
"""How far left of a breakpoint its left limit is taken (a step counts as reached within
:data:`EXCEL_EQUAL`, so the next float down would still count as reached); the Følsomhed sheet uses the same."""

# --------------------------------------------------------------------------- codes shown as Danish words
# Each table maps a code (what a case file holds and the formulas compare with) to the readable Danish
# word the workbook shows and offers in its drop-down list.  A word holds no comma or quote (Excel's
# list validation separates choices by commas) and the words of one table fit in 255 characters.

DISCOUNTING_WORDS: dict[str, str] = {
    "fm_2021": "Finansministeriet 2021",
    "fm_2013": "Finansministeriet 2013",
    "fast": "Fast rente",
}
"""Discounting: Finansministeriet's schedules (``udfs/data/diskontering.csv``) or a fixed rate."""

SCENARIO_WORDS: dict[str, str] = {"basis": "Basis", "lav": "Lav", "hoej": "Høj"}
"""Scenarios: the case as given (``basis``) and the case file's ``scenarier`` (as the Følsomhed sheet names them)."""

INDEX_WORDS: dict[str, str] = {
    "npi": "Nettoprisindeks",
    "fpi": "Forbrugerprisindeks",
    "pl_stat": "Pris og løn (staten)",
    "loen_stat": "Løn (staten)",
    "pris_stat": "Priser (staten)",
    "eget": "Eget indeks",
}
"""Price indices (``udfs/data/prisindeks.csv``: Danmarks Statistik's net and consumer price indices, and
Økonomistyrelsen's general price and wage, wage and price indices) and the kommune's own values."""

VIEW_WORDS: dict[str, str] = {
    "kommune": "Betalerens perspektiv",
    "offentlig": "Hele den offentlige sektor",
}
"""The authority view of a case (``visning``): the payer's figures or the whole public sector's."""

VIEW_FIGURES: dict[str, str] = {"kommune": "betaler", "offentlig": "offentlig"}
"""Whose figures a case's view (``visning``) heads with, as the suffix of their names: ``kommune`` the payer's
(the case's ``betaler``: ``nv_betaler``, ``r_netto_betaler``), ``offentlig`` the whole public sector's (kommune,
region, stat and a central outcomes fund: ``nv_offentlig``, ``r_netto_offentlig``).  The one choice of the view's
figures: :attr:`udfs.core.engine.Result.headline_net`, :func:`udfs.core.lineitems.view_names` and so ``sibc calc``;
the workbook's cell ``nv_visning`` makes the same choice in Excel."""

REFUSION_WORDS: dict[str, str] = {
    "refusion_2016": "Refusionstrappen 2016",
    "medfinansiering_2016": "Medfinansieringstrappen 2016",
}
"""Refusion and co-financing schemes (``udfs/data/refusionstrappe.csv``)."""

UNIT_WORDS: dict[str, str] = {"uge": "uge", "dag": "dag", "maaned": "måned", "aar": "år", "haendelse": "hændelse"}
"""The unit a unit cost is priced per (``enhed``)."""

SOURCE_KIND_WORDS: dict[str, str] = {"primaer": "primær", "sekundaer": "sekundær", "egen": "egen"}
"""The kind of a figure's source (``kildetype``)."""

RULE_SET_WORDS: dict[str, str] = {"foer_1_7_2025": "før 1. juli 2025", "fra_1_7_2025": "fra 1. juli 2025"}
"""The rules a catalogue row of a benefit is priced by, where they changed (``regelsaet``,
:class:`udfs.core.data.CatalogueCost`): before or from the new kontanthjælp of 1 July 2025."""

BENEFIT_PART_WORDS: dict[str, str] = {"sats": "sats", "tillaeg": "tillæg"}
"""What part of a benefit a catalogue row prices (``ydelsesdel``): the rate or a supplement on top of it."""

DEADWEIGHT_WORDS: dict[str, str] = {
    "doedvaegt": "Dødvægt",
    "kontrolgruppe": "Kontrolgruppens succesrate",
}
"""How an effect's counterfactual is given: a deadweight or a control group's success rate."""

DISTRIBUTION_WORDS: dict[str, str] = {
    "fast": "Fast værdi",
    "uniform": "Ligefordeling",
    "triangulaer": "Trekantfordeling",
    "normal": "Normalfordeling",
}
"""The distributions a Monte Carlo driver can have (:mod:`udfs.core.uncertainty`)."""

GUARANTOR_WORDS: dict[str, str] = {
    "kommune": "Kommune", "region": "Region", "stat": "Stat", "ingen": "Ingen (ikke offentlig)",
}
"""The public body behind a guarantee (``garanti.myndighed``): an authority, whose net then bears the guarantee's
payment, or ``ingen`` (a private guarantor such as a foundation: the party :data:`GUARANTOR`, outside the public net)."""
GuarantorAuthority = Literal["kommune", "region", "stat", "ingen"]
NOT_PUBLIC = "ingen"
"""The ``garanti.myndighed`` of a guarantor that is no public body."""

VOCABULARIES: dict[str, dict[str, str]] = {
    "diskontering": DISCOUNTING_WORDS, "myndighed": GUARANTOR_WORDS, "indeks": INDEX_WORDS, "visning": VIEW_WORDS,
    "refusionsordning": REFUSION_WORDS, "enhed": UNIT_WORDS, "kildetype": SOURCE_KIND_WORDS, "regelsaet": RULE_SET_WORDS,
    "ydelsesdel": BENEFIT_PART_WORDS,
    "doedvaegt_type": DEADWEIGHT_WORDS, "fordeling": DISTRIBUTION_WORDS,
}  # fmt: skip
"""Every code table, by the field it describes."""


def code_for(words: dict[str, str], value: str) -> str:
    """The code a shown word (or the code itself, in any case and spacing) stands for; else ``value`` unchanged.

    >>> code_for(INDEX_WORDS, " nettoprisindeks "), code_for(INDEX_WORDS, "NPI")
    ('npi', 'npi')
    """
    key = " ".join(value.split()).casefold()
    for code, word in words.items():
        if key in (code.casefold(), word.casefold()):
            return code
    return value


# --------------------------------------------------------------------------- numbers in Danish words for readers
# (descriptions and labels, not cells): ``3,5``, ``2,5 mio. kr.``, ``15 %``


def number_words(value: float) -> str:
    """A number as a Danish reader writes it: ``3``, ``3,5``, ``1.000`` (thousands dots, a decimal comma, at most
    three decimals, trailing zeros dropped)."""
    text = f"{value:,.3f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def kr_words(value: float) -> str:
    """An amount in Danish words: ``2,5 mio. kr.`` from 1 mio. kr., else ``20.000 kr.`` (øre shown when there are any)."""
    if abs(value) >= 1_000_000:
        return f"{number_words(value / 1_000_000)} mio. kr."
    whole = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return whole.replace(",", "_").replace(".", ",").replace("_", ".") + " kr."


def share_words(value: float) -> str:
    """A share 0–1 in Danish per cent: ``40 %``, ``12,5 %``."""
    return f"{number_words(value * 100)} %"


def excel_string(text: str) -> str:
    """``text`` as a string constant in an Excel formula: in double quotes, a quote inside doubled.  The one quoting of
    a fixed text in every workbook formula (the workbooks use it as ``workbooks.layout.excel_string``)."""
    return '"' + text.replace('"', '""') + '"'


# The application's own separators, read off FIXED: LibreOffice and Excel write FIXED's number (and a number joined to a
# text) with the separators of their locale, so a formula finds them and swaps them for Danish ones.
_EXCEL_DECIMAL = "MID(FIXED(0.5,1),2,1)"
_EXCEL_THOUSANDS = "MID(FIXED(1000,0),2,LEN(FIXED(1000,0))-4)"  # "" where the locale groups no thousands


def number_words_excel(value: str, decimals: int | None = 1) -> str:
    """:func:`number_words` as an Excel formula of ``value`` (an expression): a Danish number text in any
    application and locale, e.g. ``2,0`` and ``1.234.567`` in LibreOffice in English as in Danish Excel (FIXED alone
    shows the application's separators: ``2.0`` in LibreOffice in English).  ``decimals``: that many decimals, always
    shown (FIXED's rounding); ``None``: at most three, trailing zeros dropped, as :func:`number_words` writes them
    (``15``, ``12,5``).  The one definition of a number put into a text by a workbook formula."""
    if decimals is None:
        v = value
        decimals_str = f"IF(ROUND({v},0)=ROUND({v},3),0,IF(ROUND({v},1)=ROUND({v},3),1,IF(ROUND({v},2)=ROUND({v},3),2,3)))"
    else:
        decimals_str = str(int(decimals))
    fixed = f"FIXED({value},{decimals_str})"
    return f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({fixed},{_EXCEL_THOUSANDS},"_"),{_EXCEL_DECIMAL},","),"_",".")'


def share_words_excel(value: str, decimals: int | None = 1) -> str:
    """:func:`share_words` as an Excel formula of a share's expression (0–1): ``2,0 %`` (``decimals``: see
    :func:`number_words_excel`)."""
    return f'{number_words_excel(f"{value}*100", decimals)}&{excel_string(" %")}'


def sentence(text: str) -> str:
    """``text`` ending in one full stop (an amount's ``kr.`` already ends it)."""
    return text if text.endswith(".") else text + "."
