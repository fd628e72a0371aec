"""The standard workbook's names for the cells of its numbered slots, minted in one place.

A slot's cell is named ``<prefix><number>_<field>`` (Danish in ASCII, as the user sees it in Excel's
name box): effect 2's success rate is ``eff2_succesrate``, cost line 1's amounts ``omk1_pr_aar``,
outcome metric 3's threshold ``bm3_taerskel``. Every place that mints such a name or looks one up
(the layout in :mod:`workbooks.standard`, the expected values in :mod:`workbooks.book`) calls the
functions here; a formula template refers to a cell as ``{name}`` (:func:`ref`).
"""

from __future__ import annotations

#: The prefixes of the numbered slots: effects (Effekter), cost lines (Indsats), outcome metrics (Betalingsmodel).
EFFECT, COST, METRIC = "eff", "omk", "bm"

#: A case file's list as the workbook numbers its slots: ``effekter[k].f`` is the input ``eff{slot}_f``.
SLOT_PREFIX = {"effekter": EFFECT, "indsats": COST, "betalingsmodel.resultatmaal": METRIC}


def ref(name: str) -> str:
    """A cell's placeholder in a formula template: ``{name}``."""
    return "{" + name + "}"


def effect_prefix(e: int) -> str:
    """The prefix of effect slot ``e``'s cells (1-based): ``eff2_``."""
    return f"{EFFECT}{e}_"


def effect_cell(e: int, field: str) -> str:
    """The name of effect slot ``e``'s cell ``field``: ``effect_cell(2, "succesrate")`` is ``eff2_succesrate``."""
    return effect_prefix(e) + field


def effect_ref(e: int, field: str) -> str:
    """Effect slot ``e``'s cell ``field`` in a formula template: ``{eff2_succesrate}``."""
    return ref(effect_cell(e, field))


def cost_prefix(c: int) -> str:
    """The prefix of cost line ``c``'s cells (1-based): ``omk1_``."""
    return f"{COST}{c}_"


def cost_cell(c: int, field: str) -> str:
    """The name of cost line ``c``'s cell ``field``: ``cost_cell(1, "pr_aar")`` is ``omk1_pr_aar``."""
    return cost_prefix(c) + field


def cost_ref(c: int, field: str) -> str:
    """Cost line ``c``'s cell ``field`` in a formula template: ``{omk1_pr_aar}``."""
    return ref(cost_cell(c, field))


def metric_prefix(m: int) -> str:
    """The prefix of outcome-metric slot ``m``'s cells (1-based): ``bm3_``."""
    return f"{METRIC}{m}_"


def metric_cell(m: int, field: str) -> str:
    """The name of outcome-metric slot ``m``'s cell ``field``: ``metric_cell(3, "taerskel")`` is ``bm3_taerskel``."""
    return metric_prefix(m) + field


def metric_ref(m: int, field: str) -> str:
    """Outcome-metric slot ``m``'s cell ``field`` in a formula template: ``{bm3_taerskel}``."""
    return ref(metric_cell(m, field))


def slot_cell(path: str, slot: int, field: str) -> str:
    """The input cell of a case file's list entry: ``slot_cell("effekter", 3, "enhedspris")`` is ``eff3_enhedspris``."""
    return f"{SLOT_PREFIX[path]}{slot}_{field}"
