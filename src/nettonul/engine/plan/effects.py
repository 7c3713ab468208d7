"""Typed action effects: what an action does to activity and emission factors.

An effect never says "minus so many tonnes". It changes the quantities emissions are made of,
``E = activity x factor`` per row (a sector's carrier or activity), and the engine computes
the tonnes. Five kinds exist:

``demand``   less activity in some rows of a sector (insulation, LED, less driving).
``switch``   a share of one carrier's activity moves to another carrier, converted by an
             efficiency ratio (oil boiler to heat pump: MWh electricity per MWh oil = 0.9/COP).
             The new activity is counted at the target carrier's factor, so a heat pump gets
             cleaner as the grid factor falls.
``shift``    the same mechanics between activities rather than fuels (car-km to bus-km).
``factor``   a lower emission factor for some rows (biogas share in the gas grid).
``removal``  an amount of some activity (hectares of new forest, rewetted soil) that removes
             CO2e at a rate per unit and year; it lives on its own removals row.

Each numeric field of an effect is a *parameter* that the uncertainty section of a plan may
give a distribution (``actions[3].effect.share``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nettonul.engine.core.vocabulary import EffectKind


class _Effect(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    sector: str = Field(description="Sector code of the framework, e.g. 'energy'.")


class Demand(_Effect):
    """Activity in the chosen rows (all rows of the sector by default) falls by ``reduction``."""

    type: Literal["demand"]
    carriers: list[str] | None = Field(None, description="Rows of the sector it acts on; all when left out.")
    reduction: float = Field(ge=0.0, le=1.0, description="Share of activity avoided at full adoption.")


class Switch(_Effect):
    """``share`` of the ``from`` carrier's activity moves to ``to`` times ``efficiency_ratio``."""

    type: Literal["switch"]
    from_: str = Field(alias="from")
    to: str
    to_sector: str | None = Field(None, description="Sector of the target row when it is not the same sector.")
    share: float = Field(ge=0.0, le=1.0)
    efficiency_ratio: float = Field(gt=0.0, description="Units of the new carrier per unit of the old one.")


class Shift(_Effect):
    """``share`` of one activity moves to another (modal shift), ``ratio`` units per unit."""

    type: Literal["shift"]
    from_: str = Field(alias="from")
    to: str
    to_sector: str | None = None
    share: float = Field(ge=0.0, le=1.0)
    ratio: float = Field(1.0, ge=0.0, description="Units of the new activity per unit moved.")


class FactorChange(_Effect):
    """The emission factor of the chosen rows falls by ``reduction`` (a share, 0-1)."""

    type: Literal["factor"]
    carriers: list[str] | None = None
    reduction: float = Field(le=1.0, description="Relative fall of the factor at full adoption.")


class Removal(_Effect):
    """``amount`` units of an activity that removes ``rate`` t CO2e per unit and year."""

    type: Literal["removal"]
    activity: str = Field(description="Name of the removal activity, e.g. 'afforestation'.")
    amount: float = Field(ge=0.0, description="Size at full adoption, in ``unit``.")
    unit: str = Field(description="Unit of ``amount``, e.g. 'ha'.")
    rate: float = Field(ge=0.0, description="Removal per unit and year, t CO2e (a positive number).")

    @model_validator(mode="after")
    def _activity_named(self) -> Removal:
        if not self.activity.strip():
            raise ValueError("a removal needs the name of its activity")
        return self


Effect = Annotated[Demand | Switch | Shift | FactorChange | Removal, Field(discriminator="type")]

#: The numeric fields of each kind (:data:`~nettonul.engine.core.vocabulary.EFFECT_KINDS`, in
#: that order) that can carry a distribution.
PARAMETERS: dict[EffectKind, tuple[str, ...]] = {
    "demand": ("reduction",),
    "switch": ("share", "efficiency_ratio"),
    "shift": ("share", "ratio"),
    "factor": ("reduction",),
    "removal": ("amount", "rate"),
}


def parameters_of(effect: Demand | Switch | Shift | FactorChange | Removal) -> dict[str, float]:
    """The effect's uncertain-able parameters and their central values."""
    return {name: float(getattr(effect, name)) for name in PARAMETERS[effect.type]}
