"""A coordinator fills every CAPF section of her plan in Danish, through the forms only (no YAML
typed), starting from the checklist's links, until every CAPF section criterion passes; on a
desktop screen and on a phone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

#: The criteria about the CAPF sections (the rest are about the inventory, targets and actions).
SECTION_CRITERIA = ("COM-1", "COM-2", "COM-3", "COM-4", "COM-5", "TGT-7", "ADP-1", "ADP-2", "ADP-3", "ADP-4",
                    "ADP-5", "INC-1", "INC-2", "GOV-1", "GOV-2", "GOV-3", "BAR-1", "FIN-1", "MON-1", "MON-2")
SHOTS = Path(os.environ.get("NETTONUL_SCREENSHOTS", "/tmp/nettonul-screenshots"))

# Aarhus lies on the coast: storm surge and sea level count (ADP-2). Likelihood and impact
# give the rating (3 x 3 matrix): the first three are high and need adaptation actions (ADP-4).
HAZARDS = [
    ("pluvial_flood", "high", "high"), ("coastal_flood_storm_surge", "high", "medium"),
    ("sea_level_rise", "medium", "high"), ("groundwater_rise", "medium", "medium"),
    ("storm_wind", "low", "medium"), ("extreme_heat", "medium", "low"), ("drought", "low", "low"),
]


def _log_in(page: Any, username: str, password: str) -> None:
    page.goto(reverse("public:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def _results(page: Any, plan_id: int) -> dict[str, str]:
    page.goto(reverse("monitoring:check", args=[plan_id]))
    return _results_of(page, SECTION_CRITERIA)


def _results_of(page: Any, ids: tuple[str, ...]) -> dict[str, str]:
    return {cid: page.get_attribute(f"#criterion-{cid}", "class") or "" for cid in ids}


def _save(page: Any, shot: Path) -> None:
    """Submit the section form; it must come back saved, and is photographed as saved (a full-page
    photograph resizes the page, so it is taken after, never between filling and clicking)."""
    with page.expect_navigation():
        page.click("#section-form button[type=submit]")
    assert page.locator("#section-form [role=alert]").count() == 0, page.inner_text("main")
    assert page.locator(".messages [role=status]").count() == 1
    page.screenshot(path=str(shot), full_page=True)


@pytest.mark.parametrize("width", [1280, 375])
def test_every_capf_section_filled_through_the_forms_in_danish(page: Any, aarhus: dict[str, Any],
                                                                width: int) -> None:
    from django.contrib.contenttypes.models import ContentType

    from nettonul.web.audit.models import ChangeRecord
    from nettonul.web.monitoring.models import PlanSections

    shots = SHOTS / f"capf-{width}"
    shots.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    plan = aarhus["plan"]
    _log_in(page, "editor-aarhus@demo", aarhus["password"])
    before = _results(page, plan.pk)
    assert all("result-pass" not in c for c in before.values()), before
    page.screenshot(path=str(shots / "0-check-before.png"), full_page=True)

    # The fix of COM-1 takes her to the field itself.
    page.click("#criterion-COM-1 .fix-links a[href$='#field-adopted']")
    page.wait_for_url(lambda url: url.endswith("/sections/adoption/#field-adopted"))
    assert page.is_visible("#field-adopted")
    assert "Dato for vedtagelse" in page.inner_text("#field-adopted")
    page.fill("#id_adopted", "2026-01-28")
    page.fill("#id_body", "Byrådet")
    page.fill("#id_decision_ref", "Byrådsmøde 28. januar 2026, punkt 7")
    page.fill("#id_commitment_signed", "2025-03-01")
    page.fill("#id_commitment_by", "Borgmesteren")
    _save(page, shots / "1-adoption.png")

    page.click("nav.section-tabs >> text=Inddragelse")
    page.fill("#id_events-0-date", "2025-05-20")
    page.fill("#id_events-0-kind", "borgerting")
    page.fill("#id_events-0-title", "Borgerting om klimaplanen")
    page.fill("#id_events-0-audience", "Tilfældigt udvalgte borgere")
    page.fill("#id_events-0-participants", "12,5")  # a count is whole: said next to the field, in Danish
    page.click("#section-form button[type=submit]")
    assert "Angiv et helt antal deltagere." in page.inner_text("#field-events-0-participants")
    page.fill("#id_events-0-participants", "1.200")  # Danish thousands point
    page.fill("#id_events-1-date", "2026-09-10")
    page.fill("#id_events-1-kind", "workshop")
    page.fill("#id_events-1-title", "Workshop med virksomheder om varmeplanen")
    page.fill("#id_events-1-audience", "Virksomheder")
    page.fill("#id_events-1-participants", "35")
    page.select_option("#id_events-1-phase", "implementation")
    page.fill("#id_communication_plan", "Nyhedsbrev hvert kvartal og et årligt borgermøde om status")
    page.fill("#id_channels", "hjemmeside, nyhedsbrev, lokalavis")
    _save(page, shots / "2-engagement.png")

    page.click("nav.section-tabs >> text=Risikovurdering")
    page.select_option("#id_coastal", "yes")
    page.fill("#id_scenarios", "RCP4.5, RCP8.5")
    page.fill("#id_horizon", "2100")
    page.check("#id_present_day")
    page.fill("#id_assessed", "2025-06-30")
    for hazard, _likelihood, _impact in HAZARDS:
        page.check(f"#field-screened input[value={hazard}]")
    page.fill("#id_source", "Klimaatlas, DMI")
    for i, (hazard, likelihood, impact) in enumerate(HAZARDS):
        if page.locator(f"#id_hazards-{i}-hazard").count() == 0:
            page.click("button.add-row[data-formset=hazards]")
        page.select_option(f"#id_hazards-{i}-hazard", hazard)
        page.select_option(f"#id_hazards-{i}-likelihood", likelihood)
        page.select_option(f"#id_hazards-{i}-impact", impact)
    _save(page, shots / "3-risk.png")
    assert page.input_value("#id_hazards-0-rating") == "high"  # from likelihood and impact

    page.click("nav.section-tabs >> text=Tilpasningstiltag")
    page.fill("#id_targets-0-description", "Midtbyen er sikret mod en 100-årshændelse af skybrud")
    page.fill("#id_targets-0-year", "2035")
    page.select_option("#id_targets-0-hazard", "pluvial_flood")
    page.fill("#id_actions-0-title", "Skybrudsplan for midtbyen")
    page.check("#id_actions-0-hazards >> text=Skybrud (oversvømmelse fra regn)")
    page.fill("#id_actions-0-owner", "Teknik og Miljø")
    page.fill("#id_actions-0-start", "2026")
    page.fill("#id_actions-0-end", "2035")
    page.fill("#id_actions-1-title", "Kystbeskyttelse af havnen")
    page.check("#id_actions-1-hazards >> text=Stormflod (oversvømmelse fra havet)")
    page.check("#id_actions-1-hazards >> text=Havstigning")
    page.fill("#id_actions-1-start", "2027")
    _save(page, shots / "4-adaptation.png")

    page.click("nav.section-tabs >> text=Merværdier og lighed")
    page.select_option("#id_benefits-0-kind", "health")
    page.fill("#id_benefits-0-description", "Renere luft og flere cykelture")
    page.select_option("#id_benefits-1-kind", "jobs")
    page.fill("#id_benefits-1-description", "Lokale job i energirenovering")
    page.fill("#id_equity_assessment", "Tilskud til lejere, så varmeomstillingen ikke rammer de laveste indkomster.")
    _save(page, shots / "5-benefits.png")

    page.click("nav.section-tabs >> text=Organisering")
    page.fill("#id_lead_unit", "Klimasekretariatet, Teknik og Miljø")
    page.fill("#id_coordination", "Styregruppe med forsyningen og nabokommunerne")
    page.fill("#id_powers_analysis", "Egen drift: bygninger og flåde; resten i partnerskab")
    page.fill("#id_financing_plan", "Anlægsbudget 2026-2029 og statslige puljer")
    page.fill("#id_partners-0-name", "Kredsløb")
    page.fill("#id_partners-0-role", "Fjernvarme og spildevand")
    page.fill("#id_staff-0-action", aarhus["action"].key)
    page.fill("#id_staff-0-staff_fte", "1,5")
    page.fill("#id_barriers-0-description", "Netkapacitet")
    page.fill("#id_barriers-0-response", "Planlægges med forsyningen")
    page.fill("#id_barriers-0-actions", aarhus["action"].key)
    page.fill("#id_sources-0-name", "Anlægsbudget")
    page.fill("#id_sources-0-amount", "2.500.000")
    page.select_option("#id_sources-0-status", "secured")
    _save(page, shots / "6-governance.png")

    page.click("nav.section-tabs >> text=Opfølgning")
    page.fill("#id_frequency_years", "1")
    page.fill("#id_review_cycle_years", "4,5")
    page.fill("#id_risk_review_years", "5")
    _save(page, shots / "7-monitoring.png")
    assert page.input_value("#id_review_cycle_years") == "4,5"

    # The action's CAPF fields, from the fix of ACT-2 to the action form's field.
    _results(page, plan.pk)
    page.click("#criterion-ACT-2 .fix-links a[href$='#field-power']")
    page.wait_for_url(lambda url: url.endswith("#field-power"))
    page.select_option("#id_power", "regulate")
    page.select_option("#id_funding_status", "partly_funded")
    page.fill("#id_owner", "Teknik og Miljø")
    page.fill("#id_kpis", "Antal oliefyr")
    page.check("#field-co_benefits >> text=Sundhed")
    page.fill("#id_co_benefits_other", "lavere varmeregninger")
    page.check("#field-sdgs >> text=13. Klimaindsats")
    with page.expect_navigation():
        page.click("#part-form button[type=submit]")
    page.screenshot(path=str(shots / "8-action-saved.png"), full_page=True)
    assert "/plans/" in page.url, page.inner_text("main")
    assert "/actions/" not in page.url, page.inner_text("main")
    page.goto(reverse("plans:action_edit", args=[plan.pk, aarhus["action"].pk]))
    assert page.input_value("#id_kpis") == "Antal oliefyr"
    page.locator("#field-power").screenshot(path=str(shots / "8-action-power.png"))
    page.locator("fieldset:has(#field-power)").screenshot(path=str(shots / "8-action-capf.png"))

    after = _results(page, plan.pk)
    actions = _results_of(page, ("ACT-1", "ACT-2", "ACT-3", "ACT-4", "ACT-5"))
    assert all("result-pass" in c for c in actions.values()), actions
    page.screenshot(path=str(shots / "9-check-after.png"), full_page=True)
    assert {cid: "result-pass" in c for cid, c in after.items()} == dict.fromkeys(SECTION_CRITERIA, True), after
    data = PlanSections.objects.get(plan=plan).data
    assert data["monitoring"]["review_cycle_years"] == 4.5
    assert data["engagement"][0]["participants"] == 1200
    assert data["adoption"]["decision_ref"] == "Byrådsmøde 28. januar 2026, punkt 7"
    assert data["action_details"][aarhus["action"].key]["staff_fte"] == 1.5
    assert data["financing"]["sources"] == [{"name": "Anlægsbudget", "amount": 2_500_000, "status": "secured"}]
    # One record for the first save, one per later save (seven pages, engagement saved once).
    row = PlanSections.objects.get(plan=plan)
    records = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(row), object_id=str(row.pk))
    assert list(records.order_by("id").values_list("action", "actor_name")) == (
        [("create", "editor-aarhus@demo")] + [("update", "editor-aarhus@demo")] * 6)
    # the one refused save (12,5 participants) is the only answer that was not 2xx/3xx
    assert [e for e in page.console_errors if "favicon" not in e and "404" not in e and "422" not in e] == []
