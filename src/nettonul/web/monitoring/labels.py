"""Translated words for the engine's status and result codes, and the rows pages show."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

RESULT = {"pass": _("pass"), "fail": _("fail"), "warn": _("warning"), "n.a.": _("not applicable")}
SEVERITY = {"E": _("essential"), "R": _("recommended"), "I": _("informational")}
VERDICT = {"pass": _("The plan passes the DK2020/CAPF check."),
           "pass_with_warnings": _("The plan passes the DK2020/CAPF check, with warnings."),
           "fail": _("The plan fails essential DK2020/CAPF criteria.")}
STATE = {"completed": _("completed"), "cancelled": _("cancelled"), "late": _("late"), "stale": _("not updated"),
         "on_track": _("on track"), "not_started": _("not started"), "no_data": _("no data"),
         "at_risk": _("at risk"), "off_track": _("off track"), "insufficient_data": _("too few data")}


def language_of(code: str | None) -> str:
    """The engine's message language for an interface language code."""
    return "da" if (code or "").startswith("da") else "en"


def check_rows(check: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**c, "result_label": RESULT.get(c["result"], c["result"]),
             "severity_label": SEVERITY.get(c["severity"], c["severity"])} for c in check["criteria"]]


def action_rows(inputs: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**a, "state_label": STATE.get(a["state"], a["state"])} for a in inputs["actions"]]


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
