"""A coordinator's yearly upload in a real browser, in Danish: a Danish-format file with a
double count is refused on its row, the corrected file is saved as a draft and previewed,
publishing changes the dashboard, and restoring the earlier version changes it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from .test_coordinator import _log_in

pytestmark = pytest.mark.browser

HEADER = "kommunekode;år;sektor;gas;udledning;enhed\n"


def _total_2024(page: Any) -> str | None:
    """The dashboard's inventory table total for 2024, or None when the table has no 2024."""
    years = page.eval_on_selector_all("#inventory-table thead th", "ths => ths.map(th => th.textContent.trim())")
    if "2024" not in years:
        return None
    cells = page.eval_on_selector_all("#inventory-table tfoot td", "tds => tds.map(td => td.textContent.trim())")
    return str(cells[years.index("2024") - 1])


def test_danish_upload_draft_publish_and_restore(page: Any, aarhus: dict[str, Any], tmp_path: Path) -> None:
    org = aarhus["org"]
    bad = tmp_path / "aarhus-2023.csv"  # road transport under the stored sector total of 2023
    bad.write_text(HEADER + "751;2023;transport.road;CO2e;20.000;t CO2e\n", encoding="utf-8")
    good = tmp_path / "aarhus-2024.csv"  # 10 250,5 + 15 100 = 25 350,5 t in 2024
    good.write_text(HEADER + "751;2024;energy;CO2e;10.250,5;t CO2e\n751;2024;transport;CO2e;15.100;t CO2e\n",
                    encoding="utf-8")
    _log_in(page, "editor-aarhus@demo", aarhus["password"])
    dashboard = reverse("public:dashboard", args=[org.pk])
    page.goto(dashboard)
    assert _total_2024(page) is None

    page.goto(reverse("inventory:upload", args=[org.pk]))
    page.set_input_files("input[type=file]", str(bad))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    report = page.wait_for_selector("#validation-report")
    rows = page.eval_on_selector_all("#validation-report tbody tr",
                                     "trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))")
    assert [(r[1], r[2]) for r in rows] == [("2", "sektor")]
    assert "tælle dobbelt" in rows[0][3]
    assert "semikolon" in report.text_content()
    assert "dansk notation" in report.text_content()
    for english in ("rejected", "problem(s) found", "is not", "row "):
        assert english not in report.text_content()

    page.set_input_files("input[type=file]", str(good))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_selector("#draft-banner")
    changes = page.eval_on_selector_all("#inventory-comparison tbody tr.large-change",
                                        "trs => trs.map(tr => [...tr.cells].map(td => td.textContent.trim()))")
    assert [(c[0], c[1], c[3]) for c in changes] == [("Energi", "2024", "10.251"), ("Transport", "2024", "15.100")]
    assert page.is_visible("#downloads a:has-text('rækker (Excel)')")
    page.goto(dashboard)
    assert _total_2024(page) is None  # a draft feeds nothing
    page.click("#draft-notice a")
    page.click("text=Offentliggør som gældende opgørelse")
    page.wait_for_selector(".messages")
    page.goto(dashboard)
    assert _total_2024(page) == "25.351"

    page.goto(reverse("inventory:detail", args=[org.inventories.get(number=1).pk]))
    page.click("#inventory-versions a:has-text('Gendan')")  # click 1
    page.click("button:has-text('Gendan version 1')")        # click 2
    page.wait_for_selector(".messages")
    page.goto(dashboard)
    assert _total_2024(page) is None
    # the refused upload answers 422 on purpose; nothing else may fail
    assert [e for e in page.console_errors if "favicon" not in e and "404" not in e and "422" not in e] == []
