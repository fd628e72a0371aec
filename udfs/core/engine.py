"""The SØM-style business-case engine: many tiny pure functions, one per line item.

Every driver is an array with one value per draw (shape ``(n,)``), so the same
functions compute one deterministic case (``n = 1``), a scenario, or ten
thousand Monte Carlo draws at once.  Years are columns: arrays of yearly
amounts have shape ``(n, H)`` with H = the case's horizon.  Amounts are kr. at
the case's price level; shares are 0–1.

The calculation, for effect e, intake year t and profile year k (0 = the first
year of the consequence profile):

* net success rate ``s_e − dw_e`` (success rate less deadweight; SØM's
  "succesrate netto for dødvægt");
* the profile lands in year ``t + forloebsaar + forsinkelse_e + k`` with the
  quantity ``profil_e[k] × profilfaktor_e × (1 − frafald_e)^k`` per net
  success;
* quantity change ``ΔQ_e(y) = Σ_t deltagere[t] × (s_e − dw_e) × kernel_e(y − t − offset_e)``;
* saving for authority a: ``−ΔQ_e(y) × pris_e × prisfaktor_e × andel_e(a) × (1 − fradrag_e)``,
  where the shares are the unit cost's, or follow the refusion steps in the
  week the effect's ``refusion`` assumption names;
* the optimism deduction on gains ``fradrag_e`` is ``optimisme.gevinster``
  for an effect whose profile reduces the use of a priced service (its
  savings are gains: ``−pris_e × Σ profil_e > 0``) and 0 for one whose
  profile adds use (extra spending, counted in full): the deduction is there
  to make a case more cautious (the state's business-case model's optimism
  bias), so it never shrinks extra spending (:func:`benefits_kept`);
* costs: ``indsats[y, payer] × omkostningsfaktor × (1 + optimisme.omkostninger)`` for kommune, region
  and stat; the investor's ``indsats[y, investor]`` as given, with neither the cost factor nor the optimism
  mark-up: both are the public business case's cushions against its own uncertain, underestimated costs (the
  state's business-case model), while the investor's cost lines are the contract's investment, on which the
  settlement, the guarantee, the return cap and floor and the INDIGO export are all reckoned
  (:func:`cost_factors`);
* the payer's net: savings(payer) − costs(payer) − outcome payments;
* the public sector's net: savings(all) − costs(kommune, region, stat) − payments.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from .case_model import CASE_DRIVERS, EFFECT_DRIVERS, SHARE_DRIVERS, Case, driver_names, is_share_driver, unknown_driver  # noqa: F401 - re-exported
from .catalogue import lookup
from .discounting import discount_factors
from .errors import SIError
from .guarantee import cover_of, guarantee_payment, guarantor_party
from .indices import OWN, extension_note, index_value, missing_years, resolve, year_span
from .payment import OutcomeMetric, cap_latest_first
from .payers import payer_shares
from .settlement import limit_returns
from .vocabulary import AUTHORITIES, FUND, OUTCOME_PAYERS, PARTIES, PAYERS, VIEW_FIGURES



# --------------------------------------------------------------------------- static data


@dataclass(frozen=True)
class EffectData:
    """What an effect needs that does not vary between draws."""

    id: str
    price: float  # kr. per unit, total public, prices of the case's price year
    shares: np.ndarray  # (3,) kommune, region, stat
    profile: np.ndarray  # (K,) change in quantity per net success, profile years 0..K-1
    offset: int  # years from intake to the first profile year
    participants: np.ndarray  # (H,) the group the effect acts on, by intake year


@dataclass(frozen=True)
class Prepared:
    """A case reduced to arrays: everything that is the same in every draw."""

    case: Case
    participants: np.ndarray  # (H,) starting in each year
    costs: np.ndarray  # (4, H) by payer: kommune, region, stat, investor
    effects: tuple[EffectData, ...]
    discount: np.ndarray  # (H,)
    shares: np.ndarray | None = None  # (4, H) each outcome payer's share by year (OUTCOME_PAYERS), see payer_split

    @property
    def horizon(self) -> int:
        return self.case.horisont


def pad(values, horizon: int) -> np.ndarray:
    """A yearly series as a float array of length ``horizon`` (missing years 0)."""
    out = np.zeros(horizon)
    out[: len(values)] = values
    return out


def unit_price(case: Case, unit_id: str) -> tuple[float, np.ndarray]:
    """kr. per unit at the case's price level, and the (3,) authority shares."""
    unit = lookup(unit_id, case.own_prices())
    shares = np.array([unit.andel_kommune, unit.andel_region, unit.andel_stat], dtype=float)
    if unit.prisaar == case.prisaar:
        return unit.beloeb, shares
    own = case.own_index()
    to_level = index_value(case.prisaar, case.indeks, case.fremskrivning, "prisaar", own)
    return unit.beloeb * to_level / index_value(unit.prisaar, case.indeks, case.fremskrivning, "prisaar", own), shares


