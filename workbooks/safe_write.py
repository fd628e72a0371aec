"""The one way the tool writes a file: whole or not at all, never losing an earlier version.

:func:`write_file` is used for every file the command line writes (workbooks,
case files from ``extract``, CSV output):

* the data goes to a hidden temporary file next to the target and is renamed
  into place, so the target is either the old file or the complete new one;
* an existing file is refused unless ``overwrite=True``; then it is first kept
  as a numbered backup ``<name>.bak1<ext>``, ``<name>.bak2<ext>`` … (the
  highest number is the newest; no backup is ever replaced) — unless it holds
  exactly the bytes about to be written (builds are deterministic, so
  rebuilding an unchanged case adds no backup);
* a lock (in the system's temporary folder, named by the target's full path,
  so the user's folder stays clean) lets only one writer at a time work on a
  path: a second one started meanwhile is refused with a Danish message
  instead of interleaving;
* temporary files a killed earlier run left behind for this target are removed
  by the next write (under the lock, so never another writer's).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path

from filelock import FileLock, Timeout

from udfs.core.errors import SIError, excerpt


def backup_path(path: str | Path, number: int = 1) -> Path:
    """Backup number ``number`` of ``path``: ``<stem>.bak<number><suffix>``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.bak{number}{path.suffix}")


def _numbered_backups(path: Path) -> list[tuple[int, Path]]:
    pattern = re.compile(re.escape(path.stem) + r"\.bak(\d+)" + re.escape(path.suffix) + "$")
    found = []
    for p in path.parent.glob(f"{_glob_escape(path.stem)}.bak*{_glob_escape(path.suffix)}"):
        m = pattern.match(p.name)
        if m:
            found.append((int(m.group(1)), p))
    return sorted(found)


def backups(path: str | Path) -> list[Path]:
    """The existing backups of ``path``, oldest first."""
    return [p for _, p in _numbered_backups(Path(path))]


def next_backup(path: str | Path) -> Path:
    """Where the file at ``path`` is kept before it is overwritten (the next free number)."""
    found = _numbered_backups(Path(path))
    return backup_path(path, found[-1][0] + 1 if found else 1)


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def lock_path(path: Path) -> Path:
    """The lock file for writing ``path``: one per absolute path, outside the user's folder."""
    user = f"-{os.getuid()}" if hasattr(os, "getuid") else ""  # Windows: the temporary folder is the user's own
    folder = Path(tempfile.gettempdir()) / f"sibc-laase{user}"
    folder.mkdir(mode=0o700, exist_ok=True)
    key = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / f"{key}.lock"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def check_target(path: str | Path, overwrite: bool, argument: str, suffixes: tuple[str, ...]) -> Path:
    """Refuse a target with another ending, without a folder, a folder, or existing without ``overwrite``."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise SIError(argument, f"'{excerpt(path.name)}' skal have endelsen {' eller '.join(suffixes)}")
    if not path.parent.is_dir():
        raise SIError(argument, f"mappen '{excerpt(path.parent, 80)}' findes ikke")
    if not os.access(path.parent, os.W_OK):
        raise folder_refused(path.parent, PermissionError(errno.EACCES, "no access"), argument)
    if path.is_dir():
        raise SIError(argument, f"'{excerpt(path.name)}' er en mappe")
    if path.exists() and not overwrite:
        raise SIError(
            argument,
            f"'{excerpt(path.name)}' findes allerede; brug --overwrite for at erstatte den "
            f"(den gamle gemmes som '{next_backup(path).name}')",
        )
    return path


FOLDER_CAUSES = {
    errno.EACCES: "ingen skriveadgang", errno.EPERM: "ingen skriveadgang", errno.EROFS: "drevet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld", errno.EDQUOT: "din diskkvote er brugt",
}  # fmt: skip
"""Why a folder refuses a new file, in Danish, by the system's error number (else :data:`FOLDER_REFUSES_FILES`)."""

FOLDER_REFUSES_FILES = "den tager ikke imod nye filer"
"""The cause of a refusal with no number of its own (a system folder such as /proc, which has no room for files)."""


def folder_refused(folder: Path, exc: OSError, argument: str) -> SIError:
    """The error for a file that cannot be created in ``folder``: the folder named with the cause
    (``mappen '/data' kan ikke skrives i (ingen skriveadgang)``), or that it does not exist."""
    if not folder.is_dir():
        return SIError(argument, f"mappen '{excerpt(folder, 80)}' findes ikke")
    cause = FOLDER_CAUSES.get(exc.errno, FOLDER_REFUSES_FILES)
    return SIError(argument, f"mappen '{excerpt(folder, 80)}' kan ikke skrives i ({cause})")


