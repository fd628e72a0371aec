"""Loading the registered data files (``udfs/data/manifest.yaml``).

Every number the calculations use comes from a CSV file registered in the
manifest, and every row carries its source.  Files are read once and cached;
rows are validated with pydantic so that a bad edit to a data file fails
loudly, naming the file, the row and the field.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from pathlib import Path
from collections.abc import Iterable, Iterator, Sequence
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

from .checks import WholeNumber, format_number
from .danish_numbers import number_from_text, parse_danish  # noqa: F401 - parse_danish re-exported (one Danish number parser)
from .errors import count, excerpt
from .errors import SIError
from .files import read_text
from .validation import Choices, danish
from .vocabulary import AUTHORITIES, BENEFIT_PART_WORDS, RULE_SET_WORDS, SOURCE_KIND_WORDS  # noqa: F401 - re-exported

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

Unit = Literal["uge", "dag", "maaned", "aar", "haendelse"]
SourceKind = Literal["primaer", "sekundaer", "egen"]
#: A source kind as every output shows it (the function table, the command line): the Danish word.
SOURCE_KIND_SHOWN = SOURCE_KIND_WORDS  # the source kinds as shown (udfs.core.vocabulary)


class Sourced(Choices):
    """Fields every data row carries: where the figure comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kilde_udgiver: str = Field(min_length=1, description="Publisher of the source")
    kilde_dokument: str = Field(min_length=1, description="Document or page title")
    kilde_url: str = ""
    kildetype: SourceKind
    note: str = ""


def _blank_to_none(value):
    return None if isinstance(value, str) and value.strip() == "" else value


def _share(value):
    """A share as typed or saved by Danish Excel: blank → None; ``"80%"``, ``"80 %"``, ``"12,5 %"`` → 0.8, 0.125.

    Numbers and other texts pass on unchanged (a percent-formatted Excel cell
    already arrives as 0.8; ``"0,8"`` is read as a Danish number elsewhere).
    """
    value = _blank_to_none(value)
    found = number_from_text(value) if isinstance(value, str) else None
    if found is not None and found[1]:  # a per cent, read by the one reader of number texts
        return float(found[0] / 100) + 0.0
    return value


def column_name(header: object) -> str:
    """A column header as the catalogue names it: trimmed, lower case, ``æ ø å`` as ``ae oe aa``, spaces as ``_``.

    ``" ID "`` → ``id``, ``"Prisår"`` → ``prisaar``, ``"Kilde udgiver"`` → ``kilde_udgiver``
    (the catalogue's own headers are ASCII).
    """
    text = "" if header is None else str(header).strip().lower()
    for letter, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, ascii_)
    return "_".join(text.split())


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
        classmethod(lambda cls, v: _share(v))
    )

    @model_validator(mode="after")
    def _shares_complete(self) -> "UnitCost":
        shares = [self.andel_kommune, self.andel_region, self.andel_stat]
        if all(s is None for s in shares):
            return self
        if any(s is None for s in shares):
            raise ValueError("andelene for kommune, region og stat skal udfyldes alle tre eller ingen")
        if abs(sum(shares) - 1.0) > 1e-9:
            raise ValueError(f"andelene for kommune, region og stat summerer til {format_number(sum(shares))}, ikke 1")
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


RuleSet = Literal["foer_1_7_2025", "fra_1_7_2025"]
"""The rules a benefit's rate is paid by, where they changed: before or from the new kontanthjælp of 1 July 2025
(kontanthjælp and uddannelseshjælp before it; the new kontanthjælp from it); shown as :data:`RULE_SET_WORDS`."""
BenefitPart = Literal["sats", "tillaeg"]
"""What part of a benefit a row prices: the rate itself or a supplement paid on top of it (:data:`BENEFIT_PART_WORDS`)."""