def price_note(case: Case) -> str:
    """The Danish lines saying the case's prices use its own index or its ``fremskrivning`` (``""`` when neither).

    Example: ``"Prisindekset npi er forlænget med eget indeks 'KL' (kilde: KL) for 2024–2026,
    kædet i 2023."``
    """
    years = {case.prisaar} | {lookup(e.enhedspris, case.own_prices()).prisaar for e in case.effekter}
    if len(years) == 1:
        return ""
    lines = []
    own = case.eget_indeks
    name, table = resolve(case.indeks, case.own_index())
    if own is not None:
        label = f"eget indeks '{own.navn}' (kilde: {own.kilde})"
        if name == OWN:
            lines.append(f"Priserne er omregnet med {label}.")
        else:
            published = resolve(case.indeks)[1]
            used = sorted(y for y in years if y in table and y not in published)
            if used:
                lines.append(f"Prisindekset {name} er forlænget med {label} for {year_span(used)}, kædet i {max(published)}.")
    rate = extension_note(years, case.indeks, case.fremskrivning, case.own_index())
    return " ".join(lines + ([rate] if rate else []))


CASE_FILE_PRICE_HINT = ("Udfyld 'fremskrivning' (årlig stigning, fx 0,02) eller 'eget_indeks' med værdier for {years} "
                        "i case-filen")
"""What a case file's user fills when prices cannot be moved (``{years}``: the years own values need)."""


def check_price_years(case: Case, hint: str = CASE_FILE_PRICE_HINT) -> None:
    """One error for every unit cost the case cannot move to its price year.

    Raised before any calculation, naming each unit cost with the years the
    index lacks and the fields to fill, instead of one error per effect or a
    cascade of missing values.  ``hint`` names the fields where the user
    fills them: the case file's ``fremskrivning`` and ``eget_indeks`` by
    default, the workbook's cells for a workbook (``workbooks.standard``).
    """
    if case.fremskrivning is not None:
        return
    own, problems, lacking = case.own_index(), [], set()
    units = {}  # the unit costs the case shows: those its effects use, then its other own prices
    for e in case.effekter:
        unit = lookup(e.enhedspris, case.own_prices())
        units.setdefault(unit.id, unit.prisaar)
    for uid, unit in case.own_prices().items():
        units.setdefault(uid, unit.prisaar)
    for uid, year in units.items():
        if year == case.prisaar:
            continue
        missing = missing_years((year, case.prisaar), case.indeks, own)
        if missing:
            lacking.update(missing)
            problems.append(f"'{uid}' (prisår {year}) mangler {year_span(missing)}")
    if problems:
        name, table = resolve(case.indeks, own)
        # Own values must be contiguous and, after the published years, start at the last one (the link year).
        after = [y for y in lacking if y > max(table)]
        years = range(min(min(lacking), max(table)) if after and name != OWN else min(lacking), max(lacking) + 1)
        raise SIError("prisaar", (
            f"enhedspriserne kan ikke omregnes til prisår {case.prisaar} med indekset {name}, som har tal for "
            f"{year_span(table)}: {'; '.join(problems)}. " + hint.format(years=year_span(years))
        ))  # fmt: skip


def cost_matrix(case: Case) -> np.ndarray:
    """(4, H) intervention costs by payer (kommune, region, stat, investor) and year."""
    out = np.zeros((len(PAYERS), case.horisont))
    for cost in case.indsats:
        out[PAYERS.index(cost.betaler)] += pad(cost.pr_aar, case.horisont)
    return out


def prepare(case: Case) -> Prepared:
    """Reduce a case to arrays (catalogue look-ups and uprating happen here, once)."""
    check_price_years(case)
    effects = []
    for i, e in enumerate(case.effekter):
        try:
            price, shares = unit_price(case, e.enhedspris)
        except SIError as err:
            raise SIError(f"effekter[{i}].enhedspris", err.message) from None
        if e.refusion is not None:
            shares = np.array(e.refusion.shares())
        group = pad(e.deltagere if e.deltagere is not None else case.deltagere, case.horisont)
        effects.append(
            EffectData(e.id, price, shares, np.array(e.profil, dtype=float), case.forloebsaar + e.forsinkelse, group)
        )
    p = Prepared(
        case=case,
        participants=pad(case.deltagere, case.horisont),
        costs=cost_matrix(case),
        effects=tuple(effects),
        discount=np.array(discount_factors(case.horisont, case.diskontering)),
    )
    return replace(p, shares=payer_split(p))


