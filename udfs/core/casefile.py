"""Reading any case file: a business case, or a published example case (converted).

Two formats exist: the business-case format (:mod:`udfs.core.case_model`) and
the published-case format of the three published examples
(:mod:`udfs.core.cases`), which documents a source or an assumption for every
driver.  :func:`load_business_case` reads either and returns a
:class:`~udfs.core.case_model.Case` the engine can run.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from .case_model import Case, parse_case
from .cases import PublishedCase, business_case_data
from .cases import parse_case as parse_published
from .errors import SIError
from .files import read_data


def is_published(data: Any) -> bool:
    return isinstance(data, dict) and "besparelser" in data and "effekter" not in data


def case_from_data(data: Any) -> tuple[Case, PublishedCase | None]:
    """The business case (and the published case, if that was the format)."""
    if is_published(data):
        published = parse_published(data)
        return parse_case(business_case_data(published)), published
    return parse_case(data), None


def case_file_key(path: str | Path) -> tuple[str, int, int]:
    """The file's resolved path, modification time (ns) and size: what a cached reading of it is keyed by.

    A missing file gets time and size 0 (reading it then gives the error).
    """
    try:
        p = Path(path).resolve()
        stat = p.stat() if p.is_file() else None
    except (OSError, ValueError):
        raise SIError("casefil", "er ikke et gyldigt filnavn") from None
    return str(p), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0


def load_business_case(path: str | Path) -> Case:
    """Read a case file of either format as a business case (cached while the file is unchanged)."""
    return load_keyed(case_file_key(path))


def load_keyed(key: tuple[str, int, int]) -> Case:
    """The business case of the file with this :func:`case_file_key` (read once per key)."""
    return _cached(*key)


@lru_cache(maxsize=16)
def _cached(path: str, mtime: int, size: int) -> Case:
    return case_from_data(read_data(path))[0]
