"""Reading YAML/JSON case files, with Danish errors naming the argument ``casefil``."""

from __future__ import annotations

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
    text = p.read_text(encoding="utf-8")
    try:
        return json.loads(text) if p.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise SIError("casefil", f"filen kan ikke læses: {str(exc).splitlines()[0][:120]}") from None
