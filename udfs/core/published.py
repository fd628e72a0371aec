"""A case's figures as published, compared with the calculation; the settlement of a case.

A case taken from a publication (the three examples of seed 000, "Sociale
effektinvesteringer") is an ordinary case file whose values carry their
``kilde``/``antagelse`` (:mod:`udfs.core.sourced`) and which holds the figures
as published in ``offentliggjort`` (mio. kr. at one decimal).  Nothing here
changes the calculation: :func:`reproduction` sets the published figure next
to the computed one and :func:`deviations` says where they differ, so that a
copy with a driver changed (a what-if) calculates and reports how far it is
from the publication.
"""

from __future__ import annotations

from collections.abc import Sequence

from .case_model import Case
from .engine import Result, run
from .rounding import excel_round
from .settlement import Settlement, settle


def mio(value: float) -> float:
    """kr. → mio. kr. at one decimal, rounded like Excel's ROUND (the published precision).

    Excel equivalent: ``=ROUND(beløb/1000000; 1)``.

    Examples
    --------
    >>> mio(6_400_000.08)
    6.4
    >>> mio(1_250_000)
    1.3
    """
    return excel_round(value / 1e6, 1)


def settle_case(case: Case, payments: Sequence[float] | None = None, result: Result | None = None) -> Settlement:
    """The contract of ``case`` settled (see :func:`udfs.core.settlement.settle`).

    The investment is what the investor pays (cost lines with ``betaler:
    investor``), the savings are the payer's, and the payments are the
    engine's on the case as given (or ``payments``, kr. per year, e.g.
    measured ones); ``afkastloft`` and ``afkastgulv`` are the case's.  SIError
    (naming ``investering``) for a case without an investment.
    """
    r = result if result is not None else run(case)
    return settle(
        r.investment[0],
        r.payments[0] if payments is None else payments,
        r.savings_by_authority[r.payer_index, 0],
        return_cap=case.afkastloft,
        return_floor=case.afkastgulv,
    )


def reproduction(case: Case, result: Result | None = None) -> list[tuple[str, float | None, float]]:
    """Rows ``(label, published, computed)``, mio. kr. at one decimal; [] for a case without published figures.

    ``published`` is None where the source does not show the figure.  Savings
    are the payer's, one row per effect (published in ``offentliggjort.besparelser``).
    The workbook's Offentliggjort sheet has the same rows.
    """
    pub = case.offentliggjort
    if pub is None:
        return []
    r = result if result is not None else run(case)
    s = settle_case(case, result=r)
    payer = r.payer_index
    rows: list[tuple[str, float | None, float]] = [("Investering", pub.investering, mio(s.total_investment))]
    rows += [(f"Besparelse: {e.navn}", pub.besparelser.get(e.id), mio(r.savings[i, payer, 0].sum())) for i, e in enumerate(case.effekter)]
    rows += [
        ("Besparelse i alt", pub.besparelse_i_alt, mio(s.total_savings)),
        ("Betaling ved fuld succes", pub.betaling_ved_fuld_succes, mio(s.total_payments)),
        ("Investors bonus", pub.investors_bonus, mio(s.bonus)),
        ("Kommunal nettobesparelse", pub.kommunal_nettobesparelse, mio(s.net_saving)),
    ]
    return rows


def deviations(rows: list[tuple[str, float | None, float]]) -> list[tuple[str, float, float]]:
    """The rows of :func:`reproduction` whose computed figure is not the published one."""
    return [(label, pub, calc) for label, pub, calc in rows if pub is not None and pub != calc]


def deviation_text(rows: list[tuple[str, float | None, float]]) -> str:
    """One Danish sentence on how the calculation compares with the published figures ('' without any)."""
    if not rows:
        return ""
    off = deviations(rows)
    if not off:
        return "Alle offentliggjorte tal genskabes."

    def dk(x: float) -> str:
        return f"{x:.1f}".replace(".", ",")

    parts = "; ".join(f"{label} {dk(pub)} offentliggjort, {dk(calc)} beregnet" for label, pub, calc in off)
    return f"Casen afviger fra de offentliggjorte tal (mio. kr.): {parts}."
