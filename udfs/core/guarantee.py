"""Guarantees and the investor's view of a settled contract.

A guarantor who is not the payer (a foundation, say) covers part of the
investor's principal: an amount (kr.) or a share of the principal.  At the end
of the contract, if the outcome payments (all payers together) fall short of the principal, the
guarantor pays the shortfall up to its cover:

    guarantor pays = max(0, min(cover, principal − payments received))

The investor's cash flow after the guarantee is its settlement cash flow plus
that payment in the contract's settlement year (the last year an outcome payment
can fall in, :attr:`udfs.core.case_model.Case.settlement_year`; the last year of
the rows given to ``SI_AFREGNING``); the guarantor's own cash flow is minus that
payment in that year.  Both are reported apart from the payer's.

The guarantor may be a public body (``myndighed``: kommune, region or stat; ``ingen`` for a
foundation or another private guarantor).  A public guarantor's payment is a cost of that
authority: :func:`public_guarantee` gives it by year, and the engine's party nets
(:attr:`udfs.core.engine.Result.net_by_party`), the public net and their present values count it
(the authority −, the investor +).  A private guarantor is a party of its own (``garant``,
:func:`guarantor_party`): its payment is its net (−) and the investor's (+), outside the public net.

The investor's view collects what an investor asks of a contract: the
break-even success rates (money back; at the required return — from
:func:`udfs.core.businesscase.break_evens`, not computed here), the largest
loss the contract allows with and without the guarantee, how much the return
cap (afkastloft) takes off and the floor (afkastgulv) adds, and the IRR with
the note on several internal rates (:func:`udfs.core.settlement.rates_line`).

All amounts are kr. (or the currency the case's amounts are given in); shares
are 0–1.  Nothing is rounded.  Source of the rule: the Rikers Island social
impact bond (Olson & Phillips 2013, FRBSF Community Development Investment
Review 2013:1 pp. 97–101): a foundation's grant guaranteed 7.2 of the
investor's 9.6 mio. USD loan, used to repay the investor if the program
missed its target.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .checks import check_number, out_of_range
from .errors import SIError, excerpt
from .lineitems import INVESTOR_AFTER_GUARANTEE, IRR_LABEL, ITEMS, RETURN_UNIT, RETURN_WORDS, LineItem
from .settlement import SETTLEMENT_ITEMS, Settlement, labelled_rows, rates_line
from .settlement import irr as periodic_irr
from .vocabulary import AUTHORITIES, FUND, GUARANTOR, GUARANTOR_WORDS, NOT_PUBLIC, PARTY_WORDS, Worded, code_for

GUARANTEE_FIGURES: tuple[LineItem, ...] = (
    LineItem("garant", "Garant", "text", cell=False),
    LineItem("garanti_daekning", "Garantiens dækning", "kr", cell=False),
    LineItem("garanti_betaling", "Garantens betaling", "kr", cell=False),
    LineItem("investor_netto_garanti", "Investors nettoresultat efter garanti", "kr", cell=False),
    LineItem("afkast_garanti", f"{RETURN_WORDS} efter garanti ({RETURN_UNIT})", "share", cell=False),
    LineItem("investor_irr_garanti", f"{IRR_LABEL} efter garanti", "share", cell=False),
    LineItem("investor_renter_garanti", "Investors interne renter efter garanti", "text", cell=False),
    LineItem("garant_netto", "Garantens nettoresultat", "kr", cell=False),
    LineItem("garanti_myndighed", "Myndighed bag garanten", "text", cell=False),
    LineItem("offentlig_garanti", "Offentlig udgift til garanti (i myndighedens netto)", "kr", cell=False),
    LineItem("nettobesparelse_garanti", "Betalers nettobesparelse efter garanti (uden egne omkostninger)", "kr", cell=False),
    LineItem("betaler_udgift_garanti", "Betalers udgift efter garanti (betalinger + garanti)", "kr",
             cell=False),
)
"""A guaranteed settlement's figures (:meth:`GuaranteedSettlement.figures`), in order: name, Danish label, unit.
``nettobesparelse_garanti`` only where the payer is itself the guarantor (its net saving before the guarantee is then
labelled :data:`NET_SAVING_BEFORE`); ``betaler_udgift_garanti`` only where the payer is itself the guarantor and the
settlement has no savings (a measurement whose savings cannot be scaled), so no net saving: what the payer then pays
in all, its payments and the guarantee's payment."""

