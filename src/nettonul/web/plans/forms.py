"""Forms of the plan pages. Each edit form carries the version the user loaded, so a save
based on an old version is refused instead of overwriting someone else's change."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import BENEFIT_KINDS
from nettonul.web.formfields import NumberField
from nettonul.web.plans.effect_forms import FIELDS, PARAMETER_LABELS, SCHEDULE, UNCERTAIN, EffectForm
from nettonul.web.plans.models import Action, Plan, Target


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["title", "kind", "status", "base_year", "description", "source", "illustrative", "published"]


class TargetForm(VersionedForm):
    class Meta:
        model = Target
        fields = ["kind", "year", "value", "against", "sector", "description"]


SDG_NAMES = {
    1: _("No poverty"), 2: _("Zero hunger"), 3: _("Good health and well-being"), 4: _("Quality education"),
    5: _("Gender equality"), 6: _("Clean water and sanitation"), 7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"), 9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"), 11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"), 13: _("Climate action"), 14: _("Life below water"),
    15: _("Life on land"), 16: _("Peace, justice and strong institutions"), 17: _("Partnerships for the goals"),
}
SDG_CHOICES = [(str(n), format_lazy("{n}. {name}", n=n, name=name)) for n, name in SDG_NAMES.items()]

#: Parts of an action a source or an assumption may be given for (the engine's field paths).
NOTE_PATHS = {
    "effect": _("the effect as a whole"),
    **{f"effect.{p}": format_lazy(_("the {name}"), name=label) for p, label in PARAMETER_LABELS.items()},
    "schedule": _("the schedule"),
    "cost": _("the cost"),
}
#: Which effect kinds a note path belongs to (the rest belong to every kind).
NOTE_KINDS = {f"effect.{p}": kinds for p, kinds in UNCERTAIN.items()}
COST_FIELDS = ("capex", "opex_per_year", "lifetime_years", "discount_rate")

#: The kinds of benefit of the CAPF benefits assessment (also offered as an action's co-benefits).
BENEFIT_LABELS = {
    "health": _("Health"), "jobs": _("Jobs"), "economy": _("Economy"), "nature": _("Nature"),
    "air_quality": _("Air quality"), "energy_security": _("Energy security"), "equity": _("Equity"),
    "other": _("Other"),
}
assert set(BENEFIT_LABELS) == set(BENEFIT_KINDS), "a benefit kind without a label"
#: KPI fields offered beyond the stored KPIs (``kpis``, ``kpis_1``, ...).
SPARE_KPIS = 2
CAPF_FIELDS = ("power", "funding_status", "co_benefits", "co_benefits_other")


def kpi_field(i: int) -> str:
    """The form field of the action's ``i``-th KPI (the first is ``kpis``, the anchor of the list)."""
    return "kpis" if i == 0 else f"kpis_{i}"


def note_field(kind: str, path: str) -> str:
    """The form field of a source (``kind`` "source") or an assumption for a field path."""
    return f"{kind}__{path.replace('.', '__')}"


