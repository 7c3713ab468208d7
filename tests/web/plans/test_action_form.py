"""The action page: a whole action in plain fields, typed in Danish (decimal commas, thousands
points), with its effect, schedule, uncertainty, cost, SDGs, sources and assumptions; no JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from nettonul.web.engine import plans as engine_plans
from nettonul.web.plans.forms import ActionForm
from nettonul.web.plans.models import Action


def _new_switch(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Oliefyr erstattes af varmepumper", "key": "", "owner": "Klima og Miljø", "status": "planned",
        "description": "", "type": "switch", "sector": "energy", "from_row": "oil", "to": "electricity",
        "share": "0,8", "efficiency_ratio": "0,3", "start_year": "2025", "full_year": "2032", "curve": "logistic",
        "unc_share_kind": "pert", "unc_share_low": "0,5", "unc_share_high": "0,95",
        "unc_efficiency_ratio_kind": "triangular", "unc_efficiency_ratio_low": "0,25",
        "unc_efficiency_ratio_high": "0,4",
        "capex": "60.000.000", "opex_per_year": "-2.000.000", "lifetime_years": "20", "discount_rate": "0,04",
        "sdgs": ["7", "13"],
        "source__effect": "Varmeplan 2024, s. 12",
        "assumption__effect__efficiency_ratio": "kedel 0,9 / varmepumpe COP 3",
        "assumption__cost": "illustrativ",
        "assumption__effect__reduction": "hører til en anden type virkning og gemmes ikke",
    }
    data.update(changes)
    return data


def test_the_action_page_is_danish_plain_fields(client_for: Any, plans: dict[str, Any]) -> None:
    kbh = plans["kbh"]
    html = client_for("editor-kbh").get(reverse("plans:action_create", args=[kbh.pk])).content.decode()
    for text in ("Ny handling", "Skift af brændsel eller teknologi", "Usikkerhed om andelen der flyttes",
                 "Investering ved fuld effekt (kr.)", "13. Klimaindsats", "Kilde til virkningen som helhed"):
        assert text in html, text
    assert "JSON" not in html
    assert 'name="effect"' not in html


def test_a_new_action_typed_in_danish_is_stored_in_the_engines_terms(client_for: Any, plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    client = client_for("editor-aarhus")
    client.cookies["django_language"] = "da"
    response = client.post(reverse("plans:action_create", args=[aarhus.pk]), _new_switch())
    assert response.status_code == 302, response.content.decode()[-3000:]
    action = Action.objects.get(plan=aarhus, key="oliefyr-erstattes-af-varmepumper")
    assert action.effect == {"type": "switch", "sector": "energy", "from": "oil", "to": "electricity", "share": 0.8,
                             "efficiency_ratio": 0.3}
    assert (action.start_year, action.full_year, action.curve) == (2025, 2032, "logistic")
    # The most likely value of each distribution is the parameter itself.
    assert action.uncertainty == {"share": {"pert": [0.5, 0.8, 0.95]},
                                  "efficiency_ratio": {"triangular": [0.25, 0.3, 0.4]}}
    assert action.cost == {"capex": 60_000_000.0, "opex_per_year": -2_000_000.0, "lifetime_years": 20,
                           "discount_rate": 0.04}
    assert action.sdgs == [7, 13]
    assert action.sources == {"effect": "Varmeplan 2024, s. 12"}
    assert action.assumptions == {"effect.efficiency_ratio": "kedel 0,9 / varmepumpe COP 3", "cost": "illustrativ"}
    page = client.get(reverse("plans:detail", args=[aarhus.pk])).content.decode()
    assert "Handlingen “Oliefyr erstattes af varmepumper” er gemt." in page
    # The page shows the stored numbers back in Danish.
    form_html = client.get(reverse("plans:action_edit", args=[aarhus.pk, action.pk])).content.decode()
    for value in ('value="0,8"', 'value="60.000.000"', 'value="-2.000.000"', 'value="0,04"', 'value="0,95"'):
        assert value in form_html, value


def test_the_band_contains_the_line_after_an_edit_of_the_central_value(client_for: Any,
                                                                       plans: dict[str, Any]) -> None:
    """The reported bug: the ferry's 0.9 changed to 0.3 left its distribution at 0.7-0.97, so the
    2030 line lay outside its band. Now the form moves the most likely value with the value,
    asks for a range that contains it, and the services refuse a range that does not."""
    aarhus = plans["aarhus"]
    client = client_for("editor-aarhus")
    client.cookies["django_language"] = "da"
    client.post(reverse("plans:action_create", args=[aarhus.pk]), _new_switch())
    action = Action.objects.get(plan=aarhus, key="oliefyr-erstattes-af-varmepumper")
    url = reverse("plans:action_edit", args=[aarhus.pk, action.pk])
    refused = client.post(url, _new_switch(share="0,3", version=str(action.version)))
    assert refused.status_code == 422
    assert "Intervallet fra lav til høj skal indeholde selve værdien (0,3)." in refused.content.decode()
    saved = client.post(url, _new_switch(share="0,3", unc_share_low="0,2", unc_share_high="0,45",
                                         version=str(action.version)))
    assert saved.status_code == 302
    action.refresh_from_db()
    assert action.uncertainty["share"] == {"pert": [0.2, 0.3, 0.45]}
    actions = list(aarhus.actions.all())
    found = engine_plans.plan_results(aarhus, list(aarhus.targets.all()), actions, draws=400, keep=False)
    scenario = found["scenario"]
    org = found["simulation"]["organisations"][0]
    years = found["simulation"]["years"]
    for year in (2030, 2035, 2040):
        line = scenario["plan"][scenario["years"].index(year)]
        low, high = org["percentiles"]["P5"][years.index(year)], org["percentiles"]["P95"][years.index(year)]
        assert low <= line <= high, (year, low, line, high)
        assert high - low > 1.0  # a real band, not a point


def test_a_stale_range_is_refused_by_the_services(plans: dict[str, Any]) -> None:
    from nettonul.web.errors import InvalidInputError
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services

    aarhus = plans["aarhus"]
    action = aarhus.actions.get()
    action = services.update_action(SYSTEM, action, action.version,
                                    uncertainty={"share": {"triangular": [0.7, 0.9, 0.97]}})
    with pytest.raises(InvalidInputError) as caught:
        services.update_action(SYSTEM, action, action.version, effect={**action.effect, "share": 0.3})
    assert set(caught.value.problems) == {"uncertainty.share"}
    assert "0.9" in caught.value.problems["uncertainty.share"]


def test_notes_on_paths_the_form_has_no_field_for_are_kept(plans: dict[str, Any]) -> None:
    from nettonul.web.organisations.permissions import SYSTEM
    from nettonul.web.plans import services

    action = services.update_action(SYSTEM, plans["aarhus"].actions.get(), 1,
                                    sources={"cost.capex": "tilbud 2024"}, assumptions={"effect.share": "antaget"})
    form = ActionForm(dict(ActionForm.initial_for(action), sdgs=[], share="0.9", efficiency_ratio="0.33"),
                      action=action)
    assert form.is_valid(), form.errors
    changes = form.changes()
    assert changes["sources"] == {"cost.capex": "tilbud 2024"}
    assert changes["assumptions"] == {"effect.share": "antaget"}
    assert changes["cost"] == {}
