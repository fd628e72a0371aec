"""The Office.js route: the Excel functions served by xlwings Server (optional extra).

Install with ``pip install -c constraints.txt '.[server]'`` and start with::

    XLWINGS_LICENSE_KEY=<key> python -m addin.server --port 8000

This directory is an xlwings Server *project directory*: xlwings Server imports
the functions from ``custom_functions/`` (the functions of :mod:`udfs.excel`,
registered as ``ENHEDSPRIS`` etc.) and scripts from ``custom_scripts/`` (none).
The add-in's namespace is ``SI``, so a cell reads ``=SI.ENHEDSPRIS(...)``; the
manifest Excel needs is served at ``/manifest.xml``.

xlwings Server is licensed under the PolyForm Noncommercial License 1.0.0 or a
commercial xlwings licence; it refuses to start without ``XLWINGS_LICENSE_KEY``
(``noncommercial`` for uses that licence permits — see the README).

Safe by default: listening beyond 127.0.0.1 turns on xlwings Server's
``custom`` authentication provider (a bearer token from ``SI_SERVER_TOKEN``,
see :mod:`addin.server.auth.custom`) unless ``XLWINGS_AUTH_PROVIDERS`` names
another (e.g. ``["entraid"]``); without a token the server does not start.
File names are read only inside ``SI_SAGSMAPPE``; request bodies, cells per
argument, draws and time per call are bounded (:mod:`addin.server.app`,
:mod:`addin.server.custom_functions`).

Nothing here calculates: the functions are those of :mod:`udfs.excel`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

#: The xlwings Server project directory (custom_functions/, custom_scripts/).
PROJECT_DIR = Path(__file__).resolve().parent

#: The function namespace in Excel (the manifest's <Namespace>): =SI.ENHEDSPRIS(...).
NAMESPACE = "SI"

#: Settings for xlwings Server (its XLWINGS_* environment variables).
SETTINGS = {
    "XLWINGS_ON_SERVER": "true",  # xw.func & co. are xlwings.server's decorators
    "XLWINGS_PROJECT_DIR": str(PROJECT_DIR),
    "XLWINGS_FUNCTIONS_NAMESPACE": NAMESPACE,
    "XLWINGS_PROJECT_NAME": "Sociale investeringer",
    # This add-in's own manifest id (a fixed UUID4, so Excel recognises updates).
    "XLWINGS_MANIFEST_ID_PROD": "69239d30-f876-4e01-a4ac-a3cb98ea3b0a",
    "XLWINGS_ENABLE_EXAMPLES": "false",
    "XLWINGS_ENABLE_SOCKETIO": "false",  # only streaming functions need it; none here
}

AUTH_MISSING = (
    "Fejl i --host: serveren lytter ud over 127.0.0.1 og kræver derfor login. Sæt SI_SERVER_TOKEN til en "
    "hemmelig adgangsnøgle (xlwings Servers custom-login), eller XLWINGS_AUTH_PROVIDERS='[\"entraid\"]' med "
    "XLWINGS_AUTH_ENTRAID_CLIENT_ID og XLWINGS_AUTH_ENTRAID_TENANT_ID (Microsoft 365-login). Se README, Deployment."
)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost (only this machine can connect)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def auth_environment(host: str, environ: Mapping[str, str]) -> dict[str, str] | None:
    """The auth settings for listening on ``host``: unchanged on loopback or when
    providers are configured; else the ``custom`` provider, or ``None`` when it has no token."""
    env = dict(environ)
    if is_loopback(host) or environ.get("XLWINGS_AUTH_PROVIDERS", "").strip() not in ("", "[]"):
        return env
    if not environ.get("SI_SERVER_TOKEN"):
        return None
    env["XLWINGS_AUTH_PROVIDERS"] = '["custom"]'
    return env


LICENCE_MISSING = (
    "Fejl i licens: xlwings Server kræver miljøvariablen XLWINGS_LICENSE_KEY.\n"
    "Offentlige institutioner (fx en kommune) må bruge PolyForm Noncommercial-licensen "
    "og kan sætte XLWINGS_LICENSE_KEY=noncommercial; virksomheder (fx konsulenter) "
    "skal have en kommerciel xlwings-licens. Se README."
)


def server_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` with this add-in's xlwings Server settings (the user's own
    XLWINGS_* values win, except those that define the add-in)."""
    env = dict(environ)
    for key, value in SETTINGS.items():
        if key in ("XLWINGS_ON_SERVER", "XLWINGS_PROJECT_DIR", "XLWINGS_FUNCTIONS_NAMESPACE"):
            env[key] = value
        else:
            env.setdefault(key, value)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m addin.server", description="Serve the SI functions with xlwings Server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ssl-keyfile", default=None, help="TLS key (Excel only loads add-ins over https)")
    parser.add_argument("--ssl-certfile", default=None)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        print(LICENCE_MISSING, file=sys.stderr)
        return 2
    env = auth_environment(args.host, server_environment(os.environ))
    if env is None:
        print(AUTH_MISSING, file=sys.stderr)
        return 2
    os.environ.update(env)
    try:
        import uvicorn
        import xlwings_server  # noqa: F401
    except ImportError:
        print("Fejl i installation: xlwings Server mangler; installér med pip install -c constraints.txt '.[server]'", file=sys.stderr)
        return 2
    os.environ.setdefault("XLWINGS_LOG_LEVEL", args.log_level.upper())
    uvicorn.run(
        "addin.server.app:app",
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        ssl_keyfile=args.ssl_keyfile,
        ssl_certfile=args.ssl_certfile,
    )
    return 0