class ActionForm(EffectForm):
    """A whole action in plain fields: what it is, its typed effect, schedule and uncertainty
    (:class:`EffectForm`), its cost, the SDGs it serves, and a source or an assumption for each
    of its numbers. :meth:`changes` gives the fields for ``services.add_action`` and
    ``update_action``; notes on other paths than the form's (written in a plan file) are kept."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=300)
    key = forms.SlugField(label=_("Identifier"), max_length=80, required=False,
                          help_text=_("Short identifier, unique in the plan; made from the title when left empty."))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    owner = forms.CharField(label=_("Owner"), max_length=200, required=False,
                            help_text=_("Who carries the action out, e.g. a department or a utility."))
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    capex = NumberField(label=_("Investment at full effect (DKK)"), required=False)
    opex_per_year = NumberField(label=_("Running cost per year at full effect (DKK)"), required=False,
                                help_text=_("Negative for savings."))
    lifetime_years = forms.IntegerField(label=_("Lifetime (years)"), min_value=1, max_value=200, required=False)
    discount_rate = NumberField(label=_("Discount rate (share)"), minimum=-0.05, maximum=0.5, required=False,
                                help_text=_("E.g. 0.035 for 3.5 %; the plan's rate when left empty."))
    sdgs = forms.TypedMultipleChoiceField(label=_("UN Sustainable Development Goals"), choices=SDG_CHOICES,
                                          coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    power = forms.ChoiceField(label=_("The municipality's power"), required=False,
                              choices=[("", "—"), *Action.Power.choices],
                              help_text=_("Whether the municipality does it itself, regulates, facilitates or "
                                          "takes part in a partnership."))
    funding_status = forms.ChoiceField(label=_("Funding status"), required=False,
                                       choices=[("", "—"), *Action.FundingStatus.choices])
    co_benefits = forms.MultipleChoiceField(label=_("Co-benefits"), required=False,
                                            choices=list(BENEFIT_LABELS.items()), widget=forms.CheckboxSelectMultiple)
    co_benefits_other = forms.CharField(label=_("Other co-benefits"), required=False, max_length=500,
                                        help_text=_("Separated by commas, e.g. less noise, lower bills."))

    GROUPS = (
        (_("The action"), ("title", "key", "description", "owner", "status")),
        (_("Effect"), ("type", "sector",
                       *dict.fromkeys(n for names in FIELDS.values() for n in names if n != "sector"))),
        (_("Schedule"), SCHEDULE),
        (_("Uncertainty"), ()),  # filled in __init__
        (_("Cost"), COST_FIELDS),
        (_("Sustainable Development Goals"), ("sdgs",)),
        (_("Implementation"), CAPF_FIELDS),
        (_("KPIs"), ()),  # filled in __init__
        (_("Sources and assumptions"), ()),  # filled in __init__
    )

    def __init__(self, *args: Any, action: Action | None = None, **kwargs: Any) -> None:
        self.action = action
        if action is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(action)
        super().__init__(*args, **kwargs)
        self.fields["type"].initial = "demand"
        self.fields["curve"].initial = "linear"
        self.fields["status"].initial = Action.Status.PLANNED
        self.fields["type"].choices = [("", _("No quantified effect (not counted in the scenario)")),
                                       *self.fields["type"].choices]
        self.fields["type"].required = False
        self.fields["start_year"].required = False
        stored = len(self.initial.get("kpi_list") or [])
        posted = sum(1 for k in (self.data or {}) if k == "kpis" or k.startswith("kpis_"))
        self.kpi_count = max(stored + SPARE_KPIS, posted)
        for i in range(self.kpi_count):
            self.fields[kpi_field(i)] = forms.CharField(
                label=format_lazy(_("KPI {n}"), n=i + 1), required=False, max_length=300,
                help_text=_("What is measured to follow the action, e.g. the number of oil boilers.") if i == 0 else "")
        for i, kpi in enumerate(self.initial.get("kpi_list") or []):
            self.initial[kpi_field(i)] = kpi
        for path, what in NOTE_PATHS.items():
            for kind, label in (("source", _("Source for {what}")), ("assumption", _("Assumption for {what}"))):
                field = forms.CharField(label=format_lazy(label, what=what), required=False, max_length=1000)
                if path in NOTE_KINDS:
                    field.widget.attrs["data-effect-kinds"] = " ".join(NOTE_KINDS[path])
                self.fields[note_field(kind, path)] = field

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        initial = super().initial_for(action)
        if not action.effect:
            initial["type"] = ""
        initial.update({name: getattr(action, name) for name in ("title", "key", "description", "owner", "status")})
        cost = action.cost or {}
        initial.update({name: cost.get(name) for name in COST_FIELDS})
        initial["sdgs"] = [str(n) for n in action.sdgs or ()]
        initial["power"], initial["funding_status"] = action.power, action.funding_status
        initial["kpi_list"] = list(action.kpis or ())
        benefits = list(action.co_benefits or ())
        initial["co_benefits"] = [b for b in benefits if b in BENEFIT_LABELS]
        initial["co_benefits_other"] = ", ".join(b for b in benefits if b not in BENEFIT_LABELS)
        for kind, notes in (("source", action.sources or {}), ("assumption", action.assumptions or {})):
            for path, text in notes.items():
                if path in NOTE_PATHS:
                    initial[note_field(kind, path)] = text
        return initial

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The bound fields in the page's sections (legend, fields)."""
        out = []
        for legend, names in self.GROUPS:
            if not names and legend == _("Uncertainty"):
                names = tuple(n for n in self.fields if n.startswith("unc_"))
            elif not names and legend == _("KPIs"):
                names = tuple(kpi_field(i) for i in range(self.kpi_count))
            elif not names:
                names = tuple(n for n in self.fields if n.startswith(("source__", "assumption__")))
            out.append((legend, [self[n] for n in names if n in self.fields]))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("start_year") is None and (data.get("type") or data.get("full_year") is not None) \
                and "start_year" not in self.errors:
            self.add_error("start_year", _("Give the year the action starts to take effect."))
        if data.get("lifetime_years") is None and any(data.get(n) not in (None, 0.0) for n in ("capex",
                                                                                              "opex_per_year")):
            data["lifetime_years"] = 20
        return data

    def cost(self) -> dict[str, Any]:
        data = self.cleaned_data
        if all(data.get(n) is None for n in ("capex", "opex_per_year")):
            return {}
        cost: dict[str, Any] = {name: data[name] for name in COST_FIELDS if data.get(name) is not None}
        currency = (self.action.cost or {}).get("currency") if self.action is not None else None
        if currency:
            cost["currency"] = currency
        return cost

    def notes(self, kind: str) -> dict[str, str]:
        """Sources (``kind`` "source") or assumptions by field path: the form's, and the stored
        ones on paths the form has no field for."""
        stored = getattr(self.action, "sources" if kind == "source" else "assumptions", None) or {}
        out = {path: text for path, text in stored.items() if path not in NOTE_PATHS}
        relevant = set(NOTE_PATHS) - {p for p, kinds in NOTE_KINDS.items() if self.cleaned_data["type"] not in kinds}
        for path in NOTE_PATHS:
            text = (self.cleaned_data.get(note_field(kind, path)) or "").strip()
            if text and path in relevant:
                out[path] = text
        return out

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = super().changes()
        changes.update({name: data.get(name) or "" for name in ("title", "key", "description", "owner")})
        if not changes["key"] and self.action is not None:  # an empty identifier keeps the one it has
            changes["key"] = self.action.key
        changes.update({"status": data["status"], "cost": self.cost(), "sdgs": sorted(data.get("sdgs") or []),
                        "sources": self.notes("source"), "assumptions": self.notes("assumption")})
        changes.update({"power": data.get("power") or "", "funding_status": data.get("funding_status") or "",
                        "kpis": self.kpi_list(), "co_benefits": self.benefit_list()})
        return changes

    def kpi_list(self) -> list[str]:
        """The KPIs typed, in order, empty fields and repeats left out."""
        out = [(self.cleaned_data.get(kpi_field(i)) or "").strip() for i in range(self.kpi_count)]
        return list(dict.fromkeys(k for k in out if k))

    def benefit_list(self) -> list[str]:
        """The ticked kinds (as their codes) and the other co-benefits typed, in order."""
        other = [b.strip() for b in (self.cleaned_data.get("co_benefits_other") or "").split(",")]
        return list(dict.fromkeys([*(self.cleaned_data.get("co_benefits") or []), *(b for b in other if b)]))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search all plans' actions"), max_length=200, required=False)
