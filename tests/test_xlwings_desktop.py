"""The desktop route checked without Excel, through xlwings's own classic machinery.

On Windows, *Import Functions* runs ``xlwings.import_udfs``: it imports the UDF
module, writes one VBA wrapper per ``@xw.func`` function with
``generate_vba_wrapper``, imports that VBA module into the workbook and
registers each function's help with ``Application.MacroOptions``.  Excel then
calls each wrapper, which calls ``xlwings.udfs.call_udf``: it converts the
arguments with ``xlwings.conversion.read``, calls the function and converts the
result with ``xlwings.conversion.write``.

Here the same xlwings code runs on Linux.  Only what cannot exist outside
Windows is replaced: the pywin32 modules (``pythoncom``, ``pywintypes``,
``win32com`` …) and ctypes' Windows DLL loaders (``windll``, ``oledll``,
``PyDLL`` for pythoncom's DLL), so that xlwings's real Windows engine
(``xlwings._xlwindows``, whose value cleaning turns COM dates and error codes
into Python values), its COM server module and ``xlwings.udfs`` import
unchanged.  The workbook handed to ``import_udfs`` is a recording fake.

``udfs.excel`` is loaded afresh with xlwings's classic decorators in effect
(``xw.func``/``xw.arg``/``xw.ret`` are ``xlfunc``/``xlarg``/``xlret`` on
Windows), so the decorators the module really uses produce ``__xlfunc__``.
Every check iterates over ``udfs.excel.REGISTRY``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import datetime as dt
import importlib.util
import inspect
import re
import sys
import types
from pathlib import Path
from unittest import mock

import pytest

import udfs.excel as xl
from addin import examples

ROOT = Path(__file__).resolve().parents[1]
MODULE = xl.__name__  # "udfs.excel", the UDF module named in addin/xlwings.conf

# What pywin32 hands to call_udf for an optional argument the formula leaves out
# (VBA's Missing: DISP_E_PARAMNOTFOUND); call_udf replaces it by the default.
MISSING = -2147352572
# The COM value of a cell holding #N/A (xlwings._xlwindows.cell_errors).
NA_ERROR = -2146826246

WIN32_MODULES = [
    "pythoncom", "pywintypes", "win32api", "win32con", "win32gui", "win32process", "win32timezone",
    "win32event", "win32com", "win32com.client", "win32com.server", "win32com.server.dispatcher",
    "win32com.server.policy", "win32com.server.util",
]
XLWINGS_WINDOWS_MODULES = ["xlwings._xlwindows", "xlwings.com_server", "xlwings.udfs"]


class ComTime(dt.datetime):
    """pywintypes.TimeType: pywin32's date type, a datetime subclass (how Excel dates arrive)."""


class ComError(Exception):
    """pywintypes.com_error."""


def _stub_module(name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attrs)
    module.__getattr__ = lambda attr: mock.MagicMock(name=f"{name}.{attr}")  # PEP 562
    return module


@contextlib.contextmanager
def windows_stubs():
    """Import xlwings's Windows modules on Linux with pywin32 and Windows DLLs stubbed."""
    import xlwings
    from xlwings.main import Engine

    saved_modules = {n: sys.modules.get(n) for n in WIN32_MODULES + XLWINGS_WINDOWS_MODULES}
    saved_ctypes = {n: getattr(ctypes, n, None) for n in ("windll", "oledll", "PyDLL")}
    stubs = {n: _stub_module(n) for n in WIN32_MODULES}
    stubs["pywintypes"] = _stub_module("pywintypes", TimeType=ComTime, com_error=ComError, error=ComError, IID=str)
    engine = None
    try:
        sys.modules.update(stubs)
        ctypes.windll, ctypes.oledll, ctypes.PyDLL = mock.MagicMock(), mock.MagicMock(), mock.MagicMock()
        try:
            import xlwings._xlwindows as xlwindows
            import xlwings.com_server  # noqa: F401  (call_udf imports its event loop)
            import xlwings.udfs as xludfs
        finally:
            for name, value in saved_ctypes.items():
                if value is None:
                    delattr(ctypes, name)
                else:
                    setattr(ctypes, name, value)
        atexit.unregister(xlwindows.cleanup)  # it would look for Excel windows at exit
        engine = Engine(impl=xlwindows.engine)
        xlwings.engines.add(engine)  # as xlwings/__init__.py does on Windows
        yield xludfs
    finally:
        if engine is not None:
            xlwings.engines.engines.remove(engine)
            xlwings.engines.engines_by_name.pop("excel", None)
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        for attr in ("_xlwindows", "com_server", "udfs"):
            if saved_modules[f"xlwings.{attr}"] is None and attr in vars(xlwings):
                delattr(xlwings, attr)


