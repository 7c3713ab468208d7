"""Sector frameworks as data: ``dk-municipal``, ``gpc`` and ``ghgp-corporate``.

A framework is a tree of sectors read from ``data/frameworks/<id>.yaml``. Inventories name
sectors by code; totals roll children up into parents. A city abroad can ship its own
framework file and load it with :func:`load_framework_file`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nettonul.engine.core.errors import SpecError, UnknownFrameworkError, UnknownSectorError

BUILTIN_FRAMEWORKS = ("dk-municipal", "gpc", "ghgp-corporate")


@dataclass(frozen=True)
class Sector:
    """One sector of a framework."""

    code: str
    name_en: str
    name_da: str
    parent: str | None = None
    gpc: tuple[str, ...] = ()
    scope: int | None = None
    level: str | None = None
    scope2_method: str | None = None
    removals: bool = False
    note: str = ""

    def name(self, language: str = "en") -> str:
        return self.name_da if language.startswith("da") else self.name_en


@dataclass(frozen=True)
class Framework:
    """A sector taxonomy: its sectors in file order, with parent links."""

    id: str
    name_en: str
    name_da: str
    kind: str
    sectors: tuple[Sector, ...]
    _by_code: Mapping[str, Sector] = field(repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {s.code: s for s in self.sectors})

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[Sector]:
        return iter(self.sectors)

    def sector(self, code: str) -> Sector:
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownSectorError(
                f"unknown sector '{code}' in framework {self.id}; "
                f"top-level sectors are: {', '.join(self.top_level_codes())}"
            ) from None

    def top_level_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.sectors if s.parent is None)

    def children(self, code: str) -> tuple[str, ...]:
        return tuple(s.code for s in self.sectors if s.parent == code)

    def ancestors(self, code: str) -> tuple[str, ...]:
        """Parents of ``code``, nearest first."""
        out: list[str] = []
        parent = self.sector(code).parent
        while parent is not None:
            out.append(parent)
            parent = self.sector(parent).parent
        return tuple(out)

    def top_level(self, code: str) -> str:
        """The top-level sector that ``code`` rolls up into (itself if top-level)."""
        ancestors = self.ancestors(code)
        return ancestors[-1] if ancestors else code

    def allows_negative(self, code: str) -> bool:
        """Whether net removals (negative amounts) are allowed in ``code``."""
        return any(self.sector(c).removals for c in (code, *self.ancestors(code)))


def _parse(data: Mapping[str, Any], origin: str) -> Framework:
    try:
        sectors = []
        for item in data["sectors"]:
            name = item["name"]
            sectors.append(
                Sector(
                    code=str(item["code"]),
                    name_en=str(name["en"]),
                    name_da=str(name.get("da", name["en"])),
                    parent=str(item["parent"]) if item.get("parent") is not None else None,
                    gpc=tuple(str(g) for g in item.get("gpc", ())),
                    scope=int(item["scope"]) if item.get("scope") is not None else None,
                    level=str(item["level"]) if item.get("level") is not None else None,
                    scope2_method=item.get("scope2_method"),
                    removals=bool(item.get("removals", False)),
                    note=str(item.get("note", "")),
                )
            )
        framework = Framework(
            id=str(data["id"]),
            name_en=str(data["name"]["en"]),
            name_da=str(data["name"].get("da", data["name"]["en"])),
            kind=str(data.get("kind", "territorial")),
            sectors=tuple(sectors),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise SpecError(f"{origin}: not a valid framework file ({exc!r})") from exc
    codes = [s.code for s in framework.sectors]
    if len(set(codes)) != len(codes):
        raise SpecError(f"{origin}: sector codes must be unique")
    for s in framework.sectors:
        if s.parent is not None and s.parent not in framework:
            raise SpecError(f"{origin}: sector '{s.code}' names unknown parent '{s.parent}'")
    return framework


@lru_cache(maxsize=16)
def get_framework(framework_id: str = "dk-municipal") -> Framework:
    """A built-in framework by id."""
    if framework_id not in BUILTIN_FRAMEWORKS:
        raise UnknownFrameworkError(
            f"unknown framework '{framework_id}'; built in: {', '.join(BUILTIN_FRAMEWORKS)}"
        )
    text = (
        resources.files("nettonul.engine") / "data" / "frameworks" / f"{framework_id}.yaml"
    ).read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text), f"{framework_id}.yaml")


def load_framework_file(path: str | Path) -> Framework:
    """A framework from a user's YAML file in the same format as the built-in ones."""
    p = Path(path)
    return _parse(yaml.safe_load(p.read_text(encoding="utf-8")), p.name)
