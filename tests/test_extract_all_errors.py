"""``extract`` (and ``check``) report every refused cell of a workbook at once, each named by sheet,
cell and label, effects numbered as the workbook numbers them -- as a case file's errors are."""

from __future__ import annotations

import pytest

from udfs.core.casefile import load_business_case
from udfs.core.errors import SIError
from workbooks import book
from workbooks.cli import example_cases, main
from workbooks.layout import describe, resolve
from workbooks.standard import dims_of, layout_for

from tests.typing_cells import type_cells

EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")

# three refused cells on three sheets: a success rate of 35 (not a share), a year's cost as text,
# and effect 2's dropout above 100 %
EDITS = (("eff1_succesrate", None, 35), ("omk1_pr_aar", 2, "mange"), ("eff2_frafald", None, 1.5))


def typed(case_file, target, edits):
    """The case's workbook built at ``target`` with ``edits`` ((name, index or None, value)) typed in; and its plan."""
    case = load_business_case(case_file)
    path = book.build(case, target)
    type_cells(path, {(name, k or 0): value for name, k, value in edits})
    return path, resolve(layout_for(dims_of(case)), cells=False)


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    return typed(EXAMPLE, tmp_path_factory.mktemp("fejl") / "eks.xlsx", EDITS)


def test_every_refused_cell_is_reported_at_once(edited):
    path, plan = edited
    with pytest.raises(SIError) as err:
        book.extract(path)
    arguments = [e.argument for e in (err.value, *err.value.others)]
    # the workbook's own naming of each cell (sheet!cell (label)), in the order the template lists its inputs
    want = [describe(plan, name, k) for name, k, _ in EDITS]
    assert sorted(arguments) == sorted(want) and len(arguments) == 3
    assert any("Effekt 2" in a for a in arguments) and any("Effekt 1" in a for a in arguments)


def test_the_command_line_lists_them_all(edited, capsys):
    path, plan = edited
    capsys.readouterr()
    assert main(["extract", str(path)]) == 2
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Fejl i ")]
    assert len(lines) == 3
    for name, k, _ in EDITS:
        assert any(describe(plan, name, k) in line for line in lines)


# A cell refused by its own rule, and three names the case does not know, each in its own table: a fund id
# (Betalingsmodel, the fund's column), a Monte Carlo driver (Følsomhed, distribution 1) and a unit-price id
# (Enhedspriser, a spare row).  Before, only the first was reported; the others after it was fixed.
THREE_PAYERS = next(p for p in example_cases() if p.stem == "eksempel_tre_betalere")
NAMES = (("eff1_succesrate", None, 35), ("bt_fond", 3, "life_chance_fund"), ("mc_driver", 0, "effekter.jbo.succesrate"),
         ("mc_fordeling", 0, "fast"), ("mc_vaerdi", 0, 0.3), ("ep_id", 3, "kontanthjalp_ug"))
NAMED = ("eff1_succesrate", None), ("bt_fond", 3), ("mc_driver", 0), ("ep_id", 3)


@pytest.fixture(scope="module")
def misnamed(tmp_path_factory):
    return typed(THREE_PAYERS, tmp_path_factory.mktemp("navne") / "tre.xlsx", NAMES)


def test_a_cell_error_a_fund_a_driver_and_a_price_id_in_one_message(misnamed, capsys):
    path, plan = misnamed
    with pytest.raises(SIError) as err:
        book.extract(path)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert sorted(found) == sorted(describe(plan, name, k) for name, k in NAMED)
    assert "ikke 35" in found[describe(plan, "eff1_succesrate")]
    assert found[describe(plan, "bt_fond", 3)] == "ukendt resultatfond 'life_chance_fund'; mente du 'life_chances_fund'?"
    assert "mente du 'effekter.job.succesrate'?" in found[describe(plan, "mc_driver", 0)]
    assert found[describe(plan, "ep_id", 3)].startswith("'kontanthjalp_ug' findes hverken i Katalog eller Egne priser")
    capsys.readouterr()
    for command, stream in ((["extract", str(path)], "err"), (["check", str(path)], "out")):
        assert main(command) == 2
        lines = [line.strip() for line in getattr(capsys.readouterr(), stream).splitlines() if line.strip().startswith("Fejl i ")]
        assert len(lines) == len(NAMED), command
        for name, k in NAMED:
            assert sum(describe(plan, name, k) in line for line in lines) == 1


