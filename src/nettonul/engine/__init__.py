"""nettonul's computational core: pure Python and numpy, no Django, no database.

The curated public API is listed in ``__all__`` below and checked by
``tests/engine/test_public_api.py``; everything else is an implementation detail that may
change. Names load lazily, so ``import nettonul.engine`` stays cheap for a CLI that needs
one part only::

    from nettonul.engine import compute_pathway, PathwaySpec, klimaregnskab_panel
    pathway = compute_pathway(klimaregnskab_panel(["101"]), PathwaySpec())

Parts: frameworks, units and GWPs; shipped reference data; inventories (records, readers,
gap-filling); back-casting, business as usual, targets and trajectories, pathways and the
Deadline-2020-style reference check; plans, actions, scenarios, attribution, costs and
uncertainty; organisational units, emission-factor tables and footprints.

Layers, each importing only those below it (an import-linter contract in pyproject.toml):
``check | footprint`` > ``plan`` > ``pathway`` > ``inventory`` > ``reference | io`` > ``core``.
The engine imports no Django, no web, no CLI and no document parsing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "NettonulError": "core.errors", "EngineError": "core.errors", "ValidationError": "core.errors",
    "InventoryValidationError": "core.errors",
    "Problem": "core.errors", "SpecError": "core.errors", "UnitError": "core.errors",
    "UnknownFrameworkError": "core.errors", "UnknownGasError": "core.errors",
    "UnknownOrganisationError": "core.errors", "UnknownSectorError": "core.errors",
    # frameworks, units, GWPs
    "Framework": "core.frameworks", "Sector": "core.frameworks", "get_framework": "core.frameworks",
    "load_framework_file": "core.frameworks", "BUILTIN_FRAMEWORKS": "core.frameworks",
    "GwpSet": "core.gwp", "gwp_set": "core.gwp", "to_co2e": "core.gwp", "DEFAULT_GWP_SET": "core.gwp",
    "units": "core.units", "vocabulary": "core.vocabulary",
    # labelled core and reference data
    "Panel": "core.panel",
    "DataSource": "reference.datasets", "Municipality": "reference.datasets",
    "municipalities": "reference.datasets",
    "find_municipality": "reference.datasets", "population": "reference.datasets",
    "klimaregnskab": "reference.datasets",
    "klimaregnskab_panel": "reference.datasets", "national_inventory": "reference.datasets",
    "national_sector_series": "reference.datasets",
    # inventories
    "Inventory": "inventory.model", "shipped_inventory": "inventory.model",
    "read_inventory": "inventory.readers",
    "write_csv": "inventory.readers", "fill_gaps": "inventory.gapfill",
    # pathways
    "backcast": "inventory.backcast", "Baseline": "pathway.baseline", "project_baseline": "pathway.baseline",
    "Target": "pathway.targets", "Reduction": "pathway.targets", "NetZero": "pathway.targets",
    "Absolute": "pathway.targets",
    "PerCapita": "pathway.targets", "parse_target": "pathway.targets", "parse_targets": "pathway.targets",
    "default_targets": "pathway.targets", "danish_targets": "pathway.targets",
    "TargetPath": "pathway.trajectory", "target_path": "pathway.trajectory",
    "cumulative": "pathway.trajectory",
    "required_rate": "pathway.trajectory",
    "Pathway": "pathway.pathway", "PathwaySpec": "pathway.pathway", "SectorPath": "pathway.pathway",
    "compute_pathway": "pathway.pathway",
    "ReferenceCheck": "pathway.deadline2020", "check_pathway": "pathway.deadline2020",
    # plans, actions, scenarios
    "Plan": "plan.spec", "Action": "plan.spec", "load_plan": "plan.spec", "parse_plan": "plan.spec",
    "CompiledPlan": "plan.compile", "compile_plan": "plan.compile",
    "ScenarioResult": "plan.scenario", "evaluate": "plan.scenario",
    "wedges": "plan.attribution", "Cost": "plan.costs", "macc": "plan.costs",
    "Ensemble": "plan.uncertainty", "simulate": "plan.uncertainty", "Distribution": "plan.distributions",
    # organisations and footprints
    "OrgTree": "footprint.orgunits", "OrgUnit": "footprint.orgunits", "load_org_tree": "footprint.orgunits",
    "FactorTable": "footprint.factors", "load_factor_tables": "footprint.factors",
    "MissingFactorError": "footprint.factors",
    "compute_footprint": "footprint.compute",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nettonul.engine' has no attribute '{name}'")
    loaded = importlib.import_module(f"nettonul.engine.{module}")
    value = loaded if name == module.rpartition(".")[2] else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from nettonul.engine.core import units as units
    from nettonul.engine.core import vocabulary as vocabulary
    from nettonul.engine.core.errors import EngineError as EngineError
    from nettonul.engine.core.errors import InventoryValidationError as InventoryValidationError
    from nettonul.engine.core.errors import NettonulError as NettonulError
    from nettonul.engine.core.errors import Problem as Problem
    from nettonul.engine.core.errors import SpecError as SpecError
    from nettonul.engine.core.errors import UnitError as UnitError
    from nettonul.engine.core.errors import UnknownFrameworkError as UnknownFrameworkError
    from nettonul.engine.core.errors import UnknownGasError as UnknownGasError
    from nettonul.engine.core.errors import UnknownOrganisationError as UnknownOrganisationError
    from nettonul.engine.core.errors import UnknownSectorError as UnknownSectorError
    from nettonul.engine.core.errors import ValidationError as ValidationError
    from nettonul.engine.core.frameworks import BUILTIN_FRAMEWORKS as BUILTIN_FRAMEWORKS
    from nettonul.engine.core.frameworks import Framework as Framework
    from nettonul.engine.core.frameworks import Sector as Sector
    from nettonul.engine.core.frameworks import get_framework as get_framework
    from nettonul.engine.core.frameworks import load_framework_file as load_framework_file
    from nettonul.engine.core.gwp import DEFAULT_GWP_SET as DEFAULT_GWP_SET
    from nettonul.engine.core.gwp import GwpSet as GwpSet
    from nettonul.engine.core.gwp import gwp_set as gwp_set
    from nettonul.engine.core.gwp import to_co2e as to_co2e
    from nettonul.engine.core.panel import Panel as Panel
    from nettonul.engine.footprint.compute import compute_footprint as compute_footprint
    from nettonul.engine.footprint.factors import FactorTable as FactorTable
    from nettonul.engine.footprint.factors import MissingFactorError as MissingFactorError
    from nettonul.engine.footprint.factors import load_factor_tables as load_factor_tables
    from nettonul.engine.footprint.orgunits import OrgTree as OrgTree
    from nettonul.engine.footprint.orgunits import OrgUnit as OrgUnit
    from nettonul.engine.footprint.orgunits import load_org_tree as load_org_tree
    from nettonul.engine.inventory import backcast as backcast
    from nettonul.engine.inventory.gapfill import fill_gaps as fill_gaps
    from nettonul.engine.inventory.model import Inventory as Inventory
    from nettonul.engine.inventory.model import shipped_inventory as shipped_inventory
    from nettonul.engine.inventory.readers import read_inventory as read_inventory
    from nettonul.engine.inventory.readers import write_csv as write_csv
    from nettonul.engine.pathway.baseline import Baseline as Baseline
    from nettonul.engine.pathway.baseline import project_baseline as project_baseline
    from nettonul.engine.pathway.deadline2020 import ReferenceCheck as ReferenceCheck
    from nettonul.engine.pathway.deadline2020 import check_pathway as check_pathway
    from nettonul.engine.pathway.pathway import Pathway as Pathway
    from nettonul.engine.pathway.pathway import PathwaySpec as PathwaySpec
    from nettonul.engine.pathway.pathway import SectorPath as SectorPath
    from nettonul.engine.pathway.pathway import compute_pathway as compute_pathway
    from nettonul.engine.pathway.targets import Absolute as Absolute
    from nettonul.engine.pathway.targets import NetZero as NetZero
    from nettonul.engine.pathway.targets import PerCapita as PerCapita
    from nettonul.engine.pathway.targets import Reduction as Reduction
    from nettonul.engine.pathway.targets import Target as Target
    from nettonul.engine.pathway.targets import danish_targets as danish_targets
    from nettonul.engine.pathway.targets import default_targets as default_targets
    from nettonul.engine.pathway.targets import parse_target as parse_target
    from nettonul.engine.pathway.targets import parse_targets as parse_targets
    from nettonul.engine.pathway.trajectory import TargetPath as TargetPath
    from nettonul.engine.pathway.trajectory import cumulative as cumulative
    from nettonul.engine.pathway.trajectory import required_rate as required_rate
    from nettonul.engine.pathway.trajectory import target_path as target_path
    from nettonul.engine.plan.attribution import wedges as wedges
    from nettonul.engine.plan.compile import CompiledPlan as CompiledPlan
    from nettonul.engine.plan.compile import compile_plan as compile_plan
    from nettonul.engine.plan.costs import Cost as Cost
    from nettonul.engine.plan.costs import macc as macc
    from nettonul.engine.plan.distributions import Distribution as Distribution
    from nettonul.engine.plan.scenario import ScenarioResult as ScenarioResult
    from nettonul.engine.plan.scenario import evaluate as evaluate
    from nettonul.engine.plan.spec import Action as Action
    from nettonul.engine.plan.spec import Plan as Plan
    from nettonul.engine.plan.spec import load_plan as load_plan
    from nettonul.engine.plan.spec import parse_plan as parse_plan
    from nettonul.engine.plan.uncertainty import Ensemble as Ensemble
    from nettonul.engine.plan.uncertainty import simulate as simulate
    from nettonul.engine.reference.datasets import DataSource as DataSource
    from nettonul.engine.reference.datasets import Municipality as Municipality
    from nettonul.engine.reference.datasets import find_municipality as find_municipality
    from nettonul.engine.reference.datasets import klimaregnskab as klimaregnskab
    from nettonul.engine.reference.datasets import klimaregnskab_panel as klimaregnskab_panel
    from nettonul.engine.reference.datasets import municipalities as municipalities
    from nettonul.engine.reference.datasets import national_inventory as national_inventory
    from nettonul.engine.reference.datasets import national_sector_series as national_sector_series
    from nettonul.engine.reference.datasets import population as population
