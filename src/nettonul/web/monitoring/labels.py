"""Translated words for the engine's status and result codes, and the rows pages show."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from nettonul.web.charts import SERIES, Chart, Series, history_series
from nettonul.web.engine.monitoring import worded_reasons
from nettonul.web.engine.vocabulary import i18n

RESULT = {"pass": _("pass"), "fail": _("fail"), "warn": _("warning"), "n.a.": _("not applicable")}
SEVERITY = {"E": _("essential"), "R": _("recommended"), "I": _("informational")}
VERDICT = {"pass": _("The plan passes the DK2020/CAPF check."),
           "pass_with_warnings": _("The plan passes the DK2020/CAPF check, with warnings."),
           "fail": _("The plan fails essential DK2020/CAPF criteria.")}
STATE = {"completed": _("completed"), "cancelled": _("cancelled"), "late": _("late"), "stale": _("not updated"),
         "on_track": _("on track"), "not_started": _("not started"), "no_data": _("no data"),
         "at_risk": _("at risk"), "off_track": _("off track"), "insufficient_data": _("too few data")}
#: The units the check's evidence counts in (the engine names them in English).
EVIDENCE_UNIT = {"actions": _("actions"), "events": _("events"), "hazards": _("hazards"), "kinds": _("kinds"),
                 "persons": _("persons"), "years": _("years")}


def language_of(code: str | None) -> str:
    """The engine's message language for an interface language code."""
    return "da" if (code or "").startswith("da") else "en"


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def evidence_value(value: Any) -> str:
    """An evidence figure as the engine words it: years unseparated, other numbers grouped
    in the interface language, whole numbers from 100 on without decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, int) and 1800 <= value <= 2200:
        return str(value)
    if isinstance(value, int | float):
        digits = 0 if abs(value) >= 100 or float(value).is_integer() else 1
        return str(number_format(round(value, digits), digits, use_l10n=True, force_grouping=True))
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):  # a date: in the reader's format
        return i18n.day(value, translation.get_language() or "en")
    return str(value)


def check_rows(check: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**c, "result_label": RESULT.get(c["result"], c["result"]),
             "severity_label": SEVERITY.get(c["severity"], c["severity"]),
             "evidence": [{**e, "text": evidence_value(e["value"]), "unit": EVIDENCE_UNIT.get(e["unit"], e["unit"])}
                          for e in c["evidence"]]}
            for c in check["criteria"]]


def action_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """The report inputs' action statuses with their state and reasons in the page's language."""
    language = language_of(translation.get_language())
    return [{**a, "state_label": STATE.get(a["state"], a["state"]), "reasons": worded_reasons(a, language)}
            for a in inputs["actions"]]


def indicator_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**i, "state_label": STATE.get(i["state"], i["state"])} for i in inputs["indicators"]]


def emission_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    """Year rows from the first inventory year on: inventory, plan, target path."""
    rows = []
    for i, year in enumerate(inputs["years"]):
        hist, plan, path = inputs["historical"][i], inputs["plan_path"][i], inputs["target_path"][i]
        if year < 1990 or (hist is None and plan is None and path is None):
            continue
        rows.append({"year": year, "historical": hist, "estimated": inputs["estimated"][i], "plan": plan,
                     "target_path": path, "bau": inputs["bau"][i]})
    return rows


def emissions_chart(inputs: dict[str, Any], csv_url: str = "") -> Any:
    """The monitoring chart (inventory, plan, target path and the trend forecast with its
    prediction interval at the target year), drawn by the UI app's chart partial; every
    number is the engine's."""
    years = [y for y in inputs["years"] if y >= 1990]
    first = inputs["years"].index(years[0])

    def column(name: str) -> list[float | None]:
        values: list[float | None] = inputs[name][first:]
        return values

    estimated = [bool(e) for e in inputs["estimated"][first:]]
    # The colours of the same series on the dashboard and in the report (charts.SERIES).
    series = [*history_series(column("historical"), estimated, SERIES["history"], "line"),
              Series("plan", str(_("Plan")), column("plan_path"), "dashed", SERIES["plan"]),
              Series("target_path", str(_("Target path")), column("target_path"), "dotted", SERIES["target_path"])]
    outlook = inputs.get("outlook")
    if outlook and outlook["target_year"] in years:
        at = years.index(outlook["target_year"])
        for key, label in (("lower", _("Trend, low")), ("forecast", _("Trend forecast")), ("upper", _("Trend, high"))):
            values: list[float | None] = [None] * len(years)
            values[at] = outlook[key]
            series.append(Series(f"trend_{key}", str(label), values, "markers", SERIES["trend"]))
    return Chart(id="monitoring-emissions", title=str(_("Emissions against the target path")),
                 unit=f"t CO2e ({inputs['gwp_set']})", x_label=str(_("Year")), x=years, series=series,
                 sources=list(inputs["sources"]), estimated=estimated, csv_url=csv_url,
                 notes=[str(_("Dashed with open circles: back-cast from the national sector trends (an estimate, "
                              "not inventory figures)."))] if any(estimated) else [])
