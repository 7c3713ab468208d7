"""The CAPF sections of a plan as forms, one page per section: adoption, engagement and
communication, the climate risk assessment, adaptation targets and actions, benefits and
equity, governance (partners, staff per action, barriers, financing), monitoring, and the
inventory coverage with the gap and residual explanations.

A :class:`Section` reads its part of the stored sections document into a form (and formsets
for lists: engagement events, hazards, adaptation targets and actions, benefits, partners,
staff, barriers, funding sources) and writes the cleaned
values back into a copy of the document, which the service validates whole with the engine
and saves version-checked (:func:`nettonul.web.monitoring.services.save_sections`). Every
field is checked here first, so a user reads what is wrong in her own language next to the
field; numbers are typed in the page's language (:class:`~nettonul.web.formfields.NumberField`).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import (
    CAPF_HAZARDS,
    ELECTRICITY_METHODS,
    ENGAGEMENT_PHASES,
    FIRST_YEAR,
    FUNDING_SOURCE_STATUSES,
    LAST_YEAR,
    RISK_LEVELS,
    risk_rating,
)
from nettonul.web.formfields import NumberField
from nettonul.web.plans.effect_forms import sector_choices
from nettonul.web.plans.forms import BENEFIT_LABELS

HAZARD_LABELS = {
    "pluvial_flood": _("Cloudburst (pluvial flooding)"),
    "fluvial_flood": _("River flooding"),
    "coastal_flood_storm_surge": _("Storm surge (coastal flooding)"),
    "sea_level_rise": _("Sea level rise"),
    "groundwater_rise": _("Rising groundwater"),
    "extreme_heat": _("Extreme heat"),
    "drought": _("Drought"),
    "storm_wind": _("Storm"),
    "erosion": _("Erosion"),
    "water_scarcity": _("Water scarcity"),
    "vector_borne_disease": _("Vector-borne disease"),
}
LEVEL_LABELS = {"low": _("Low"), "medium": _("Medium"), "high": _("High")}
ELECTRICITY_LABELS = {
    "national_average_location": _("National average (location based)"),
    "local_production": _("Local production"),
    "market": _("Market based"),
}
PHASE_LABELS = {"development": _("While developing the plan"), "implementation": _("During implementation")}
FUNDING_SOURCE_LABELS = {"secured": _("Secured"), "expected": _("Expected"), "applied_for": _("Applied for"),
                         "unsecured": _("Not secured")}
# Every code of the engine's vocabularies has a label (a new code fails here, not on a page).
assert set(HAZARD_LABELS) == set(CAPF_HAZARDS), "a hazard without a label"
assert set(LEVEL_LABELS) == set(RISK_LEVELS), "a risk level without a label"
assert set(ELECTRICITY_LABELS) == set(ELECTRICITY_METHODS), "an electricity method without a label"
assert set(PHASE_LABELS) == set(ENGAGEMENT_PHASES), "an engagement phase without a label"
assert set(FUNDING_SOURCE_LABELS) == set(FUNDING_SOURCE_STATUSES), "a funding source status without a label"

HAZARD_CHOICES = [(h, HAZARD_LABELS[h]) for h in CAPF_HAZARDS]
LEVEL_CHOICES = [("", "—"), *((lv, LEVEL_LABELS[lv]) for lv in RISK_LEVELS)]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


def _year(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False, **kwargs)


def _date(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=DATE, input_formats=["%Y-%m-%d", "%d-%m-%Y",
                                                                                   "%d.%m.%Y"], **kwargs)


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


class SectionForm(forms.Form):
    """A section's form; it may offer the plan's sectors (``framework``, named in ``language``)."""

    def __init__(self, *args: Any, framework: str = "dk-municipal", language: str = "en", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework, self.language = framework, language


class VersionForm(forms.Form):
    """The version of the sections document the page was loaded from; problems of the save as
    a whole (someone saved first, the engine refused) are its errors."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ListForm(SectionForm):
    """One row of a list section; a row left empty is ignored, a row ticked for removal goes."""


class RowFormSet(forms.BaseFormSet):
    """Rows of a list section (empty rows left out); ``unique`` names a field no two rows may share."""

    unique: str | None = None
    duplicate_message: Any = _("This is given more than once.")

    def clean(self) -> None:
        super().clean()
        if self.unique is None:
            return
        seen: set[Any] = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            value = form.cleaned_data.get(self.unique)
            if value in seen:
                form.add_error(self.unique, self.duplicate_message)
            seen.add(value)

    def rows(self) -> list[dict[str, Any]]:
        return [form.cleaned_data for form in self.forms
                if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data]


def formset(form: type[forms.Form], unique: str | None = None, message: Any = None) -> type[RowFormSet]:
    cls = forms.formset_factory(form, formset=RowFormSet, extra=2, can_delete=True)
    cls.unique = unique
    if message is not None:
        cls.duplicate_message = message
    return cls


