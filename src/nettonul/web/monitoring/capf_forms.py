"""The forms of the CAPF sections' pages: adoption, engagement and communication, the climate
risk assessment, adaptation targets and actions, benefits and equity, governance (partners,
staff per action, barriers, financing), monitoring, and the inventory coverage with the gap and
residual explanations, with a formset for each list.

Every field is checked here, so a user reads what is wrong in her own language next to the
field; numbers are typed in the page's language (:class:`~nettonul.web.formfields.NumberField`).
Which form reads and writes which part of the stored document is
:mod:`nettonul.web.monitoring.capf_sections`.
"""

from __future__ import annotations

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
