"""The checks a workbook file passes before anything reads it: only the standard library.

:func:`check_file` bounds the file and its zip content (a zip bomb is refused
before it is unpacked) without importing openpyxl, so ``sibc check`` can run it
and start LibreOffice at once, while the heavier reading starts alongside.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from udfs.core.errors import SIError, excerpt
from udfs.core.limits import (
    MAX_COMPRESSION_RATIO, MAX_WORKBOOK_BYTES, MAX_WORKBOOK_CELLS, MAX_WORKBOOK_ENTRIES, MAX_WORKBOOK_UNCOMPRESSED,
)  # fmt: skip


def check_file(path: str | Path) -> Path:
    """An existing ``.xlsx`` file within the limits of :func:`check_archive`, as a path; else a Danish refusal."""
    path = Path(path)
    if not path.is_file():
        raise SIError("fil", f"'{excerpt(path.name)}' findes ikke")
    if path.suffix.lower() != ".xlsx":
        raise SIError("fil", f"'{excerpt(path.name)}' er ikke en Excel-projektmappe (.xlsx)")
    check_archive(path)
    return path


_CELL_PARTS = re.compile(r"^xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)$")
_CELL_TAG = re.compile(rb"<(?:c|row|si)[\s>/]")


def check_archive(path: Path) -> None:
    """Refuse a workbook whose size, number of zip entries, uncompressed size or
    compression ratio exceeds :mod:`udfs.core.limits` (a zip bomb), before unpacking."""
    name = excerpt(path.name)
    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        raise SIError("fil", f"'{name}' fylder {size / 1e6:.1f} MB; højst {MAX_WORKBOOK_BYTES / 1e6:.0f} MB".replace(".", ","))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SIError("fil", f"'{name}' kan ikke åbnes som Excel-projektmappe (.xlsx)") from None
    if len(entries) > MAX_WORKBOOK_ENTRIES:
        raise SIError("fil", f"'{name}' har {len(entries)} dele; højst {MAX_WORKBOOK_ENTRIES}")
    total = sum(e.file_size for e in entries)
    if total > MAX_WORKBOOK_UNCOMPRESSED:
        raise SIError("fil", f"'{name}' fylder {total / 1e6:.0f} MB udpakket; højst {MAX_WORKBOOK_UNCOMPRESSED / 1e6:.0f} MB")
    for e in entries:
        if e.file_size > 1_000_000 and e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1):
            raise SIError("fil", f"'{name}' er pakket usædvanligt tæt ({excerpt(e.filename)}); filen afvises som mulig zip-bombe")
    cells = _count_cells(path, [e for e in entries if _CELL_PARTS.match(e.filename)])
    if cells > MAX_WORKBOOK_CELLS:
        many, most = f"{cells:,}".replace(",", "."), f"{MAX_WORKBOOK_CELLS:,}".replace(",", ".")
        raise SIError("fil", f"'{name}' har over {many} celler, rækker og tekster; højst {most}")




def _count_cells(path: Path, entries: list) -> int:
    """Cells, rows and shared strings in the sheets' XML, counted while streaming (stops past the limit)."""
    count = 0
    with zipfile.ZipFile(path) as archive:
        for e in entries:
            tail = b""
            with archive.open(e) as fh:
                while count <= MAX_WORKBOOK_CELLS and (chunk := fh.read(1 << 20)):
                    block = tail + chunk
                    count += len(_CELL_TAG.findall(block[: len(block) - 4]))
                    tail = block[len(block) - 4 :]
            count += len(_CELL_TAG.findall(tail))
    return count
