"""Outcome measures and the measurement file, as data (pydantic; YAML/JSON).

A measure (*mål*) is computed per person relative to the person's own start
week (week 0); week 1 is the week after the start week.  Windows are inclusive:
``fra: 1, til: 52`` is the 52 weeks after the start week.

=============  ==============================================================  =========
``type``       per person                                                      binary
=============  ==============================================================  =========
``uger``       weeks in the group(s) within the window                         no
``fuldtid``    weeks in the group(s) ÷ weeks in the window (Jobindsats's        no
               *fuldtidspersoner*: summed over persons it is the number of
               full-time persons; 26 of 52 weeks = 0.5)
``status``     1 if in the group(s) in week ``uge`` (Jobindsats's status at     yes
               30/92/182/365 days is week 4/13/26/52)
``overgang``   1 if in the group(s) at least one week within the window         yes
               (first return to self-support within N weeks: fra 1, til N)
``varig``      1 if some ``m`` consecutive weeks within the window hold at      yes
               least ``k`` weeks in the group(s) (durable self-support)
=============  ==============================================================  =========

Jobindsats's definition of fuldtidspersoner ("antal uger, hver enkeltperson har
modtaget en given ydelse inden for den valgte periode divideret med det antal
uger, som hele perioden dækker"; ydelser summed without overlap treatment):
https://www.jobindsats.dk/jobindsats/Hjaelp/InfoOmMaalinger/Y21/MM14.aspx.
A DREAM week holds one code, so within one grouping the groups never overlap.

Each measure has an ``id`` and a ``version``; the measurement file's
``betaling`` links a payment-model metric to a measure by id (see :mod:`.link`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from ..checks import WholeNumber
from ..counterfactual import LEVEL
from .design import POWER
from ..errors import SIError, did_you_mean
from ..payment import StrictModel, si_error_from_validation

MEASURE_TYPES = ("uger", "fuldtid", "status", "overgang", "varig")
BINARY_TYPES = ("status", "overgang", "varig")
#: Longest window in weeks (35 years).
MAX_WEEKS = 1820


class Measure(StrictModel):
    """One outcome measure (see the module docstring for the types)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    navn: str = Field(min_length=1)
    version: WholeNumber = Field(1, ge=1)
    type: Literal["uger", "fuldtid", "status", "overgang", "varig"]
    gruppe: list[str] = Field(min_length=1, description="Gruppe-id'er i kodegrupperingen")
    fra: WholeNumber | None = Field(None, ge=-MAX_WEEKS, le=MAX_WEEKS, description="Første uge i vinduet (0 = startugen)")
    til: WholeNumber | None = Field(None, ge=-MAX_WEEKS, le=MAX_WEEKS, description="Sidste uge i vinduet")
    uge: WholeNumber | None = Field(None, ge=-MAX_WEEKS, le=MAX_WEEKS, description="Ugen for status")
    k: WholeNumber | None = Field(None, ge=1, description="Varig: mindst k uger …")
    m: WholeNumber | None = Field(None, ge=1, description="… af m sammenhængende uger")

    @field_validator("gruppe", mode="before")
    @classmethod
    def _one_or_more(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _fields_for_type(self) -> Measure:
        if self.type == "status":
            if self.uge is None:
                raise SIError("uge", "mangler (status måles i én uge)")
            return self
        for name in ("fra", "til"):
            if getattr(self, name) is None:
                raise SIError(name, f"mangler (vinduet for {self.type})")
        if self.til < self.fra:  # type: ignore[operator]
            raise SIError("til", f"er {self.til}, men skal være mindst fra ({self.fra})")
        if self.type == "varig":
            if self.k is None or self.m is None:
                raise SIError("k" if self.k is None else "m", "mangler (varig: mindst k af m sammenhængende uger)")
            if self.k > self.m:
                raise SIError("k", f"er {self.k}, men må højst være m ({self.m})")
            if self.m > self.weeks:
                raise SIError("m", f"er {self.m}, men vinduet har kun {self.weeks} uger")
        return self

    @property
    def first(self) -> int:
        """First week of the window relative to the start week."""
        return self.uge if self.type == "status" else self.fra  # type: ignore[return-value]

    @property
    def last(self) -> int:
        """Last week of the window relative to the start week."""
        return self.uge if self.type == "status" else self.til  # type: ignore[return-value]

    @property
    def weeks(self) -> int:
        """Weeks in the window."""
        return self.last - self.first + 1

    @property
    def binary(self) -> bool:
        """True when the per-person value is 0 or 1."""
        return self.type in BINARY_TYPES

    def describe(self) -> str:
        """The definition in Danish words, e.g. 'uger i selvforsoerget i uge 1–52 efter start'."""
        groups = " + ".join(self.gruppe)
        if self.type == "status":
            return f"i {groups} i uge {self.uge} efter start (1/0)"
        window = f"uge {self.fra}–{self.til} efter start"
        return {
            "uger": f"uger i {groups} i {window}",
            "fuldtid": f"uger i {groups} i {window} / {self.weeks} (fuldtidspersoner)",
            "overgang": f"mindst én uge i {groups} i {window} (1/0)",
            "varig": f"mindst {self.k} af {self.m} sammenhængende uger i {groups} i {window} (1/0)",
        }[self.type]


class PanelSource(StrictModel):
    """Where the weekly panel is and how it is laid out."""

    fil: str = Field(min_length=1, description="CSV- eller Parquet-fil (sti relativt til målefilen)")
    format: Literal["bred", "lang"] = Field("bred", description="bred: én kolonne y_YYWW pr. uge; lang: person, uge, kode")
    person: str = Field("pnr", min_length=1)
    uge: str = Field("uge", min_length=1, description="Lang fil: ugekolonnen (2020-W53 eller 202053)")
    kode: str = Field("kode", min_length=1, description="Lang fil: kodekolonnen")
    foerste_uge: str | int | None = Field(None, description="Lang fil: første observerede uge (standard: første kodede uge)")
    sidste_uge: str | int | None = Field(None, description="Lang fil: sidste observerede uge (standard: sidste kodede uge)")

    @model_validator(mode="after")
    def _period_both_or_neither(self) -> PanelSource:
        if (self.foerste_uge is None) != (self.sidste_uge is None):
            raise SIError("sidste_uge" if self.sidste_uge is None else "foerste_uge", "angiv både foerste_uge og sidste_uge eller ingen af dem")
        return self


class CohortSource(StrictModel):
    """The persons measured: start week, group (indsats / kontrol / historisk / pulje) and covariates."""

    fil: str = Field(min_length=1)
    person: str = Field("pnr", min_length=1)
    start: str = Field("start", min_length=1, description="Kolonnen med startugen (2020-W53 eller 202053)")
    gruppe: str = Field("gruppe", min_length=1, description="Kolonnen med indsats / kontrol / historisk / pulje")
    kovariater: list[str] = Field(default_factory=list, description="Talkolonner til matchning")


class Comparison(StrictModel):
    """How the effect is estimated."""

    metode: Literal["kontrolgruppe", "historisk", "matchning"] = "kontrolgruppe"
    niveau: float = Field(LEVEL, gt=0, lt=1)
    bootstrap: WholeNumber = Field(0, ge=0, le=100_000, description="Antal bootstrap-træk (0: kun analytisk interval)")
    seed: WholeNumber = 1
    forhistorie: WholeNumber = Field(52, ge=1, le=MAX_WEEKS, description="Uger før start, der matches på")
    forhistorie_grupper: list[str] | None = Field(None, description="Grupper talt i forhistorien (standard: alle undtagen den første)")
    kaliber: float = Field(0.2, gt=0, description="Matchning: største afstand i standardafvigelser af logit(propensity)")


class PaymentLink(StrictModel):
    """A payment-model metric measured by one measure."""

    resultatmaal: str = Field(pattern=r"^[a-z0-9_]+$")
    maal: str = Field(pattern=r"^[a-z0-9_]+$")
    vaerdi: Literal["effekt", "niveau"] = Field("effekt", description="effekt: indsats − sammenligning; niveau: indsatsgruppens gennemsnit")
    skala: Literal["pr_deltager", "i_alt", "pr_person"] = Field(
        "pr_deltager", description="i_alt: ganget med antal i indsatsgruppen; pr_person: hver deltagers egne uger "
                                   "(med vaerdi: niveau), så loftet pr. deltager gælder hver person")
    fortegn: Literal[1, -1] = Field(1, description="-1 for en reduktion (færre uger på ydelse)")
    interval: Literal["punkt", "nedre"] = Field("punkt", description="nedre: betal på intervallets nedre grænse")

    @model_validator(mode="after")
    def _per_person(self) -> PaymentLink:
        """``pr_person`` hands the rule each participant's own value: a level, not an effect, unsigned, no interval."""
        if self.skala != "pr_person":
            return self
        if self.vaerdi != "niveau":
            raise SIError("vaerdi", "skal være niveau med skala: pr_person (hver deltagers egne uger; "
                                    "en effekt mod en sammenligning findes ikke pr. person)")
        if self.fortegn != 1:
            raise SIError("fortegn", "skal være 1 med skala: pr_person (hver deltager betales for sine egne uger)")
        if self.interval != "punkt":
            raise SIError("interval", "skal være punkt med skala: pr_person (hver deltagers uger er talt, ikke skønnet)")
        return self


class Design(StrictModel):
    """Evaluation design: power and level for the minimum detectable effect."""

    styrke: float = Field(POWER, gt=0, lt=1)
    niveau: float = Field(LEVEL, gt=0, lt=1)


class MeasurementFile(StrictModel):
    """A measurement file: the panel, the cohort, the grouping, the measures, the comparison and the payment links."""

    navn: str = Field(min_length=1)
    case: str | None = Field(None, description="Case-fil med betalingsmodellen (sti relativt til målefilen)")
    panel: PanelSource
    kohorte: CohortSource
    kodegruppering: str | None = Field(None, description="bmc_2023 (standard) eller en CSV-fil")
    sammenligning: Comparison = Comparison()
    maal: list[Measure] = Field(min_length=1)
    betaling: list[PaymentLink] = Field(default_factory=list)
    design: Design = Design()

    @model_validator(mode="after")
    def _links(self) -> MeasurementFile:
        """The measures' ids and the ``betaling`` links to them; every error at once, each by its path in the file."""
        errors = []
        ids = [m.id for m in self.maal]
        for k in sorted({k for k, i in enumerate(ids) if ids.index(i) != k}):
            errors.append(SIError(f"maal[{k}].id", f"id '{ids[k]}' bruges mere end én gang (også af maal[{ids.index(ids[k])}])"))
        for i, link in enumerate(self.betaling):
            if link.maal not in ids:
                hint = did_you_mean(link.maal, ids)
                errors.append(SIError(f"betaling[{i}].maal", f"ukendt mål '{link.maal}'" + (f" ({hint})" if hint else "") + f"; kendte: {', '.join(ids)}"))
            elif link.skala == "pr_person" and self.measure(link.maal).type != "uger":
                errors.append(SIError(f"betaling[{i}].skala", f"pr_person kræver et mål af typen uger, men '{link.maal}' "
                                                              f"er {self.measure(link.maal).type}"))
        if self.betaling and self.case is None:
            errors.append(SIError("case", "mangler (betaling kræver en case-fil med betalingsmodel)"))
        if errors:
            raise errors[0].with_others(errors[1:])
        return self

    def measure(self, measure_id: str) -> Measure:
        """The measure with id ``measure_id``."""
        return next(m for m in self.maal if m.id == measure_id)


def parse_measure(data: Any, prefix: str = "maal") -> Measure:
    """A :class:`Measure` from plain data; SIError (Danish, naming the field) on failure."""
    try:
        return Measure.model_validate(data)
    except ValidationError as exc:
        raise si_error_from_validation(exc, prefix, Measure) from None


def parse_measurement_file(data: Any) -> MeasurementFile:
    """A :class:`MeasurementFile` from plain data (YAML/JSON); SIError on failure, every error of the file at once,
    each naming its field by its path in the file (``betaling[2].maal``, ``maal[0].til``)."""
    if not isinstance(data, dict):
        raise SIError("maalefil", "skal være en tabel af felter (YAML/JSON-objekt), ikke en enkelt værdi eller liste")
    try:
        return MeasurementFile.model_validate(data)
    except ValidationError as exc:
        raise si_error_from_validation(exc, "", MeasurementFile) from None