def load_with_classic_decorators(xludfs, path: Path = ROOT / "udfs" / "excel.py", name: str = MODULE, **globals_):
    """A fresh copy of a UDF module, decorated by xlwings's classic (Windows) decorators."""
    import xlwings

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(globals_)
    previous = sys.modules.get(name)
    with mock.patch.multiple(xlwings, func=xludfs.xlfunc, arg=xludfs.xlarg, ret=xludfs.xlret):
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        finally:
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous
    return module


@pytest.fixture(scope="module")
def classic():
    """(xlwings.udfs, the classic-decorated udfs.excel); call_udf finds that module."""
    with windows_stubs() as xludfs:
        module = load_with_classic_decorators(xludfs)
        xludfs.udf_modules[MODULE] = {"filename": module.__file__, "filetime": None, "module": module}
        try:
            yield xludfs, module
        finally:
            xludfs.udf_modules.pop(MODULE, None)


# --------------------------------------------------------------------------- Import Functions


class FakeWorkbook:
    """The COM workbook import_udfs works on: records the VBA import and MacroOptions."""

    def __init__(self, name: str):
        self.Name = name
        self.imported_vba: str | None = None
        self.macro_options: dict[str, dict] = {}
        book = self

        class Components:
            def __call__(self, name):
                raise ComError("no such component")  # first import: nothing to remove

            def Remove(self, component):  # noqa: N802 (COM name)
                pass

            def Import(self, path):  # noqa: N802
                book.imported_vba = Path(path).read_text()

        class Application:
            Version = "16.0"

            def MacroOptions(self, macro, **kwargs):  # noqa: N802
                book.macro_options[macro] = kwargs

        self.VBProject = types.SimpleNamespace(VBComponents=Components())
        self.Application = Application()


@pytest.fixture(scope="module", params=["Bog1.xlsm", "sociale_investeringer.xlam"])
def imported(classic, request):
    """What Import Functions puts into a workbook (or an add-in), via xlwings.import_udfs."""
    xludfs, module = classic
    book = FakeWorkbook(request.param)
    xludfs.import_udfs(MODULE, book)
    return book, module


VBA_KEYWORDS = {  # VBA's reserved words (MS-VBAL 3.3.5.2): not allowed as names
    "abs", "addressof", "and", "any", "as", "attribute", "boolean", "byref", "byte", "byval", "call", "case",
    "cbool", "cbyte", "ccur", "cdate", "cdbl", "cdec", "cint", "circle", "clng", "clnglng", "clngptr",
    "close", "const", "csng", "cstr", "currency", "cvar", "cverr", "date", "debug", "decimal", "declare",
    "defbool", "defbyte", "defcur", "defdate", "defdbl", "defdec", "defint", "deflng", "deflnglng",
    "deflngptr", "defobj", "defsng", "defstr", "defvar", "dim", "do", "doevents", "double", "each", "else",
    "elseif", "empty", "end", "endif", "enum", "eqv", "erase", "error", "event", "exit", "false", "fix",
    "for", "friend", "function", "get", "global", "gosub", "goto", "if", "imp", "implements", "in", "input",
    "inputb", "int", "integer", "is", "lbound", "len", "lenb", "let", "lib", "like", "line", "lock", "long",
    "longlong", "longptr", "loop", "lset", "me", "mod", "new", "next", "not", "nothing", "null", "object",
    "on", "open", "option", "optional", "or", "paramarray", "preserve", "print", "private", "property",
    "pset", "public", "put", "raiseevent", "redim", "rem", "resume", "return", "rset", "scale", "seek",
    "select", "set", "sgn", "shared", "single", "spc", "static", "stop", "string", "sub", "tab", "then",
    "to", "true", "type", "typeof", "ubound", "unlock", "until", "variant", "vb_base", "vb_control",
    "vb_creatable", "vb_customizable", "vb_description", "vb_exposed", "vb_ext_key", "vb_globalnamespace",
    "vb_helpid", "vb_invoke_func", "vb_invoke_property", "vb_invoke_propertyput",
    "vb_invoke_propertyputref", "vb_memberflags", "vb_name", "vb_predeclaredid", "vb_procdata",
    "vb_templatederived", "vb_usermemid", "vb_varhelpid", "vb_varmemberflags", "vb_varprocdata",
    "vb_varusermemid", "wend", "while", "with", "withevents", "write", "xor",
    # the wrapper's own names: its error label and the loop variable of ParamArray wrappers
    "failed", "k", "argsarray",
}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,254}")
# A1-style (up to XFD1048576) or R1C1-style cell references: Excel refuses them as function names.
_CELL_REFERENCE = re.compile(r"([A-Za-z]{1,3}[0-9]{1,7}|[Rr][0-9]*[Cc][0-9]*)")
_FUNCTION = re.compile(r"^Function (\w+)\(([^\n]*)\)$\n(.*?)^End Function$", re.M | re.S)


