"""addin.formula: SI_XXX( ↔ SI.XXX( for workbooks meant for the Office.js route."""

import pytest

import udfs.excel as xl
from addin.formula import NAMESPACE, to_desktop_names, to_server_names

CASES = [
    # desktop formula → Office.js formula
    ('=SI_ENHEDSPRIS("sygedagpenge_uge"; 2023; "kommune")', '=SI.ENHEDSPRIS("sygedagpenge_uge"; 2023; "kommune")'),
    ("=SI_NUTIDSVAERDI(B5:K5)*SI_PRISINDEKS(2019;2023)", "=SI.NUTIDSVAERDI(B5:K5)*SI.PRISINDEKS(2019;2023)"),
    ("=SUM(SI_ENHEDSPRISER(), 1)", "=SUM(SI.ENHEDSPRISER(), 1)"),
    ("=si_refusionssats(30)", "=SI.refusionssats(30)"),  # Excel names are case-insensitive
    ("=SI_KOMMUNAL_UDGIFT(SI_REFUSIONSSATS(1);1;2)", "=SI.KOMMUNAL_UDGIFT(SI.REFUSIONSSATS(1);1;2)"),
    # not calls: left alone
    ('="SI_ENHEDSPRIS(" & A1', '="SI_ENHEDSPRIS(" & A1'),  # inside a text
    ('="he said ""SI_X(""" & SI_X(1)', '="he said ""SI_X(""" & SI.X(1)'),  # escaped quotes in a text
    ("='SI_ark (2)'!A1+SI_X(1)", "='SI_ark (2)'!A1+SI.X(1)"),  # quoted sheet name
    ("=MY_SI_X(1)+XSI_Y(2)", "=MY_SI_X(1)+XSI_Y(2)"),  # part of a longer name
    ("=SI_ENHEDSPRIS", "=SI_ENHEDSPRIS"),  # a defined name, not a call
    ("=Tabel1[SI_X]", "=Tabel1[SI_X]"),
    ("", ""),
]


@pytest.mark.parametrize(("desktop", "server"), CASES)
def test_to_server_names(desktop, server):
    assert to_server_names(desktop) == server


@pytest.mark.parametrize(("desktop", "server"), [c for c in CASES if "si_refusionssats" not in c[0]])
def test_to_desktop_names_inverts(desktop, server):
    assert to_desktop_names(server) == desktop


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_every_registered_example_maps_to_the_server_name(name):
    example = xl.REGISTRY[name]["example"]
    short = name.removeprefix("SI_")
    converted = to_server_names(example)
    assert f"{NAMESPACE}.{short}(" in converted
    assert f"{name}(" not in converted


@pytest.mark.parametrize("module", ["addin.formula", "addin.examples", "addin.install"])
def test_addin_doctests(module):
    """The examples in the addin modules' docstrings hold (addin/ is outside pytest's testpaths)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
