"""Seeded synthetic weekly panels with a known effect, for tests, examples and benchmarks; never real data.

Each person has a latent employability ``u ~ N(0, 1)`` and an age that
correlates with it.  Weeks follow a Markov chain over three states, coded as
DREAM codes are read by the grouping ``bmc_2023``:

* self-supported: an empty week (5 % of them coded 881, a code the grouping
  counts as not on benefit);
* a health-related benefit: code 890 (in the grouping's health list);
* another benefit: code ``X1``, a synthetic code that is not a DREAM code
  (the grouping's "all other codes").

Weekly transition probabilities are logistic in ``u``: people with a higher
``u`` leave benefits sooner and enter them less often.  Every person of the
cohort starts a spell of the health benefit in their start week (an inflow
cohort, e.g. new sickness-benefit cases), drawn uniformly from a range of
weeks, so windows cross year ends, including 2020-W53.  From the start week
on each person is simulated twice with the same random numbers: without the
intervention (``Y0``) and with it (``Y1``: the log-odds of leaving a benefit
for self-support raised by ``effect`` during the first ``effect_weeks``
weeks).  The observed panel holds ``Y1`` for the intervention group and
``Y0`` for everyone else, so the true effect on the treated of any measure is
the measure on ``Y1`` minus the measure on ``Y0`` for the treated
(:meth:`SyntheticPanel.potential`).

Selection: with ``selection > 0`` the chance of being in the intervention
group rises with the weeks self-supported in the year before start and with
age (the group is "creamed" on what the register shows); both go with ``u``,
so a naive comparison with the pool overstates the effect, and matching on
the pre-period history and age removes most of that bias.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SIError
from .weeks import column_name, week_label, week_number

SELF, HEALTH, OTHER, SELF_CODED = 0, 1, 2, 3
CODES = {SELF: None, HEALTH: "890", OTHER: "X1", SELF_CODED: "881"}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class SyntheticPanel:
    """States (n × weeks, uint8, see CODES) observed and under both potential outcomes, with the cohort."""

    first_week: int
    observed: np.ndarray
    y0: np.ndarray
    y1: np.ndarray
    start: np.ndarray  # running week numbers
    arm: np.ndarray  # 'indsats' / 'kontrol' / 'pulje'
    age: np.ndarray
    ids: np.ndarray

    @property
    def n(self) -> int:
        return self.observed.shape[0]

    def wide_frame(self, states: np.ndarray | None = None) -> pd.DataFrame:
        """The panel as a DREAM-style wide table: ``pnr`` and one text column ``y_YYWW`` per week."""
        states = self.observed if states is None else states
        data = {"pnr": self.ids}
        lookup = np.array([CODES[i] for i in range(4)], dtype=object)
        for j in range(states.shape[1]):
            data[column_name(self.first_week + j)] = lookup[states[:, j]]
        return pd.DataFrame(data)

    def long_frame(self, states: np.ndarray | None = None) -> pd.DataFrame:
        """The panel as a long table: ``pnr``, ``uge`` (2020-W53), ``kode`` for every coded week."""
        states = self.observed if states is None else states
        rows, cols = np.nonzero(states != SELF)
        lookup = np.array([CODES[i] for i in range(4)], dtype=object)
        labels = np.array([week_label(self.first_week + j) for j in range(states.shape[1])], dtype=object)
        return pd.DataFrame({"pnr": self.ids[rows], "uge": labels[cols], "kode": lookup[states[rows, cols]]})

    def cohort_frame(self) -> pd.DataFrame:
        """The cohort: ``pnr``, ``start`` (ISO week text), ``gruppe``, ``alder``."""
        return pd.DataFrame({"pnr": self.ids, "start": [week_label(int(s)) for s in self.start],
                             "gruppe": self.arm, "alder": self.age})

    def potential(self) -> tuple[np.ndarray, np.ndarray]:
        """(Y0, Y1) state arrays of every person."""
        return self.y0, self.y1

    def write(self, folder: str | Path, layout: str = "bred", fmt: str = "parquet") -> tuple[Path, Path]:
        """Write panel and cohort files (``panel.parquet``/``.csv``, ``kohorte.csv``) with DuckDB; returns both paths.

        The wide panel is written from the state numbers, with codes put in by
        SQL, so a million persons never become Python strings.
        """
        import duckdb

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        panel_path = folder / f"panel.{fmt}"
        cohort_path = folder / "kohorte.csv"
        options = "(FORMAT parquet)" if fmt == "parquet" else "(HEADER, DELIMITER ',')"
        con = duckdb.connect()
        if layout == "bred":
            names = [column_name(self.first_week + j) for j in range(self.observed.shape[1])]
            frame = pd.DataFrame(self.observed, columns=names, copy=False)
            frame.insert(0, "pnr", self.ids)
            con.register("p", frame)
            cases = " ".join(f"WHEN {k} THEN '{c}'" for k, c in CODES.items() if c is not None)
            cols = ", ".join(f"CASE {n} {cases} END AS {n}" for n in names)
            con.execute(f"COPY (SELECT pnr, {cols} FROM p) TO '{panel_path}' {options}")
        else:
            con.register("p", self.long_frame())
            con.execute(f"COPY (SELECT * FROM p) TO '{panel_path}' {options}")
        con.register("k", self.cohort_frame())
        con.execute(f"COPY (SELECT * FROM k) TO '{cohort_path}' (HEADER, DELIMITER ',')")
        con.close()
        return panel_path, cohort_path


def assign(rng: np.random.Generator, y0: np.ndarray, start_pos: np.ndarray, age: np.ndarray, n_treated: int,
           n_control: int, n_pool: int, selection: float) -> np.ndarray:
    """Arms: by position without selection; with it, the intervention group is drawn from the first
    ``n_treated + n_pool`` persons with a probability that rises with the weeks self-supported in the
    52 weeks before start and with age (selection on what the register shows)."""
    n = y0.shape[0]
    if not selection:
        return np.array(["indsats"] * n_treated + ["kontrol"] * n_control + ["pulje"] * n_pool, dtype=object)
    before = np.array([(y0[i, max(0, p - 52):p] == SELF).sum() for i, p in enumerate(start_pos)], dtype=float)
    score = (before - before.mean()) / (before.std() or 1.0) + 0.5 * (age - age.mean()) / (age.std() or 1.0)
    candidates = np.r_[np.ones(n_treated + n_pool, bool), np.zeros(n_control, bool)]
    lo, hi = -30.0, 30.0  # the intercept that makes the expected group size n_treated
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _sigmoid(mid + selection * score[candidates]).sum() < n_treated else (lo, mid)
    treated = candidates & (rng.random(n) < _sigmoid(lo + selection * score))
    return np.where(treated, "indsats", np.where(candidates, "pulje", "kontrol")).astype(object)


def generate(
    n_treated: int = 120,
    n_control: int = 480,
    n_pool: int = 0,
    weeks: int = 157,
    first_week: tuple[int, int] = (2019, 1),
    start_weeks: tuple[int, int] = (52, 78),
    effect: float = 0.6,
    effect_weeks: int = 52,
    selection: float = 0.0,
    seed: int = 1,
) -> SyntheticPanel:
    """A synthetic panel (see the module docstring).

    ``n_treated`` persons get the intervention; ``n_control`` are a randomised
    control group (arm ``kontrol``) and ``n_pool`` a register pool for
    matching (arm ``pulje``).  With ``selection`` ≠ 0 the intervention group
    is drawn from ``n_treated + n_pool`` persons with a probability rising
    with the pre-period weeks self-supported and age (:func:`assign`;
    ``n_treated`` is then the expected size).  ``start_weeks``
    are panel positions (0 = ``first_week``).
    """
    if not 0 <= start_weeks[0] <= start_weeks[1] < weeks:
        raise SIError("start_weeks", "skal ligge inden for panelets uger")
    rng = np.random.default_rng(seed)
    n = n_treated + n_control + n_pool
    u = rng.standard_normal(n)
    age = np.round(np.clip(40 + 10 * (0.5 * u + np.sqrt(0.75) * rng.standard_normal(n)), 18, 66))
    start_pos = rng.integers(start_weeks[0], start_weeks[1] + 1, n)
    p_enter_health = _sigmoid(-4.0 - 0.8 * u)
    p_enter_other = _sigmoid(-4.5 - 0.8 * u)
    p_leave_base = -2.6 + 0.8 * u
    state0 = np.full(n, SELF, np.uint8)
    state1 = state0.copy()
    y0 = np.empty((n, weeks), np.uint8)
    y1 = np.empty((n, weeks), np.uint8)
    for j in range(weeks):
        r = rng.random(n)
        since = j - start_pos
        boost = effect * ((since >= 1) & (since <= effect_weeks))
        for state, out, bonus in ((state0, y0, 0.0), (state1, y1, boost)):
            on_benefit = state != SELF
            leave = r < _sigmoid(p_leave_base + bonus + np.where(state == OTHER, -0.4, 0.0))
            enter_h = r < p_enter_health
            enter_o = (r >= p_enter_health) & (r < p_enter_health + p_enter_other)
            new = state.copy()
            new[on_benefit & leave] = SELF
            new[~on_benefit & enter_h] = HEALTH
            new[~on_benefit & enter_o] = OTHER
            new[since == 0] = HEALTH
            state[:] = new
            out[:, j] = new
    arm = assign(rng, y0, start_pos, age, n_treated, n_control, n_pool, selection)
    treated_mask = arm == "indsats"
    coded_self = rng.random((n, weeks)) < 0.05
    for arr in (y0, y1):
        arr[(arr == SELF) & coded_self] = SELF_CODED
    observed = np.where(treated_mask[:, None], y1, y0)
    first = week_number(*first_week)
    ids = np.array([f"P{i:07d}" for i in range(n)], dtype=object)
    return SyntheticPanel(first, observed, y0, y1, first + start_pos, np.asarray(arm, dtype=object), age, ids)


EXAMPLE_FILE = "maaling.yaml"


def example_spec(case_file: str) -> dict:
    """The example measurement file: the Sygedagpenge case's two metrics measured on a synthetic trial."""
    return {
        "navn": "Sygedagpenge – måling på et syntetisk panel",
        "case": case_file,
        "panel": {"fil": "panel.parquet", "format": "bred", "person": "pnr"},
        "kohorte": {"fil": "kohorte.csv", "person": "pnr", "start": "start", "gruppe": "gruppe", "kovariater": ["alder"]},
        "kodegruppering": "bmc_2023",
        "sammenligning": {"metode": "kontrolgruppe", "niveau": 0.95, "bootstrap": 999, "seed": 1},
        "maal": [
            {"id": "uger_selvforsoerget", "navn": "Uger selvforsørget i året efter start", "type": "uger",
             "gruppe": "selvforsoerget", "fra": 1, "til": 52},
            {"id": "fuldtid_sundhed", "navn": "Fuldtidspersoner på helbredsrelateret ydelse i året efter start",
             "type": "fuldtid", "gruppe": "sundhed", "fra": 1, "til": 52},
            {"id": "selvforsoerget_uge_26", "navn": "Selvforsørget 26 uger efter start", "type": "status",
             "gruppe": "selvforsoerget", "uge": 26},
            {"id": "foerste_selvforsoergelse", "navn": "Selvforsørget mindst én uge inden for 13 uger", "type": "overgang",
             "gruppe": "selvforsoerget", "fra": 1, "til": 13},
            {"id": "varigt_selvforsoerget", "navn": "Selvforsørget mindst 12 af 13 sammenhængende uger i året efter start",
             "type": "varig", "gruppe": "selvforsoerget", "fra": 1, "til": 52, "k": 12, "m": 13},
        ],
        "betaling": [
            {"resultatmaal": "merbeskaeftigelse", "maal": "uger_selvforsoerget", "vaerdi": "effekt", "skala": "pr_deltager"},
            {"resultatmaal": "faerre_helaarspersoner", "maal": "fuldtid_sundhed", "vaerdi": "effekt", "skala": "i_alt",
             "fortegn": -1},
        ],
        "design": {"styrke": 0.8, "niveau": 0.95},
    }


