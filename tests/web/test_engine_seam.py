"""The seam between the web and the engine (nettonul.web.engine): data reaches the engine in
memory, never through a file in the data directory or a temporary folder, and results are kept
under one key function of the complete engine inputs, so a key cannot drift from them."""

from __future__ import annotations

import copy
import dataclasses
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.conf import settings
from django.core.cache import cache
from pydantic import BaseModel

from nettonul.engine import Inventory
from nettonul.web.api.services import create_token
from nettonul.web.engine import cache as seam_cache
from nettonul.web.engine import monitoring as engine_monitoring
from nettonul.web.engine import plans as engine_plans
from nettonul.web.monitoring import reporting, services
from nettonul.web.organisations.permissions import SYSTEM

from .monitoring_support import MONITORING, PASSING, english, load, person


# ----------------------------------------------------------------------------- nothing written to hand data over
def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@contextmanager
def no_file_written(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any temporary file or folder fails; the data directory must gain no file."""
    def refuse(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a temporary file or folder was made to hand data to the engine")

    with monkeypatch.context() as patch:
        for name in ("mkstemp", "mkdtemp", "TemporaryDirectory", "NamedTemporaryFile", "SpooledTemporaryFile",
                     "TemporaryFile"):
            patch.setattr(tempfile, name, refuse)
        before = _files(Path(settings.DATA_DIR))
        yield
        assert _files(Path(settings.DATA_DIR)) == before


def test_dashboard_plan_monitoring_report_and_footprint_write_no_file(
        client: Any, plans: dict[str, Any], settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nettonul.web.demo import DemoResult
    from nettonul.web.organisations.models import Organisation
    from nettonul.web.orgunits.demo import load_ministry_demo

    settings.DATA_DIR = tmp_path  # the demo writes its logins file here; checked from now on
    load_ministry_demo(DemoResult())
    capf_plan = load(PASSING)
    services.import_monitoring_file(SYSTEM, capf_plan, MONITORING)
    english(client).force_login(person("editor-mdf", "editor"))
    aarhus = plans["aarhus"]
    ministry = Organisation.objects.get(code="demo-mfa")
    cache.clear()  # every engine job below runs, none is served from an earlier test
    with no_file_written(monkeypatch):
        _requests(client, aarhus, capf_plan, ministry)


def _requests(client: Any, aarhus: Any, capf_plan: Any, ministry: Any) -> None:
    for url in (f"/organisations/{aarhus.organisation_id}/?plan={aarhus.pk}", f"/plans/{aarhus.pk}/",
                f"/api/organisations/{aarhus.organisation_id}/pathway", f"/monitoring/plans/{capf_plan.pk}/",
                f"/monitoring/plans/{capf_plan.pk}/check/", f"/units/{ministry.pk}/", f"/units/{ministry.pk}/peers/"):
        response = client.get(url)
        assert response.status_code == 200, url
    # The plan page's scenario starts from the stored inventory, handed over in memory.
    spec = engine_plans.engine_plan(aarhus, list(aarhus.targets.all()), list(aarhus.actions.all()))
    assert spec.inventory.records is not None
    assert spec.inventory.path == f"stored inventory version 1 of {aarhus.organisation.code}"
    snapshot = reporting.issue_report(SYSTEM, capf_plan, 2024, "en", issued=date(2025, 3, 1))
    assert snapshot.pdf


# ----------------------------------------------------------------------------- one key function
def _changed(value: Any) -> Any:
    """A different value of the same kind (None when there is none to make)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1 if value == value else 0.0
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, np.ndarray):
        if value.size == 0:
            return None
        items = value.tolist()
        items[0] = _changed(items[0])
        # the same dtype, but text wide enough for the longer value
        return np.asarray(items) if value.dtype.kind == "U" else np.asarray(items, dtype=value.dtype)
    if isinstance(value, list | tuple) and value:
        first = _changed(value[0])
        return None if first is None else type(value)([first, *value[1:]])
    if isinstance(value, dict) and value:
        k = next(iter(value))
        new = _changed(value[k])
        return None if new is None else {**value, k: new}
    return None


def _with(obj: Any, name: str, value: Any) -> Any:
    """A copy of a (frozen) dataclass with one field set, not validated again: the key must
    tell it apart whether or not the engine would accept it."""
    out = copy.copy(obj)
    object.__setattr__(out, name, value)
    return out


