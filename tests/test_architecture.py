"""The shape of the project: import direction, the UDF module, the data registry, the README."""

import ast
import inspect
import re
from pathlib import Path

import pytest

import udfs.excel as xl
from addin import reference
from udfs.core.data import DATA_DIR, manifest

ROOT = Path(__file__).resolve().parents[1]

FOUNDATION_FUNCTIONS = {
    "SI_ENHEDSPRIS", "SI_ENHEDSPRISER", "SI_PRISINDEKS", "SI_REFUSIONSSATS",
    "SI_KOMMUNAL_UDGIFT", "SI_DISKONTERINGSFAKTOR", "SI_NUTIDSVAERDI",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "udfs" / "core").rglob("*.py")) + [ROOT / "udfs" / "excel_io.py"], ids=lambda p: str(p.relative_to(ROOT)))
def test_core_is_free_of_xlwings_and_upper_layers(path):
    bad = {n for n in _imports(path) if n.split(".")[0] in {"xlwings", "workbooks", "addin"} or n.endswith("excel")}
    assert not bad, f"{path.name} imports {bad}"


def test_xlwings_conf_names_the_udf_module():
    conf = (ROOT / "addin" / "xlwings.conf").read_text(encoding="utf-8")
    match = re.search(r'^"UDF MODULES","([^"]+)"$', conf, re.M)
    assert match and match.group(1) == xl.__name__


def test_all_foundation_functions_are_registered():
    assert FOUNDATION_FUNCTIONS <= set(xl.REGISTRY)


@pytest.mark.parametrize("name", sorted(xl.REGISTRY))
def test_function_metadata_fits_excel_and_vba(name):
    meta = xl.REGISTRY[name]
    func = getattr(xl, name)
    params = inspect.signature(func).parameters.values()
    assert re.fullmatch(r"SI_[A-Z0-9_]+", name)
    assert meta["description"] and len(meta["description"]) <= 255  # Excel's limit for function help
    assert [p.name for p in params] == list(meta["args"]), "every argument has help, in order"
    for p in params:
        assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, f"{p.name}: VBA wrappers need positional arguments"
        assert re.fullmatch(r"[a-z][a-z0-9_]*", p.name), f"{p.name}: ASCII only, it becomes a VBA identifier"
        assert p.default in (inspect.Parameter.empty, None)
        assert 0 < len(meta["args"][p.name]) <= 255
    assert meta["example"].startswith(f"={name}(")


def test_readme_function_reference_is_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert reference.current_block(text) == reference.render(), "run: python -m addin.reference"


def test_every_data_file_is_registered_and_exists():
    registered = {d["file"] for d in manifest()["datasets"].values()}
    on_disk = {p.name for p in DATA_DIR.glob("*.csv")}
    assert registered == on_disk


def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


@pytest.mark.parametrize("path", sorted((ROOT / "udfs").rglob("*.py")) + sorted((ROOT / "addin").rglob("*.py")), ids=lambda p: p.name)
def test_nothing_below_workbooks_imports_it(path):
    assert not {n for n in _imports(path) if n.split(".")[0] == "workbooks"}, path


def test_workbooks_use_the_excel_layer_only_to_evaluate_the_kontrol_sheet():
    users = {p.name for p in (ROOT / "workbooks").glob("*.py") if any(n in ("udfs.excel",) for n in _imports(p))}
    assert users == {"si_eval.py"}


def _code_files():
    return sorted(p for top in ("udfs", "workbooks", "addin") for p in (ROOT / top).rglob("*.py"))


def test_no_rule_type_is_switched_on_outside_its_own_module():
    """A payment rule is one module of udfs/core/rules: no other code names a rule type or compares ``.type``."""
    from udfs.core.rules import rules

    types = {r.type_name() for r in rules()}
    for path in _code_files():
        if path.parent.name == "rules":
            continue
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if ">>>" not in line and "..." not in line)
        assert not re.search(r"(regel|rule)\.type\s*([!=]=|in\b)|code\s*==\s*\d", code), f"{path.name} switches on a rule's type"
        named = {t for t in types if f'"{t}"' in code or f"'{t}'" in code}
        assert not named, f"{path.name} names the rule types {named}"


def test_shared_words_and_tolerances_are_defined_once():
    """Authorities, payers, standard texts and tolerances live in udfs/core/vocabulary.py only."""
    defined = re.compile(r'^(AUTHORITIES|PAYERS|UNDEFINED|NOT_WITHIN|NONE_REACHED|NO_LOSS|TOLERANCE_KR|LEFT_OF|EXCEL_EQUAL)\b.*=', re.M)
    for path in _code_files():
        if path.name != "vocabulary.py":
            assert not defined.search(path.read_text(encoding="utf-8")), f"{path.name} defines a shared word again"
    for path in _code_files():
        text = path.read_text(encoding="utf-8")
        if path.name != "vocabulary.py":
            assert '"ikke defineret"' not in text and '"ikke inden for perioden"' not in text, path.name


@pytest.mark.parametrize("path", sorted((ROOT / "udfs" / "core" / "rules").glob("*.py")), ids=lambda p: p.name)
def test_a_rule_module_imports_only_what_is_below_it(path):
    """udfs/core/rules sits below the payment model: a rule imports checks, errors, validation (Danish validation
    errors, itself importing only checks and errors), vocabulary, limits (constants only: a step rule's most steps)
    and its base only."""
    allowed = {"..checks", "..errors", "..limits", "..validation", "..vocabulary", ".base", ".linear", ".per_period", ".rate_card", ".savings_share", ".switching_share", ".tier"}
    relative = {n for n in _imports(path) if n.startswith(".")}
    assert relative <= allowed, f"{path.name} imports {relative - allowed}"


def test_validation_imports_only_checks_and_errors():
    """udfs/core/validation.py (pydantic errors in Danish) sits beside checks, so every model may use it;
    besides them it uses only the leaf modules of Danish number texts and of the input limits (to say a technical
    limit in words), which import nothing of the core."""
    relative = {n for n in _imports(ROOT / "udfs" / "core" / "validation.py") if n.startswith(".")}
    assert relative <= {".checks", ".errors", ".danish_numbers", ".limits"}, relative
    assert not {n for n in _imports(ROOT / "udfs" / "core" / "danish_numbers.py") if n.startswith(".")}
    assert not {n for n in _imports(ROOT / "udfs" / "core" / "limits.py") if n.startswith(".")}
