"""The sibc command line."""

from workbooks.cli import main


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


def test_demo_runs(capsys):
    assert main(["demo"]) == 0
    assert "enhedspriser" in capsys.readouterr().out