def parse_vba(vba: str) -> dict[str, dict]:
    """Function name → {'params': [(name, optional)], 'body': text} from a VBA module."""
    out = {}
    for name, params, body in _FUNCTION.findall(vba):
        parsed = []
        for p in filter(None, (s.strip() for s in params.split(","))):
            parsed.append((p.removeprefix("Optional "), p.startswith("Optional ")))
        out[name] = {"params": parsed, "body": body}
    return out


def vba_problems(vba: str, module, workbook_name: str, macro_options: dict[str, dict], module_name: str = MODULE) -> list[str]:
    """Everything wrong with the imported VBA and function help, against the Python functions."""
    problems = []
    functions = {n: f for n, f in vars(module).items() if hasattr(f, "__xlfunc__")}
    wrappers = parse_vba(vba)
    if set(wrappers) != set(functions):
        problems.append(f"VBA wrappers {sorted(wrappers)} != functions {sorted(functions)}")
    if not vba.startswith('Attribute VB_Name = "xlwings_udfs"'):
        problems.append("the VBA module is not named xlwings_udfs")
    workbook_ref = "ActiveWorkbook" if workbook_name.endswith(".xlam") else "ThisWorkbook"
    for name, func in sorted(functions.items()):
        wrapper = wrappers.get(name)
        if wrapper is None:
            continue
        params = inspect.signature(func).parameters.values()
        expected = [(p.name, p.default is not inspect.Parameter.empty) for p in params]
        if wrapper["params"] != expected:
            problems.append(f"{name}: VBA parameters {wrapper['params']} != Python {expected}")
        names = [name] + [p for p, _ in wrapper["params"]]
        for ident in names:
            if not _IDENTIFIER.fullmatch(ident) or ident.lower() in VBA_KEYWORDS:
                problems.append(f"{name}: {ident!r} is not a usable VBA identifier")
        if len({n.lower() for n in names}) != len(names):
            problems.append(f"{name}: names collide in VBA (case-insensitive): {names}")
        if _CELL_REFERENCE.fullmatch(name):
            problems.append(f"{name}: looks like a cell reference")
        call = (f'{name} = XLPy.CallUDF("{module_name}", "{name}", Array({", ".join(p for p, _ in wrapper["params"])}), '
                f"{workbook_ref}, Application.Caller)")
        if call not in wrapper["body"]:
            problems.append(f"{name}: the wrapper does not call {call}")
        if f"{name} = Err.Description" not in wrapper["body"]:
            problems.append(f"{name}: the wrapper does not show Python errors in the cell")
        # the help Excel's function wizard shows (MacroOptions, which cuts at 255 characters)
        options = macro_options.get(f"'{workbook_name}'!{name}")
        if options is None:
            problems.append(f"{name}: no MacroOptions (no help in the function wizard)")
            continue
        info = func.__xlfunc__
        docs = [a["doc"] for a in info["args"]]
        if not (func.__doc__ or "").strip() or len(info["ret"]["doc"]) > 255 or options["Description"] != info["ret"]["doc"]:
            problems.append(f"{name}: description missing, cut or longer than 255 characters")
        if options["Category"] != xl.CATEGORY:
            problems.append(f"{name}: category {options['Category']!r}")
        if list(options["ArgumentDescriptions"] or []) != docs:
            problems.append(f"{name}: argument help {options['ArgumentDescriptions']} != {docs}")
        for arg, doc in zip(info["args"], docs):
            if not doc or doc.startswith("Positional argument") or len(doc) > 255:
                problems.append(f"{name}: help for {arg['name']!r} missing or longer than 255 characters")
    return problems