NET_SAVING_BEFORE = "Betalers nettobesparelse før garanti (uden egne omkostninger)"
"""The label of the settlement's ``nettobesparelse`` where the payer is itself the guarantor and so pays the guarantee:
the figure after it is ``nettobesparelse_garanti``."""

GUARANTEE_ITEMS: dict[str, LineItem] = {item.name: item for item in GUARANTEE_FIGURES}

INVESTOR_FIGURES: dict[str, LineItem] = {item.name: item for item in (
    LineItem("tab_uden_garanti", "Investors største tab uden garanti", "kr", cell=False),
    LineItem("tab_med_garanti", "Investors største tab med garanti", "kr", cell=False),
    LineItem("tab_investor", "Investors største tab", "kr", cell=False),
    LineItem("loft_skaaret", "Skåret af ved afkastloft", "kr", cell=False),
    LineItem("gulv_lagt_til", "Lagt til ved afkastgulv", "kr", cell=False),
)}  # fmt: skip
"""The investor's view (:meth:`InvestorView.figures`; its break-evens are the key figures ``be_investor``,
``be_investor_krav``): name, Danish label, unit."""


# --------------------------------------------------------------------------
# The guarantee
# --------------------------------------------------------------------------


def check_cover(amount: Any, share: Any) -> tuple[float | None, float | None]:
    """A guarantee given as an amount (kr., ≥ 0) or as a share of the principal (0–1), not both.

    Returns ``(amount, share)`` with one of them None (both None when neither
    is given).  SIError naming ``garanti_beloeb`` or ``garanti_andel``.
    """
    a = None if amount is None else check_number("garanti_beloeb", amount)
    s = None if share is None else check_number("garanti_andel", share)
    if a is not None and s is not None:
        raise SIError("garanti_andel", "angiv enten garantiens beløb eller dens andel af investeringen, ikke begge")
    if a is not None and a < 0:
        raise SIError("garanti_beloeb", "skal være mindst 0 kr.")
    if s is not None and not 0 <= s <= 1:
        raise SIError("garanti_andel", out_of_range("skal være en andel mellem 0 og 1 (fx 0,75 for 75 % af investeringen)", s, 0.0, 1.0))
    return a, s


PUBLIC_WORDS: dict[str, str] = {
    **{a: a for a in AUTHORITIES}, **{f"{a}n" if a.endswith("e") else f"{a}en": a for a in AUTHORITIES},
    "betaler": "betaleren", "betaleren": "betaleren", "investor": "investor", "investoren": "investor",
}
"""Words that make a guarantor's name a party of the case itself, in lower case → the party: kommune, region
and stat (also in the definite form, and inside a name such as "Aarhus Kommune" or "Region Midtjylland"),
the payer ("betaleren") and the investor.  The outcomes fund counts when it pays outcomes
(:func:`check_guarantor`)."""


