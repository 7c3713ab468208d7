"""The public dashboard ``/p/<code>/``: anonymous, read-only, only what is published, and a
constant number of queries however much monitoring data a plan has."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nettonul.web.monitoring import reporting, services
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services

from .monitoring_support import DEFECTIVE, MONITORING, PASSING, load


def test_shows_the_published_plan_status_check_and_report(client: Any, db: None) -> None:
    plan = load(PASSING, publish=True)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    report = reporting.issue_report(SYSTEM, plan, 2025, "en", date(2026, 1, 20))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("monitoring:public", args=["410"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Klimaplan for Middelfart (illustrative example)" in page
    assert "Illustrative" in page  # the assumed figures are labelled
    assert "The plan passes the DK2020/CAPF check, with warnings." in page
    assert 'id="pathway"' in page
    assert "<th scope=\"row\">2030</th>" in page
    assert reverse("monitoring:report_download", args=[report.pk, "pdf"]) in page
    assert "Oil boilers in use" in page  # a published plan's indicators are public with it
    assert "<form method=\"post\" class=\"stacked\"" not in page  # read-only


def test_nothing_unpublished_is_shown(client: Any, db: None, plans: dict[str, Any]) -> None:
    draft = load(DEFECTIVE)  # Middelfart's only plan, not published
    reporting.issue_report(SYSTEM, draft, 2025, "en", date(2026, 1, 20))
    page = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    assert 'id="no-plan"' in page
    assert draft.title not in page
    assert "monitoring/reports/" not in page
    page = client.get(reverse("monitoring:public", args=["101"])).content.decode()
    assert plans["kbh"].title not in page
    assert 'id="no-plan"' in page
    page = client.get(reverse("monitoring:public", args=["751"])).content.decode()
    assert plans["aarhus"].title in page
    assert client.get(reverse("monitoring:public", args=["nowhere"])).status_code == 404


def test_an_unpublished_newer_version_is_not_shown(client: Any, db: None) -> None:
    plan = load(PASSING, publish=True)
    newer = plan_services.revise_plan(SYSTEM, plan, plan.version, title="Work in progress, not public")
    page = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    assert "Work in progress" not in page
    assert newer.published is False


def test_query_count_does_not_grow_with_the_data(client: Any, db: None) -> None:
    plan = load(PASSING, publish=True)
    url = reverse("monitoring:public", args=["410"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    for year in (2023, 2024):
        reporting.issue_report(SYSTEM, plan, year, "da", date(2026, 1, 20))
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 12


def test_the_demo_publishes_the_illustrative_example(client: Any, db: None) -> None:
    from nettonul.web.demo import load_demo

    first = load_demo(codes=["410"], with_users=False)
    assert load_demo(codes=["410"], with_users=False).plans_created == 0  # idempotent
    assert first.plans_created >= 1
    page = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    assert "Klimaplan for Middelfart (illustrative example)" in page
    assert 'id="action-counts"' in page


def test_a_danish_organisation_opens_in_danish(client: Any, db: None) -> None:
    load(PASSING, publish=True)
    page = client.get(reverse("monitoring:public", args=["410"])).content.decode()
    assert '<html lang="da">' in page
    assert "Seneste årsrapport" in page
    assert "Planen består DK2020/CAPF-tjekket, med advarsler." in page
