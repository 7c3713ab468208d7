"""The CAPF sections of a plan, one page each: a :class:`Section` reads its part of the stored
sections document into its form (:mod:`nettonul.web.monitoring.capf_forms`) and formsets, and
writes the cleaned values back into a copy of the document, which the service validates whole
with the engine and saves version-checked (:func:`nettonul.web.monitoring.services.save_sections`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nettonul.web.monitoring.capf_forms import (
    AdaptationActionForm,
    AdaptationTargetForm,
    AdoptionForm,
    BarrierForm,
    BenefitForm,
    BenefitsForm,
    CommunicationForm,
    CoverageForm,
    EngagementForm,
    FundingSourceForm,
    GovernanceForm,
    HazardForm,
    MonitoringForm,
    NotEstimatedForm,
    PartnerForm,
    RiskForm,
    RowFormSet,
    StaffForm,
    formset,
)


def _words(text: Any) -> list[str]:
    """Items typed separated by commas."""
    return [s.strip() for s in str(text or "").split(",") if s.strip()]


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    """The values a user gave (empty text and None left out), dates as ISO text."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if v is None or v == "" or v == []:
            continue
        out[k] = v.isoformat() if isinstance(v, dt.date) else v
    return out


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


# ----------------------------------------------------------------------------- sections
@dataclass(frozen=True)
class Section:
    """One page of the CAPF sections: its form and formsets, read from and written to the document."""

    slug: str
    title: Any
    form: type[forms.Form] | None
    read: Callable[[dict[str, Any]], dict[str, Any]]
    write: Callable[[dict[str, Any], dict[str, Any], dict[str, list[dict[str, Any]]]], None]
    lists: dict[str, tuple[type[RowFormSet], Callable[[dict[str, Any]], list[dict[str, Any]]]]] = field(
        default_factory=dict)
    intro: Any = ""

    def bind(self, data: dict[str, Any], post: Any = None,
             **options: Any) -> tuple[forms.Form | None, dict[str, RowFormSet]]:
        """The section's form and formsets, with the stored values, or bound to ``post``
        (``options``: the plan's ``framework`` and the page's ``language``)."""
        main = None
        if self.form is not None:
            main = self.form(post, **options) if post is not None else self.form(initial=self.read(data), **options)
        sets = {name: (cls(post, prefix=name, form_kwargs=options) if post is not None
                       else cls(initial=rows(data), prefix=name, form_kwargs=options))
                for name, (cls, rows) in self.lists.items()}
        return main, sets

    def apply(self, data: dict[str, Any], main: forms.Form | None, sets: dict[str, RowFormSet]) -> dict[str, Any]:
        """A copy of the document ``data`` with this section's cleaned values written in."""
        out = copy.deepcopy(data)
        self.write(out, main.cleaned_data if main is not None else {}, {k: s.rows() for k, s in sets.items()})
        return out


def _put(doc: dict[str, Any], key: str, value: dict[str, Any] | list[Any]) -> None:
    if value:
        doc[key] = value
    else:
        doc.pop(key, None)


def _read_adoption(d: dict[str, Any]) -> dict[str, Any]:
    a = dict(d.get("adoption") or {})
    return {**a, "status": a.get("status", "adopted"), "adopted": _parse_date(a.get("adopted")),
            "commitment_signed": _parse_date(a.get("commitment_signed"))}


def _write_adoption(d: dict[str, Any], c: dict[str, Any], _l: Any) -> None:
    values = _compact(c)
    _put(d, "adoption", values if set(values) - {"status"} or values.get("status") == "draft" else {})


def _engagement_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**e, "date": _parse_date(e.get("date"))} for e in d.get("engagement") or []]


def _read_engagement(d: dict[str, Any]) -> dict[str, Any]:
    c = d.get("communication") or {}
    return {"communication_plan": c.get("plan"), "channels": ", ".join(c.get("channels") or [])}


