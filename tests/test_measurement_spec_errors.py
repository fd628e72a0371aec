"""Every error of a measurement file at once, each named by its path and line in the file, a mistyped name with
the nearest known one ("mente du …?").  The files are tests/data/housing_first; its grouping (grupper.csv) has the
groups selvforsoerget, kontanthjaelp, herberg and anden, its case the metrics bolig and herbergfri."""

from __future__ import annotations

import shutil
from pathlib import Path

from workbooks import cli

DATA = Path(__file__).resolve().parent / "data" / "housing_first"


def run_with(tmp_path: Path, *replacements: tuple[str, str]) -> None:
    for f in DATA.iterdir():
        shutil.copy(f, tmp_path / f.name)
    spec = tmp_path / "maaling.yaml"
    text = spec.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    spec.write_text(text, encoding="utf-8")
    assert cli.main(["maal", str(spec)]) == 2


def test_a_window_error_a_group_typo_and_a_metric_typo_come_together(tmp_path, capsys):
    run_with(tmp_path,
                     ("    k: 52\n    m: 52", "    k: 52\n    m: 60"),  # line 25: m 60 > the window's 52 weeks (1–52)
                     ("gruppe: kontanthjaelp\n", "gruppe: kontanthjalp\n"),  # line 34
                     ("resultatmaal: herbergfri", "resultatmaal: herbergfrii"))  # line 40
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl")]
    assert lines == [
        "Fejl i maal[0].m (linje 25): er 60, men vinduet har kun 52 uger",
        "Fejl i maal[2].gruppe (linje 34): ukendt gruppe 'kontanthjalp' (mente du 'kontanthjaelp'?); "
        "kendte: selvforsoerget, kontanthjaelp, herberg, anden",
        "Fejl i betaling (linje 37): resultatmålet 'herbergfri' har ingen måling",
        "Fejl i betaling[1].resultatmaal (linje 40): ukendt resultatmål 'herbergfrii' i case-filens betalingsmodel "
        "(mente du 'herbergfri'?); kendte: bolig, herbergfri",
    ]


def test_a_group_typo_in_a_list_names_the_measure(tmp_path, capsys):
    run_with(tmp_path, ("    type: status\n    gruppe: [selvforsoerget, kontanthjaelp, anden]",
                        "    type: status\n    gruppe: [selvforsorget, kontanthjaelp, anden]"))  # line 29
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl")]
    assert lines == ["Fejl i maal[1].gruppe (linje 29): ukendt gruppe 'selvforsorget' (mente du 'selvforsoerget'?); "
                     "kendte: selvforsoerget, kontanthjaelp, herberg, anden"]