def test_import_functions_generates_a_checked_wrapper_for_every_function(imported):
    book, module = imported
    assert book.imported_vba, "import_udfs imported no VBA module"
    assert vba_problems(book.imported_vba, module, book.Name, book.macro_options) == []


def test_every_registered_function_has_a_wrapper(imported):
    book, _ = imported
    assert set(parse_vba(book.imported_vba)) == set(xl.REGISTRY)


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_wrapper_matches_registry(imported, name):
    book, module = imported
    wrapper = parse_vba(book.imported_vba)[name]
    assert [p for p, _ in wrapper["params"]] == list(xl.REGISTRY[name]["args"])
    options = book.macro_options[f"'{book.Name}'!{name}"]
    assert options["Description"] == xl.REGISTRY[name]["description"]
    assert list(options["ArgumentDescriptions"]) == list(xl.REGISTRY[name]["args"].values())


def test_the_generator_itself_agrees(classic, tmp_path):
    """generate_vba_wrapper alone (the function import_udfs uses) gives the same wrappers."""
    xludfs, module = classic
    out = tmp_path / "udfs.bas"
    with out.open("w") as f:
        xludfs.generate_vba_wrapper(MODULE, module, f, types.SimpleNamespace(Name="Bog1.xlsm"))
    wrappers = parse_vba(out.read_text())
    assert set(wrappers) == set(xl.REGISTRY)
    signature = inspect.signature(xl.SI_ENHEDSPRIS)
    assert wrappers["SI_ENHEDSPRIS"]["params"] == [(p, signature.parameters[p].default is not inspect.Parameter.empty) for p in signature.parameters]


# --------------------------------------------------------------------------- a breaking change fails


def _broken_module(xludfs, source: str, tmp_path: Path):
    """A small UDF module using the project's excel_function decorator, loaded like udfs.excel.

    The decorator comes from a private fresh copy of udfs.excel, so the real
    module's REGISTRY is never touched."""
    helper = load_with_classic_decorators(xludfs)
    path = tmp_path / "broken_udfs.py"
    path.write_text(source, encoding="utf-8")
    return load_with_classic_decorators(xludfs, path, "broken_udfs", excel_function=helper.excel_function)


def _source(name: str, params: list[str], doc: str | None) -> str:
    args = {p.split("=")[0]: "hjælp" for p in params}
    lines = [f"@excel_function(args={args!r}, example='=X()', excel_equivalent='-')", f"def {name}({', '.join(params)}):"]
    if doc is not None:
        lines.append(f"    {doc!r}")
    return "\n".join(lines + ["    return 1.0", ""])


def test_keyword_only_argument_breaks_import(classic, tmp_path):
    xludfs, _ = classic
    with pytest.raises(Exception, match="keyword arguments"):
        _broken_module(xludfs, _source("SI_X", ["x", "*", "y=None"], "Hjælp."), tmp_path)


@pytest.mark.parametrize(
    ("name", "params", "doc", "problem"),
    [
        ("SI_X", ["x", "prisår=None"], "Hjælp.", "not a usable VBA identifier"),  # Danish letter
        ("SI_X", ["x", "Dim=None"], "Hjælp.", "not a usable VBA identifier"),  # VBA keyword
        ("SI_X", ["si_x"], "Hjælp.", "collide"),  # argument named like the function
        ("SI1", ["x"], "Hjælp.", "cell reference"),
        ("SI_X", ["x"], "h" * 256, "255"),  # MacroOptions would cut the help
        ("SI_X", ["x"], None, "description missing"),
    ],
)
def test_checker_catches_broken_functions(classic, tmp_path, name, params, doc, problem):
    xludfs, _ = classic
    module = _broken_module(xludfs, _source(name, params, doc), tmp_path)
    del module.excel_function
    book = FakeWorkbook("Bog1.xlsm")
    xludfs.udf_modules["broken_udfs"] = {"filename": str(tmp_path / "broken_udfs.py"), "filetime": None, "module": module}
    try:
        xludfs.import_udfs("broken_udfs", book)
    finally:
        xludfs.udf_modules.pop("broken_udfs")
    problems = vba_problems(book.imported_vba, module, book.Name, book.macro_options, "broken_udfs")
    assert any(problem in p for p in problems), problems


