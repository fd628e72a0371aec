"""The unit-cost catalogue and the user's own prices.

A unit cost is the total public cost of one unit of activity (a week of
kontanthjælp, a prison day), at the price level of its price year, split
between kommune, region and stat after refusion — SØM's convention.  A kommune
can add or override unit costs with its own prices, with the same columns and
validation as the built-in catalogue, from a table (rows of dicts) or a CSV
file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from .data import SOURCE_KIND_SHOWN, UnitCost, numeric_fields, catalogue, column_name, read_csv_with_header, rows_to_models
from .errors import SIError, did_you_mean, excerpt
from .files import user_file
from .indices import check_index, index_value

AUTHORITY_NAMES = ("kommune", "region", "stat", "offentlig")
COLUMNS = tuple(UnitCost.model_fields)
REQUIRED_COLUMNS = ("id", "navn", "enhed", "beloeb", "prisaar", "budgetomraade", "kilde_udgiver", "kilde_dokument", "kildetype")
"""The columns an own-prices table must have (the others may be left out)."""


def check_authority(authority: str | None) -> str:
    """Normalise an authority name; ``None`` means the whole public sector."""
    name = (authority or "offentlig").strip().lower()
    if name not in AUTHORITY_NAMES:
        raise SIError("myndighed", "skal være \"kommune\", \"region\", \"stat\" eller \"offentlig\"")
    return name


def own_prices_from_rows(rows: Sequence[Mapping[str, object]], label: str = "egne_priser", as_list: bool = False) -> dict[str, UnitCost]:
    """Validate the user's own unit costs given as dict rows (header → value).

    Rows of a table count from 2 (the header is row 1); with ``as_list`` they are a
    case file's list, named as the workbook numbers them (``egen pris 1``)."""
    items = rows_to_models(list(rows), UnitCost, label, as_list)
    ids = [u.id for u in items]
    repeated = next((i for i in ids if ids.count(i) > 1), None)
    if repeated is not None:
        if as_list:
            numbers = [n for n, i in enumerate(ids, start=1) if i == repeated]
            raise SIError(label, f"id '{excerpt(repeated)}' forekommer mere end én gang (egen pris {' og '.join(map(str, numbers))})")
        rows = [n for n, i in enumerate(ids, start=2) if i == repeated]
        raise SIError(label, f"id '{excerpt(repeated)}' forekommer mere end én gang (række {' og '.join(map(str, rows))})")
    return {u.id: u for u in items}


def check_columns(header: Sequence[str], label: str = "egne_priser") -> None:
    """One error naming the missing and the unknown columns of an own-prices header (already :func:`column_name`-d).

    The message lists the required columns missing and those present, so a user
    who copied another table (such as SI_ENHEDSPRISER's) learns in one go what
    the table must hold, not a row problem.
    """
    names = [h for h in header if h]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if not missing and not unknown:
        return
    present = [c for c in REQUIRED_COLUMNS if c in names]
    parts = []
    if missing:
        parts.append(f"mangler de påkrævede kolonner {', '.join(missing)}" + (f" (ud over {', '.join(present)})" if present else ""))
    if unknown:
        parts.append(f"{'ukendt kolonne' if len(unknown) == 1 else 'ukendte kolonner'} {', '.join(repr(excerpt(h, 16)) for h in unknown[:3])}{' …' if len(unknown) > 3 else ''}")
    raise SIError(label, "; ".join(parts))


def own_prices_from_table(table: Sequence[Sequence[object]], label: str = "egne_priser") -> dict[str, UnitCost]:
    """Own unit costs from a 2-D table whose first row holds the column names."""
    if not table or not any(v not in (None, "") for v in table[0]):
        raise SIError(label, "er tom; den skal have en overskriftsrække og mindst én række med priser")
    header = [column_name(h) for h in table[0]]
    check_columns(header, label)
    rows = [
        {h: ("" if v is None else v) for h, v in zip(header, row) if h}
        for row in table[1:]
        if any(v not in (None, "") for v in row)
    ]
    return _own_rows(rows, label)


def _own_rows(rows: list[dict[str, object]], label: str) -> dict[str, UnitCost]:
    if not rows:
        raise SIError(label, "har kun overskriftsrækken; tilføj mindst én række med priser")
    return own_prices_from_rows(rows, label)


def own_prices_from_csv(path: str | Path, label: str = "egne_priser") -> dict[str, UnitCost]:
    """Own unit costs from a CSV file with the catalogue's columns (the same checks as :func:`own_prices_from_table`).

    Header names may be in capitals, with spaces around or with æ, ø, å
    (:func:`udfs.core.data.column_name`); a first line ``sep=;`` is skipped;
    shares may be written as Danish Excel writes per cent (``80 %``).  An empty
    file, a header alone or missing columns give one Danish message.

    The file may be saved by English or Danish Excel: UTF-8 (with or without
    BOM), UTF-16 or Windows-1252; separated by ``,``, ``;`` or tab; with decimal
    commas and thousands points when separated by ``;`` or tab (see
    :func:`udfs.core.data.read_csv`).  Errors name ``label`` and the cause.
    """
    p = user_file(path, label, (".csv",))
    header, rows = read_csv_with_header(p, label, numeric_fields(UnitCost))
    check_columns(header, label)
    return _own_rows(rows, label)


