"""Strategy plans (nettonul/web/strategy): themes and values per plan, commitments without an
emissions effect filed under them, the strategy page by theme and SDG with status counts, the
value compass, and who may change the links."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.web.errors import NotAllowedError, StaleEditError
from nettonul.web.imports import services as imports
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plans_services
from nettonul.web.plans.models import Action
from nettonul.web.strategy import services
from nettonul.web.strategy.models import Theme, ThemeLink

STRATEGY_TEXT = """1. Klimadiplomati

Vi vil styrke den grønne omstilling i udviklingslandene.
Vi vil arbejde for frihed og demokrati i vores nabolande.

2. Tryghedsdiplomati

Vi vil styrke vores sikkerhed og tryghed i Arktis.
"""


@pytest.fixture
def strategy(orgs: dict[str, Any]) -> Any:
    plan = plans_services.create_plan(SYSTEM, orgs["101"], title="Udenrigsstrategi", kind="strategy")
    document = imports.import_text(SYSTEM, plan, STRATEGY_TEXT, filename="strategi.txt")
    accepted, skipped = imports.accept_all(SYSTEM, document)
    assert (accepted, skipped) == (3, [])
    for name in ("Klimadiplomati", "Tryghedsdiplomati"):
        services.add_theme(SYSTEM, plan, taxonomy="theme", name=name)
    for name in ("Frihed", "Demokrati", "Tryghed", "Klima"):
        services.add_theme(SYSTEM, plan, taxonomy="value", name=name)
    return plan


def _action(plan: Any, start: str) -> Action:
    return plan.actions.get(title__startswith=start)


def test_commitments_need_no_emissions_effect(strategy: Any, client_for: Any) -> None:
    assert [a.effect for a in strategy.actions.all()] == [{}, {}, {}]
    # the plan page computes no scenario from them and says they are not quantified
    client = client_for("editor-kbh")
    client.cookies["nettonul_language"] = "en"
    page = client.get(f"/plans/{strategy.pk}/").content.decode()
    assert "No action has an effect yet" in page
    assert page.count("not quantified") == 3


def test_suggested_links_from_sections_and_quotes(strategy: Any) -> None:
    assert services.link_suggestions(SYSTEM, strategy) == 3
    names = {a.title: sorted(ThemeLink.objects.filter(action=a).values_list("theme__name", flat=True))
             for a in strategy.actions.all()}
    # section "1. Klimadiplomati" gives the theme; "klima"/"frihed"/"demokrati"/"tryghed" give values
    assert names == {
        "styrke den grønne omstilling i udviklingslandene": ["Klimadiplomati"],
        "arbejde for frihed og demokrati i vores nabolande": ["Demokrati", "Frihed", "Klimadiplomati"],
        "styrke vores sikkerhed og tryghed i Arktis": ["Tryghed", "Tryghedsdiplomati"],
    }
    assert set(ThemeLink.objects.values_list("suggested", flat=True)) == {True}


def test_strategy_page_groups_by_theme_and_sdg_with_status_counts(strategy: Any, client_for: Any) -> None:
    services.link_suggestions(SYSTEM, strategy)
    arctic = _action(strategy, "styrke vores sikkerhed")
    plans_services.update_action(SYSTEM, arctic, arctic.version, status="in_progress", owner="Arktisk enhed")
    o = services.overview(strategy)
    statuses = [s for s, _label in o["statuses"]]
    counts = {g["theme"].name: dict(zip(statuses, g["counts"], strict=True)) for g in o["themes"]}
    assert counts["Klimadiplomati"] == {"planned": 2, "in_progress": 0, "done": 0, "cancelled": 0}
    assert counts["Tryghedsdiplomati"] == {"planned": 0, "in_progress": 1, "done": 0, "cancelled": 0}
    assert dict(zip(statuses, o["totals"]["counts"], strict=True))["planned"] == 2
    assert o["unfiled"]["total"] == 0
    page = client_for("viewer-kbh").get(f"/strategy/{strategy.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Arktisk enhed" in html
    assert 'id="sdg-counts"' in html


def test_value_compass_matrix(strategy: Any, client_for: Any) -> None:
    services.link_suggestions(SYSTEM, strategy)
    freedom = _action(strategy, "arbejde for frihed")
    values = {t.name: t.pk for t in Theme.objects.filter(plan=strategy)}
    # a person confirms: this commitment serves Frihed and Demokrati and the theme
    services.set_links(SYSTEM, freedom, freedom.version,
                       [values["Frihed"], values["Demokrati"], values["Klimadiplomati"]])
    o = services.overview(strategy)
    header = [v.name for v in o["compass_values"]]
    assert header == ["Frihed", "Demokrati", "Tryghed", "Klima"]
    row = next(r for r in o["matrix"] if r["action"].pk == freedom.pk)
    assert row["cells"] == ["confirmed", "confirmed", "", ""]
    arctic_row = next(r for r in o["matrix"] if r["action"].title.startswith("styrke vores sikkerhed"))
    assert arctic_row["cells"] == ["", "", "suggested", ""]
    html = client_for("anonymous").get(f"/strategy/{strategy.pk}/compass/")
    assert html.status_code == 404  # an unpublished strategy is for members only
    html = client_for("viewer-kbh").get(f"/strategy/{strategy.pk}/compass/").content.decode()
    assert 'id="compass-matrix"' in html
    assert html.count("●") >= 2


def test_links_are_version_checked_and_for_editors_of_the_plan_only(strategy: Any, users: dict[str, Any],
                                                                   client_for: Any) -> None:
    action = _action(strategy, "styrke den grønne")
    theme = Theme.objects.get(plan=strategy, name="Klimadiplomati")
    with pytest.raises(NotAllowedError):
        services.set_links(users["viewer-kbh"], action, action.version, [theme.pk])
    with pytest.raises(NotAllowedError):
        services.set_links(users["editor-aarhus"], action, action.version, [theme.pk])
    with pytest.raises(NotAllowedError):
        services.add_theme(users["editor-aarhus"], strategy, name="Fremmed")
    services.set_links(users["editor-kbh"], action, action.version, [theme.pk])
    with pytest.raises(StaleEditError):
        services.set_links(users["editor-kbh"], action, action.version - 1, [])
    url = f"/strategy/{strategy.pk}/commitments/{action.pk}/themes/"
    assert client_for("viewer-kbh").get(url).status_code == 403
    assert client_for("editor-aarhus").get(url).status_code == 404
    response = client_for("editor-kbh").post(url, {"version": action.version, "themes": []})
    assert response.status_code == 302
    assert not ThemeLink.objects.filter(action=action).exists()


def test_commitment_indicators_with_the_engines_state(strategy: Any, client_for: Any) -> None:
    import datetime as dt

    from nettonul.web.monitoring import services as monitoring

    arctic = _action(strategy, "styrke vores sikkerhed")
    falling = monitoring.add_indicator(SYSTEM, strategy, key="incidents", name="Hændelser", unit="antal",
                                       direction="decrease", targets={2030: 0}, action_key=arctic.key)
    for year, value in ((2021, 100), (2022, 80), (2023, 60), (2024, 40)):
        monitoring.add_observation(SYSTEM, falling, value=value, date=dt.date(year, 12, 31), source="test")
    monitoring.add_indicator(SYSTEM, strategy, key="empty", name="Uden målinger", unit="antal",
                             direction="increase", targets={2030: 10}, action_key=arctic.key)
    rows = services.indicators_by_commitment(strategy, as_of=dt.date(2025, 6, 1))[arctic.key]
    states = {r["name"]: r["state"] for r in rows}
    # -20 a year from 100 in 2021 reaches 0 in 2026, well before 2030; no observations: no state
    assert states == {"Hændelser": "on_track", "Uden målinger": "insufficient_data"}
    html = client_for("viewer-kbh").get(f"/strategy/{strategy.pk}/").content.decode()
    assert "Hændelser" in html


def test_strategy_pages_query_count_does_not_grow_with_commitments(strategy: Any, client_for: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("viewer-kbh")
    services.link_suggestions(SYSTEM, strategy)

    def queries() -> list[int]:
        out = []
        for url in (f"/strategy/{strategy.pk}/", f"/strategy/{strategy.pk}/compass/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = queries()
    themes = list(Theme.objects.filter(plan=strategy).values_list("pk", flat=True))
    for i in range(30):
        action = plans_services.add_action(SYSTEM, strategy, title=f"Vi vil gøre {i}", sdgs=[i % 17 + 1])
        services.set_links(SYSTEM, action, action.version, themes[: i % len(themes) + 1])
    assert queries() == before