def test_a_case_file_names_its_drivers_with_its_other_errors():
    """A case file with a field error and a driver typo in a scenario and in a distribution: all three at once
    (the drivers were checked only when the scenario or the Monte Carlo ran)."""
    from udfs.core.case_model import parse_case
    from udfs.core.files import read_data

    data = read_data(EXAMPLE)
    data["horisont"] = "ti"
    data["scenarier"] = {"lav": {"effekter.jbo.succesrate": 0.2}}
    data["usikkerhed"]["fordelinger"]["omkostningsfactor"] = {"fordeling": "fast", "vaerdi": 1.1}
    with pytest.raises(SIError) as err:
        parse_case(data)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert set(found) == {"horisont", "scenarier.lav.effekter.jbo.succesrate", "usikkerhed.fordelinger.omkostningsfactor"}
    assert found["usikkerhed.fordelinger.omkostningsfactor"].endswith("mente du 'omkostningsfaktor'?")


def test_a_distributions_typo_is_reported_with_another_distributions_error():
    """The user trial: a driver typo in one distribution (``omkostningsfactor``) came only after another
    distribution's own error (min 0,45 above max 0,2) was fixed.  Both at once, and a scenario's wrong value
    beside a typo in another scenario too; a distribution whose values fail still has its driver's name checked."""
    from udfs.core.case_model import parse_case
    from udfs.core.files import read_data

    data = read_data(EXAMPLE)
    fordelinger = data["usikkerhed"]["fordelinger"]
    fordelinger["omkostningsfactor"] = {"fordeling": "fast", "vaerdi": 1.1}
    fordelinger["effekter.job.succesrate"] = {"fordeling": "uniform", "min": 0.45, "max": 0.2}
    fordelinger["deltagerfactor"] = {"fordeling": "normal", "middel": 1}  # no spredning, and a typo
    data["scenarier"] = {"lav": {"effekter.jbo.succesrate": 0.2}, "hoej": {"effekter.job.succesrate": "mange"}}
    with pytest.raises(SIError) as err:
        parse_case(data)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert set(found) == {
        "usikkerhed.fordelinger.effekter.job.succesrate.min", "usikkerhed.fordelinger.deltagerfactor.spredning",
        "usikkerhed.fordelinger.omkostningsfactor", "usikkerhed.fordelinger.deltagerfactor",
        "scenarier.hoej.effekter.job.succesrate", "scenarier.lav.effekter.jbo.succesrate"}, found
    assert found["usikkerhed.fordelinger.omkostningsfactor"].endswith("mente du 'omkostningsfaktor'?")
    assert found["usikkerhed.fordelinger.deltagerfactor"].endswith("mente du 'deltagerfaktor'?")


def test_a_distributions_typo_is_reported_with_an_error_in_the_draws_or_the_seed():
    """The same kind: ``antal_traek: 0`` (outside 1–1.000.000) or ``seed: -1`` left the whole ``usikkerhed`` out of the
    rules across fields, so a driver typo in a distribution came only after the draws were fixed.  All at once."""
    from udfs.core.case_model import parse_case
    from udfs.core.files import read_data

    data = read_data(EXAMPLE)
    data["usikkerhed"] = {**data["usikkerhed"], "antal_traek": 0, "seed": -1}
    fordelinger = data["usikkerhed"]["fordelinger"]
    fordelinger["omkostningsfactor"] = {"fordeling": "fast", "vaerdi": 1.1}
    fordelinger["deltagerfaktor"] = {"fordeling": "normal", "middel": 1}  # no spredning
    with pytest.raises(SIError) as err:
        parse_case(data)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert found == {
        "usikkerhed.antal_traek": "skal ligge mellem 1 og 1.000.000, ikke 0",  # limits.MAX_DRAWS
        "usikkerhed.seed": "skal ligge mellem 0 og 4.294.967.295, ikke -1",  # limits.MAX_SEED = 2^32 − 1
        "usikkerhed.fordelinger.deltagerfaktor.spredning": "mangler for fordelingen normalfordeling (normal)",
        "usikkerhed.fordelinger.omkostningsfactor": "'omkostningsfactor' er ikke en driver i casen (effekter.<id>.succesrate "
                                                    "med en effekts id, omkostningsfaktor, …); mente du 'omkostningsfaktor'?"}


