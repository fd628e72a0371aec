"""Pictures for the command line as PNG files (matplotlib, Agg backend: no screen needed).

Three pictures, where a reader would rather look than read: the cumulative net
per authority and the investor (``sibc calc --png``), the tornado
(``sibc sensitivity --png``) and the Monte Carlo histogram of the payer's
present value (``sibc montecarlo --png``).  Texts are Danish; amounts are in
kr. with thousands points.  Files are written whole or not at all and never
replace a file unless asked (:mod:`workbooks.safe_write`).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from udfs.core.case_model import Case
from udfs.core.engine import Result
from udfs.core.uncertainty import MonteCarlo, TornadoBar, shown_shares, tornado_label
from udfs.core.vocabulary import PAYERS, in_currency

from .safe_write import check_target, write_file

SUFFIXES = (".png",)
COLOURS = {"kommune": "#1f4e79", "region": "#548235", "stat": "#bf9000", "investor": "#7f7f7f"}


def _figure(width: float = 9, height: float = 5):
    import matplotlib

    matplotlib.use("Agg")  # files only, never a window
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _kr(v)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _kr(v)))
    return plt, fig, ax


def _kr(v: float) -> str:
    """An axis value as Danes read it: whole kr. with thousands points (``-1.500.000``)."""
    return f"{v:,.0f}".replace(",", ".")


def _save(plt, fig, path: Path, overwrite: bool) -> Path:
    check_target(path, overwrite, "png", SUFFIXES)
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return write_file(path, buffer.getvalue(), overwrite=overwrite, argument="png", suffixes=SUFFIXES)


def cumulative_net(case: Case, result: Result, path: Path, overwrite: bool = False) -> Path:
    """The cumulative net (kr.) per year for kommune, region, stat and the investor, as straight lines.

    The lines are the running sums of :attr:`udfs.core.engine.Result.net_by_payer`; a payer whose
    line is 0 in every year is left out.  Returns the path written.
    """
    plt, fig, ax = _figure()
    net = np.cumsum(result.net_by_payer[:, 0, :], axis=1)
    years = np.arange(case.horisont)
    labels = [str(case.startaar + y) for y in years] if case.startaar else [f"År {y}" for y in years]
    for k, payer in enumerate(PAYERS):
        if np.any(net[k] != 0):
            ax.plot(years, net[k], marker="o", color=COLOURS[payer], label=payer.capitalize())
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(years, labels, rotation=45 if case.horisont > 12 else 0)
    ax.xaxis.set_major_formatter(plt.FixedFormatter(labels))
    ax.set_title(f"Kumuleret nettoeffekt pr. myndighed: {case.navn}", fontsize=11)
    ax.set_ylabel(in_currency(f"kr. (prisniveau {case.prisaar}), kumuleret", case.valuta))
    ax.legend()
    ax.grid(True, alpha=0.3)
    return _save(plt, fig, path, overwrite)


def tornado_chart(case: Case, bars: list[TornadoBar], change: float, path: Path, overwrite: bool = False) -> Path:
    """The tornado: per driver the payer's present value with the driver −X % and +X %, around the base.

    Largest swing at the top; the legend says which colour is −X % and which +X %.
    """
    shown = f"{change * 100:.4g}".replace(".", ",")
    plt, fig, ax = _figure(10, max(3.0, 0.35 * len(bars) + 1.5))
    from udfs.core.uncertainty import scenario_pv

    base = scenario_pv(case, {})["betaler"]
    rows = list(reversed(bars))
    y = np.arange(len(rows))
    low = np.array([b.pv_low for b in rows]) - base
    high = np.array([b.pv_high for b in rows]) - base
    ax.barh(y, low, left=base, color="#c00000", label=f"Driver −{shown} %")
    ax.barh(y, high, left=base, color="#1f4e79", label=f"Driver +{shown} %", alpha=0.85)
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(y, [tornado_label(case, b, change) for b in rows], fontsize=8)
    ax.set_title(f"Tornado: betalerens nutidsværdi, hver driver ±{shown} %\n{case.navn}", fontsize=11)
    ax.set_xlabel(in_currency(f"Betalerens nutidsværdi, kr. (basis {_kr(base)})", case.valuta))
    ax.legend(loc="lower right")
    ax.grid(True, axis="x", alpha=0.3)
    return _save(plt, fig, path, overwrite)


def gain_text(result: MonteCarlo) -> str:
    """The payer's probability of a gain as ``sibc montecarlo`` prints it beside the picture: rounded together with
    the probabilities of a loss and of exactly 0 (:func:`udfs.core.uncertainty.shown_shares`), so the two agree."""
    from .cli import SHOWN  # the one format of a share; the command line imports this module only when it draws

    return SHOWN["share"](shown_shares(result.figures())["p_gevinst_betaler"])


def histogram(case: Case, result: MonteCarlo, path: Path, overwrite: bool = False) -> Path:
    """The distribution of the payer's present value over the draws, with 0 and the P5/P50/P95 marked."""
    plt, fig, ax = _figure()
    values = result.payer_pv
    ax.hist(values, bins=50, color="#1f4e79", alpha=0.85)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: _kr(v)))
    for q, style in ((5, ":"), (50, "--"), (95, ":")):
        ax.axvline(np.percentile(values, q), color="black", linestyle=style, linewidth=1, label=f"P{q}")
    ax.axvline(0, color="#c00000", linewidth=1.2, label=in_currency("0 kr.", case.valuta))
    ax.set_title(f"Monte Carlo, {_kr(values.size)} træk: betalerens nutidsværdi ({case.navn})", fontsize=11)
    ax.set_xlabel(in_currency(f"Betalerens nutidsværdi, kr. (sandsynlighed for gevinst {gain_text(result)})", case.valuta))
    ax.set_ylabel("Antal træk")
    ax.legend()
    return _save(plt, fig, path, overwrite)
