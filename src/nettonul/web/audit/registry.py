"""The kinds of object whose change history has a page (``/history/<kind>/<id>/``).

Each app registers its own models from its ``AppConfig.ready()``, so the arrows point into
``audit`` and this app imports no other::

    registry.register("plan", Plan, related=("organisation",))

``related`` names the relations the history page selects with the object (its
organisation, for the permission check and the breadcrumb).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Model]
    related: tuple[str, ...] = ()


_KINDS: dict[str, Kind] = {}


def register(name: str, model: type[Model], related: tuple[str, ...] = ()) -> None:
    """Give ``model``'s objects a history page under ``/history/<name>/<id>/``."""
    known = _KINDS.get(name)
    if known is not None and known.model is not model:
        raise ValueError(f"history kind '{name}' is already registered for {known.model._meta.label}")
    _KINDS[name] = Kind(name, model, tuple(related))


def get(name: str) -> Kind | None:
    """The registered kind called ``name``, or None."""
    return _KINDS.get(name)


def kinds() -> dict[str, Kind]:
    """Every registered kind by name."""
    return dict(_KINDS)
