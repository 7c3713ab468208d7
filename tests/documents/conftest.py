"""Fixtures for the document-import tests: the annotated corpus beside the repository."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from nettonul.documents import ImportResult, import_document

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@cache
def _annotations() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "annotations.json").read_text(encoding="utf-8"))
    return data


@cache
def _imported(name: str) -> ImportResult:
    return import_document(CORPUS / name)


@pytest.fixture
def annotations() -> dict[str, Any]:
    if not (CORPUS / "annotations.json").exists():
        pytest.skip(f"the annotated corpus is not beside the repository ({CORPUS})")
    return _annotations()["files"]


@pytest.fixture
def corpus_result(annotations: dict[str, Any]) -> Any:
    """imported(name) -> ImportResult for a corpus file (each file imported once per run)."""
    return _imported


@pytest.fixture
def corpus_raw(annotations: dict[str, Any]) -> Any:
    return lambda name: (CORPUS / name).read_text(encoding="utf-8")