def check_guarantor(name: Any, outcome_payers: Iterable[str] = (), argument: str = "garant",
                    authority: str | None = None, authority_argument: str = "garanti.myndighed") -> str:
    """The guarantor's name (stripped), refused when it names a party of the case whose payment would then
    be left out of its net.

    A private guarantor (``authority`` ``ingen``, a foundation, say) is reported apart from the parties'
    nets (:class:`GuaranteedSettlement`); a public one (``authority`` kommune, region or stat) pays out of
    that authority's net (:func:`public_guarantee`).  The field ``authority`` decides which, not the name:
    no word test knows every agency.  The name is checked against it as far as words can tell: a name
    holding an authority's word of :data:`PUBLIC_WORDS` (any case; words split at spaces and punctuation:
    "Aarhus Kommune", "Region Midtjylland", "Staten") must have that authority as ``authority``; a name
    holding the payer's or the investor's word is refused, and so, when the outcomes fund is among
    ``outcome_payers`` (codes of :data:`~udfs.core.vocabulary.OUTCOME_PAYERS`), the fund's code or its
    Danish name ("fond", "Central resultatfond", also definite).  ``authority`` None: every party word is
    refused (the rule before the field existed; :class:`Guarantee` always passes it).

    Raises :class:`SIError` naming ``argument`` with the party, the reason and what to do (naming
    ``authority_argument``, the field that counts the payment in a public body's net).

    >>> check_guarantor(" Bloomberg Philanthropies ")
    'Bloomberg Philanthropies'
    >>> check_guarantor("Aarhus Kommune", authority="kommune")
    'Aarhus Kommune'
    """
    if not isinstance(name, str) or not name.strip():
        raise SIError(argument, "skal være garantens navn (tekst), fx en fond")
    text = " ".join(name.split())
    words = re.findall(r"\w+", text.casefold())
    party = next((PUBLIC_WORDS[w] for w in words if w in PUBLIC_WORDS), None)
    fund = PARTY_WORDS[FUND].casefold()
    if party is None and FUND in outcome_payers and text.casefold().removesuffix("en") in (FUND, fund):
        party = PARTY_WORDS[FUND].lower()
    if party is None or (party in AUTHORITIES and party == authority):
        return text
    if party in AUTHORITIES:
        raise SIError(argument, f"'{excerpt(text)}' lyder som {'staten' if party == 'stat' else 'en ' + party}, men {authority_argument} er "
                                f"'{authority or 'tom'}'; skriv {party} i {authority_argument}, så garantens betaling "
                                f"tælles i {party}{'n' if party.endswith('e') else 'en'}s netto, eller angiv en tredjepart (fx en fond)")
    raise SIError(argument, f"'{excerpt(text)}' er casens {party}; garanten skal være en tredjepart (fx en fond) eller en "
                            f"myndighed angivet i {authority_argument}, ellers tælles dens betaling ikke i partens netto. "
                            "Angiv garanten, eller fjern garantien")


GUARANTOR_HINT = "skriv kommune, region, stat eller ingen"
"""What a missing or unknown ``garanti.myndighed`` asks for."""


def check_guarantor_authority(value: Any, argument: str = "garanti.myndighed") -> str:
    """The public body behind a guarantee as its code (:data:`~udfs.core.vocabulary.GUARANTOR_WORDS`):
    ``kommune``, ``region``, ``stat`` or ``ingen``; the Danish words of the workbook's drop-down are taken too.

    A word test on the guarantor's name cannot know every agency (Socialstyrelsen, KL, Aarhus), so the
    authority is asked for, and required: SIError naming ``argument`` when missing or unknown.

    >>> check_guarantor_authority(" Stat "), check_guarantor_authority("Ingen (ikke offentlig)")
    ('stat', 'ingen')
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise SIError(argument, f"mangler: {GUARANTOR_HINT} (den myndighed, der står bag garanten)")
    code = code_for(GUARANTOR_WORDS, value) if isinstance(value, str) else value
    if code not in GUARANTOR_WORDS:
        raise SIError(argument, f"'{excerpt(str(value))}' kendes ikke: {GUARANTOR_HINT}")
    return code


def public_guarantee(authority: str, principal: Any, received: Any, cover: Any) -> tuple[int | None, Any]:
    """A public guarantor's payment as a cost of its authority: ``(index in AUTHORITIES, payment)``.

    ``payment`` is :func:`guarantee_payment` (kr., numbers or arrays alike, paid in the horizon's last
    year); the index is None for ``ingen`` (a private guarantor, the party ``garant``, outside the public net), and
    the payment is then 0.  The engine (:attr:`udfs.core.engine.Result.net_by_party`, :func:`udfs.core.engine.present_values`)
    and the settlement (:class:`GuaranteedSettlement`) take it from here.
    """
    if authority == NOT_PUBLIC:
        return None, 0.0 * guarantee_payment(principal, received, cover)
    return AUTHORITIES.index(authority), guarantee_payment(principal, received, cover)


def guarantor_party(authority: str) -> str:
    """The party (:data:`~udfs.core.vocabulary.PARTIES`) whose net bears a guarantee's payment: its authority
    (``garanti.myndighed`` kommune, region or stat), or the private guarantor ``garant`` for ``ingen``."""
    return GUARANTOR if authority == NOT_PUBLIC else authority


def guarantee_year_words(year: int) -> str:
    """When the guarantee is paid, in Danish: ``i kontraktens afregningsår, år 5`` for the settlement year ``year``
    (year 0 first, as the year-by-year tables count; :attr:`udfs.core.case_model.Case.settlement_year`).  The
    workbook's label is the same words (:func:`guarantee_year_words_excel`)."""
    return f"i kontraktens afregningsår, år {year}"


