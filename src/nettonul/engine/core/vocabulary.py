"""The words of a climate plan that every layer shares, defined once.

Plan files, the pathway, the web app's models, forms and API all speak of the same kinds of
target, adoption curves, effect kinds, years and inventory record columns. They are defined
here and nowhere else; a Django ``choices`` list, an API schema or a form field derives from
these tuples (the web adds only the translated labels). The stored values are exactly these
strings, so a database written before keeps its meaning.

**Years.** One rule for every year the engine accepts from a user, a target, a schedule, an
inventory record or a risk-assessment horizon: :data:`FIRST_YEAR` to :data:`LAST_YEAR`
(1990-2100). 1990 is the base year of the UNFCCC, the Kyoto Protocol and the Danish Climate
Act, and the first year of every inventory and national index the engine ships; an earlier
year has no data to measure against. 2100 is the last year of the IPCC's published
scenarios (SSP/RCP) that the projections and climate-risk scenarios build on; a later year
has no scenario to stand on. A year outside the range is a typing error far more often than
an intention.

**Stored values.** :class:`ActionValues` and :class:`TargetValues` are the one schema every
write path of an action or a target (form, document import, API, plan file) is checked
against before anything is stored, so that every reader (the API's response schemas, the
scenario) can read what was stored: SDGs are the integers 1-17, sources and assumptions map a
field path to a text, years lie in :data:`YEARS` with the full effect not before the start,
and numbers are finite.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator

#: Kinds of quantified target (:mod:`nettonul.engine.pathway.targets`): a reduction against a
#: reference year, net zero, an absolute level in t CO2e, a level in t CO2e per inhabitant.
TargetKind = Literal["reduction", "net_zero", "absolute", "per_capita"]
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)

#: A commitment a plan states without a number: recorded with the plan, never computed.
QUALITATIVE: Literal["qualitative"] = "qualitative"
#: Every kind of target a plan may record: the quantified kinds and the qualitative commitment.
RecordedTargetKind = Literal["reduction", "net_zero", "absolute", "per_capita", "qualitative"]
RECORDED_TARGET_KINDS: tuple[RecordedTargetKind, ...] = get_args(RecordedTargetKind)

#: Kinds of target whose ``value`` is required (net zero has none).
VALUED_TARGET_KINDS: tuple[TargetKind, ...] = ("reduction", "absolute", "per_capita")

#: Adoption curves of an action's schedule (:mod:`nettonul.engine.plan.adoption`).
Curve = Literal["step", "linear", "logistic"]
CURVES: tuple[Curve, ...] = get_args(Curve)
DEFAULT_CURVE: Curve = "linear"

#: Kinds of action effect (:mod:`nettonul.engine.plan.effects`).
EffectKind = Literal["demand", "switch", "shift", "factor", "removal"]
EFFECT_KINDS: tuple[EffectKind, ...] = get_args(EffectKind)

#: The range of every year the engine accepts (see the module docstring for the rule).
FIRST_YEAR = 1990
LAST_YEAR = 2100
YEARS: tuple[int, int] = (FIRST_YEAR, LAST_YEAR)
#: A year in that range, for pydantic models.
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

#: A number that is finite: NaN and infinities are refused wherever a user gives a number.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]

#: The UN Sustainable Development Goals are numbered 1 to 17.
FIRST_SDG = 1
LAST_SDG = 17
#: One goal's number (an integer, not a text or a truth value).
SDG = Annotated[int, Field(ge=FIRST_SDG, le=LAST_SDG, strict=True)]

#: Longest field path and longest text of a source or an assumption.
NOTE_PATH_LENGTH = 200
NOTE_LENGTH = 2000
#: Field path (``effect.share``, ``cost``, ``title``) -> a text: an action's sources or assumptions.
Notes = dict[Annotated[StrictStr, Field(min_length=1, max_length=NOTE_PATH_LENGTH)],
             Annotated[StrictStr, Field(max_length=NOTE_LENGTH)]]


class ActionValues(BaseModel):
    """The values of an action besides its effect (checked by the effect models) that every
    reader relies on. Unknown fields are left to their own checks."""

    model_config = ConfigDict(extra="ignore")

    start_year: Year | None = None
    full_year: Year | None = None
    sdgs: list[SDG] = Field(default_factory=list, max_length=LAST_SDG)
    sources: Notes = Field(default_factory=dict)
    assumptions: Notes = Field(default_factory=dict)

    @model_validator(mode="after")
    def _full_after_start(self) -> ActionValues:
        if self.start_year is not None and self.full_year is not None and self.full_year < self.start_year:
            raise ValueError(f"the full effect year {self.full_year} is before the start year {self.start_year}")
        return self


class TargetValues(BaseModel):
    """The values of a target that every reader relies on: years in range, a finite value."""

    model_config = ConfigDict(extra="ignore")

    year: Year
    value: FiniteFloat | None = None
    against: Year | None = None


#: Columns of an inventory record, as the template and ``Inventory.to_rows`` name them
#: (:mod:`nettonul.engine.inventory.model`).
RECORD_COLUMNS: tuple[str, ...] = (
    "organisation", "year", "sector", "gas", "amount", "unit", "activity", "emission_factor",
    "ef_unit", "co2e_t", "source", "quality", "notation", "estimated", "note",
)
#: Columns a record must have.
REQUIRED_RECORD_COLUMNS: tuple[str, ...] = ("organisation", "year", "sector", "amount", "unit")


def year_problem(year: int, what: str = "year") -> str | None:
    """Why ``year`` is not accepted, or None when it is in :data:`YEARS`."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return f"{what} {year} is outside {FIRST_YEAR}-{LAST_YEAR}"