FILE_NAME = re.compile(r"[\w\-]+(?: +[\w\-]+)*")
"""A name the tool gives new files (``sibc ny NAVN``): letters (æ, ø and å too), digits, - and _, words separated by
spaces (none first or last: Windows drops them)."""

FILE_NAME_RULE = "brug bogstaver (også æ, ø og å), tal, - og _ og evt. mellemrum mellem ordene"
""":data:`FILE_NAME` in Danish, in the message refusing another name."""

WINDOWS_RESERVED = re.compile(r"CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9]", re.IGNORECASE)
"""Names Windows keeps for devices: a file ``CON.yaml`` cannot be made or opened there."""


def file_name_error(name: str) -> str | None:
    """Why ``name`` cannot name a new file (in Danish), None when it can (:data:`FILE_NAME`, :data:`WINDOWS_RESERVED`).

    >>> file_name_error("æøå sag") is None, file_name_error("CON")
    (True, "'CON' er et navn, Windows har reserveret; vælg et andet navn")
    """
    if not FILE_NAME.fullmatch(name):
        return f"'{excerpt(name)}' kan ikke bruges som filnavn; {FILE_NAME_RULE}"
    if WINDOWS_RESERVED.fullmatch(name):
        return f"'{excerpt(name)}' er et navn, Windows har reserveret; vælg et andet navn"
    return None


def _file_mode(path: Path) -> int:
    """The permissions of the file being replaced, else those a new file gets."""
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write(path: Path, data: bytes, mode: int | None = None, argument: str = "fil") -> None:
    """Write ``data`` to a hidden temporary file next to ``path`` and rename it into place.

    The target is either untouched or complete: on any error the temporary
    file is removed and the error raised.  A folder that takes no new file
    is an :class:`SIError` naming ``argument``, the folder and the cause
    (:func:`folder_refused`).
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    except OSError as exc:
        if exc.errno in FOLDER_CAUSES or exc.errno == errno.ENOENT:  # the folder refuses a new file: say which and why
            raise folder_refused(path.parent.absolute(), exc, argument) from None
        exc.filename = str(path)  # name the user's file, not the temporary one
        raise
    try:
        os.chmod(tmp, _file_mode(path) if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename == tmp:
            exc.filename = str(path)  # name the user's file, not the temporary one
        raise


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporary files an interrupted earlier write of ``path`` (or of its backups) left.

    Only names this module makes for this target (``.<name>.<8 random>.tmp``,
    also for ``<stem>.bakN<suffix>``) are touched, never another file's.
    """
    random = r"\.[a-z0-9_]{8}\.tmp"
    own = re.compile(re.escape(f".{path.name}") + random + "$")
    backup = re.compile(re.escape(f".{path.stem}.bak") + r"\d+" + re.escape(path.suffix) + random + "$")
    removed = [p for p in path.parent.glob(f".{_glob_escape(path.stem)}*.tmp") if own.match(p.name) or backup.match(p.name)]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def write_file(
    path: str | Path,
    data: bytes,
    *,
    overwrite: bool = False,
    argument: str = "fil",
    suffixes: tuple[str, ...] = (),
) -> Path:
    """Write ``data`` to ``path`` safely (see the module note); returns the path.

    Raises :class:`SIError` naming ``argument`` for a refused target or when
    another writer holds the path, and ``OSError`` when the disk refuses.
    """
    target = check_target(path, overwrite, argument, suffixes or (Path(path).suffix.lower(),))
    lock = FileLock(str(lock_path(target)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise SIError(argument, f"'{excerpt(target.name)}' skrives lige nu af en anden kørsel; prøv igen, når den er færdig") from None
    try:
        remove_stale_temporaries(target)
        if target.exists():
            if not overwrite:  # created by another writer since the check
                check_target(target, overwrite, argument, suffixes or (target.suffix.lower(),))
            old = target.read_bytes()
            if old == data:
                return target  # the same bytes: nothing to write, nothing to keep
            atomic_write(next_backup(target), old, mode=_file_mode(target), argument=argument)
        atomic_write(target, data, argument=argument)
    finally:
        lock.release()
    return target