def guarantee_year_words_excel(year_cell: str) -> str:
    """:func:`guarantee_year_words` as an Excel expression (no ``=``) of the settlement year's cell."""
    return f'"i kontraktens afregningsår, år "&{year_cell}'


def cover_of(principal: float, amount: float | None, share: float | None) -> float:
    """The guarantee's cover in kr.: ``amount``, or ``share × principal``; 0 without a guarantee."""
    if amount is not None:
        return amount
    return 0.0 if share is None else share * principal


def guarantee_payment(principal: float, received: float, cover: float) -> float:
    """What the guarantor pays at the end of the contract, kr.

    ``max(0, min(cover, principal − received))``: the shortfall of the
    payments received below the principal, up to the cover (numbers, or numpy arrays of draws
    element by element).  Excel: ``=MAX(0;MIN(dækning;investering-betalinger))``.

    Examples
    --------
    >>> guarantee_payment(9.6, 0.0, 7.2)  # Rikers at a missed target (mio. USD)
    7.2
    >>> guarantee_payment(9.6, 9.6, 7.2)  # target met: the payer repays the principal
    0.0
    """
    out = np.maximum(0.0, np.minimum(cover, np.subtract(principal, received)))
    return float(out) if np.ndim(out) == 0 else out


def guarantee_payment_excel(cover: str, principal: str, received: str) -> str:
    """:func:`guarantee_payment` as an Excel expression (no ``=``) of three cells or expressions.

    Examples
    --------
    >>> guarantee_payment_excel("{garanti_daekning}", "{investering}", "{betalinger_i_alt}")
    'MAX(0,MIN({garanti_daekning},{investering}-{betalinger_i_alt}))'
    """
    return f"MAX(0,MIN({cover},{principal}-{received}))"


def guarantee_bends(cover: Any, principal: Any, minus: Callable[[Any, Any], Any] = operator.sub) -> tuple[Any, Any]:
    """The payments received at which :func:`guarantee_payment` bends: ``(principal − cover, principal)``.

    ``max(0, min(cover, principal − received))`` is linear in ``received`` except where the arguments of
    ``MIN`` are equal (``principal − received = cover``: received = principal − cover) and where those of
    ``MAX`` are (``principal − received = 0``: received = principal); below the first it is the cover, above the
    second 0.  ``minus`` builds the difference: numbers by default, an Excel expression with
    :func:`guarantee_bends_excel`, so the break-even sheet's knots follow this one rule.

    Examples
    --------
    >>> guarantee_bends(7_200_000, 9_600_000)  # Rikers (USD): the payment falls from 7,2 mio. at 2,4 mio. received to 0 at 9,6
    (2400000, 9600000)
    >>> [round(guarantee_payment(9.6, r, 7.2), 9) for r in (0.0, 2.4, 6.0, 9.6, 12.0)]
    [7.2, 7.2, 3.6, 0.0, 0.0]
    """
    return minus(principal, cover), principal


