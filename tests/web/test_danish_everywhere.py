"""Every page, the yearly report's PDF and its workbook rendered in Danish, for a monitored
plan with costs: none may show an English message of the engine's catalogue, a raw code
from :data:`RAW_CODES`, a number above 9,999 without thousands separators or an ISO date."""

from __future__ import annotations

import gettext
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from nettonul.web.monitoring import services
from nettonul.web.monitoring.models import ReportSnapshot
from nettonul.web.organisations.permissions import SYSTEM
from nettonul.web.plans import services as plan_services

from .monitoring_support import MONITORING, PASSING, load, person

#: Codes that are names inside the program, never words for a reader.
RAW_CODES = ("net_zero", "scope3.01", "t_CO2e", "lulucf", "individual_heating", "no_data", "not_started",
             "on_track", "off_track", "at_risk", "insufficient_data", "pass_with_warnings", "demand_reduction",
             "efficiency_ratio", "backcast_national_sector_index", "climate_action_plan", "None", "nan")
#: English the engine writes outside its catalogue that a Danish reader must never see.
ENGLISH = ("inventory rejected", "has passed", "never updated", "Deleted.", " actions", "vs 1990",
           "The plan emits more than", "The plan is marked illustrative", "Business as usual",
           "assumed figures", "Target path")
CATALOGUE = Path(__file__).resolve().parents[2] / "src" / "nettonul" / "locale"
BIG_NUMBER = re.compile(r"(?<![\d.,\w])\d{5,}(?![\d\w])")
#: An ISO date shown to a reader; a source's retrieval date in its citation is left as cited.
ISO_DATE = re.compile(r"(?<!fetched )\b(?:19|20)\d{2}-\d{2}-\d{2}\b")


def _english_messages() -> list[str]:
    """The literal fragments (at least 24 characters) of every English message of the engine
    whose Danish text differs: a fragment on a Danish page is an untranslated message."""
    def catalogue(language: str) -> dict[str, str]:
        with open(CATALOGUE / language / "LC_MESSAGES" / "nettonul.mo", "rb") as f:
            return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str) and k}

    en, da = catalogue("en"), catalogue("da")
    out = set()
    for key, text in en.items():
        if da.get(key) == text:
            continue
        for part in re.split(r"\{[^}]*\}", text):
            part = part.strip(" .,:;()")
            if len(part) >= 24:
                out.add(part)
    return sorted(out)


class _Text(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def problems(where: str, text: str, messages: list[str]) -> list[str]:
    found = [f"{where}: raw code {c!r}" for c in RAW_CODES if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w])", text)]
    found += [f"{where}: English {e!r}" for e in ENGLISH if e in text]
    found += [f"{where}: English message {m!r}" for m in messages if m in text]
    found += [f"{where}: number without separators {n!r} in …{text[max(0, m.start() - 40):m.end() + 20]}…"
              for m in BIG_NUMBER.finditer(text) for n in [m.group()]]
    found += [f"{where}: ISO date {m.group()!r} in …{text[max(0, m.start() - 40):m.end() + 20]}…"
              for m in ISO_DATE.finditer(text)]
    return found


@pytest.fixture
def monitored(db: None) -> Any:
    plan = load(PASSING, publish=True)
    services.import_monitoring_file(SYSTEM, plan, MONITORING)
    action = plan.actions.order_by("pk").first()
    plan_services.update_action(SYSTEM, action, action.version, cost={
        "capex": 12_000_000.0, "opex_per_year": -250_000.0, "lifetime_years": 20})
    return plan


def test_every_page_and_report_is_danish(client: Any, monitored: Any) -> None:
    plan = monitored
    org = plan.organisation
    client.force_login(person("editor-mdf", "editor"))
    client.cookies["nettonul_language"] = "da"
    action = plan.actions.order_by("pk").first()
    pages = {
        "overview": "/", "dashboard": reverse("public:dashboard", args=[org.pk]) + f"?plan={plan.pk}",
        "plan": reverse("plans:detail", args=[plan.pk]), "editor": reverse("ui:editor", args=[plan.pk]),
        "action": reverse("plans:action_edit", args=[plan.pk, action.pk]),
        "monitoring": reverse("monitoring:plan", args=[plan.pk]),
        "check": reverse("monitoring:check", args=[plan.pk]),
        "public": reverse("monitoring:public", args=[org.code]),
        "reports": reverse("monitoring:reports", args=[plan.pk]),
        "library": reverse("plans:search") + "?q=varme", "account": reverse("public:account"),
    }
    messages = _english_messages()
    found: list[str] = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        text = visible(response.content.decode())
        found += problems(name, text, messages)
    response = client.post(reverse("monitoring:report_issue", args=[plan.pk]), {"year": 2025, "language": "da"})
    assert response.status_code == 302
    report = ReportSnapshot.objects.get(plan=plan)
    pdf = client.get(reverse("monitoring:report_download", args=[report.pk, "pdf"]))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.content)).pages)
    found += problems("pdf", text, messages)
    xlsx = client.get(reverse("monitoring:report_download", args=[report.pk, "xlsx"]))
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    # dates are date cells, which Excel shows in the reader's format
    cells = " | ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                       if isinstance(v, str))
    found += [p for p in problems("xlsx", cells, messages) if "without separators" not in p]
    assert not found, "\n".join(found)
