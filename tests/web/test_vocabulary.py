"""The web's choices, API schemas and forms derive from the engine's vocabulary."""

from __future__ import annotations

import pydantic
import pytest

from nettonul.engine.core import vocabulary as v
from nettonul.web.api.schemas import ActionIn, TargetIn
from nettonul.web.imports.forms import TargetEditForm
from nettonul.web.plans.effect_forms import KINDS
from nettonul.web.plans.models import Action, Target


def test_model_choices_store_the_engine_values() -> None:
    assert tuple(Target.Kind.values) == v.RECORDED_TARGET_KINDS
    assert Target.Kind.NET_ZERO == "net_zero"
    assert str(Target.Kind.PER_CAPITA.label) == "Emissions per inhabitant (t CO2e)"
    assert tuple(Action.Curve.values) == v.CURVES
    assert Action._meta.get_field("curve").default == "linear"


def test_the_effect_form_offers_the_engine_kinds() -> None:
    assert tuple(k for k, _ in KINDS) == v.EFFECT_KINDS


@pytest.mark.parametrize("year", [1989, 2101])
def test_api_and_forms_use_the_one_year_rule(year: int) -> None:
    with pytest.raises(pydantic.ValidationError):
        TargetIn.model_validate({"kind": "net_zero", "year": year})
    with pytest.raises(pydantic.ValidationError):
        TargetIn.model_validate({"kind": "reduction", "year": 2030, "against": year})
    with pytest.raises(pydantic.ValidationError):
        ActionIn.model_validate({"title": "x", "start_year": year})
    form = TargetEditForm({"version": 1, "kind": "net_zero", "year": year})
    assert not form.is_valid()
    assert "year" in form.errors


def test_api_accepts_every_recorded_kind_and_curve() -> None:
    for kind in v.RECORDED_TARGET_KINDS:
        assert TargetIn.model_validate({"kind": kind, "year": 2030}).kind == kind
    for curve in v.CURVES:
        assert ActionIn.model_validate({"title": "x", "curve": curve}).curve == curve
    with pytest.raises(pydantic.ValidationError):
        TargetIn.model_validate({"kind": "share", "year": 2030})
