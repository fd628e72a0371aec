"""Published example cases: a case-file model, a loader, and the settlement of a case.

A case file (YAML) holds one published business case: its source, the
investment by year, the savings components — each the product of four drivers
(participants × change in quantity × unit price × effect) spread over the
years by a time profile — the payment model (:mod:`udfs.core.payment`), the
outcomes achieved on full success, and the published figures the calculation
must reproduce (mio. kr. at one decimal, as published).

Every driver carries either a ``kilde`` (where the number is published) or an
``antagelse`` (the assumption made where the published material gives only
totals), or both.  A derived number is never given a source it does not have.

Field names are the Danish names of the case file, spelled in ASCII.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from .errors import SIError, count
from .files import read_data
from .payment import (
    PaymentModel,
    StrictModel,
    contract_payments,
    si_error_from_validation,
)
from .rounding import excel_round
from .settlement import Settlement, settle

Achieved = float | list[float] | list[list[float]]


class Driver(StrictModel):
    """One driver of a savings component: a value, its unit, and where it comes from."""

    vaerdi: float
    enhed: str = Field(min_length=1)
    kilde: str | None = Field(None, description="Hvor tallet er offentliggjort.")
    antagelse: str | None = Field(None, description="Antagelsen, hvis tallet ikke er offentliggjort (eller er afledt).")

    @model_validator(mode="after")
    def _traceable(self) -> Driver:
        if not (self.kilde or self.antagelse):
            raise SIError("kilde", "hvert tal skal have en kilde eller en antagelse")
        return self


class Drivers(StrictModel):
    """The four drivers whose product is a savings component (kr.)."""

    deltagere: Driver
    maengdeaendring: Driver
    enhedspris: Driver
    effekt: Driver

    @model_validator(mode="after")
    def _signs(self) -> Drivers:
        if self.deltagere.vaerdi < 0:
            raise SIError("deltagere", "må ikke være negativ")
        if not 0.0 <= self.effekt.vaerdi <= 1.0:
            raise SIError("effekt", "skal være en andel mellem 0 og 1, ikke procent")
        return self


class TimeProfile(StrictModel):
    """Shares of an amount per contract year (year 0 first), summing to 1."""

    andele: list[float] = Field(min_length=1)
    antagelse: str | None = None
    kilde: str | None = None

    @model_validator(mode="after")
    def _shares(self) -> TimeProfile:
        if any(not 0.0 <= a <= 1.0 for a in self.andele):
            raise SIError("andele", "skal være andele mellem 0 og 1, ikke procent")
        if not math.isclose(math.fsum(self.andele), 1.0, abs_tol=1e-9):
            raise SIError("andele", "skal summe til 1")
        if not (self.antagelse or self.kilde):
            raise SIError("antagelse", "tidsprofilen skal have en kilde eller en antagelse")
        return self


class SavingsComponent(StrictModel):
    """A savings component: drivers and when the savings fall."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    navn: str = Field(min_length=1)
    drivere: Drivers
    tidsprofil: TimeProfile


class Investment(StrictModel):
    """The investor's investment, kr. per contract year."""

    pr_aar: list[float] = Field(min_length=1, description="kr. pr. kontraktår, år 0 først.")
    kilde: str | None = None
    antagelse: str | None = None

    @model_validator(mode="after")
    def _non_negative(self) -> Investment:
        if any(v < 0 for v in self.pr_aar):
            raise SIError("pr_aar", "må ikke være negativ")
        if not (self.kilde or self.antagelse):
            raise SIError("kilde", "investeringen skal have en kilde eller en antagelse")
        return self


class Source(StrictModel):
    """Where a case is published."""

    udgiver: str = Field(min_length=1)
    titel: str = Field(min_length=1)
    afsnit: str = Field(min_length=1)
    seed: str = Field(min_length=1, description="Id for kildeteksten i projektets seeds/.")


class PublishedFigures(StrictModel):
    """The figures as published, in mio. kr. at one decimal."""

    investering: float
    besparelser: dict[str, float] = Field(description="Pr. besparelseskomponent (id → mio. kr.).")
    besparelse_i_alt: float
    betaling_ved_fuld_succes: float
    investors_bonus: float | None = Field(None, description="None hvis kilden ikke viser tallet.")
    kommunal_nettobesparelse: float
    bemaerkning: str | None = None


