"""Units at the edges: parse and convert user-supplied quantities with pint.

Inside the engine every emission array is in tonnes CO2e and every energy array in MWh, so
arrays stay plain numpy. Conversion happens once, where data enters (file readers, plan
specs) and where it leaves (display). The climate units are defined in ``data/units.txt``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pint

from nettonul.engine.core.errors import UnitError

#: The canonical units the engine computes in.
EMISSIONS_UNIT = "t_CO2e"
ENERGY_UNIT = "MWh"

_SPACED_CO2E = re.compile(r"^\s*([a-zA-Z]+)\s*[ _]?\s*CO2[- ]?e(q)?\s*$")


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[float]:
    """The shared unit registry with nettonul's climate units loaded."""
    reg: pint.UnitRegistry[float] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    with resources.as_file(resources.files("nettonul.engine") / "data" / "units.txt") as path:
        reg.load_definitions(str(path))
    return reg


def normalise(unit: str) -> str:
    """Turn spellings users type ("t CO2e", "kt CO2-eq", "tCO2e") into registry names."""
    text = unit.strip()
    match = _SPACED_CO2E.match(text)
    if match:
        return f"{match.group(1)}_CO2e"
    return text


@lru_cache(maxsize=512)
def factor(from_unit: str, to_unit: str) -> float:
    """The multiplier that converts an amount in ``from_unit`` to ``to_unit``.

    Raises UnitError when a unit is unknown or the two are of different dimensions.
    """
    reg = registry()
    try:
        source = reg.Quantity(1.0, normalise(from_unit))
        return float(source.to(normalise(to_unit)).magnitude)
    except pint.errors.UndefinedUnitError as exc:
        raise UnitError(f"unknown unit '{from_unit}'") from exc
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"'{from_unit}' cannot be converted to '{to_unit}'") from exc
    except (pint.errors.DefinitionSyntaxError, AttributeError, TypeError, ValueError) as exc:
        raise UnitError(f"'{from_unit}' is not a unit") from exc


def to_tonnes_co2e(amount: float, unit: str) -> float:
    """Convert an emission amount to tonnes CO2e."""
    return amount * factor(unit, EMISSIONS_UNIT)


def is_emission_unit(unit: str) -> bool:
    """Whether ``unit`` is a mass of CO2e (t, kt, Mt CO2e ...)."""
    try:
        factor(unit, EMISSIONS_UNIT)
    except UnitError:
        return False
    return True
