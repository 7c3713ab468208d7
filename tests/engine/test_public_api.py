"""The curated public API of ``nettonul.engine``: every listed name resolves, lazily."""

from __future__ import annotations

import subprocess
import sys

import pytest

import nettonul.engine as engine


@pytest.mark.parametrize("name", engine.__all__)
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(engine, name) is not None


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = engine.nope  # type: ignore[attr-defined]


def test_public_api_is_sorted_and_unique() -> None:
    assert engine.__all__ == sorted(set(engine.__all__))


def test_import_is_lazy() -> None:
    code = "import sys, nettonul.engine; print('nettonul.engine.pathway.pathway' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_documented_example_runs() -> None:
    from nettonul.engine import PathwaySpec, compute_pathway, klimaregnskab_panel

    pathway = compute_pathway(klimaregnskab_panel(["101"]), PathwaySpec())
    assert pathway.to_dict()
