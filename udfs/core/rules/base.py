"""What every payment rule defines: its model, its payment, its workbook cells and formulas, its breakpoints.

A payment rule is one class, a subclass of :class:`Rule`, in one module of
this package.  The class is the validated model of the rule as a case file
holds it (a pydantic model; the field ``type`` names the rule) and carries
everything derived from it:

* :meth:`Rule.pay` — the payment with numpy broadcasting: a number in gives a
  number out, an array of draws gives an array (kr.);
* :meth:`Rule.measure` — the value the rule is paid on, from the metric's
  measurements (one per link; most rules have one);
* :meth:`Rule.levels` and :meth:`Rule.excel_levels` — the breakpoints
  (measured values where the payment bends or steps), the same list in Python
  and as formulas, for the exact break-even;
* :data:`Rule.CELLS`, :data:`Rule.FORMULAS`, :meth:`Rule.excel` and
  :meth:`Rule.excel_measure` — its cells in the standard workbook and the
  Excel formula of its payment, for writing and reading back;
* :data:`Rule.SI_CHECK` — the ``SI_`` function that recalculates the rule on
  the workbook's Kontrol sheet.

Formula templates name the rule's own cells as ``{@name}`` (the workbook
prefixes them with the metric's cells, ``{bm1_name}``), the measured value as
``{x}``, and the case's cells by their plain name (``{deltagere}``).

:mod:`udfs.core.rules` registers the rules; the engine, the workbook, the
break-even, the JSON Schema and the reader ask the registry, never the type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, get_args

import numpy as np
from pydantic import ConfigDict, Field

from ..checks import check_number
from ..validation import Choices
from ..vocabulary import kr_words, number_words, sentence, share_words


class StrictModel(Choices):
    """Frozen, no unknown fields, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


NonNegative = Annotated[float, Field(ge=0)]


@dataclass(frozen=True)
class Cell:
    """One input cell of a rule in the standard workbook.

    ``name`` is the cell's name after the metric's prefix (Danish in ASCII),
    ``field`` the model field it holds, ``label`` the Danish label, ``unit``
    one of ``kr``, ``decimal``, ``percent``, ``integer``, ``text``; ``low`` and
    ``high`` bound the value (data validation), ``step`` puts one cell per
    step in the rule's step table (:data:`Rule.STEPS`).
    """

    name: str
    field: str
    label: str
    unit: str
    required: bool = True
    low: float | None = None
    high: float | None = None
    step: bool = False

    @property
    def in_metric_unit(self) -> bool:
        """Whether the cell holds a value in the metric's own unit (a threshold, a target: unit ``decimal``), which is a
        share when the metric is measured as one (:meth:`Rule.measured_cells`)."""
        return self.unit == "decimal"


@dataclass(frozen=True)
class FormulaCell:
    """A computed cell of a rule in the standard workbook: name, Danish label, unit, formula template."""

    name: str
    label: str
    unit: str
    template: str


def scalar_out(value: Any) -> Any:
    """A float for a 0-d result, the array otherwise (numbers in, numbers out)."""
    return float(value) if np.ndim(value) == 0 else value


