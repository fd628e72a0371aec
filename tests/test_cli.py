"""The sibc command line."""

import json

import pytest

from workbooks.cli import example_cases, main


def test_catalogue_prints_a_table(capsys):
    assert main(["catalogue", "fængsel"]) == 0
    out = capsys.readouterr().out
    assert "faengsel_lukket_dag" in out and "1.878,00" in out  # kriminalforsorgen.dk 2015: 1.878 kr./dag


def test_catalogue_uprated(capsys):
    assert main(["catalogue", "faengsel_lukket", "--prisaar", "2023"]) == 0
    assert "2023" in capsys.readouterr().out


def test_unknown_filter_is_a_danish_error_with_exit_code_2(capsys):
    assert main(["catalogue", "ingen-sådan-række"]) == 2
    assert capsys.readouterr().err.startswith("Fejl i filter:")


def test_year_outside_index_is_shown_as_text_not_a_number(capsys):
    assert main(["catalogue", "faengsel_lukket", "--prisaar", "2099"]) == 0
    assert "prisår uden for indeks" in capsys.readouterr().out


def test_demo_reproduces_every_published_case(capsys):
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "enhedspriser" in out
    assert out.count("alle offentliggjorte tal genskabt") == 3 and "✗" not in out


@pytest.mark.parametrize("path", example_cases(), ids=lambda p: p.stem)
def test_calc_prints_the_settlement(path, capsys):
    assert main(["calc", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Investors bonus" in out and "Betalers nettobesparelse" in out and "✗" not in out


def test_calc_json_sygedagpenge(capsys):
    # Seed 000, Sygedagpenge: investment 6.2, payment 7.4, bonus 1.2, net saving 22.0 mio. kr.
    path = next(p for p in example_cases() if p.stem == "sygedagpenge")
    assert main(["calc", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["noegletal"]["Investering"] == 6_200_000
    assert data["noegletal"]["Investors bonus"] == pytest.approx(1_200_000)
    assert round(data["noegletal"]["Betalers nettobesparelse"] / 1e6, 1) == 22.0


def test_calc_missing_file_is_a_danish_error(capsys, tmp_path):
    assert main(["calc", str(tmp_path / "nope.yaml")]) == 2
    assert capsys.readouterr().err.startswith("Fejl i case:")


def test_calc_bad_case_file_names_the_field(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    text = next(p for p in example_cases() if p.stem == "sygedagpenge").read_text(encoding="utf-8")
    bad.write_text(text.replace("type: lineaer", "type: ukendt_regel", 1), encoding="utf-8")
    assert main(["calc", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fejl i ") and "regel" in err
