"""Formula text for the two routes: ``SI_ENHEDSPRIS(`` (desktop) ↔ ``SI.ENHEDSPRIS(`` (Office.js).

The desktop add-in registers each function under its Python name
(``SI_ENHEDSPRIS``); xlwings Server registers the same function as
``ENHEDSPRIS`` in the add-in's namespace ``SI`` (see :mod:`addin.server`), so a
cell reads ``=SI.ENHEDSPRIS(...)``.  A workbook builder that writes formulas for
the Office.js route passes its formula texts through :func:`to_server_names`.

Only function calls are renamed: a name directly followed by ``(``, not part of
a longer name, and not inside a text literal (``"..."``) or a quoted sheet name
(``'...'``).
"""

from __future__ import annotations

import re

#: The namespace of the Office.js add-in (the manifest's ``<Namespace>``).
NAMESPACE = "SI"

# A literal text "..." (with "" as an escaped quote) or a quoted sheet name '...'.
_QUOTED = re.compile(r"(\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*')")
_DESKTOP_CALL = re.compile(r"(?<![A-Za-z0-9_.])SI_([A-Za-z][A-Za-z0-9_]*)\(", re.IGNORECASE)
_SERVER_CALL = re.compile(r"(?<![A-Za-z0-9_.])SI\.([A-Za-z][A-Za-z0-9_]*)\(", re.IGNORECASE)


def _outside_quotes(formula: str, pattern: re.Pattern, replacement: str) -> str:
    parts = _QUOTED.split(formula)
    # split() with one capturing group alternates: unquoted, quoted, unquoted, ...
    for i in range(0, len(parts), 2):
        parts[i] = pattern.sub(replacement, parts[i])
    return "".join(parts)


def to_server_names(formula: str) -> str:
    """``=SI_ENHEDSPRIS("x"; 2023)`` → ``=SI.ENHEDSPRIS("x"; 2023)`` (Office.js route).

    >>> to_server_names('=SI_NUTIDSVAERDI(B5:K5)*SI_PRISINDEKS(2019; 2023)')
    '=SI.NUTIDSVAERDI(B5:K5)*SI.PRISINDEKS(2019; 2023)'
    """
    return _outside_quotes(formula, _DESKTOP_CALL, NAMESPACE + r".\1(")


def to_desktop_names(formula: str) -> str:
    """The inverse of :func:`to_server_names`: ``SI.X(`` → ``SI_X(``.

    >>> to_desktop_names('=SI.REFUSIONSSATS(30)')
    '=SI_REFUSIONSSATS(30)'
    """
    return _outside_quotes(formula, _SERVER_CALL, NAMESPACE + r"_\1(")