class Rule(StrictModel):
    """The base of every payment rule (see the module docstring)."""

    type: str

    CODE: ClassVar[int]
    """The rule's number in the workbook's stored dimensions (``bm<m>_regel``); never reused."""
    LABEL: ClassVar[str]
    """Danish name of the rule, as the workbook shows it (a readable word, not the ``type`` code)."""
    ON_SAVINGS: ClassVar[bool] = False
    """Paid on the payer's measured savings (kr.) rather than on an outcome."""
    PER_OUTCOME: ClassVar[bool] = False
    """One measurement per outcome type (a table of outcomes), rather than one measurement."""
    STEPS: ClassVar[tuple[str, str, str] | None] = None
    """The step table: (name, column label, title), when the rule has cells with ``step``."""
    MOST_STEPS: ClassVar[int | None] = None
    """The most steps the rule takes (its lists' ``max_length``), when it has a step table of steps rather than of
    outcomes: every slot of the rule in the standard workbook has this many rows, so a user can type a step after
    the case's own (``standard.step_rows``)."""
    CELLS: ClassVar[tuple[Cell, ...]] = ()
    FORMULAS: ClassVar[tuple[FormulaCell, ...]] = ()
    SPARE_SLOT: ClassVar[bool] = True
    """Every standard workbook offers an empty outcome-metric slot with this rule (each slot adds to the
    Følsomhed sheet's break-even grid; a rule without one is used from a case file)."""
    MEASURED: ClassVar[str] = "opnaaet"
    """The argument name of the measured value in messages."""
    SI_CHECK: ClassVar[str | None] = None
    """Template of the ``SI_`` formula giving the rule's payment (``{@…}`` cells), or None."""
    LINK_LEVELS: ClassVar[tuple[float, ...]] = ()
    """Values of each single measurement where :meth:`measure` bends (before the rule's own levels).  The
    workbook supports the level 0: where the measured effect's net rate crosses 0 (its deadweight)."""

    @classmethod
    def measured_cells(cls) -> tuple[Cell, ...]:
        """The input cells in the metric's unit (:attr:`Cell.in_metric_unit`: the linear rule's threshold and target,
        the steps' thresholds), compared with the measured value; none for a rule measured per outcome.  When the
        metric is measured as a share (``maal: andel``) they are shares: typed as ``10 %`` and within 0–1 (the case's
        rule, :func:`udfs.core.case_model.share_levels`; the workbook's per-cent cells, ``standard.rule_input``)."""
        return () if cls.PER_OUTCOME else tuple(c for c in cls.CELLS if c.in_metric_unit)

    # ----------------------------------------------------------------- Python

    def steps(self) -> int:
        """Rows of the step table (0 without one)."""
        return 0

    def payment(self, achieved: Any) -> float:
        """kr. for one measured value, checked (SIError naming :data:`MEASURED`), before the metric's cap."""
        return float(self.pay(check_number(self.MEASURED, achieved)))

    def measure(self, values: Sequence[Any]) -> Any:
        """The value the rule is paid on, from the metric's measurements (one per link)."""
        return values[0]

    def per_person_unit(self) -> str | None:
        """The unit of one participant's measured value (``uge`` or ``maaned``) when :meth:`payment` also takes
        one value per participant (a sequence, e.g. each person's weeks from a register panel), else None."""
        return None

    def per_person_sum(self, values: Any) -> float:
        """kr. paid on one value per participant (a sequence), before the rule's cap in total; only for a rule
        whose :meth:`per_person_unit` is not None."""
        raise NotImplementedError

    @classmethod
    def excel_per_person(cls) -> str:
        """Template of the payment from ``{x}`` = :meth:`per_person_sum` (the cap in total), for a rule whose
        :meth:`per_person_unit` is not None."""
        raise NotImplementedError

    def pay(self, x: Any, participants: Any = None) -> Any:
        """kr. for measured value ``x`` (number or array), before the metric's cap."""
        raise NotImplementedError

    def levels(self, metric_cap: float | None, participants: float) -> list[float]:
        """Measured values where the payment (after the metric's cap) bends or steps."""
        raise NotImplementedError

    def describe(self, unit: str = "") -> str:
        """The rule in Danish words for a reader (the INDIGO export's ``price_description``), e.g.
        ``Lineær: 0 kr. ved 3 personer, 2,5 mio. kr. ved 10, højst 3 mio. kr.``; ``unit`` is the metric's unit
        (``enhed``, e.g. ``personer``).

        Each rule writes its own sentence; a rule without one (a new rule) is described by its :data:`LABEL`
        and its input cells' labels and values, so every registered rule has a description.
        """
        shown = []
        for cell in self.CELLS:
            value = getattr(self, cell.field)
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                value = ", ".join(number_words(v) if isinstance(v, (int, float)) else str(v) for v in value)
            elif cell.unit == "kr":
                value = kr_words(value)
            elif cell.unit == "percent":
                value = share_words(value)
            elif isinstance(value, (int, float)):
                value = number_words(value)
            shown.append(f"{cell.label} {value}")
        return sentence(f"{self.LABEL}: {'; '.join(shown)}" if shown else self.LABEL)

    # ----------------------------------------------------------------- the workbook

    @classmethod
    def excel(cls) -> str:
        """Template of the payment before the metric's cap, of the measured value ``{x}``."""
        raise NotImplementedError

    @classmethod
    def excel_measure(cls, values: Sequence[str]) -> str:
        """Formula of the measured value from the measurements' formulas (as :meth:`measure`)."""
        return values[0]

    @classmethod
    def excel_levels(cls, steps: int, metric_cap: str) -> list[str]:
        """Templates of :meth:`levels`; ``metric_cap`` is the metric's cap cell (may be empty)."""
        raise NotImplementedError

    def cell_values(self) -> dict[str, Any]:
        """The rule's input cells (by :class:`Cell` name) for the workbook."""
        return {c.name: getattr(self, c.field) for c in self.CELLS}

    @classmethod
    def from_cells(cls, values: dict[str, Any]) -> dict[str, Any]:
        """The rule's data read back from its input cells (the reverse of :meth:`cell_values`)."""
        return {"type": cls.type_name(), **{c.field: values.get(c.name) for c in cls.CELLS}}

    @classmethod
    def type_name(cls) -> str:
        """The value of ``type`` that selects this rule in a case file."""
        return get_args(cls.model_fields["type"].annotation)[0]
