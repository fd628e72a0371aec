"""Writing case files safely (the same rules as workbooks: no silent overwrite, numbered backups)."""

from __future__ import annotations

from pathlib import Path

from udfs.core.case_model import Case, dump_case

from .safe_write import write_file


def write_case_file(case: Case, path: Path, overwrite: bool = False) -> Path:
    """Write ``case`` as YAML (UTF-8) to ``path`` with :func:`workbooks.safe_write.write_file`;
    an existing file needs ``overwrite`` and is then kept as ``<name>.bakN.yaml``."""
    return write_file(path, dump_case(case).encode("utf-8"), overwrite=overwrite, argument="output", suffixes=(".yaml", ".yml"))


PARTIAL_ORDER = ("navn", "beskrivelse", "kilde", "maalgruppe", "prisaar", "startaar", "horisont", "deltagere", "indsats", "effekter",
                 "betaler", "investor", "betalingsmodel", "realiseret")
"""The order of a partial case file's fields (as a case file has them); the fields a case needs and the
source did not give are written empty (``null``) where they belong."""
NEEDED = ("prisaar", "horisont", "deltagere", "indsats", "effekter")


def write_partial_case_file(data: dict, todo: list[str], source: str, path: Path, overwrite: bool = False) -> Path:
    """Write a partial case (:func:`udfs.core.indigo.partial_from_indigo`) as YAML with, at the top, the Danish
    list ``todo`` of what must be filled in by hand; the fields still needed stand empty in their place.
    Loading the file before they are filled names every missing field at once."""
    import yaml

    ordered = {k: data.get(k) for k in PARTIAL_ORDER if k in data or k in NEEDED}
    ordered |= {k: v for k, v in data.items() if k not in ordered}
    head = [f"# Delvis case-fil læst fra {source} (INDIGO uden sibc's udvidelse).", "# Udfyld i hånden, før casen kan regnes:"]
    head += [f"#  - {line}" for line in todo]
    text = "\n".join(head) + "\n" + yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False)
    return write_file(path, text.encode("utf-8"), overwrite=overwrite, argument="output", suffixes=(".yaml", ".yml"))