def merged(own: Mapping[str, UnitCost] | None = None) -> Mapping[str, UnitCost]:
    """The built-in catalogue with the user's own prices added or overriding by id."""
    return catalogue() if not own else {**catalogue(), **own}


def lookup(unit_id: str, own: Mapping[str, UnitCost] | None = None) -> UnitCost:
    """The unit cost with ``unit_id`` (own prices first)."""
    key = unit_id.strip().lower() if isinstance(unit_id, str) else unit_id
    item = (own or {}).get(key) or catalogue().get(key)
    if item is None:
        hint = did_you_mean(key, [*(own or {}), *catalogue()])
        raise SIError("id", f"ukendt enhedspris '{excerpt(unit_id)}'; {hint + ' ' if hint else ''}se SI_ENHEDSPRISER eller sibc catalogue for gyldige id'er")
    return item


def unit_cost(
    unit_id: str,
    price_year: int | None = None,
    authority: str | None = None,
    own: Mapping[str, UnitCost] | None = None,
    index: str | Mapping[int, float] | None = None,
    beyond_rate: float | None = None,
) -> float:
    """The cost of one unit for one authority, at the price level of ``price_year``.

    Parameters
    ----------
    unit_id : str
        Catalogue id (or an id from the user's own prices, which win).
    price_year : int, optional
        Price level of the result; default the unit cost's own price year.
    authority : str, optional
        "kommune", "region", "stat" or "offentlig" (default: all three).
    own : mapping, optional
        The user's own unit costs by id.
    index : str or mapping, optional
        Price index for uprating (default ``npi``), or the user's own series
        ``{year: value}`` (see :func:`udfs.core.indices.own_index`).
    beyond_rate : float, optional
        Annual rate (share) for price years outside the index table.

    Returns
    -------
    float
        kr. per unit (the catalogue row's ``enhed``), prices of ``price_year``.

    Notes
    -----
    ``beloeb × share(authority) × I(price_year) / I(prisaar)``.

    Examples
    --------
    >>> unit_cost("faengsel_lukket_dag", authority="kommune")
    0.0
    """
    item = lookup(unit_id, own)
    share = item.share(check_authority(authority))
    amount = item.beloeb * share
    check_index(index)
    if price_year is None or price_year == item.prisaar:
        return amount
    to_level = index_value(price_year, index, beyond_rate, "prisaar")
    return amount * to_level / index_value(item.prisaar, index, beyond_rate, "prisaar")


def search(text: str | None = None, own: Mapping[str, UnitCost] | None = None) -> list[UnitCost]:
    """Catalogue rows whose id, name or budget area contains ``text`` (any case), in id order."""
    needle = (text or "").strip().lower()
    rows: Iterable[UnitCost] = merged(own).values()
    hits = [u for u in rows if not needle or needle in f"{u.id} {u.navn} {u.budgetomraade}".lower()]
    return sorted(hits, key=lambda u: u.id)


OUTSIDE_INDEX = "prisår uden for indeks"
UNKNOWN_SPLIT = "ukendt"


def catalogue_table(
    text: str | None = None,
    price_year: int | None = None,
    own: Mapping[str, UnitCost] | None = None,
    beyond_rate: float | None = None,
    index: str | Mapping[int, float] | None = None,
) -> list[dict[str, object]]:
    """The catalogue (filtered, optionally uprated) as rows for display.

    Amounts are kr. per unit; an amount that cannot be given is a Danish text
    instead of a number: ``"ukendt"`` where the split is unknown, ``"prisår uden
    for indeks"`` where the row's price year cannot be moved to ``price_year``
    without an explicit ``beyond_rate``.  Never a guessed number.
    """
    hits = search(text, own)
    if not hits:
        raise SIError("filter", "ingen enhedspriser matcher")
    check_index(index)
    return [_display_row(u, price_year, beyond_rate, index) for u in hits]


def _display_row(u: UnitCost, price_year: int | None, beyond_rate: float | None, index) -> dict[str, object]:
    try:
        total: float | str = unit_cost(u.id, price_year, own={u.id: u}, index=index, beyond_rate=beyond_rate)
    except SIError as err:
        if err.argument != "prisaar" or beyond_rate is not None:
            raise
        total = OUTSIDE_INDEX
    shares = {"kommune": u.andel_kommune, "region": u.andel_region, "stat": u.andel_stat}
    by_authority = {
        a: (UNKNOWN_SPLIT if s is None else total if isinstance(total, str) else total * s) for a, s in shares.items()
    }
    source = f"{u.kilde_udgiver}: {u.kilde_dokument}" + (f" ({u.kilde_url})" if u.kilde_url else "")
    return {
        "id": u.id, "navn": u.navn, "enhed": u.enhed, "prisår": price_year or u.prisaar,
        "offentlig": total, **by_authority, "kilde": source, "kildetype": SOURCE_KIND_SHOWN[u.kildetype],
    }
