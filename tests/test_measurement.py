"""Measuring outcomes from weekly register panels: weeks, grouping, measures, effects, privacy, payments.

Every asserted figure is a hand calculation written out next to it, a published
figure (Jobindsats's definition, the BMC Public Health 2023;23:224 grouping), an
independent numpy computation on synthetic states, or LibreOffice recalculating
the report workbook.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

import udfs.excel as xl
from udfs.core.errors import SIError
from udfs.core.measurement import design, effects, privacy, report
from udfs.core.measurement.definitions import parse_measure, parse_measurement_file
from udfs.core.measurement.grouping import load_grouping
from udfs.core.measurement.measures import measure_persons
from udfs.core.measurement.panel import cohort_from_starts, connect, load_cohort, load_panel_file, load_rows
from udfs.core.measurement.synthetic import HEALTH, OTHER, SELF, SELF_CODED, generate, write_example
from udfs.core.measurement.weeks import column_week, parse_week, week_label, week_number, weeks_in_year
from workbooks import cli, measurement_sheet
from workbooks.recalc import recalculate

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "workbooks" / "cases" / "sygedagpenge.yaml"

# --------------------------------------------------------------------------- the hand-worked panel

#: Eight consecutive ISO weeks across the 53-week year 2020 (2020 has 53 ISO weeks: 31 Dec 2020 is a Thursday).
WEEKS = ["2020-W50", "2020-W51", "2020-W52", "2020-W53", "2021-W01", "2021-W02", "2021-W03", "2021-W04"]
#: Codes per person and week (None = empty week).  890 and 750 are in the published health list,
#: 881, 651 and 121 in the not-on-benefit list, X1 is no listed code (the "other" group).
CODES = [
    ["890", "890", "890", "890", None, None, "881", "X1"],   # P1: a health spell that starts before the window
    [None, None, "750", "750", "750", "121", None, "890"],   # P2
    ["X1", "X1", "X1", None, "651", "890", "890", "890"],    # P3: a spell that runs on past the window
    [None] * 8,                                              # P4: self-supported throughout
    ["890"] * 8,                                             # P5: on a health benefit throughout
]
STARTS = ["2020-W51", "2020-W52", "2020-W53", "2020-W51", "2020-W50"]
# Window weeks 1–4 after start:
#   P1 (start W51): W52 890, W53 890, W01 –,   W02 –    → self-supported 2, health 2
#   P2 (start W52): W53 750, W01 750, W02 121, W03 –    → self-supported 2, health 2
#   P3 (start W53): W01 651, W02 890, W03 890, W04 890  → self-supported 1, health 3
#   P4 (start W51): all empty                            → self-supported 4, health 0
#   P5 (start W50): W51–W01 890                          → self-supported 0, health 4
# Ignoring 2020-W53 would move P1's window to W52, W01, W02, W03 and give 3 weeks self-supported.
SELF_WEEKS = [2, 2, 1, 4, 0]
HEALTH_WEEKS = [2, 2, 3, 0, 4]
# Jobindsats: fuldtidspersoner = weeks on the benefit in the period / weeks in the period (26 of 52 = 0.5),
# https://www.jobindsats.dk/jobindsats/Hjaelp/InfoOmMaalinger/Y21/MM14.aspx: (2+2+3+0+4)/4 = 2.75.
HEALTH_FULL_TIME = 11 / 4


def hand_measures():
    return [
        parse_measure({"id": "selv", "navn": "selv", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 4}),
        parse_measure({"id": "syg", "navn": "syg", "type": "fuldtid", "gruppe": "sundhed", "fra": 1, "til": 4}),
        # status in week 3: P1 W01 –, P2 W02 121, P3 W03 890, P4 W54… (W02) –, P5 W02 890
        parse_measure({"id": "status3", "navn": "s", "type": "status", "gruppe": "selvforsoerget", "uge": 3}),
        # first self-supported week within weeks 1–2: only P3 (W01 651) and P4
        parse_measure({"id": "overgang", "navn": "o", "type": "overgang", "gruppe": "selvforsoerget", "fra": 1, "til": 2}),
        # 2 of 2 consecutive self-supported weeks in weeks 1–4: P1 (W01, W02), P2 (W02, W03), P4
        parse_measure({"id": "varig", "navn": "v", "type": "varig", "gruppe": "selvforsoerget", "fra": 1, "til": 4, "k": 2, "m": 2}),
        # 2 of 3 consecutive weeks on the health benefit in weeks 1–4: P1 (W52, W53, W01), P2, P3, P5
        parse_measure({"id": "syg23", "navn": "v", "type": "varig", "gruppe": "sundhed", "fra": 1, "til": 4, "k": 2, "m": 3}),
    ]


HAND_EXPECTED = {
    "selv": SELF_WEEKS,
    "syg": [w / 4 for w in HEALTH_WEEKS],
    "status3": [1, 1, 0, 1, 0],
    "overgang": [0, 0, 1, 1, 0],
    "varig": [1, 1, 0, 1, 0],
    "syg23": [1, 1, 1, 0, 1],
}


def _ids():
    return [f"P{i}" for i in range(1, 6)]


def wide_frame():
    data = {"pnr": _ids()}
    for j, w in enumerate(WEEKS):
        data[f"y_{w[2:4]}{w[-2:]}"] = [row[j] for row in CODES]
    return pd.DataFrame(data)


def long_frame():
    rows = [(pid, WEEKS[j], code) for pid, codes in zip(_ids(), CODES) for j, code in enumerate(codes) if code is not None]
    return pd.DataFrame(rows, columns=["pnr", "uge", "kode"])


def cohort_frame(arms=None):
    return pd.DataFrame({"pnr": _ids(), "start": STARTS, "gruppe": arms or ["indsats"] * 5})


def measured_from_files(panel_path: Path, layout: str, cohort_path: Path):
    con = connect()
    period = (WEEKS[0], WEEKS[-1]) if layout == "lang" else None  # P4 has no coded week in the long file
    panel = load_panel_file(con, panel_path, layout, "pnr", load_grouping(), period=period)
    load_cohort(panel, cohort_path, "pnr", "start", "gruppe", [])
    return measure_persons(panel, hand_measures()).values


def to_file(frame: pd.DataFrame, path: Path) -> Path:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        import duckdb

        con = duckdb.connect()
        con.register("f", frame)
        con.execute(f"COPY (SELECT * FROM f) TO '{path}' (FORMAT parquet)")
    return path


@pytest.mark.parametrize("layout,suffix", [("bred", ".csv"), ("bred", ".parquet"), ("lang", ".csv"), ("lang", ".parquet")])
def test_hand_worked_panel_in_every_layout(tmp_path, layout, suffix):
    frame = wide_frame() if layout == "bred" else long_frame()
    panel = to_file(frame, tmp_path / f"panel{suffix}")
    cohort = to_file(cohort_frame(), tmp_path / "kohorte.csv")
    got = measured_from_files(panel, layout, cohort)
    for measure_id, expected in HAND_EXPECTED.items():
        assert got[measure_id].tolist() == pytest.approx(expected), measure_id
    assert got["syg"].sum() == pytest.approx(HEALTH_FULL_TIME)


def test_hand_worked_panel_from_a_sheet_range():
    con = connect()
    panel = load_rows(con, WEEKS, CODES, load_grouping())
    cohort_from_starts(con, STARTS)
    got = measure_persons(panel, hand_measures()).values
    for measure_id, expected in HAND_EXPECTED.items():
        assert got[measure_id].tolist() == pytest.approx(expected), measure_id


def test_excel_functions_on_the_hand_worked_panel():
    weeks = tuple(WEEKS)
    codes = tuple(tuple(row) for row in CODES)
    starts = tuple((s,) for s in STARTS)
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts, 1, 4) == [[w] for w in SELF_WEEKS]
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts, 1, 4, "sundhed") == [[w] for w in HEALTH_WEEKS]
    assert xl.SI_FULDTIDSPERSONER(codes, weeks, starts, 1, 4, "sundhed") == pytest.approx(HEALTH_FULL_TIME)
    # Numbers as Excel passes them (890.0) and weeks as YYYYWW numbers give the same.
    numeric = tuple(tuple(float(c) if c and c.isdigit() else c for c in row) for row in CODES)
    yyyyww = tuple(float(w[:4] + w[-2:]) for w in WEEKS)
    assert xl.SI_UGER_I_GRUPPE(numeric, yyyyww, starts, 1, 4) == [[w] for w in SELF_WEEKS]


def test_excel_functions_name_the_argument_at_fault():
    weeks, codes, starts = tuple(WEEKS), tuple(tuple(r) for r in CODES), tuple((s,) for s in STARTS)
    # P3 starts 2020-W53; week 5 after it is 2021-W05, after the panel's last week.
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts, 1, 5).startswith("Fejl i til_uge: vinduet (uge 1 til 5 efter start) rækker uden for panelet")
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts, -3, 1).startswith("Fejl i fra_uge:")
    skipped = WEEKS[:3] + ["2021-W01"] + WEEKS[5:] + ["2021-W05"]
    assert xl.SI_UGER_I_GRUPPE(codes, tuple(skipped), starts, 1, 2) == "Fejl i uger[4]: er 2021-W01, men skal være ugen efter 2020-W52"
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts, 1, 2, "arbejde") == "Fejl i gruppe: ukendt gruppe 'arbejde'; kendte: selvforsoerget, sundhed, anden"
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, starts[:4], 1, 2).startswith("Fejl i start: har 4 startuger, men koder har 5")
    assert xl.SI_UGER_I_GRUPPE(codes, weeks, (("2021-W53",),) * 5, 1, 2) == "Fejl i start[1]: 2021 har ikke en uge 53 (kun 52 uger)"
    assert xl.SI_FULDTIDSPERSONER(codes[:4], weeks, starts[:4], 1, 2).startswith("Fejl i koder: har 4 personer; tal for færre end 5")


# --------------------------------------------------------------------------- ISO weeks


def test_iso_weeks_have_53_weeks_in_2020_and_2026():
    # ISO 8601: a year has 53 weeks when 1 January is a Thursday (2015, 2026) or a leap year starts on a
    # Wednesday (2020); Python's date.fromisocalendar decides.
    assert [weeks_in_year(y) for y in (2015, 2019, 2020, 2021, 2025, 2026)] == [53, 52, 53, 52, 52, 53]
    assert week_number(2021, 1) - week_number(2020, 53) == 1
    assert week_number(2027, 1) - week_number(2026, 1) == 53
    assert parse_week("x", "2026-W53") == parse_week("x", 202653.0) == column_week("y_2653")
    assert week_label(column_week("y_9101")) == "1991-W01"  # DREAM starts in 1991
    with pytest.raises(SIError, match="2021 har ikke en uge 53"):
        column_week("y_2153")
    with pytest.raises(SIError, match="er ikke en uge"):
        parse_week("start", "uge 5")


def test_wide_files_must_have_consecutive_week_columns(tmp_path):
    frame = wide_frame().drop(columns=["y_2053"])
    con = connect()
    with pytest.raises(SIError) as err:
        load_panel_file(con, to_file(frame, tmp_path / "p.csv"), "bred", "pnr", load_grouping())
    assert err.value.danish == "Fejl i panel: mangler uge 2020-W53 mellem y_2052 og y_2101"


def test_long_files_refuse_two_codes_in_one_week_and_non_weeks(tmp_path):
    con = connect()
    twice = pd.concat([long_frame(), pd.DataFrame([["P1", "2020-W50", "881"]], columns=["pnr", "uge", "kode"])])
    with pytest.raises(SIError, match="to koder i uge 2020-W50; DREAM har én kode pr. uge"):
        load_panel_file(con, to_file(twice, tmp_path / "twice.csv"), "lang", "pnr", load_grouping())
    bad = pd.concat([long_frame(), pd.DataFrame([["P1", "2021-W53", "881"]], columns=["pnr", "uge", "kode"])])
    with pytest.raises(SIError) as err:
        load_panel_file(con, to_file(bad, tmp_path / "bad.csv"), "lang", "pnr", load_grouping())
    row = len(bad) + 1  # the added row is the last data row; the header is row 1
    assert err.value.danish == f"Fejl i filen bad.csv, række {row}, kolonne uge: '2021-W53' er ikke en ISO-uge (fx 2020-W53 eller 202053)"
    assert err.value.others == []


def test_cohort_errors_name_the_column(tmp_path):
    con = connect()
    panel = load_panel_file(con, to_file(wide_frame(), tmp_path / "p.csv"), "bred", "pnr", load_grouping())
    wrong_arm = to_file(cohort_frame(["indsats", "kontrol", "behandlet", "kontrol", "kontrol"]), tmp_path / "k1.csv")
    with pytest.raises(SIError) as err:
        load_cohort(panel, wrong_arm, "pnr", "start", "gruppe", [])
    # P3 is the third data row: row 4, the header being row 1
    assert err.value.danish == "Fejl i filen k1.csv, række 4, kolonne gruppe: 'behandlet' er ikke en af: indsats, kontrol, historisk, pulje"
    stranger = cohort_frame()
    stranger.loc[0, "pnr"] = "P9"
    with pytest.raises(SIError, match="1 personer i kohorten findes ikke i panelet"):
        load_cohort(panel, to_file(stranger, tmp_path / "k2.csv"), "pnr", "start", "gruppe", [])


@pytest.mark.parametrize(("change", "sep_line", "where", "message"), [
    # P3 is the third data row: row 4 as Excel shows the file (the header is row 1); row 5 below a sep=; line
    (lambda f: f.loc.__setitem__((2, "gruppe"), "behandlet"), False, "række 4, kolonne gruppe",
     "'behandlet' er ikke en af: indsats, kontrol, historisk, pulje"),
    (lambda f: f.loc.__setitem__((2, "gruppe"), "behandlet"), True, "række 5, kolonne gruppe", "'behandlet' er ikke en af"),
    (lambda f: f.loc.__setitem__((2, "gruppe"), ""), False, "række 4, kolonne gruppe", "'' er ikke en af"),
    (lambda f: f.loc.__setitem__((3, "start"), "2021-W54"), False, "række 5, kolonne start", "'2021-W54' er ikke en ISO-uge"),
    (lambda f: f.loc.__setitem__((4, "pnr"), "P2"), False, "række 6, kolonne pnr", "'P2' står også i en række før"),  # P5 → P2
])  # fmt: skip
def test_a_bad_cohort_value_names_the_file_row_and_column(tmp_path, change, sep_line, where, message):
    """The user trial: a bad group value was named by the measurement file's line; now by the CSV's own cell."""
    con = connect()
    panel = load_panel_file(con, to_file(wide_frame(), tmp_path / "p.csv"), "bred", "pnr", load_grouping())
    cohort = cohort_frame()
    change(cohort)
    with pytest.raises(SIError) as err:
        load_cohort(panel, danish_excel_csv(cohort, tmp_path / "kohorte.csv", sep_line=sep_line), "pnr", "start", "gruppe", [])
    assert err.value.argument == f"filen kohorte.csv, {where}" and err.value.message.startswith(message), err.value.danish


def danish_excel_csv(frame: pd.DataFrame, path: Path, sep_line: bool = False) -> Path:
    """``frame`` as Danish Excel's "CSV (semikolonsepareret)": ';', Windows-1252, CRLF (and a first line sep=;)."""
    lines = (["sep=;"] if sep_line else []) + [";".join(frame.columns)]
    lines += [";".join("" if v is None else str(v) for v in row) for row in frame.itertuples(index=False)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


@pytest.mark.parametrize("town", ["Århus", "Køge – øst"])  # "–" is 0x96: Windows-1252 only, not Latin-1
def test_danish_excel_csv_files_are_read_with_decimal_commas(tmp_path, town):
    con = connect()
    panel_frame = wide_frame().fillna("")
    panel = load_panel_file(con, danish_excel_csv(panel_frame, tmp_path / "p.csv"), "bred", "pnr", load_grouping())
    cohort = cohort_frame()
    # Danish numbers: 34,0 → 34; 1.234,5 → 1234.5 (thousands point); 0,25; −2,5; a point where it cannot be a
    # thousands point (34.5) is read as everywhere else.
    cohort["alder"] = ["34,0", "1.234,5", "0,25", "-2,5", "34.5"]
    cohort["by"] = [town] * 5
    load_cohort(panel, danish_excel_csv(cohort, tmp_path / "kohorte.csv", sep_line=town != "Århus"),
                "pnr", "start", "gruppe", ["alder"])
    got = dict(con.execute("SELECT pid, c0 FROM kohorte").fetchall())
    assert got == {"P1": 34.0, "P2": 1234.5, "P3": 0.25, "P4": -2.5, "P5": 34.5}
    # The Danish panel file gives the hand-worked panel's figures.
    got = measured_from_files(tmp_path / "p.csv", "bred", danish_excel_csv(cohort_frame(), tmp_path / "k2.csv"))
    for measure_id, expected in HAND_EXPECTED.items():
        assert got[measure_id].tolist() == pytest.approx(expected), measure_id


def test_cohort_numbers_name_the_row_of_a_text_and_count_only_empty_cells_as_missing(tmp_path):
    con = connect()
    panel = load_panel_file(con, to_file(wide_frame(), tmp_path / "p.csv"), "bred", "pnr", load_grouping())
    cohort = cohort_frame()
    cohort["alder"] = ["34,0", "41,5", "", "34,x", "50"]
    with pytest.raises(SIError) as err:  # the header is row 1, P4 is row 5
        load_cohort(panel, danish_excel_csv(cohort, tmp_path / "kohorte.csv"), "pnr", "start", "gruppe", ["alder"])
    assert err.value.danish == "Fejl i filen kohorte.csv, række 5, kolonne alder: ikke et tal: '34,x'"
    cohort.loc[3, "alder"] = "36"
    with pytest.raises(SIError) as err:
        load_cohort(panel, danish_excel_csv(cohort, tmp_path / "kohorte.csv"), "pnr", "start", "gruppe", ["alder"])
    assert err.value.danish == "Fejl i filen kohorte.csv, række 4, kolonne alder: mangler et tal"  # P3
    # In a comma-separated file a decimal comma is no number (the comma is the separator's country).
    cohort.loc[2, "alder"] = "36"
    to_file(cohort, tmp_path / "komma.csv")
    with pytest.raises(SIError) as err:
        load_cohort(panel, tmp_path / "komma.csv", "pnr", "start", "gruppe", ["alder"])
    assert err.value.danish == "Fejl i filen komma.csv, række 2, kolonne alder: ikke et tal: '34,0'"


# --------------------------------------------------------------------------- the grouping


def test_shipped_grouping_is_the_published_table():
    # BMC Public Health 2023;23:224, Table 2 (https://pmc.ncbi.nlm.nih.gov/articles/PMC9893621/table/Tab2/).
    g = load_grouping()
    assert [x.id for x in g.groups] == ["selvforsoerget", "sundhed", "anden"]
    self_, health, other = g.groups
    assert set(self_.codes) == {"881", "651", "652", "661", "121"} and self_.empty and not self_.others
    assert set(health.codes) == {"750", "753", "754", "755", "756", "757", "758", "760", "763", "764", "765", "766",
                                 "767", "768", "771", "775", "781", "783", "785", "810", "813", "814", "815", "816",
                                 "817", "818", "890", "893"}
    assert other.codes == () and other.others
    assert "PMC9893621" in g.source


def test_own_grouping_without_others_refuses_unlisted_codes(tmp_path):
    own = tmp_path / "egne.csv"
    header = "gruppering,gruppe,gruppenavn,kode,kilde_udgiver,kilde_dokument,kilde_url,kildetype,note\n"
    own.write_text(header + "egen,selv,Selvforsørget,(tom),Kommunen,Eget valg,,egen,\n"
                   "egen,syg,Sygedagpenge,890,Kommunen,Eget valg,,egen,\n", encoding="utf-8")
    con = connect()
    with pytest.raises(SIError, match="personer har uger med en kode, som ingen gruppe i kodegrupperingen har"):
        load_rows(con, WEEKS, CODES, load_grouping(str(own)))


# --------------------------------------------------------------------------- synthetic panels: DuckDB vs numpy


def numpy_measure(states: np.ndarray, start_pos: np.ndarray, groups: set[int], first: int, last: int) -> np.ndarray:
    """An independent computation: weeks in ``groups`` in the window, person by person, from the state arrays."""
    out = np.empty(len(states))
    for i, (row, s) in enumerate(zip(states, start_pos)):
        out[i] = np.isin(row[s + first : s + last + 1], list(groups)).sum()
    return out


def test_duckdb_measures_equal_an_independent_numpy_computation():
    s = generate(60, 60, seed=7)
    pos = s.start - s.first_week
    measures = [
        parse_measure({"id": "selv", "navn": "s", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52}),
        parse_measure({"id": "ydelse", "navn": "y", "type": "fuldtid", "gruppe": ["sundhed", "anden"], "fra": -20, "til": 30}),
        parse_measure({"id": "status", "navn": "st", "type": "status", "gruppe": "sundhed", "uge": 13}),
    ]
    got = report.measure_frames(s.wide_frame(), s.cohort_frame(), measures).values
    order = np.argsort(s.ids)  # the measures come back sorted by person id
    self_groups = {SELF, SELF_CODED}
    assert got["selv"].tolist() == numpy_measure(s.observed, pos, self_groups, 1, 52)[order].tolist()
    assert got["ydelse"] == pytest.approx(numpy_measure(s.observed, pos, {HEALTH, OTHER}, -20, 30)[order] / 51)
    assert got["status"].tolist() == numpy_measure(s.observed, pos, {HEALTH}, 13, 13)[order].tolist()


# --------------------------------------------------------------------------- effects


def true_effects(measures, seed=101, n=20_000):
    """The population effect from the potential outcomes of a large separate sample (same generator)."""
    s = generate(n, 0, seed=seed)
    y0 = report.measure_frames(s.wide_frame(s.y0), s.cohort_frame(), measures).values
    y1 = report.measure_frames(s.wide_frame(s.y1), s.cohort_frame(), measures).values
    return {m.id: float((y1[m.id] - y0[m.id]).mean()) for m in measures}


def test_the_interval_covers_the_true_effect_at_its_stated_level():
    """200 randomised trials of 100 + 100 persons: the 95 % intervals cover the true effect in 90–99 % of
    them (the binomial standard deviation of the coverage is sqrt(0.95 × 0.05 / 200) = 1.5 points)."""
    measures = [
        parse_measure({"id": "selv", "navn": "s", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52}),
        parse_measure({"id": "status", "navn": "st", "type": "status", "gruppe": "selvforsoerget", "uge": 26}),
    ]
    truth = true_effects(measures)
    trials, n = 200, 100
    s = generate(trials * n, trials * n, seed=202)
    values = report.measure_frames(s.wide_frame(), s.cohort_frame(), measures)
    # Persons are iid and assigned by position, so consecutive blocks of n are independent trials.
    treated = {m.id: values.values[m.id][values.arm == "indsats"] for m in measures}
    control = {m.id: values.values[m.id][values.arm == "kontrol"] for m in measures}
    for m in measures:
        covered = 0
        for t in range(trials):
            e = effects.independent_effect(treated[m.id][t * n:(t + 1) * n], control[m.id][t * n:(t + 1) * n])
            covered += e.lower <= truth[m.id] <= e.upper
        assert 0.90 <= covered / trials <= 0.99, (m.id, covered, truth[m.id])
    assert truth["selv"] > 3  # the generator's effect is a real one: several more weeks self-supported


def write_spec(folder: Path, spec: dict) -> Path:
    path = folder / "maaling.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_matching_removes_most_of_a_built_in_selection_bias(tmp_path):
    """The intervention group is creamed (selection on the latent employability); matching on the
    pre-period history and age brings the estimate close to the true effect on the treated."""
    s = generate(300, 0, 3000, selection=1.5, seed=5)
    s.write(tmp_path)
    measure = {"id": "selv", "navn": "s", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52}
    base = {"navn": "t", "panel": {"fil": "panel.parquet"}, "maal": [measure],
            "kohorte": {"fil": "kohorte.csv", "kovariater": ["alder"]}}
    matched = report.run(*report.load_file(write_spec(tmp_path, {**base, "sammenligning": {"metode": "matchning"}})))
    # True effect on the treated: Y1 − Y0 of the persons actually treated.
    y0 = report.measure_frames(s.wide_frame(s.y0), s.cohort_frame(), [parse_measure(measure)])
    y1 = report.measure_frames(s.wide_frame(s.y1), s.cohort_frame(), [parse_measure(measure)])
    t = y0.arm == "indsats"
    true_att = float((y1.values["selv"][t] - y0.values["selv"][t]).mean())
    naive = effects.independent_effect(y1.values["selv"][t], y0.values["selv"][y0.arm == "pulje"]).effect
    est = matched.measures[0].estimate.effect
    assert abs(naive - true_att) > 3  # the selection bias is real (weeks)
    assert abs(est - true_att) < 0.35 * abs(naive - true_att)
    assert matched.measures[0].estimate.lower <= true_att <= matched.measures[0].estimate.upper
    before = [abs(b.smd_before) for b in matched.balance]
    after = [abs(b.smd_after) for b in matched.balance]
    assert max(before) > 0.2 and max(after) < 0.1  # Austin (2009): |d| < 0.1 is balance
    assert [b.name for b in matched.balance][-1] == "alder"


def test_bootstrap_interval_agrees_with_the_analytic_one():
    rng = np.random.default_rng(3)
    y1, y0 = rng.normal(30, 10, 400), rng.normal(27, 10, 400)
    e = effects.independent_effect(y1, y0)
    lo, hi = effects.bootstrap_independent(y1, y0, 2000, 1)
    assert lo == pytest.approx(e.lower, abs=0.25) and hi == pytest.approx(e.upper, abs=0.25)


# --------------------------------------------------------------------------- design


def test_minimum_detectable_effect_of_the_issue_example():
    """120 vs 480 persons, 80 % power, 5 % level, baseline 0.5: z = 1.959964 + 0.841621 = 2.801585;
    δ solves δ = z sqrt((0.5+δ)(0.5−δ)/120 + 0.25/480): δ = 0.1385 (check: p1 = 0.6385,
    sqrt(0.6385 × 0.3615/120 + 0.25/480) = 0.049440, × 2.801585 = 0.13851) ≈ 14 percentage points."""
    d = design.mde_proportions(120, 480, 0.5)
    assert d == pytest.approx(0.13851, abs=5e-5)
    p1 = 0.5 + d
    assert d == pytest.approx(2.801585 * math.sqrt(p1 * (1 - p1) / 120 + 0.25 / 480), abs=1e-6)
    assert xl.SI_MDE(120, 480, 0.5) == d
    # Means: 2.801585 × 10 × sqrt(1/120 + 1/480) = 2.801585 × 10 × 0.1020621 = 2.85936 weeks.
    assert xl.SI_MDE_GENNEMSNIT(120, 480, 10) == pytest.approx(2.85936, abs=1e-5)
    # Sample size back: n0 = z² (p1 q1 / κ + p0 q0) / δ² with δ = 0.14, κ = 0.25:
    # 7.848879 × (0.64 × 0.36 / 0.25 + 0.25) / 0.0196 = 7.848879 × 1.1716 / 0.0196 = 469.17 → 470; n1 = 117.3 → 118.
    assert xl.SI_STIKPROEVE(0.14, 0.5, 0.25) == [[118, 470]]
    assert xl.SI_MDE(2, 2, 0.5) == "Fejl i n_indsats: grupperne er for små: ingen stigning op til en andel på 1 kan påvises"
    assert xl.SI_MDE(120, 480, 50) == ("Fejl i andel_kontrol: skal være en andel strengt mellem 0 og 1 (fx 0,3), ikke 50; "
                                      "skrev du 50 for 50 %? Skriv 0,50 eller 50 %")


@pytest.mark.parametrize("mde", [2.7e-256, 1e-300, 1e-7])
def test_a_tiny_difference_is_refused_not_a_division_by_zero(mde):
    """A sample size over 10^12 persons (or a d² that underflows to 0) is a Danish message naming mde.
    Hand check for 1e-7 with baseline 0.5: n0 = 7.848879 × (0.5 × 0.5 + 0.25) / 1e-14 ≈ 3.9 × 10^14 > 10^12."""
    expected = "Fejl i mde: er så lille"
    assert xl.SI_STIKPROEVE(mde, 0.5).startswith(expected)
    assert "1.000.000.000.000 personer" in xl.SI_STIKPROEVE(mde, 0.5)
    with pytest.raises(design.SIError, match="mde"):
        design.sample_size_means(mde, 10)


def test_mde_equals_libreoffice_for_means(libreoffice):
    got = libreoffice({"A1": "=(NORMSINV(1-(1-0.95)/2)+NORMSINV(0.8))*10*SQRT(1/120+1/480)"})
    assert got["A1"] == pytest.approx(xl.SI_MDE_GENNEMSNIT(120, 480, 10), abs=1e-9)


def test_measured_effect_function_and_its_suppression():
    # Hand: means 3.5 and 2; variances (ddof 1) 3.5 and 0.8; se = sqrt(3.5/6 + 0.8/6) = 0.846562;
    # 1.5 ∓ 1.959964 × 0.846562 = [−0.15923, 3.15923].
    got = xl.SI_MAALT_EFFEKT([[1], [2], [3], [4], [5], [6]], [[1], [1], [2], [2], [3], [3]])
    assert got[0][:3] == pytest.approx([1.5, -0.15923, 3.15923], abs=1e-5) and got[0][3:] == [6, 6]
    assert xl.SI_MAALT_EFFEKT([[1], [2], [3], [4]], [[1], [1], [2], [2], [3]]).startswith("Fejl i vaerdier_indsats: har under 5 personer")
    # 0/1 values: 3 persons with 1 among 20 is a small cell, so the share is not shown.
    assert xl.SI_MAALT_EFFEKT([[1]] * 3 + [[0]] * 17, [[1]] * 10 + [[0]] * 10).startswith("Fejl i vaerdier_indsats")


# --------------------------------------------------------------------------- privacy


def test_suppression_rules():
    assert privacy.partition({"med": 3, "uden": 40}) == {"med": None, "uden": None}  # 40 would reveal 43 − 40
    assert privacy.partition({"a": 2, "b": 30, "c": 9}) == {"a": None, "b": 30, "c": None}
    s = privacy.safe_summary(np.array([1.0] * 4 + [0.0] * 30))
    assert s["n"] == 34 and s["med"] is None and s["uden"] is None and s["gennemsnit"] is None


def all_counts(obj, key=""):
    """Every (key, value) pair of a report dict whose key names a count of persons."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from all_counts(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from all_counts(v, key)
    elif key in ("n", "med", "uden", "indsats", "kontrol", "historisk", "pulje") and isinstance(obj, int):
        yield key, obj


def small_trial(folder: Path, n_treated: int) -> Path:
    generate(n_treated, 60, seed=9).write(folder)
    return write_spec(folder, {
        "navn": "lille", "case": str(CASE), "panel": {"fil": "panel.parquet"}, "kohorte": {"fil": "kohorte.csv"},
        "maal": [{"id": "selv", "navn": "s", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 52},
                 {"id": "st", "navn": "st", "type": "status", "gruppe": "selvforsoerget", "uge": 52},
                 {"id": "syg", "navn": "f", "type": "fuldtid", "gruppe": "sundhed", "fra": 1, "til": 52}],
        "betaling": [{"resultatmaal": "merbeskaeftigelse", "maal": "selv"},
                     {"resultatmaal": "faerre_helaarspersoner", "maal": "syg", "skala": "i_alt", "fortegn": -1}],
    })


def test_no_output_counts_fewer_than_5_persons(tmp_path, capsys):
    spec, base = report.load_file(small_trial(tmp_path, 4))
    with pytest.raises(SIError, match="målingen er undertrykt"):
        report.run(spec, base)  # a payment on 4 persons cannot be published
    spec_no_case = spec.model_copy(update={"case": None, "betaling": []})
    result = report.run(spec_no_case, base)
    assert result.counts["indsats"] is None and all(r.estimate is None for r in result.measures)
    counts = list(all_counts(result.to_dict()))
    assert counts and all(v >= privacy.MIN_PERSONS for _, v in counts)
    # The report workbook shows the suppressed figures as "< 5" too.
    ws = measurement_sheet.build(result)[0][measurement_sheet.SHEET]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    effect_rows = [r for r in rows if r[0] in ("selv", "st", "syg") and r[1] != 1]
    assert len(effect_rows) == 3 and all(r[1] == "< 5" and r[3] == "< 5" and r[5] == "< 5" for r in effect_rows)
    # A larger trial: every count shown is at least 5, and no person id appears anywhere.
    spec, base = report.load_file(small_trial(tmp_path / "stor", 40))
    result = report.run(spec, base)
    counts = list(all_counts(result.to_dict()))
    assert ("n", 40) in counts and all(v >= privacy.MIN_PERSONS for _, v in counts)
    assert cli.main(["maal", str(tmp_path / "stor" / "maaling.yaml"), "--json"]) == 0
    out = capsys.readouterr().out
    assert "P00" not in out and json.loads(out)["antal"] == {"indsats": 40, "kontrol": 60}


# --------------------------------------------------------------------------- payments end to end


def linear(achieved, target, payment):
    return min(payment, payment * max(0.0, achieved / target))


def test_measured_case_gives_payments_and_settlement_end_to_end(tmp_path, capsys):
    write_example(tmp_path, CASE)
    spec, base = report.load_file(tmp_path / "maaling.yaml")
    result = report.run(spec, base)
    effect = {r.measure.id: r.estimate.effect for r in result.measures}
    # The Sygedagpenge case: linear from 0 to 15 weeks (1,610,884.35 kr.) and from 0 to 144 fewer
    # full-time persons (5,789,115.65 kr.), both paid in year 2.  Fewer full-time persons =
    # −(effect on the share of weeks on the health benefit) × 120 persons.
    weeks = effect["uger_selvforsoerget"]
    fewer = -effect["fuldtid_sundhed"] * 120
    expected = linear(weeks, 15, 1_610_884.35) + linear(fewer, 144, 5_789_115.65)
    assert result.payments == pytest.approx([0.0, 0.0, expected])
    assert result.settlement.bonus == pytest.approx(expected - 6_200_000)
    # The settlement's savings are the measured situation's, not the 29.4 mio. kr. at full success: the case
    # expects 6,400,000.08 kr. from 15 weeks and 22,999,999.9968 kr. from 144 fewer full-time persons (its
    # effects at net success rate 1); each scales with the measured effect over the case's value.
    savings = 6_400_000.08 * weeks / 15 + 22_999_999.9968 * fewer / 144
    assert 4_000_000 < savings < 6_000_000  # about 0.38 and 0.10 of the case's effects
    assert result.settlement.total_savings == pytest.approx(savings, rel=1e-12)
    assert result.settlement.net_saving == pytest.approx(savings - expected, rel=1e-12)
    assert result.savings_basis.scales["merbeskaeftigelse"][:2] == (pytest.approx(weeks / 15), "merbeskaeftigelse")
    # The command line prints the same payment in whole kr. and writes the report workbook.
    assert cli.main(["maal", str(tmp_path / "maaling.yaml"), "-o", str(tmp_path / "rapport.xlsx")]) == 0
    out = capsys.readouterr().out
    assert f"år 2: {cli.kroner(expected)}" in out and "Afregning:" in out
    assert all(",00" not in line for line in out.splitlines() if "betaling" in line.lower())  # whole kr.
    assert re.search(rf"Betalers besparelser +{re.escape(cli.kroner(savings))}\n", out)
    assert "Afregningens besparelser gælder den målte situation" in out
    assert f"  15 ugers merbeskæftigelse for de 120 sygemeldte: {weeks / 15 * 100:.1f} %\n".replace(".", ",") in out
    data = json.loads((cli.main(["maal", str(tmp_path / "maaling.yaml"), "--json"]), capsys.readouterr().out)[1])
    assert data["afregning"]["besparelser"] == pytest.approx(savings, abs=0.005)  # JSON: kr. to the øre (rounding.by_unit)
    assert round(data["afregning"]["besparelser"], 2) == data["afregning"]["besparelser"]
    assert data["afregningens_besparelser"]["effekter"]["faerre_helaarspersoner"]["forhold"] == pytest.approx(fewer / 144)
    # The contract's target against the minimum detectable effect, in the metric's unit (weeks; for
    # fewer full-time persons the MDE of the share of weeks × 120 persons).
    mde = {r.measure.id: r.mde for r in result.measures}
    assert f"merbeskaeftigelse: målet 15 mod en mindste påviselige effekt på {mde['uger_selvforsoerget']:.3g}".replace(".", ",") in out
    per, total = (f"{x:.3g}".replace(".", ",") for x in (mde["fuldtid_sundhed"], mde["fuldtid_sundhed"] * 120))
    assert f"faerre_helaarspersoner: målet 144 mod en mindste påviselige effekt på {per} pr. deltager × 120 målte = {total}" in out
    assert cli.main(["maal", str(tmp_path / "maaling.yaml"), "-o", str(tmp_path / "rapport.xlsx")]) == 2
    assert "brug --overwrite" in capsys.readouterr().err


def test_measured_savings_scale_each_effect_by_the_measured_effect_over_the_cases():
    from udfs.core.casefile import load_business_case as load_case
    from udfs.core.published import measured_savings

    case = load_case(CASE)
    # By hand: 6 weeks against the case's 15 is r = 0.4, 72 fewer full-time persons against 144 is r = 0.5;
    # the case expects 6,400,000.08 and 22,999,999.9968 kr. (both in years 1 and 2, half each).
    basis = measured_savings(case, {"merbeskaeftigelse": 6.0, "faerre_helaarspersoner": 72.0})
    assert basis.reason is None
    assert sum(basis.savings) == pytest.approx(0.4 * 6_400_000.08 + 0.5 * 22_999_999.9968, rel=1e-12)
    assert basis.savings[0] == 0 and basis.savings[1] == pytest.approx(basis.savings[2], rel=1e-12)
    assert basis.scales["faerre_helaarspersoner"] == (pytest.approx(0.5), "faerre_helaarspersoner", 144.0)
    # A suppressed effect: no savings, with the reason.
    assert measured_savings(case, {"merbeskaeftigelse": None, "faerre_helaarspersoner": 72.0}).savings is None


def test_settlement_leaves_savings_out_when_the_measurement_cannot_scale_them(tmp_path, capsys):
    write_example(tmp_path, CASE)
    # The case expects no net effect on fewer full-time persons (success rate 0 = its deadweight 0): a measured
    # 14.5 fewer persons cannot be set against 0, so no savings line, no net saving, and the note says why.
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    effect = next(e for e in case["effekter"] if e["id"] == "faerre_helaarspersoner")
    effect["succesrate"] = {"vaerdi": 0, "antagelse": "test: ingen forventet effekt"}
    (tmp_path / CASE.name).write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    spec, base = report.load_file(tmp_path / "maaling.yaml")
    result = report.run(spec, base)
    assert result.settlement.savings is None and result.settlement.net_saving is None
    labels = [label for label, _ in result.settlement.rows()]
    assert "Besparelser" not in labels and "Betalers nettobesparelse" not in labels and "Investors bonus" in labels
    reason = "casen forventer 0 for 'faerre_helaarspersoner', så målingen kan ikke sættes i forhold til casen"
    assert result.savings_basis.reason == reason
    assert cli.main(["maal", str(tmp_path / "maaling.yaml")]) == 0
    out = capsys.readouterr().out
    assert "nettobesparelse  " not in out and "Besparelser  " not in out
    assert f"Afregningen viser ingen besparelser og ingen nettobesparelse, fordi\n{reason}.\n" in out
    assert cli.main(["maal", str(tmp_path / "maaling.yaml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "besparelser" not in data["afregning"] and "bonus" in data["afregning"] and data["afregningens_besparelser"]["udeladt_fordi"] == reason
    ws = measurement_sheet.build(result)[0][measurement_sheet.SHEET]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t.startswith(("Besparelser", "Betalers nettobesparelse")) for t in texts)
    assert any(t.startswith("Afregningen viser ingen besparelser") for t in texts)


def test_report_workbook_agrees_with_libreoffice(tmp_path, soffice):
    write_example(tmp_path, CASE)
    # Also a contract cap and a return floor, so those formulas are checked too.
    case = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    case["betalingsmodel"]["loft_kontrakt"] = 1_000_000
    case["afkastgulv"] = -0.6
    (tmp_path / CASE.name).write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
    spec, base = report.load_file(tmp_path / "maaling.yaml")
    result = report.run(spec, base)
    # Hand: the cap cuts year 2 to 1,000,000; the floor tops it up to 6,200,000 × (1 − 0.6) = 2,480,000.
    assert result.payments[2] == pytest.approx(1_000_000) and result.settlement.payments[2] == pytest.approx(2_480_000)
    wb, expected = measurement_sheet.build(result)
    src = tmp_path / "in" / "rapport.xlsx"
    src.parent.mkdir()
    wb.save(src)
    values = openpyxl.load_workbook(recalculate(src, tmp_path / "out"), data_only=True)[measurement_sheet.SHEET]
    assert len(expected) >= 25
    for address, value in expected.items():
        assert values[address].value == pytest.approx(value, rel=1e-9, abs=1e-6), address
    texts = [c.value for row in values.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(t.startswith("P0") for t in texts)


def test_measurement_file_errors_are_danish_and_named(tmp_path):
    with pytest.raises(SIError) as err:
        parse_measurement_file({"navn": "x", "panel": {"fil": "p.csv"}, "kohorte": {"fil": "k.csv"},
                                "maal": [{"id": "a", "navn": "a", "type": "uger", "gruppe": "selvforsoerget", "fra": 5, "til": 1}]})
    assert err.value.danish == "Fejl i maal[0].til: er 1, men skal være mindst fra (5)"  # the path as in the file
    with pytest.raises(SIError) as err:
        parse_measurement_file({"navn": "x", "panel": {"fil": "p.csv"}, "kohorte": {"fil": "k.csv"},
                                "maal": [{"id": "a", "navn": "a", "type": "status", "gruppe": "selvforsoerget", "uge": 1}],
                                "betaling": [{"resultatmaal": "m", "maal": "b"}]})
    assert err.value.danish == "Fejl i betaling[0].maal: ukendt mål 'b'; kendte: a"
    assert cli.main(["maal", str(tmp_path / "findes_ikke.yaml")]) == 2


def test_sibc_maal_names_the_cohort_files_cell_not_the_measurement_files_line(tmp_path, capsys):
    """The user trial's finding: a bad group value in the cohort CSV was named 'kohorte.gruppe (linje 5)', a line
    of the measurement file; it is named by the CSV's file, row (the header is row 1: P2 is row 3) and column."""
    to_file(wide_frame(), tmp_path / "panel.csv")
    danish_excel_csv(cohort_frame(["indsats", "behandlet", "kontrol", "kontrol", "kontrol"]), tmp_path / "kohorte.csv")
    measure = {"id": "selv", "navn": "s", "type": "uger", "gruppe": "selvforsoerget", "fra": 1, "til": 4}
    write_spec(tmp_path, {"navn": "t", "panel": {"fil": "panel.csv", "format": "bred"}, "maal": [measure],
                          "kohorte": {"fil": "kohorte.csv"}})
    capsys.readouterr()
    assert cli.main(["maal", str(tmp_path / "maaling.yaml")]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("Fejl i ")]
    assert lines == ["Fejl i filen kohorte.csv, række 3, kolonne gruppe: 'behandlet' er ikke en af: indsats, kontrol, historisk, pulje"]
