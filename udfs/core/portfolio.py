"""A portfolio of business cases: expected and realised figures per case and in total.

Each case is run by the engine (:func:`udfs.core.engine.run`); the portfolio
only sums what the engine gives.  Per case and in total:

* ``investering`` — the costs the investor pre-finances, kr. (``Result.investment``);
* ``betalinger`` — the outcome payments, all payers together, kr. (``Result.payments``);
* ``bes_kommune``, ``bes_region``, ``bes_stat`` — savings per authority, kr.;
* ``garanti_betaling`` — what the case's guarantor (``garanti``, not the payer)
  pays the investor at the end of the contract, kr. (0 without a guarantee;
  :class:`udfs.core.guarantee.GuaranteedSettlement` on the case's settlement,
  as ``sibc afregn`` shows it);
* ``garanti_kommune``, ``garanti_region``, ``garanti_stat`` — the part of it a public
  guarantor pays (``garanti.myndighed``), by authority, kr. (0 for a private guarantor): the
  engine's :attr:`~udfs.core.engine.Result.public_guarantee`, which that authority's net and the
  investor's net below already count;
* ``borgere`` — citizens helped: participants × net success rate (success rate
  less deadweight), the largest over the case's effects (the effects act on the
  same citizens, so their counts are not added);
* ``netto_<a>`` and ``nv_<a>`` — each authority's net, kr. and present value:
  its savings − its costs − its own share of the outcome payments (the
  case's ``betaler``, or each payer of ``betalingsmodel.betalere``); the
  investor's net is payments − investment; the outcomes fund's − its payments; a public
  guarantor's payment counts in its authority's net (−) and the investor's (+);
* the realised figures of the case file's ``realiseret`` block (payments,
  savings per authority, citizens in work), ``None`` where not given.

Amounts are each case's own price level (its currency, ``valuta``, at its ``prisaar``; one currency for all), summed
undiscounted (``netto_*``) or at each case's own discounting (``nv_*``).  Bad
files do not stop the portfolio: each is reported with its Danish message
(:class:`Portfolio` ``errors``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


from .case_model import Case, MetricLink
from .casefile import read_case_file
from .engine import Result, achieved, run
from .errors import SIError
from .files import CASE_SUFFIXES
from .businesscase import authority_figures
from .guarantee import GUARANTEE_FIGURES
from .lineitems import AUTHORITY_LINES, LineItem
from .published import guaranteed_settlement
from .vocabulary import AUTHORITIES, CURRENCY, PARTIES, PARTY_WORDS

MAX_PORTFOLIO_FILES = 500
"""Most case files read from one folder."""

PARTY_LINES: tuple[tuple[str, str], ...] = (("bes", "Besparelse"), ("netto", "Netto"), ("nv", "Nutidsværdi"))
"""The who-pays-who-gains figures (:func:`udfs.core.businesscase.authority_figures`, ``myn_<suffix>``, one value per
party of :data:`~udfs.core.vocabulary.PARTIES`) the portfolio shows per party: suffix and the column's label. Savings
are shown for the parties that have any (the authorities), nets and present values for every party, so a new party
of ``PARTIES`` gets its columns by itself."""
assert {k for k, _ in PARTY_LINES} <= {k for k, _ in AUTHORITY_LINES}


def party_columns(suffix: str, label: str) -> tuple[LineItem, ...]:
    """The portfolio's columns of who-pays-who-gains figure ``myn_<suffix>``: one per party (savings: per authority)."""
    return tuple(LineItem(f"{suffix}_{p}", f"{label} {PARTY_WORDS[p].lower()}", "kr") for p in (AUTHORITIES if suffix == "bes" else PARTIES))


_PARTY = {suffix: party_columns(suffix, label) for suffix, label in PARTY_LINES}

COLUMNS: tuple[LineItem, ...] = (
    LineItem("investering", "Investering", "kr"),
    LineItem("betalinger", "Resultatbetalinger", "kr"),
    *(LineItem(item.name, item.label, "kr") for item in GUARANTEE_FIGURES if item.name == "garanti_betaling"),
    *(LineItem(f"garanti_{a}", f"Garanti betalt af {PARTY_WORDS[a].lower()}", "kr") for a in AUTHORITIES),
    *_PARTY["bes"],
    LineItem("borgere", "Borgere hjulpet", "ratio"),
    *_PARTY["netto"],
    *_PARTY["nv"],
    LineItem("real_betalinger", "Realiseret resultatbetalinger", "kr"),
    *(LineItem(f"real_bes_{a}", f"Realiseret besparelse {a}", "kr") for a in AUTHORITIES),
    LineItem("real_borgere", "Realiseret borgere i arbejde", "ratio"),
)
"""The portfolio's figures per case, in column order: stable name, Danish label, unit."""

NAMES = tuple(c.name for c in COLUMNS)


@dataclass(frozen=True)
class Line:
    """One case of the portfolio: its file, name, figures by :data:`COLUMNS` name, and realised date and source."""

    file: str
    name: str
    figures: dict[str, float | None]
    realised_date: str = ""
    realised_source: str = ""
    valuta: str = CURRENCY
    """The case's currency (ISO 4217, :attr:`udfs.core.case_model.Case.valuta`)."""