def example_files(case_path: Path, seed: int = 1) -> dict[str, bytes]:
    """The files of a synthetic trial (120 vs 480 persons): panel, cohort, the case file and the example
    measurement file, as file name → bytes (written by the caller, e.g. ``sibc maal --lav-eksempel``
    through the one safe write)."""
    import tempfile

    import yaml

    with tempfile.TemporaryDirectory(prefix="sibc-eksempel-") as tmp:
        panel, cohort = generate(120, 480, seed=seed).write(Path(tmp))
        files = {panel.name: panel.read_bytes(), cohort.name: cohort.read_bytes()}
    files[case_path.name] = case_path.read_bytes()
    files[EXAMPLE_FILE] = ("# Syntetiske data (udfs.core.measurement.synthetic), aldrig rigtige personer.\n"
                           + yaml.safe_dump(example_spec(case_path.name), allow_unicode=True, sort_keys=False)).encode("utf-8")
    return files


def write_example(folder: Path, case_path: Path, overwrite: bool = False, seed: int = 1) -> list[Path]:
    """Write :func:`example_files` into ``folder`` (for tests and scripts; the command line writes them
    through its safe write, which keeps earlier versions)."""
    folder = Path(folder)
    files = example_files(case_path, seed)
    existing = [name for name in files if (folder / name).exists()]
    if existing and not overwrite:
        raise SIError("maalefil", f"'{existing[0]}' findes allerede i mappen; brug --overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [folder / name for name in files]