def guarantee_bends_excel(cover: str, principal: str) -> tuple[str, str]:
    """:func:`guarantee_bends` as Excel expressions (no ``=``) of two cells or expressions.

    Examples
    --------
    >>> guarantee_bends_excel("{garanti_daekning}", "{investering}")
    ('{investering}-{garanti_daekning}', '{investering}')
    """
    return guarantee_bends(cover, principal, lambda a, b: f"{a}-{b}")


@dataclass(frozen=True)
class Guarantee:
    """A guarantee of the investor's principal by a third party (not the payer).

    Attributes
    ----------
    guarantor : str
        The guarantor's name (Danish text shown as is; empty: unnamed).  A party of the case itself is
        refused (:func:`check_guarantor`; SIError naming ``garant``).
    amount : float or None
        Cover in kr. (≥ 0).
    share : float or None
        Cover as a share of the investor's total investment (0–1).
    authority : str
        The public body behind the guarantee (:func:`check_guarantor_authority`): ``kommune``, ``region``,
        ``stat`` or ``ingen``; required (SIError naming ``garanti_myndighed`` when None).
    """

    guarantor: str
    amount: float | None = None
    share: float | None = None
    authority: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "authority", check_guarantor_authority(self.authority, "garanti_myndighed"))
        check_cover(self.amount, self.share)
        if self.guarantor:
            check_guarantor(self.guarantor, authority=self.authority, authority_argument="garanti_myndighed")
        if self.amount is None and self.share is None:
            raise SIError("garanti", "angiv garantiens beløb (kr.) eller andel af investeringen")

    def cover(self, principal: float) -> float:
        """kr. covered of a principal of ``principal`` kr."""
        return cover_of(principal, self.amount, self.share)


