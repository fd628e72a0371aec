"""Install helper for the desktop route: writes the user's xlwings configuration.

``python -m addin.install`` (run with the Python that has this project
installed) adds two settings to the user's xlwings config file — the file the
xlwings ribbon reads and writes:

* ``INTERPRETER_WIN`` (or ``INTERPRETER_MAC``): this Python interpreter;
* ``UDF MODULES``: ``udfs.excel`` (taken from ``addin/xlwings.conf``), added to
  any modules already listed there.

Every other setting in the file (a licence key, a PYTHONPATH, conda settings)
is kept.  The file is written in the system's ANSI code page, as xlwings itself
writes it, because Excel's VBA reads it that way (a user name such as
``Søren`` in the interpreter path must survive).  Then it prints, in Danish,
the one step left in Excel: *Import Functions*.

Use ``--dry-run`` to print the resulting file without writing it, and
``--config PATH`` to write another file (the tests do).
"""

from __future__ import annotations

import argparse
import locale
import re
import sys
from pathlib import Path

#: The project's own xlwings settings (the UDF module), shipped with the add-in.
PROJECT_CONF = Path(__file__).resolve().with_name("xlwings.conf")

_LINE = re.compile(r'^"([^"]*)","([^"]*)"\s*$')


class ConfigError(ValueError):
    """A setting that cannot be written to an xlwings config file."""


def parse(text: str) -> dict[str, str]:
    """The settings in an xlwings config file (``"KEY","VALUE"`` per line), in order.

    Keys are compared case-insensitively by xlwings; they are returned
    upper-cased.  Lines that are not settings (blank lines) are skipped.
    """
    settings: dict[str, str] = {}
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match:
            settings[match.group(1).upper()] = match.group(2)
    return settings


def render(settings: dict[str, str]) -> str:
    """The config file text for ``settings``; refuses values VBA cannot read back."""
    lines = []
    for key, value in settings.items():
        if '"' in key or '"' in value or "\n" in value or "\r" in value:
            raise ConfigError(f"{key}: a value in xlwings.conf cannot contain quotes or line breaks")
        lines.append(f'"{key}","{value}"\n')
    return "".join(lines)


def interpreter_key(platform: str) -> str:
    """``INTERPRETER_WIN`` on Windows, ``INTERPRETER_MAC`` on macOS."""
    return "INTERPRETER_MAC" if platform.startswith("darwin") else "INTERPRETER_WIN"


def merged(existing: dict[str, str], project: dict[str, str], interpreter: str, platform: str) -> dict[str, str]:
    """The user's settings with this project's interpreter and UDF module added.

    >>> merged({"UDF MODULES": "mine"}, {"UDF MODULES": "udfs.excel"}, r"C:\\py\\python.exe", "win32")
    {'UDF MODULES': 'mine;udfs.excel', 'INTERPRETER_WIN': 'C:\\\\py\\\\python.exe'}
    """
    out = dict(existing)
    modules = [m for m in out.get("UDF MODULES", "").split(";") if m.strip()]
    for module in project.get("UDF MODULES", "").split(";"):
        if module.strip() and module.strip() not in modules:
            modules.append(module.strip())
    out["UDF MODULES"] = ";".join(modules)
    out[interpreter_key(platform)] = interpreter
    return out


def user_config_file() -> Path:
    """Where xlwings keeps the user's settings (the ribbon's file) on this system."""
    import xlwings  # only needed here; keeps the pure functions import-light

    return Path(xlwings.USER_CONFIG_FILE)


NEXT_STEPS = """\
xlwings-opsætningen er skrevet: {path}
  fortolker : {interpreter}
  UDF-moduler: {modules}

Tilbage i Excel (Windows):
  1. Excel-tilføjelsesprogrammet skal være installeret én gang: xlwings addin install
  2. Excel skal have tillid til VBA-projektobjektmodellen (kun for at importere):
     File > Options > Trust Center > Trust Center Settings > Macro Settings >
     "Trust access to the VBA project object model" (dansk Excel: Fil > Indstillinger >
     Sikkerhedscenter).
  3. Åbn en makroaktiveret projektmappe (.xlsm) med en reference til xlwings,
     fx lavet med: xlwings quickstart mit_projekt
  4. Fanen xlwings > Import Functions.  Skriv derefter =SI_ i en celle.
"""


def install(config: Path, *, interpreter: str, platform: str, dry_run: bool = False,
            encoding: str | None = None) -> str:
    """Write (or with ``dry_run`` only compute) the user's config; returns its text."""
    encoding = encoding or locale.getpreferredencoding(False)
    existing = parse(config.read_text(encoding=encoding)) if config.is_file() else {}
    project = parse(PROJECT_CONF.read_text(encoding="utf-8"))
    text = render(merged(existing, project, interpreter, platform))
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        raise ConfigError(f"stien kan ikke skrives i tegnsættet {encoding}: {interpreter}") from None
    if not dry_run:
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(text, encoding=encoding)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m addin.install", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None, help="config file to write (default: the user's xlwings.conf)")
    parser.add_argument("--interpreter", default=sys.executable, help="Python interpreter Excel should start (default: this one)")
    parser.add_argument("--dry-run", action="store_true", help="print the file instead of writing it")
    args = parser.parse_args(argv)
    config = args.config or user_config_file()
    try:
        text = install(config, interpreter=args.interpreter, platform=sys.platform, dry_run=args.dry_run)
    except ConfigError as err:
        print(f"Fejl i opsætningen: {err}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(text, end="")
        return 0
    settings = parse(text)
    print(NEXT_STEPS.format(path=config, interpreter=args.interpreter, modules=settings["UDF MODULES"]))
    if not sys.platform.startswith("win"):
        print("Bemærk: xlwings' brugerdefinerede funktioner (UDF'er) virker kun i Excel til Windows.\n"
              "På Mac og i Excel på nettet: brug Office.js-ruten (se README).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
