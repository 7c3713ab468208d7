"""The report snapshot is frozen: later edits of its inputs cannot change it or its digest."""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
import sys

import pytest

from nettonul.reports.build import ReportInputs, build_snapshot, inputs_from_plan
from nettonul.reports.snapshot import Snapshot, SnapshotError

from .conftest import ISSUED


def test_editing_inputs_after_building_changes_nothing(inputs: ReportInputs) -> None:
    mine = copy.deepcopy(inputs)
    snap = build_snapshot(mine, ISSUED)
    text, digest = snap.text, snap.digest
    mine.historical[-1] = 0.0
    mine.actions[0]["state"] = "completed"
    mine.check["en"]["verdict"] = "fail"
    mine.plan["name"] = "edited"
    assert (snap.text, snap.digest) == (text, digest)
    assert snap.content["plan"]["name"] != "edited"


def test_mutating_the_content_returned_changes_nothing(snapshot: Snapshot) -> None:
    content = snapshot.content
    content["key_figures"]["latest"] = 1.0
    assert snapshot.content["key_figures"]["latest"] != 1.0
    assert hashlib.sha256(snapshot.text.encode("utf-8")).hexdigest() == snapshot.digest


def test_editing_the_plan_after_issue_leaves_the_issued_snapshot_alone(capf: object, monitoring: object,
                                                                        snapshot: Snapshot) -> None:
    from dataclasses import replace

    before = snapshot.digest
    edited_plan = capf.plan.model_copy(update={"name": "Revised plan"})  # type: ignore[attr-defined]
    revised = build_snapshot(inputs_from_plan(replace(capf, plan=edited_plan), 2025, monitoring), ISSUED)  # type: ignore[arg-type,type-var]
    assert revised.digest != before
    assert snapshot.digest == before
    assert snapshot.content["plan"]["name"] == "Klimaplan for Middelfart (illustrative example)"


def test_same_inputs_give_the_same_digest(inputs: ReportInputs, snapshot: Snapshot) -> None:
    assert build_snapshot(inputs, ISSUED).digest == snapshot.digest


def test_json_round_trip_and_tamper_detection(snapshot: Snapshot) -> None:
    assert Snapshot.from_json(snapshot.to_json()) == snapshot
    data = json.loads(snapshot.to_json())
    data["snapshot"]["key_figures"]["latest"] = 1.0
    with pytest.raises(SnapshotError, match="changed after issue"):
        Snapshot.from_json(json.dumps(data))


def test_key_figures_match_the_shipped_inventory(snapshot: Snapshot) -> None:
    k = snapshot.content["key_figures"]
    # Middelfart 2023, Energi- og CO2-regnskab: 62,693.6 + 108,730.1 + 85,660.7 + 3,626.8 + 2,448.8 t,
    # plus the example's illustrative land-use inventory: 800 ha x 30 t/ha - 9,000 + 1,000 = 16,000 t
    assert k["last_inventory_year"] == 2023
    assert k["latest"] == pytest.approx(263160.0 + 16000.0, abs=0.1)
    assert k["next_target"]["year"] == 2030
    assert k["next_target"]["level"] == pytest.approx(0.3 * k["base_1990"])
    # the rewetting action has no status report in the monitoring example: stale
    assert k["action_states"] == {"completed": 1, "late": 1, "not_started": 1, "on_track": 6, "stale": 2}
    assert snapshot.content["issued"] == "2026-01-15"
    assert snapshot.content["illustrative"] is True


def test_the_reports_package_is_pure() -> None:
    code = ("import sys, nettonul.reports.build, nettonul.reports.pdf, nettonul.reports.excel; "
            "print(any(m == 'django' or m.startswith(('django.', 'nettonul.web', 'nettonul.cli')) "
            "for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
