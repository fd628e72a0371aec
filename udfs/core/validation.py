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
import math
import re

from collections.abc import Iterator, Mapping, Sequence
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, model_validator

from .checks import per_cent_hint
from .danish_numbers import fixed, number_from_text, unsigned_zero
from .errors import excerpt, did_you_mean, too_many
from .limits import MAX_AMOUNT

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
MISSING_VALUE = "mangler en værdi"
"""The message for a field left empty (``prisaar:`` with nothing after it, an empty cell), whatever its type."""
_QUOTED = {"float_type", "float_parsing", "int_type", "int_parsing", "int_from_float", "bool_type", "bool_parsing", "string_type"}
_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}


def shown(value: Any) -> str:
    """A value as a message quotes it: the one place values are quoted in messages.

    Numbers the Danish way (1.000.000.000; -5.000; 0,6; 2026: a positive whole number below 10.000
    could be a year and has no thousands point), a date as 01-01-2026, a
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
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e21):
        return f"{int(value):,}".replace(",", ".") if value >= 10_000 or value <= -1000 else str(int(value))  # years stay 2026
    if isinstance(value, float):  # at 15 significant digits, as Excel shows it: 40,000000001 is not 40
        return unsigned_zero(format(value, ".15g").replace(".", ","))
    return f"'{excerpt(value)}'"


def technical(bound: float | None) -> bool:
    """Whether ``bound`` is a technical limit (:data:`~udfs.core.limits.MAX_AMOUNT`, 10¹²: no case comes near it),
    not a rule of the field's domain (a share's 1, a year's 2100): a message says it in words (:func:`limit_words`)."""
    return bound is not None and abs(bound) >= MAX_AMOUNT


def limit_words(bound: float) -> str:
    """A technical limit as a person reads it: ``1.000 mia.`` for 10¹² (``-1.000 mia.``)."""
    return f"{fixed(bound / 1e9, 0)} mia."


def bounds_text(ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None,
                value: Any = None) -> str:
    """The Danish rule for a range: ``"skal ligge mellem 1990 og 2100"``, ``"skal være større end -0,5 og mindre end 0,5"``.

    The one place a range is put in words.  A technical limit (:func:`technical`) is no rule the user has to
    learn, and 1.000.000.000.000 is no number to read: ``ge=0, le=10¹²`` is ``"må ikke være negativ (højst 1.000
    mia.)"``, and for a ``value`` beyond the limit only the limit is told (``"må højst være 1.000 mia."``).
    """
    low_bound, high_bound = (ge if ge is not None else gt), (le if le is not None else lt)
    if technical(high_bound) or technical(low_bound):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and technical(high_bound) and value > high_bound:
            return f"må højst være {limit_words(high_bound)}"
        if number and technical(low_bound) and value < low_bound:
            return f"må mindst være {limit_words(low_bound)}"
        if technical(low_bound) and technical(high_bound):
            return f"skal ligge mellem {limit_words(low_bound)} og {limit_words(high_bound)}"
        if technical(high_bound):
            rule = bounds_text(ge=ge, gt=gt) if low_bound is not None else ""
            return f"{rule} (højst {limit_words(high_bound)})" if rule else f"må højst være {limit_words(high_bound)}"
        return bounds_text(le=le, lt=lt)
    low = f"mindst {shown(ge)}" if ge is not None else (f"større end {shown(gt)}" if gt is not None else None)
    high = f"højst {shown(le)}" if le is not None else (f"mindre end {shown(lt)}" if lt is not None else None)
    if ge is not None and le is not None:
        return f"skal ligge mellem {shown(ge)} og {shown(le)}"
    if low and high:
        return f"skal være {low} og {high}"
    if ge == 0 and not high:
        return "må ikke være negativ"
    return f"skal være {low or high}"


