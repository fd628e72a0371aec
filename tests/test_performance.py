"""Faster paths give the same numbers as the paths they replace (issue 14).

Each fast path is compared with the straightforward computation it stands for,
on the example cases, the feature cases (every payment rule, caps, refusion
weeks) and a large synthetic case.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

from udfs.core import engine
from udfs.core.case_model import parse_case
from udfs.core.casefile import load_business_case
from udfs.core.uncertainty import drawn_drivers, monte_carlo
from tests.feature_cases import FEATURE_CASES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from bench_cases import large_case_data  # noqa: E402

EXAMPLES = sorted((ROOT / "workbooks" / "cases").glob("*.yaml"))
CASES = {p.stem: lambda p=p: load_business_case(p) for p in EXAMPLES}
CASES |= {name: lambda d=d: parse_case(d) for name, d in FEATURE_CASES.items()}
CASES["stor_12x7"] = lambda: parse_case(large_case_data(years=12, effects=7))


def random_drivers(case, n: int, seed: int) -> engine.Drivers:
    """Every driver of the case drawn uniformly inside its bounds (factors 0–2)."""
    rng = np.random.default_rng(seed)
    values = {}
    for name in engine.driver_names(case):
        lo, hi = engine.driver_bounds(name)
        values[name] = rng.uniform(lo, min(hi, 2.0), n)
    return engine.set_drivers(engine.base_drivers(case, n), case, values)


@pytest.mark.parametrize("name", sorted(CASES))
def test_present_value_without_the_year_axis_equals_the_engine(name):
    # The reference is the full engine (savings by effect, authority, draw and year, then @ discount).
    case = CASES[name]()
    p = engine.prepare(case)
    for d in (engine.base_drivers(case), random_drivers(case, 500, seed=len(name))):
        full = engine.calculate(p, d)
        payer_pv, investor_net = engine.pv_and_investor_net(p, d)
        scale = max(1.0, float(np.abs(full.payer_pv).max()))
        np.testing.assert_allclose(payer_pv, full.payer_pv, rtol=0, atol=1e-12 * scale)
        np.testing.assert_allclose(investor_net, full.investor_net, rtol=0, atol=1e-9 * max(1.0, float(np.abs(full.investor_net).max())))
        weights = np.stack([p.discount, np.ones(p.horizon)])
        by_year = full.savings  # (E, 3, n, H)
        np.testing.assert_allclose(engine.weighted_savings(p, d, weights), np.einsum("eanh,wh->wean", by_year, weights),
                                   rtol=1e-12, atol=1e-6)  # fmt: skip


def _monte_carlo_as_before(case, n: int, seed: int, chunk: int = 20_000):
    """The Monte Carlo as computed until now: the full engine on each chunk of draws."""
    rng = np.random.default_rng(seed)
    p = engine.prepare(case)
    payer, investor = [], []
    for start in range(0, n, chunk):
        r = engine.calculate(p, drawn_drivers(case, min(chunk, n - start), rng))
        payer.append(r.payer_pv)
        investor.append(r.investor_net)
    return np.concatenate(payer), np.concatenate(investor)


@pytest.mark.parametrize("name", ["eksempel_ungeindsats", "stor_12x7"])
@pytest.mark.parametrize("work_floats", [None, 50_000], ids=["one step per chunk", "small steps"])
def test_monte_carlo_uses_the_same_draws_and_gives_the_same_numbers(name, work_floats, monkeypatch):
    # 45,000 draws: three chunks, so the random stream is consumed chunk by chunk as before;
    # with a small working memory each chunk is computed in steps of a few hundred draws.
    from udfs.core import uncertainty

    if work_floats:
        monkeypatch.setattr(uncertainty, "WORK_FLOATS", work_floats)
        assert uncertainty.step_size(CASES[name](), 20_000) < 1_000
    case = CASES[name]()
    payer, investor = _monte_carlo_as_before(case, 45_000, seed=11)
    mc = monte_carlo(case, draws=45_000, seed=11)
    np.testing.assert_allclose(mc.payer_pv, payer, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(mc.investor_net, investor, rtol=1e-12, atol=1e-6)


def test_checking_several_workbooks_in_one_libreoffice_run_equals_checking_each(soffice, tmp_path):
    # Two workbooks with the same file name (two LibreOffice runs) and one with another name.
    from workbooks import book

    cases = [load_business_case(p) for p in EXAMPLES[:2]]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = [book.build(cases[0], tmp_path / "a" / "case.xlsx"), book.build(cases[1], tmp_path / "b" / "case.xlsx"),
             book.build(cases[1], tmp_path / "a" / "other.xlsx")]  # fmt: skip
    together = book.check_many(paths)
    assert [r[0] for r in together] == [cases[0], cases[1], cases[1]]
    for result, path in zip(together, paths, strict=True):
        case, differences, cells, kontrol = result
        assert differences == [] and kontrol and all(k.ok for k in kontrol)
        alone = book.check(path)
        assert (alone[0], alone[2], [(k.label, k.plain, k.si) for k in alone[3]]) == (case, cells, [(k.label, k.plain, k.si) for k in kontrol])


def test_reading_needs_only_the_names_of_the_layout():
    # A reader's plan (cells=False) has the same names, inputs and series as the full plan.
    from workbooks.layout import resolve
    from workbooks.standard import dims_of, layout_for

    layout = layout_for(dims_of(CASES["stor_12x7"]()))
    full, names = resolve(layout), resolve(layout, cells=False)
    assert names.names == full.names and names.inputs == full.inputs and names.series == full.series
    assert names.sheets == [] and full.sheets


def test_the_kept_libreoffice_profile_is_reused_locked_and_replaced_when_damaged(soffice, tmp_path, monkeypatch):
    import fcntl
    import shutil

    from workbooks import book
    from workbooks.recalc import profile, profile_home, recalculate

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    src = book.build(book.blank_case(), tmp_path / "blank.xlsx")
    with profile() as (folder, shared):
        assert shared and folder == profile_home() / "libreoffice-profile"
        with profile() as (other, other_shared):  # held: a second run gets a fresh one
            assert not other_shared and other != folder
    with open(profile_home() / "libreoffice-profile.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert recalculate(src, tmp_path / "held").exists()  # another process holds the kept profile
    assert recalculate(src, tmp_path / "first").exists()
    assert (profile_home() / "libreoffice-profile" / "user").is_dir()  # LibreOffice filled the kept profile
    kept = profile_home() / "libreoffice-profile"
    shutil.rmtree(kept)
    kept.write_text("kein Profil")  # damaged: a file where the folder should be
    assert recalculate(src, tmp_path / "second").exists()
    assert (kept / "user").is_dir()  # replaced by a working one


SERVER_ARGUMENTS = [
    # what Excel's custom-functions runtime posts for an argument (after xlwings's to_scalar)
    2023, 1.5, "kommune", "", True, {"type": "Error", "errorType": "Value", "basicValue": "#VALUE!"},
    {"type": "Double", "basicValue": 3.0},
    [[1.0, 2.0, 3.0]], [[1.0], [2.0], [3.0]], [[1.0, ""], ["", 4.0]], [1.0, None, ""],
    [["id", "beloeb"], ["egen", 1000.0], ["tom", None], ["fejl", {"type": "Error", "errorType": "Div0", "basicValue": "#DIV/0!"}]],
    [[None, None], [None, None]],
]


@pytest.fixture
def server_licence(monkeypatch):
    """xlwings's Office.js engine needs a licence key; tests run under the noncommercial one (README)."""
    pytest.importorskip("xlwings_server")
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


