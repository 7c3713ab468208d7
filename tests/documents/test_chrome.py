"""Web page chrome: single chrome lines and where a page's trailing chrome begins."""

from __future__ import annotations

import pytest

from nettonul.documents.chrome import is_chrome_line, remove_chrome, tail_start

PROSE = "Kommunen arbejder med klimaplanen sammen med borgere, virksomheder og foreninger i hele området."


@pytest.mark.parametrize("line", [
    "Sponseret", "Annonce", "Foto: Jens Hansen.", "02.11.2021", "18.09.2025Firma ApS", "Avisen.dk",
    "Læs også: Byen vil bygge nye cykelstier", "Relateret indhold", "- ABC", "Dato", "Sted", "10:00",
    "Hold dig opdateret med Avisen.dk", "Skip to main content", "© 2024 Example Town Council",
])
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize("line", [
    PROSE, "Vi vil bygge vindmøller.", "- Vi", "Klima", "Dato for vedtagelse af planen er 1. marts.",
    "Relateret til planen er også en strategi for cykeltrafik, som byrådet har vedtaget i år og som gælder "
    "frem til 2030, og som beskriver hvordan vi vil arbejde med cykelstier, parkering og skoleveje i hele "
    "kommunen sammen med borgere og foreninger.",
])
def test_article_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)


def test_the_tail_starts_at_the_first_marker_after_the_prose() -> None:
    lines = ["Overskrift", PROSE, PROSE, "- ABC", "Sponseret", "Produkt", "Relateret indhold", "Dato", "12.09.2025"]
    assert tail_start(lines) == 3
    assert remove_chrome(lines) == ["Overskrift", PROSE, PROSE]


def test_no_tail_without_chrome_after_the_marker() -> None:
    assert tail_start(["Overskrift", PROSE, PROSE, "- ABC"]) is None
    assert tail_start(["Sponseret", "Relateret indhold", "Dato", PROSE, PROSE]) is None
