"""Reading a case file (:mod:`udfs.core.case_model`), cached while the file is unchanged.

There is one case format.  The published examples are ordinary case files
whose values carry ``kilde``/``antagelse`` and whose published figures are an
``offentliggjort`` block (:mod:`udfs.core.published`).  The earlier format of
published cases (``besparelser`` with four drivers each) is not read; such a
file gets a Danish message saying so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .case_model import Case, parse_case
from .errors import SIError
from .files import CASE_SUFFIXES, is_content, parse_text, read_checked, read_data, user_file  # noqa: F401 - read_data re-exported


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