def _write_engagement(d: dict[str, Any], c: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    _put(d, "engagement", [_compact({k: v for k, v in r.items() if k != "DELETE"}) for r in lists["events"]])
    _put(d, "communication", _compact({"plan": c.get("communication_plan"), "channels": _words(c.get("channels"))}))


def _risk(d: dict[str, Any]) -> dict[str, Any]:
    return dict((d.get("adaptation") or {}).get("risk_assessment") or {})


def _read_risk(d: dict[str, Any]) -> dict[str, Any]:
    r = _risk(d)
    coastal = (d.get("adaptation") or {}).get("coastal")
    return {**r, "scenarios": ", ".join(r.get("scenarios") or []), "assessed": _parse_date(r.get("assessed")),
            "coastal": "" if coastal is None else ("yes" if coastal else "no")}


def _write_risk(d: dict[str, Any], c: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    adaptation = dict(d.get("adaptation") or {})
    coastal = c.get("coastal")
    if coastal is None:
        adaptation.pop("coastal", None)
    else:
        adaptation["coastal"] = coastal
    hazards = [_compact({k: r.get(k) for k in ("hazard", "likelihood", "impact", "rating", "note")})
               for r in lists["hazards"]]
    values = _compact({"screened": c.get("screened"), "scenarios": _words(c.get("scenarios")),
                       "horizon": c.get("horizon"), "present_day": c.get("present_day") or None,
                       "assessed": c.get("assessed"), "source": c.get("source"), "hazards": hazards})
    if values:
        adaptation["risk_assessment"] = values
    else:
        adaptation.pop("risk_assessment", None)
    _put(d, "adaptation", adaptation)


def _write_adaptation_actions(d: dict[str, Any], _c: Any, lists: dict[str, list[dict[str, Any]]]) -> None:
    adaptation = dict(d.get("adaptation") or {})
    for key, names in (("targets", ("description", "year", "hazard", "indicator")),
                       ("actions", ("id", "title", "hazards", "owner", "start", "end"))):
        rows = [_compact({k: r.get(k) for k in names}) for r in lists[key]]
        if rows:
            adaptation[key] = rows
        else:
            adaptation.pop(key, None)
    _put(d, "adaptation", adaptation)


def _read_governance(d: dict[str, Any]) -> dict[str, Any]:
    return {**(d.get("governance") or {}), "financing_plan": (d.get("financing") or {}).get("plan")}


def _staff_rows(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"action": key, "staff_fte": v["staff_fte"]} for key, v in (d.get("action_details") or {}).items()
            if isinstance(v, dict) and v.get("staff_fte") is not None]


def _write_governance(d: dict[str, Any], c: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    partners = [_compact({k: r.get(k) for k in ("name", "role")}) for r in lists["partners"]]
    _put(d, "governance", _compact({**{k: c.get(k) for k in ("lead_unit", "coordination", "powers_analysis")},
                                    "partners": partners}))
    sources = [_compact({k: r.get(k) for k in ("name", "amount", "status")}) for r in lists["sources"]]
    _put(d, "financing", _compact({**(d.get("financing") or {}), "plan": c.get("financing_plan"),
                                   "sources": sources}))
    _put(d, "barriers", [_compact({"description": r.get("description"), "response": r.get("response"),
                                   "actions": _words(r.get("actions"))}) for r in lists["barriers"]])
    details = copy.deepcopy(d.get("action_details") or {})
    staff = {r["action"]: r["staff_fte"] for r in lists["staff"]}
    for key in list(details):
        if isinstance(details[key], dict) and key not in staff:
            details[key].pop("staff_fte", None)
            if not details[key]:
                del details[key]
    for key, fte in staff.items():
        details.setdefault(key, {})["staff_fte"] = fte
    _put(d, "action_details", details)


def _write_benefits(d: dict[str, Any], c: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    rows = [_compact({k: r.get(k) for k in ("kind", "description")}) for r in lists["benefits"]]
    _put(d, "benefits", _compact({"assessment": rows, "equity_assessment": c.get("equity_assessment")}))


def _write_flat(key: str) -> Callable[[dict[str, Any], dict[str, Any], Any], None]:
    def write(d: dict[str, Any], c: dict[str, Any], _l: Any) -> None:
        _put(d, key, _compact(c))
    return write


def _read_coverage(d: dict[str, Any]) -> dict[str, Any]:
    cov = d.get("inventory_coverage") or {}
    return {"electricity_method": cov.get("electricity_method") or "", "reference_method": cov.get("reference_method"),
            "not_occurring": list(cov.get("not_occurring") or []),
            "gap_explanation": (d.get("gap") or {}).get("explanation"),
            "residuals_explanation": (d.get("residuals") or {}).get("explanation"),
            **{f"gap_{k}": (d.get("gap") or {}).get(k) for k in ("size_t", "year", "strategy")}}


def _write_coverage(d: dict[str, Any], c: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    cov = dict(d.get("inventory_coverage") or {})
    values = {**{name: c.get(name) for name in ("electricity_method", "reference_method", "not_occurring")},
              "not_estimated": {r["sector"]: r["reason"] for r in lists["not_estimated"]}}
    for name, value in values.items():
        if value:
            cov[name] = value
        else:
            cov.pop(name, None)
    _put(d, "inventory_coverage", cov)
    text = (c.get("residuals_explanation") or "").strip()
    _put(d, "residuals", {"explanation": text} if text else {})
    gap = _compact({k: c.get(f"gap_{k}") for k in ("size_t", "year", "strategy")})
    text = (c.get("gap_explanation") or "").strip()
    _put(d, "gap", {"explanation": text, **gap} if text else gap)


SECTIONS: dict[str, Section] = {s.slug: s for s in (
    Section("adoption", _("Adoption"), AdoptionForm, _read_adoption, _write_adoption,
            intro=_("The council's decision and the political commitment.")),
    Section("engagement", _("Engagement"), CommunicationForm, _read_engagement, _write_engagement,
            {"events": (formset(EngagementForm), _engagement_rows)},
            intro=_("How the plan is communicated, and the events where citizens and stakeholders took part, "
                    "while developing the plan or during implementation.")),
    Section("risk", _("Risk assessment"), RiskForm, _read_risk, _write_risk,
            {"hazards": (formset(HazardForm, "hazard", _("This hazard is assessed already.")),
                         lambda d: _risk(d).get("hazards") or [])},
            intro=_("The climate risk assessment: each hazard with its likelihood and impact, the climate "
                    "scenarios and the horizon.")),
    Section("adaptation", _("Adaptation actions"), None, lambda d: {}, _write_adaptation_actions,
            {"targets": (formset(AdaptationTargetForm), lambda d: (d.get("adaptation") or {}).get("targets") or []),
             "actions": (formset(AdaptationActionForm, "id", _("Another adaptation action has this identifier.")),
                         lambda d: (d.get("adaptation") or {}).get("actions") or [])},
            intro=_("Targets for adaptation, and actions against the hazards of the risk assessment; every "
                    "hazard rated high needs one.")),
    Section("benefits", _("Benefits and equity"), BenefitsForm,
            lambda d: {"equity_assessment": (d.get("benefits") or {}).get("equity_assessment")}, _write_benefits,
            {"benefits": (formset(BenefitForm), lambda d: (d.get("benefits") or {}).get("assessment") or [])},
            intro=_("What the plan brings besides lower emissions, and who gains and pays.")),
    Section("governance", _("Governance"), GovernanceForm, _read_governance, _write_governance,
            {"partners": (formset(PartnerForm), lambda d: (d.get("governance") or {}).get("partners") or []),
             "staff": (formset(StaffForm, "action", _("This action is given already.")), _staff_rows),
             "barriers": (formset(BarrierForm), lambda d: [{**b, "actions": ", ".join(b.get("actions") or [])}
                                                         for b in d.get("barriers") or []]),
             "sources": (formset(FundingSourceForm), lambda d: (d.get("financing") or {}).get("sources") or [])},
            intro=_("Who carries the plan, with which partners, people, powers and money, and what stands in "
                    "the way.")),
    Section("monitoring", _("Monitoring"), MonitoringForm, lambda d: dict(d.get("monitoring") or {}),
            _write_flat("monitoring"), intro=_("How often the inventory and the plan are updated.")),
    Section("coverage", _("Inventory coverage and gap"), CoverageForm, _read_coverage, _write_coverage,
            {"not_estimated": (formset(NotEstimatedForm, "sector", _("This sector is given already.")),
                               lambda d: [{"sector": k, "reason": v} for k, v in
                                          ((d.get("inventory_coverage") or {}).get("not_estimated") or {}).items()])},
            intro=_("How the inventory was made, and how the gap and the residual emissions are explained.")),
)}
