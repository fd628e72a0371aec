"""The Office.js route: the real xlwings Server on 127.0.0.1, called as Excel calls it.

The server (``python -m addin.server``, the optional ``server`` extra) is
started once for this module on a free loopback port and stopped at the end.
Every function in ``udfs.excel.REGISTRY`` is listed in its metadata under the
namespace ``SI`` and answered over HTTP with the body Excel's custom-functions
runtime posts; results equal direct Python calls, bad input answers HTTP 400
with the Danish message (which Excel shows as #VALUE! with that message).

xlwings Server needs a licence key.  Unless ``XLWINGS_LICENSE_KEY`` is set, the
tests run it under the PolyForm Noncommercial licence (``noncommercial``),
which permits testing; see the README's licence section.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import xml.etree.ElementTree as ET

import pytest

import udfs.excel as xl
from addin import examples
from addin.server import NAMESPACE, PROJECT_DIR, server_environment

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

#: Cell values behind the range references in the examples (the rest get 100, 200, …).
REFERENCE_VALUES = {
    "SI_NUTIDSVAERDI": {"B5:K5": [[-1_000_000.0] + [150_000.0] * 9]},
    "SI_INVESTOR_IRR": {"B5:F5": [[-1_000_000.0, 250_000.0, 300_000.0, 350_000.0, 400_000.0]]},
}


@pytest.fixture(scope="module")
def client():
    if importlib.util.find_spec("xlwings_server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xlwings Server (the 'server' extra) is required in CI: make test installs .[test,server]")
        pytest.skip("xlwings Server is not installed: pip install -c constraints.txt '.[server]'")
    from addin.server.local import Client, running_server

    key = None if os.environ.get("XLWINGS_LICENSE_KEY") else "noncommercial"
    with running_server(timeout=90, licence_key=key) as base:
        c = Client(base)
        c.base = base
        try:
            yield c
        finally:
            c.close()


def excel_args(values: list) -> list:
    """Arguments as Excel's custom-functions runtime sends them: each a 2-D array
    (parameters are declared as matrices), ``None`` for a left-out optional one."""
    out = []
    for v in values:
        if v is examples.OMITTED:
            out.append(None)
        elif isinstance(v, list):
            out.append(v if v and isinstance(v[0], list) else [v])
        else:
            out.append([[v]])
    return out


def as_cells(value):
    """What the cells show for a Python result: a 2-D block, empty cells for None."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else [value if isinstance(value, list) else [value]]
    return [["" if c is None else c for c in row] for row in rows]


def direct(name: str, values: list):
    """The desktop function's answer under the server's rules (no file names, server limits)."""
    from udfs.core import files, limits

    before = files._FOLDER
    files.restrict_to_folder(None)
    limits.server_mode(True)
    try:
        return getattr(xl, name)(*[None if v is examples.OMITTED else v for v in values])
    finally:
        files._FOLDER = before
        limits.server_mode(False)


def is_error(value) -> bool:
    return isinstance(value, str) and value.startswith("Fejl i ")


# --------------------------------------------------------------------------- registration


def test_environment_sets_the_namespace_and_keeps_user_settings():
    env = server_environment({"XLWINGS_FUNCTIONS_NAMESPACE": "X", "XLWINGS_HOSTNAME": "si.kommune.dk", "XLWINGS_PROJECT_NAME": "Min"})
    assert env["XLWINGS_FUNCTIONS_NAMESPACE"] == NAMESPACE == "SI"
    assert env["XLWINGS_ON_SERVER"] == "true" and env["XLWINGS_PROJECT_DIR"] == str(PROJECT_DIR)
    assert env["XLWINGS_HOSTNAME"] == "si.kommune.dk" and env["XLWINGS_PROJECT_NAME"] == "Min"


def test_metadata_lists_every_function_in_the_si_namespace(client):
    import json

    status, body = client.get("/xlwings/custom-functions-meta")
    assert status == 200
    functions = {f["id"]: f for f in json.loads(body)["functions"]}
    assert set(functions) == set(xl.REGISTRY)
    for name, meta in xl.REGISTRY.items():
        f = functions[name]
        assert f["name"] == name.removeprefix("SI_"), "Excel shows =SI.<name>(...)"
        assert f["description"] == meta["description"]
        params = inspect.signature(getattr(xl, name)).parameters.values()
        assert [(p["name"], p["description"], p.get("optional", False)) for p in f["parameters"]] == [
            (p.name, meta["args"][p.name], p.default is not inspect.Parameter.empty) for p in params
        ]


def test_script_associates_every_function(client):
    status, js = client.get("/xlwings/custom-functions-code")
    assert status == 200
    for name in xl.REGISTRY:
        assert f'CustomFunctions.associate("{name}", {name});' in js


