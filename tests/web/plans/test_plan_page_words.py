"""The plan page in Danish: targets, sectors and effect kinds by their Danish names, never the
engine's English descriptions or codes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse


def _page(client: Any, plan: Any, language: str | None = None) -> str:
    url = reverse("plans:detail", args=[plan.pk])
    if language:
        client.post(reverse("set_language"), {"language": language, "next": url})
    return str(client.get(url).content.decode())


def test_the_plan_page_words_targets_sectors_and_kinds_in_danish(client_for: Any, plans: dict[str, Any]) -> None:
    html = _page(client_for("editor-kbh"), plans["kbh"])  # København's pages open in Danish
    assert "<td>-70 % i 2030 ift. 1990</td>" in html
    assert "<td>nettonul i 2050</td>" in html
    assert "<td>Energi</td>" in html
    assert "<td>Lavere emissionsfaktor</td>" in html
    for raw in ("vs 1990", "net zero", "<code>factor</code>", "<td>energy</td>"):
        assert raw not in html, raw


def test_the_plan_scenario_words_its_targets_and_unit_in_danish(client_for: Any, plans: dict[str, Any]) -> None:
    html = _page(client_for("editor-aarhus"), plans["aarhus"])  # Aarhus's pages open in Danish
    assert '<th scope="row">-70 % i 2030 ift. 1990</th>' in html
    assert "<td>Skift af brændsel eller teknologi</td>" in html
    assert "t CO2e (AR5)" in html
    for raw in ("vs 1990", "t_CO2e", "<code>switch</code>"):
        assert raw not in html, raw


def test_the_plan_page_in_english_keeps_the_english_words(client_for: Any, plans: dict[str, Any]) -> None:
    html = _page(client_for("editor-kbh"), plans["kbh"], "en")
    assert "<td>-70% in 2030 vs 1990</td>" in html
    assert "<td>net zero in 2050</td>" in html
    assert "<td>Energy</td>" in html
    assert "<td>Lower emission factor</td>" in html