class PublishedCase(StrictModel):
    """One published example case (see the module docstring for the format)."""

    navn: str = Field(min_length=1)
    beskrivelse: str = Field(min_length=1)
    kilde: Source
    investering: Investment
    besparelser: list[SavingsComponent] = Field(min_length=1)
    betalingsmodel: PaymentModel
    opnaaet_ved_fuld_succes: dict[str, Achieved]
    opnaaet_antagelse: str | None = None
    afkastloft: float | None = None
    afkastgulv: float | None = None
    prisaar: int = Field(2024, ge=1990, le=2100, description="Prisniveau; kilden oplyser det ikke.")
    prisaar_antagelse: str | None = None
    offentliggjorte_tal: PublishedFigures

    @model_validator(mode="after")
    def _consistent(self) -> PublishedCase:
        n = len(self.investering.pr_aar)
        for i, c in enumerate(self.besparelser):
            if len(c.tidsprofil.andele) != n:
                raise SIError(
                    f"besparelser[{i}].tidsprofil.andele",
                    f"har {count(len(c.tidsprofil.andele), 'værdi', 'værdier')}, men investering har {n} — områderne skal være lige lange",
                )
        if self.betalingsmodel.years() > n:
            raise SIError(
                "betalingsmodel",
                f"et resultatmål måles i år {self.betalingsmodel.years() - 1}, men casen har kun år 0–{n - 1}",
            )
        ids = [c.id for c in self.besparelser]
        if sorted(self.offentliggjorte_tal.besparelser) != sorted(ids):
            raise SIError(
                "offentliggjorte_tal.besparelser", f"skal have ét tal pr. besparelseskomponent: {', '.join(ids)}"
            )
        return self

    @property
    def years(self) -> int:
        """Number of contract years (year 0 … years − 1)."""
        return len(self.investering.pr_aar)


def component_savings(component: SavingsComponent) -> float:
    """Total savings of a component, kr.

    Notes
    -----
    ``savings = participants × quantity change × unit price × effect``
    (SØM's ``deltagere × succesrate × ændring i forbrug × pris``).

    Excel equivalent: ``=deltagere*mængdeændring*enhedspris*effekt``.
    """
    d = component.drivere
    return d.deltagere.vaerdi * d.maengdeaendring.vaerdi * d.enhedspris.vaerdi * d.effekt.vaerdi


def component_savings_by_year(component: SavingsComponent) -> list[float]:
    """A component's savings spread over the years by its time profile, kr. per year."""
    total = component_savings(component)
    return [total * share for share in component.tidsprofil.andele]


def case_savings_by_year(case: PublishedCase) -> list[float]:
    """All components' savings, kr. per year."""
    per_component = [component_savings_by_year(c) for c in case.besparelser]
    return [math.fsum(year) for year in zip(*per_component)]


def case_payments_by_year(case: PublishedCase) -> list[float]:
    """The payer's payments on full success, kr. per year.

    Savings-share metrics take their entry in ``opnaaet_ved_fuld_succes`` as
    the measured savings (kr.); every other metric as the outcome achieved.
    """
    model = case.betalingsmodel
    shares = {m.id for m in model.resultatmaal if m.regel.ON_SAVINGS}
    achieved = {k: v for k, v in case.opnaaet_ved_fuld_succes.items() if k not in shares}
    savings = {k: v for k, v in case.opnaaet_ved_fuld_succes.items() if k in shares}
    return contract_payments(model, achieved, savings=savings, years=case.years)


def settle_case(case: PublishedCase) -> Settlement:
    """Settle a case on full success (see :func:`udfs.core.settlement.settle`)."""
    return settle(
        case.investering.pr_aar,
        case_payments_by_year(case),
        case_savings_by_year(case),
        return_cap=case.afkastloft,
        return_floor=case.afkastgulv,
    )


def parse_case(data: Any) -> PublishedCase:
    """Validate plain data as a :class:`PublishedCase`; SIError (Danish, naming the field) on failure."""
    try:
        return PublishedCase.model_validate(data)
    except ValidationError as exc:
        raise si_error_from_validation(exc, model=PublishedCase) from None


def load_case(path: str | Path) -> PublishedCase:
    """Read and validate a published case file (YAML or JSON)."""
    return parse_case(read_data(path))


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


