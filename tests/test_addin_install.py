"""addin.install: the user's xlwings config gets the interpreter and the UDF module, nothing else changes."""

import pytest

import udfs.excel as xl
from addin import install


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"INTERPRETER_WIN","C:\\py\\python.exe"\n"UDF MODULES",""\n', {"INTERPRETER_WIN": "C:\\py\\python.exe", "UDF MODULES": ""}),
        ('"udf modules","a;b"\r\n\r\n', {"UDF MODULES": "a;b"}),  # keys are case-insensitive, CRLF and blank lines
        ("", {}),
        ("not a setting\n", {}),
    ],
)
def test_parse(text, expected):
    assert install.parse(text) == expected


@pytest.mark.parametrize(
    ("existing", "platform", "expected"),
    [
        ({}, "win32", {"UDF MODULES": "udfs.excel", "INTERPRETER_WIN": "PY"}),
        ({}, "darwin", {"UDF MODULES": "udfs.excel", "INTERPRETER_MAC": "PY"}),
        # other modules and settings are kept; the interpreter is replaced
        ({"LICENSE_KEY": "k", "UDF MODULES": "mine", "INTERPRETER_WIN": "old"}, "win32",
         {"LICENSE_KEY": "k", "UDF MODULES": "mine;udfs.excel", "INTERPRETER_WIN": "PY"}),
        # already there: not added twice
        ({"UDF MODULES": "udfs.excel;mine"}, "win32", {"UDF MODULES": "udfs.excel;mine", "INTERPRETER_WIN": "PY"}),
        ({"INTERPRETER_MAC": "/mac/py"}, "win32", {"INTERPRETER_MAC": "/mac/py", "UDF MODULES": "udfs.excel", "INTERPRETER_WIN": "PY"}),
    ],
)
def test_merged(existing, platform, expected):
    project = install.parse(install.PROJECT_CONF.read_text(encoding="utf-8"))
    assert install.merged(existing, project, "PY", platform) == expected


def test_project_conf_names_the_excel_module():
    assert install.parse(install.PROJECT_CONF.read_text(encoding="utf-8"))["UDF MODULES"] == xl.__name__


def test_install_writes_a_file_xlwings_and_vba_can_read(tmp_path):
    config = tmp_path / ".xlwings" / "xlwings.conf"
    text = install.install(config, interpreter=r"C:\Users\Søren\sibc\.venv\Scripts\python.exe", platform="win32", encoding="cp1252")
    # the bytes are ANSI (cp1252), as Excel's VBA `Input #` reads them
    assert config.read_bytes() == text.encode("cp1252")
    assert "ø".encode("cp1252") in config.read_bytes()
    assert config.read_bytes().decode("cp1252").splitlines() == [
        '"UDF MODULES","udfs.excel"',
        r'"INTERPRETER_WIN","C:\Users\Søren\sibc\.venv\Scripts\python.exe"',
    ]


def test_install_keeps_existing_settings_and_is_idempotent(tmp_path):
    config = tmp_path / "xlwings.conf"
    config.write_text('"LICENSE_KEY","noncommercial"\n"UDF MODULES","egne_udfs"\n', encoding="cp1252")
    first = install.install(config, interpreter="/opt/py", platform="win32", encoding="cp1252")
    second = install.install(config, interpreter="/opt/py", platform="win32", encoding="cp1252")
    assert first == second
    assert install.parse(second) == {"LICENSE_KEY": "noncommercial", "UDF MODULES": "egne_udfs;udfs.excel", "INTERPRETER_WIN": "/opt/py"}


def test_dry_run_writes_nothing(tmp_path):
    config = tmp_path / "xlwings.conf"
    install.install(config, interpreter="/opt/py", platform="win32", dry_run=True)
    assert not config.exists()


@pytest.mark.parametrize(
    ("interpreter", "encoding"),
    [('C:\\a"b\\python.exe', "cp1252"), ("C:\\a\nb", "cp1252"), ("C:\\用户\\python.exe", "cp1252")],
)
def test_unwritable_values_are_refused(tmp_path, interpreter, encoding):
    with pytest.raises(install.ConfigError):
        install.install(tmp_path / "x.conf", interpreter=interpreter, platform="win32", encoding=encoding)
    assert not (tmp_path / "x.conf").exists()


def test_main_prints_the_remaining_excel_step_in_danish(tmp_path, capsys):
    config = tmp_path / "xlwings.conf"
    assert install.main(["--config", str(config), "--interpreter", "/opt/py"]) == 0
    out = capsys.readouterr().out
    assert "Import Functions" in out and "Trust access to the VBA project object model" in out
    assert "=SI_" in out and str(config) in out
    assert install.parse(config.read_text(encoding=install.locale.getpreferredencoding(False)))["UDF MODULES"] == "udfs.excel"


def test_main_reports_errors_in_danish(tmp_path, capsys):
    assert install.main(["--config", str(tmp_path / "x.conf"), "--interpreter", 'C:\\"bad"']) == 2
    assert capsys.readouterr().err.startswith("Fejl i opsætningen:")
