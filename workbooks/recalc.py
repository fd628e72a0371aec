"""Recalculating a workbook with LibreOffice headless: the independent reading.

LibreOffice opens the file, recalculates every formula and saves a copy whose
cells hold the computed values, which openpyxl then reads (``data_only=True``).
Starting LibreOffice takes about two seconds, so several workbooks are
recalculated in one run (:func:`recalculate_many`), and the user profile
LibreOffice sets up on its first start (about half a second) is kept in the
user's cache folder and reused by the next run (:func:`profile`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: every run gets a fresh profile
    fcntl = None

from udfs.core.errors import SIError


def find_soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``), or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(src: str | Path, outdir: str | Path, timeout: float = 180) -> Path:
    """Recalculate ``src`` with LibreOffice and write ``outdir/<name>.xlsx``.

    A private user profile (see :func:`profile`) is used so that a running
    LibreOffice or a stale lock does not interfere.  Raises :class:`SIError` when LibreOffice is
    missing or fails.
    """
    return recalculate_many([src], outdir, timeout)[0]


class Runs:
    """The LibreOffice processes of one :func:`recalculating`, so that they can be stopped at once
    (when a workbook is refused while LibreOffice already works on the batch)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: list[subprocess.Popen] = []
        self.stopped = False

    def start(self, cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
        with self._lock:
            if self.stopped:
                raise SIError("libreoffice", "genberegningen blev stoppet")
            # its own process group: ``soffice`` is a launcher whose child does the work, and both are stopped
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                    start_new_session=os.name == "posix")
            self._procs.append(proc)
            return proc

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            for proc in self._procs:
                _kill(proc)


def _kill(proc: subprocess.Popen) -> None:
    """Stop a LibreOffice run and the processes it started."""
    if proc.poll() is not None:
        return
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
            return
        except OSError:
            pass
    proc.kill()


def recalculate_many(srcs: Sequence[str | Path], outdir: str | Path, timeout: float = 180, runs: Runs | None = None) -> list[Path]:
    """Recalculate several workbooks in one LibreOffice run (one start, one profile).

    Writes ``outdir/<name>.xlsx`` for each source and returns those paths in
    the sources' order; the sources' names (without folder) must differ, and
    none may lie in ``outdir``.  ``timeout`` is seconds per workbook.  Raises
    :class:`SIError` (naming the file) when LibreOffice is missing or a
    workbook is not recalculated.
    """
    soffice = find_soffice()
    if soffice is None:
        raise SIError("libreoffice", "LibreOffice (soffice) er ikke installeret")
    sources, outdir = [Path(s).resolve() for s in srcs], Path(outdir).resolve()
    if any(src.parent == outdir for src in sources):
        raise SIError("outdir", "skal være en anden mappe end kildefilens, så kildefilen ikke overskrives")
    missing = [src for src in sources if not src.is_file()]
    if missing:  # refused before LibreOffice starts (and before a failed run renews the profile)
        raise SIError("fil", f"'{missing[0].name}' findes ikke")
    stems = [src.stem for src in sources]
    if len(set(stems)) != len(stems):
        raise SIError("fil", "regneark, der genberegnes sammen, skal have forskellige navne")
    outdir.mkdir(parents=True, exist_ok=True)
    outs = [outdir / (stem + ".xlsx") for stem in stems]
    for out in outs:  # an old copy must not pass for a new one
        out.unlink(missing_ok=True)
    with profile() as (folder, shared):
        done = _convert(soffice, folder, sources, outdir, timeout * max(1, len(sources)), runs)
        if shared and not all(out.exists() for out in outs) and not (runs and runs.stopped):  # perhaps a damaged kept profile: once more afresh
            shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink(missing_ok=True)
            done = _convert(soffice, folder, sources, outdir, timeout * max(1, len(sources)), runs)
    for src, out in zip(sources, outs, strict=True):
        if done.returncode != 0 or not out.exists():
            raise SIError("libreoffice", f"genberegning af '{src.name}' mislykkedes: {done.stderr.strip()[:200]}")
    return outs


@contextmanager
def recalculating(srcs: Sequence[str | Path]) -> Iterator[Callable[[int], Path]]:
    """Start recalculating ``srcs`` in the background and yield ``result(k)``, which waits for
    and returns the recalculated copy of ``srcs[k]`` (or raises its :class:`SIError`).

    Sources are recalculated in as few LibreOffice runs as their file names allow
    (one when they differ), in a temporary folder removed on leaving, so a caller can
    do its own work (read the inputs, compute) while LibreOffice works.
    """
    batches: list[list[int]] = []
    for k, src in enumerate(srcs):
        stem = Path(src).stem
        batch = next((b for b in batches if all(Path(srcs[j]).stem != stem for j in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(k)
    processes = Runs()
    with tempfile.TemporaryDirectory(prefix="sibc-recalc-") as tmp, ThreadPoolExecutor(max_workers=1) as pool:
        runs = [pool.submit(recalculate_many, [srcs[k] for k in b], Path(tmp) / str(j), runs=processes) for j, b in enumerate(batches)]
        where = {k: (run, b.index(k)) for run, b in zip(runs, batches, strict=True) for k in b}

        def result(k: int) -> Path:
            run, position = where[k]
            return run.result()[position]

        try:
            yield result
        except BaseException:  # the caller gave up (e.g. a workbook was refused): stop LibreOffice now
            processes.stop()
            raise
        finally:
            for run in runs:
                run.cancel()


def _convert(soffice: str, profile_dir: Path, sources: list[Path], outdir: Path, timeout: float, runs: Runs | None = None):
    cmd = [
        soffice,
        f"-env:UserInstallation={profile_dir.as_uri()}",
        "--headless",
        "--norestore",
        "--calc",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(outdir),
        *map(str, sources),
    ]
    env = {**os.environ, "HOME": str(profile_dir)}
    proc = (runs or Runs()).start(cmd, env)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise SIError("libreoffice", f"genberegningen tog mere end {timeout:.0f} s og blev stoppet") from None
    return subprocess.CompletedProcess(cmd, proc.returncode, "", stderr)


def profile_home() -> Path:
    """Where the kept LibreOffice profile lives: ``$XDG_CACHE_HOME/sibc`` (default ``~/.cache/sibc``)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sibc"


@contextmanager
def profile(shared: bool = True) -> Iterator[tuple[Path, bool]]:
    """A LibreOffice user profile folder for one run, and whether it is the kept one.

    The kept profile (:func:`profile_home`) is used when no other run holds it
    (an exclusive lock on a file next to it); otherwise, when the cache folder
    cannot be written, or on Windows, a fresh temporary profile is made and
    removed afterwards.
    """
    lock = None
    if shared and fcntl is not None:
        try:
            home = profile_home()
            home.mkdir(parents=True, exist_ok=True)
            lock = open(home / "libreoffice-profile.lock", "w")  # noqa: SIM115 - held until the run ends
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if lock is not None:
                lock.close()
            lock = None
    if lock is None:
        with tempfile.TemporaryDirectory(prefix="sibc-lo-") as folder:
            yield Path(folder), False
        return
    try:
        yield home / "libreoffice-profile", True
    finally:
        lock.close()  # closing releases the lock
