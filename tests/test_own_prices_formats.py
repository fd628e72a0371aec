"""Own prices as Danish Excel writes them, through both routes (a CSV file and a range given to a
function): the same normalisation and the same Danish messages, from one place (udfs.core.catalogue)."""

import csv
import io
from pathlib import Path

import pytest

from udfs import excel as xl
from udfs.core import catalogue as cat
from udfs.core.errors import SIError

HEADER = ["id", "navn", "enhed", "beloeb", "prisaar", "andel_kommune", "andel_region", "andel_stat",
          "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype"]  # fmt: skip
ROW = ["egen_pleje_dag", "Særlig støtte – døgn", "dag", "2.205,05", "2023", "0,8", "0", "0,2", "Børn og unge",
       "Ærø Kommune", "Takstblad 2023", "egen"]  # fmt: skip
#: The kommune's part: 2205.05 × 0.8 = 1764.04 kr. per day (hand calculation).
KOMMUNE = 1764.04


def _csv(tmp_path: Path, rows: list[list[str]], first_line: str | None = None) -> str:
    buf = io.StringIO()
    if first_line is not None:
        buf.write(first_line + "\r\n")
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "egne.csv"
    path.write_bytes(buf.getvalue().encode("cp1252"))
    return str(path)


def _both(tmp_path: Path, rows: list[list[str]]) -> list:
    """The kommune's price of egen_pleje_dag from a CSV file and from the same cells as a range."""
    return [xl.SI_ENHEDSPRIS("egen_pleje_dag", None, "kommune", _csv(tmp_path, rows)),
            xl.SI_ENHEDSPRIS("egen_pleje_dag", None, "kommune", tuple(tuple(_cell(v) for v in r) for r in rows))]


def _cell(value):
    """What Excel hands over for a cell: a number for a number typed the Danish way, else the text."""
    try:
        return float(value.replace(".", "").replace(",", ".")) if isinstance(value, str) else value
    except ValueError:
        return value


def test_excel_sep_line_is_skipped(tmp_path):
    assert xl.SI_ENHEDSPRIS("egen_pleje_dag", None, "kommune", _csv(tmp_path, [HEADER, ROW], "sep=;")) == pytest.approx(KOMMUNE)


@pytest.mark.parametrize("header", [
    [h.upper() for h in HEADER],  # ID;NAVN;…
    [f" {h} " for h in HEADER],  # spaces around
    [h.replace("prisaar", "Prisår").replace("beloeb", "Beløb").replace("budgetomraade", "Budgetområde") for h in HEADER],
])  # fmt: skip
def test_header_names_are_normalised(tmp_path, header):
    assert _both(tmp_path, [header, ROW]) == [pytest.approx(KOMMUNE)] * 2


@pytest.mark.parametrize("shares", [("80%", "0%", "20%"), ("80 %", "0 %", "20 %"), ("80,0 %", "0 %", "20 %")])
def test_percent_shares_as_danish_excel_writes_them(tmp_path, shares):
    row = ROW[:5] + list(shares) + ROW[8:]
    assert _both(tmp_path, [HEADER, row]) == [pytest.approx(KOMMUNE)] * 2  # 80 % = 0,8


@pytest.mark.parametrize(
    "rows, message",
    [
        # SI_ENHEDSPRISER's header copied: one message about the columns, not a row problem.
        ([["id", "navn", "enhed", "prisår", "i alt", "kommune", "region", "stat", "kilde"], ["x", "y", "dag", 2023, 1, 1, 0, 0, "k"]],
         "Fejl i egne_priser: mangler de påkrævede kolonner beloeb, budgetomraade, kilde_udgiver, kilde_dokument, kildetype "
         "(ud over id, navn, enhed, prisaar); ukendte kolonner 'i_alt', 'kommune', 'region' …"),
        ([HEADER], "Fejl i egne_priser: har kun overskriftsrækken; tilføj mindst én række med priser"),
        ([HEADER, ROW, ROW], "Fejl i egne_priser: id 'egen_pleje_dag' forekommer mere end én gang (række 2 og 3)"),
        ([HEADER, ROW[:2] + ["døgn"] + ROW[3:]],
         "Fejl i egne_priser: række 2: enhed: skal være en af: uge, dag, maaned, aar, haendelse, ikke 'døgn'"),
        ([HEADER, ROW[:3] + ["ca. 2000"] + ROW[4:]], "Fejl i egne_priser: række 2: beloeb: skal være et tal, ikke 'ca. 2000'"),
        ([HEADER, ROW[:5] + ["0,4", "0", "0,2"] + ROW[8:]],
         "Fejl i egne_priser: række 2: andelene for kommune, region og stat summerer til 0,6, ikke 1"),
    ],
)
def test_the_same_danish_message_from_both_routes(tmp_path, rows, message):
    assert _both(tmp_path, rows) == [message, message]


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n", b"sep=;\r\n"])
def test_an_empty_csv_file_is_an_error(tmp_path, data):
    path = tmp_path / "tom.csv"
    path.write_bytes(data)
    answer = xl.SI_ENHEDSPRIS("egen_pleje_dag", None, "kommune", str(path))
    assert answer.startswith("Fejl i egne_priser: ") and ("tom" in answer or "overskrift" in answer), answer


def test_an_empty_range_is_an_error():
    with pytest.raises(SIError) as err:
        cat.own_prices_from_table([[None, None]])
    assert err.value.message == "er tom; den skal have en overskriftsrække og mindst én række med priser"


def test_function_help_lists_the_required_columns():
    for name in ("SI_ENHEDSPRIS", "SI_ENHEDSPRISER"):
        assert ", ".join(cat.REQUIRED_COLUMNS) in xl.REGISTRY[name]["args"]["egne_priser"]