@dataclass(frozen=True)
class GuaranteedSettlement:
    """A settlement with a guarantee: the investor's and the guarantor's results apart (year 0 first)."""

    settlement: Settlement
    guarantee: Guarantee
    payer: str | None = None
    """The authority that pays the outcome payments (the case's ``betaler``); None: not known (``SI_AFREGNING``
    without ``betaler``).  When it is the guarantor (:attr:`payer_pays`), its net saving after the guarantee is shown."""

    @property
    def payer_pays(self) -> bool:
        """Whether the payer is itself the guarantor (``garanti.myndighed`` = the payer)."""
        return self.payer is not None and self.payer == self.guarantee.authority

    @property
    def net_saving_by_year(self) -> tuple[float, ...] | None:
        """Betalers nettobesparelse efter garanti, kr. per year: the payer's net saving − the guarantee's payment (in the
        last year) where the payer is the guarantor (:attr:`payer_pays`); the net saving itself otherwise; None
        without savings."""
        net = self.settlement.net_saving_by_year
        if net is None or not self.payer_pays:
            return net
        return tuple(v + g for v, g in zip(net, self.guarantor_cashflow))

    @property
    def cover(self) -> float:
        """Garantiens dækning, kr."""
        return self.guarantee.cover(self.settlement.total_investment)

    @property
    def payment(self) -> float:
        """Garantens betaling, kr. (paid in the contract's settlement year): :func:`guarantee_payment`."""
        s = self.settlement
        return guarantee_payment(s.total_investment, s.total_payments, self.cover)

    @property
    def public_payment(self) -> float:
        """Offentlig udgift til garanti, kr.: the payment when a public body stands behind the guarantee, else 0
        (:func:`public_guarantee`)."""
        s = self.settlement
        return float(public_guarantee(self.guarantee.authority, s.total_investment, s.total_payments, self.cover)[1])

    @property
    def year(self) -> int:
        """The year the guarantor pays (0 first): the contract's settlement year (:attr:`Settlement.settlement_year`),
        the last year given when none is set."""
        s = self.settlement
        return len(s.investment) - 1 if s.settlement_year is None else s.settlement_year

    @property
    def guarantor_cashflow(self) -> tuple[float, ...]:
        """The guarantor's cash flow, kr. per year: −payment in :attr:`year`, else 0."""
        return tuple(0.0 - self.payment if t == self.year else 0.0 for t in range(len(self.settlement.investment)))

    @property
    def investor_cashflow(self) -> tuple[float, ...]:
        """The investor's cash flow after the guarantee: payments − investment + the guarantor's payment, kr. per year."""
        return tuple(c - g for c, g in zip(self.settlement.investor_cashflow, self.guarantor_cashflow))

    @property
    def investor_net(self) -> float:
        """Investors nettoresultat efter garanti: payments + guarantee − investment, kr."""
        return self.settlement.bonus + self.payment

    @property
    def investor_return(self) -> float:
        """Samlet afkast efter garanti (i % af investeringen): net / investment, share."""
        return self.investor_net / self.settlement.total_investment

    @property
    def investor_irr(self) -> float | None:
        """The investor's IRR after the guarantee per year (share); None when there is none."""
        try:
            return periodic_irr(self.investor_cashflow)
        except SIError:
            return None

    def figures(self) -> list[tuple[LineItem, float | str | None]]:
        """The guarantee's figures with their line items (:data:`GUARANTEE_FIGURES`), after :meth:`Settlement.figures`.
        A cover given as a share is a share of the investment, the investor's cost lines as entered (no optimism
        mark-up: :func:`udfs.core.engine.cost_factors`)."""
        irr = self.investor_irr
        net = self.net_saving_by_year
        values = (self.guarantee.guarantor, self.cover, self.payment, self.investor_net, self.investor_return, irr,
                  rates_line(self.investor_cashflow, irr), 0.0 - self.payment,
                  Worded(GUARANTOR_WORDS[self.guarantee.authority], self.guarantee.authority), self.public_payment,
                  None if net is None else math.fsum(net), self.payer_outlay)  # fmt: skip
        labels = {"garanti_betaling": f"Garantens betaling ({guarantee_year_words(self.year)})"}
        items = [replace(i, label=labels[i.name]) if i.name in labels else i for i in GUARANTEE_FIGURES]
        shown = {"nettobesparelse_garanti": self.payer_pays and net is not None,
                 "betaler_udgift_garanti": self.payer_pays and net is None}
        return [(i, v) for i, v in zip(items, values, strict=True) if shown.get(i.name, True)]

    @property
    def payer_outlay(self) -> float:
        """Betalers udgift efter garanti, kr.: the payer's own payments + the guarantee's payment (where the payer is
        the guarantor, :attr:`payer_pays`; shown where there are no savings to net them against).  Hand example:
        payments 1.800.000 kr., investment 2.000.000, cover 500.000: the guarantee pays min(500.000; 2.000.000 −
        1.800.000) = 200.000 kr., the outlay is 2.000.000 kr. (tests/test_guarantee.py)."""
        return self.settlement.total_payer_payments + self.payment

    def settlement_lines(self) -> list[tuple[str, str, Any]]:
        """The settlement's year-by-year lines (:meth:`Settlement.yearly_lines`) and then :meth:`yearly_lines`; the payer's
        net saving says it is before the guarantee where the payer is the guarantor."""
        return [(name, NET_SAVING_BEFORE if name == "nettobesparelse" and self.payer_pays else label, values)
                for name, label, values in self.settlement.yearly_lines()] + self.yearly_lines()

    def settlement_figures(self) -> list[tuple[LineItem, float | str | None]]:
        """:meth:`Settlement.figures` (the payer's net saving labelled :data:`NET_SAVING_BEFORE` where the payer is the
        guarantor) and then :meth:`figures`."""
        before = replace(SETTLEMENT_ITEMS["nettobesparelse"], label=NET_SAVING_BEFORE)
        return [(before if item.name == "nettobesparelse" and self.payer_pays else item, v)
                for item, v in self.settlement.figures()] + self.figures()

    def rows(self) -> list[tuple[str, float | str | None]]:
        """The guarantee's rows for a two-column table (Danish labels of :meth:`figures`)."""
        return labelled_rows(self.figures())

    def yearly_lines(self) -> list[tuple[str, str, Any]]:
        """The guarantor's and the investor's cash flows by year: (stable name, Danish label, values by year)."""
        net = self.net_saving_by_year
        return [
            ("garant_pengestroem", "Garantens pengestrøm", self.guarantor_cashflow),
            ("investor_efter_garanti", INVESTOR_AFTER_GUARANTEE, self.investor_cashflow),
        ] + ([("nettobesparelse_garanti", GUARANTEE_ITEMS["nettobesparelse_garanti"].label, net)]
             if self.payer_pays and net is not None else []) \
          + ([("betaler_udgift_garanti", GUARANTEE_ITEMS["betaler_udgift_garanti"].label,
               tuple(p - g for p, g in zip(self.settlement.payer_payments, self.guarantor_cashflow)))]
             if self.payer_pays and net is None else [])


