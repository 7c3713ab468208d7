"""An uploaded inventory drives every plan figure: the plan page's scenario, the monitoring
state and a newly issued yearly report start from the organisation's latest stored inventory
(merged with the shipped Energi- og CO2-regnskab for the years it does not cover, and said
so), while a report issued before the upload stays as it was."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nettonul.engine.inventory.gapfill import fill_years
from nettonul.engine.reference import datasets
from nettonul.web.engine import inventories, scenarios
from nettonul.web.engine import plans as engine_plans
from nettonul.web.inventory import services as inventory_services
from nettonul.web.monitoring import reporting, services
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans.models import Plan

from .monitoring_support import MONITORING, PASSING, english, load, person

# The upload: Middelfart's 2024 by top-level sector, t CO2e (an illustrative test file).
UPLOAD_2024 = {"energy": 50_000.0, "transport": 100_000.0, "agriculture": 80_000.0, "waste": 3_000.0,
               "industry": 2_000.0}
# The example plan's illustrative land-use inventory (2023): 800 ha x 30 t/ha - 9 000 + 1 000 t,
# held at that level in 2024.
LAND_USE = 16_000.0
TOTAL_2024 = 235_000.0 + LAND_USE  # 50 000 + 100 000 + 80 000 + 3 000 + 2 000, by hand, and land use
# Middelfart 2023 in the shipped Energi- og CO2-regnskab (energy 62 693.6, transport 108 730.1,
# agriculture 85 660.7, waste 3 626.8, industry 2 448.8), summed by hand, and land use.
SHIPPED_2023 = 263_160.0 + LAND_USE
MERGE_NOTE = ("Emissions 2024 are the organisation's stored inventory; 2018-2023, which it does not cover, "
              "are from the shipped Energi- og CO2-regnskab.")


def upload_2024(tmp_path: Path, organisation: Any, publish: bool = True) -> Any:
    path = tmp_path / "middelfart-2024.csv"
    lines = ["organisation,year,sector,gas,amount,unit"]
    lines += [f"410,2024,{s},CO2e,{v},t CO2e" for s, v in UPLOAD_2024.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return inventory_services.import_file(SYSTEM, organisation, path, publish=publish)


@pytest.fixture
def monitored(db: None) -> Plan:
    plan = load(PASSING)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    return plan


def test_upload_flows_into_scenario_monitoring_and_report(monitored: Plan, tmp_path: Path, client: Any) -> None:
    plan = monitored
    before = reporting.issue_report(SYSTEM, plan, 2025, "en", date(2026, 1, 20))
    old = json.loads(before.snapshot)
    assert old["key_figures"]["last_inventory_year"] == 2023
    assert old["key_figures"]["latest"] == pytest.approx(SHIPPED_2023)
    state = services.plan_state(plan, date(2025, 12, 31))["inputs"]
    assert state["outlook"]["last_year"] == 2023

    # The editor uploads next year's inventory from Excel in the web app.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["organisation", "year", "sector", "gas", "amount", "unit", "source"])
    for sector, value in UPLOAD_2024.items():
        sheet.append(["410", 2024, sector, "CO2e", value, "t CO2e", "Middelfart 2024 (test file)"])
    xlsx = io.BytesIO()
    book.save(xlsx)
    editor = person("editor-mdf", "editor")
    english(client).force_login(editor)
    response = client.post(reverse("inventory:upload", args=[plan.organisation.pk]),
                           {"file": SimpleUploadedFile("middelfart-2024.xlsx", xlsx.getvalue())})
    assert response.status_code == 302, response.content.decode()[:2000]
    # Saved as a draft: nothing uses it until it is published.
    draft = inventory_services.drafts(editor, plan.organisation)[0]
    assert scenarios.plan_scenario(plan, list(plan.targets.all()), list(plan.actions.all()))["rows"][0]["year"] == 2023
    response = client.post(reverse("inventory:publish", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    plan = Plan.objects.get(pk=plan.pk)

    # The plan page's scenario starts from the uploaded year.
    computed = scenarios.plan_scenario(plan, list(plan.targets.all()), list(plan.actions.all()))
    assert computed["rows"][0]["year"] == 2024
    assert computed["rows"][0]["bau"] == pytest.approx(TOTAL_2024)
    assert MERGE_NOTE in computed["scenario"]["notes"]
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert '<th scope="row">2024</th><td class="num">251,000</td>' in page
    assert "2018-2023, which it does not cover" in page

    # The monitoring state: the latest inventory year and the on-track forecast use it.
    state = services.plan_state(plan, date(2025, 12, 31))
    assert state["problems"] == []
    inputs = state["inputs"]
    assert inputs["key_figures"]["last_inventory_year"] == 2024
    assert inputs["key_figures"]["latest"] == pytest.approx(TOTAL_2024)
    assert inputs["outlook"]["last_year"] == 2024
    assert inputs["outlook"]["latest"] == pytest.approx(TOTAL_2024)
    assert inputs["outlook"]["fit_years"][-1] == 2024
    assert inputs["historical"][inputs["years"].index(2024)] == pytest.approx(TOTAL_2024)

    # A report issued now shows the upload; the one issued before is unchanged.
    after = json.loads(reporting.issue_report(SYSTEM, plan, 2025, "en", date(2026, 1, 21)).snapshot)
    k = after["key_figures"]
    assert (k["last_inventory_year"], k["latest"]) == (2024, pytest.approx(TOTAL_2024))
    i = after["years"].index(2024)
    assert {s: after["by_sector"][s][i] for s in UPLOAD_2024} == pytest.approx(UPLOAD_2024)
    assert after["historical"][after["years"].index(2023)] == pytest.approx(SHIPPED_2023)
    assert MERGE_NOTE in after["notes"]
    # The plan check reads the same inventory: transport's share of 2024 is 100 000 / 251 000.
    pth2 = next(c for c in after["check"]["en"]["criteria"] if c["id"] == "PTH-2")
    assert pth2["evidence"][0] == {"label": "Share of transport 2024 (2 actions)", "value": 39.8, "unit": "%"}
    # 1990 is still the back-cast estimate from 2018 (the first inventory year), flagged as such.
    assert k["base_1990_estimated"] is True
    assert k["base_1990"] == pytest.approx(old["key_figures"]["base_1990"])
    assert k["change_vs_1990"] == pytest.approx(TOTAL_2024 / old["key_figures"]["base_1990"] - 1)
    again = type(before).objects.get(pk=before.pk)
    assert (again.snapshot, again.digest) == (before.snapshot, before.digest)
    assert reporting.verify(again).content["key_figures"]["latest"] == pytest.approx(SHIPPED_2023)


def test_merged_inventory_fills_only_the_years_the_upload_does_not_cover(tmp_path: Path, db: None) -> None:
    from nettonul.web.organisations.models import Organisation

    org = Organisation.objects.create(code="410", name="Middelfart")
    version = upload_2024(tmp_path, org)
    stored = inventory_services.engine_inventory(version)
    merged, notes = fill_years(stored, "410")
    assert notes == [MERGE_NOTE]
    panel = merged.to_panel("top")
    shipped = datasets.klimaregnskab_panel(["410"])
    assert panel.years.tolist() == [*shipped.years.tolist(), 2024]
    assert panel.total()[0, -1] == pytest.approx(TOTAL_2024 - LAND_USE)  # no plan, so no land-use file
    assert panel.total()[0, :-1] == pytest.approx(shipped.total()[0])
    assert not panel.estimated.any()

    ref = inventories.stored_inventory(org, "dk-municipal")
    assert ref is not None
    assert (ref.reference()["source"], ref.year, list(ref.notes)) == ("file", 2024, [MERGE_NOTE])
    # Every year cites where it comes from: the uploaded records their file (the reader names it
    # when the file has no source column), the others the shipped data.
    cited = set(ref.inventory.source.tolist())
    assert cited == {"file middelfart-2024.csv", datasets.SOURCES["klimaregnskab"].citation()}
    # The same data gives the same records (so the same cache keys); another framework has none.
    again = inventories.stored_inventory(org, "dk-municipal")
    assert again is not None
    assert again.reference() == ref.reference()
    assert (again.inventory.co2e == ref.inventory.co2e).all()
    assert inventories.stored_inventory(org, "gpc") is None


def test_an_organisation_outside_the_shipped_data_uses_its_upload_alone(tmp_path: Path, db: None) -> None:
    stored = inventories.inventory_from_records("dk-municipal", "AR5", [
        {"organisation_code": "acme", "year": 2022, "sector": "energy", "gas": "CO2e", "amount": 10.0,
         "unit": "t_CO2e", "co2e_t": 10.0, "activity": "", "emission_factor": None, "ef_unit": "", "source": "x",
         "quality": "", "notation": "", "estimated": False, "note": ""}])
    merged, notes = fill_years(stored, "acme")
    assert (merged, notes) == (stored, [])


def test_a_published_plan_uses_only_a_published_inventory(db: None, tmp_path: Path) -> None:
    plan = load(PASSING, publish=True)
    draft = upload_2024(tmp_path, plan.organisation, publish=False)
    assert draft.published is False  # the organisation's first upload is a draft

    def first_year() -> tuple[int, float]:
        p = Plan.objects.get(pk=plan.pk)
        sc = engine_plans.scenario(p, list(p.targets.all()), list(p.actions.all()))
        return sc["years"][0], sc["bau"][0]

    assert first_year() == (2023, pytest.approx(SHIPPED_2023))
    inventory_services.update_inventory(SYSTEM, draft, draft.version, published=True)
    assert first_year() == (2024, pytest.approx(TOTAL_2024))
