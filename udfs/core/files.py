"""Reading the user's files: YAML/JSON case files and text as Windows programs save it.

Errors are Danish and name the argument the file was given in (``casefil``,
``egne_priser``).
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import yaml

from .errors import SIError, excerpt


def read_data(path: str | Path) -> Any:
    """The parsed YAML/JSON content of a case file."""
    try:
        p = Path(path)
        exists = p.is_file()
    except (OSError, ValueError):
        raise SIError("casefil", "er ikke et gyldigt filnavn") from None
    if p.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise SIError("casefil", f"'{excerpt(p.name)}' er ikke en .yaml-, .yml- eller .json-fil")
    if not exists:
        raise SIError("casefil", f"filen '{excerpt(p.name)}' findes ikke")
    text = read_text(p, "casefil")
    try:
        return json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SIError("casefil", f"filen kan ikke læses: {str(exc).splitlines()[0][:120]}") from None


def read_text(path: Path, argument: str) -> str:
    """The text of a file in the encodings Windows programs save: UTF-8 (with or without BOM),
    UTF-16 with BOM (Excel's "Unicode-tekst") or else Windows-1252 (Excel's "CSV
    (semikolonsepareret)" and Notepad's "ANSI" on a Danish Windows).

    Raises SIError naming ``argument`` when the file cannot be read or is not text.
    """
    try:
        data = Path(path).read_bytes()
    except PermissionError:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' kan ikke læses: ingen adgang (er den låst af et andet program?)") from None
    except OSError:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' kan ikke læses") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise SIError(argument, f"filen '{excerpt(Path(path).name)}' er ikke gyldig UTF-16-tekst") from None
    if b"\x00" in data:
        raise SIError(argument, f"filen '{excerpt(Path(path).name)}' er ikke en tekstfil (gem den som CSV eller tekst)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SIError(
            argument, f"filen '{excerpt(Path(path).name)}' er hverken UTF-8 eller Windows-1252 (tegn nr. {exc.start + 1})"
        ) from None