# --------------------------------------------------------------------------
# The investor's view
# --------------------------------------------------------------------------


def floored_total(total_payments: float, total_investment: float, floor: float | None) -> float:
    """Total payments after the return floor: at least ``total_investment × (1 + floor)`` (the top-up of
    :func:`udfs.core.settlement.limit_returns`, summed)."""
    return total_payments if floor is None else max(total_payments, total_investment * (1.0 + floor))


def maximum_loss(total_investment: float, worst_payments: float, floor: float | None, cover: float) -> float:
    """The investor's largest loss, kr. (≥ 0): the investment less the lowest payments the contract gives
    (after the floor) less what the guarantee pays then.

    ``worst_payments`` is the lowest total the payment rules give (0 when no
    outcome is reached; for a case, the lowest over success rates 0–1).  With
    ``cover`` 0 this is the loss without a guarantee.  Excel:
    ``=MAX(0;I-P-MAX(0;MIN(dækning;I-P)))`` with ``P = MAX(betalinger;I*(1+gulv))``.

    Examples
    --------
    >>> maximum_loss(9.6, 0.0, None, 0.0), round(maximum_loss(9.6, 0.0, None, 7.2), 12)  # Rikers, mio. USD
    (9.6, 2.4)
    """
    paid = floored_total(worst_payments, total_investment, floor)
    return max(0.0, total_investment - paid - guarantee_payment(total_investment, paid, cover))


