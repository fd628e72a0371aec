"""The business-case file: a SØM-style case as a validated pydantic model.

A case file (YAML or JSON, Danish field names in ASCII) describes a target
group and its participants by intake year, the intervention's costs by year and
payer, and for each effect the unit cost it acts on and the change in quantity
per successful participant in each year after completion (the consequence
profile), with success rate, deadweight, drop-off and lag.  Optionally it holds
a payment model (:mod:`udfs.core.payment`) and how its outcome metrics are
measured from the effects, scenarios and the distributions for a Monte Carlo.

Any value may carry its source: ``{vaerdi: …, kilde: …, antagelse: …}``
(:mod:`udfs.core.sourced`); the case keeps those notes in ``kilder`` by field
path.  A case taken from a publication may hold the figures as published
(``offentliggjort``), which :mod:`udfs.core.published` compares with the
calculation and reports.

All amounts are kr. at the price level of ``prisaar``; shares are 0–1 (not per
cent); years are indices 0 .. horisont-1 (year 0 = the first year, calendar
year ``startaar``).  :func:`parse_case` turns every validation error into an
:class:`SIError` naming the field (``effekter[1].succesrate``).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    field_validator,
    model_validator,
)

from .catalogue import lookup, own_prices_from_rows
from .checks import WholeNumber, out_of_range
from .data import UnitCost
from .discounting import RATE_BOUNDS, check_constant_rate, read_schedule, schedule_names
from .errors import SIError, excerpt, did_you_mean
from .files import dump_yaml
from .guarantee import check_guarantor, check_guarantor_authority
from .indices import OWN, check_index, check_rate, own_index
from .limits import MAX_AMOUNT, MAX_COST_LINES, MAX_DRAWS, MAX_EFFECTS, MAX_METRICS, MAX_OWN_PRICES, MAX_RISKS, MAX_SEED, MAX_SERIES_YEARS
from .payment import RULES, PaymentModel, settlement_year, si_error_from_validation
from .rules.base import Cell
from .settlement import check_return_limits
from .sourced import Note, join, paths, split
from . import sourced
from .lineitems import MAX_COST_MARKUP
from .validation import PER_CENT, Choices, danish_value, shown
from .vocabulary import AUTHORITIES, CURRENCY, DISTRIBUTION_WORDS, Authority, GuarantorAuthority, Payer, check_currency  # noqa: F401 - AUTHORITIES re-exported

Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, le=MAX_AMOUNT, allow_inf_nan=False)]
Amount = Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False)]
Persons = Annotated[WholeNumber, Field(ge=0, le=MAX_AMOUNT)]
"""A number of participants: whole persons (40.000000001 from a formula is 40, as Excel counts it; 2.5 is refused)."""
MAX_HORIZON = 30
MAX_RETURN_SHARE = 100  # afkastloft/afkastgulv: at most 100 × the investment (10,000 %)
EFFECT_DRIVERS = ("succesrate", "doedvaegt", "frafald", "prisfaktor", "profilfaktor")
"""The drivers of each effect (``effekter.<id>.succesrate``) a scenario, a sensitivity or a distribution can name."""
CASE_DRIVERS = ("omkostningsfaktor", "deltagerfaktor", "optimisme.omkostninger", "optimisme.gevinster")
"""The drivers of the whole case."""
SHARE_DRIVERS = ("succesrate", "doedvaegt", "frafald", "optimisme.gevinster")
"""The drivers that are shares 0–1 (the others are factors 0–∞): the one list, for bounds, per cent and display."""


def is_share_driver(driver: str) -> bool:
    """Whether the driver named ``driver`` (``effekter.job.succesrate``, ``optimisme.gevinster``) is a share
    (:data:`SHARE_DRIVERS`): its values lie in 0–1 and may be typed in per cent."""
    return (driver.rsplit(".", 1)[-1] if driver.startswith("effekter.") else driver) in SHARE_DRIVERS


def driver_number(driver: str, value: Any) -> Any:
    """A value given for ``driver`` (a scenario's, or a distribution's parameter) read as Danes type it, by the
    driver's unit (:func:`~udfs.core.validation.danish_value`): ``0,3`` for any driver, and ``30 %`` (0.3) for a
    share driver; a per cent for a factor is left for the field to refuse."""
    return danish_value(value, is_share_driver(driver))


def _driver_values(drivers: Any, read: Any) -> Any:
    """``{driver: read(driver, value)}`` for a mapping; anything else unchanged (left to the field's own check)."""
    return {d: read(d, v) for d, v in drivers.items()} if isinstance(drivers, dict) else drivers


def _plain(value: Any) -> Any:
    """A sourced value's value (``{vaerdi: …, kilde: …}``), else the value itself."""
    return value["vaerdi"] if isinstance(value, dict) and "vaerdi" in value else value


SHARE_MEASURE = "andel"
"""A metric's ``maaling.<id>.maal`` when it is measured as a share: its measured value is ``faktor`` × a net success
rate 0–1, and its rule's thresholds and targets (:meth:`~udfs.core.rules.base.Rule.measured_cells`) are shares."""


def measured_as_share(link: Any) -> bool:
    """Whether a metric's measurement (``maaling.<id>``, as a file holds it or validated) measures it as a share
    (:data:`SHARE_MEASURE`); a rate card's list of measurements is not."""
    maal = getattr(link, "maal", None) if not isinstance(link, dict) else _plain(link.get("maal"))
    return isinstance(maal, str) and maal.strip().lower() == SHARE_MEASURE


_RULE_BY_TYPE = {rule.type_name(): rule for rule in RULES}


def _share_per_cent(value: Any) -> Any:
    """A threshold (or a list of them, or a sourced one) read as a share: ``10 %`` and ``10,5 %`` as 0.1 and 0.105."""
    if isinstance(value, dict) and "vaerdi" in value:
        return {**value, "vaerdi": _share_per_cent(value["vaerdi"])}
    return [danish_value(v, True) for v in value] if isinstance(value, list) else danish_value(value, True)


def share_thresholds_per_cent(data: Any) -> Any:
    """``data`` (a case as a file holds it) with the thresholds and targets of each metric measured as a share
    (:func:`measured_as_share`) read as shares typed in per cent, as the workbook's cells read them: ``taerskler:
    [10 %, 20 %]`` is [0.1, 0.2].  Anything else is left to the fields' own checks."""
    if not isinstance(data, dict) or not isinstance(data.get("maaling"), dict) or not isinstance(data.get("betalingsmodel"), dict):
        return data
    shares = {k for k, link in data["maaling"].items() if measured_as_share(link)}
    model = data["betalingsmodel"]
    if not shares or not isinstance(model.get("resultatmaal"), list):
        return data
    metrics = []
    for metric in model["resultatmaal"]:
        regel = metric.get("regel") if isinstance(metric, dict) and metric.get("id") in shares else None
        kind = _plain(regel.get("type")) if isinstance(regel, dict) else None
        rule = _RULE_BY_TYPE.get(kind.strip().lower()) if isinstance(kind, str) else None
        if rule is not None:
            regel = {**regel, **{c.field: _share_per_cent(regel[c.field]) for c in rule.measured_cells() if c.field in regel}}
            metric = {**metric, "regel": regel}
        metrics.append(metric)
    return {**data, "betalingsmodel": {**model, "resultatmaal": metrics}}


def share_level_message(value: float, factor: float) -> str:
    """The message for a threshold or target beyond what a metric measured as a share reaches (0 to ``factor`` × 1),
    with the per-cent hint (:func:`~udfs.core.checks.out_of_range`): ``skal være en andel mellem 0 og 1 (resultatmålet
    måles som andel), ikke 10; skrev du 10 for 10 %? Skriv 0,10 eller 10 %``."""
    if factor == 1:
        return out_of_range("skal være en andel mellem 0 og 1 (resultatmålet måles som andel)", value, 0.0, 1.0)
    return out_of_range(f"skal ligge mellem 0 og {shown(factor)} (resultatmålet måles som andel gange faktor {shown(factor)})",
                        value, 0.0, factor)


class CaseModel(Choices):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def trim(values: list[float]) -> list[float]:
    """A yearly series without trailing zeros (at least one value): zeros at the end add nothing."""
    end = len(values)
    while end > 1 and values[end - 1] == 0:
        end -= 1
    return [v + 0 for v in values[:end]]  # + 0 turns -0.0 into 0.0 and keeps a whole number whole


def series(value: Any, field: str, startaar: int | None = None) -> Any:
    """A yearly series as a list, year 0 first.

    Accepts a list, or a mapping of calendar year → value (then ``startaar``
    is needed and the years must be strictly increasing, without gaps before
    the last).
    """
    if not isinstance(value, dict):
        return value
    if startaar is None:
        raise SIError(field, "angiv startaar for at bruge årstal som nøgler")
    try:
        years = [int(y) for y in value]
    except (TypeError, ValueError):
        raise SIError(field, "nøglerne skal være årstal") from None
    if years != sorted(years) or len(set(years)) != len(years):
        raise SIError(field, "årene skal stå i stigende orden")
    if years[0] < startaar:
        raise SIError(field, f"år {years[0]} ligger før startaar {startaar}")
    if years[-1] - startaar >= MAX_SERIES_YEARS:
        raise SIError(field, f"år {years[-1]} ligger mere end {MAX_SERIES_YEARS} år efter startaar {startaar}")
    out = [0.0] * (years[-1] - startaar + 1)
    for y, v in zip(years, value.values()):
        out[y - startaar] = v
    return out


class Cost(CaseModel):
    """Intervention cost by year and payer (kr., prices of the case's price year)."""

    navn: str = Field(min_length=1)
    betaler: Payer = "kommune"
    type: Literal["opstart", "drift"] = "drift"
    pr_aar: list[NonNegative] = Field(min_length=1, description="kr. pr. år, år 0 først")

    _trim = field_validator("pr_aar")(classmethod(lambda cls, v: trim(v)))


class RefusionAssumption(CaseModel):
    """Which week of a spell the saved benefit weeks fall in, under which refusion scheme.

    The kommune's share is then the scheme's share for that week (2016
    refusion steps: 1 − refusion; co-financing: the co-financing rate), the
    state's the rest, the region's 0.  E.g. weeks saved late in long spells:
    ``uge: 53`` (kommune 80 %); early in a spell: ``uge: 10`` (kommune 60 %).
    """

    ordning: str = "refusion_2016"
    uge: WholeNumber = Field(ge=1, le=5200)

    @model_validator(mode="after")
    def _known_scheme(self) -> RefusionAssumption:
        from .refusion import scheme_kind

        scheme_kind(self.ordning)  # SIError naming "ordning" for an unknown scheme
        return self

    def shares(self) -> tuple[float, float, float]:
        """(kommune, region, stat) shares 0–1."""
        from .refusion import kommune_share_for_week

        k = kommune_share_for_week(self.uge, self.ordning)
        return k, 0.0, 1.0 - k


class Effect(CaseModel):
    """One effect: a consequence profile on one unit cost, for successful participants."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    navn: str = Field(min_length=1)
    enhedspris: str = Field(min_length=1, description="id i kataloget eller i egne_priser")
    profil: list[Amount] = Field(
        min_length=1, description="Ændring i mængde pr. succesfuld deltager i år 1, 2, … efter afslutning (negativ = mindre forbrug)"
    )
    succesrate: Share
    doedvaegt: Share | None = Field(None, description="Andel, der ville lykkes uden indsatsen")
    kontrolgruppe: Share | None = Field(None, description="Kontrolgruppens succesrate; bruges som dødvægt")
    frafald: Share = Field(0.0, description="Andel af effekten, der falder bort pr. år efter første år")
    forsinkelse: WholeNumber = Field(0, ge=0, le=MAX_HORIZON, description="År fra afslutning til første profilår")
    prisfaktor: NonNegative = Field(1.0, description="Faktor på enhedsprisen (følsomhed); 1 = katalogets pris")
    profilfaktor: NonNegative = Field(1.0, description="Faktor på profilen (følsomhed); 1 = som angivet")
    deltagere: list[Persons] | None = Field(
        None, description="Egne deltagere pr. startår, hvis effekten rammer en anden gruppe end casens målgruppe"
    )
    refusion: RefusionAssumption | None = Field(
        None, description="Refusionsantagelse for ydelsesuger: fordelingen følger refusionstrappen i den angivne uge"
    )

    _trim = field_validator("profil", "deltagere")(classmethod(lambda cls, v: None if v is None else trim(v)))

    @model_validator(mode="before")
    @classmethod
    def _deadweight_default(cls, data: Any) -> Any:
        """Without a control group, the deadweight is 0 unless given (one canonical form)."""
        if isinstance(data, dict) and data.get("kontrolgruppe") is None and data.get("doedvaegt") is None:
            return {**data, "doedvaegt": 0.0}
        return data

    @model_validator(mode="after")
    def _one_deadweight(self) -> Effect:
        if self.doedvaegt is not None and self.kontrolgruppe is not None:
            raise SIError("kontrolgruppe", "angiv enten doedvaegt eller kontrolgruppe, ikke begge")
        return self

    @property
    def deadweight(self) -> float:
        """Share that would succeed anyway: the control group's rate, or ``doedvaegt``, else 0."""
        return self.kontrolgruppe if self.kontrolgruppe is not None else (self.doedvaegt or 0.0)


class InvestorTerms(CaseModel):
    """What the investor asks of the contract."""

    krav_til_afkast: Share = Field(
        description="Investorens krav til afkast, andel pr. år (0,05 = 5 %): giver break-even for investorens afkastkrav"
    )


def _required_in_schema(schema: dict[str, Any], field: str) -> None:
    """A field the JSON schema marks required although its Python default is None (a validator refuses None
    with a Danish message instead of pydantic's bare "mangler")."""
    schema.setdefault("required", []).append(field)
    schema["properties"][field].pop("default", None)


class GuaranteeTerms(CaseModel):
    """A guarantor covering part of the investor's principal (:mod:`udfs.core.guarantee`): a third party
    (``myndighed: ingen``, a foundation, say) or a public body (``myndighed`` kommune, region or stat, whose
    net then bears the guarantee's payment).  ``myndighed`` is required: a missing or unknown value gives
    "garanti.myndighed: mangler: skriv kommune, region, stat eller ingen …"
    (:func:`udfs.core.guarantee.check_guarantor_authority`); the name is checked against it
    (:func:`udfs.core.guarantee.check_guarantor`)."""

    garant: str = Field(min_length=1, max_length=200, description="Garantens navn, fx en fond")
    myndighed: GuarantorAuthority = Field(
        None, validate_default=True,  # None runs the validator, which refuses it with the Danish message
        description="Myndighed bag garanten: kommune, region, stat eller ingen (ikke offentlig, fx en fond); påkrævet")
    beloeb: float | None = Field(None, ge=0, allow_inf_nan=False, description="Garantiens dækning i kr. (eller andel)")
    andel: float | None = Field(None, ge=0, le=1, allow_inf_nan=False,
                                description="Garantiens dækning som andel af investeringen (investors omkostninger, 0–1)")

    model_config = ConfigDict(json_schema_extra=lambda schema: _required_in_schema(schema, "myndighed"))

    @field_validator("myndighed", mode="before")
    @classmethod
    def _authority(cls, value: Any) -> str:
        """Required, one of the codes (or the workbook's Danish words), with one Danish message when missing or wrong."""
        return check_guarantor_authority(value, "myndighed")

    @model_validator(mode="after")
    def _one_cover(self) -> GuaranteeTerms:
        """Exactly one of beloeb and andel (the rule of :func:`udfs.core.guarantee.check_cover`)."""
        if self.beloeb is None and self.andel is None:
            raise SIError("beloeb", "angiv garantiens beloeb (kr.) eller andel af investeringen")
        if self.beloeb is not None and self.andel is not None:
            raise SIError("andel", "angiv enten beloeb eller andel, ikke begge")
        return self


class OptimismBias(CaseModel):
    omkostninger: Annotated[float, Field(ge=0, le=MAX_COST_MARKUP, allow_inf_nan=False), PER_CENT] = Field(
        0.0, description="Tillæg til kommunens, regionens og statens omkostninger, andel 0–2 (0,2 = +20 %; over 2 afvises, "
                                 "over 1 gives en advarsel); investors omkostninger er aftalte og får intet tillæg")
    gevinster: Share = Field(0.0, description="Fradrag i gevinster, andel (0,1 = −10 %)")


class MetricLink(CaseModel):
    """How an outcome metric is measured from the case: from one effect (or all, for savings)."""

    effekt: str | None = Field(None, description="Effektens id; for besparelse: tom = alle effekter")
    maal: Literal["antal", "andel", "besparelse"] = Field(
        "antal", description="antal = deltagere × nettosuccesrate; andel = nettosuccesrate; besparelse = betalers besparelse i kr."
    )
    faktor: float = Field(
        1.0, gt=0, le=MAX_AMOUNT, allow_inf_nan=False, description="Målt værdi = faktor × antal, andel eller besparelse; fx 15 (uger pr. deltager ved fuld nettosucces)"
    )


DISTRIBUTION_PARAMETERS: dict[str, tuple[str, ...]] = {
    "fast": ("vaerdi",),
    "uniform": ("min", "max"),
    "triangulaer": ("min", "mest_sandsynlig", "max"),
    "normal": ("middel", "spredning"),
}
"""The values each distribution of a Monte Carlo driver needs (:class:`Distribution`)."""


class Distribution(CaseModel):
    """A driver's distribution for the Monte Carlo (values are the driver's own unit)."""

    FIELD_ALIASES: ClassVar[dict[str, str]] = {
        "sd": "spredning", "std": "spredning", "stdafv": "spredning", "standardafvigelse": "spredning",
        "mean": "middel", "middelvaerdi": "middel", "gennemsnit": "middel", "mode": "mest_sandsynlig",
        "typetal": "mest_sandsynlig", "value": "vaerdi", "distribution": "fordeling", "type": "fordeling",
        "maks": "max", "maksimum": "max", "minimum": "min",
    }  # fmt: skip
    """Other words for a field (English and statistical ones), suggested in an unknown field's message."""

    fordeling: Literal["fast", "uniform", "triangulaer", "normal"]
    vaerdi: float | None = Field(None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, description="fast")
    min: float | None = Field(None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, description="uniform, triangulaer")
    mest_sandsynlig: float | None = Field(None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, description="triangulaer")
    max: float | None = Field(None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, description="uniform, triangulaer")
    middel: float | None = Field(None, ge=-MAX_AMOUNT, le=MAX_AMOUNT, allow_inf_nan=False, description="normal")
    spredning: NonNegative | None = Field(None, description="normal: standardafvigelse")

    @model_validator(mode="after")
    def _parameters(self) -> Distribution:
        need = DISTRIBUTION_PARAMETERS[self.fordeling]
        missing = [p for p in need if getattr(self, p) is None]
        if missing:
            raise SIError(missing[0], f"mangler for fordelingen {DISTRIBUTION_WORDS[self.fordeling].lower()} ({self.fordeling})")
        if self.fordeling in ("uniform", "triangulaer"):
            three_point_order(self.min, self.mest_sandsynlig, self.max)
        return self


def three_point_order(lo: float, mode: float | None, hi: float, unit: str = "") -> None:
    """Refuse a three-point estimate (a risk's consequence, a distribution's min, most likely and max; ``mode`` None:
    min and max only) out of order, naming the field to change in Danish words: the min above the most likely value,
    the max below it, or (without one) the min above the max.  ``unit``: shown after the rule (`` (kr.)``)."""
    rule = ("mindst ≤ mest sandsynlig ≤ højst" if mode is not None else "mindst ≤ højst") + unit
    if mode is not None and lo > mode:
        raise SIError("min", f"mindst må ikke være over den mest sandsynlige værdi ({rule})")
    if mode is not None and mode > hi:
        raise SIError("max", f"højst må ikke være under den mest sandsynlige værdi ({rule})")
    if lo > hi:
        raise SIError("min", f"mindst må ikke være over højst ({rule})")


class OwnIndex(CaseModel):
    """The user's own price index (e.g. KL's pris- og lønskøn), with its source.

    With ``indeks: eget`` it is the index; with a published index (``npi``, …)
    its years after the last published year extend that index, on its base.
    """

    navn: str = Field("Eget indeks", min_length=1, description="Indeksets navn, fx KL's pris- og lønskøn (serviceudgifter)")
    kilde: str = Field(min_length=1, description="Hvor værdierne kommer fra (udgiver, dokument, dato)")
    vaerdier: dict[int, float] = Field(description="år → indeksværdi (alle år uden huller; kun forholdet bruges)")

    @field_validator("vaerdier", mode="before")
    @classmethod
    def _series(cls, v: Any) -> Any:
        if not isinstance(v, dict):
            raise SIError("eget_indeks.vaerdier", "skal være en tabel af år → værdi")
        return own_index(v, "eget_indeks.vaerdier")


class PublishedFigures(CaseModel):
    """A case's figures as published, mio. kr. at one decimal (compared with the calculation, not used by it)."""

    kilde: str = Field(min_length=1, description="Hvor tallene er offentliggjort")
    investering: float | None = Field(None, description="Investorens investering i alt")
    besparelser: dict[str, float] = Field(default_factory=dict, description="Besparelse pr. effekt (id → mio. kr.)")
    besparelse_i_alt: float | None = Field(None, description="Betalers besparelse i alt")
    betaling_ved_fuld_succes: float | None = Field(None, description="Betalinger i alt, når casen indfries som antaget")
    investors_bonus: float | None = Field(None, description="Betalinger − investering; tom, hvis kilden ikke viser tallet")
    kommunal_nettobesparelse: float | None = Field(None, description="Betalers besparelse − betalinger")
    bemaerkning: str | None = None


class Uncertainty(CaseModel):
    antal_traek: WholeNumber = Field(10_000, ge=1, le=MAX_DRAWS)
    seed: WholeNumber = Field(20_261_123, ge=0, le=MAX_SEED)
    fordelinger: dict[str, Distribution] = Field(default_factory=dict, description="driver → fordeling")

    @field_validator("fordelinger", mode="before")
    @classmethod
    def _per_cent(cls, v: Any) -> Any:
        """Each distribution's values in the driver's unit (:func:`driver_number`): ``min: 20 %`` for a share."""
        numbers = lambda d, dist: ({f: x if f == "fordeling" else driver_number(d, x) for f, x in dist.items()}  # noqa: E731
                                   if isinstance(dist, dict) else dist)
        return _driver_values(v, numbers)


class Risk(CaseModel):
    """One risk of the risk register: what may happen, who owns it, how likely, and what it costs.

    ``sandsynlighed`` is a share 0–1; ``min``, ``mest_sandsynlig`` and ``max``
    are the consequence in kr. if it happens (a three-point estimate, present
    value at the case's price level), min ≤ mest_sandsynlig ≤ max (:func:`three_point_order`).  Its expected
    value is :func:`udfs.core.businesscase.risk_expected`.
    """

    beskrivelse: str = Field(min_length=1, description="Hvad kan ske")
    ejer: str = Field("", description="Hvem ejer risikoen (følger og håndterer den)")
    sandsynlighed: Share = Field(description="Sandsynlighed for at den indtræffer, andel 0–1")
    min: NonNegative = Field(description="Mindste konsekvens, kr.")
    mest_sandsynlig: NonNegative = Field(description="Mest sandsynlige konsekvens, kr.")
    max: NonNegative = Field(description="Største konsekvens, kr.")

    @model_validator(mode="after")
    def _ordered(self) -> Risk:
        three_point_order(self.min, self.mest_sandsynlig, self.max, " (kr.)")
        return self
class RealisedSavings(CaseModel):
    """Realised savings per authority (kr., as booked or evaluated)."""

    kommune: NonNegative = 0.0
    region: NonNegative = 0.0
    stat: NonNegative = 0.0


class Realised(CaseModel):
    """What a case has realised so far, with its date and source (``realiseret`` in a case file).

    Amounts in kr. (nominal, as paid or booked, not discounted); citizens in
    work as a count.  A figure left out is not known (never read as 0).
    """

    dato: str = Field(description="Opgørelsesdato, ÅÅÅÅ-MM-DD")
    kilde: str = Field(min_length=1, description="Hvor tallene kommer fra (afregning, evaluering, regnskab)")
    betalinger: NonNegative | None = Field(None, description="Resultatbetalinger udbetalt til og med datoen, kr.")
    besparelser: RealisedSavings | None = Field(None, description="Realiserede besparelser pr. myndighed, kr.")
    borgere_i_arbejde: NonNegative | None = Field(None, description="Borgere i arbejde eller uddannelse ved opgørelsen")

    @field_validator("dato", mode="before")
    @classmethod
    def _real_date(cls, v: Any) -> str:
        """A date as text ÅÅÅÅ-MM-DD; YAML reads an unquoted date as a date, which is taken as it is."""
        import datetime

        if isinstance(v, datetime.date) and not isinstance(v, datetime.datetime):
            return v.isoformat()
        if not isinstance(v, str):
            raise SIError("dato", "skal være en dato ÅÅÅÅ-MM-DD")
        v = v.strip()
        try:
            if len(v) != 10:
                raise ValueError
            datetime.date.fromisoformat(v)
        except ValueError:
            raise SIError("dato", f"'{excerpt(v)}' er ikke en gyldig dato (ÅÅÅÅ-MM-DD)") from None
        return v


class Case(CaseModel):
    """A SØM-style business case (see the module docstring for units)."""

    CHECKED: ClassVar[bool] = True
    """Whether validation applies the rules across fields (:func:`semantic_errors`); not on a partial case."""
    FILE_WORDS: ClassVar[str] = "case-filen"
    """The file a case is written in, as an error names its top level (:func:`udfs.core.validation.wrong_level`)."""

    navn: str = Field(min_length=1)
    beskrivelse: str = ""
    kilde: str = ""
    maalgruppe: str = ""
    prisaar: WholeNumber = Field(ge=1990, le=2100, description="Prisniveau for alle beløb")
    valuta: str = Field(CURRENCY, description="Valuta for alle beløb (ISO 4217-kode, fx DKK, EUR, USD)")
    startaar: WholeNumber | None = Field(None, ge=1990, le=2100, description="Kalenderår for år 0")
    horisont: WholeNumber = Field(10, ge=1, le=MAX_HORIZON, description="Antal år i beregningen")
    diskontering: str | Annotated[float, Field(ge=RATE_BOUNDS[0], le=RATE_BOUNDS[1])] = "fm_2021"
    visning: Literal["kommune", "offentlig"] = "kommune"
    betaler: Authority = "kommune"
    indeks: str = Field("npi", description="Prisindeks: npi, fpi, pl_stat, loen_stat, pris_stat eller eget (eget_indeks)")
    eget_indeks: OwnIndex | None = Field(None, description="Eget indeks, eller egne værdier efter det valgte indeks' sidste år")
    fremskrivning: float | None = Field(None, gt=-0.5, lt=0.5, description="Årlig stigning for prisår uden for indekset")
    forloebsaar: WholeNumber = Field(0, ge=0, le=MAX_HORIZON, description="År fra start til afslutning af forløbet")
    deltagere: list[Persons] = Field(min_length=1, description="Deltagere (hele personer), der starter i år 0, 1, …")
    indsats: list[Cost] = Field(default_factory=list, max_length=MAX_COST_LINES)
    optimisme: OptimismBias = OptimismBias()
    investor: InvestorTerms | None = None
    egne_priser: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_OWN_PRICES, description="Kommunens egne enhedspriser")
    effekter: list[Effect] = Field(min_length=1, max_length=MAX_EFFECTS)
    enhedspriser: list[str] = Field(default_factory=list, max_length=MAX_EFFECTS,
                                    description="Enhedspriser (id), som regnearket viser, selv om ingen effekt bruger dem")
    betalingsmodel: PaymentModel | None = None
    maaling: dict[str, MetricLink | list[MetricLink]] = Field(
        default_factory=dict, max_length=MAX_METRICS, description="resultatmål-id → hvordan det måles (ratekort: én pr. udfald)"
    )
    scenarier: dict[str, dict[str, Amount]] = Field(default_factory=dict, description="navn → driver → værdi")
    usikkerhed: Uncertainty | None = None

    @field_validator("scenarier", mode="before")
    @classmethod
    def _scenario_per_cent(cls, v: Any) -> Any:
        """Each scenario's values in the driver's unit (:func:`driver_number`): ``effekter.job.succesrate: 20 %``."""
        return _driver_values(v, lambda name, drivers: _driver_values(drivers, driver_number))

    afkastloft: float | None = Field(None, ge=-1, le=MAX_RETURN_SHARE, allow_inf_nan=False,
                                     description="Afkastloft ved afregning, andel af investeringen (fx 0,3)")
    afkastgulv: float | None = Field(None, ge=-1, le=MAX_RETURN_SHARE, allow_inf_nan=False,
                                     description="Afkastgulv ved afregning, andel af investeringen (fx -0,25)")
    garanti: GuaranteeTerms | None = Field(None, description="Garant for investorens hovedstol: en fond eller en myndighed (også betaleren), ikke investoren")
    offentliggjort: PublishedFigures | None = Field(None, description="Tallene som offentliggjort (mio. kr.), til sammenligning")
    kilder: dict[str, Note] = Field(
        default_factory=dict, description="Felt → kilde og antagelse; skrives normalt ved værdien: {vaerdi, kilde, antagelse}"
    )

    @model_validator(mode="before")
    @classmethod
    def _share_thresholds(cls, data: Any) -> Any:
        """Thresholds of a metric measured as a share typed in per cent (:func:`share_thresholds_per_cent`)."""
        return share_thresholds_per_cent(data)

    @model_validator(mode="before")
    @classmethod
    def _sources(cls, data: Any) -> Any:
        """Sourced values (:mod:`udfs.core.sourced`) become plain values; their notes go to ``kilder``."""
        if not isinstance(data, dict):
            return data
        plain, notes = split({k: v for k, v in data.items() if k != "kilder"})
        if not notes:
            return data
        given = data.get("kilder") or {}
        twice = sorted(set(notes) & set(given))
        if twice:
            raise SIError(twice[0], "har både en kilde ved værdien og i kilder; angiv den ét sted")
        return {**plain, "kilder": {**given, **notes}}
    risici: list[Risk] = Field(default_factory=list, max_length=MAX_RISKS, description="Risikoregister: op til 12 risici")
    realiseret: Realised | None = Field(None, description="Realiserede tal med dato og kilde (til porteføljen)")

    @field_validator("valuta", mode="before")
    @classmethod
    def _currency(cls, v: Any) -> Any:
        """An ISO 4217 code in any case and spacing (:func:`~udfs.core.vocabulary.check_currency`)."""
        return check_currency(v, "valuta")

    @field_validator("fremskrivning", mode="before")
    @classmethod
    def _rate(cls, v: Any) -> Any:
        """The same rule and message as the Excel functions' ``fremskrivning`` (:func:`check_rate`)."""
        return v if v is None or isinstance(v, str) else check_rate(v)

    @field_validator("diskontering", mode="before")
    @classmethod
    def _discounting(cls, v: Any) -> Any:
        """A schedule's name (any case) or a constant rate as a share, with the Excel functions' rule and
        message (:func:`~udfs.core.discounting.check_constant_rate`)."""
        if isinstance(v, str):  # a name, or a fixed rate typed as text ("0,035", "3,5 %")
            return read_schedule(v, "diskontering")
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise SIError("diskontering", f"skal være et skema ({', '.join(schedule_names())}) eller en fast rente som andel, fx 0,035")
        return check_constant_rate(v, "diskontering")

    @field_validator("deltagere", mode="before")
    @classmethod
    def _participants_series(cls, v: Any, info) -> Any:
        return series(v, "deltagere", info.data.get("startaar"))

    _trim = field_validator("deltagere")(classmethod(lambda cls, v: trim(v)))

    @field_validator("egne_priser")
    @classmethod
    def _own_prices_complete(cls, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each own price validated like the catalogue and stored with every field."""
        return [u.model_dump() for u in own_prices_from_rows(rows, "egne_priser", as_list=True).values()]

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        """Every rule across fields (:func:`semantic_errors`), all reported at once (the first carrying the others)."""
        errors = semantic_errors(self) if self.CHECKED else []
        if errors:
            raise errors[0].with_others(errors[1:])
        return self

    @property
    def settlement_year(self) -> int:
        """The contract's settlement year (year 0 first): the last year an outcome payment can fall in, each metric's
        ``til_aar`` or else its ``aar``, at most the horizon's last year (``horisont − 1``); the horizon's last year
        without a payment model.  The guarantor pays then (``garanti``), and a return floor tops up then
        (``afkastgulv``): at the contract's end, not at the horizon's, so neither the investor's IRR after the
        guarantee nor the guarantee's present value depends on how long the savings are followed.  Excel: the
        standard workbook's cell ``garanti_aar``.  The rule in both forms: :func:`udfs.core.payment.settlement_year`."""
        model = self.betalingsmodel
        return settlement_year(self.horisont, [] if model is None else [y for m in model.resultatmaal for y in m.payment_years])

    def own_index(self) -> dict[int, float] | None:
        """The values of the case's own index ``{year: value}``, or ``None``."""
        return dict(self.eget_indeks.vaerdier) if self.eget_indeks else None

    def own_prices(self) -> dict[str, UnitCost]:
        """The case's own unit costs by id (validated like the catalogue)."""
        return own_prices_from_rows(self.egne_priser, "egne_priser") if self.egne_priser else {}


# --------------------------------------------------------------------------- rules across fields
#
# Each check reads a case and yields every error it finds.  On a whole case (:meth:`Case._consistent`) every
# field is there.  On a partial case (:func:`partial_case`: the fields that passed their own validation, while
# others did not) a broken field is ``None`` or in ``broken`` (its top-level name), and a check skips whatever
# depends on it: it reports only what the broken fields cannot have caused.


def _lengths(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    h = case.horisont
    if "horisont" in broken or h is None:
        return
    if "deltagere" not in broken and case.deltagere is not None and len(case.deltagere) > h:
        yield SIError("deltagere", f"har {len(case.deltagere)} år, men horisonten er {h} år")
    for i, c in enumerate(case.indsats or ()):
        if c is not None and c.pr_aar is not None and len(c.pr_aar) > h:
            yield SIError(f"indsats[{i}].pr_aar", f"har {len(c.pr_aar)} år, men horisonten er {h} år")
    for i, e in enumerate(case.effekter or ()):
        if e is None:
            continue
        if e.profil is not None and len(e.profil) > h:
            yield SIError(f"effekter[{i}].profil", f"har {len(e.profil)} år, men horisonten er {h} år")
        if e.deltagere is not None and len(e.deltagere) > h:
            yield SIError(f"effekter[{i}].deltagere", f"har {len(e.deltagere)} år, men horisonten er {h} år")


def _index(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    if {"indeks", "eget_indeks"} & broken:
        return
    try:
        check_index(case.indeks, case.own_index())
    except SIError as err:
        if err.argument == "eget_indeks":
            yield SIError("eget_indeks.vaerdier", err.message)
        else:
            yield SIError("indeks", err.message + (" (udfyld eget_indeks)" if case.indeks.strip().lower() == OWN else ""))


def _ids(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    ids = [e.id for e in case.effekter or () if e is not None and e.id is not None]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        yield SIError("effekter", f"id '{dup[0]}' bruges mere end én gang")


def _prices(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    if "egne_priser" in broken:
        return
    own = case.own_prices()
    foreign = "valuta" not in broken and case.valuta != CURRENCY
    for i, uid in enumerate(() if "enhedspriser" in broken else case.enhedspriser):
        try:
            unit = lookup(uid, own)
        except SIError as err:
            yield SIError(f"enhedspriser[{i}]", err.message)
            continue
        if foreign and unit.id not in own:
            yield SIError(f"enhedspriser[{i}]", catalogue_in_kroner(unit.id, case.valuta))
    for i, e in enumerate(case.effekter or ()):
        if e is None or e.enhedspris is None:
            continue
        try:
            unit = lookup(e.enhedspris, own)
        except SIError as err:
            yield SIError(f"effekter[{i}].enhedspris", err.message)
            continue
        if foreign and unit.id not in own:
            yield SIError(f"effekter[{i}].enhedspris", catalogue_in_kroner(unit.id, case.valuta))
            continue
        if not unit.split_known:
            yield SIError(f"effekter[{i}].enhedspris",
                          f"fordelingen på kommune, region og stat er ikke kendt for '{unit.id}'; brug en egen pris med fordeling")


def catalogue_in_kroner(unit_id: str, currency: str) -> str:
    """The message for a catalogue unit price (Danish kroner) in a case whose amounts are in another currency."""
    return (f"'{unit_id}' er en enhedspris fra kataloget i kr., men casens beløb er i {currency} (valuta); "
            f"brug en egen pris i {currency} (egne_priser)")


def _payment_links(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    """The case's ``maaling`` against its payment model and effects; each path as the file writes it
    (``maaling.job.effekt``; a rate card's list: ``maaling.job[1].effekt``)."""
    if {"betalingsmodel", "maaling"} & broken:
        return
    model, maaling = case.betalingsmodel, case.maaling
    if model is None:
        if maaling:
            yield SIError("maaling", "kræver en betalingsmodel")
        return
    effects = [e.id for e in case.effekter or () if e is not None and e.id is not None]
    effects_known = "effekter" not in broken and all(e is not None and e.id is not None for e in case.effekter or ())
    for i, m in enumerate(model.resultatmaal):
        if "horisont" not in broken and case.horisont is not None and m.aar >= case.horisont:
            yield SIError(f"betalingsmodel.resultatmaal[{i}].aar", f"år {m.aar} ligger efter horisonten (år 0–{case.horisont - 1})")
        if m.id not in maaling:
            yield SIError("maaling", f"mangler en måling for resultatmålet '{m.id}'")
            continue
        given = maaling[m.id]
        if given is None:  # broken in itself: reported by its own validation
            continue
        listed = isinstance(given, list)
        links = given if listed else [given]
        if m.regel.PER_OUTCOME and len(links) != m.regel.steps():
            yield SIError(f"maaling.{m.id}", f"skal have én måling pr. udfald ({m.regel.steps()})")
        if m.regel.PER_OUTCOME and any(link.faktor != 1 for link in links):
            yield SIError(f"maaling.{m.id}", "faktor bruges kun ved et resultatmål med én måling, ikke ved et ratekort")
        for k, link in enumerate(links):
            at = f"maaling.{m.id}[{k}]" if listed else f"maaling.{m.id}"
            if link.effekt is not None and effects_known and link.effekt not in effects:
                hint = did_you_mean(link.effekt, sorted(effects))
                yield SIError(f"{at}.effekt", f"ukendt effekt '{link.effekt}'" + (f" ({hint})" if hint else f"; casens effekter: {', '.join(effects)}"))
            if link.effekt is None and link.maal != "besparelse":
                yield SIError(f"{at}.effekt", "mangler (kun besparelse kan måles på alle effekter)")
            if m.regel.ON_SAVINGS != (link.maal == "besparelse"):
                yield SIError(f"{at}.maal", "besparelsesandel måles som besparelse, de andre regler ikke")
            elif m.regel.PER_OUTCOME and link.maal == SHARE_MEASURE:  # a price per outcome times a share 0–1 pays øre
                yield SIError(f"{at}.maal", "et ratekort betaler en pris pr. opnået udfald: mål antal (personer), ikke andel")
    known = [m.id for m in model.resultatmaal]
    for unknown in [k for k in maaling if k not in known]:
        hint = did_you_mean(unknown, known)
        yield SIError(f"maaling.{unknown}", f"ukendt resultatmål '{unknown}'" + (f" ({hint})" if hint else f"; kendte: {', '.join(known)}"))


def share_levels(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    """Each threshold and target (:meth:`~udfs.core.rules.base.Rule.measured_cells`) of a metric measured as a share
    lies within what it can measure: 0 to its ``faktor`` × 1 (0–1 as a rule).  A threshold of 10 for 10 % is never
    reached and the rule never pays: refused with the per-cent hint (:func:`share_level_message`), each by its path
    (``betalingsmodel.resultatmaal[1].regel.taerskler[0]``)."""
    if {"betalingsmodel", "maaling"} & broken or case.betalingsmodel is None:
        return
    for i, metric in enumerate(case.betalingsmodel.resultatmaal):
        link = (case.maaling or {}).get(metric.id)
        if link is not None and measured_as_share(link):
            yield from _levels_beyond(i, metric.regel.measured_cells(), lambda field: getattr(metric.regel, field), link.faktor)


def _levels_beyond(i: int, cells: Iterable[Cell], value_of: Callable[[str], Any], factor: float) -> Iterator[SIError]:
    """Each value of metric ``i``'s ``cells`` (a list: each element) outside 0 to ``factor``, by its path, with the
    per-cent hint (:func:`share_level_message`); ``value_of`` gives a cell's field's value."""
    for cell in cells:
        value = value_of(cell.field)
        listed = isinstance(value, (list, tuple))
        for k, v in enumerate(value if listed else [value]):
            if isinstance(v, numbers.Real) and not isinstance(v, bool) and not 0 <= v <= factor:
                at = f"betalingsmodel.resultatmaal[{i}].regel.{cell.field}" + (f"[{k}]" if listed else "")
                yield SIError(at, share_level_message(v, factor))


def share_levels_as_given(data: dict[str, Any]) -> Iterator[SIError]:
    """:func:`share_levels` on a case as a file holds it, for a rule that failed its own validation: a threshold
    typed as 10 for 10 % beside one typed right (0,05) makes the steps not strictly increasing, and the whole
    payment model is then left out of the checks across fields.  Each threshold and target outside the share's
    range still gets the per-cent hint, whatever its neighbours."""
    data = share_thresholds_per_cent(data)
    links = data.get("maaling") if isinstance(data, dict) else None
    model = data.get("betalingsmodel") if isinstance(data, dict) else None
    if not isinstance(links, dict) or not isinstance(model, dict) or not isinstance(model.get("resultatmaal"), list):
        return
    for i, metric in enumerate(model["resultatmaal"]):
        link = links.get(metric.get("id")) if isinstance(metric, dict) and isinstance(metric.get("id"), Hashable) else None
        regel = metric.get("regel") if isinstance(link, dict) and measured_as_share(link) else None
        kind = _plain(regel.get("type")) if isinstance(regel, dict) else None
        rule = _RULE_BY_TYPE.get(kind.strip().lower()) if isinstance(kind, str) else None
        factor = _plain(link.get("faktor", 1)) if rule is not None else None
        if isinstance(factor, numbers.Real) and not isinstance(factor, bool) and factor > 0:
            yield from _levels_beyond(i, rule.measured_cells(), lambda field: _plain(regel.get(field)), factor)


def _sources(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    """Every note belongs to a value of the case, and the published savings to its effects."""
    if case.kilder and "kilder" not in broken:
        known = set(paths(case.model_dump(mode="json", exclude={"kilder"})))
        for path in sorted(set(case.kilder) - known):
            if not any(path == b or path.startswith((b + ".", b + "[")) for b in broken):
                yield SIError(path, "har en kilde eller antagelse, men casen har ikke det felt")
    if case.offentliggjort is not None and "effekter" not in broken and all(e is not None and e.id is not None for e in case.effekter or ()):
        ids = {e.id for e in case.effekter or ()}
        unknown = sorted(set(case.offentliggjort.besparelser) - ids)
        if unknown:
            yield SIError("offentliggjort.besparelser", f"ukendt effekt '{unknown[0]}'; kendte: {', '.join(sorted(ids))}")


def _return_limits(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    if not {"afkastloft", "afkastgulv"} & broken:
        try:
            check_return_limits(case.afkastloft, case.afkastgulv)  # the settlement's rule: floor ≤ cap
        except SIError as err:
            yield err


def _guarantor(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    """The guarantor is a third party (:func:`~udfs.core.guarantee.check_guarantor`), not a payer of the case."""
    if case.garanti is None or {"garanti", "betalingsmodel", "betaler"} & broken:
        return
    model = case.betalingsmodel
    payers = [p.betaler for p in model.betalere] if model is not None and model.betalere else [case.betaler]
    try:
        check_guarantor(case.garanti.garant, payers, "garanti.garant", case.garanti.myndighed)
    except SIError as err:
        yield err


def driver_names(case: Case) -> list[str]:
    """Every driver a scenario, a sensitivity or a distribution can name (an effect without an id has none)."""
    ids = [e.id for e in case.effekter or () if e is not None and e.id is not None]
    return [f"effekter.{i}.{d}" for i in ids for d in EFFECT_DRIVERS] + list(CASE_DRIVERS)


def unknown_driver(driver: str, known: list[str]) -> str:
    """The message for a driver name the case does not have, with the nearest names ("mente du …?")."""
    hint = did_you_mean(driver, known)
    return (f"'{excerpt(driver)}' er ikke en driver i casen (effekter.<id>.succesrate med en effekts id, omkostningsfaktor, …)"
            + (f"; {hint}" if hint else ""))


def _drivers(case: Case, broken: frozenset[str]) -> Iterator[SIError]:
    """Every driver a scenario or a distribution names is one of the case's (:func:`driver_names`); an effect's
    driver is checked only when every effect has its id."""
    effects_known = "effekter" not in broken and all(e is not None and e.id is not None for e in case.effekter or ())
    named = [] if "scenarier" in broken else [(f"scenarier.{s}.{x}", x) for s, drivers in (case.scenarier or {}).items() for x in drivers]
    if "usikkerhed" not in broken and case.usikkerhed is not None:
        named += [(f"usikkerhed.fordelinger.{x}", x) for x in case.usikkerhed.fordelinger]
    failed = "usikkerhed.fordelinger."  # a distribution whose values failed still has its driver's name checked
    named += [(path, path[len(failed):]) for path in sorted(broken) if path.startswith(failed)]
    known = driver_names(case)
    for path, driver in named:
        if driver not in known and (effects_known or not driver.startswith("effekter.")):
            yield SIError(path, unknown_driver(driver, known))


SEMANTIC_CHECKS = (_lengths, _index, _ids, _prices, _payment_links, share_levels, _drivers, _sources, _guarantor, _return_limits)
"""The rules across fields of a case, in the order their errors are listed."""


def semantic_errors(case: Case, broken: frozenset[str] = frozenset()) -> list[SIError]:
    """Every error of the rules across fields (:data:`SEMANTIC_CHECKS`); ``broken`` names the fields (and
    elements, ``effekter[1]``) that failed their own validation, whose rules are skipped."""
    return [err for check in SEMANTIC_CHECKS for err in check(case, broken)]


def _optional(model: type[BaseModel], name: str, overrides: dict[str, Any] | None = None) -> type[BaseModel]:
    """``model`` with every required field optional (default ``None``) and ``overrides`` (field → annotation),
    keeping its validators: what is left of a case or an effect when a field failed and was left out."""
    fields: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        if field in (overrides or {}):
            fields[field] = (overrides[field] | None, None if info.is_required() else info.default_factory() if info.default_factory else info.default)  # type: ignore[index, call-arg]
        elif info.is_required():
            fields[field] = (info.annotation | None, None)
    return create_model(name, __base__=model, **fields)


_PartialEffect = _optional(Effect, "PartialEffect")
_PartialCost = _optional(Cost, "PartialCost")
_PartialCase = _optional(Case, "PartialCase", {
    "effekter": list[_PartialEffect | None],  # type: ignore[valid-type]
    "indsats": list[_PartialCost | None],  # type: ignore[valid-type]
    "maaling": dict[str, MetricLink | list[MetricLink] | None],
})  # fmt: skip
_PartialCase.CHECKED = False
_ELEMENTS = ("effekter", "indsats")


def partial_case(data: dict[str, Any], locations: list[tuple]) -> tuple[Case, frozenset[str]] | None:
    """What of ``data`` passed validation, with the field at each failed pydantic location left out, and
    the paths left out (``horisont``, ``effekter[1]``, ``effekter[1].succesrate``, ``maaling.job``).

    An effect or cost line keeps its good fields when one of its fields failed; a ``maaling`` entry that
    failed is ``None``; a scenario or a distribution that failed is left out alone (``scenarier.lav``,
    ``usikkerhed.fordelinger.<driver>``), so the drivers the others name are still checked.  ``None`` when the errors are not of single fields (or what is left still fails).
    """
    plain, notes = split({k: v for k, v in data.items() if k != "kilder"})
    plain = {k: (list(v) if k in _ELEMENTS and isinstance(v, list) else dict(v) if k in ("maaling", "scenarier") and isinstance(v, dict)
                 else v) for k, v in plain.items()}
    if isinstance(plain.get("usikkerhed"), dict) and isinstance(plain["usikkerhed"].get("fordelinger"), dict):
        plain["usikkerhed"] = {**plain["usikkerhed"], "fordelinger": dict(plain["usikkerhed"]["fordelinger"])}
    broken: set[str] = set()
    for loc in locations:
        if not loc or not isinstance(loc[0], str) or loc[0] not in Case.model_fields:
            return None
        field = loc[0]
        items = plain.get(field)
        if field in _ELEMENTS and len(loc) > 1 and isinstance(loc[1], int) and isinstance(items, list) and loc[1] < len(items):
            k = loc[1]
            if len(loc) > 2 and isinstance(loc[2], str) and isinstance(items[k], dict):
                items[k] = {f: v for f, v in items[k].items() if f != loc[2]}
                broken.add(f"{field}[{k}].{loc[2]}")
            else:
                items[k] = None
                broken.add(f"{field}[{k}]")
        elif field == "maaling" and len(loc) > 1 and isinstance(items, dict) and loc[1] in items:
            items[loc[1]] = None
            broken.add(f"maaling.{loc[1]}")
        elif field == "scenarier" and len(loc) > 1 and isinstance(items, dict) and loc[1] in items:
            items.pop(loc[1])  # one scenario failed: the others' drivers are still checked
            broken.add(f"scenarier.{loc[1]}")
        elif (field == "usikkerhed" and len(loc) > 2 and loc[1] == "fordelinger" and isinstance(items, dict)
              and isinstance(items.get("fordelinger"), dict) and loc[2] in items["fordelinger"]):
            items["fordelinger"].pop(loc[2])  # one distribution failed: the others' drivers are still checked
            broken.add(f"usikkerhed.fordelinger.{loc[2]}")
        elif field == "usikkerhed" and len(loc) > 1 and loc[1] in ("antal_traek", "seed") and isinstance(items, dict):
            plain["usikkerhed"] = {k: v for k, v in items.items() if k != loc[1]}  # its default: the drivers are still checked
            broken.add(f"usikkerhed.{loc[1]}")
        else:
            plain.pop(field, None)
            broken.add(field)
    given = data.get("kilder") if isinstance(data.get("kilder"), dict) and "kilder" not in broken else {}
    try:
        partial = _PartialCase.model_validate({**plain, "kilder": {**given, **notes}} if (given or notes) else plain)
    except (ValidationError, SIError):
        return None
    return partial, frozenset(broken)  # type: ignore[return-value]


def parse_case(data: Any) -> Case:
    """Validate a case (dict) into a :class:`Case`; errors name the field, in Danish."""
    if not isinstance(data, dict):
        raise SIError("casefil", "skal være en tabel af felter (YAML/JSON-objekt), ikke en enkelt værdi eller liste")
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        err = si_error_from_validation(exc, model=Case)
        if any(isinstance((e.get("ctx") or {}).get("error"), SIError) and not e["loc"] for e in exc.errors()):
            raise err from None  # a rule across fields failed on a whole case: its errors are all there
        partial = partial_case(data, [tuple(e["loc"]) for e in exc.errors()])
        seen = {e.argument for e in (err, *err.others)}
        more = [e for e in semantic_errors(*partial) if e.argument not in seen] if partial is not None else []
        said = {(e.argument, e.message) for e in (err, *err.others, *more)}  # a threshold above its target has both
        more += [e for e in share_levels_as_given(data) if (e.argument, e.message) not in said]  # also when the rule failed
        if more:
            err = err.with_others([*err.others, *more])
        raise err from None


def dump_case(case: Case) -> str:
    """The case as YAML (round-trips through :func:`parse_case`), each source beside its value."""
    data = case.model_dump(mode="json", exclude_defaults=True, exclude={"kilder"})
    if data.get("egne_priser"):  # an own price's empty text fields (kilde_url: '', note: '') are left out, as typed
        data["egne_priser"] = [{k: v for k, v in row.items() if v != ""} for row in data["egne_priser"]]
    return dump_yaml(join(data, case.kilder))


def case_json_schema() -> dict:
    """JSON Schema of the case file; every field may be a plain value or ``{vaerdi, kilde, antagelse}``."""
    return sourced.schema(Case.model_json_schema())