def test_manifest_declares_the_si_namespace(client):
    status, xml = client.get("/manifest.xml")
    assert status == 200
    root = ET.fromstring(xml)
    strings = {e.get("id"): e.get("DefaultValue") for e in root.iter() if e.tag.endswith("String")}
    urls = {e.get("id"): e.get("DefaultValue") for e in root.iter() if e.tag.endswith("Url")}
    assert strings["Functions.Namespace"] == "SI"
    assert urls["Functions.Metadata.Url"] == client.base + "/xlwings/custom-functions-meta.json"
    assert urls["Functions.Script.Url"] == client.base + "/xlwings/custom-functions-code.js"
    ids = [e.text for e in root if e.tag.endswith("}Id")]
    assert ids == [server_environment({})["XLWINGS_MANIFEST_ID_PROD"]]


# --------------------------------------------------------------------------- calls


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_example_over_http_equals_direct_call(client, name):
    values = examples.example_arguments(name, REFERENCE_VALUES.get(name))
    expected = direct(name, values)
    status, result = client.call(name, excel_args(values))
    if is_error(expected):
        assert (status, result) == (400, expected)
    else:
        assert (status, result) == (200, as_cells(expected))


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_bad_first_argument_is_value_error_with_danish_message(client, name):
    values = examples.example_arguments(name, REFERENCE_VALUES.get(name)) or [examples.OMITTED]
    values[0] = True
    first = next(iter(inspect.signature(getattr(xl, name)).parameters))
    status, message = client.call(name, excel_args(values))
    assert status == 400, message
    assert message.startswith(f"Fejl i {first}") and "uventet fejl" not in message
    assert message == direct(name, values), "the same text as the desktop function"


NA = {"type": "Error", "basicValue": "#N/A"}  # how Office.js passes a cell with #N/A

GOOD = [
    ("SI_REFUSIONSSATS", [[[30]], None], (30,)),
    ("SI_REFUSIONSSATS", [[[53]], [["medfinansiering_2016"]]], (53, "medfinansiering_2016")),
    ("SI_KOMMUNAL_UDGIFT", [[[1000]], [[1]], [[60]], None], (1000, 1, 60)),
    ("SI_DISKONTERINGSFAKTOR", [[[40]], [[None]]], (40,)),  # an empty cell for the optional schedule
    ("SI_DISKONTERINGSFAKTOR", [[[10]], [[0.04]]], (10, 0.04)),
    ("SI_PRISINDEKS", [[[2019]], [[2023]], [["fpi"]], None], (2019, 2023, "fpi")),
    ("SI_NUTIDSVAERDI", [[[-1000, 500, 600]], [[0.04]]], ([-1000, 500, 600], 0.04)),
    ("SI_NUTIDSVAERDI", [[[-1000], [500], [600]], None], ([[-1000], [500], [600]],)),
    ("SI_ENHEDSPRISER", [[["sygedagpenge"]], None, None, None], ("sygedagpenge",)),  # spills
    ("SI_ENHEDSPRIS", [[["anbringelse_plejefamilie_aar"]], [[2023]], [["kommune"]]], ("anbringelse_plejefamilie_aar", 2023, "kommune")),
    # shares in text cells, read as the numbers (tests/test_excel_shares.py): (0,10 − 0,05) / (0,15 − 0,05) × 7,4 mio.
    ("SI_RESULTATBETALING", [[["10 %"]], [["5%"]], [["0,15"]], [[7400000]], None], (0.10, 0.05, 0.15, 7_400_000)),
    ("SI_TRAPPEBETALING", [[["9,5 %"]], [["8,5 %"], ["10 %"], ["12 %"], [None]], [[250000], [1000000], [1500000], [None]]],
     (0.095, [0.085, 0.10, 0.12], [250_000, 1_000_000, 1_500_000])),  # 9,5 % reaches 8,5 % only: 250.000 kr.
]

