"""Domain errors that carry a short Danish message for the user.

The core raises :class:`SIError` for every input it cannot use.  The Excel layer
turns it into a text answer in the cell; the command line prints it.  The
message is Danish (it is what the user reads) and names the argument or field
at fault, so that the user knows which cell to fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


MAX_MESSAGE = 255
"""Longest message shown to the user in a cell (Excel's limit for a validation text)."""
MAX_LINE = 2000
"""Characters of a message on the command line (:attr:`SIError.full`)."""


class SIError(ValueError):
    """An input the calculation cannot use.

    Parameters
    ----------
    argument : str
        The name of the argument or field at fault, as the user knows it
        (the Excel argument name, or the case-file field).
    message : str
        What is wrong, in Danish, short (one line), without the argument name.
    """

    def __init__(self, argument: str, message: str):
        self.argument = argument
        self.message = message
        self.others: list[SIError] = []
        """Further errors found in the same input at the same time (a file's every field error): the command
        line lists them all; a cell shows this one."""
        self.bounded = False
        """Whether :attr:`others` is already bounded where it was found (a data file's row errors: at most
        :data:`ROWS_LISTED` of each kind, then a line counting the rest), so the command line lists every one."""
        super().__init__(f"{argument}: {message}")

    def with_others(self, others: list[SIError], bounded: bool = False) -> SIError:
        """This error carrying ``others`` (see :attr:`others`, :attr:`bounded`); returns itself."""
        self.others = list(others)
        self.bounded = bounded
        return self

    @property
    def danish(self) -> str:
        """The text shown to the user, e.g. ``"Fejl i fra_uge: skal være et helt tal ≥ 1"``.

        At most :data:`MAX_MESSAGE` characters (Excel's limit for a validation
        text), so no echoed input can make it long in a cell, a response or a log.
        """
        return excerpt(f"Fejl i {self.argument}: {self.message}", MAX_MESSAGE)

    @property
    def full(self) -> str:
        """:attr:`danish` for a place without Excel's 255-character limit (the command line): at most
        :data:`MAX_LINE` characters, so a list (every affected price, every allowed id) is not cut
        before the part that matters."""
        return excerpt(f"Fejl i {self.argument}: {self.message}", MAX_LINE)


ROWS_LISTED = 10
"""Rows of a data file named at most for one kind of fault; the rest are counted (:func:`more_rows`)."""


def more_rows(where: str, listed: int, total: int) -> list[SIError]:
    """``[]``, or the line counting the rows of one kind of fault beyond the ``listed`` ones named:
    ``Fejl i filen kohorte.csv, kolonne start: og 3 rækker mere med samme fejl`` (thousands with a point: 1.234)."""
    if total <= listed:
        return []
    n = total - listed
    return [SIError(where, f"og {n:,} {'række' if n == 1 else 'rækker'} mere med samme fejl".replace(",", "."))]


def count(n: int, singular: str, plural: str) -> str:
    """A number with its noun in the right Danish form: ``"1 værdi"``, ``"2 værdier"``, ``"0 værdier"``.

    >>> count(1, "enhedspris", "enhedspriser")
    '1 enhedspris'
    """
    return f"{n} {singular if n == 1 else plural}"


def too_many(most: int) -> str:
    """The message for a list or range with more elements than its limit allows (``udfs.core.limits``): a case
    file's list (``taerskler`` of a step rule) and an Excel function's range (``SI_TRAPPEBETALING``'s
    ``taerskler``) say it in the same words.

    >>> too_many(8)
    'har for mange elementer (højst 8; se README, Grænser)'
    """
    return f"har for mange elementer (højst {most}; se README, Grænser)"


#: Characters of a user's text repeated in a message (the whole message must fit an Excel cell).
EXCERPT_LENGTH = 40


def excerpt(text: object, n: int = EXCERPT_LENGTH) -> str:
    """The user's text as quoted in a message: at most ``n`` characters, cut with "…".

    >>> excerpt("kort")
    'kort'
    >>> excerpt("x" * 50, 10)
    'xxxxxxxxx…'
    """
    s = str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def nearest(text: object, options: Iterable[str], n: int = 3) -> list[str]:
    """The options nearest to ``text`` (at most ``n``, nearest first), by :mod:`difflib`'s similarity ratio.

    Case and surrounding spaces are ignored.  Only options reasonably near
    (ratio at least 0.6, difflib's default cutoff) and about as near as the
    nearest (within 0.05 of its ratio) are returned: one clear match is named alone.

    >>> nearest("kontanthjalp_uge", ["kontanthjaelp_uge", "sygedagpenge_uge"])
    ['kontanthjaelp_uge']
    """
    key = str(text).strip().lower()
    matcher, scored = difflib.SequenceMatcher(b=key), []
    for option in dict.fromkeys(str(o) for o in options):
        matcher.set_seq1(option.strip().lower())
        scored.append((matcher.ratio(), option))
    scored = sorted((s for s in scored if s[0] >= 0.6), key=lambda s: -s[0])  # stable: the options' order on ties
    return [option for ratio, option in scored[:n] if ratio >= scored[0][0] - 0.05]


def did_you_mean(text: object, options: Iterable[str], aliases: Mapping[str, str] | None = None) -> str:
    """``"mente du 'a' eller 'b'?"`` for the options nearest to ``text`` (:func:`nearest`), or ``""``.

    ``aliases`` maps other words a user may write for an option (``sd`` for ``spredning``; lower case)
    to it: such a word is answered with its option, however far its spelling.

    >>> did_you_mean("kommue", ["kommune", "region", "stat"])
    "mente du 'kommune'?"
    >>> did_you_mean("SD", ["middel", "spredning"], {"sd": "spredning"})
    "mente du 'spredning'?"
    """
    alias = (aliases or {}).get(str(text).strip().lower())
    near = [f"'{excerpt(o)}'" for o in ([alias] if alias is not None else nearest(text, options))]
    if not near:
        return ""
    return "mente du " + (near[0] if len(near) == 1 else ", ".join(near[:-1]) + " eller " + near[-1]) + "?"
