"""Issue 12, command-line leftovers: every independent error of a case file or a measurement file at once,
each named by its path in the file and its line; a what-if names the inputs it changed from the case as
published.  Each table row: an edit of a shipped file → the Danish line expected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from udfs.core.casefile import load_business_case, read_case_file
from udfs.core.case_model import parse_case
from udfs.core.errors import SIError
from udfs.core.files import field_line
from udfs.core.measurement.definitions import parse_measurement_file
from udfs.core.measurement.link import Measured, metric_values
from udfs.core.published import changed_inputs, input_values, reproduction, deviations
from workbooks.cli import MAX_LISTED, main

CASES = Path(__file__).resolve().parents[1] / "workbooks" / "cases"
JOB = (CASES / "job_til_mor.yaml").read_text(encoding="utf-8")


def edited(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        assert text.count(old) >= 1, old
        text = text.replace(old, new, 1)
    return text


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of the first line holding ``fragment`` (the hand count of the expected line)."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


# Five independent errors in one copy of Job til mor: a text for a number, an unknown unit price, a share of 40,
# a maaling entry for a metric the payment model does not have, and a maaling link to an effect the case lacks.
FIVE = (
    ("horisont: 5", "horisont: fem"),
    ("  enhedspris: skolefravaer_pris", "  enhedspris: skolefravaer_prs"),
    ("    vaerdi: 0.4\n", "    vaerdi: 40\n"),
    ("maaling:\n", "maaling:\n  ukendt_maal:\n    effekt: skolefravaer\n"),
    ("    effekt: skolefravaer\n    maal: andel", "    effekt: skolefravr\n    maal: andel"),
)


def test_every_independent_error_of_a_case_file_is_reported_at_once_in_the_files_order(tmp_path, capsys):
    text = edited(JOB, *FIVE)
    path = tmp_path / "fem_fejl.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["calc", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    want = [
        f"Fejl i horisont (linje {line_of(text, 'horisont: fem')}): skal være et helt tal, ikke 'fem' (fil: fem_fejl.yaml)",
        f"Fejl i effekt 2 (skolefravaer), enhedspris (linje {line_of(text, 'skolefravaer_prs')}): ukendt enhedspris "
        "'skolefravaer_prs'; mente du 'skolefravaer_pris'? se SI_ENHEDSPRISER eller sibc catalogue for gyldige id'er (fil: fem_fejl.yaml)",
        f"Fejl i effekt 2 (skolefravaer), succesrate (linje {line_of(text, 'vaerdi: 40')}): skal ligge mellem 0 og 1, ikke 40; "
        "skrev du 40 for 40 %? Skriv 0,40 eller 40 % (fil: fem_fejl.yaml)",
        f"Fejl i maaling.ukendt_maal (linje {line_of(text, 'ukendt_maal:')}): ukendt resultatmål 'ukendt_maal'; kendte: "
        "merbeskaeftigelse, skolefravaer (fil: fem_fejl.yaml)",
        f"Fejl i maaling.skolefravaer.effekt (linje {line_of(text, 'effekt: skolefravr')}): ukendt effekt 'skolefravr' "
        "(mente du 'skolefravaer'?) (fil: fem_fejl.yaml)",
    ]
    assert lines == want


# One row per kind: (edits, field as the message names it, the line's fragment, message part).  The rules across
# fields (unit price, maaling, published savings, lengths) are found beside a field error elsewhere in the file.
BESIDE = ("prisaar:\n  vaerdi: 2024", "prisaar:\n  vaerdi: totusind")  # a field error the others do not depend on
KINDS = [
    ((("  enhedspris: merbeskaeftigelse_pris", "  enhedspris: ukendt_pris"),), "effekt 1 (merbeskaeftigelse), enhedspris",
     "ukendt_pris", "ukendt enhedspris 'ukendt_pris'"),
    ((("    effekt: merbeskaeftigelse\n", "    effekt: ingen\n"),), "maaling.merbeskaeftigelse.effekt", "effekt: ingen",
     "ukendt effekt 'ingen'; casens effekter: merbeskaeftigelse, skolefravaer"),
    ((("maaling:\n", "maaling:\n  job:\n    effekt: skolefravaer\n"),), "maaling.job", "  job:", "ukendt resultatmål 'job'"),
    ((("    merbeskaeftigelse: 7.2", "    merbeskaeftigelse: 7.2\n    ukendt: 1.0"),), "offentliggjort.besparelser",
     "  besparelser:", "ukendt effekt 'ukendt'"),
    ((("    vaerdi: [0, -0.25, -0.25, -0.25, -0.25]\n    antagelse: '1 samlet",
       "    vaerdi: [0, -0.25, -0.25, -0.25, -0.25, -0.1]\n    antagelse: '1 samlet"),),
     "effekt 1 (merbeskaeftigelse), profil", "-0.25, -0.1]", "har 6 år, men horisonten er 5 år"),
    ((("    aar: 2\n", "    aar: 7\n"),), "resultatmål 2 (skolefravaer), aar", "aar: 7", "år 7 ligger efter horisonten (år 0–4)"),
]


@pytest.mark.parametrize(("edits", "field", "fragment", "message"), KINDS)
def test_a_rule_across_fields_is_reported_beside_a_field_error(edits, field, fragment, message, tmp_path):
    text = edited(JOB, BESIDE, *edits)
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SIError) as err:
        read_case_file(path)
    found = [e.danish for e in (err.value, *err.value.others)]
    assert found[0] == f"Fejl i prisaar (linje {line_of(text, 'totusind')}): skal være et helt tal, ikke 'totusind'"
    assert any(e.startswith(f"Fejl i {field} (linje {line_of(text, fragment)}): {message}") for e in found), found
    assert len(found) == 2, found


def test_a_rule_that_depends_on_a_broken_field_is_not_reported():
    # horisont is broken: the profile's length cannot be judged (a spurious "har 5 år, men horisonten er …" must not follow)
    data = load_business_case(CASES / "job_til_mor.yaml").model_dump(mode="json")
    data["horisont"] = "fem"
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert [e.argument for e in (err.value, *err.value.others)] == ["horisont"]
    # effect 1 is broken in its success rate only: its unit price is still checked, its other rules too
    data = load_business_case(CASES / "job_til_mor.yaml").model_dump(mode="json")
    data["effekter"][0]["succesrate"] = "høj"
    data["effekter"][0]["enhedspris"] = "findes_ikke"
    with pytest.raises(SIError) as err:
        parse_case(data)
    assert [e.argument for e in (err.value, *err.value.others)] == ["effekter[0].succesrate", "effekter[0].enhedspris"]


def test_at_most_a_stated_number_of_errors_then_how_many_more(tmp_path, capsys):
    # 14 cost lines with a text for their first year's amount: 10 listed, then "… og 4 fejl mere"
    lines = ["navn: mange fejl", "prisaar: 2024", "horisont: 3", "deltagere: [10]", "indsats:"]
    lines += [f"- navn: drift {k}\n  pr_aar: [mange]" for k in range(1, 15)]
    lines += ["effekter:", "- id: job", "  navn: job", "  enhedspris: kontanthjaelp_30plus_ikke_forsoerger_uge",
              "  profil: [-1]", "  succesrate: 0.2"]
    (tmp_path / "mange.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["calc", str(tmp_path / "mange.yaml")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == MAX_LISTED + 1 == 11
    assert err[0] == "Fejl i omkostning 1 (drift 1), pr_aar, år 0 (linje 7): skal være et tal, ikke 'mange' (fil: mange.yaml)"
    assert err[-1] == "Fejl i mange.yaml: … og 4 fejl mere"


@pytest.mark.parametrize(("path", "line"), [
    ("horisont", 16),                        # a plain value: its own line
    ("deltagere", 18),                       # a sourced value: the line of its vaerdi
    ("effekter[1].succesrate", 92),          # in a list of effects, through a sourced value
    ("effekter[1].findes_ikke", 83),         # a field the file does not have: the nearest part that it has
    ("maaling.skolefravaer.effekt", 133),
    ("offentliggjort.besparelser", 139),
    ("ikke_et_felt", None),
])  # fmt: skip
def test_the_line_of_a_field_in_job_til_mor(path, line):
    # counted by hand in workbooks/cases/job_til_mor.yaml
    assert field_line(JOB, path) == line


# --------------------------------------------------------------------------- the path of a maaling or betaling link

ALLE = (CASES / "eksempel_alle_myndigheder.yaml").read_text(encoding="utf-8")

# (edit of eksempel_alle_myndigheder.yaml, the field as the message names it, its line's fragment, the message's start)
MAALING = [
    (("  job:\n    effekt: job\n", "  job:\n    effekt: jobb\n"), "maaling.job.effekt", "effekt: jobb",
     "ukendt effekt 'jobb' (mente du 'job'?)"),
    (("    - effekt: kriminalitet\n", "    - effekt: krim\n"), "maaling.kriminalitet[0].effekt", "effekt: krim",
     "ukendt effekt 'krim'; casens effekter: job, behandling, kriminalitet"),  # a rate card's list: the position in the list, never the metric alone
    (("    - effekt: kriminalitet\n      maal: antal\n", "    - maal: antal\n"), "maaling.kriminalitet[0].effekt", "- maal: antal",
     "mangler (kun besparelse kan måles på alle effekter)"),
    (("  behandling:\n    effekt: behandling\n    maal: andel\n", "  behandling:\n    effekt: behandling\n    maal: besparelse\n"),
     "maaling.behandling.maal", "maal: besparelse", "besparelsesandel måles som besparelse, de andre regler ikke"),
    (("  besparelse:\n    maal: besparelse\n", "  besparelse:\n    maal: besparelse\n  jobb:\n    effekt: job\n"),
     "maaling.jobb", "  jobb:", "ukendt resultatmål 'jobb' (mente du 'job'?)"),
    (("  job:\n    effekt: job\n    maal: antal\n", ""), "maaling", "maaling:", "mangler en måling for resultatmålet 'job'"),
]  # fmt: skip


@pytest.mark.parametrize(("edit", "field", "fragment", "message"), MAALING)
def test_a_maaling_link_is_named_by_its_path_in_the_case_file(edit, field, fragment, message, tmp_path):
    text = edited(ALLE, edit)
    (tmp_path / "a.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SIError) as err:
        read_case_file(tmp_path / "a.yaml")
    found = [e.danish for e in (err.value, *err.value.others)]
    assert found == [f"Fejl i {field} (linje {line_of(text, fragment)}): {message}"], found


def _measurement_file(**changes) -> dict:
    data = {"navn": "x", "case": "c.yaml", "panel": {"fil": "p.csv"}, "kohorte": {"fil": "k.csv"},
            "maal": [{"id": "a", "navn": "a", "type": "status", "gruppe": "selvforsoerget", "uge": 1},
                     {"id": "b", "navn": "b", "type": "status", "gruppe": "selvforsoerget", "uge": 2}],
            "betaling": [{"resultatmaal": "m", "maal": "a"}, {"resultatmaal": "n", "maal": "b"}]}
    return data | changes


BETALING = [
    (_measurement_file(betaling=[{"resultatmaal": "m", "maal": "a"}, {"resultatmaal": "n", "maal": "bb"}]),
     ["Fejl i betaling[1].maal: ukendt mål 'bb' (mente du 'b'?); kendte: a, b"]),
    (_measurement_file(betaling=[{"resultatmaal": "m", "maal": "x"}, {"resultatmaal": "n", "maal": "y"}]),
     ["Fejl i betaling[0].maal: ukendt mål 'x'; kendte: a, b", "Fejl i betaling[1].maal: ukendt mål 'y'; kendte: a, b"]),
    (_measurement_file(case=None), ["Fejl i case: mangler (betaling kræver en case-fil med betalingsmodel)"]),
    (_measurement_file(maal=[{"id": "a", "navn": "a", "type": "status", "gruppe": "g", "uge": 1}] * 2),
     ["Fejl i maal[1].id: id 'a' bruges mere end én gang (også af maal[0])", "Fejl i betaling[1].maal: ukendt mål 'b'; kendte: a, a"]),
    (_measurement_file(betaling=[{"resultatmaal": "m", "maal": "a", "skala": "alle"}]),
     ["Fejl i betaling[0].skala: skal være en af: pr_deltager, i_alt, pr_person, ikke 'alle'"]),
    ([1, 2], ["Fejl i maalefil: skal være en tabel af felter (YAML/JSON-objekt), ikke en enkelt værdi eller liste"]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "messages"), BETALING)
def test_a_measurement_files_errors_name_the_path_in_the_file_all_at_once(data, messages):
    with pytest.raises(SIError) as err:
        parse_measurement_file(data)
    assert [e.danish for e in (err.value, *err.value.others)] == messages


SYGEDAGPENGE = load_business_case(CASES / "sygedagpenge.yaml").betalingsmodel  # metrics merbeskaeftigelse, faerre_helaarspersoner
SHOWN = Measured(level=20.0, effect=5.0, lower=2.0, n_treated=120)
HIDDEN = Measured(level=None, effect=None, lower=None, n_treated=3)


@pytest.mark.parametrize(("links", "measured", "message"), [
    ([("merbeskaeftigelse", "a"), ("faerre_helarspersoner", "b")], {"a": SHOWN, "b": SHOWN},
     "Fejl i betaling[1].resultatmaal: ukendt resultatmål 'faerre_helarspersoner' i case-filens betalingsmodel "
     "(mente du 'faerre_helaarspersoner'?); kendte: merbeskaeftigelse, faerre_helaarspersoner"),
    ([("merbeskaeftigelse", "a"), ("merbeskaeftigelse", "b")], {"a": SHOWN, "b": SHOWN},
     "Fejl i betaling[1].resultatmaal: 'merbeskaeftigelse' har mere end én måling"),
    ([("merbeskaeftigelse", "a"), ("faerre_helaarspersoner", "b")], {"a": SHOWN, "b": HIDDEN},
     "Fejl i betaling[1].maal: målingen er undertrykt (under 5 personer), så betalingen kan ikke beregnes"),
    ([("merbeskaeftigelse", "a")], {"a": SHOWN}, "Fejl i betaling: resultatmålet 'faerre_helaarspersoner' har ingen måling"),
])  # fmt: skip
def test_a_betaling_link_is_named_by_its_path_in_the_measurement_file(links, measured, message):
    from udfs.core.measurement.definitions import PaymentLink

    with pytest.raises(SIError) as err:
        metric_values(SYGEDAGPENGE, [PaymentLink(resultatmaal=m, maal=a) for m, a in links], measured)
    assert err.value.danish == message


def test_sibc_maal_names_the_line_in_the_measurement_file_and_the_case_file(tmp_path, capsys):
    assert main(["maal", str(tmp_path), "--lav-eksempel"]) == 0
    spec = (tmp_path / "maaling.yaml").read_text(encoding="utf-8")
    bad = edited(spec, ("  maal: uger_selvforsoerget", "  maal: uger_selvforsorget"))
    (tmp_path / "m.yaml").write_text(bad, encoding="utf-8")
    capsys.readouterr()
    assert main(["maal", str(tmp_path / "m.yaml")]) == 2
    assert capsys.readouterr().err.splitlines()[0].startswith(
        f"Fejl i betaling[0].maal (linje {line_of(bad, 'uger_selvforsorget')}): ukendt mål 'uger_selvforsorget' (mente du 'uger_selvforsoerget'?)")
    case = edited((tmp_path / "sygedagpenge.yaml").read_text(encoding="utf-8"), ("    effekt: merbeskaeftigelse\n", "    effekt: merbesk\n"))
    (tmp_path / "syg.yaml").write_text(case, encoding="utf-8")
    (tmp_path / "m2.yaml").write_text(edited(spec, ("case: sygedagpenge.yaml", "case: syg.yaml")), encoding="utf-8")
    assert main(["maal", str(tmp_path / "m2.yaml")]) == 2
    err = capsys.readouterr().err.splitlines()
    # every error of the measurement, each a line of its own (no heading line before them)
    assert err == [f"Fejl i case-filen syg.yaml, maaling.merbeskaeftigelse.effekt (linje {line_of(case, 'effekt: merbesk')}): "
                       "ukendt effekt 'merbesk'; casens effekter: merbeskaeftigelse, faerre_helaarspersoner"], err
    (tmp_path / "m3.yaml").write_text(edited(spec, ("case: sygedagpenge.yaml", "case: findes.yaml")), encoding="utf-8")
    assert main(["maal", str(tmp_path / "m3.yaml")]) == 2
    assert capsys.readouterr().err.splitlines() == ["Fejl i case (linje 3): filen 'findes.yaml' findes ikke"]


def test_sibc_maal_reports_a_broken_case_file_before_reading_the_panel(tmp_path, capsys):
    """A measurement whose case file has two errors and whose panel does not exist: the case file's errors,
    both at once with their lines, and exit 2; the missing panel is not what is reported (it is never read)."""
    assert main(["maal", str(tmp_path), "--lav-eksempel"]) == 0
    spec = (tmp_path / "maaling.yaml").read_text(encoding="utf-8")
    case = edited((tmp_path / "sygedagpenge.yaml").read_text(encoding="utf-8"),
                  ("    effekt: merbeskaeftigelse\n", "    effekt: merbesk\n"), ("horisont: 3", "horisont: tre"))
    (tmp_path / "syg.yaml").write_text(case, encoding="utf-8")
    panel = line_of(spec, "fil: ")  # the panel's file: the first fil in the measurement file
    lines = spec.splitlines()
    lines[panel - 1] = lines[panel - 1].split("fil: ")[0] + "fil: findes_ikke.csv"
    broken = edited("\n".join(lines) + "\n", ("case: sygedagpenge.yaml", "case: syg.yaml"))
    (tmp_path / "m.yaml").write_text(broken, encoding="utf-8")
    capsys.readouterr()
    assert main(["maal", str(tmp_path / "m.yaml")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"Fejl i case-filen syg.yaml, horisont (linje {line_of(case, 'horisont: tre')}): skal være et helt tal, ikke 'tre'",
                       f"Fejl i case-filen syg.yaml, maaling.merbeskaeftigelse.effekt (linje {line_of(case, 'effekt: merbesk')}): "
                       "ukendt effekt 'merbesk'; casens effekter: merbeskaeftigelse, faerre_helaarspersoner"], err
    assert "findes_ikke" not in "\n".join(err)


# --------------------------------------------------------------------------- a what-if names the inputs it changed

PUBLISHED = ["sygedagpenge.yaml", "job_til_mor.yaml", "arbejdspladser_i_trivsel.yaml"]


@pytest.mark.parametrize("name", PUBLISHED)
def test_a_shipped_published_case_reproduces_its_figures_and_says_no_input_differs(name, capsys):
    case = load_business_case(CASES / name)
    assert deviations(reproduction(case)) == []  # the inputs as shipped are the inputs as published
    assert changed_inputs(case, case) == []
    assert main(["calc", str(CASES / name)]) == 0
    assert f"  Ingen forudsætninger afviger fra casen som offentliggjort ({name})." in capsys.readouterr().out.splitlines()


def test_a_what_if_names_each_input_it_changed_with_its_value_now_and_as_published(tmp_path, capsys):
    text = edited(JOB, ("    vaerdi: 0.4\n", "    vaerdi: 0.3\n"), ("horisont: 5", "horisont: 6"),
                  ("navn: Job til mor\n", "navn: Job til mor – hvad nu hvis\n"))  # a new name is not an input of the figures
    (tmp_path / "hvis.yaml").write_text(text, encoding="utf-8")
    assert main(["calc", str(tmp_path / "hvis.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    k = out.index("  Forudsætninger, der afviger fra casen som offentliggjort (job_til_mor.yaml):")
    assert [line.split() for line in out[k + 1:k + 4]] == [
        ["Felt", "Nu", "Offentliggjort"], ["horisont", "6", "5"], ["effekt", "2", "(skolefravaer),", "succesrate", "0,3", "0,4"]]
    assert "Casen afviger fra de offentliggjorte tal" in "\n".join(out)
    assert main(["calc", str(tmp_path / "hvis.yaml"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["forudsaetninger_mod_offentliggjort"] == [
        {"felt": "horisont", "nu": 6, "offentliggjort": 5},
        {"felt": "effekt 2 (skolefravaer), succesrate", "nu": 0.3, "offentliggjort": 0.4}]


def test_a_changed_profile_unit_price_and_payment_are_named(tmp_path):
    case = load_business_case(CASES / "job_til_mor.yaml")
    data = case.model_dump(mode="json")
    data["effekter"][0]["profil"] = [0, -0.5, -0.5]
    data["egne_priser"][1]["beloeb"] = 50000
    data["betalingsmodel"]["resultatmaal"][0]["regel"]["betaling_ved_maal"] = 4000000
    rows = changed_inputs(parse_case(data), case)
    assert rows == [
        ("egen pris 2 (skolefravaer_pris), beloeb", 50000.0, 61111.1111),
        ("effekt 1 (merbeskaeftigelse), profil", [0.0, -0.5, -0.5], [0.0, -0.25, -0.25, -0.25, -0.25]),
        ("resultatmål 1 (merbeskaeftigelse), regel.betaling_ved_maal", 4000000.0, 4857831.33),
    ]


def test_the_compared_inputs_are_numbers_ids_and_choices_not_descriptions():
    values = input_values(load_business_case(CASES / "job_til_mor.yaml"))
    assert values["effekter[0].enhedspris"] == "merbeskaeftigelse_pris" and values["indsats[0].betaler"] == "investor"
    assert values["deltagere"] == [45.0] and values["effekter[1].succesrate"] == 0.4
    assert "navn" not in values and "effekter[0].navn" not in values and not any(k.startswith(("kilder", "offentliggjort")) for k in values)


def test_a_case_whose_published_figures_are_not_shipped_says_so(tmp_path, capsys):
    text = edited(JOB, ("  investering: 4.4", "  investering: 4.5"))  # another publication: no shipped case holds it
    (tmp_path / "egen.yaml").write_text(text, encoding="utf-8")
    assert main(["calc", str(tmp_path / "egen.yaml")]) == 0
    assert "Casen som offentliggjort er ikke blandt de medfølgende cases, så ændrede forudsætninger kan ikke vises." in \
        " ".join(capsys.readouterr().out.split())
