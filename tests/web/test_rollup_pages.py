"""The support bodies' roll-up and optimiser pages and their API: figures from the engine,
published plans first, sorting, Danish, the CSV, and the cheapest portfolio."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np
from django.conf import settings
from django.urls import reverse

from nettonul.engine.pathway.rollup import rollup
from nettonul.engine.plan.sources import plan_scenario
from nettonul.web.engine.plans import engine_plan


def aarhus_spec(plans: dict[str, Any]) -> Any:
    p = plans["aarhus"]
    return engine_plan(p, p.targets.all(), p.actions.all())


def test_the_roll_up_page_takes_published_plans_first(client: Any, plans: dict[str, Any]) -> None:
    response = client.get(reverse("public:rollup"))
    assert response.status_code == 200
    rows = {r["code"]: r for r in response.context["rows"]}
    assert len(rows) == 98
    # Aarhus's plan is published: its scenario; København's is a draft: business as usual
    assert rows["751"]["source"] == "published plan"
    assert rows["101"]["source"] == "business as usual"
    # independently: the engine's roll-up with Aarhus's plan scenario
    expected = rollup(plans={"751": plan_scenario(aarhus_spec(plans), 2030)})
    i = expected.codes.index("751")
    assert abs(rows["751"]["rolled"] - expected.rolled[i].sum()) < 1e-6
    assert abs(rows["101"]["rolled"] - expected.rolled[expected.codes.index("101")].sum()) < 1e-6
    # the furthest from their own target: Aarhus's plan scenario minus its target path
    furthest = {f["code"]: f for f in response.context["furthest"]}
    assert furthest["751"]["source_name"] == "published plan"
    assert abs(furthest["751"]["shortfall"] - (expected.rolled[i].sum() - expected.target_level[i])) < 1e-6
    h = response.context["h"]
    assert abs(h["gap_mt"] - expected.gap) < 1e-9
    assert h["with_plan"] == 1
    page = response.content.decode()
    for anchor in ("headline-met", "headline-plans", "headline-gap", "rollup-table", "chart-rollup-plot",
                   "rollup-furthest"):
        assert f'id="{anchor}"' in page
    assert "P5–P95" in page
    # the chart's bars add up to the national fall
    chart = response.context["chart"]
    total = sum(v for s in chart.series for v in s.values) * 1e3
    assert abs(total - sum(r["contribution"] for r in rows.values())) < 1.0


def test_the_contributions_table_sorts(client: Any, plans: dict[str, Any]) -> None:
    url = reverse("public:rollup")
    by_total = [r["contribution"] for r in client.get(url).context["rows"]]
    assert by_total == sorted(by_total, reverse=True)
    names = [r["name"] for r in client.get(url, {"sort": "name"}).context["rows"]]
    assert names == sorted(names, key=str.casefold)
    energy = [r["energy"] for r in client.get(url, {"sort": "-energy"}).context["rows"]]
    assert energy == sorted(energy, reverse=True)


def test_the_roll_up_in_danish_and_its_csv(client: Any, plans: dict[str, Any]) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    page = client.get(reverse("public:rollup")).content.decode()
    assert "Går planerne op?" in page
    assert "offentliggjort plan" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("ui:rollup_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Region"
    assert len(rows) == 1 + 5  # the five regions
    excel = client.get(reverse("ui:rollup_xlsx"))
    assert excel.status_code == 200
    assert excel.content[:2] == b"PK"  # a workbook


def test_the_api_roll_up_and_its_limits(client: Any, plans: dict[str, Any]) -> None:
    data = client.get("/api/rollup", {"draws": 500}).json()
    assert len(data["municipalities"]) == 98
    assert data["uncertainty"]["draws"] == 500
    band = data["uncertainty"]["gap_to_target_mt"]
    assert band["P5"] < data["headlines"]["gap_mt"] < band["P95"]
    assert data["plans"] == {"751": "Aarhus plan"}
    region = client.get("/api/rollup", {"region": "Midtjylland", "draws": 0}).json()
    assert region["headlines"]["municipalities"] == 19
    assert region["uncertainty"] is None
    assert client.get("/api/rollup", {"draws": 10**9}).status_code in (400, 422)
    bad = client.get("/api/rollup", {"region": "Atlantis", "draws": 0})
    assert bad.status_code == 422
    assert "Atlantis" in bad.content.decode()


def test_the_optimum_of_a_plan(client: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    detail = client.get(reverse("plans:detail", args=[aarhus.pk])).content.decode()
    assert f'href="{reverse("public:plan_optimum", args=[aarhus.pk])}" id="plan-optimum-link"' in detail
    assert f'href="{reverse("public:rollup")}"' in detail  # in the main navigation
    response = client.get(reverse("public:plan_optimum", args=[aarhus.pk]))
    assert response.status_code == 200
    result = response.context["result"]
    assert [a["costed"] for a in result["actions"]] == [False]  # no cost given: kept as planned
    assert result["actions"][0]["level"] == 1.0
    gap = result["gap_t_co2e"][2030]
    assert (gap > 0.5) == bool(result["infeasible"])
    api = client.get(f"/api/plans/{aarhus.pk}/optimum", {"year": 2030}).json()
    assert np.isclose(api["emissions_t_co2e"]["2030"], result["emissions_t_co2e"][2030])
    # the draft plan of København is not visible to a visitor
    assert client.get(reverse("public:plan_optimum", args=[plans["kbh"].pk])).status_code == 404
    assert client.get(f"/api/plans/{plans['kbh'].pk}/optimum").status_code == 404


def test_the_national_optimum(client: Any, plans: dict[str, Any]) -> None:
    response = client.get(reverse("public:national_optimum"))
    assert response.status_code == 200
    result = response.context["result"]
    assert set(result["by_organisation"]) == {"751"}
    assert abs(result["emissions_t_co2e"] - result["cap_t_co2e"] - result["gap_t_co2e"]) < 1e-3
    # at business as usual the nation is below -70 % in 2030: no costed action is needed
    assert result["gap_t_co2e"] < 0
    assert 'id="optimum-no-need"' in response.content.decode()
    api = client.get("/api/rollup/optimum").json()
    assert api["names"] == {"751": "Aarhus"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    assert "Den billigste nationale portefølje" in client.get(reverse("public:national_optimum")).content.decode()