def _variants(obj: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """``obj`` with one field changed, for every field that can be changed (nested models included)."""
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            nested = [(p, obj.model_copy(update={name: v})) for p, v in _variants(value, f"{path}.{name}")]
            new = _changed(value)
            if new is not None:
                yield f"{path}.{name}", obj.model_copy(update={name: new})
            yield from nested
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            for p, v in _variants(value, f"{path}.{f.name}"):
                yield p, _with(obj, f.name, v)
            new = _changed(value)
            if new is not None:
                yield f"{path}.{f.name}", _with(obj, f.name, new)
    elif isinstance(obj, list) and obj and isinstance(obj[0], BaseModel):
        for p, v in _variants(obj[0], f"{path}[0]"):
            yield p, [v, *obj[1:]]


def test_equal_inputs_give_equal_keys_and_any_changed_field_another(plans: dict[str, Any]) -> None:
    aarhus = plans["aarhus"]
    targets, actions = list(aarhus.targets.all()), list(aarhus.actions.all())
    spec = engine_plans.engine_plan(aarhus, targets, actions)
    again = engine_plans.engine_plan(type(aarhus).objects.get(pk=aarhus.pk), targets, actions)
    assert again is not spec
    assert seam_cache.key("plan-results", again, 500) == seam_cache.key("plan-results", spec, 500)
    base = seam_cache.key("plan-results", spec, 500)
    assert seam_cache.key("plan-results", spec, 1000) != base
    assert seam_cache.key("plan-overview", spec, 500) != base
    seen = {}
    for path, variant in _variants(spec):
        seen[path] = seam_cache.key("plan-results", variant, 500)
        assert seen[path] != base, path
    assert {".name", ".horizon", ".targets[0].year", ".actions[0].effect.share", ".discount_rate"} <= set(seen)
    # The inventory records the plan carries in memory are inputs too, every column of them.
    records = spec.inventory.records
    assert isinstance(records, Inventory)
    for path, changed in _variants(records):
        variant = spec.model_copy(update={"inventory": spec.inventory.model_copy()})
        variant.inventory._records = changed
        assert seam_cache.key("plan-results", variant, 500) != base, path


def test_the_monitoring_inputs_key_changes_with_every_record(plan: Any) -> None:
    records = services.plan_records(plan)
    capf, data = engine_monitoring.engine_inputs(plan, records, date(2025, 12, 31))
    capf2, data2 = engine_monitoring.engine_inputs(plan, services.plan_records(plan), date(2025, 12, 31))
    assert seam_cache.key("plan-overview", capf2, data2) == seam_cache.key("plan-overview", capf, data)
    base = seam_cache.key("plan-overview", capf, data)
    variants = list(_variants(data))
    assert len(variants) > 10
    for path, variant in variants:
        assert seam_cache.key("plan-overview", capf, variant) != base, path


@pytest.fixture
def plan(db: None) -> Any:
    p = load(PASSING)
    services.import_monitoring_file(SYSTEM, p, MONITORING)
    return p


def test_inventory_uploads_reach_the_engine_in_memory(client_for: Any, orgs: dict[str, Any], users: dict[str, Any],
                                                      settings: Any, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The upload page and the API hand the file's bytes to the engine's reader: no file is
    written, and the Danish cells are read by the file's convention (``1.234,5`` = 1234.5 t)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    org = orgs["101"]
    danish = "organisation;år;sektor;gas;mængde;enhed\n101;2024;energy;CO2e;1.234,5;t CO2e\n".encode()
    client = client_for("editor-kbh")
    with no_file_written(monkeypatch):
        response = client.post(f"/inventory/upload/{org.pk}/", {"file": SimpleUploadedFile("kbh.csv", danish)})
    assert response.status_code == 302, response.content[:500]
    version = org.inventories.order_by("-number").first()
    assert version.records.get(year=2024, sector="energy").co2e_t == pytest.approx(1234.5)
    token = create_token(users["editor-kbh"], "seam test")[1]
    with no_file_written(monkeypatch):
        response = client.post(f"/api/organisations/{org.pk}/inventories",
                               {"file": SimpleUploadedFile("kbh2.csv", danish.replace(b"1.234,5", b"2.000,0"))},
                               HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content[:500]
    latest = org.inventories.order_by("-number").first()
    assert latest.records.get(year=2024, sector="energy").co2e_t == pytest.approx(2000.0)


def test_document_uploads_are_read_in_memory(client_for: Any, plans: dict[str, Any], settings: Any,
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An uploaded plan document (here a Word file) is read from its bytes: no file is written."""
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_DIR = tmp_path
    plan = plans["aarhus"]
    doc = docx.Document()
    doc.add_paragraph("Kommunen vil reducere udledningen af drivhusgasser med 70 procent i 2030 i forhold til 1990.")
    buf = io.BytesIO()
    doc.save(buf)
    client = client_for("editor-aarhus")
    with no_file_written(monkeypatch):
        response = client.post(f"/documents/plan/{plan.pk}/upload/",
                               {"file": SimpleUploadedFile("klimaplan.docx", buf.getvalue()), "provenance": ""})
    assert response.status_code == 302, response.content[:500]
    from nettonul.web.imports.models import SourceDocument

    document = SourceDocument.objects.get(plan=plan, filename="klimaplan.docx")
    values = sorted(c.found.get("value") for c in document.candidates.all() if c.kind == "target")
    assert values == [70.0]  # per cent, as the importer states it