class CatalogueCost(UnitCost):
    """A row of the built-in catalogue (``udfs/data/enhedspriser.csv``): a unit cost and, for a benefit whose rules
    changed, which rules price it (``regelsaet``) and whether it is the rate or a supplement (``ydelsesdel``).

    Both are blank for a row no rule change concerns.  :mod:`udfs.core.plausibility` reads them: a case starting
    after the change that prices an effect by a row of the old rules is told the new rules' rates.
    """

    regelsaet: Optional[RuleSet] = None
    ydelsesdel: Optional[BenefitPart] = None

    _blank_rules = field_validator("regelsaet", "ydelsesdel", mode="before")(classmethod(lambda cls, v: _blank_to_none(v)))

    @model_validator(mode="after")
    def _part_with_rules(self) -> "CatalogueCost":
        if self.regelsaet is not None and self.ydelsesdel is None:
            raise ValueError(f"ydelsesdel skal udfyldes (sats eller tillaeg), når regelsaet er udfyldt ({self.regelsaet})")
        if self.ydelsesdel is not None and self.regelsaet is None:
            raise ValueError("regelsaet skal udfyldes (foer_1_7_2025 eller fra_1_7_2025), når ydelsesdel er udfyldt")
        return self

    def unit_fields(self) -> dict:
        """The row's fields an own price has (:class:`UnitCost`'s): an own price started from the catalogue's row."""
        return self.model_dump(include=set(UnitCost.model_fields))


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


class OutcomeFund(Sourced):
    """A central outcomes fund (resultatfond) that tops up outcome payments: ``andel`` of every payment, 0–1."""

    id: str = Field(pattern=r"^[a-z0-9_]+$", max_length=80)
    navn: str = Field(min_length=1)
    andel: float = Field(gt=0, le=1, allow_inf_nan=False)
    gyldig_fra: str


@cache
def manifest() -> dict:
    """The manifest (``udfs/data/manifest.yaml``) as a dict."""
    with open(DATA_DIR / "manifest.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def read_rows(path: Path, model: type[BaseModel], label: str) -> list:
    """Read a CSV file into validated ``model`` rows; errors name the row and field.

    The file may be saved as Danish Excel saves it: see :func:`read_csv`.
    """
    return rows_to_models(read_csv(path, label, numeric_fields(model)), model, label)


#: Separators a CSV file may use, in order of preference when a header line holds none.
SEPARATORS = (",", ";", "\t")

EMPTY_FILE = "filen er tom; den skal have en overskriftsrække og mindst én række med {rows}"
"""An empty CSV file (nothing but blank lines), by what its rows hold: a unit-price file's ``priser``, a measurement's
cohort and panel ``personer``."""


def is_empty_text_file(path: Path) -> bool:
    """True when the file at ``path`` holds nothing but blank lines (a byte-order mark and white space), read no further
    than its first non-blank bytes (a huge file is not read)."""
    with open(path, "rb") as fh:
        while chunk := fh.read(65536):
            if chunk.replace(b"\xef\xbb\xbf", b"").strip():
                return False
    return True


def field_count_error(records: Iterable[Sequence[str]], first_row: int = 1, empty_extra: bool = True) -> str | None:
    """The first row of a CSV file whose fields do not match its header's, in Danish words
    ("række 7 har 5 felter, overskriften har 4"); None when every row matches.

    ``records``: the file's rows as a CSV reader gives them; the first of them is row ``first_row`` as a
    spreadsheet numbers it (2 after a ``sep=`` line), and the first that is not blank is the header.  A blank row
    is no error; with ``empty_extra`` empty cells right of the header are not either (Danish Excel saves them as
    ``;;``).
    """
    return next(field_count_errors(records, first_row, empty_extra), None)


def field_count_errors(records: Iterable[Sequence[str]], first_row: int = 1, empty_extra: bool = True) -> Iterator[str]:
    """Every row of a CSV file whose fields do not match its header's, in file order, as :func:`field_count_error`
    words it; a generator, so a caller reading a huge file keeps only what it lists."""
    header: Sequence[str] | None = None
    for number, row in enumerate(records, start=first_row):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
        elif len(row) < len(header) or (len(row) > len(header) and not (empty_extra and not any(c.strip() for c in row[len(header):]))):
            yield f"række {number} har {count(len(row), 'felt', 'felter')}, overskriften har {len(header)}"


def read_csv(path: Path, label: str, number_fields: frozenset[str] = frozenset()) -> list[dict[str, str]]:
    """The rows of a CSV file (header → text), see :func:`read_csv_with_header`."""
    return read_csv_with_header(path, label, number_fields)[1]


def read_csv_with_header(path: Path, label: str, number_fields: frozenset[str] = frozenset()) -> tuple[list[str], list[dict[str, str]]]:
    """The header and the rows of a CSV file (header → text), as English or Danish Excel saves it.

    Header names are normalised by :func:`column_name` (``" ID "``, ``"Prisår"``
    are ``id``, ``prisaar``).  A first line ``sep=;`` (Excel writes it when asked
    to) gives the separator and is skipped.  The encoding is UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1252
    (:func:`udfs.core.files.read_text`).  The separator is the one of ``,``,
    ``;`` and tab that occurs most often in the header line.  A file separated by
    ``;`` or tab is Danish Excel's ("CSV (semikolonsepareret)", "Unicode-tekst"):
    there, numbers in ``number_fields`` are read with decimal comma and thousands
    point (``2.205,05`` is 2205.05) by Babel's Danish number parser.  A value it
    cannot read is passed on as it is, for the validation to name its row and field.
    """
    text = read_text(path, label)
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SIError(label, EMPTY_FILE.format(rows="priser"))
    declared = re.fullmatch(r'"?sep=(.)"?[,;\t]*', lines[first].strip("\r\n"), re.I)
    if declared:
        text = "".join(lines[first + 1:])
    header = next((line for line in text.splitlines() if line.strip()), "")
    separator = declared.group(1) if declared else max(SEPARATORS, key=header.count)
    try:
        wrong = field_count_error(csv.reader(io.StringIO(text, newline=""), delimiter=separator), first + 2 if declared else 1)
        if wrong is not None:
            raise SIError(label, f"{wrong} (skilletegn '{separator}')")
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=separator, restval="")
        reader.fieldnames = [column_name(h) for h in reader.fieldnames or []]
        rows = list(reader)
    except csv.Error as exc:
        raise SIError(label, f"filen kan ikke læses som CSV: {excerpt(exc)}") from None
    for row in rows:
        for key in ("", None):  # cells right of the header (Excel saves empty ones as ";;")
            if key in row and _blank(row[key]):
                del row[key]
        if separator != ",":
            for name in number_fields & row.keys():
                row[name] = _danish_number(row[name])
    return [h for h in reader.fieldnames if h], [row for row in rows if not all(_blank(v) for v in row.values())]


