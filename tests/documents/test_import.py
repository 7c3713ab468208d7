"""The entry point: a path or a text, language override, and speed on a long text."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from nettonul.documents import analyse_text, import_document


def test_a_path_and_its_text_give_the_same_result(tmp_path: Path) -> None:
    text = "Vi vil reducere udledningen med 50 % i 2030 i forhold til 2010."
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    from_path, from_str_path, from_text = import_document(path), import_document(str(path)), import_document(text)
    assert from_path.source == str(path) == from_str_path.source
    assert from_text.source == "<text>"
    assert from_path.targets == from_text.targets == from_str_path.targets


def test_text_that_cannot_be_a_path_is_read_as_text() -> None:
    assert import_document("Vi vil plante træer\x00.").commitments[0].text == "plante træer"
    assert import_document("x" * 300 + " vil").text.startswith("x")


def test_language_can_be_forced() -> None:
    assert import_document("Vi vil plante træer.", language="en").language == "en"


def test_a_long_text_is_fast(corpus_raw: Any) -> None:
    # ~150 KB of PDF-extracted text; the benchmark measures the real figure, this guards against
    # a rule that becomes quadratic (generous bound for a shared test machine)
    raw = corpus_raw("strategy_pdf_extract_part1.txt") * 2 + corpus_raw("news_dk2020_export.txt")
    assert len(raw) > 150_000
    start = time.perf_counter()
    result = analyse_text(raw)
    assert time.perf_counter() - start < 5.0
    assert len(result.commitments) > 100
