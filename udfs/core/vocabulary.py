"""The project's shared words and tolerances, defined once.

Authorities and payers (the values a case file and the workbook use), the
Danish standard texts a figure shows where it has no number, and the
tolerances by which numbers are compared.
"""

from __future__ import annotations

from typing import Literal

Authority = Literal["kommune", "region", "stat"]
AUTHORITIES: tuple[str, ...] = ("kommune", "region", "stat")
"""The public authorities that pay and save, in the order of every table (kommune, region, stat)."""
Payer = Literal["kommune", "region", "stat", "investor"]
PAYERS: tuple[str, ...] = (*AUTHORITIES, "investor")
"""Who can pay an intervention's costs: an authority, or the investor who pre-finances it."""

UNDEFINED = "ikke defineret"
"""Shown where a figure does not exist (no investment, no IRR, no start year)."""
NOT_WITHIN = "ikke inden for perioden"
"""Shown for a payback that does not happen within the horizon."""
NONE_REACHED = "nås ikke (taber også ved 100 %)"
"""A break-even that no success rate up to 100 % reaches (the figure is still below 0 at 100 %)."""
NO_LOSS = "ingen (taber ikke)"
"""Where the payer loses at no success rate: the loss ranges and the first loss (not a break-even that is not reached)."""

EXCEL_EQUAL = 1e-13
"""Relative difference below which Excel and LibreOffice compare two numbers as equal (15 significant
digits); the one tolerance for "reached as Excel compares" (:func:`udfs.core.checks.reaches`)."""
NOISE_KR = 1e-6
"""kr.: an amount closer to 0 than this is 0 — the rounding left when large amounts cancel (payments equal to
the investment at a cap), far below :data:`TOLERANCE_KR`."""
TOLERANCE_KR = 0.01
"""kr.: two amounts that differ by at most this agree (a workbook's cell and the core, a Kontrol row)."""
LEFT_OF = 1e-9
"""How far left of a breakpoint its left limit is taken (a step counts as reached within
:data:`EXCEL_EQUAL`, so the next float down would still count as reached); the Følsomhed sheet uses the same."""