# ----------------------------------------------------------------------------- forms per section
class AdoptionForm(SectionForm):
    status = forms.ChoiceField(label=_("Status"), choices=[("adopted", _("Adopted")), ("draft", _("Draft"))],
                               initial="adopted")
    adopted = _date(_("Date of adoption"), help_text=_("The day the municipal council adopted the plan."))
    body = forms.CharField(label=_("Adopted by"), required=False, max_length=200,
                           help_text=_("E.g. the municipal council (Byrådet)."))
    decision_ref = forms.CharField(label=_("Council decision reference"), required=False, max_length=300,
                                   help_text=_("Case or agenda item number, or a link to the minutes."))
    commitment_signed = _date(_("Commitment letter signed"))
    commitment_by = forms.CharField(label=_("Commitment letter signed by"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == "adopted" and not data.get("adopted") and "adopted" not in self.errors:
            self.add_error("adopted", _("Give the date of adoption, or set the status to draft."))
        if data.get("status") == "draft" and data.get("adopted"):
            self.add_error("adopted", _("A draft has no date of adoption; set the status to adopted."))
        return data


class EngagementForm(ListForm):
    date = _date(_("Date"))
    kind = forms.CharField(label=_("Kind"), max_length=120, required=False,
                           help_text=_("E.g. citizens' assembly, workshop, hearing, survey."))
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    audience = forms.CharField(label=_("Audience"), max_length=300, required=False,
                               help_text=_("Who took part, e.g. citizens, businesses, young people."))
    participants = NumberField(label=_("Number of participants"), minimum=0, maximum=10_000_000, required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False,
                              choices=[("", _("By its date (after the adoption: implementation)")),
                                       *PHASE_LABELS.items()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in (("date", _("Give the date of the event.")), ("kind", _("Say what kind of event it was.")),
                              ("title", _("Give the event a title."))):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        people = data.get("participants")
        if people is not None:
            if float(people).is_integer():
                data["participants"] = int(people)
            else:
                self.add_error("participants", _("Give a whole number of participants."))
        return data


class CommunicationForm(SectionForm):
    communication_plan = _text(_("Communication plan"),
                               help_text=_("How the plan is communicated to citizens, businesses and staff."))
    channels = forms.CharField(label=_("Channels"), required=False, max_length=500,
                               help_text=_("Separated by commas, e.g. website, newsletter, local press."))


class RiskForm(SectionForm):
    coastal = forms.TypedChoiceField(
        label=_("The municipality has a coastline"), required=False, empty_value=None,
        coerce=lambda v: v == "yes", choices=[("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))])
    scenarios = forms.CharField(label=_("Climate scenarios"), required=False, max_length=300,
                                help_text=_("Separated by commas, e.g. RCP4.5, RCP8.5."))
    horizon = _year(_("Horizon (last year assessed)"))
    present_day = forms.BooleanField(label=_("Covers today's climate"), required=False)
    screened = forms.MultipleChoiceField(label=_("Hazards the risk screening found relevant"), required=False,
                                         choices=HAZARD_CHOICES, widget=forms.CheckboxSelectMultiple)
    assessed = _date(_("Date of the assessment or its last review"))
    source = forms.CharField(label=_("Source"), required=False, max_length=500,
                             help_text=_("The report or screening the assessment comes from."))


class HazardForm(ListForm):
    hazard = forms.ChoiceField(label=_("Hazard"), choices=[("", "—"), *HAZARD_CHOICES], required=False)
    likelihood = forms.ChoiceField(label=_("Likelihood"), choices=LEVEL_CHOICES, required=False)
    impact = forms.ChoiceField(label=_("Impact"), choices=LEVEL_CHOICES, required=False)
    rating = forms.ChoiceField(label=_("Risk"), choices=LEVEL_CHOICES, required=False,
                               help_text=_("Follows from likelihood and impact when both are given."))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("hazard"):
            self.add_error("hazard", _("Choose the hazard."))
        likelihood, impact = data.get("likelihood"), data.get("impact")
        if likelihood and impact:
            data["rating"] = risk_rating(likelihood, impact)
        elif likelihood or impact:
            self.add_error("impact" if likelihood else "likelihood", _("Give both likelihood and impact."))
        elif not data.get("rating"):
            self.add_error("likelihood", _("Give the likelihood and the impact of the hazard."))
        return data


class AdaptationTargetForm(ListForm):
    description = forms.CharField(label=_("Target"), max_length=1000, required=False)
    year = _year(_("Year"))
    hazard = forms.ChoiceField(label=_("Hazard"), choices=[("", "—"), *HAZARD_CHOICES], required=False)
    indicator = forms.CharField(label=_("Indicator"), max_length=500, required=False,
                                help_text=_("How progress is measured."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("description"):
            self.add_error("description", _("Describe the target."))
        if data.get("year") is None and "year" not in self.errors:
            self.add_error("year", _("Give the target year."))
        return data


class AdaptationActionForm(ListForm):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    id = forms.SlugField(label=_("Identifier"), max_length=80, required=False,
                         help_text=_("Made from the title when left empty."))
    hazards = forms.MultipleChoiceField(label=_("Hazards it addresses"), choices=HAZARD_CHOICES, required=False,
                                        widget=forms.CheckboxSelectMultiple)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False)
    start = _year(_("Start year"))
    end = _year(_("End year"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("title"):
            self.add_error("title", _("Give the action a title."))
        if not data.get("hazards") and "hazards" not in self.errors:
            self.add_error("hazards", _("Choose at least one hazard the action addresses."))
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end < start:
            self.add_error("end", _("The end year is before the start year."))
        if not data.get("id") and data.get("title"):
            data["id"] = slugify(data["title"])[:80] or "action"
        return data


class BenefitForm(ListForm):
    kind = forms.ChoiceField(label=_("Benefit"), choices=[("", "—"), *BENEFIT_LABELS.items()], required=False)
    description = forms.CharField(label=_("Description"), required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("kind"):
            self.add_error("kind", _("Choose the kind of benefit."))
        if not data.get("description"):
            self.add_error("description", _("Describe the benefit."))
        return data


class BenefitsForm(SectionForm):
    equity_assessment = _text(_("Equity assessment"), rows=5,
                              help_text=_("How the plan's costs and benefits fall on different groups."))


class GovernanceForm(SectionForm):
    lead_unit = forms.CharField(label=_("Lead unit"), required=False, max_length=300,
                                help_text=_("The unit responsible for the plan."))
    coordination = _text(_("Coordination"), help_text=_("With other departments, municipalities and institutions."))
    powers_analysis = _text(_("Powers analysis"),
                            help_text=_("What the municipality can do itself, and what needs others."))
    financing_plan = _text(_("Financing plan"), help_text=_("How the implementation is paid for."))


class PartnerForm(ListForm):
    name = forms.CharField(label=_("Institution"), max_length=300, required=False,
                           help_text=_("E.g. a utility, the region, a neighbouring municipality."))
    role = forms.CharField(label=_("Role"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name"):
            self.add_error("name", _("Name the institution."))
        return data


class StaffForm(ListForm):
    action = forms.CharField(label=_("Action (identifier)"), max_length=80, required=False)
    staff_fte = NumberField(label=_("Staff (full-time equivalents)"), minimum=0, maximum=100_000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("action"):
            self.add_error("action", _("Give the identifier of the action."))
        if data.get("staff_fte") is None and "staff_fte" not in self.errors:
            self.add_error("staff_fte", _("Give the staff in full-time equivalents."))
        return data


class BarrierForm(ListForm):
    description = forms.CharField(label=_("Barrier"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    response = forms.CharField(label=_("The plan's response"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    actions = forms.CharField(label=_("Actions it affects"), max_length=1000, required=False,
                              help_text=_("Identifiers of the actions, separated by commas."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("description"):
            self.add_error("description", _("Describe the barrier."))
        return data


class FundingSourceForm(ListForm):
    name = forms.CharField(label=_("Funding source"), max_length=300, required=False)
    amount = NumberField(label=_("Amount"), minimum=0, maximum=1e12, required=False,
                         help_text=_("In the plan's currency."))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *FUNDING_SOURCE_LABELS.items()])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name"):
            self.add_error("name", _("Name the funding source."))
        return data


class MonitoringForm(SectionForm):
    frequency_years = NumberField(label=_("Inventory and status update every (years)"), minimum=0, above=True,
                                  maximum=20, required=False, help_text=_("1 for every year, 2 for every second year."))
    review_cycle_years = NumberField(label=_("Plan review every (years)"), minimum=0, above=True, maximum=50,
                                     required=False)
    risk_review_years = NumberField(label=_("Climate risk assessment reviewed every (years)"), minimum=0,
                                    above=True, maximum=50, required=False)
    stale_after_months = forms.IntegerField(label=_("An action not updated for longer is stale (months)"),
                                            min_value=1, max_value=120, required=False, initial=12)


class CoverageForm(SectionForm):
    not_occurring = forms.MultipleChoiceField(label=_("Sectors that do not occur (NO)"), required=False,
                                              choices=(), widget=forms.CheckboxSelectMultiple)
    electricity_method = forms.ChoiceField(label=_("Method of the electricity and district-heating factors"),
                                           choices=[("", "—"), *ELECTRICITY_LABELS.items()], required=False)
    reference_method = _text(_("Reference method"),
                             help_text=_("How the reference-year value was found, when it is not 1990."))
    gap_explanation = _text(_("Gap explanation"), rows=4,
                            help_text=_("Why the actions do not close the gap ('manko')."))
    gap_size_t = NumberField(label=_("Size of the gap (t CO2e)"), minimum=0, maximum=1e9, required=False)
    gap_year = _year(_("Year of the gap"), help_text=_("The target year the size refers to."))
    gap_strategy = _text(_("Strategy to close the gap"), help_text=_("The named strategy that is to close it."))
    residuals_explanation = _text(_("Residual emissions"), rows=4,
                                  help_text=_("How the residual emissions that removals do not cover are handled."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["not_occurring"].choices = sector_choices(self.framework, self.language)


class NotEstimatedForm(ListForm):
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=())
    reason = forms.CharField(label=_("Why it is not estimated"), required=False, max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—"), *sector_choices(self.framework, self.language)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("sector"):
            self.add_error("sector", _("Choose the sector."))
        if not data.get("reason"):
            self.add_error("reason", _("Say why the sector is not estimated."))
        return data


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
