"""The CAPF sections as forms, one page per section, in Danish: values typed with Danish
decimals and dates are stored in the engine's terms, errors are Danish and sit on their field,
a save based on an old version is refused with 409, every save leaves a change record, and
every fix of the checklist links to a page and a field that exist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from nettonul.engine.check import dk2020
from nettonul.web.audit.models import ChangeRecord
from nettonul.web.monitoring import fixlinks
from nettonul.web.monitoring.capf_sections import SECTIONS
from nettonul.web.monitoring.models import PlanSections

from .monitoring_support import DEFECTIVE, PASSING, load, person


def _url(plan: Any, slug: str) -> str:
    return reverse("monitoring:section", args=[plan.pk, slug])


def _management(prefix: str, total: int, initial: int = 0) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def _no_rows(slug: str) -> dict[str, str]:
    """The management forms of a section's lists, with no rows (as a page whose rows were removed)."""
    out: dict[str, str] = {}
    for name in SECTIONS[slug].lists:
        out.update(_management(name, 0))
    return out


@pytest.fixture
def editor(client: Any, db: None) -> Any:
    client.force_login(person("editor-mdf", "editor"))
    return client


def test_every_section_page_shows_the_stored_values_in_danish(editor: Any) -> None:
    plan = load(PASSING)
    pages = {slug: editor.get(_url(plan, slug)) for slug in SECTIONS}
    assert {slug: r.status_code for slug, r in pages.items()} == dict.fromkeys(SECTIONS, 200)
    html = {slug: r.content.decode() for slug, r in pages.items()}
    assert 'value="2025-12-10"' in html["adoption"]
    assert "Dato for vedtagelse" in html["adoption"]
    assert 'value="Borgerting' in html["engagement"] or "Borgerting" in html["engagement"]
    assert 'value="RCP4.5, RCP8.5"' in html["risk"]
    assert "Sandsynlighed" in html["risk"]
    assert "Skybrud (oversvømmelse fra regn)" in html["risk"]
    assert 'value="1"' in html["monitoring"]  # frequency_years: 1 in the example, as Danish text
    for page in html.values():
        assert "YAML" not in page.split('id="advanced"')[0]  # the YAML text is only behind "Avanceret"
        assert ">Avanceret</a>" in page


def test_monitoring_takes_danish_decimals_and_says_what_is_wrong_in_danish(editor: Any) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    bad = editor.post(_url(plan, "monitoring"), {"version": row.version, "frequency_years": "to",
                                                 "review_cycle_years": "0", "stale_after_months": "12"})
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "Indtast et tal, fx 0,25." in page
    assert "Indtast et tal over 0." in page
    assert PlanSections.objects.get(plan=plan).version == row.version  # nothing saved
    ok = editor.post(_url(plan, "monitoring"), {"version": row.version, "frequency_years": "1,5",
                                                "review_cycle_years": "4", "stale_after_months": "18"})
    assert ok.status_code == 302
    saved = PlanSections.objects.get(plan=plan)
    assert saved.data["monitoring"] == {"frequency_years": 1.5, "review_cycle_years": 4.0, "stale_after_months": 18}
    assert saved.version == row.version + 1
    assert 'value="1,5"' in editor.get(_url(plan, "monitoring")).content.decode()
    record = ChangeRecord.objects.filter(object_id=str(saved.pk), action="update",
                                         content_type__model="plansections").latest("id")
    assert record.actor_name == "editor-mdf"
    assert record.changes["data"][1]["monitoring"]["frequency_years"] == 1.5


def test_a_save_based_on_an_old_version_is_refused_with_409(editor: Any) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    first = editor.post(_url(plan, "governance"), {"version": row.version, "lead_unit": "Klimasekretariatet",
        **_no_rows("governance")})
    assert first.status_code == 302
    stale = editor.post(_url(plan, "governance"), {"version": row.version, "lead_unit": "Teknik og Miljø",
        **_no_rows("governance")})
    assert stale.status_code == 409
    assert "role=\"alert\"" in stale.content.decode()
    assert "version" in stale.content.decode().lower()
    assert PlanSections.objects.get(plan=plan).data["governance"]["lead_unit"] == "Klimasekretariatet"