def per_cent_range(value: Any, low: float | None, high: float | None) -> tuple[str, str]:
    """A share allowed above 100 % (the optimism mark-up, 0–2) read in per cent too, as ``(range, value)`` to
    follow the bounds and the value in a message: ``(" (0 %–200 %)", " (250 %)")`` for 2,5 where 0–2 is allowed,
    so that "skal ligge mellem 0 og 2 (0 %–200 %), ikke 2,5 (250 %)" says what 2,5 means.  ``("", "")`` for
    a share within 0–1 (read as it is) or a value that is no number.

    The one per-cent reading of such a bound, for a case file's field (:func:`danish`) and a workbook's cell
    (:func:`workbooks.layout`'s check of an input); the caller decides that the field is a share.

    >>> per_cent_range(2.5, 0, 2)
    (' (0 %–200 %)', ' (250 %)')
    >>> per_cent_range(1.5, 0, 1)
    ('', '')
    """
    if high is None or high <= 1 or isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "", ""
    per_cent = lambda x: f"{fixed(x * 100, 0 if float(x * 100).is_integer() else 1)} %"  # noqa: E731
    return f" ({per_cent(low or 0)}–{per_cent(high)})", f" ({per_cent(value)})"


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


class PerCent:
    """Marks a number field as a share or a rate that may be typed in per cent although its bounds reach
    above 1 (the optimism mark-up on costs, 0–2): ``Annotated[float, Field(ge=0, le=2), PER_CENT]``.  A field
    whose bounds lie within −1 and 1 is one without the mark."""


PER_CENT = PerCent()


def _field_metadata(model: type[BaseModel] | None, loc: Sequence[Any]) -> list[Any]:
    """The declared metadata (bounds, :data:`PER_CENT`) of the field at ``loc`` in ``model``; ``[]`` when not found."""
    cls, info = model, None
    for part in loc:
        if isinstance(part, int):
            continue
        if cls is None or part not in cls.model_fields:
            return []
        info = cls.model_fields[part]
        cls = next(_models_in(info.annotation), None)
    return (list(info.metadata) or _annotated_metadata(info.annotation)) if info is not None else []


def _annotated_metadata(annotation: Any) -> list[Any]:
    """The metadata of an ``Annotated`` type, also inside an optional one (``Share | None``: the bounds of ``Share``)."""
    if get_origin(annotation) is Annotated:
        return [m for a in get_args(annotation)[1:] for m in (getattr(a, "metadata", None) or [a])]
    inner = [a for a in get_args(annotation) if a is not type(None)]
    optional = len(inner) == 1 and type(None) in get_args(annotation)  # X | None, not a list's or a mapping's elements
    return _annotated_metadata(inner[0]) if optional else []


def _bounds(metadata: Sequence[Any]) -> dict[str, float]:
    """The bounds (ge, gt, le, lt) declared in ``metadata``."""
    return {key: getattr(m, key) for m in metadata for key in ("ge", "gt", "le", "lt") if getattr(m, key, None) is not None}


def _is_per_cent(metadata: Sequence[Any]) -> bool:
    """A share or a rate, which may be typed in per cent: marked :data:`PER_CENT`, or bounded within −1 and 1."""
    bounds = _bounds(metadata)
    low, high = bounds.get("ge", bounds.get("gt")), bounds.get("le", bounds.get("lt"))
    return any(isinstance(m, PerCent) for m in metadata) or (low is not None and high is not None and -1 <= low and high <= 1)


def _field_bounds(model: type[BaseModel] | None, loc: Sequence[Any]) -> dict[str, float]:
    """The declared bounds (ge, gt, le, lt) of the field at ``loc`` in ``model``; ``{}`` when not found."""
    return _bounds(_field_metadata(model, loc))


def _tagged(cls: type[BaseModel], tag: str) -> bool:
    """Whether ``cls`` is the member of a tagged union that pydantic names ``tag`` (a field fixed to it)."""
    return any(get_origin(f.annotation) is Literal and get_args(f.annotation) == (tag,) for f in cls.model_fields.values())


