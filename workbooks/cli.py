"""The ``sibc`` command line: catalogue, and (later) build, calculate and check.

User-facing output is Danish; errors are printed as one line without a
traceback and give exit code 2.
"""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from udfs.core import catalogue as cat
from udfs.core.data import manifest
from udfs.core.errors import SIError


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


def cmd_demo(args: argparse.Namespace) -> None:
    print("Enhedspriskatalog (kr. pr. enhed, i hver enhedspris' eget prisår)\n")
    print_catalogue(None, None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sibc", description="Business cases for sociale investeringer.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("catalogue", help="Vis enhedspriskataloget som tabel.")
    p.add_argument("filter", nargs="?", help="Kun rækker hvis id, navn eller budgetområde indeholder teksten.")
    p.add_argument("--prisaar", type=int, help="Omregn alle beløb til dette prisår (nettoprisindeks).")
    p.set_defaults(func=cmd_catalogue)
    p = sub.add_parser("demo", help="Hovedjobbet: vis kataloget (senere: byg og kontrollér eksempelmapperne).")
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