def test_engagement_events_with_audience_and_phase(editor: Any) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    post = {"version": row.version, **_management("events", 2),
            "events-0-date": "2026-03-04", "events-0-kind": "workshop", "events-0-title": "Klimaværksted",
            "events-0-audience": "Virksomheder", "events-0-participants": "25", "events-0-phase": "implementation",
            "events-1-date": "", "events-1-kind": "", "events-1-title": "", "events-1-phase": ""}
    assert editor.post(_url(plan, "engagement"), post).status_code == 302
    events = PlanSections.objects.get(plan=plan).data["engagement"]
    assert events == [{"date": "2026-03-04", "kind": "workshop", "title": "Klimaværksted",
                       "audience": "Virksomheder", "participants": 25, "phase": "implementation"}]
    row = PlanSections.objects.get(plan=plan)
    missing = editor.post(_url(plan, "engagement"), {
        "version": row.version, **_management("events", 1), "events-0-kind": "høring", "events-0-phase": "development"})
    assert missing.status_code == 422
    page = missing.content.decode()
    assert "Angiv datoen for aktiviteten." in page
    assert "Giv aktiviteten en titel." in page


def test_hazards_rated_from_likelihood_and_impact_and_linked_to_adaptation_actions(editor: Any) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    risk = {"version": row.version, "coastal": "yes", "scenarios": "RCP4.5, SSP2-4.5", "horizon": "2100",
            "present_day": "on", "assessed": "2025-06-30", "source": "Klimaatlas", **_management("hazards", 3),
            "screened": ["pluvial_flood", "drought"],
            "hazards-0-hazard": "pluvial_flood", "hazards-0-likelihood": "high", "hazards-0-impact": "medium",
            "hazards-1-hazard": "drought", "hazards-1-likelihood": "medium", "hazards-1-impact": "low",
            "hazards-2-hazard": "", "hazards-2-likelihood": "", "hazards-2-impact": ""}
    assert editor.post(_url(plan, "risk"), risk).status_code == 302
    data = PlanSections.objects.get(plan=plan).data["adaptation"]
    cra = data["risk_assessment"]
    # 3 x 2 = 6: high; 2 x 1 = 2: low (the risk matrix, scores low 1, medium 2, high 3)
    assert [(h["hazard"], h["rating"]) for h in cra["hazards"]] == [("pluvial_flood", "high"), ("drought", "low")]
    assert (cra["screened"], cra["scenarios"], cra["horizon"], cra["present_day"], cra["assessed"]) == (
        ["pluvial_flood", "drought"], ["RCP4.5", "SSP2-4.5"], 2100, True, "2025-06-30")
    assert data["coastal"] is True
    row = PlanSections.objects.get(plan=plan)
    twice = editor.post(_url(plan, "risk"), {**risk, "version": row.version, "hazards-1-hazard": "pluvial_flood"})
    assert twice.status_code == 422
    assert "Denne hændelse er allerede vurderet." in twice.content.decode()

    actions = {"version": row.version, **_management("actions", 2), **_management("targets", 0),
               "actions-0-title": "Skybrudsplan", "actions-0-hazards": ["pluvial_flood"], "actions-0-start": "2026",
               "actions-0-end": "2035", "actions-1-title": "Uden hændelse", "actions-1-start": "2030",
               "actions-1-end": "2027"}
    bad = editor.post(_url(plan, "adaptation"), actions)
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "Vælg mindst én hændelse, tiltaget imødegår." in page
    assert "Slutåret ligger før startåret." in page
    del actions["actions-1-title"], actions["actions-1-start"], actions["actions-1-end"]
    assert editor.post(_url(plan, "adaptation"), actions).status_code == 302
    stored = PlanSections.objects.get(plan=plan).data["adaptation"]
    assert stored["actions"] == [{"id": "skybrudsplan", "title": "Skybrudsplan", "hazards": ["pluvial_flood"],
                                  "start": 2026, "end": 2035}]
    assert stored["risk_assessment"]["hazards"][0]["hazard"] == "pluvial_flood"  # the other page's part is kept


def test_every_criterion_field_links_to_a_page_and_field_that_exist(editor: Any) -> None:
    """Each path a criterion of the shipped set names resolves to a place, and the page there
    answers 200 with the anchor's element on it (for action paths with ``*``: the action form)."""
    plan = load(DEFECTIVE)
    action = plan.actions.first()
    assert action is not None
    actions = {action.key: (action.pk, action.title)}
    for spec in dk2020().criteria:
        assert spec.fields, f"{spec.id} names no field"
        for path in spec.fields:
            assert fixlinks.is_action_path(path) or fixlinks.place_of(path) is not None, (spec.id, path)
        result = {"fields": spec.fields, "subjects": [action.key]}
        links = fixlinks.links(result, plan, actions)
        assert links, spec.id
        for link in links:
            url, _hash, anchor = link["url"].partition("#")
            response = editor.get(url)
            assert response.status_code == 200, (spec.id, url)
            if anchor:
                assert f'id="{anchor}"' in response.content.decode(), (spec.id, link["url"])
            assert link["label"], spec.id