def payer_split(p: Prepared) -> np.ndarray:
    """(4, H) each outcome payer's share of the payments by year (kommune, region, stat, fond).

    The split is set once, from the case as given (its base drivers): a share by savings follows where the
    case's expected savings fall each year (:func:`udfs.core.payers.payer_shares`), as a contract fixes it when
    it is signed; scenarios, Monte Carlo draws and break-even move the payments, not the split.
    """
    model = p.case.betalingsmodel
    payers = model.betalere if model else None
    if not payers:
        return payer_shares(None, p.case.betaler, np.zeros((3, 1, p.horizon)))[:, 0]
    base = savings(p, base_drivers(p.case)).sum(axis=0)  # (3, 1, H)
    return payer_shares(payers, p.case.betaler, base)[:, 0]


# --------------------------------------------------------------------------- drivers


@dataclass(frozen=True)
class Drivers:
    """The drivers that vary between draws; each array has one value per draw.

    Effect drivers have shape ``(E, n)`` (one row per effect), case drivers ``(n,)``.
    """

    success: np.ndarray
    deadweight: np.ndarray
    dropoff: np.ndarray
    price_factor: np.ndarray
    profile_factor: np.ndarray
    cost_factor: np.ndarray
    participant_factor: np.ndarray
    optimism_costs: np.ndarray
    optimism_benefits: np.ndarray

    @property
    def n(self) -> int:
        return self.cost_factor.shape[0]


_EFFECT_FIELD = {
    "succesrate": "success",
    "doedvaegt": "deadweight",
    "frafald": "dropoff",
    "prisfaktor": "price_factor",
    "profilfaktor": "profile_factor",
}
_CASE_FIELD = {
    "omkostningsfaktor": "cost_factor",
    "deltagerfaktor": "participant_factor",
    "optimisme.omkostninger": "optimism_costs",
    "optimisme.gevinster": "optimism_benefits",
}


def base_drivers(case: Case, n: int = 1) -> Drivers:
    """The case's own driver values, repeated for ``n`` draws."""

    def effect_rows(values) -> np.ndarray:
        return np.repeat(np.array(values, dtype=float)[:, None], n, axis=1)

    es = case.effekter
    ones = np.ones(n)
    return Drivers(
        success=effect_rows([e.succesrate for e in es]),
        deadweight=effect_rows([e.deadweight for e in es]),
        dropoff=effect_rows([e.frafald for e in es]),
        price_factor=effect_rows([e.prisfaktor for e in es]),
        profile_factor=effect_rows([e.profilfaktor for e in es]),
        cost_factor=ones,
        participant_factor=ones,
        optimism_costs=ones * case.optimisme.omkostninger,
        optimism_benefits=ones * case.optimisme.gevinster,
    )


def driver_bounds(name: str) -> tuple[float, float]:
    """Admissible range of a driver: shares 0–1, factors 0–∞."""
    return (0.0, 1.0) if is_share_driver(name) else (0.0, np.inf)


def get_driver(drivers: Drivers, case: Case, name: str) -> np.ndarray:
    """The values ``(n,)`` of a named driver."""
    kind, row = _locate(case, name)
    values = getattr(drivers, kind)
    return values[row] if row is not None else values


def set_drivers(drivers: Drivers, case: Case, values: dict[str, np.ndarray | float]) -> Drivers:
    """A copy of ``drivers`` with the named drivers replaced (scalars broadcast to all draws)."""
    updates: dict[str, np.ndarray] = {}
    for name, value in values.items():
        kind, row = _locate(case, name)
        lo, hi = driver_bounds(name)
        array = np.broadcast_to(np.asarray(value, dtype=float), (drivers.n,))
        if not np.all(np.isfinite(array)) or np.any(array < lo) or np.any(array > hi):
            raise SIError(name, f"skal ligge mellem {lo:g} og {hi:g}")
        if row is None:
            updates[kind] = array.copy()
        else:
            if kind not in updates:  # copied once per kind, then filled row by row
                updates[kind] = getattr(drivers, kind).copy()
            updates[kind][row] = array
    return replace(drivers, **updates)


def _locate(case: Case, name: str) -> tuple[str, int | None]:
    if name in _CASE_FIELD:
        return _CASE_FIELD[name], None
    parts = name.split(".")
    ids = [e.id for e in case.effekter]
    if len(parts) == 3 and parts[0] == "effekter" and parts[1] in ids and parts[2] in _EFFECT_FIELD:
        return _EFFECT_FIELD[parts[2]], ids.index(parts[1])
    raise SIError(name, unknown_driver(name, driver_names(case)))


