"""Domain errors that carry a short Danish message for the user.

The core raises :class:`SIError` for every input it cannot use.  The Excel layer
turns it into a text answer in the cell; the command line prints it.  The
message is Danish (it is what the user reads) and names the argument or field
at fault, so that the user knows which cell to fix.
"""

from __future__ import annotations


MAX_MESSAGE = 255
"""Longest message shown to the user."""


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
        super().__init__(f"{argument}: {message}")

    def with_others(self, others: list[SIError]) -> SIError:
        """This error carrying ``others`` (see :attr:`others`); returns itself."""
        self.others = list(others)
        return self

    @property
    def danish(self) -> str:
        """The text shown to the user, e.g. ``"Fejl i fra_uge: skal være et helt tal ≥ 1"``.

        At most :data:`MAX_MESSAGE` characters (Excel's limit for a validation
        text), so no echoed input can make it long in a cell, a response or a log.
        """
        return excerpt(f"Fejl i {self.argument}: {self.message}", MAX_MESSAGE)


def count(n: int, singular: str, plural: str) -> str:
    """A number with its noun in the right Danish form: ``"1 værdi"``, ``"2 værdier"``, ``"0 værdier"``.

    >>> count(1, "enhedspris", "enhedspriser")
    '1 enhedspris'
    """
    return f"{n} {singular if n == 1 else plural}"


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


def nearest(value: object, options) -> str:
    """"mente du 'x'?" for the option closest to a mistyped ``value`` (difflib's ratio ≥ 0.6), else "".

    >>> nearest("kommne", ["kommune", "region", "stat"])
    "mente du 'kommune'?"
    >>> nearest("xyz", ["kommune"])
    ''
    """
    import difflib

    if not isinstance(value, str):
        return ""
    near = difflib.get_close_matches(value.strip().lower(), [str(o) for o in options], n=1, cutoff=0.6)
    return f"mente du '{excerpt(near[0])}'?" if near else ""
