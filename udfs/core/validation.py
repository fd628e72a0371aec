"""Pydantic's validation errors in Danish: the one place they are translated.

Every model the project validates (case files, published cases, payment
models, measurement files, catalogue and own-price rows) turns its first
pydantic error into Danish text here, so a value out of range reads the same
everywhere, with the bounds quoted as the Excel functions quote them
(``"skal ligge mellem 1990 og 2100, ikke 1.000.000.000"``), a wrong value is
quoted, and a choice lists what is allowed.
"""

from __future__ import annotations

import datetime
import re

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, model_validator

from .checks import format_number
from .errors import excerpt, did_you_mean

_BY_TYPE = {
    "missing": "mangler",
    "extra_forbidden": "ukendt felt",
    "float_type": "skal være et tal",
    "float_parsing": "skal være et tal",
    "finite_number": "skal være et endeligt tal (ikke NaN eller uendelig)",
    "int_type": "skal være et helt tal",
    "int_parsing": "skal være et helt tal",
    "int_from_float": "skal være et helt tal",
    "bool_type": "skal være ja/nej (true/false)",
    "bool_parsing": "skal være ja/nej (true/false)",
    "string_type": "skal være tekst",
    "string_too_short": "må ikke være tom",
    "string_too_long": "er for lang",
    "string_pattern_mismatch": "må kun indeholde små bogstaver a–z, tal og _",
    "list_type": "skal være en liste",
    "too_short": "må ikke være tom",
    "dict_type": "skal være en tabel af felter",
    "model_type": "skal være en tabel af felter",
    "model_attributes_type": "skal være en tabel af felter",
}
_QUOTED = {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "string_type"}
_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def shown(value: Any) -> str:
    """A value as a message quotes it: the one place values are quoted in messages.

    Numbers the Danish way (1.000.000.000; 0,6; 2026), a date as 01-01-2026, a
    boolean as Excel shows it (SAND, FALSK), nothing as ``tom``, texts in quotes, cut short.
    """
    if isinstance(value, bool):
        return "SAND" if value else "FALSK"
    if value is None:
        return "tom"
    if isinstance(value, datetime.datetime) and value.time() != datetime.time():
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, datetime.date | datetime.time):
        return value.strftime("%d-%m-%Y" if isinstance(value, datetime.date) else "%H:%M")
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}".replace(",", ".") if abs(value) >= 10_000 else str(int(value))  # years stay 2026
    if isinstance(value, float):
        return format_number(value)
    return f"'{excerpt(value)}'"


def bounds_text(ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None) -> str:
    """The Danish rule for a range: ``"skal ligge mellem 1990 og 2100"``, ``"skal være større end -0,5 og mindre end 0,5"``."""
    low = f"mindst {shown(ge)}" if ge is not None else (f"større end {shown(gt)}" if gt is not None else None)
    high = f"højst {shown(le)}" if le is not None else (f"mindre end {shown(lt)}" if lt is not None else None)
    if ge is not None and le is not None:
        return f"skal ligge mellem {shown(ge)} og {shown(le)}"
    if low and high:
        return f"skal være {low} og {high}"
    if ge == 0 and not high:
        return "må ikke være negativ"
    return f"skal være {low or high}"


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _field_bounds(model: type[BaseModel] | None, loc: Sequence[Any]) -> dict[str, float]:
    """The declared bounds (ge, gt, le, lt) of the field at ``loc`` in ``model``; ``{}`` when not found."""
    cls, info = model, None
    for part in loc:
        if isinstance(part, int):
            continue
        if cls is None or part not in cls.model_fields:
            return {}
        info = cls.model_fields[part]
        cls = next(_models_in(info.annotation), None)
    out: dict[str, float] = {}
    for meta in info.metadata if info is not None else ():
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                out[key] = getattr(meta, key)
    return out


def _model_at(model: type[BaseModel] | None, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (``None`` when not found)."""
    cls = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if cls is None or part not in cls.model_fields:
            return None
        cls = next(_models_in(cls.model_fields[part].annotation), None)
    return cls


def _is_choice(annotation: Any) -> bool:
    """A ``Literal`` of texts, possibly optional or in a union."""
    if get_origin(annotation) is Literal:
        return all(isinstance(a, str) for a in get_args(annotation))
    return any(_is_choice(a) for a in get_args(annotation))


def lower_choices(model: type[BaseModel], data: Any) -> Any:
    """``data`` with the texts of ``model``'s choice fields (``Literal`` of names) stripped and in lower case.

    The one rule that makes a choice case-insensitive: ``visning: Offentlig``,
    ``betaler: Kommune`` and ``enhed: UGE`` are the names ``offentlig``,
    ``kommune`` and ``uge`` (the Excel layer does the same in ``excel_io.choice``).
    """
    if not isinstance(data, Mapping):
        return data
    out = dict(data)
    for name, info in model.model_fields.items():
        if isinstance(out.get(name), str) and _is_choice(info.annotation):
            out[name] = out[name].strip().lower()
    return out


class Choices(BaseModel):
    """Base for models whose choice fields are case-insensitive (:func:`lower_choices`)."""

    @model_validator(mode="before")
    @classmethod
    def _lower_choices(cls, data: Any) -> Any:
        return lower_choices(cls, data)


def danish(error: Mapping[str, Any], model: type[BaseModel] | None = None) -> str:
    """Danish text for one pydantic error (``error`` as in ``ValidationError.errors()``).

    A value out of range names both bounds of the field when ``model``
    declares them, and the value given; a choice lists the allowed values.
    """
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in _BOUNDS:
        declared = _field_bounds(model, error.get("loc", ())) or {_BOUNDS[kind]: ctx.get(_BOUNDS[kind])}
        percent = declared.get("ge") == 0 and declared.get("le") == 1 and isinstance(value, (int, float)) and 1 < value <= 100
        hint = f" (en andel skrives 0–1: {shown(value)} % er {format_number(value / 100)})" if percent else ""
        return f"{bounds_text(**declared)}, ikke {shown(value)}{hint}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [o.strip() for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(value, options)
        return f"skal være en af: {', '.join(options)}, ikke {shown(value)}" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        holder = _model_at(model, error.get("loc", ()))
        field = error.get("loc", ("",))[-1]
        hint = did_you_mean(field, holder.model_fields) if holder is not None else ""
        return "ukendt felt" + (f" ({hint})" if hint else (f"; kendte felter: {', '.join(holder.model_fields)}" if holder else ""))
    if kind == "too_long":
        return f"har for mange elementer (højst {ctx.get('max_length')}; se README, Grænser)"
    if kind in _QUOTED and value is not None and not isinstance(value, (dict, list)):
        comma = isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+,\d+\s*", value)
        hint = f"; skriv {value.strip().replace(',', '.')} (punktum) i case-filen" if comma and kind.startswith("float") else ""
        return f"{_BY_TYPE[kind]}, ikke {shown(value)}{hint}"
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        cause = ctx["error"]
        return getattr(cause, "message", None) or str(cause)
    return _BY_TYPE.get(kind, "ugyldig værdi")