# --------------------------------------------------------------------------- line items


def net_rate(success, deadweight):
    """Success rate net of deadweight (SØM's "succesrate netto for dødvægt"), numbers or arrays alike."""
    return success - deadweight


def net_success(d: Drivers) -> np.ndarray:
    """(E, n) success rate net of deadweight (:func:`net_rate`)."""
    return net_rate(d.success, d.deadweight)


def benefits_kept(p: Prepared, d: Drivers) -> np.ndarray:
    """(E, n) the share of each effect's savings kept after the optimism deduction on gains.

    ``1 − optimisme.gevinster`` for an effect whose profile reduces the use of
    a priced service (−price × profile sum > 0: its savings are gains), 1 for
    one whose profile adds use (extra spending).  The deduction makes a case
    more cautious, so it never makes extra spending smaller.  It is decided by
    the profile, not by the net success rate, so savings stay linear in the
    success rate (break-even has no new kinks); a net success rate below 0
    (deadweight above the success rate) is not a gain either, but is left to
    its own warning.  Excel: ``1-optimisme_gev*(retning>0)`` with
    ``retning = SIGN(-pris*SUM(profil))`` (Effekter's overview).
    """
    direction = np.array([-e.price * float(e.profile.sum()) for e in p.effects]).reshape(-1, 1)  # (E, 1)
    gain = (direction * d.price_factor) > 0  # (E, n)
    return 1.0 - d.optimism_benefits[None, :] * gain


def kernel(profile: np.ndarray, dropoff: np.ndarray, profile_factor: np.ndarray) -> np.ndarray:
    """(n, K) quantity per net success in profile years 0..K-1, after drop-off."""
    k = np.arange(profile.shape[0])
    return profile[None, :] * profile_factor[:, None] * (1.0 - dropoff[:, None]) ** k[None, :]


def landed(participants: np.ndarray, kern: np.ndarray, offset: int, horizon: int) -> np.ndarray:
    """(n, H) Σ_t participants[t] × kern shifted to start in year t + offset (cut at the horizon)."""
    out = np.zeros((kern.shape[0], horizon))
    for t in np.flatnonzero(participants):
        start = t + offset
        if start >= horizon:
            break
        width = min(kern.shape[1], horizon - start)
        out[:, start : start + width] += participants[t] * kern[:, :width]
    return out


def quantity_change(p: Prepared, d: Drivers, years: int | None = None) -> np.ndarray:
    """(E, n, H) change in quantity (units of each effect's unit cost) per year.

    ``years`` counts the years from year 0 (default the horizon H); with
    :func:`reach` it gives the amounts the horizon cuts off too.
    """
    net = net_success(d) * d.participant_factor[None, :]
    h = p.horizon if years is None else years
    return np.stack(
        [
            net[i][:, None] * landed(e.participants, kernel(e.profile, d.dropoff[i], d.profile_factor[i]), e.offset, h)
            for i, e in enumerate(p.effects)
        ]
    )


def reach(p: Prepared) -> int:
    """Years from year 0 to the end of the last profile year of any effect (at least the horizon).

    An intake in year t lands its profile in years t + offset .. t + offset +
    K − 1, so amounts can fall after the horizon; the engine's results end at
    the horizon, and these years show what it cuts off.
    """
    ends = [int(np.flatnonzero(e.participants)[-1]) + e.offset + len(e.profile)
            for e in p.effects if np.any(e.participants)]  # fmt: skip
    return max([p.horizon, *ends])


def savings(p: Prepared, d: Drivers, years: int | None = None) -> np.ndarray:
    """(E, 3, n, H) kr. saved per effect, authority (kommune, region, stat), draw and year (``years``: see
    :func:`quantity_change`)."""
    dq = quantity_change(p, d, years)
    price = np.array([e.price for e in p.effects])[:, None] * d.price_factor  # (E, n)
    shares = np.stack([e.shares for e in p.effects])  # (E, 3)
    kept = benefits_kept(p, d)  # (E, n)
    return -dq[:, None, :, :] * (price * kept)[:, None, :, None] * shares[:, :, None, None]


def cost_factors(d: Drivers) -> np.ndarray:
    """(4, n) the factor on each payer's cost lines (kommune, region, stat, investor): ``omkostningsfaktor × (1 +
    optimisme.omkostninger)`` for the public authorities, 1 for the investor.

    Both the optimism mark-up and the cost factor (the uncertainty of the public authorities' own costs, a
    driver of the Monte Carlo, the tornado and the switching values) are corrections of the public business
    case's costs: the optimism mark-up for its systematically underestimated costs (Digitaliseringsstyrelsen's
    business-case model), the cost factor for their spread.  The investor's cost lines are the investment the
    contract fixes and the settlement is reckoned on, so neither applies to them.  Excel: the standard workbook's
    rows ``omk_kommune`` … ``omk_stat`` multiply by ``(1+optimisme_omk)``, ``omk_investor`` does not (the workbook
    has no cost factor).
    """
    public = d.cost_factor * (1.0 + d.optimism_costs)
    return np.stack([public, public, public, np.ones_like(d.cost_factor)])


