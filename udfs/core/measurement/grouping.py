"""Code groupings: which weekly benefit code belongs to which outcome group.

A grouping is data (``udfs/data/kodegrupper.csv``, or the user's own CSV file
with the same columns), each row one code of one group with its source.  Two
markers stand for more than one code: ``(tom)`` is an empty week (no benefit
paid that week: self-supported or outside the labour force) and ``(øvrige)`` is
every code no other group of the grouping lists.

The shipped grouping ``bmc_2023`` is Table 2 of BMC Public Health 2023;23:224
(doi:10.1186/s12889-023-15106-y): *not benefit recipient* = 881, 651, 652, 661,
121 and the empty field; *health benefit recipient* = 750, 753–758, 760,
763–768, 771, 775, 781, 783, 785, 810, 813–818, 890, 893; *other benefit
recipient* = all other codes.  The table does not say what each code means and
the official DREAM code list is not shipped, so no code here carries a name.

Each group gets one letter (A, B, …, in the order of the file); a person's
weekly history is then a text with one letter per week (see :mod:`.panel`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import Field

from ..data import DATA_DIR, Sourced, manifest, read_rows
from ..errors import SIError, did_you_mean, excerpt

EMPTY = "(tom)"
OTHERS = "(øvrige)"
#: The letter of a week whose code no group lists (only possible without an "(øvrige)" group).
UNKNOWN = "?"


class CodeRow(Sourced):
    """One code of one group, with its source."""

    gruppering: str = Field(pattern=r"^[a-z0-9_]+$")
    gruppe: str = Field(pattern=r"^[a-z0-9_]+$")
    gruppenavn: str = Field(min_length=1)
    kode: str = Field(min_length=1)


@dataclass(frozen=True)
class Group:
    """One outcome group: id, Danish name, its codes, and whether it holds empty weeks or all unlisted codes."""

    id: str
    name: str
    codes: tuple[str, ...]
    empty: bool
    others: bool
    letter: str


@dataclass(frozen=True)
class Grouping:
    """A named code grouping with its source (see the module docstring)."""

    name: str
    groups: tuple[Group, ...]
    source: str

    def group(self, group_id: str, argument: str = "gruppe") -> Group:
        """The group ``group_id``; SIError naming ``argument`` and the known groups otherwise."""
        for g in self.groups:
            if g.id == group_id:
                return g
        ids = [g.id for g in self.groups]
        hint = did_you_mean(group_id, ids)
        raise SIError(argument, f"ukendt gruppe '{excerpt(group_id)}'" + (f" ({hint})" if hint else "") + f"; kendte: {', '.join(ids)}")

    @property
    def letters(self) -> str:
        """Every group's letter, in order."""
        return "".join(g.letter for g in self.groups)

    def mask(self, group_ids: tuple[str, ...], argument: str = "gruppe") -> str:
        """'1' for each letter whose group is in ``group_ids``, '0' otherwise (for SQL ``translate``)."""
        chosen = {self.group(g, argument).id for g in group_ids}
        return "".join("1" if g.id in chosen else "0" for g in self.groups)

    def letter_of(self, code: str | None) -> str:
        """The letter of a code (None or '' is an empty week)."""
        text = "" if code is None else str(code).strip()
        for g in self.groups:
            if (text == "" and g.empty) or text in g.codes:
                return g.letter
        if text == "":
            return UNKNOWN
        others = [g for g in self.groups if g.others]
        return others[0].letter if others else UNKNOWN


def grouping_from_rows(rows: list[CodeRow], name: str, argument: str) -> Grouping:
    """A grouping from validated rows; SIError when a code is in two groups or a marker is used twice."""
    order: list[str] = []
    by_group: dict[str, list[CodeRow]] = {}
    seen: dict[str, str] = {}
    for r in rows:
        if r.gruppering != name:
            continue
        if r.kode in seen and seen[r.kode] != r.gruppe:
            raise SIError(argument, f"koden '{excerpt(r.kode)}' står i både '{seen[r.kode]}' og '{r.gruppe}'")
        seen[r.kode] = r.gruppe
        if r.gruppe not in by_group:
            order.append(r.gruppe)
            by_group[r.gruppe] = []
        by_group[r.gruppe].append(r)
    if not order:
        raise SIError(argument, f"ukendt gruppering '{excerpt(name)}'")
    if len(order) > 26:
        raise SIError(argument, "højst 26 grupper")
    groups = []
    for i, gid in enumerate(order):
        members = by_group[gid]
        codes = tuple(r.kode for r in members if r.kode not in (EMPTY, OTHERS))
        groups.append(Group(gid, members[0].gruppenavn, codes, any(r.kode == EMPTY for r in members),
                            any(r.kode == OTHERS for r in members), chr(ord("A") + i)))
    first = by_group[order[0]][0]
    source = f"{first.kilde_udgiver}: {first.kilde_dokument}" + (f" ({first.kilde_url})" if first.kilde_url else "")
    return Grouping(name, tuple(groups), source)


@cache
def shipped_rows() -> tuple[CodeRow, ...]:
    """The rows of the shipped ``kodegrupper.csv``."""
    info = manifest()["datasets"]["kodegrupper"]
    return tuple(read_rows(DATA_DIR / info["file"], CodeRow, info["file"]))


def shipped_names() -> list[str]:
    """Names of the shipped groupings."""
    return sorted({r.gruppering for r in shipped_rows()})


def load_grouping(name_or_path: str | None = None, argument: str = "kodegruppering") -> Grouping:
    """A shipped grouping by name (default ``bmc_2023``) or the user's own CSV file (its first grouping).

    The user's file has the columns of ``udfs/data/kodegrupper.csv``, every row
    with a source (``kildetype`` ``egen`` for the kommune's own choice).
    """
    if name_or_path is None:
        name_or_path = manifest()["datasets"]["kodegrupper"]["default"]
    if name_or_path in shipped_names():
        return grouping_from_rows(list(shipped_rows()), name_or_path, argument)
    path = Path(name_or_path)
    if path.suffix.lower() != ".csv":
        raise SIError(argument, f"ukendt gruppering '{excerpt(name_or_path)}'; kendte: {', '.join(shipped_names())} eller en CSV-fil")
    rows = read_rows(path, CodeRow, path.name)
    if not rows:
        raise SIError(argument, "filen har ingen koder")
    return grouping_from_rows(rows, rows[0].gruppering, argument)