BAD = [
    ("SI_REFUSIONSSATS", [[[1.5]]], "Fejl i uge: skal være et helt tal, ikke 1,5"),
    ("SI_REFUSIONSSATS", [[[None]]], "Fejl i uge: mangler (tom celle)"),
    ("SI_REFUSIONSSATS", [[[""]]], "Fejl i uge: mangler (tom celle)"),
    ("SI_REFUSIONSSATS", [[[NA]]], "Fejl i uge: er fejlværdien #N/A; ret cellen eller formlen, der giver fejlen"),
    ("SI_REFUSIONSSATS", [[["tredive"]]], "Fejl i uge: skal være et tal, ikke teksten 'tredive'"),
    ("SI_REFUSIONSSATS", [[[False]]], "Fejl i uge: skal være et tal, ikke SAND/FALSK"),
    ("SI_ENHEDSPRIS", [[["a", "b"], ["c", "d"]]], "Fejl i id: skal være én celle, ikke et område"),
    ("SI_ENHEDSPRIS", [[["findes_ikke"]]], None),  # the catalogue's own message
    ("SI_KOMMUNAL_UDGIFT", [[[-5]], [[1]], [[2]]], "Fejl i beloeb_pr_uge: må ikke være negativ"),
    ("SI_NUTIDSVAERDI", [[[1, None, 3]]], "Fejl i beloeb[2]: mangler (tom celle)"),
    ("SI_PRISINDEKS", [[[2019]], [[2300]]], "Fejl i til_aar: skal ligge mellem 1900 og 2200, ikke 2300"),
    ("SI_RESULTATBETALING", [[[96]], [[60]], [[120]], [["10 %"]]],
     "Fejl i betaling_ved_maal: skal være et tal, ikke teksten '10 %'; argumentet er ikke en andel: skriv tallet uden %"),
    ("SI_TRAPPEBETALING", [[[0.05]], [[0.01 * k for k in range(1, 10)]], [[1000 * k for k in range(1, 10)]]],
     "Fejl i taerskler: har for mange elementer (højst 8; se README, Grænser)"),
]


def _id(case):
    return f"{case[0]}{case[1]!r}"[:60]


@pytest.mark.parametrize(("name", "args", "python_args"), GOOD, ids=[_id(c) for c in GOOD])
def test_good_calls_over_http_equal_direct_calls(client, name, args, python_args):
    expected = getattr(xl, name)(*python_args)
    assert not is_error(expected), expected
    assert client.call(name, args) == (200, as_cells(expected))


@pytest.mark.parametrize(("name", "args", "message"), BAD, ids=[_id(c) for c in BAD])
def test_bad_calls_over_http_are_400_with_the_danish_message(client, name, args, message):
    status, text = client.call(name, args)
    assert status == 400
    assert text.startswith("Fejl i ")
    if message is not None:
        assert text == message


# --------------------------------------------------------------------------- what Excel hands over
# (the desktop route's checks are in tests/test_excel_boundary.py; the messages are the same)

from tests.test_excel_boundary import ALL_ARGUMENTS, FLOWS, XIRR_2024, arguments, parameters  # noqa: E402


@pytest.mark.parametrize(("name", "arg"), ALL_ARGUMENTS, ids=[".".join(c) for c in ALL_ARGUMENTS])
def test_an_error_cell_in_any_argument_is_named(client, name, arg):
    """Office.js passes an error cell as {"type": "Error", "basicValue": "#N/A"} (declared err_to_str):
    refused by name with the desktop's text, in a single cell and inside a range."""
    values = arguments(name)
    k = parameters(name).index(arg)
    values[k] = NA
    status, text = client.call(name, excel_args(values))
    assert (status, text) == (400, f"Fejl i {arg}: er fejlværdien #N/A; ret cellen eller formlen, der giver fejlen")
    values[k] = [[1.0, {"type": "Error", "basicValue": "#DIV/0!"}]]
    status, text = client.call(name, excel_args(values))
    assert (status, text) == (400, f"Fejl i {arg}: indeholder fejlværdien #DIV/0! (række 1, kolonne 2 i området); "
                                   "ret cellen eller formlen, der giver fejlen")


def test_whole_numbers_with_float_noise_over_http(client):
    # week 0,29*100 = 28.999999999999996 is week 29: the state refunds 30 % (LBK nr. 221 af 12/02/2021 § 5)
    assert client.call("SI_REFUSIONSSATS", [[[0.29 * 100]], None]) == (200, [[0.3]])
    assert client.call("SI_REFUSIONSSATS", [[[1.5]], None]) == (400, "Fejl i uge: skal være et helt tal, ikke 1,5")


def test_dates_arrive_as_serial_numbers_over_http(client):
    """Office.js hands date cells to custom functions as serial numbers: 45292 is 1 January 2024."""
    serials = [[45292, 45658, 46023.75, 46388]]
    status, result = client.call("SI_INVESTOR_IRR", [[FLOWS], serials, None])
    assert status == 200 and result[0][0] == pytest.approx(XIRR_2024, abs=5e-8)


def test_no_text_cell_over_255_over_http(client):
    status, table = client.call("SI_ENHEDSPRISER", [None, None, None, None])
    assert status == 200
    assert max(len(c) for row in table for c in row if isinstance(c, str)) == 255
    status, text = client.call("SI_ENHEDSPRIS", [[["x" * 300]]])
    assert status == 400 and len(text) <= 255


def test_server_refuses_to_start_without_a_licence_key(monkeypatch, capsys):
    from addin.server import main

    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    assert main(["--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fejl i licens:") and "noncommercial" in err and "kommerciel" in err
