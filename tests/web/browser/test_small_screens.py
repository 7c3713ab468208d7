"""Charts on a 375 px phone screen: the dashboard, the monitoring page and the public plan
page draw every chart within the screen, the legend below the plot and no two axis labels
on top of each other. Screenshots go to ``$NETTONUL_SCREENSHOTS`` when it is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from ..monitoring_support import MONITORING, PASSING, load

WIDTH = 375


@pytest.fixture
def middelfart(transactional_db: None) -> Any:
    from nettonul.web.monitoring import services
    from nettonul.web.organisations.permissions import SYSTEM

    plan = load(PASSING, publish=True)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    return plan


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
            and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5)


def _check_charts(page: Any, name: str) -> int:
    page.wait_for_selector("[data-figure] .main-svg", state="attached")
    page.wait_for_timeout(300)  # Plotly's responsive resize
    shots = os.environ.get("NETTONUL_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{name}-{WIDTH}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{name} scrolls sideways"
    plots = page.query_selector_all("[data-figure]")
    for plot in plots:
        if not plot.is_visible():
            continue
        box = plot.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= WIDTH + 0.5, name
        area = plot.query_selector(".cartesianlayer .bg, .bglayer .bg")
        legend = plot.query_selector("g.legend")
        if area is not None and legend is not None:
            a, g = area.bounding_box(), legend.bounding_box()
            assert g["y"] >= a["y"] + a["height"] - 1, f"{name}: the legend is not below the plot"
            assert g["x"] + g["width"] <= WIDTH + 0.5, f"{name}: the legend is clipped"
        for axis in ("x", "y"):
            labels = [t.bounding_box() for t in plot.query_selector_all(f".{axis}tick text, .{axis}title")
                      if t.is_visible()]
            labels = [b for b in labels if b and b["width"] > 0]
            for i, first in enumerate(labels):
                for second in labels[i + 1:]:
                    assert not _overlap(first, second), f"{name}: {axis} axis labels overlap"
    return len(plots)


def test_the_dashboard_charts_fit_a_phone(page: Any, aarhus: dict[str, Any]) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(reverse("public:dashboard", args=[aarhus["org"].pk]))
    assert _check_charts(page, "dashboard") >= 2
    assert page.console_errors == []


def test_the_monitoring_and_public_charts_fit_a_phone(page: Any, middelfart: Any) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    page.goto(reverse("monitoring:public", args=[middelfart.organisation.code]))
    assert _check_charts(page, "public") >= 1
    page.goto(reverse("monitoring:plan", args=[middelfart.pk]))
    if page.url.endswith(reverse("public:login")) or "/login/" in page.url:
        pytest.fail("the monitoring page of a published plan asks for a login")
    assert _check_charts(page, "monitoring") >= 1
    assert page.console_errors == []
