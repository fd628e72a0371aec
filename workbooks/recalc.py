"""Recalculating a workbook with LibreOffice headless: the independent reading.

LibreOffice opens the file, recalculates every formula and saves a copy whose
cells hold the computed values, which openpyxl then reads (``data_only=True``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from udfs.core.errors import SIError


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``), or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(src: str | Path, outdir: str | Path, timeout: float = 180) -> Path:
    """Recalculate ``src`` with LibreOffice and write ``outdir/<name>.xlsx``.

    A private user profile is used so that a running LibreOffice or a stale
    lock does not interfere.  Raises :class:`SIError` when LibreOffice is
    missing or fails.
    """
    soffice = find_soffice()
    if soffice is None:
        raise SIError("libreoffice", "LibreOffice (soffice) er ikke installeret")
    src, outdir = Path(src).resolve(), Path(outdir).resolve()
    if outdir == src.parent:
        raise SIError("outdir", "skal være en anden mappe end kildefilens, så kildefilen ikke overskrives")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sibc-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--calc",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(src),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env={**os.environ, "HOME": profile})
    out = outdir / (src.stem + ".xlsx")
    if done.returncode != 0 or not out.exists():
        raise SIError("libreoffice", f"genberegning mislykkedes: {done.stderr.strip()[:200]}")
    return out
