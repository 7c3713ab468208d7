"""When a plan's pathway cannot be computed on the current inventory, public pages show the last
good published figures with a note, editors see what is wrong in their language with a link to
the fix, and no message names an internal file (nettonul/web/engine/scenarios.py,
nettonul/web/engine/problems.py, the dashboard and the national overview).

The case is one a coordinator can make: Aarhus' published plan has a target for industry, and
an upload that replaces the whole inventory has no industry rows, so the pathway of the plan's
targets cannot be computed on it."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.conf import settings
from django.urls import reverse

from nettonul.web.engine import problems
from nettonul.web.inventory import services
from nettonul.web.inventory.models import InventoryVersion
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services

NEW = ("kommunekode;år;sektor;gas;udledning;enhed\n"
       "751;2023;energy;CO2e;500.000;t CO2e\n"
       "751;2023;transport;CO2e;400.000;t CO2e\n").encode()
#: What the engine's English errors say, and how an internal file would be named.
ENGLISH_ENGINE = ("is not in this panel", "stored inventory version", "rejected:", "problem")
INTERNAL_FILE = re.compile(r"[0-9a-f]{8,}[^ ]*\.csv")


def _broken(users: dict[str, Any], orgs: dict[str, Any], plans: dict[str, Any]) -> tuple[Any, InventoryVersion]:
    plan = plans["aarhus"]
    plan_services.add_target(SYSTEM, plan, kind="reduction", year=2030, value=0.5, against=1990, sector="industry")
    new = services.import_file(users["editor-aarhus"], orgs["751"], NEW, filename="aarhus-2023.csv", mode="all",
                               publish=True)
    return plan, new


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_the_public_dashboard_shows_the_last_good_pathway_and_the_editor_the_problem_in_danish(
        users: dict[str, Any], orgs: dict[str, Any], plans: dict[str, Any], client_for: Any) -> None:
    plan, new = _broken(users, orgs, plans)
    first = InventoryVersion.objects.get(organisation=orgs["751"], number=1)
    url = reverse("public:dashboard", args=[orgs["751"].pk]) + f"?plan={plan.pk}"
    public = client_for("anonymous").get(url)
    assert public.context["fallback"].pk == first.pk
    html = public.content.decode()
    assert 'id="pathway-fallback"' in html
    assert 'id="gap-table"' in html  # the pathway is there, from version 1
    assert 'id="pathway-problem"' not in html
    # the inventory table is the current one: 2023 = 500 000 + 400 000
    assert public.context["table"]["total"][public.context["table"]["years"].index(2023)] == 900_000.0
    pathway = public.context["pathway"]
    first_2023 = sum(r.co2e_t for r in first.records.filter(year=2023))
    assert pathway["table"][[r["year"] for r in pathway["table"]].index(2023)]["historical"] == first_2023
    text = _text(html)
    for english in ENGLISH_ENGINE:
        assert english not in text
    assert not INTERNAL_FILE.search(text)
    editor = _text(client_for("editor-aarhus").get(url).content.decode())  # Aarhus' pages are in Danish
    assert "har ingen tal for sektoren 'industry'" in editor
    assert "Forløbet kan ikke beregnes på den gældende opgørelse" in editor
    for english in ENGLISH_ENGINE:
        assert english not in editor
    assert not INTERNAL_FILE.search(editor)
    assert reverse("inventory:upload", args=[orgs["751"].pk]) in client_for("editor-aarhus").get(url).content.decode()
    assert new.is_current


def test_the_national_overview_keeps_the_organisation_with_its_last_good_version(
        users: dict[str, Any], orgs: dict[str, Any], plans: dict[str, Any], client_for: Any) -> None:
    _broken(users, orgs, plans)
    first = InventoryVersion.objects.get(organisation=orgs["751"], number=1)
    client = client_for("anonymous")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    response = client.get(reverse("public:overview"))
    rows = {r["org"].code: r for r in response.context["rows"]}
    assert set(rows) >= {"101", "751", "147"}  # one failing organisation hides no other
    assert rows["751"]["fallback"].pk == first.pk
    assert rows["751"]["emissions"] == sum(r.co2e_t for r in first.records.filter(year=2023))
    assert "fallback" not in rows["101"]
    text = _text(response.content.decode())
    for english in ENGLISH_ENGINE:
        assert english not in text


def test_engine_messages_are_worded_in_danish() -> None:
    from django.utils import translation

    with translation.override("da"):
        assert problems.reason("'abc' is not a number") == "'abc' er ikke et tal"
        assert problems.reason("year 1700 is outside 1990-2100") == "året 1700 ligger uden for 1990-2100"
        assert problems.error("inventory rejected: 1 problem; nothing was imported\n"
                              "  - stored inventory version 3 of 741, row 35, column 'sector': "
                              "the file has no data rows") == (
            "1 problem(er) i opgørelsen; intet blev importeret\n"
            "opgørelsesversion 3, række 35, kolonne 'sector': filen har ingen datarækker")
        mixed = problems.reason("numbers are written in two conventions: Danish in row 2 amount '1.234,5'; "
                                "English in row 3 amount '1,234.5'. Write every number of the file one way: "
                                "1.234,5 or 1,234.5")
        assert mixed.startswith("tallene er skrevet på to måder: dansk i række 2 amount '1.234,5'; engelsk i række 3")
    assert problems.reason("something new the engine says") == "something new the engine says"


def test_stored_records_the_engine_no_longer_accepts_fall_back_on_every_public_page(
        orgs: dict[str, Any], plans: dict[str, Any], client_for: Any) -> None:
    """A published version whose records the engine rejects as a whole (here a sector code the
    framework does not have, as after a change of the framework's codes): the dashboard, its
    plan scenario, the plan page and the overview use version 1; nothing answers an error."""
    plan = plans["aarhus"]
    first = services.current(orgs["751"])
    rows = [dict(r) for r in first.records.values(*services.inventories.RECORD_COLUMNS)]
    rows[-1]["sector"] = "energy.nosuch"
    bad = services.store(SYSTEM, orgs["751"], rows, framework=first.framework, gwp_set=first.gwp_set, title="bad")
    services.publish_version(SYSTEM, bad, bad.version)
    url = reverse("public:dashboard", args=[orgs["751"].pk]) + f"?plan={plan.pk}"
    public = client_for("anonymous").get(url)
    assert public.status_code == 200
    assert public.context["fallback"].pk == first.pk
    assert public.context["figures"].fallback.pk == first.pk
    html = public.content.decode()
    assert 'id="scenario-fallback"' in html
    assert 'id="pathway-fallback"' in html
    plan_page = client_for("anonymous").get(reverse("plans:detail", args=[plan.pk]))
    assert plan_page.context["computed"]["fallback"].pk == first.pk
    assert 'id="scenario-fallback"' in plan_page.content.decode()
    assert 'id="scenario-problems"' not in plan_page.content.decode()
    for text in (_text(html), _text(plan_page.content.decode())):
        for english in (*ENGLISH_ENGINE, "unknown sector"):
            assert english not in text
    editor = _text(client_for("editor-aarhus").get(reverse("plans:detail", args=[plan.pk])).content.decode())
    assert "ukendt sektor 'energy.nosuch' i sektorinddelingen dk-municipal" in editor
    overview = client_for("anonymous").get(reverse("public:overview"))
    assert {r["org"].code: r.get("fallback") for r in overview.context["rows"]}["751"].pk == first.pk
    api = client_for("anonymous").get(f"/api/organisations/{orgs['751'].pk}/pathway").json()
    assert (api["inventory_id"], api["computed_on_inventory_id"]) == (bad.pk, first.pk)
    assert "energy.nosuch" in api["current_inventory_problem"]