def costs(p: Prepared, d: Drivers) -> np.ndarray:
    """(4, n, H) intervention costs by payer (kommune, region, stat, investor), kr.: the public authorities' with the
    optimism mark-up, the investor's without (:func:`cost_factors`)."""
    return p.costs[:, None, :] * cost_factors(d)[:, :, None]


# --------------------------------------------------------------------------- outcome payments


def achieved(p: Prepared, d: Drivers, link, payer_savings_by_effect: np.ndarray) -> np.ndarray:
    """(n,) the value a metric is measured at, from the case (see ``MetricLink``), times the link's ``faktor``.

    ``payer_savings_by_effect`` is the payer's savings by effect, draw and year
    (E, n, H), or already summed over the years (E, n).
    """
    ids = [e.id for e in p.effects]
    if link.maal == "besparelse":
        rows = payer_savings_by_effect if link.effekt is None else payer_savings_by_effect[[ids.index(link.effekt)]]
        return link.faktor * rows.sum(axis=(0, 2) if rows.ndim == 3 else 0)
    i = ids.index(link.effekt)
    net = net_success(d)[i]
    if link.maal == "andel":
        return link.faktor * net
    return link.faktor * net * d.participant_factor * p.effects[i].participants.sum()


def achieved_by_year(p: Prepared, link, payer_savings_by_effect: np.ndarray) -> np.ndarray:
    """(n, H) the payer's savings a link measures, by year (kr., times the link's ``faktor``).

    For a metric paid every year (``til_aar``): its link must measure savings
    (``maal: besparelse``); ``payer_savings_by_effect`` is (E, n, H).
    """
    if link.maal != "besparelse":
        raise SIError("maaling", f"et resultatmål med til_aar måles på besparelse, ikke på {link.maal}")
    ids = [e.id for e in p.effects]
    rows = payer_savings_by_effect if link.effekt is None else payer_savings_by_effect[[ids.index(link.effekt)]]
    return link.faktor * rows.sum(axis=0)


def yearly_metrics(case: Case) -> bool:
    """Whether some outcome metric is paid every year (``til_aar``): its payments need the savings by year."""
    model = case.betalingsmodel
    return model is not None and any(m.til_aar is not None for m in model.resultatmaal)


def metric_payment(metric: OutcomeMetric, values: list[np.ndarray], participants: np.ndarray) -> np.ndarray:
    """(n,) payment for one metric: its rule (:mod:`udfs.core.rules`) on the measured value, then its cap."""
    rule = metric.regel
    return metric.capped(rule.pay(rule.measure(values), participants))


def payments(p: Prepared, d: Drivers, payer_savings_by_effect: np.ndarray) -> np.ndarray:
    """(n, H) outcome payments from the payer to the investor, by year.

    ``payer_savings_by_effect``: (E, n, H), or (E, n) summed over the years (see :func:`achieved`).
    """
    out = np.zeros((d.n, p.horizon))
    model = p.case.betalingsmodel
    if model is None:
        return out
    participants = d.participant_factor * p.participants.sum()
    for i, metric in enumerate(model.resultatmaal):
        if metric.aar >= p.horizon:
            raise SIError(f"betalingsmodel.resultatmaal[{i}].aar", f"ligger efter horisonten ({p.horizon} år)")
        links = p.case.maaling[metric.id]
        links = links if isinstance(links, list) else [links]
        if metric.til_aar is not None:  # paid every year on that year's savings
            if metric.til_aar >= p.horizon:
                raise SIError(f"betalingsmodel.resultatmaal[{i}].til_aar", f"ligger efter horisonten ({p.horizon} år)")
            values = [achieved_by_year(p, link, payer_savings_by_effect) for link in links]
            out += metric.yearly(metric.regel.measure(values))
            continue
        values = [achieved(p, d, link, payer_savings_by_effect) for link in links]
        out[:, metric.aar] += metric_payment(metric, values, participants)
    return out if model.loft_kontrakt is None else cap_latest_first(out, model.loft_kontrakt)


