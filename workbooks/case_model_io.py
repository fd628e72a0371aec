"""Writing case files safely (the same rules as workbooks: no silent overwrite, numbered backups)."""

from __future__ import annotations

from pathlib import Path

from udfs.core.case_model import Case, dump_case

from .safe_write import write_file


def write_case_file(case: Case, path: Path, overwrite: bool = False) -> Path:
    """Write ``case`` as YAML (UTF-8) to ``path`` with :func:`workbooks.safe_write.write_file`;
    an existing file needs ``overwrite`` and is then kept as ``<name>.bakN.yaml``."""
    return write_file(path, dump_case(case).encode("utf-8"), overwrite=overwrite, argument="output", suffixes=(".yaml", ".yml"))