def test_the_danish_checklist_links_each_fix_and_names_no_yaml_path(editor: Any) -> None:
    plan = load(DEFECTIVE)
    page = editor.get(reverse("monitoring:check", args=[plan.pk])).content.decode()
    fixes = re.findall(r'<ul class="fix-links">(.*?)</ul>', page, re.S)
    assert fixes
    assert f'href="{_url(plan, "governance")}#field-lead_unit"' in page  # GOV-1 fails in the defective plan
    assert "Organisering: Ansvarlig enhed" in page
    for path in ("adoption.adopted", "action_details.", "governance.lead_unit", "monitoring.review_cycle_years"):
        assert path not in page


def test_the_action_form_stores_power_funding_kpis_and_co_benefits(editor: Any) -> None:
    plan = load(PASSING)
    action = plan.actions.get(key="energy-savings")
    html = editor.get(reverse("plans:action_edit", args=[plan.pk, action.pk])).content.decode()
    for label in ("Kommunens handlemulighed", "Finansieringsstatus", "Indikator 1", "Merværdier", "Sundhed"):
        assert label in html, label
    from nettonul.web.plans.forms import ActionForm

    form = ActionForm(action=action, framework=plan.framework, language="da")
    data = {k: v for k, v in form.initial.items() if v is not None and k != "kpi_list"}
    post: dict[str, Any] = {**{k: (v if isinstance(v, list) else str(v)) for k, v in data.items()},
                            "version": action.version, "power": "regulate", "funding_status": "partly_funded",
                            "kpis": "Energiforbrug i kommunale bygninger", "kpis_1": "Antal energirenoveringer",
                            "co_benefits": ["health", "economy"], "co_benefits_other": "lavere regninger, mindre støj"}
    for name in ("share", "efficiency_ratio", "reduction", "ratio", "amount", "rate"):
        if name in post and isinstance(data[name], float):
            post[name] = str(data[name]).replace(".", ",")
    response = editor.post(reverse("plans:action_edit", args=[plan.pk, action.pk]), post)
    assert response.status_code == 302, response.content.decode()[-2000:]
    action.refresh_from_db()
    assert (action.power, action.funding_status) == ("regulate", "partly_funded")
    assert action.kpis == ["Energiforbrug i kommunale bygninger", "Antal energirenoveringer"]
    assert action.co_benefits == ["health", "economy", "lavere regninger", "mindre støj"]
    record = ChangeRecord.objects.filter(object_id=str(action.pk), action="update",
                                         content_type__model="action").latest("id")
    assert record.changes["power"] == ["", "regulate"]


def test_the_english_checklist_links_each_fix_in_english(client: Any, db: None) -> None:
    from .monitoring_support import english

    plan = load(DEFECTIVE)
    english(client).force_login(person("editor-mdf", "editor"))
    page = client.get(reverse("monitoring:check", args=[plan.pk])).content.decode()
    assert "Name the lead unit and how the work is coordinated." in page
    assert f'<a href="{_url(plan, "governance")}#field-lead_unit">Governance: Lead unit</a>' in page
    assert f'href="{_url(plan, "monitoring")}#field-review_cycle_years"' in page  # MON-2 fails: every 8 years
    # a viewer reads the fixes but gets no links to forms she may not use
    client.force_login(person("viewer-mdf", "viewer"))
    assert 'class="fix-links"' not in client.get(reverse("monitoring:check", args=[plan.pk])).content.decode()


def test_inventory_coverage_with_sectors_not_occurring_and_not_estimated(editor: Any) -> None:
    plan = load(PASSING)
    page = editor.get(_url(plan, "coverage")).content.decode()
    assert 'name="not_estimated-0-reason"' in page
    assert "LULUCF" in page
    row = PlanSections.objects.get(plan=plan)
    post = {"version": row.version, "electricity_method": "national_average_location",
            "not_occurring": ["industry"], **_management("not_estimated", 2, 1),
            "not_estimated-0-sector": "lulucf", "not_estimated-0-reason": "Ingen data for arealanvendelse",
            "not_estimated-1-sector": "lulucf", "not_estimated-1-reason": "To gange"}
    twice = editor.post(_url(plan, "coverage"), post)
    assert twice.status_code == 422
    assert "Denne sektor er allerede angivet." in twice.content.decode()
    del post["not_estimated-1-sector"], post["not_estimated-1-reason"]
    assert editor.post(_url(plan, "coverage"), post).status_code == 302
    cov = PlanSections.objects.get(plan=plan).data["inventory_coverage"]
    assert cov == {"not_occurring": ["industry"], "not_estimated": {"lulucf": "Ingen data for arealanvendelse"},
                   "electricity_method": "national_average_location"}


