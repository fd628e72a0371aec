"""Loading the registered data files (``udfs/data/manifest.yaml``).

Every number the calculations use comes from a CSV file registered in the
manifest, and every row carries its source.  Files are read once and cached;
rows are validated with pydantic so that a bad edit to a data file fails
loudly, naming the file, the row and the field.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from pathlib import Path
from typing import Literal, Optional, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .checks import WholeNumber
from .errors import SIError
from .files import read_text
from .vocabulary import AUTHORITIES  # noqa: F401 - re-exported

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

Unit = Literal["uge", "dag", "maaned", "aar", "haendelse"]
SourceKind = Literal["primaer", "sekundaer", "egen"]


class Sourced(BaseModel):
    """Fields every data row carries: where the figure comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kilde_udgiver: str = Field(min_length=1, description="Publisher of the source")
    kilde_dokument: str = Field(min_length=1, description="Document or page title")
    kilde_url: str = ""
    kildetype: SourceKind
    note: str = ""


def _blank_to_none(value):
    return None if isinstance(value, str) and value.strip() == "" else value


class UnitCost(Sourced):
    """One unit cost: the total public cost of one unit, split by authority.

    ``beloeb`` is kr. per ``enhed`` at the price level of ``prisaar``.  The
    shares are 0–1 (not per cent) and sum to 1; all three ``None`` means the
    split is unknown and only the public-sector total may be used.
    """

    id: str = Field(pattern=r"^[a-z0-9_]+$", max_length=80)
    navn: str = Field(min_length=1)
    enhed: Unit
    beloeb: float = Field(ge=0, allow_inf_nan=False)
    prisaar: WholeNumber = Field(ge=1990, le=2100)
    andel_kommune: Optional[float] = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    andel_region: Optional[float] = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    andel_stat: Optional[float] = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    fordelingsgrundlag: str = ""
    budgetomraade: str = Field(min_length=1)
    kildevaerdi: str = ""

    _blank = field_validator("andel_kommune", "andel_region", "andel_stat", mode="before")(
        classmethod(lambda cls, v: _blank_to_none(v))
    )

    @model_validator(mode="after")
    def _shares_complete(self) -> "UnitCost":
        shares = [self.andel_kommune, self.andel_region, self.andel_stat]
        if all(s is None for s in shares):
            return self
        if any(s is None for s in shares):
            raise ValueError("andelene for kommune, region og stat skal udfyldes alle tre eller ingen")
        if abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(f"andelene for kommune, region og stat summerer til {sum(shares):g}, ikke 1")
        return self

    @property
    def split_known(self) -> bool:
        return self.andel_kommune is not None

    def share(self, authority: str) -> float:
        """Share 0–1 of the amount that falls on ``authority`` ("offentlig" = 1)."""
        if authority == "offentlig":
            return 1.0
        if not self.split_known:
            raise SIError("myndighed", f"fordelingen på myndigheder er ikke kendt for '{self.id}'; brug \"offentlig\"")
        return getattr(self, f"andel_{authority}")


class IndexPoint(Sourced):
    indeks: str = Field(pattern=r"^[a-z0-9_]+$")
    aar: int
    vaerdi: float = Field(gt=0, allow_inf_nan=False)
    basis: str = Field(pattern=r"^\d{4}=100$", description="Reference year of the published series, e.g. 2015=100")


class RefusionStep(Sourced):
    ordning: str = Field(pattern=r"^[a-z0-9_]+$")
    fra_uge: int = Field(ge=1)
    til_uge: Optional[int] = None
    sats: float = Field(ge=0, le=1)
    gyldig_fra: str

    _blank = field_validator("til_uge", mode="before")(classmethod(lambda cls, v: _blank_to_none(v)))


class DiscountBand(Sourced):
    skema: str = Field(pattern=r"^[a-z0-9_]+$")
    fra_aar: int = Field(ge=1)
    til_aar: Optional[int] = None
    rente: float = Field(gt=-1, lt=1)
    gyldig_fra: str

    _blank = field_validator("til_aar", mode="before")(classmethod(lambda cls, v: _blank_to_none(v)))


