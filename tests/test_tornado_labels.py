"""A tornado row whose driver is 0 says that it moved by an absolute step, not by ±X % of its value
(:func:`udfs.core.uncertainty.tornado` moves a driver at 0 by ± the change itself): in the workbook, in
``sibc sensitivity`` and in its PNG -- one label (:func:`udfs.core.uncertainty.tornado_label`)."""

from __future__ import annotations

import pytest

from udfs.core.casefile import load_business_case
from udfs.core.uncertainty import driver_label, tornado, tornado_label
from workbooks import book, pictures
from workbooks.cli import example_cases, main

EXAMPLE = next(p for p in example_cases() if p.stem == "eksempel_ungeindsats")


def test_a_driver_at_zero_is_labelled_with_its_absolute_step():
    case = load_business_case(EXAMPLE)
    bars = tornado(case)
    at_zero = [b for b in bars if b.base_value == 0]
    # the example has no optimism deduction (0) and effect 2 has no drop-off (0): hand-read from the case file
    assert {b.driver for b in at_zero} >= {"optimisme.gevinster", f"effekter.{case.effekter[1].id}.frafald"}
    for b in bars:
        if b.base_value == 0:
            # a share at 0 moved by ±0,1 is ±10 percentage points (0 → 0,1; below 0 is cut off)
            assert tornado_label(case, b) == f"{driver_label(case, b.driver)} — er 0: ±10 %-point"
            assert b.low_value == 0 and b.high_value == pytest.approx(0.1)
        else:
            assert tornado_label(case, b) == driver_label(case, b.driver)
    assert tornado_label(case, at_zero[0], 0.2).endswith("±20 %-point")


def test_sensitivity_command_and_workbook_and_picture_use_the_label(tmp_path, capsys, monkeypatch):
    case = load_business_case(EXAMPLE)
    labels = [tornado_label(case, b) for b in tornado(case)]
    capsys.readouterr()
    assert main(["sensitivity", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert all(label in out for label in labels if "er 0" in label)
    assert "flyttes ±0,1 i absolutte tal" in out
    assert book.written_values(case)["to_driver"] == labels
    shown = []
    monkeypatch.setattr(pictures, "_save", lambda plt, fig, path, overwrite: shown.extend(
        t.get_text() for t in fig.axes[0].get_yticklabels()) or plt.close(fig) or path)
    pictures.tornado_chart(case, tornado(case), 0.1, tmp_path / "t.png")
    assert sorted(shown) == sorted(labels)


def test_a_control_group_rate_is_named_by_its_field_everywhere(tmp_path, capsys, monkeypatch):
    """Effect 1 (job) of the example is given with ``kontrolgruppe: 0.15``, effect 2 (behandling) with
    ``doedvaegt: 0.15`` (read from the case file): the driver ``effekter.<id>.doedvaegt`` is labelled by the
    field the user gave, as the workbook's Effekter sheet names it ("Kontrolgruppens succesrate")."""
    import yaml

    from udfs.core.case_model import parse_case
    from udfs.core.uncertainty import switching_values

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert data["effekter"][0]["kontrolgruppe"] == 0.15 and data["effekter"][1]["doedvaegt"] == 0.15
    data["usikkerhed"]["fordelinger"]["effekter.job.doedvaegt"] = {"fordeling": "uniform", "min": 0.1, "max": 0.2}
    data["usikkerhed"]["antal_traek"] = 200
    path = tmp_path / "kontrolgruppe.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    case = parse_case(data)
    control, deadweight = "Kontrolgruppens succesrate, effekt 1 (job)", "Dødvægt, effekt 2 (behandling)"
    assert driver_label(case, "effekter.job.doedvaegt") == control
    assert driver_label(case, "effekter.behandling.doedvaegt") == deadweight
    labels = [tornado_label(case, b, 0.2) for b in tornado(case, 0.2)]
    assert control in labels and deadweight in labels and not any(x.startswith("Dødvægt, effekt 1") for x in labels)
    capsys.readouterr()
    assert main(["sensitivity", str(path), "--aendring", "20 %"]) == 0
    out = capsys.readouterr().out
    assert out.count(control) == 2  # the tornado row and the switching value's row
    assert "Dødvægt, effekt 1" not in out
    written = book.written_values(case)
    assert control in written["to_driver"] and control in written["sv_driver"]
    assert f"{control}: Ligefordeling" in written["mc_i_ord"]
    assert set(switching_values(case)) >= {"effekter.job.doedvaegt"}
    shown = []
    monkeypatch.setattr(pictures, "_save", lambda plt, fig, path, overwrite: shown.extend(
        t.get_text() for t in fig.axes[0].get_yticklabels()) or plt.close(fig) or path)
    pictures.tornado_chart(case, tornado(case, 0.2), 0.2, tmp_path / "t.png")
    assert control in shown
