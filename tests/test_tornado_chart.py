"""The tornado chart draws the largest swings only; its table lists every driver (a user trial: 34 drivers in a
quarter-page chart printed at 4–5 pt)."""

from __future__ import annotations

import io
import re
import zipfile

from udfs.core.casefile import load_business_case
from udfs.core.engine import driver_names
from workbooks.book import build_bytes
from workbooks.standard import TORNADO_CHART_DRIVERS, dims_of, tornado_drivers


def chart_ranges(data: bytes, title_word: str) -> list[str]:
    """The cell ranges (categories and values) of the chart whose title holds ``title_word``."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/charts/chart"):
                xml = z.read(name).decode("utf-8")
                if title_word in xml:
                    return re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", xml)
    raise AssertionError(f"no chart with {title_word!r}")


def rows_of(ref: str) -> int:
    first, last = re.findall(r"\$(\d+)", ref)[-2:]
    return int(last) - int(first) + 1


def test_a_case_with_many_drivers_draws_the_largest_swings_and_its_table_keeps_all():
    case = load_business_case("workbooks/cases/eksempel_ungeindsats.yaml")
    n = tornado_drivers(dims_of(case))
    assert n > TORNADO_CHART_DRIVERS  # 19 drivers (its effects' and spare slots' success rates, costs, …)
    refs = chart_ranges(build_bytes(case), "Tornado")
    assert refs and all(rows_of(r) == TORNADO_CHART_DRIVERS for r in refs)  # categories, −X % and +X %


def test_a_case_with_few_drivers_draws_them_all():
    case = load_business_case("workbooks/cases/kontrakter/rikers.yaml")
    n = tornado_drivers(dims_of(case))
    refs = chart_ranges(build_bytes(case), "Tornado")
    assert all(rows_of(r) == min(n, TORNADO_CHART_DRIVERS) for r in refs)
    assert len(driver_names(case)) <= n
