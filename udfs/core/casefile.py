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
from .files import CASE_SUFFIXES, is_content, parse_text, read_checked, read_data, user_file  # noqa: F401 - read_data re-exported


def is_published(data: Any) -> bool:
    return isinstance(data, dict) and "besparelser" in data and "effekter" not in data


def case_from_data(data: Any) -> tuple[Case, PublishedCase | None]:
    """The business case (and the published case, if that was the format)."""
    if is_published(data):
        realised = {"realiseret": data["realiseret"]} if "realiseret" in data else {}  # a business-case field
        published = parse_published({k: v for k, v in data.items() if k != "realiseret"})
        return parse_case({**business_case_data(published), **realised}), published
    return parse_case(data), None


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
    """Read a case file of either format as a business case (cached while the file is unchanged).

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
    return case_from_data(parse_text(text))[0]


@lru_cache(maxsize=16)
def _cached(path: str, mtime: int, size: int) -> Case:
    return case_from_data(read_checked(Path(path)))[0]
