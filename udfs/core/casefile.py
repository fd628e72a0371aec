"""Reading a case file (:mod:`udfs.core.case_model`), cached while the file is unchanged.

There is one case format.  The published examples are ordinary case files
whose values carry ``kilde``/``antagelse`` and whose published figures are an
``offentliggjort`` block (:mod:`udfs.core.published`).  The earlier format of
published cases (``besparelser`` with four drivers each) is not read; such a
file gets a Danish message saying so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .case_model import Case, parse_case
from .errors import SIError, excerpt
from .files import CASE_SUFFIXES, is_content, located_errors, parse_text, read_checked, read_data, read_text_and_data, user_file  # noqa: F401 - read_data re-exported


OLD_FORMAT = ("besparelser", "offentliggjorte_tal", "opnaaet_ved_fuld_succes")


def case_from_data(data: Any) -> Case:
    """The case of plain data (SIError naming the field; a Danish note for the earlier published-case format)."""
    if isinstance(data, dict) and "effekter" not in data and any(k in data for k in OLD_FORMAT):
        raise SIError("casefil", "er i det tidligere format for offentliggjorte cases (besparelser med fire drivere), "
                                 "som ikke læses længere; skriv besparelserne som effekter med egne priser og tallene "
                                 "under offentliggjort (se workbooks/cases/sygedagpenge.yaml)")  # fmt: skip
    return parse_case(data)


def case_file_key(path: str | Path) -> tuple[str, int, int]:
    """The file's resolved path, modification time (ns) and size: what a cached reading of it is keyed by.

    The name is checked first (:func:`~udfs.core.files.user_file`: allowed
    here, right suffix, exists, not too large); errors name ``casefil``.
    """
    p = user_file(path, "casefil", CASE_SUFFIXES).resolve()
    try:
        stat = p.stat()
    except OSError:
        raise SIError("casefil", "er ikke et gyldigt filnavn") from None
    return str(p), stat.st_mtime_ns, stat.st_size


def load_business_case(path: str | Path) -> Case:
    """Read a case file (cached while the file is unchanged).

    ``path`` may also be the case's content itself (YAML or JSON text, see
    :func:`~udfs.core.files.is_content`), e.g. on a server without file names.
    """
    if is_content(path):
        return _from_text(str(path))
    return load_keyed(case_file_key(path))


def load_keyed(key: tuple[str, int, int]) -> Case:
    """The business case of the file with this :func:`case_file_key` (read once per key)."""
    return _cached(*key)


@lru_cache(maxsize=16)
def _from_text(text: str) -> Case:
    return case_from_data(parse_text(text))


@lru_cache(maxsize=16)
def _cached(path: str, mtime: int, size: int) -> Case:
    return case_from_data(read_checked(Path(path)))


#: A case file's list fields as the workbook numbers them: ``effekter[1]`` is "effekt 2", shown with its id or name.
NUMBERED = {
    "effekter": ("effekt", "id"), "indsats": ("omkostning", "navn"), "betalingsmodel.resultatmaal": ("resultatmål", "id"),
    "risici": ("risiko", "beskrivelse"), "egne_priser": ("egen pris", "id"), "betalingsmodel.betalere": ("betaler", "betaler"),
}  # fmt: skip

#: A case file's series by year as the workbook heads their columns: ``deltagere[0]`` is year 0 (År 0), a
#: profile's first value is "Profilår 1".
YEAR_SERIES = {"deltagere": ("år", 0), "pr_aar": ("år", 0), "profil": ("profilår", 1)}


def numbered_field(argument: str, data) -> str:
    """A case-file field path as the workbook counts: ``effekter[1].succesrate`` → ``effekt 2 (job), succesrate``,
    ``betalingsmodel.resultatmaal[1].regel`` → ``resultatmål 2 (skolefravaer), regel``, ``deltagere[0]`` →
    ``deltagere, år 0``, ``effekter[0].profil[2]`` → ``effekt 1 (job), profil, profilår 3``.

    Fields of other lists and fields outside lists pass through unchanged.
    """
    m = re.fullmatch(r"([\w.]+?)\[(\d+)\]\.?(.*)", argument, flags=re.S)
    if not m or m[1] not in NUMBERED:
        return _year_of(argument)
    items = data
    for part in m[1].split("."):
        items = items.get(part) if isinstance(items, dict) else None
    word, key = NUMBERED[m[1]]
    k = int(m[2])
    name = items[k].get(key) if isinstance(items, list) and k < len(items) and isinstance(items[k], dict) else None
    shown = f"{word} {k + 1}" + (f" ({excerpt(name, 30)})" if isinstance(name, str) and name.strip() else "")
    return shown + (f", {_year_of(m[3])}" if m[3] else "")


def _year_of(field: str) -> str:
    """``deltagere[0]`` → ``deltagere, år 0``, ``profil[2]`` → ``profil, profilår 3``; other fields unchanged."""
    m = re.fullmatch(r"(\w+)\[(\d+)\]", field)
    if not m or m[1] not in YEAR_SERIES:
        return field
    word, first = YEAR_SERIES[m[1]]
    return f"{m[1]}, {word} {int(m[2]) + first}"


def numbered_errors(err: SIError, data: Any, text: str | None = None) -> SIError:
    """``err`` and its :attr:`~udfs.core.errors.SIError.others` with every field path numbered as the
    workbook numbers it (:func:`numbered_field`) and, where ``text`` (the file's YAML or JSON) has the
    field, its line: ``effekt 2 (skolefravaer), succesrate (linje 97)``.  Ordered by line (the file's
    order; an error without a line after those with one, in the order found)."""
    return located_errors(err, text, lambda argument: numbered_field(argument, data))


#: Fields of which a case file has at least one; a file with none of them is not a case file.
CASE_FIELDS = ("navn", "prisaar", "horisont", "effekter", "indsats")


def case_from_case_file(data: Any, text: str | None = None) -> Case:
    """:func:`case_from_data` for data read from a file that should be a case file: a file without any
    field of a case (:data:`CASE_FIELDS`) is refused as not a case file, and every error of the file is
    raised at once (the first carrying the others), each naming its field as the workbook numbers it and,
    given the file's ``text``, its line (:func:`numbered_errors`)."""
    if not isinstance(data, dict) or not any(f in data for f in CASE_FIELDS):
        raise SIError("casefil", f"filen er ikke en case-fil (har ingen af felterne {', '.join(CASE_FIELDS)})")
    try:
        return case_from_data(data)
    except SIError as err:
        raise numbered_errors(err, data, text) from None


def read_case_file(path: str | Path) -> Case:
    """The case file at ``path`` (:func:`case_from_case_file`, errors with their lines in the file)."""
    text, data = read_text_and_data(path)
    return case_from_case_file(data, text)
