"""Engine results kept between requests (``inventories.organisation_results`` and the plan
figures): computed once per state, and a new inventory, an edited action or a new target
shows its new numbers on the very next request."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from nettonul.web.engine import inventories
from nettonul.web.engine import plans as engine_plans
from nettonul.web.inventory import services as inventory_services
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services


def _figure(html: str, chart_id: str) -> dict[str, Any]:
    match = re.search(rf'id="chart-{chart_id}-plot" data-figure="([^"]*)"', html)
    assert match, f"no figure data for chart {chart_id}"
    return dict(json.loads(unescape(match.group(1))))


def _upload_more(org: Any, year: int, extra_t: float) -> Any:
    """A new inventory version: the current records with the largest record of ``year``
    raised by ``extra_t`` t CO2e (what an upload of a corrected row does)."""
    version = inventory_services.current(org)
    records = list(version.records.order_by("id").values(*inventories.RECORD_COLUMNS))
    row = max((r for r in records if r["year"] == year and r["co2e_t"]), key=lambda r: r["co2e_t"])
    changed = dict(row, amount=row["co2e_t"] + extra_t, co2e_t=row["co2e_t"] + extra_t, unit="t_CO2e", gas="CO2e")
    merged = [changed if r is row else r for r in records]
    draft = inventory_services.store(SYSTEM, org, merged, framework=version.framework, gwp_set=version.gwp_set,
                                     title="correction")
    return inventory_services.publish_version(SYSTEM, draft, draft.version)


def test_the_pathway_is_computed_once_per_inventory_and_a_new_upload_shows_at_once(
        client: Any, orgs: dict[str, Any], monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.NETTONUL_RESPONSE_CACHE = False  # the engine results below the kept pages
    cache.clear()
    calls: list[int] = []
    compute = inventories.compute_pathway
    monkeypatch.setattr(inventories, "compute_pathway", lambda *a, **k: calls.append(1) or compute(*a, **k))
    org = orgs["147"]
    url = reverse("public:dashboard", args=[org.pk])
    before = client.get(url).context["pathway"]
    assert client.get(url).context["pathway"] == before
    assert client.get(reverse("api:organisation_pathway", args=[org.pk])).status_code == 200
    assert len(calls) == 1  # the page twice and the API: one engine run
    year = before["last_inventory_year"]
    i = before["years"].index(year)
    _upload_more(org, year, 1000.0)
    after = client.get(url).context["pathway"]
    assert len(calls) == 2
    assert after["historical"]["total"][i] == pytest.approx(before["historical"]["total"][i] + 1000.0)
    api = client.get(reverse("api:organisation_pathway", args=[org.pk])).json()
    assert api["historical"]["total"][i] == pytest.approx(after["historical"]["total"][i])
    assert len(calls) == 2


def test_an_edited_action_and_a_new_target_show_on_the_next_dashboard(client: Any, plans: dict[str, Any]) -> None:
    plan = plans["aarhus"]
    url = reverse("public:dashboard", args=[plan.organisation_id]) + f"?plan={plan.pk}"
    first = _figure(client.get(url).content.decode(), "pathway")
    action = plan.actions.get()
    plan_services.update_action(SYSTEM, action, action.version, effect={**action.effect, "share": 0.3})
    page = client.get(url)
    second = _figure(page.content.decode(), "pathway")
    plan_trace = next(t for t in second["data"] if t.get("meta") == "plan")
    expected = engine_plans.scenario(plan, list(plan.targets.all()), list(plan.actions.all()))
    by_year = dict(zip(plan_trace["x"], plan_trace["y"], strict=True))
    for year, value in zip(expected["years"], expected["plan"], strict=True):
        assert by_year[year] == pytest.approx(value)
    old = next(t for t in first["data"] if t.get("meta") == "plan")
    assert plan_trace["y"][-1] > old["y"][-1]  # a smaller switch leaves more emissions
    # Aarhus's pages open in Danish, with the targets described in Danish
    assert page.context["pathway"]["targets"] == ["-70 % i 2030 ift. 1990"]
    plan_services.add_target(SYSTEM, plan, kind="net_zero", year=2045)
    page = client.get(url)
    assert page.context["pathway"]["targets"] == ["-70 % i 2030 ift. 1990", "nettonul i 2045"]
    assert page.context["pathway"]["target_path"]["values"][page.context["pathway"]["years"].index(2045)] == 0.0
    assert "2045" in page.content.decode().split('id="gap-table"')[1].split("</table>")[0]