def _blank(value: object) -> bool:
    """An empty cell of a CSV row (a list holds the cells beyond the header)."""
    if isinstance(value, list):
        return all(_blank(v) for v in value)
    return value is None or (isinstance(value, str) and not value.strip())


def _danish_number(text: object) -> object:
    """A number written the Danish way (``2.205,05``) as an English number text (``2205.05``)."""
    if not isinstance(text, str) or not text.strip():
        return text
    number = parse_danish(text)
    return text if number is None else str(number)


def numeric_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of ``model`` that hold numbers (int or float, optional or not)."""
    return frozenset(
        name for name, f in model.model_fields.items() if {int, float} & set(get_args(f.annotation) or (f.annotation,))
    )


def rows_to_models(rows: list[dict], model: type[BaseModel], label: str, as_list: bool = False) -> list:
    """Validate dict rows (header → text or number) into ``model`` instances.

    Row numbers in messages count the header as row 1, as a spreadsheet does.
    With ``as_list`` the rows are a case file's list and a refusal names the
    element and field (``egne_priser[0].beloeb``), which the case file's
    messages number as the workbook does ("egen pris 1").
    """
    out = []
    for number, row in enumerate(rows, start=2):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            if as_list:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                raise SIError(f"{label}[{number - 2}]" + (f".{where}" if where else ""), danish(err, model)) from None
            raise SIError(label, f"række {number}: {_first_error(exc, model)}") from None
    return out


def _first_error(exc: ValidationError, model: type[BaseModel] | None = None) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {danish(err, model)}" if where else danish(err, model)


def dataset_path(name: str) -> Path:
    return DATA_DIR / manifest()["datasets"][name]["file"]


@cache
def catalogue() -> dict[str, CatalogueCost]:
    """The built-in unit-cost catalogue, by id."""
    rows = read_rows(dataset_path("enhedspriser"), CatalogueCost, "enhedspriser.csv")
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


@cache
def outcome_funds() -> dict[str, OutcomeFund]:
    """Central outcomes funds (``udfs/data/resultatfonde.csv``), by id: the share of every outcome payment each tops up."""
    return {f.id: f for f in read_rows(dataset_path("resultatfonde"), OutcomeFund, "resultatfonde.csv")}
