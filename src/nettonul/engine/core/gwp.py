"""Global warming potentials (100-year) from the ``globalwarmingpotentials`` package.

Values are never typed in here: they are read from the package, whose sources are the GHG
Protocol GWP table (SAR, AR4, AR5) and IPCC AR6 WGI Table 7.SM.7. AR5 is the default for
Danish reporting (methodology section 5). The GWP set is metadata of every inventory; a
series is never mixed across sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

import globalwarmingpotentials as _gwp_package

from nettonul.engine.core.errors import SpecError, UnknownGasError

GwpSetName = Literal["SAR", "AR4", "AR5", "AR6"]
GWP_SETS: tuple[GwpSetName, ...] = ("SAR", "AR4", "AR5", "AR6")
DEFAULT_GWP_SET: GwpSetName = "AR5"

#: Spellings people use for the same gas, mapped to the package's names.
_ALIASES = {
    "HFC-23": "HFC23", "HFC-32": "HFC32", "HFC-125": "HFC125", "HFC-134a": "HFC134a",
    "HFC-143a": "HFC143a", "HFC-152a": "HFC152a", "HFC-227ea": "HFC227ea",
    "HFC-245fa": "HFC245fa", "HFC-365mfc": "HFC365mfc", "HFC-43-10mee": "HFC4310mee",
    "PFC-14": "CF4", "PFC-116": "C2F6", "PFC-218": "C3F8", "C-C4F8": "cC4F8",
}

#: Gases that are already CO2-equivalents or carbon dioxide (GWP 1 by definition).
CO2_EQUIVALENT_NAMES = frozenset({"CO2", "CO2E", "CO2-EQ", "CO2EQ", "CO2E_TOTAL"})


@dataclass(frozen=True)
class GwpSet:
    """A named set of 100-year GWPs, gas -> t CO2e per t of gas."""

    name: GwpSetName
    values: MappingProxyType[str, float]
    source: str

    def factor(self, gas: str) -> float:
        """t CO2e per tonne of ``gas``; 1 for CO2 and for amounts already in CO2e."""
        key = canonical_gas(gas)
        if key.upper() in CO2_EQUIVALENT_NAMES:
            return 1.0
        try:
            return self.values[key]
        except KeyError:
            raise UnknownGasError(
                f"gas '{gas}' has no GWP in {self.name}; known gases include CO2, CH4, N2O, "
                "SF6, NF3 and the HFCs/PFCs (e.g. HFC-134a)"
            ) from None


def canonical_gas(gas: str) -> str:
    """The package's name for a gas ("HFC-134a" -> "HFC134a", "ch4" -> "CH4")."""
    text = gas.strip()
    if text in _ALIASES:
        return _ALIASES[text]
    upper = text.upper()
    for alias, name in _ALIASES.items():
        if alias.upper() == upper:
            return name
    for name in _gwp_package.data["AR5GWP100"]:
        if name.upper() == upper.replace("-", ""):
            return str(name)
    return upper if upper in CO2_EQUIVALENT_NAMES else str(text)


@lru_cache(maxsize=len(GWP_SETS))
def gwp_set(name: str = DEFAULT_GWP_SET) -> GwpSet:
    """The GWP set called ``name`` (SAR, AR4, AR5 or AR6), read from the package."""
    key = name.strip().upper()
    if key not in GWP_SETS:
        raise SpecError(f"unknown GWP set '{name}'; choose one of {', '.join(GWP_SETS)}")
    values = dict(_gwp_package.data[f"{key}GWP100"])
    values["CO2"] = 1.0
    set_name: GwpSetName = key  # narrowed by the membership test above
    return GwpSet(
        name=set_name,
        values=MappingProxyType(values),
        source=f"globalwarmingpotentials {_gwp_package.__version__}, {key}GWP100",
    )


def to_co2e(amount_t: float, gas: str, set_name: str = DEFAULT_GWP_SET) -> float:
    """Tonnes of ``gas`` as tonnes CO2e under the named GWP set."""
    return amount_t * gwp_set(set_name).factor(gas)