@dataclass(frozen=True)
class Portfolio:
    """The cases that could be calculated, their totals and the files that could not (file name, Danish message)."""

    lines: tuple[Line, ...]
    totals: dict[str, float | None]
    errors: tuple[tuple[str, str], ...] = field(default=())

    @property
    def valuta(self) -> str:
        """The currency of every amount (one for all cases, :func:`portfolio` refuses a mix); DKK without cases."""
        return self.lines[0].valuta if self.lines else CURRENCY


def citizens_helped(result: Result) -> float:
    """Participants × net success rate, the largest over the case's effects (each measured as a metric
    ``maal: antal`` is, :func:`udfs.core.engine.achieved`)."""
    p, d = result.prepared, result.drivers
    counts = [float(achieved(p, d, MetricLink(effekt=e.id, maal="antal"), None)[0]) for e in result.case.effekter]
    return max(counts)


def case_figures(case: Case) -> dict[str, float | None]:
    """The portfolio figures of one case, keyed by :data:`COLUMNS` names (realised ones ``None`` where not given)."""
    result = run(case)
    parties = authority_figures(result)  # by PARTIES: the table on Overblik
    out: dict[str, float | None] = {
        "investering": float(result.investment[0].sum()),
        "betalinger": float(result.payments[0].sum()),
        "borgere": citizens_helped(result),
    }
    guaranteed = guaranteed_settlement(case)  # None without a guarantee (the guarantor then pays nothing)
    out["garanti_betaling"] = 0.0 if guaranteed is None else float(guaranteed.payment)
    guarantor, by_year = result.public_guarantee  # the public guarantor's part, by authority (in the nets below)
    out |= {f"garanti_{a}": float(by_year[0].sum()) if k == guarantor else 0.0 for k, a in enumerate(AUTHORITIES)}
    for suffix, _ in PARTY_LINES:  # each party's figure from the Overblik table (its column name ends in the party)
        out |= {item.name: parties[f"myn_{suffix}"][PARTIES.index(item.name.split("_", 1)[1])] for item in _PARTY[suffix]}
    real = case.realiseret
    savings = real.besparelser if real is not None else None
    out["real_betalinger"] = real.betalinger if real is not None else None
    for a in AUTHORITIES:
        out[f"real_bes_{a}"] = getattr(savings, a) if savings is not None else None
    out["real_borgere"] = real.borgere_i_arbejde if real is not None else None
    return {name: out[name] for name in NAMES}  # in column order


def totals(lines: list[Line] | tuple[Line, ...]) -> dict[str, float | None]:
    """Each column summed over the cases; a realised column is ``None`` when no case gives it."""
    out: dict[str, float | None] = {}
    for name in NAMES:
        given = [line.figures[name] for line in lines if line.figures[name] is not None]
        out[name] = float(sum(given)) if given else None
    return out


def case_files(folder: str | Path) -> list[Path]:
    """The case files (``.yaml``, ``.yml``, ``.json``) directly in ``folder``, in name order."""
    p = Path(folder)
    if not p.is_dir():
        raise SIError("mappe", f"'{p.name or folder}' er ikke en mappe")
    files = sorted(f for f in p.iterdir() if f.suffix.lower() in CASE_SUFFIXES and f.is_file())
    if not files:
        raise SIError("mappe", f"'{p.name or folder}' indeholder ingen case-filer (.yaml, .yml eller .json)")
    if len(files) > MAX_PORTFOLIO_FILES:
        raise SIError("mappe", f"har {len(files)} case-filer; højst {MAX_PORTFOLIO_FILES}")
    return files


def refuse_mixed_currencies(lines: list[Line]) -> None:
    """A Danish :class:`~udfs.core.errors.SIError` on ``mappe`` when the cases are in more than one currency."""
    by_currency: dict[str, list[str]] = {}
    for line in lines:
        by_currency.setdefault(line.valuta, []).append(line.file)
    if len(by_currency) > 1:
        listed = "; ".join(f"{code}: {', '.join(files)}" for code, files in sorted(by_currency.items()))
        raise SIError("mappe", f"casene er i forskellige valutaer ({listed}); beløb i forskellige valutaer kan ikke lægges "
                      "sammen: læg casene i hver sin mappe efter valuta")


def portfolio(folder: str | Path) -> Portfolio:
    """The portfolio of every case file in ``folder`` (see the module docstring).

    A file that cannot be read or calculated is left out and listed in
    ``errors`` with its Danish message; the others are calculated.  Cases in
    more than one currency (``valuta``) are refused: amounts in different
    currencies cannot be added (:class:`~udfs.core.errors.SIError` on
    ``mappe`` naming the files of each currency).
    """
    lines, errors = [], []
    for path in case_files(folder):
        try:
            case = read_case_file(path)
            figures = case_figures(case)
        except SIError as err:
            errors.append((path.name, err.danish))
            continue
        real = case.realiseret
        lines.append(Line(path.name, case.navn, figures, real.dato if real else "", real.kilde if real else "", case.valuta))
    refuse_mixed_currencies(lines)
    return Portfolio(tuple(lines), totals(lines), tuple(errors))