def test_checker_passes_a_good_function(classic, tmp_path):
    xludfs, _ = classic
    module = _broken_module(xludfs, _source("SI_X", ["x", "prisaar=None"], "Hjælp."), tmp_path)
    del module.excel_function
    book = FakeWorkbook("Bog1.xlsm")
    xludfs.udf_modules["broken_udfs"] = {"filename": str(tmp_path / "broken_udfs.py"), "filetime": None, "module": module}
    try:
        xludfs.import_udfs("broken_udfs", book)
    finally:
        xludfs.udf_modules.pop("broken_udfs")
    assert vba_problems(book.imported_vba, module, book.Name, book.macro_options, "broken_udfs") == []


# --------------------------------------------------------------------------- calls as Excel makes them


def excel_value(value):
    """A Python value as it arrives from Excel through pywin32: floats for numbers,
    pywin32 dates, tuples of tuples for ranges."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, dt.date):
        return ComTime(value.year, value.month, value.day)
    if isinstance(value, (list, tuple)):
        return tuple(excel_value(v) for v in value)
    raise TypeError(value)


def as_cells(value):
    """What the cells show for a Python result: a 2-D block, empty cells for None."""
    rows = value if isinstance(value, list) and value and isinstance(value[0], list) else [value if isinstance(value, list) else [value]]
    return [["" if c is None else c for c in row] for row in rows]


def call_like_excel(classic, name, *args):
    """The function called through xlwings's call_udf, as the VBA wrapper calls it."""
    xludfs, _ = classic
    return xludfs.call_udf(MODULE, name, tuple(args), None, None)


#: Cell values behind the range references in the examples (the rest get 100, 200, …).
REFERENCE_VALUES = {
    "SI_NUTIDSVAERDI": {"B5:K5": [[-1_000_000.0] + [150_000.0] * 9]},
    "SI_INVESTOR_IRR": {"B5:F5": [[-1_000_000.0, 250_000.0, 300_000.0, 350_000.0, 400_000.0]]},
}


def example_arguments(name: str) -> list:
    """The example's arguments, with VBA's Missing for a left-out one."""
    args = examples.example_arguments(name, REFERENCE_VALUES.get(name))
    return [MISSING if a is examples.OMITTED else a for a in args]


def _direct(name, args):
    return getattr(xl, name)(*[None if a is MISSING else a for a in args])


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_example_through_call_udf_equals_direct_call(classic, name):
    args = example_arguments(name)
    got = call_like_excel(classic, name, *[a if a is MISSING else excel_value(a) for a in args])
    assert got == as_cells(_direct(name, args))


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_omitted_optional_arguments_are_their_defaults(classic, name):
    """Every optional argument left out (VBA Missing) gives what the Python default gives."""
    args = example_arguments(name)
    params = list(inspect.signature(getattr(xl, name)).parameters.values())
    required = [p for p in params if p.default is inspect.Parameter.empty]
    args = args[: len(required)] + [MISSING] * (len(params) - len(required))
    got = call_like_excel(classic, name, *[a if a is MISSING else excel_value(a) for a in args])
    assert got == as_cells(_direct(name, args[: len(required)]))


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_bad_first_argument_gives_a_danish_message_naming_it(classic, name):
    """A TRUE where the first argument belongs: a short Danish text naming that argument."""
    args = example_arguments(name) or [MISSING]
    first = next(iter(inspect.signature(getattr(xl, name)).parameters))
    args[0] = True
    got = call_like_excel(classic, name, *[a if a is MISSING else excel_value(a) for a in args])
    assert len(got) == 1 and len(got[0]) == 1
    message = got[0][0]
    assert isinstance(message, str) and message.startswith(f"Fejl i {first}"), message
    assert "Traceback" not in message and "uventet fejl" not in message