def limited_payments(p: Prepared, d: Drivers, pay: np.ndarray) -> np.ndarray:
    """(n, H) the outcome payments after the investor's return cap and floor (``afkastloft``, ``afkastgulv``: shares
    of each draw's investment; the floor's top-up in the contract's settlement year), by
    :func:`udfs.core.settlement.limit_returns`, the settlement's own rule: so the payer's present value, the
    parties' nets, the break-even and the Monte Carlo count what the contract lets the investor receive."""
    case = p.case
    if case.afkastloft is None and case.afkastgulv is None:
        return pay
    investment = cost_factors(d)[3] * p.costs[3].sum()
    return limit_returns(pay, investment, case.afkastloft, case.afkastgulv, case.settlement_year)


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class Result:
    """A calculated case: arrays with a leading draw axis (n = 1 for one case)."""

    prepared: Prepared
    savings: np.ndarray  # (E, 3, n, H)
    costs: np.ndarray  # (4, n, H)
    payments: np.ndarray  # (n, H), after the investor's return cap and floor (limited_payments)
    drivers: Drivers | None = None  # the drivers it was calculated with
    payments_before_limits: np.ndarray | None = None  # (n, H) the payment model's, before afkastloft/afkastgulv

    @property
    def case(self) -> Case:
        return self.prepared.case

    @cached_property
    def savings_by_authority(self) -> np.ndarray:
        """(3, n, H) kr. saved per authority."""
        return self.savings.sum(axis=0)

    @cached_property
    def payer_index(self) -> int:
        return AUTHORITIES.index(self.case.betaler)

    @cached_property
    def payer_shares(self) -> np.ndarray:
        """(4, n, H) each outcome payer's share of the outcome payments (kommune, region, stat, fond: the order of
        :data:`~udfs.core.vocabulary.OUTCOME_PAYERS`), the same in every draw: :func:`payer_split`."""
        return np.broadcast_to(self.prepared.shares[:, None, :], (len(OUTCOME_PAYERS), *self.payments.shape))

    @cached_property
    def payments_by_payer(self) -> np.ndarray:
        """(4, n, H) kr. of outcome payments each outcome payer pays (order of ``OUTCOME_PAYERS``); they add up to
        :attr:`payments`."""
        return self.payer_shares * self.payments[None]

    @cached_property
    def payer_net(self) -> np.ndarray:
        """(n, H) the payer's budget (the case's ``betaler``): its savings − its costs − its outcome payments."""
        return self.net_by_party[self.payer_index]

    @cached_property
    def public_net(self) -> np.ndarray:
        """(n, H) the public sector: all savings − public costs − outcome payments − a public guarantor's payment
        (a central outcomes fund is public money: this is the sum of the nets of kommune, region, stat and the
        fund in :attr:`net_by_party`)."""
        return (self.savings_by_authority.sum(axis=0) - self.costs[:3].sum(axis=0) - self.payments
                - self.public_guarantee[1])

    @cached_property
    def net_by_party(self) -> np.ndarray:
        """(6, n, H) kr. net per party (order of :data:`~udfs.core.vocabulary.PARTIES`: kommune, region, stat,
        investor, fond, garant), the one definition of every party's net:

        * an authority: its savings − its costs − its outcome payments (:attr:`payments_by_payer`);
        * the investor: the outcome payments received − its costs (the investment);
        * the outcomes fund: − its outcome payments;
        * the guarantee's payment to the investor (:attr:`guarantee`, the contract's settlement year): + for the investor, − for the
          guarantor: its authority when public (:attr:`public_guarantee`), else the party ``garant`` (a private
          guarantor, 0 in every other case).

        The payments cancel in the sum: Σ parties = all savings − all costs (the whole economy's net).
        """
        out = np.zeros((len(PARTIES), *self.payments.shape))
        paid = self.payments_by_payer
        out[:3] = self.savings_by_authority - self.costs[:3] - paid[:3]
        out[PARTIES.index("investor")] = self.payments - self.costs[PAYERS.index("investor")]
        out[PARTIES.index(FUND)] = -paid[OUTCOME_PAYERS.index(FUND)]
        guarantor, paid_by_guarantor = self.guarantee
        if guarantor is not None:  # a transfer between two parties: the sum over parties is unchanged
            out[guarantor] -= paid_by_guarantor
            out[PARTIES.index("investor")] += paid_by_guarantor
        return out

    @cached_property
    def guarantee(self) -> tuple[int | None, np.ndarray]:
        """(index in PARTIES or None, (n, H) kr.): what the guarantor pays the investor, in the contract's settlement year
        (:attr:`Case.settlement_year`, :func:`guarantee_by_draw`); the index is its authority's (``garanti.myndighed`` kommune, region or stat) or
        the party ``garant`` (``ingen``: a private guarantor); None and 0 without a guarantee."""
        guarantor, amount = guarantee_by_draw(self.case, self.investment.sum(axis=1), self.payments.sum(axis=1))
        out = np.zeros(self.payments.shape)
        out[:, self.case.settlement_year] = amount
        return guarantor, out

    @cached_property
    def public_guarantee(self) -> tuple[int | None, np.ndarray]:
        """(index in AUTHORITIES or None, (n, H) kr.): :attr:`guarantee` when a public body (``garanti.myndighed``
        kommune, region or stat) is the guarantor; None and 0 without a guarantee or with a private one (``ingen``)."""
        guarantor, paid = self.guarantee
        if guarantor is None or PARTIES[guarantor] not in AUTHORITIES:
            return None, np.zeros(self.payments.shape)
        return guarantor, paid

    @cached_property
    def net_by_payer(self) -> np.ndarray:
        """(4, n, H) kr. net per authority and the investor (order of :data:`PAYERS`): the first four rows of
        :attr:`net_by_party`."""
        return self.net_by_party[: len(PAYERS)]

    @cached_property
    def party_pv(self) -> np.ndarray:
        """(5, n) present value of each party's net (order of ``PARTIES``), kr."""
        return self.pv(self.net_by_party)

    @cached_property
    def headline_net(self) -> np.ndarray:
        """(n, H) the net of the case's authority view (``visning``, :data:`~udfs.core.vocabulary.VIEW_FIGURES`):
        the payer's or the whole public sector's."""
        return self.payer_net if VIEW_FIGURES[self.case.visning] == "betaler" else self.public_net

    def pv(self, rows: np.ndarray) -> np.ndarray:
        """Present value (year 0 undiscounted) along the year axis."""
        return rows @ self.prepared.discount

    @cached_property
    def payer_pv(self) -> np.ndarray:
        """(n,) present value of the payer's net, kr."""
        return self.pv(self.payer_net)

    @cached_property
    def public_pv(self) -> np.ndarray:
        return self.pv(self.public_net)

    @cached_property
    def investment(self) -> np.ndarray:
        """(n, H) costs the investor pre-finances."""
        return self.costs[3]

    @cached_property
    def investor_net(self) -> np.ndarray:
        """(n,) payments − investment over the contract (undiscounted), kr."""
        return self.payments.sum(axis=1) - self.investment.sum(axis=1)


