"""The Office.js route under attack: the real xlwings Server on 127.0.0.1.

Started with a case folder (``SI_SAGSMAPPE``) and xlwings Server's ``custom``
authentication provider switched on (``SI_SERVER_TOKEN``), as
``python -m addin.server`` does by itself when it listens beyond 127.0.0.1:

* a request without or with a wrong token is refused (HTTP 401);
* no path outside the case folder can be read or probed: an absolute path, a
  ``..`` path and a link out of the folder all get the same message, whether
  the file exists or not, and no content of any file outside is answered;
* a case given as its content (YAML text) is calculated without any file;
* a heavy request is refused (a body over the limit: HTTP 413) or bounded
  (a range over the cell limit, a call over the time limit), and small
  requests are still served meanwhile.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "cases" / "eksempel_ungeindsats.yaml"
TOKEN = "test-adgangsnoegle-9f2c"
SMALL = ("SI_REFUSIONSSATS", [[[30]], None])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if importlib.util.find_spec("xlwings_server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xlwings Server (the 'server' extra) is required in CI")
        pytest.skip("xlwings Server is not installed")
    from addin.server.local import Client, running_server

    root = tmp_path_factory.mktemp("server")
    folder = root / "sager"
    folder.mkdir()
    (folder / "ungeindsats.yaml").write_bytes(EXAMPLE.read_bytes())
    outside = root / "hemmelig.yaml"
    outside.write_text("navn: hemmelig-værdi-4711\n", encoding="utf-8")
    (root / "priser.csv").write_text("id,navn\nhemmelig_4711,x\n", encoding="utf-8")
    (folder / "link.yaml").symlink_to(outside)
    (folder / "link.csv").symlink_to(root / "priser.csv")
    env = {"SI_SAGSMAPPE": str(folder), "XLWINGS_AUTH_PROVIDERS": '["custom"]', "SI_SERVER_TOKEN": TOKEN, "SI_TIMEOUT": "5"}
    key = None if os.environ.get("XLWINGS_LICENSE_KEY") else "noncommercial"
    with running_server(timeout=90, licence_key=key, extra_env=env) as base:
        yield {"base": base, "root": root, "folder": folder, "client": lambda token=f"Bearer {TOKEN}": Client(base, token)}


def test_a_request_without_or_with_a_wrong_token_is_refused(server):
    for token in (None, "Bearer forkert", TOKEN + "x"):
        client = server["client"](token)
        status, message = client.call(*SMALL)
        client.close()
        assert status == 401 and "hemmelig" not in message, message
    client = server["client"]()
    assert client.call(*SMALL)[0] == 200
    client.close()


def test_the_metadata_excel_loads_stays_public(server):
    # Excel loads the function list and script before signing in; they hold no data.
    client = server["client"](None)
    assert client.get("/xlwings/custom-functions-meta")[0] == 200
    client.close()


def test_no_path_outside_the_case_folder_can_be_read_or_probed(server):
    root, client = server["root"], server["client"]()
    refused = "Fejl i casefil: skal være navnet på en fil i sagsmappen (uden mappe, drev eller '..')"
    answers = {}
    for name in (str(root / "hemmelig.yaml"), str(root / "findes_ikke.yaml"), "../hemmelig.yaml", "../findes_ikke.yaml",
                 "/etc/passwd", "C:\\Windows\\win.ini", "link.yaml"):  # fmt: skip
        answers[name] = client.call("SI_NOEGLETAL", [[[name]]])
    for name in ("link.yaml",):  # a link out of the folder: the same refusal as the path itself
        assert answers[name] == (400, refused) or answers[name][1].startswith("Fejl i casefil: skal være navnet"), answers[name]
    assert {a for n, a in answers.items() if n != "C:\\Windows\\win.ini"} == {(400, refused)}, answers
    assert all("4711" not in str(a) for a in answers.values())
    for name in (str(root / "priser.csv"), "../priser.csv", "link.csv"):
        status, message = client.call("SI_ENHEDSPRISER", [None, None, [[name]], None])
        assert status == 400 and message.startswith("Fejl i egne_priser: skal være navnet på en fil i sagsmappen"), message
    client.close()


def test_files_inside_the_folder_and_case_content_are_served(server):
    client = server["client"]()
    status, by_name = client.call("SI_NOEGLETAL", [[["ungeindsats.yaml"]]])
    assert status == 200
    figures = dict((row[0], row[1]) for row in by_name)
    # The example's payer PV (the command line prints 1.850.025,60 kr. for the same file).
    assert round(figures["Nutidsværdi netto betaler"], 2) == 1_850_025.60
    status, by_content = client.call("SI_NOEGLETAL", [[[EXAMPLE.read_text(encoding="utf-8")]]])
    assert (status, by_content) == (200, by_name)
    assert client.call("SI_NOEGLETAL", [[["findes_ikke.yaml"]]]) == (400, "Fejl i casefil: filen 'findes_ikke.yaml' findes ikke")
    client.close()


def test_a_heavy_request_is_refused_or_bounded_while_small_ones_are_served(server):
    heavy_client, small_client = server["client"](), server["client"]()
    oversized = [[1.0] * 1000 for _ in range(1000)]  # about 6 MB as JSON: over the body limit
    start = time.perf_counter()
    status, message = heavy_client.call("SI_NUTIDSVAERDI", [oversized, None])
    assert status == 413 and message.startswith("Fejl i forespørgsel: for stor") and time.perf_counter() - start < 3
    too_many_cells = [[1.0] * 120 for _ in range(100)]  # 12,000 cells, under the body limit
    start = time.perf_counter()
    status, message = heavy_client.call("SI_NUTIDSVAERDI", [too_many_cells, None])
    assert (status, message) == (400, "Fejl i beloeb: området har 12.000 celler; højst 10.000 i alt pr. kald på serveren")
    assert time.perf_counter() - start < 0.5  # refused before xlwings Server converts the cells
    status, message = heavy_client.call("SI_MONTE_CARLO", [[["ungeindsats.yaml"]], [[1_000_000]], None])
    assert status == 400 and message.startswith("Fejl i antal_traek: skal ligge mellem 1 og 100"), message

    # The heaviest allowed call runs while small calls are served, each within two seconds
    # (xlwings Server converts its 10,000 cells in about one second on its event loop).
    heavy = [[float(i % 97) for i in range(100)] for _ in range(100)]  # 10,000 cells
    result = {}
    worker = threading.Thread(target=lambda: result.update(answer=heavy_client.call("SI_NUTIDSVAERDI", [heavy, None])))
    worker.start()
    latencies = []
    while worker.is_alive() or not latencies:
        t0 = time.perf_counter()
        assert small_client.call(*SMALL)[0] == 200
        latencies.append(time.perf_counter() - t0)
    worker.join()
    assert result["answer"][0] in (200, 400)
    assert max(latencies) < 2.0, latencies
    heavy_client.close()
    small_client.close()


def test_echoed_text_is_trimmed(server):
    client = server["client"]()
    status, message = client.call("SI_REFUSIONSSATS", [[[30]], [["x" * 100_000]]])
    assert status == 400 and len(message) < 400, len(message)
    client.close()


@pytest.mark.parametrize("name, args, message", [
    ("SI_REFUSIONSSATS", [[]], "Fejl i uge: skal være en celle eller et rektangulært område"),
    ("SI_REFUSIONSSATS", [[[[1, 2]]]], "Fejl i uge: en celle kan ikke indeholde et område"),
    ("SI_REFUSIONSSATS", [[[1], [2, 3]]], "Fejl i uge: skal være en celle eller et rektangulært område"),
    ("SI_REFUSIONSSATS", [[[30]], None, None, [[1]]], "Fejl i SI_REFUSIONSSATS: forkert antal argumenter (højst 2)"),
    ("SI_FINDES_IKKE", [[[1]]], "Fejl i funktion: ukendt funktion 'SI_FINDES_IKKE'"),
])  # fmt: skip
def test_calls_not_shaped_as_excel_sends_them_are_refused_in_danish(server, name, args, message):
    # Before the shape check these ended in HTTP 500 and a dropped connection.
    client = server["client"]()
    assert client.call(name, args) == (400, message)
    assert client.call(*SMALL)[0] == 200  # the same connection is still served
    client.close()


def test_a_call_over_the_time_limit_is_answered_with_a_danish_error():
    """The server's wrapper (in a separate process, as its settings are process-wide):
    with SI_TIMEOUT at 1 ms, a Monte Carlo call of 100,000 draws is cut off."""
    if importlib.util.find_spec("xlwings_server") is None:
        pytest.skip("xlwings Server is not installed")
    import subprocess
    import sys

    code = (
        "import asyncio, xlwings as xw\n"
        "import addin.server.custom_functions as cf\n"
        "try:\n"
        f"    asyncio.run(cf.SI_MONTE_CARLO({EXAMPLE.read_text(encoding='utf-8')!r}, 100000, 1))\n"
        "except xw.XlwingsError as err:\n"
        "    print(err)\n"
    )
    from addin.server import server_environment

    env = server_environment(dict(os.environ, SI_TIMEOUT="0.001", PYTHONPATH=str(ROOT)))
    env.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "Fejl i SI_MONTE_CARLO: beregningen tog mere end 0.001 s; brug færre celler eller træk", out.stderr


@pytest.mark.parametrize("host, environ, providers", [
    ("127.0.0.1", {}, None),                                   # loopback: only this machine connects
    ("::1", {}, None),
    ("localhost", {}, None),
    ("0.0.0.0", {"SI_SERVER_TOKEN": "t"}, '["custom"]'),       # beyond: login on by default
    ("192.168.1.10", {"SI_SERVER_TOKEN": "t", "XLWINGS_AUTH_PROVIDERS": "[]"}, '["custom"]'),  # [] does not switch it off
    ("0.0.0.0", {"XLWINGS_AUTH_PROVIDERS": '["entraid"]'}, '["entraid"]'),  # the admin's own provider is kept
])  # fmt: skip
def test_login_is_on_by_default_beyond_loopback(host, environ, providers):
    from addin.server import auth_environment

    env = auth_environment(host, environ)
    assert env.get("XLWINGS_AUTH_PROVIDERS") == providers


def test_the_server_does_not_start_beyond_loopback_without_a_token(monkeypatch, capsys):
    from addin.server import main

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    monkeypatch.delenv("SI_SERVER_TOKEN", raising=False)
    monkeypatch.delenv("XLWINGS_AUTH_PROVIDERS", raising=False)
    assert main(["--host", "0.0.0.0", "--port", "1"]) == 2
    assert capsys.readouterr().err.startswith("Fejl i --host: serveren lytter ud over 127.0.0.1 og kræver derfor login.")
