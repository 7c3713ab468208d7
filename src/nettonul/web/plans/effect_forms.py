"""The typed effect form of the plan editor: one field per parameter of the engine's effect
kinds (:mod:`nettonul.engine.plan.effects`) instead of a JSON box, the action's schedule, and
the uncertainty of each parameter (a distribution and its low, most likely and high values).

Which fields belong to which kind is data (:data:`FIELDS`, :data:`UNCERTAIN`); the page shows
only the fields of the chosen kind and distribution (``static/ui/editor.js``), and
:meth:`EffectForm.effect` and :meth:`EffectForm.uncertainty` build the dicts the engine
validates. Numbers are typed in the page's language (``0,2`` in Danish), see
:mod:`nettonul.web.formfields`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from nettonul.engine import EngineError, get_framework
from nettonul.web.engine.vocabulary import (
    DISTRIBUTION_KINDS,
    EFFECT_KINDS,
    EFFECT_PARAMETERS,
    FIRST_YEAR,
    LAST_YEAR,
)
from nettonul.web.formfields import NumberField, format_number
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
EFFECT_KEYS_BACK = {key: name for name, key in EFFECT_KEYS.items()}
SCHEDULE = ("start_year", "full_year", "curve")

PARAMETER_LABELS = {
    "reduction": _("reduction"),
    "share": _("share moved"),
    "efficiency_ratio": _("efficiency ratio"),
    "ratio": _("ratio"),
    "amount": _("size"),
    "rate": _("removal rate"),
}
#: Every uncertain parameter -> the effect kinds that have it (the engine's list, in order).
UNCERTAIN: dict[str, tuple[str, ...]] = {
    parameter: tuple(kind for kind, names in EFFECT_PARAMETERS.items() if parameter in names)
    for names in EFFECT_PARAMETERS.values() for parameter in names
}
assert set(UNCERTAIN) <= set(PARAMETER_LABELS), "an uncertain parameter without a label"

DISTRIBUTION_LABELS = {
    "uniform": _("Uniform (low to high)"),
    "triangular": _("Triangular (low, most likely, high)"),
    "pert": _("PERT (low, most likely, high)"),
    "normal": _("Normal (mean, standard deviation)"),
    "lognormal": _("Lognormal (median, geometric standard deviation)"),
}
DISTRIBUTIONS = (("", _("No uncertainty given")),
                 *((kind, DISTRIBUTION_LABELS[kind]) for kind in DISTRIBUTION_KINDS))
#: Distribution -> the numbers that make its parameters, in the engine's order. ``value`` is the
#: parameter's own value: the most likely value, mean or median of its distribution is always the
#: number the plan line is drawn with, so the line and its band come from the same inputs.
DISTRIBUTION_FIELDS: dict[str, tuple[str, ...]] = {
    "uniform": ("low", "high"), "triangular": ("low", "value", "high"), "pert": ("low", "value", "high"),
    "normal": ("value", "spread"), "lognormal": ("value", "spread"),
}
NUMBER_LABELS = {
    "low": _("low"), "high": _("high"),
    "spread": _("spread (standard deviation; geometric for lognormal)"),
}


def uncertainty_field(parameter: str, part: str) -> str:
    """The form field of one part (``kind``, ``low``, ...) of a parameter's distribution."""
    return f"unc_{parameter}_{part}"


def _distribution_of(stored: Any) -> tuple[str, list[float]] | None:
    """A stored distribution, ``{"triangular": [..]}`` or ``{"kind": .., "params": [..]}``."""
    if isinstance(stored, dict) and "kind" in stored:
        return str(stored["kind"]), list(stored.get("params") or ())
    if isinstance(stored, dict) and len(stored) == 1:
        ((kind, params),) = stored.items()
        return str(kind), list(params or ())
    return None


def sector_choices(framework: str, language: str) -> list[tuple[str, str]]:
    """The framework's sectors by name in ``language`` (a sub-sector indented under its
    sector, ``– El`` under ``Energi``); the codes are the values, never shown."""
    try:
        fw = get_framework(framework)
    except EngineError:
        return []
    return [(s.code, ("– " if "." in s.code else "") + s.name(language)) for s in fw.sectors]


class EffectForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    type = forms.ChoiceField(label=_("Kind of effect"), choices=KINDS)
    sector = forms.ChoiceField(label=_("Sector"), choices=())
    carriers = forms.CharField(label=_("Rows (carriers or activities)"), required=False,
                               help_text=_("Comma-separated; all rows of the sector when empty."))
    reduction = NumberField(label=_("Reduction at full effect (0–1)"), maximum=1.0, required=False,
                            help_text=_("A share: 0.2 is 20 %."))
    from_row = forms.CharField(label=_("From (carrier or activity)"), required=False)
    to = forms.CharField(label=_("To (carrier or activity)"), required=False)
    to_sector = forms.ChoiceField(label=_("Sector of the new row"), choices=(), required=False)
    share = NumberField(label=_("Share moved at full effect (0–1)"), minimum=0.0, maximum=1.0, required=False)
    efficiency_ratio = NumberField(label=_("Units of the new carrier per unit of the old one"),
                                   minimum=0.0, above=True, required=False,
                                        help_text=_("E.g. 0.33 for an oil boiler replaced by a heat pump (COP 3)."))
    ratio = NumberField(label=_("Units of the new activity per unit moved"), minimum=0.0, required=False)
    activity = forms.CharField(label=_("Removal activity"), required=False,
                               help_text=_("E.g. afforestation, rewetting."))
    amount = NumberField(label=_("Size at full effect"), minimum=0.0, required=False)
    unit = forms.CharField(label=_("Unit of the size"), required=False, help_text=_("E.g. ha."))
    rate = NumberField(label=_("Removal per unit and year (t CO2e)"), minimum=0.0, required=False)
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
        for parameter in UNCERTAIN:
            name = PARAMETER_LABELS[parameter]
            self.fields[uncertainty_field(parameter, "kind")] = forms.ChoiceField(
                label=format_lazy(_("Uncertainty of the {name}"), name=name), choices=DISTRIBUTIONS, required=False,
                help_text=_("The value above is the most likely value (mean, median) of the distribution."))
            for part, label in NUMBER_LABELS.items():
                field = NumberField(label=format_lazy("{name}: {part}", name=name, part=label), required=False)
                field.widget.attrs["data-distribution-of"] = f"{self.add_prefix(uncertainty_field(parameter, 'kind'))}"
                field.widget.attrs["data-distributions"] = " ".join(
                    k for k, parts in DISTRIBUTION_FIELDS.items() if part in parts)
                self.fields[uncertainty_field(parameter, part)] = field
        for name, field in self.fields.items():
            kinds = [k for k, names in FIELDS.items() if name in names]
            if name.startswith("unc_"):
                kinds = list(UNCERTAIN[name[4:].rsplit("_", 1)[0]])
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
        for parameter, stored in (action.uncertainty or {}).items():
            read = _distribution_of(stored)
            if parameter not in UNCERTAIN or read is None or read[0] not in DISTRIBUTION_FIELDS:
                continue
            kind, params = read
            initial[uncertainty_field(parameter, "kind")] = kind
            for part, value in zip(DISTRIBUTION_FIELDS[kind], params, strict=False):
                if part != "value":
                    initial[uncertainty_field(parameter, part)] = value
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
        for parameter in EFFECT_PARAMETERS.get(kind or "", ()):
            self._check_distribution(parameter, data)
        return data

    def _check_distribution(self, parameter: str, data: dict[str, Any]) -> None:
        kind = data.get(uncertainty_field(parameter, "kind"))
        if not kind:
            return
        field = EFFECT_KEYS_BACK.get(parameter, parameter)
        names = {part: field if part == "value" else uncertainty_field(parameter, part)
                 for part in DISTRIBUTION_FIELDS[kind]}
        if any(name in self.errors for name in names.values()):
            return
        missing = [name for part, name in names.items() if part != "value" and data.get(name) is None]
        for name in missing:
            self.add_error(name, _("This number is needed for the chosen distribution."))
        if missing or data.get(field) is None:
            return
        v = {part: float(data[name]) for part, name in names.items()}
        low, high = uncertainty_field(parameter, "low"), uncertainty_field(parameter, "high")
        if kind in ("uniform", "triangular", "pert") and not v["low"] < v["high"]:
            self.add_error(high, _("The high value must be above the low value."))
        elif kind in ("uniform", "triangular", "pert") and not v["low"] <= float(data[field]) <= v["high"]:
            self.add_error(low, _("The range from low to high must contain the value itself (%(value)s).")
                           % {"value": format_number(float(data[field]))})
        elif kind == "normal" and not v["spread"] > 0:
            self.add_error(names["spread"], _("The standard deviation must be above 0."))
        elif kind == "lognormal" and not (v["value"] > 0 and v["spread"] > 1):
            self.add_error(names["spread"], _("A lognormal distribution needs a value above 0 and a geometric "
                                              "standard deviation above 1."))

    def effect(self) -> dict[str, Any]:
        """The effect dict in the engine's vocabulary (only the chosen kind's fields)."""
        data = self.cleaned_data
        kind = data["type"]
        if not kind:  # an action without a quantified effect (the action form only)
            return {}
        effect: dict[str, Any] = {"type": kind}
        for name in FIELDS[kind]:
            value = data.get(name)
            if value in (None, ""):
                continue
            if name == "carriers":
                value = [c.strip() for c in str(value).split(",") if c.strip()]
            effect[EFFECT_KEYS.get(name, name)] = value
        return effect

    def uncertainty(self) -> dict[str, Any]:
        """Parameter -> distribution in the engine's form (``{"triangular": [low, mode, high]}``),
        for the chosen kind's parameters that have one."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for parameter in EFFECT_PARAMETERS.get(data["type"], ()):
            kind = data.get(uncertainty_field(parameter, "kind"))
            if kind:
                value = data[EFFECT_KEYS_BACK.get(parameter, parameter)]
                out[parameter] = {kind: [value if part == "value" else data[uncertainty_field(parameter, part)]
                                         for part in DISTRIBUTION_FIELDS[kind]]}
        return out

    def changes(self) -> dict[str, Any]:
        """Action fields for ``plans.services.update_action``."""
        effect = self.effect()
        return {"effect": effect, "sector": self.cleaned_data["sector"], "start_year": self.cleaned_data["start_year"],
                "full_year": self.cleaned_data.get("full_year"), "curve": self.cleaned_data["curve"],
                "uncertainty": self.uncertainty()}

    def add_problems(self, problems: dict[str, str]) -> None:
        """Engine or service problems (``effect.share``: reason) on the matching fields."""
        by_key = {EFFECT_KEYS.get(n, n): n for n in self.fields}
        by_key.update({f"uncertainty.{p}": uncertainty_field(p, "kind") for p in UNCERTAIN})
        for path, reason in problems.items():
            key = path.split(".", 1)[1] if path.startswith("effect.") else path
            if key.startswith("uncertainty."):
                key = ".".join(key.split(".")[:2])
            field = by_key.get(key) or by_key.get(key.split(".")[0])
            self.add_error(field if field in self.fields else None, reason if field else f"{path}: {reason}")
