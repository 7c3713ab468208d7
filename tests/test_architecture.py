"""The engine, document parsing and report rendering are pure: no Django, no web package."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "nettonul"
PURE_PACKAGES = ("engine", "documents", "reports")
FORBIDDEN = ("django", "ninja", "nettonul.web", "nettonul.cli", "rest_framework")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", PURE_PACKAGES)
def test_no_forbidden_import_statement(package: str) -> None:
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for path in sorted((SRC / package).rglob("*.py"))
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offenders == []


def test_importing_every_pure_module_loads_no_django() -> None:
    modules = [
        ".".join(("nettonul", *p.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        for package in PURE_PACKAGES
        for p in sorted((SRC / package).rglob("*.py"))
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'ninja') "
        "or m.startswith('nettonul.web'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_check_itself_catches_a_django_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport nettonul.web.plans\n", encoding="utf-8")
    assert _imports(bad) == ["django.db", "nettonul.web.plans"]


def test_the_command_line_starts_without_heavy_libraries() -> None:
    """`nettonul --help` must be quick: scipy, matplotlib and Django load only when a command needs them."""
    code = (
        "import sys, nettonul.cli.main\n"
        "print(','.join(sorted(m for m in ('scipy.stats', 'scipy.optimize', 'matplotlib.pyplot', 'django.db')"
        " if m in sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
