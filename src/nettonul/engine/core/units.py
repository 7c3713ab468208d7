"""Units at the edges: parse and convert user-supplied quantities with pint.

Inside the engine every emission array is in tonnes CO2e and every energy array in MWh, so
arrays stay plain numpy. Conversion happens once, where data enters (file readers, plan
specs) and where it leaves (display). The climate units are defined in ``data/units.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pint

from nettonul.engine.core.errors import UnitError
from nettonul.engine.core.gwp import canonical_gas

#: The canonical units the engine computes in.
EMISSIONS_UNIT = "t_CO2e"
ENERGY_UNIT = "MWh"

#: Masses a quantity of a gas is written in, in tonnes. Read before pint because pint takes
#: "kt" for a knot and "ton" for a short ton; in climate data every ton is metric.
MASS_TONNES = {"mg": 1e-9, "g": 1e-6, "kg": 1e-3, "t": 1.0, "ton": 1.0, "tons": 1.0, "tonne": 1.0,
               "tonnes": 1.0, "Mg": 1.0, "kt": 1e3, "Mt": 1e6, "Gt": 1e9}
_GAS_MASS = re.compile(r"^\s*(tonnes|tonne|tons|ton|kg|Mg|mg|kt|Mt|Gt|g|t)"
                       r"(?:\s*[_ ]?\s*([A-Za-z][A-Za-z0-9\-]*))?\s*$")
_CO2E = re.compile(r"^co2[-_ ]?e(q|quivalent)?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[float]:
    """The shared unit registry with nettonul's climate units loaded."""
    reg: pint.UnitRegistry[float] = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    with resources.as_file(resources.files("nettonul.engine") / "data" / "units.txt") as path:
        reg.load_definitions(str(path))
    return reg


def gas_name(text: str) -> str:
    """Canonical gas name, with every spelling of CO2-equivalents (CO2e, CO2-eq, co2 eq) as ``CO2e``."""
    return "CO2e" if _CO2E.match(text.strip()) else canonical_gas(text)


@dataclass(frozen=True)
class GasMass:
    """A unit of an amount of gas: tonnes per unit, and the gas it names (None for a bare mass)."""

    tonnes: float
    gas: str | None


@lru_cache(maxsize=512)
def gas_mass(unit: str) -> GasMass:
    """The one parser of gas-mass units: "t", "kg CH4", "kt CO2e", "ton CO2e", "tCO2e", "lb".

    Metric prefixes and ton spellings are read as metric masses; other masses go through
    pint. Raises UnitError when ``unit`` is not a mass (of a gas).
    """
    match = _GAS_MASS.match(unit)
    if match:
        gas = match.group(2)
        return GasMass(MASS_TONNES[match.group(1)], gas_name(gas) if gas else None)
    try:
        return GasMass(factor(unit, EMISSIONS_UNIT), "CO2e")
    except UnitError:
        pass
    try:
        return GasMass(factor(unit, "t"), None)
    except UnitError:
        pass
    try:
        factor(pint_name(unit), pint_name(unit))
    except UnitError:
        raise UnitError(f"unknown unit '{unit}'") from None
    raise UnitError(f"'{unit}' is not a mass of a gas (e.g. t, kg CH4, t CO2e)")


def pint_name(unit: str) -> str:
    """Spreadsheet spellings pint does not read: 'm3' -> 'm**3', 'Nm3' (normal cubic metre) -> 'm**3'."""
    return re.sub(r"\b(?:N(?=m3\b))?(c?m|km)([23])\b", r"\1**\2", unit.strip())


def normalise(unit: str) -> str:
    """Turn spellings users type ("t CO2e", "kt CO2-eq", "tCO2e") into registry names."""
    text = unit.strip()
    match = _GAS_MASS.match(text)
    if match and match.group(2) and _CO2E.match(match.group(2)):
        mass = "t" if match.group(1).lower().startswith("ton") or match.group(1) == "Mg" else match.group(1)
        return f"{mass}_CO2e"
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
