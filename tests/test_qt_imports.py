"""The quick answer to PySide's per-import question (branchdesk.ui.qtimports) is PySide's
own answer: for every module loaded so far, and for files written to trip it."""

from __future__ import annotations

import importlib.util
import sys

import PySide6.QtCore  # noqa: F401  (PySide's import hook is installed with it)
import pytest

from branchdesk.ui import qtimports


@pytest.fixture
def check():
    assert qtimports.speed_up_feature_check(), "PySide's feature check not found"
    feature = sys.modules[qtimports.FEATURE_MODULE]
    quick = getattr(feature, qtimports.CHECK)
    assert quick.original is not quick
    return quick


def test_it_is_installed_once(check):
    assert qtimports.speed_up_feature_check()
    feature = sys.modules[qtimports.FEATURE_MODULE]
    assert getattr(feature, qtimports.CHECK) is check  # not wrapped twice


def test_every_loaded_module_gets_pysides_own_answer(check):
    modules = [m for m in list(sys.modules.values()) if m is not None]
    assert len(modules) > 200
    answers = {m.__name__: check(m) for m in modules}
    assert answers == {m.__name__: check.original(m) for m in modules}
    assert answers["PySide6.QtCore"] is False  # an extension module: no source
    assert True in answers.values() and False in answers.values()


def _load(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("source", "uses"),
    [
        ("# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n", False),
        ("# -*- coding: latin-1 -*-\n# PySide6 in a comment, caf\xe9\n", True),
        ('"""党支部 and PySide6."""\n', True),
        ("X = 'PySide2'\n", False),
    ],
)
def test_files_in_other_encodings_get_the_same_answer(check, tmp_path, source, uses):
    path = tmp_path / "probe_module.py"
    encoding = "latin-1" if "latin-1" in source else "utf-8"
    path.write_bytes(source.encode(encoding))
    module = _load(path)
    assert check(module) is uses
    assert check.original(module) is uses


def test_a_module_whose_file_is_gone_falls_back(check, tmp_path):
    path = tmp_path / "gone_module.py"
    path.write_text("X = 1\n", encoding="utf-8")
    module = _load(path)
    path.unlink()
    assert check(module) is check.original(module)
