"""Engine constants and helpers that the web's models, forms and templates need, re-exported
without any model import (so a models module can import them without an import cycle): the
engine's vocabulary (target kinds, adoption curves, effect kinds, year bounds), the footprint's
unit kinds and summary rows, the kinds of distribution and each effect kind's uncertain
parameters, the cell number parser (one number rule, Danish or English), the converters from
pydantic and YAML errors to form field messages, and the number and
date formatting (:mod:`nettonul.engine.core.i18n`, Babel) the web shares with reports and the CLI,
the formula-safe CSV and Excel writers every download uses, and the size and depth limits on the YAML and
JSON users send (``load_yaml``, ``load_json``, ``structure_problem``)."""

from __future__ import annotations

from typing import get_args

from nettonul.engine.core import i18n, palette
from nettonul.engine.core.vocabulary import (
    CURVES,
    DEFAULT_CURVE,
    EFFECT_KINDS,
    FIRST_YEAR,
    LAST_YEAR,
    RECORDED_TARGET_KINDS,
    SDG,
    TARGET_KINDS,
    ActionValues,
    Curve,
    FiniteFloat,
    Notes,
    RecordedTargetKind,
    TargetValues,
    Year,
)
from nettonul.engine.footprint.orgunits import UNIT_KINDS
from nettonul.engine.footprint.result import SUMMARY
from nettonul.engine.io.cells import DANISH, ENGLISH, Convention, evidence, parse_number
from nettonul.engine.io.export import csv_text, xlsx_bytes
from nettonul.engine.io.problems import field_messages, yaml_error_parts
from nettonul.engine.io.structure import load_json, load_yaml, structure_problem
from nettonul.engine.plan.capf import (
    HAZARDS,
    Benefit,
    EngagementEvent,
    FundingSource,
    HazardAssessment,
    InventoryCoverage,
    risk_rating,
)
from nettonul.engine.plan.capf import Funding as _Funding
from nettonul.engine.plan.capf import Power as _Power
from nettonul.engine.plan.distributions import ARITY
from nettonul.engine.plan.effects import PARAMETERS

#: The kinds of distribution an uncertain number may have, each with how many numbers it takes.
DISTRIBUTION_KINDS: tuple[str, ...] = tuple(ARITY)
#: Effect kind -> its numeric parameters that may carry a distribution.
EFFECT_PARAMETERS: dict[str, tuple[str, ...]] = {kind: tuple(names) for kind, names in PARAMETERS.items()}

#: The CAPF sections' fixed vocabularies: hazards, benefit kinds, rating levels, the
#: municipality's power over an action, funding statuses and electricity factor methods.
CAPF_HAZARDS: tuple[str, ...] = HAZARDS
BENEFIT_KINDS: tuple[str, ...] = get_args(Benefit.model_fields["kind"].annotation)
RISK_LEVELS: tuple[str, ...] = get_args(HazardAssessment.model_fields["rating"].annotation)
POWERS: tuple[str, ...] = get_args(_Power)
FUNDING_STATUSES: tuple[str, ...] = get_args(_Funding)
ELECTRICITY_METHODS: tuple[str, ...] = tuple(
    m for arg in get_args(InventoryCoverage.model_fields["electricity_method"].annotation) for m in get_args(arg))
ENGAGEMENT_PHASES: tuple[str, ...] = tuple(
    m for arg in get_args(EngagementEvent.model_fields["phase"].annotation) for m in get_args(arg))
FUNDING_SOURCE_STATUSES: tuple[str, ...] = tuple(
    m for arg in get_args(FundingSource.model_fields["status"].annotation) for m in get_args(arg))

__all__ = [
    "BENEFIT_KINDS",
    "CAPF_HAZARDS",
    "CURVES",
    "DANISH",
    "DEFAULT_CURVE",
    "DISTRIBUTION_KINDS",
    "EFFECT_KINDS",
    "EFFECT_PARAMETERS",
    "ELECTRICITY_METHODS",
    "ENGAGEMENT_PHASES",
    "ENGLISH",
    "FIRST_YEAR",
    "FUNDING_SOURCE_STATUSES",
    "FUNDING_STATUSES",
    "LAST_YEAR",
    "POWERS",
    "RECORDED_TARGET_KINDS",
    "RISK_LEVELS",
    "SDG",
    "SUMMARY",
    "TARGET_KINDS",
    "UNIT_KINDS",
    "ActionValues",
    "Convention",
    "Curve",
    "FiniteFloat",
    "Notes",
    "RecordedTargetKind",
    "TargetValues",
    "Year",
    "csv_text",
    "evidence",
    "field_messages",
    "i18n",
    "load_json",
    "load_yaml",
    "palette",
    "parse_number",
    "risk_rating",
    "structure_problem",
    "xlsx_bytes",
    "yaml_error_parts",
]