def reproduction(case: PublishedCase) -> list[tuple[str, float | None, float]]:
    """Published figure next to the computed one, both mio. kr. at one decimal.

    Rows ``(label, published, computed)``; ``published`` is None where the
    source does not show the figure.
    """
    s = settle_case(case)
    published = case.offentliggjorte_tal
    rows: list[tuple[str, float | None, float]] = [("Investering", published.investering, mio(s.total_investment))]
    rows += [
        (f"Besparelse: {c.navn}", published.besparelser[c.id], mio(component_savings(c))) for c in case.besparelser
    ]
    rows += [
        ("Besparelse i alt", published.besparelse_i_alt, mio(s.total_savings)),
        ("Betaling ved fuld succes", published.betaling_ved_fuld_succes, mio(s.total_payments)),
        ("Investors bonus", published.investors_bonus, mio(s.bonus)),
        ("Kommunal nettobesparelse", published.kommunal_nettobesparelse, mio(s.net_saving)),
    ]
    return rows


# --------------------------------------------------------------------------- as a business case


def _own_price(case: PublishedCase, c: SavingsComponent) -> dict:
    d = c.drivere
    return {
        "id": f"{c.id}_pris", "navn": f"{c.navn}: pris pr. {d.maengdeaendring.enhed}"[:200], "enhed": "haendelse",
        "beloeb": d.enhedspris.vaerdi, "prisaar": case.prisaar,
        "andel_kommune": 1, "andel_region": 0, "andel_stat": 0,
        "fordelingsgrundlag": "Kilden opgør kommunens besparelse; hele beløbet regnes som kommunens",
        "budgetomraade": "Kommunens egen pris", "kilde_udgiver": case.kilde.udgiver,
        "kilde_dokument": f"{case.kilde.titel}: {case.kilde.afsnit}", "kildetype": "egen",
        "note": d.enhedspris.antagelse or d.enhedspris.kilde or "",
    }  # fmt: skip


def _effect(c: SavingsComponent) -> dict:
    d = c.drivere
    return {
        "id": c.id, "navn": c.navn, "enhedspris": f"{c.id}_pris",
        "profil": [-d.maengdeaendring.vaerdi * share for share in c.tidsprofil.andele],
        "succesrate": d.effekt.vaerdi, "deltagere": [d.deltagere.vaerdi],
    }  # fmt: skip


def business_case_data(case: PublishedCase) -> dict:
    """A published case in the business-case format (see :mod:`udfs.core.case_model`), as plain data.

    Each savings component becomes an effect on its own price (kommune 100 %):
    participants in year 0, success rate = the component's effect, and a
    profile of −quantity × the time-profile share per year.  The investment is
    a cost the investor pays.  Linear and tier rules are moved from the
    published unit to the success-rate scale (at full success the measured
    value is the effect), and each metric is measured as the net success
    rate of the component with the same id.
    """
    components = {c.id: c for c in case.besparelser}
    metrics, links = [], {}
    for m in case.betalingsmodel.resultatmaal:
        if m.id not in components:
            raise SIError("betalingsmodel", f"resultatmålet '{m.id}' har ingen besparelseskomponent med samme id")
        full = case.opnaaet_ved_fuld_succes[m.id]
        factor = components[m.id].drivere.effekt.vaerdi / full
        metrics.append({**m.model_dump(mode="json", exclude_none=True), "regel": m.regel.rescaled(factor)})
        links[m.id] = {"effekt": m.id, "maal": "andel"}
    model = {"resultatmaal": metrics}
    if case.betalingsmodel.loft_kontrakt is not None:
        model["loft_kontrakt"] = case.betalingsmodel.loft_kontrakt
    first = case.besparelser[0].drivere.deltagere.vaerdi
    return {
        "navn": case.navn, "beskrivelse": case.beskrivelse,
        "kilde": f"{case.kilde.udgiver}: {case.kilde.titel}, {case.kilde.afsnit} (seed {case.kilde.seed})",
        "prisaar": case.prisaar, "horisont": case.years, "deltagere": [first],
        "indsats": [{"navn": "Investering (investor)", "betaler": "investor", "pr_aar": list(case.investering.pr_aar)}],
        "egne_priser": [_own_price(case, c) for c in case.besparelser],
        "effekter": [_effect(c) for c in case.besparelser],
        "betalingsmodel": model, "maaling": links,
    }  # fmt: skip