@pytest.mark.parametrize("value", SERVER_ARGUMENTS, ids=repr)
def test_server_arguments_are_read_as_xlwings_reads_them(value, server_licence):
    # The reference is xlwings's own default conversion of a custom-function argument.
    from addin.server.custom_functions import CellValues

    assert _officejs_read(value, {"convert": CellValues}) == _officejs_read(value, {})


def _officejs_read(value, options):
    """xlwings's ``conversion.read(None, value, options, engine_name="officejs")``, with the
    Office.js engine given directly (xlwings registers it only when imported with a key set)."""
    from xlwings.conversion import accessors
    from xlwings.conversion.framework import ConversionContext
    from xlwings.main import Engine
    from xlwings.pro import _xlofficejs

    ctx = ConversionContext.__new__(ConversionContext)
    ctx.range, ctx.value, ctx.source_value, ctx.meta = None, value, value, {}
    ctx.engine = Engine(impl=_xlofficejs.engine)
    convert = options.get("convert")
    accessors.get(convert, convert).reader(options)(ctx)
    return ctx.value


def test_every_server_argument_is_declared_with_the_one_pass_reader():
    pytest.importorskip("xlwings_server")
    import udfs.excel as xl
    from addin.server import custom_functions as cf

    for name in xl.REGISTRY:
        for arg in getattr(cf, name).__xlfunc__["args"]:
            assert arg["options"].get("convert") is cf.CellValues, (name, arg["name"])


def test_a_missing_workbook_is_refused_before_libreoffice_starts(tmp_path, monkeypatch):
    # A failed LibreOffice run renews the kept profile, so a missing file must never get that far.
    from udfs.core.errors import SIError
    from workbooks import recalc

    def no_run(*args, **kwargs):
        raise AssertionError("LibreOffice started")

    monkeypatch.setattr(recalc, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(recalc.subprocess, "run", no_run)
    with pytest.raises(SIError) as err:
        recalc.recalculate_many([tmp_path / "findes_ikke.xlsx"], tmp_path / "ud")
    assert err.value.danish == "Fejl i fil: 'findes_ikke.xlsx' findes ikke"