@cache
def manifest() -> dict:
    """The manifest (``udfs/data/manifest.yaml``) as a dict."""
    with open(DATA_DIR / "manifest.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_rows(path: Path, model: type[BaseModel], label: str) -> list:
    """Read a CSV file into validated ``model`` rows; errors name the row and field.

    The file may be saved as Danish Excel saves it: see :func:`read_csv`.
    """
    return rows_to_models(read_csv(path, label, _number_fields(model)), model, label)


#: Separators a CSV file may use, in order of preference when a header line holds none.
SEPARATORS = (",", ";", "\t")


def read_csv(path: Path, label: str, number_fields: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """The rows of a CSV file (header → text), as English or Danish Excel saves it.

    The encoding is UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252
    (:func:`udfs.core.files.read_text`).  The separator is the one of ``,``,
    ``;`` and tab that occurs most often in the header line.  A file separated by
    ``;`` or tab is Danish Excel's ("CSV (semikolonsepareret)", "Unicode-tekst"):
    there, numbers in ``number_fields`` are read with decimal comma and thousands
    point (``2.205,05`` is 2205.05) by Babel's Danish number parser.  A value it
    cannot read is passed on as it is, for the validation to name its row and field.
    """
    text = read_text(path, label)
    header = next((line for line in text.splitlines() if line.strip()), "")
    separator = max(SEPARATORS, key=header.count)
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator, restval=""))
    except csv.Error as exc:
        raise SIError(label, f"filen kan ikke læses som CSV: {excerpt(exc)}") from None
    for row in rows:
        for key in ("", None):  # cells right of the header (Excel saves empty ones as ";;")
            if key in row and _blank(row[key]):
                del row[key]
        if separator != ",":
            for name in number_fields & row.keys():
                row[name] = _danish_number(row[name])
    return [row for row in rows if not all(_blank(v) for v in row.values())]


def _blank(value: object) -> bool:
    """An empty cell of a CSV row (a list holds the cells beyond the header)."""
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _danish_number(text: object) -> object:
    """A number written the Danish way (``2.205,05``) as an English number text (``2205.05``)."""
    if not isinstance(text, str) or not text.strip():
        return text
    from babel.numbers import NumberFormatError, parse_decimal  # only a Danish CSV file needs it

    try:
        return str(parse_decimal(text.strip(), locale="da_DK", strict=True))
    except NumberFormatError:
        return text


def _number_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold numbers (int or float, optional or not)."""
    return frozenset(
        name for name, f in model.model_fields.items() if {int, float} & set(get_args(f.annotation) or (f.annotation,))
    )


def rows_to_models(rows: list[dict], model: type[BaseModel], label: str) -> list:
    """Validate dict rows (header → text or number) into ``model`` instances.

    Row numbers in messages count the header as row 1, as a spreadsheet does.
    """
    out = []
    for number, row in enumerate(rows, start=2):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            raise SIError(label, f"række {number}: {_first_error(exc)}") from None
    return out


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {_danish(msg, err['type'])}" if where else _danish(msg, err["type"])


_PYDANTIC_DA = {
    "missing": "mangler",
    "extra_forbidden": "ukendt kolonne",
    "float_parsing": "skal være et tal",
    "int_parsing": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "greater_than_equal": "er for lille",
    "less_than_equal": "er for stor",
    "greater_than": "er for lille",
    "less_than": "er for stor",
    "string_pattern_mismatch": "må kun indeholde a–z, 0–9 og _",
    "string_too_short": "må ikke være tom",
    "string_type": "skal være en tekst",
    "literal_error": "har en ukendt værdi",
    "finite_number": "skal være et endeligt tal",
}


def _danish(msg: str, kind: str) -> str:
    return _PYDANTIC_DA.get(kind, msg)


def dataset_path(name: str) -> Path:
    return DATA_DIR / manifest()["datasets"][name]["file"]


@cache
def catalogue() -> dict[str, UnitCost]:
    """The built-in unit-cost catalogue, by id."""
    rows = read_rows(dataset_path("enhedspriser"), UnitCost, "enhedspriser.csv")
    out = {r.id: r for r in rows}
    if len(out) != len(rows):
        raise SIError("enhedspriser.csv", "et id forekommer mere end én gang")
    return out


@cache
def indices() -> dict[str, dict[int, float]]:
    """Price indices: name → {year: value}, each on its oldest base (newer bases chained on)."""
    from .indices import chain_bases  # the chaining rule lives with the other index rules

    segments: dict[str, dict[str, dict[int, float]]] = {}
    for p in read_rows(dataset_path("prisindeks"), IndexPoint, "prisindeks.csv"):
        segments.setdefault(p.indeks, {}).setdefault(p.basis, {})[p.aar] = p.vaerdi
    return {name: chain_bases(by_base, name) for name, by_base in segments.items()}


@cache
def refusion_schemes() -> dict[str, tuple[RefusionStep, ...]]:
    """Refusion / co-financing schemes: name → steps in week order."""
    out: dict[str, list[RefusionStep]] = {}
    for s in read_rows(dataset_path("refusionstrappe"), RefusionStep, "refusionstrappe.csv"):
        out.setdefault(s.ordning, []).append(s)
    return {k: tuple(sorted(v, key=lambda s: s.fra_uge)) for k, v in out.items()}


@cache
def discount_schedules() -> dict[str, tuple[DiscountBand, ...]]:
    """Discount schedules: name → bands in year order."""
    out: dict[str, list[DiscountBand]] = {}
    for b in read_rows(dataset_path("diskontering"), DiscountBand, "diskontering.csv"):
        out.setdefault(b.skema, []).append(b)
    return {k: tuple(sorted(v, key=lambda b: b.fra_aar)) for k, v in out.items()}