def test_details_of_a_deleted_action_are_named_with_the_way_out(editor: Any) -> None:
    """The engine refuses details of an action the plan no longer has; the page says which and
    where to remove them, in Danish, instead of leaving the user with a refused save."""
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services as plan_services

    plan = load(PASSING)
    action = plan.actions.get(key="waste-sorting")
    plan_services.delete_action(SYSTEM, action, action.version)
    page = editor.get(_url(plan, "governance")).content.decode()
    assert "Tiltagsdetaljerne nævner tiltag, som planen ikke længere har: waste-sorting." in page
    row = PlanSections.objects.get(plan=plan)
    refused = editor.post(_url(plan, "governance"), {"version": row.version, "lead_unit": "Klimasekretariatet",
        **_no_rows("governance")})
    assert refused.status_code == 422
    assert PlanSections.objects.get(plan=plan).version == row.version


def test_the_sections_are_exported_as_yaml_behind_advanced(editor: Any) -> None:
    import yaml

    plan = load(PASSING)
    advanced = editor.get(reverse("monitoring:sections_advanced", args=[plan.pk])).content.decode()
    url = reverse("monitoring:sections_yaml", args=[plan.pk])
    assert f'href="{url}"' in advanced
    response = editor.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="410-capf-sections.yaml"'
    assert yaml.safe_load(response.content.decode()) == PlanSections.objects.get(plan=plan).data


def test_governance_stores_partners_staff_per_action_barriers_and_financing(editor: Any) -> None:
    """The governance page writes the plan document's ``governance.partners``, the staff of
    each action (``action_details.<id>.staff_fte``), the top-level ``barriers`` and ``financing``;
    an action's other details are kept, a barrier naming an unknown action is refused."""
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    before = row.data.get("action_details") or {}
    post = {"version": row.version, "lead_unit": "Klimasekretariatet", "financing_plan": "Anlægsbudget og puljer",
            **_management("partners", 1), "partners-0-name": "Middelfart Spildevand", "partners-0-role": "Skybrud",
            **_management("staff", 1), "staff-0-action": "energy-savings", "staff-0-staff_fte": "1,5",
            **_management("barriers", 1), "barriers-0-description": "Mangel på ingeniører",
            "barriers-0-response": "Fælles rekruttering", "barriers-0-actions": "energy-savings, nowhere",
            **_management("sources", 1), "sources-0-name": "Anlægsbudget", "sources-0-amount": "2.500.000,5",
            "sources-0-status": "secured"}
    refused = editor.post(_url(plan, "governance"), post)
    assert refused.status_code == 422
    assert "nowhere" in refused.content.decode()
    post["barriers-0-actions"] = "energy-savings"
    assert editor.post(_url(plan, "governance"), post).status_code == 302
    data = PlanSections.objects.get(plan=plan).data
    assert data["governance"]["partners"] == [{"name": "Middelfart Spildevand", "role": "Skybrud"}]
    assert data["barriers"] == [{"description": "Mangel på ingeniører", "response": "Fælles rekruttering",
                                 "actions": ["energy-savings"]}]
    assert data["financing"] == {"plan": "Anlægsbudget og puljer",
                                 "sources": [{"name": "Anlægsbudget", "amount": 2_500_000.5, "status": "secured"}]}
    details = data["action_details"]
    assert details["energy-savings"]["staff_fte"] == 1.5
    for key, value in before.items():  # the other fields of the details stay as they were
        assert {k: v for k, v in details.get(key, {}).items() if k != "staff_fte"} == {
            k: v for k, v in value.items() if k != "staff_fte"}
    page = editor.get(_url(plan, "governance")).content.decode()
    assert 'value="energy-savings"' in page
    assert 'value="1,5"' in page


def test_coverage_stores_the_gap_size_year_and_strategy(editor: Any) -> None:
    plan = load(PASSING)
    row = PlanSections.objects.get(plan=plan)
    post = {"version": row.version, **_no_rows("coverage"), "gap_explanation": "Landbruget",
            "gap_size_t": "12.345,5", "gap_year": "2030", "gap_strategy": "Biogas og vådlægning"}
    assert editor.post(_url(plan, "coverage"), post).status_code == 302
    gap = PlanSections.objects.get(plan=plan).data["gap"]
    assert gap == {"explanation": "Landbruget", "size_t": 12345.5, "year": 2030, "strategy": "Biogas og vådlægning"}
