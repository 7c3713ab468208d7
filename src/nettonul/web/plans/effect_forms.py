"""The typed effect form of the plan editor: one field per parameter of the engine's effect
kinds (:mod:`nettonul.engine.plan.effects`) instead of a JSON box, plus the action's schedule.

Which fields belong to which kind is data (:data:`FIELDS`); the page shows only the fields
of the chosen kind (``static/ui/editor.js``) and :meth:`EffectForm.effect` builds the
effect dict the engine validates.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nettonul.engine import EngineError, get_framework
from nettonul.web.engine.vocabulary import EFFECT_KINDS, FIRST_YEAR, LAST_YEAR
from nettonul.web.plans.models import Action

EFFECT_KIND_LABELS = {
    "demand": _("Less demand (activity avoided)"),
    "switch": _("Fuel or technology switch"),
    "shift": _("Activity shift (e.g. car to bus)"),
    "factor": _("Lower emission factor"),
    "removal": _("Removal (sequestration)"),
}
#: The engine's effect kinds with their labels (a kind without a label fails at import).
KINDS = tuple((kind, EFFECT_KIND_LABELS[kind]) for kind in EFFECT_KINDS)

#: Effect kind -> its form fields, in order. ``from_row`` is the effect's ``from``.
FIELDS: dict[str, tuple[str, ...]] = {
    "demand": ("sector", "carriers", "reduction"),
    "switch": ("sector", "from_row", "to", "to_sector", "share", "efficiency_ratio"),
    "shift": ("sector", "from_row", "to", "to_sector", "share", "ratio"),
    "factor": ("sector", "carriers", "reduction"),
    "removal": ("sector", "activity", "amount", "unit", "rate"),
}
OPTIONAL = {"carriers", "to_sector", "ratio"}
#: Form field -> key in the effect dict.
EFFECT_KEYS = {"from_row": "from"}
SCHEDULE = ("start_year", "full_year", "curve")


def sector_choices(framework: str, language: str) -> list[tuple[str, str]]:
    try:
        fw = get_framework(framework)
    except EngineError:
        return []
    return [(s.code, f"{s.name(language)} ({s.code})") for s in fw.sectors]


class EffectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    type = forms.ChoiceField(label=_("Kind of effect"), choices=KINDS)
    sector = forms.ChoiceField(label=_("Sector"), choices=())
    carriers = forms.CharField(label=_("Rows (carriers or activities)"), required=False,
                               help_text=_("Comma-separated; all rows of the sector when empty."))
    reduction = forms.FloatField(label=_("Reduction at full effect (0–1)"), max_value=1.0, required=False)
    from_row = forms.CharField(label=_("From (carrier or activity)"), required=False)
    to = forms.CharField(label=_("To (carrier or activity)"), required=False)
    to_sector = forms.ChoiceField(label=_("Sector of the new row"), choices=(), required=False)
    share = forms.FloatField(label=_("Share moved at full effect (0–1)"), min_value=0.0, max_value=1.0,
                             required=False)
    efficiency_ratio = forms.FloatField(label=_("Units of the new carrier per unit of the old one"),
                                        min_value=0.0, required=False,
                                        help_text=_("E.g. 0.33 for an oil boiler replaced by a heat pump (COP 3)."))
    ratio = forms.FloatField(label=_("Units of the new activity per unit moved"), min_value=0.0, required=False)
    activity = forms.CharField(label=_("Removal activity"), required=False,
                               help_text=_("E.g. afforestation, rewetting."))
    amount = forms.FloatField(label=_("Size at full effect"), min_value=0.0, required=False)
    unit = forms.CharField(label=_("Unit of the size"), required=False, help_text=_("E.g. ha."))
    rate = forms.FloatField(label=_("Removal per unit and year (t CO2e)"), min_value=0.0, required=False)
    start_year = forms.IntegerField(label=_("Start year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    full_year = forms.IntegerField(label=_("Full effect year"), min_value=FIRST_YEAR, max_value=LAST_YEAR,
                                   required=False)
    curve = forms.ChoiceField(label=_("Adoption curve"), choices=Action.Curve.choices)

    def __init__(self, *args: Any, framework: str = "dk-municipal", language: str = "en", prefix: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)
        choices = sector_choices(framework, language)
        self.fields["sector"].choices = choices
        self.fields["to_sector"].choices = [("", _("the same sector")), *choices]
        for name, field in self.fields.items():
            kinds = [k for k, names in FIELDS.items() if name in names]
            if kinds and len(kinds) < len(FIELDS):
                field.widget.attrs["data-effect-kinds"] = " ".join(kinds)

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        effect = dict(action.effect or {})
        initial: dict[str, Any] = {"version": action.version, "start_year": action.start_year,
                                   "full_year": action.full_year, "curve": action.curve,
                                   "type": effect.get("type", "demand"), "sector": effect.get("sector", action.sector)}
        for name in {n for names in FIELDS.values() for n in names} - {"sector"}:
            value = effect.get(EFFECT_KEYS.get(name, name))
            if name == "carriers" and value:
                value = ", ".join(value)
            initial[name] = value
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        for name in FIELDS.get(kind or "", ()):
            if name not in OPTIONAL and data.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, _("This field is required for this kind of effect."))
        start, full = data.get("start_year"), data.get("full_year")
        if start and full and full < start:
            self.add_error("full_year", _("The full effect cannot come before the start."))
        return data

    def effect(self) -> dict[str, Any]:
        """The effect dict in the engine's vocabulary (only the chosen kind's fields)."""
        data = self.cleaned_data
        kind = data["type"]
        effect: dict[str, Any] = {"type": kind}
        for name in FIELDS[kind]:
            value = data.get(name)
            if value in (None, ""):
                continue
            if name == "carriers":
                value = [c.strip() for c in str(value).split(",") if c.strip()]
            effect[EFFECT_KEYS.get(name, name)] = value
        return effect

    def changes(self) -> dict[str, Any]:
        """Action fields for ``plans.services.update_action``."""
        effect = self.effect()
        return {"effect": effect, "sector": effect["sector"], "start_year": self.cleaned_data["start_year"],
                "full_year": self.cleaned_data.get("full_year"), "curve": self.cleaned_data["curve"]}

    def add_problems(self, problems: dict[str, str]) -> None:
        """Engine or service problems (``effect.share``: reason) on the matching fields."""
        by_key = {EFFECT_KEYS.get(n, n): n for n in self.fields}
        for path, reason in problems.items():
            key = path.split(".", 1)[1] if path.startswith("effect.") else path
            field = by_key.get(key.split(".")[0])
            self.add_error(field if field in self.fields else None, reason if field else f"{path}: {reason}")