def guarantee_by_draw(case: Case, investment: np.ndarray, received: np.ndarray) -> tuple[int | None, np.ndarray]:
    """(index in PARTIES or None, (n,) kr.) the guarantor's payment at the contract's end per draw, from each draw's
    total investment and total outcome payments (undiscounted): :func:`udfs.core.guarantee.guarantee_payment` with the
    cover of ``garanti`` (an amount, or a share of the draw's investment).  The index is the authority's
    (``garanti.myndighed`` kommune, region or stat; an authority's index is the same in AUTHORITIES) or the party
    ``garant`` (``ingen``); None and 0 without a guarantee.  The engine's nets (:attr:`Result.net_by_party`) and
    :func:`present_values` take it from here."""
    g = case.garanti
    if g is None:
        return None, np.zeros(np.shape(received))
    amount = guarantee_payment(investment, received, cover_of(investment, g.beloeb, g.andel))
    return PARTIES.index(guarantor_party(g.myndighed)), np.broadcast_to(amount, np.shape(received))


def calculate(p: Prepared, d: Drivers) -> Result:
    """Run the engine for prepared case data and drivers."""
    s = savings(p, d)
    payer = AUTHORITIES.index(p.case.betaler)
    contract = payments(p, d, s[:, payer])
    return Result(p, s, costs(p, d), limited_payments(p, d, contract), d, contract)


def run(case: Case) -> Result:
    """The deterministic case (one draw)."""
    return calculate(prepare(case), base_drivers(case))


# --------------------------------------------------------------------------- present values without the year axis


