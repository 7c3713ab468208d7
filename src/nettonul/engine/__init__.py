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
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "NettonulError": "errors", "ValidationError": "errors", "InventoryValidationError": "errors",
    "Problem": "errors", "SpecError": "errors", "UnitError": "errors",
    "UnknownFrameworkError": "errors", "UnknownGasError": "errors",
    "UnknownOrganisationError": "errors", "UnknownSectorError": "errors",
    # frameworks, units, GWPs
    "Framework": "frameworks", "Sector": "frameworks", "get_framework": "frameworks",
    "load_framework_file": "frameworks", "BUILTIN_FRAMEWORKS": "frameworks",
    "GwpSet": "gwp", "gwp_set": "gwp", "to_co2e": "gwp", "DEFAULT_GWP_SET": "gwp",
    "units": "units",
    # labelled core and reference data
    "Panel": "panel",
    "DataSource": "datasets", "Municipality": "datasets", "municipalities": "datasets",
    "find_municipality": "datasets", "population": "datasets", "klimaregnskab": "datasets",
    "klimaregnskab_panel": "datasets", "national_inventory": "datasets",
    "national_sector_series": "datasets",
    # inventories
    "Inventory": "inventory", "shipped_inventory": "inventory", "read_inventory": "readers",
    "write_csv": "readers", "fill_gaps": "gapfill",
    # pathways
    "backcast": "backcast", "Baseline": "baseline", "project_baseline": "baseline",
    "Target": "targets", "Reduction": "targets", "NetZero": "targets", "Absolute": "targets",
    "PerCapita": "targets", "parse_target": "targets", "parse_targets": "targets",
    "default_targets": "targets", "danish_targets": "targets",
    "TargetPath": "trajectory", "target_path": "trajectory", "cumulative": "trajectory",
    "required_rate": "trajectory",
    "Pathway": "pathway", "PathwaySpec": "pathway", "SectorPath": "pathway",
    "compute_pathway": "pathway",
    "ReferenceCheck": "deadline2020", "check_pathway": "deadline2020",
    # plans, actions, scenarios
    "Plan": "plan", "Action": "plan", "load_plan": "plan", "parse_plan": "plan",
    "CompiledPlan": "compile", "compile_plan": "compile",
    "ScenarioResult": "scenario", "evaluate": "scenario",
    "wedges": "attribution", "Cost": "costs", "macc": "costs",
    "Ensemble": "uncertainty", "simulate": "uncertainty", "Distribution": "distributions",
    # organisations and footprints
    "OrgTree": "orgunits", "OrgUnit": "orgunits", "load_org_tree": "orgunits",
    "FactorTable": "factors", "load_factor_tables": "factors", "MissingFactorError": "factors",
    "compute_footprint": "footprint",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'nettonul.engine' has no attribute '{name}'")
    loaded = importlib.import_module(f"nettonul.engine.{module}")
    value = loaded if name == module else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from nettonul.engine import backcast as backcast
    from nettonul.engine import units as units
    from nettonul.engine.attribution import wedges as wedges
    from nettonul.engine.baseline import Baseline as Baseline
    from nettonul.engine.baseline import project_baseline as project_baseline
    from nettonul.engine.compile import CompiledPlan as CompiledPlan
    from nettonul.engine.compile import compile_plan as compile_plan
    from nettonul.engine.costs import Cost as Cost
    from nettonul.engine.costs import macc as macc
    from nettonul.engine.datasets import DataSource as DataSource
    from nettonul.engine.datasets import Municipality as Municipality
    from nettonul.engine.datasets import find_municipality as find_municipality
    from nettonul.engine.datasets import klimaregnskab as klimaregnskab
    from nettonul.engine.datasets import klimaregnskab_panel as klimaregnskab_panel
    from nettonul.engine.datasets import municipalities as municipalities
    from nettonul.engine.datasets import national_inventory as national_inventory
    from nettonul.engine.datasets import national_sector_series as national_sector_series
    from nettonul.engine.datasets import population as population
    from nettonul.engine.deadline2020 import ReferenceCheck as ReferenceCheck
    from nettonul.engine.deadline2020 import check_pathway as check_pathway
    from nettonul.engine.distributions import Distribution as Distribution
    from nettonul.engine.errors import InventoryValidationError as InventoryValidationError
    from nettonul.engine.errors import NettonulError as NettonulError
    from nettonul.engine.errors import Problem as Problem
    from nettonul.engine.errors import SpecError as SpecError
    from nettonul.engine.errors import UnitError as UnitError
    from nettonul.engine.errors import UnknownFrameworkError as UnknownFrameworkError
    from nettonul.engine.errors import UnknownGasError as UnknownGasError
    from nettonul.engine.errors import UnknownOrganisationError as UnknownOrganisationError
    from nettonul.engine.errors import UnknownSectorError as UnknownSectorError
    from nettonul.engine.errors import ValidationError as ValidationError
    from nettonul.engine.factors import FactorTable as FactorTable
    from nettonul.engine.factors import MissingFactorError as MissingFactorError
    from nettonul.engine.factors import load_factor_tables as load_factor_tables
    from nettonul.engine.footprint import compute_footprint as compute_footprint
    from nettonul.engine.frameworks import BUILTIN_FRAMEWORKS as BUILTIN_FRAMEWORKS
    from nettonul.engine.frameworks import Framework as Framework
    from nettonul.engine.frameworks import Sector as Sector
    from nettonul.engine.frameworks import get_framework as get_framework
    from nettonul.engine.frameworks import load_framework_file as load_framework_file
    from nettonul.engine.gapfill import fill_gaps as fill_gaps
    from nettonul.engine.gwp import DEFAULT_GWP_SET as DEFAULT_GWP_SET
    from nettonul.engine.gwp import GwpSet as GwpSet
    from nettonul.engine.gwp import gwp_set as gwp_set
    from nettonul.engine.gwp import to_co2e as to_co2e
    from nettonul.engine.inventory import Inventory as Inventory
    from nettonul.engine.inventory import shipped_inventory as shipped_inventory
    from nettonul.engine.orgunits import OrgTree as OrgTree
    from nettonul.engine.orgunits import OrgUnit as OrgUnit
    from nettonul.engine.orgunits import load_org_tree as load_org_tree
    from nettonul.engine.panel import Panel as Panel
    from nettonul.engine.pathway import Pathway as Pathway
    from nettonul.engine.pathway import PathwaySpec as PathwaySpec
    from nettonul.engine.pathway import SectorPath as SectorPath
    from nettonul.engine.pathway import compute_pathway as compute_pathway
    from nettonul.engine.plan import Action as Action
    from nettonul.engine.plan import Plan as Plan
    from nettonul.engine.plan import load_plan as load_plan
    from nettonul.engine.plan import parse_plan as parse_plan
    from nettonul.engine.readers import read_inventory as read_inventory
    from nettonul.engine.readers import write_csv as write_csv
    from nettonul.engine.scenario import ScenarioResult as ScenarioResult
    from nettonul.engine.scenario import evaluate as evaluate
    from nettonul.engine.targets import Absolute as Absolute
    from nettonul.engine.targets import NetZero as NetZero
    from nettonul.engine.targets import PerCapita as PerCapita
    from nettonul.engine.targets import Reduction as Reduction
    from nettonul.engine.targets import Target as Target
    from nettonul.engine.targets import danish_targets as danish_targets
    from nettonul.engine.targets import default_targets as default_targets
    from nettonul.engine.targets import parse_target as parse_target
    from nettonul.engine.targets import parse_targets as parse_targets
    from nettonul.engine.trajectory import TargetPath as TargetPath
    from nettonul.engine.trajectory import cumulative as cumulative
    from nettonul.engine.trajectory import required_rate as required_rate
    from nettonul.engine.trajectory import target_path as target_path
    from nettonul.engine.uncertainty import Ensemble as Ensemble
    from nettonul.engine.uncertainty import simulate as simulate
