"""Writing case files safely (the same rules as workbooks: no silent overwrite)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from udfs.core.case_model import Case, dump_case
from udfs.core.errors import SIError



def write_case_file(case: Case, path: Path, overwrite: bool = False) -> Path:
    """Write ``case`` as YAML to ``path`` via a temporary file; an existing file needs ``overwrite``
    and is then kept as a backup."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise SIError("output", "case-filen skal have endelsen .yaml eller .yml")
    if path.exists() and not overwrite:
        raise SIError("output", f"'{path.name}' findes allerede; brug --overwrite for at erstatte den")
    if not path.parent.is_dir():
        raise SIError("output", f"mappen '{path.parent}' findes ikke")
    if path.exists():
        backup = path.with_name(path.stem + ".bak" + path.suffix)
        backup.write_bytes(path.read_bytes())
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sibc-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(dump_case(case))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path