def _model_at(model: type[BaseModel] | None, loc: Sequence[Any]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (``None`` when not found).

    A part of ``loc`` that is no field of the models reached is a key of a mapping (``fordelinger``'s
    driver name) or a union member's tag (a payment rule's ``type``): it is passed over, the tag
    choosing its member.
    """
    if model is None:
        return None
    found: list[type[BaseModel]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        holders = [c for c in found if part in c.model_fields]
        if holders:
            found = list(dict.fromkeys(m for c in holders for m in _models_in(c.model_fields[part].annotation)))
            if not found:
                return None
        else:
            found = [c for c in found if _tagged(c, str(part))] or found
    return found[0] if found else None


MAX_PLACES = 3
"""A field known at more places of a file than this (``navn``, ``id``) gets no hint of where it belongs."""


def _places(model: type[BaseModel], name: str, path: str = "", depth: int = 0) -> Iterator[str]:
    """The paths in ``model`` (as a user writes them: ``betalingsmodel.resultatmaal[…].regel``; "" the top) of the
    models that have a field ``name``."""
    if name in model.model_fields:
        yield path
    if depth >= 8:
        return
    for field, info in model.model_fields.items():
        annotation = info.annotation
        plain = [a for a in (annotation, *get_args(annotation)) if a is not type(None)]
        suffix = ("[…]" if any(get_origin(a) in (list, tuple) for a in plain)
                  else ".<navn>" if any(get_origin(a) is dict or get_origin(a) is Mapping for a in plain) else "")
        for inner in dict.fromkeys(_models_in(annotation)):
            yield from _places(inner, name, f"{path}.{field}{suffix}" if path else f"{field}{suffix}", depth + 1)


def wrong_level(model: type[BaseModel] | None, loc: Sequence[Any]) -> str:
    """Where an unknown field at ``loc`` belongs when it is a known field at another level of ``model`` (the file's
    root model): ``"'afkastloft' hører til øverst i case-filen, ikke under betalingsmodel"``; "" when it is known
    nowhere else (or at more than :data:`MAX_PLACES` places).  The one rule for a field put at the wrong level, for
    every file the project validates; the top is named by the model's ``FILE_WORDS`` (default "filen")."""
    if model is None or not loc or not isinstance(loc[-1], str):
        return ""
    places = list(dict.fromkeys(_places(model, loc[-1])))
    if not places or len(places) > MAX_PLACES:
        return ""
    top = f"øverst i {getattr(model, 'FILE_WORDS', 'filen')}"
    where = " eller ".join(top if p == "" else f"under {p}" for p in places)
    here = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc[:-1]).lstrip(".")
    return f"'{excerpt(loc[-1])}' hører til {where}, ikke " + (f"under {here}" if here else top)


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


def _number_kind(annotation: Any, metadata: Sequence[Any] = ()) -> tuple[str, bool] | None:
    """Whether a field holds numbers: ``("one", share)`` for a number, ``("list", share)`` for a list of
    numbers, ``None`` otherwise; ``share`` is true for a share or a rate, which may be typed in per cent
    (:func:`_is_per_cent`)."""
    if annotation in (int, float):
        return "one", _is_per_cent(metadata)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        inner = [m for a in args[1:] for m in (getattr(a, "metadata", None) or [a])]
        return _number_kind(args[0], (*metadata, *inner))
    if origin is list and args:
        element = _number_kind(args[0])
        return ("list", element[1]) if element and element[0] == "one" else None
    kinds = [k for k in (_number_kind(a, metadata) for a in args if a is not type(None)) if k]
    return kinds[0] if kinds and origin is not dict else None


def danish_value(value: Any, share: bool) -> Any:
    """A number text that is not a number in a case file's own (English) notation, read as Danes type it
    (:func:`~udfs.core.danish_numbers.number_from_text`): ``0,3``, ``1.000.000.000``, ``6.500,00``, and in a
    share or rate ``30 %``; anything else unchanged (left to the field's own check and message)."""
    if isinstance(value, Mapping) and "vaerdi" in value:  # a sourced value: {vaerdi, kilde, antagelse}
        return {**value, "vaerdi": danish_value(value["vaerdi"], share)}
    if not isinstance(value, str):
        return value
    try:
        float(value)
        return value  # 0.3, 1e6: the case file's own notation
    except ValueError:
        pass
    found = number_from_text(value)
    if found is None or (found[1] and not share):
        return value
    number, percent = found
    return float(number / 100 if percent else number) + 0.0