def weighted_landed(e: EffectData, dropoff: np.ndarray, profile_factor: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(W, n) ``landed(e.participants, kernel(...), e.offset, H) @ weights.T`` without the (n, H)
    array, for (W, H) ``weights``.

    By linearity, Σ_y landed[y] w[y] = profilfaktor × Σ_k c[k] (1 − frafald)^k with
    c[k] = profil[k] × Σ_t deltagere[t] w[t + offset + k] over the years inside the
    horizon: a polynomial in (1 − frafald), evaluated by Horner's rule in O(n × K).
    """
    horizon = weights.shape[1]
    c = np.zeros((weights.shape[0], e.profile.shape[0]))
    for t in np.flatnonzero(e.participants):
        start = t + e.offset
        if start >= horizon:
            break
        width = min(c.shape[1], horizon - start)
        c[:, :width] += e.participants[t] * weights[:, start : start + width]
    c *= e.profile[None, :]
    keep = 1.0 - dropoff
    total = np.zeros((c.shape[0], dropoff.shape[0]))
    for k in range(c.shape[1] - 1, -1, -1):
        total = total * keep[None, :] + c[:, k : k + 1]
    return profile_factor[None, :] * total


def _savings_parts(p: Prepared, d: Drivers, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(E, n) kr. per landed unit (net success × participants × price, after optimism), (W, E, n) the
    landed quantity weighted over the years, (E, 3) each effect's split between the authorities."""
    price = np.array([e.price for e in p.effects])[:, None] * d.price_factor  # (E, n)
    shares = np.stack([e.shares for e in p.effects]) if p.effects else np.zeros((0, 3))  # (E, 3)
    kept = benefits_kept(p, d)  # (E, n)
    amount = net_success(d) * d.participant_factor[None, :] * price * kept  # (E, n)
    weighted = np.stack(
        [weighted_landed(e, d.dropoff[i], d.profile_factor[i], weights) for i, e in enumerate(p.effects)], axis=1
    ) if p.effects else np.zeros((weights.shape[0], 0, d.n))  # fmt: skip
    return amount, weighted, shares


def weighted_savings(p: Prepared, d: Drivers, weights: np.ndarray, authority: int | None = None) -> np.ndarray:
    """(W, E, 3, n) ``savings(p, d) @ weights.T`` for (W, H) ``weights``: each effect's savings
    per authority, weighted over the years (discount factors: the present value; ones: the
    sum), without the year axis.  With ``authority`` (0 kommune, 1 region, 2 stat): only
    that authority's, (W, E, n).
    """
    amount, weighted, shares = _savings_parts(p, d, weights)
    if authority is not None:
        return -(amount * shares[:, authority, None])[None] * weighted
    return -(amount[None] * weighted)[:, :, None, :] * shares[None, :, :, None]


def pv_and_investor_net(p: Prepared, d: Drivers) -> tuple[np.ndarray, np.ndarray]:
    """(n,) the payer's PV and (n,) the investor's net, as ``calculate(p, d).payer_pv`` and
    ``.investor_net``, in O(n × (E × K + H)) memory instead of O(E × 3 × n × H).

    Equal to the full engine up to rounding (the sums run in another order; the tests
    compare them at 1e-12 relative).  Used by the Monte Carlo, which needs only these two.
    """
    payer_pv, _, investor_net = present_values(p, d, public=False)
    return payer_pv, investor_net


def present_values(p: Prepared, d: Drivers, public: bool = True) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """(n,) the payer's PV, (n,) the public sector's PV (None unless ``public``) and (n,) the
    investor's net, as ``calculate(p, d)``'s ``payer_pv``, ``public_pv`` and ``investor_net``,
    without the year axis (see :func:`pv_and_investor_net`)."""
    payer = AUTHORITIES.index(p.case.betaler)
    weights = np.stack([p.discount, np.ones(p.horizon)])
    if public:  # the landed quantities weighted once, for the payer's share and for all authorities' shares
        amount, weighted, shares = _savings_parts(p, d, weights)
        landed = amount[None] * weighted  # (2, E, n)
        discounted, summed = -landed * shares[None, :, payer, None]
        all_savings = -(landed[0] * shares.sum(axis=1)[:, None]).sum(axis=0)
    else:
        discounted, summed = weighted_savings(p, d, weights, payer)
    # summed: (E, n) the payer's savings by effect over the years; a metric paid every year needs them by year
    pay = limited_payments(p, d, payments(p, d, savings(p, d)[:, payer] if yearly_metrics(p.case) else summed))
    factor = cost_factors(d)
    payer_pv = discounted.sum(axis=0) - factor[payer] * (p.costs[payer] @ p.discount) - pay @ (p.shares[payer] * p.discount)
    investment = factor[3] * p.costs[3].sum()
    guarantor, guaranteed = guarantee_by_draw(p.case, investment, pay.sum(axis=1))  # paid at the contract's end
    guaranteed_pv = guaranteed * p.discount[p.case.settlement_year]
    if guarantor == payer:
        payer_pv = payer_pv - guaranteed_pv
    public_pv = None
    if public:
        public_paid = guaranteed_pv if guarantor is not None and PARTIES[guarantor] in AUTHORITIES else 0.0
        public_pv = all_savings - factor[0] * (p.costs[:3].sum(axis=0) @ p.discount) - pay @ p.discount - public_paid
    return payer_pv, public_pv, pay.sum(axis=1) - investment