def test_a_workbooks_distribution_typo_is_named_with_another_rows_error(tmp_path):
    """The same in the workbook: distribution 1's driver misspelt and distribution 2's min above its max, each
    named by its own cell on Følsomhed in one message."""
    edits = (("mc_driver", 0, "effekter.jbo.succesrate"), ("mc_fordeling", 0, "fast"), ("mc_vaerdi", 0, 0.3),
             ("mc_driver", 1, "deltagerfaktor"), ("mc_fordeling", 1, "uniform"), ("mc_min", 1, 1.2), ("mc_max", 1, 0.8))
    path, plan = typed(EXAMPLE, tmp_path / "eks.xlsx", edits)
    with pytest.raises(SIError) as err:
        book.extract(path)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert set(found) == {describe(plan, "mc_driver", 0), describe(plan, "mc_min", 1)}, found
    assert "mente du 'effekter.job.succesrate'?" in found[describe(plan, "mc_driver", 0)]
    assert "mindst må ikke være over højst (mindst ≤ højst)" in found[describe(plan, "mc_min", 1)]


# A participant count above the case file's bound (1.000.000.000.000, udfs.core.limits.MAX_AMOUNT) typed beside a
# text in the next year: the bound is the case model's rule (not the cell's reading), and its error named the case
# field "deltagere[1]" -- and only after the text was fixed.  Now both at once, each by its cell and year.
PARTICIPANTS = (("deltagere", 1, 1e15), ("deltagere", 2, "abc"))


def test_a_bound_of_the_case_and_a_refused_cell_of_a_year_row_at_once(tmp_path):
    path, plan = typed(THREE_PAYERS, tmp_path / "deltagere.xlsx", PARTICIPANTS)
    with pytest.raises(SIError) as err:
        book.extract(path)
    found = {e.argument: e.message for e in (err.value, *err.value.others)}
    assert sorted(found) == sorted(describe(plan, name, k) for name, k, _ in PARTICIPANTS)
    assert "År 1" in describe(plan, "deltagere", 1) and "Forudsætninger!" in describe(plan, "deltagere", 1)
    assert "1.000.000.000.000.000" in found[describe(plan, "deltagere", 1)]
    assert "'abc'" in found[describe(plan, "deltagere", 2)]


def test_a_catalogue_id_not_yet_on_enhedspriser_says_to_add_it_there(tmp_path):
    """An effect's unit price typed as a catalogue id (faengsel_arresthus_gennemsnit_dag is a row of
    udfs/data/enhedspriser.csv) that the sheet Enhedspriser does not list: the workbook's formulas look prices up
    there, so the id is refused -- with where it is known and how to add it, not the nearest listed id."""
    path, plan = typed(THREE_PAYERS, tmp_path / "katalog_id.xlsx", (("eff1_enhedspris", None, "faengsel_arresthus_gennemsnit_dag"),))
    with pytest.raises(SIError) as err:
        book.extract(path)
    assert err.value.argument == describe(plan, "eff1_enhedspris")
    assert ("'faengsel_arresthus_gennemsnit_dag' står i kataloget (arket Katalog), men ikke på arket Enhedspriser: skriv "
            "id'et i en ledig række i kolonnen id på arket Enhedspriser") in err.value.message
    assert "mente du" not in err.value.message