def danish_numbers(model: type[BaseModel], data: Any) -> Any:
    """``data`` with the number texts of ``model``'s number fields read as Danes type them, as the command
    line reads its options: ``succesrate: 30 %`` and ``succesrate: 0,3`` are 0.3, ``deltagere:
    [1.000.000.000]`` is 10⁹, ``beloeb: 6.500,00`` is 6500.  A text in the file's own notation (``0.3``)
    is left to the field; a per cent only where the field is a share or a rate (bounds within −1 and 1)."""
    if not isinstance(data, Mapping):
        return data
    out = None
    for name, info in model.model_fields.items():
        if name not in data:
            continue
        kind = _number_kind(info.annotation, info.metadata)
        if kind is None:
            continue
        value = data[name]
        inner = value.get("vaerdi") if isinstance(value, Mapping) and "vaerdi" in value else value
        if kind[0] == "list" and isinstance(inner, list):
            read = [danish_value(v, kind[1]) for v in inner]
            new = {**value, "vaerdi": read} if inner is not value else read
        elif kind[0] == "list" and isinstance(inner, Mapping):  # calendar year → value
            new = {y: danish_value(v, kind[1]) for y, v in inner.items()}
        else:
            new = danish_value(value, kind[1])
        if new is not value:
            out = dict(data) if out is None else out
            out[name] = new
    return data if out is None else out


class Choices(BaseModel):
    """Base for models whose choice fields are case-insensitive (:func:`lower_choices`) and whose number
    fields read Danish number texts (:func:`danish_numbers`)."""

    @model_validator(mode="before")
    @classmethod
    def _lower_choices(cls, data: Any) -> Any:
        return danish_numbers(cls, lower_choices(cls, data))


def danish(error: Mapping[str, Any], model: type[BaseModel] | None = None) -> str:
    """Danish text for one pydantic error (``error`` as in ``ValidationError.errors()``).

    A value out of range names both bounds of the field when ``model``
    declares them, and the value given; a choice lists the allowed values.
    """
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if value is None and "input" in error and kind != "missing":  # empty: said so, not what the value should have been
        return MISSING_VALUE
    if kind in _BOUNDS:
        metadata = _field_metadata(model, error.get("loc", ()))
        declared = _bounds(metadata) or {_BOUNDS[kind]: ctx.get(_BOUNDS[kind])}
        low, high = declared.get("ge", declared.get("gt")), declared.get("le", declared.get("lt"))
        share = _is_per_cent(metadata)
        hint = per_cent_hint(value, low, high) if share else ""
        range_pc, value_pc = per_cent_range(value, low, high) if share else ("", "")
        return f"{bounds_text(**declared, value=value)}{range_pc}, ikke {shown(value)}{value_pc}" + (f"; {hint}" if hint else "")
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [o.strip() for o in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(value, options)
        return f"skal være en af: {', '.join(options)}, ikke {shown(value)}" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        holder = _model_at(model, error.get("loc", ()))
        field = error.get("loc", ("",))[-1]
        elsewhere = wrong_level(model, error.get("loc", ()))
        if elsewhere:
            return f"ukendt felt her; {elsewhere}"
        hint = did_you_mean(field, holder.model_fields, getattr(holder, "FIELD_ALIASES", None)) if holder is not None else ""
        return "ukendt felt" + (f" ({hint})" if hint else (f"; kendte felter: {', '.join(holder.model_fields)}" if holder else ""))
    if kind == "too_long":
        return too_many(ctx.get("max_length"))
    if kind in _QUOTED and value is not None and not isinstance(value, (dict, list)):
        comma = isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+,\d+\s*", value)
        hint = f"; skriv {value.strip().replace(',', '.')} (punktum) i case-filen" if comma and kind.startswith("float") else ""
        if isinstance(value, str) and value.strip().endswith("%") and number_from_text(value) is not None:
            hint = "; feltet er ikke en andel: skriv tallet uden %"
        return f"{_BY_TYPE[kind]}, ikke {shown(value)}{hint}"
    if kind in ("value_error", "assertion_error") and ctx.get("error") is not None:
        cause = ctx["error"]
        return getattr(cause, "message", None) or str(cause)
    return _BY_TYPE.get(kind, "ugyldig værdi")
