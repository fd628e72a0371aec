"""The ``sibc`` command line: catalogue, and (later) build, calculate and check.

User-facing output is Danish; errors are printed as one line without a
traceback and give exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from udfs.core import catalogue as cat
from udfs.core.cases import load_case, reproduction, settle_case
from udfs.core.data import manifest
from udfs.core.errors import SIError

EXAMPLES = Path(__file__).resolve().parent / "cases"


def example_cases() -> list[Path]:
    """The example case files shipped with the package, in name order."""
    return sorted(EXAMPLES.glob("*.yaml"))


def catalogue_frame(text: str | None = None, price_year: int | None = None) -> pd.DataFrame:
    """The catalogue as a table (one row per unit cost), optionally uprated."""
    rows = cat.catalogue_table(text, price_year)
    frame = pd.DataFrame(rows).drop(columns=["kilde"])
    frame["kildetype"] = frame["kildetype"].map({"primaer": "primær", "sekundaer": "sekundær", "egen": "egen"})
    return frame


def _money(x) -> str:
    if isinstance(x, str):
        return x
    return f"{x:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def print_catalogue(text: str | None, price_year: int | None) -> None:
    frame = catalogue_frame(text, price_year)
    money = {c: _money for c in ("offentlig", "kommune", "region", "stat")}
    print(frame.to_string(index=False, formatters=money))
    print(f"\n{len(frame)} enhedspriser · katalogversion {manifest()['version']}")


def cmd_catalogue(args: argparse.Namespace) -> None:
    print_catalogue(args.filter, args.prisaar)


def _number(x, percent: bool = False) -> str:
    if x is None:
        return "ikke defineret"
    if percent:
        return f"{x * 100:,.1f} %".replace(".", ",")
    return _money(x)


def settlement_json(path: Path) -> dict:
    """The settlement of a case file as plain data (kr.; shares 0–1)."""
    case = load_case(path)
    s = settle_case(case)
    header, *rows = s.yearly_rows()
    return {
        "navn": case.navn,
        "aar": list(header[1:-1]),
        "pr_aar": {r[0]: list(r[1:-1]) for r in rows},
        "noegletal": dict(s.rows()),
        "offentliggjort_mod_beregnet_mio_kr": [
            {"post": label, "offentliggjort": pub, "beregnet": calc} for label, pub, calc in reproduction(case)
        ],
    }


def print_settlement(path: Path) -> bool:
    """Print a case's settlement; returns True when every published figure is reproduced."""
    case = load_case(path)
    s = settle_case(case)
    print(f"== {case.navn} ({path.name}) ==\n")
    header, *rows = s.yearly_rows()
    frame = pd.DataFrame([r[1:] for r in rows], index=[r[0] for r in rows], columns=list(header[1:]))
    print(frame.to_string(formatters={c: _money for c in frame.columns}))
    print()
    percent = {"Afkast af investering", "Investors IRR"}
    for label, value in s.rows():
        print(f"  {label:28} {_number(value, label in percent) if label != 'Pengemultiplikator' else f'{value:.2f}'.replace('.', ',')}")
    print("\n  Offentliggjort mod beregnet (mio. kr., 1 decimal):")
    ok = True
    for label, published, computed in reproduction(case):
        match = published is None or published == computed
        ok &= match
        shown = "—" if published is None else f"{published:.1f}".replace(".", ",")
        print(f"  {'✓' if match else '✗'} {label:60} {shown:>6} {f'{computed:.1f}'.replace('.', ','):>6}")
    print()
    return ok


def cmd_calc(args: argparse.Namespace) -> None:
    path = Path(args.case)
    if not path.is_file():
        raise SIError("case", f"filen '{path}' findes ikke")
    if args.json:
        print(json.dumps(settlement_json(path), ensure_ascii=False, indent=2))
    elif not print_settlement(path):
        raise SIError("case", "de offentliggjorte tal genskabes ikke")


def cmd_demo(args: argparse.Namespace) -> None:
    print("Enhedspriskatalog (kr. pr. enhed, i hver enhedspris' eget prisår)\n")
    print_catalogue(None, None)
    print("\nDe offentliggjorte eksempler (seed 000: Den Sociale Kapitalfond / Carelink Gruppen)\n")
    results = {p.stem: print_settlement(p) for p in example_cases()}
    print("Opsummering:")
    for name, ok in results.items():
        print(f"  {name:30} {'alle offentliggjorte tal genskabt' if ok else 'AFVIGER fra de offentliggjorte tal'}")
    if not all(results.values()):
        raise SIError("demo", "mindst ét eksempel genskaber ikke de offentliggjorte tal")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sibc", description="Business cases for sociale investeringer.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("catalogue", help="Vis enhedspriskataloget som tabel.")
    p.add_argument("filter", nargs="?", help="Kun rækker hvis id, navn eller budgetområde indeholder teksten.")
    p.add_argument("--prisaar", type=int, help="Omregn alle beløb til dette prisår (nettoprisindeks).")
    p.set_defaults(func=cmd_catalogue)
    p = sub.add_parser("calc", help="Beregn en case-fil og vis afregningen som tabel.")
    p.add_argument("case", help="Case-fil (YAML), fx workbooks/cases/sygedagpenge.yaml")
    p.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
    p.set_defaults(func=cmd_calc)
    p = sub.add_parser("demo", help="Hovedjobbet: vis kataloget og beregn eksemplerne.")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except SIError as err:
        print(err.danish, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