@dataclass(frozen=True)
class InvestorView:
    """The investor's view of a contract.  Build it with :func:`investor_view`.

    Attributes
    ----------
    settlement : Settlement
    cover : float
        The guarantee's cover, kr. (0 without a guarantee).
    worst_payments : float
        The lowest total payments the rules give before the limits, kr.
    break_even, break_even_required : float, str or None
        Break-even success rates (money back; at the required return), shares;
        None where not given (an Excel function without a case) or not defined,
        the text "nås ikke …" where not reached.
    guaranteed : bool
        Whether a guarantee is given (the largest loss is then shown with and without it).
    """

    settlement: Settlement
    cover: float = 0.0
    worst_payments: float = 0.0
    break_even: float | str | None = None
    break_even_required: float | str | None = None
    guaranteed: bool = False

    @property
    def maximum_loss(self) -> float:
        """Investors største tab uden garanti, kr."""
        s = self.settlement
        return maximum_loss(s.total_investment, self.worst_payments, s.return_floor, 0.0)

    @property
    def maximum_loss_guaranteed(self) -> float:
        """Investors største tab med garanti, kr."""
        s = self.settlement
        return maximum_loss(s.total_investment, self.worst_payments, s.return_floor, self.cover)

    @property
    def cap_cut(self) -> float:
        """Skåret af ved afkastloft: payments before the limits − after, when the cap binds, kr. (≥ 0)."""
        s = self.settlement
        return max(0.0, math.fsum(s.payments_before_limits) - s.total_payments)

    @property
    def floor_top_up(self) -> float:
        """Lagt til ved afkastgulv: payments after the limits − before, when the floor binds, kr. (≥ 0)."""
        s = self.settlement
        return max(0.0, s.total_payments - math.fsum(s.payments_before_limits))

    def figures(self, with_break_even: bool = True) -> list[tuple[LineItem, float | str | None]]:
        """The investor's view with its line items (:data:`INVESTOR_FIGURES`; break-even only with ``with_break_even``)."""
        out: list[tuple[LineItem, float | str | None]] = []
        if with_break_even:
            out += [(ITEMS["be_investor"], self.break_even), (ITEMS["be_investor_krav"], self.break_even_required)]
        if self.guaranteed:
            out += [(INVESTOR_FIGURES["tab_uden_garanti"], self.maximum_loss),
                    (INVESTOR_FIGURES["tab_med_garanti"], self.maximum_loss_guaranteed)]  # fmt: skip
        else:
            out.append((INVESTOR_FIGURES["tab_investor"], self.maximum_loss))
        return out + [(INVESTOR_FIGURES["loft_skaaret"], self.cap_cut), (INVESTOR_FIGURES["gulv_lagt_til"], self.floor_top_up)]

    def rows(self, with_break_even: bool = True) -> list[tuple[str, float | str | None]]:
        """Labelled Danish rows of :meth:`figures`."""
        return labelled_rows(self.figures(with_break_even))


def investor_view(
    settlement: Settlement,
    guarantee: Guarantee | None = None,
    worst_payments: float = 0.0,
    break_even: float | str | None = None,
    break_even_required: float | str | None = None,
) -> InvestorView:
    """The investor's view of ``settlement`` (see :class:`InvestorView`)."""
    cover = 0.0 if guarantee is None else guarantee.cover(settlement.total_investment)
    return InvestorView(settlement, cover, worst_payments, break_even, break_even_required, guarantee is not None)


def settlement_figures(
    settlement: Settlement, guarantee: Guarantee | None = None, view: InvestorView | None = None, payer: str | None = None
) -> list[tuple[LineItem, float | str | None]]:
    """The whole settlement as (line item, value) pairs: :meth:`Settlement.figures`, the guarantee's figures
    (with a guarantee; :meth:`GuaranteedSettlement.settlement_figures`, ``payer`` the authority that pays the outcome
    payments, when known) and the investor's view (break-even only when ``view`` carries a case's break-even).

    Without ``view`` the view is the contract's alone: the lowest payments are 0 (no outcome reached).
    ``sibc afregn`` shows these by their units.
    """
    pairs = list(settlement.figures()) if guarantee is None else GuaranteedSettlement(settlement, guarantee, payer).settlement_figures()
    if view is None:
        pairs += investor_view(settlement, guarantee).figures(with_break_even=False)
    else:
        pairs += view.figures(with_break_even=True)
    return pairs


def settlement_table(
    settlement: Settlement, guarantee: Guarantee | None = None, view: InvestorView | None = None, payer: str | None = None
) -> list[tuple[str, float | str | None]]:
    """:func:`settlement_figures` as labelled Danish rows (``SI_AFREGNING`` shows this table)."""
    return labelled_rows(settlement_figures(settlement, guarantee, view, payer))


__all__ = [
    "settlement_figures", "settlement_table",
    "Guarantee", "GuaranteedSettlement", "InvestorView", "PUBLIC_WORDS", "check_cover", "check_guarantor", "cover_of",
    "check_guarantor_authority", "guarantee_year_words", "guarantee_year_words_excel", "guarantor_party", "public_guarantee",
    "floored_total",
    "guarantee_payment", "guarantee_payment_excel", "investor_view", "maximum_loss",
]