# Good calls of the foundation functions: Excel-shaped arguments, the direct Python call.
GOOD = [
    ("SI_REFUSIONSSATS", (30.0,), (30,)),
    ("SI_REFUSIONSSATS", (((53.0,),), "medfinansiering_2016"), (53, "medfinansiering_2016")),  # a 1×1 range
    ("SI_REFUSIONSSATS", (4.0, MISSING), (4,)),
    ("SI_KOMMUNAL_UDGIFT", (1000.0, 1.0, 60.0, MISSING), (1000, 1, 60)),
    ("SI_DISKONTERINGSFAKTOR", (40.0, None), (40,)),  # an empty cell for the optional schedule
    ("SI_DISKONTERINGSFAKTOR", (10.0, 0.04), (10, 0.04)),
    ("SI_PRISINDEKS", (2019.0, 2023.0, "fpi"), (2019, 2023, "fpi")),
    ("SI_NUTIDSVAERDI", (((-1000.0, 500.0, 600.0),), 0.04), ([-1000, 500, 600], 0.04)),  # a row
    ("SI_NUTIDSVAERDI", (((-1000.0,), (500.0,), (600.0,)), MISSING), ([[-1000], [500], [600]],)),  # a column
    ("SI_ENHEDSPRISER", ("sygedagpenge", MISSING, MISSING, MISSING), ("sygedagpenge",)),  # spills a table
    ("SI_ENHEDSPRIS", ("anbringelse_plejefamilie_aar", 2023.0, "kommune"), ("anbringelse_plejefamilie_aar", 2023, "kommune")),
    ("SI_ENHEDSPRIS", ("fleksloentilskud_max_uge", None, "stat", None), ("fleksloentilskud_max_uge", None, "stat")),
]

# Bad calls: Excel-shaped arguments → the cell's text.
BAD = [
    ("SI_REFUSIONSSATS", (1.5,), "Fejl i uge: skal være et helt tal, ikke 1,5"),
    ("SI_REFUSIONSSATS", (None,), "Fejl i uge: mangler (tom celle)"),  # empty cell
    ("SI_REFUSIONSSATS", (NA_ERROR,), "Fejl i uge: er fejlværdien #N/A; ret cellen eller formlen, der giver fejlen"),
    ("SI_REFUSIONSSATS", ("tredive",), "Fejl i uge: skal være et tal, ikke teksten 'tredive'"),
    ("SI_PRISINDEKS", (ComTime(2019, 1, 1), 2023.0), "Fejl i fra_aar: skal være et tal, ikke en dato"),
    ("SI_DISKONTERINGSFAKTOR", (True,), "Fejl i aar: skal være et tal, ikke SAND/FALSK"),
    ("SI_ENHEDSPRIS", ((("a", "b"), ("c", "d")),), "Fejl i id: skal være én celle, ikke et område"),
    ("SI_KOMMUNAL_UDGIFT", (-5.0, 1.0, 2.0), "Fejl i beloeb_pr_uge: må ikke være negativ"),
    ("SI_NUTIDSVAERDI", (((1.0, None, 3.0),),), "Fejl i beloeb[2]: mangler (tom celle)"),
    ("SI_NUTIDSVAERDI", (((1.0, 2.0), (3.0, 4.0)),), "Fejl i beloeb: skal være én række eller én kolonne"),
]


def _id(case):
    return f"{case[0]}{case[1]!r}"[:60]


@pytest.mark.parametrize(("name", "excel_args", "python_args"), GOOD, ids=[_id(c) for c in GOOD])
def test_good_calls_through_xlwings_equal_direct_calls(classic, name, excel_args, python_args):
    direct = getattr(xl, name)(*python_args)
    got = call_like_excel(classic, name, *excel_args)
    assert got == as_cells(direct)
    assert not any(isinstance(c, str) and c.startswith("Fejl i ") for row in got for c in row), got


@pytest.mark.parametrize(("name", "excel_args", "message"), BAD, ids=[_id(c) for c in BAD])
def test_bad_calls_through_xlwings_answer_in_danish(classic, name, excel_args, message):
    assert call_like_excel(classic, name, *excel_args) == [[message]]


def test_dates_arrive_as_datetimes(classic):
    """Excel dates come through pywin32 as its time type; xlwings hands the function datetimes."""
    if "SI_INVESTOR_IRR" not in xl.REGISTRY:
        pytest.skip("SI_INVESTOR_IRR is not there yet")
    flows = [[-1000.0, 300.0, 400.0, 500.0]]
    days = [[dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)]]
    got = call_like_excel(classic, "SI_INVESTOR_IRR", excel_value(flows), excel_value(days), MISSING)
    direct = xl.SI_INVESTOR_IRR(flows, [[dt.datetime(d.year, d.month, d.day) for d in days[0]]])
    assert got == as_cells(direct)
    assert isinstance(got[0][0], float), got
