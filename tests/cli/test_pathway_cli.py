"""``nettonul pathway``: one municipality, all 98, JSON, chart and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nettonul.cli.main import app

runner = CliRunner()


def _json(args: list[str]) -> dict:
    result = runner.invoke(app, ["pathway", *args, "--json"])
    assert result.exit_code == 0, result.stdout
    return json.loads(result.stdout)


def test_copenhagen_json_with_a_figure_checked_by_hand() -> None:
    data = _json(["København"])
    assert data["organisation"] == "101"
    assert data["name"] == "København"
    assert data["unit"] == "t_CO2e"
    assert data["years"][0] == 1990
    assert data["years"][-1] == 2050
    # København energy 2018-2023 (Energi- og CO2-regnskab), t: 1,279,927.9 + 1,094,144.7 + 793,373.1 +
    # 643,126.1 + 667,765.2 + 542,431.0. KF25 energy sector (1A1a+1A1ax+1A2+1A4ai+1A4bi+1A4ci + mobile
    # machinery), Mt: 82.77 over 2018-2023 and 39.81 in 1990; with 1A1a smoothed (centred 5-year mean,
    # 2018-2023: 7.01, 5.944, 5.348, 4.418, 4.24, 4.2867 instead of 29.89 in all; 1990: 28.4833 instead
    # of 24.37): 84.1267 and 43.9233. The reconciliation factor for energy is worked out from the 98
    # in tests/engine/test_backcast.py (0.793).
    from nettonul.engine.inventory.backcast import reconciliation_factors

    municipal = 1_279_927.9 + 1_094_144.7 + 793_373.1 + 643_126.1 + 667_765.2 + 542_431.0
    national = 82.77 - 29.89 + (7.01 + 5.944 + 5.348 + 4.418 + 4.24 + (4.95 + 4.76 + 3.15) / 3)
    energy_1990 = data["historical"]["by_sector"]["energy"][0]
    factor = reconciliation_factors(1990)["energy"]
    assert factor == pytest.approx(0.793, abs=0.001)
    assert energy_1990 == pytest.approx(factor * municipal / national * (39.81 - 24.37 + 28.4833), rel=1e-4)
    band = data["base_year_estimate"]
    assert band["estimated"] is True
    assert band["low"] < data["historical"]["total"][0] < band["high"]
    assert data["historical"]["estimated"][0] is True
    assert data["historical"]["estimated"][2018 - 1990] is False
    # The 2023 total is the published one (sum of the five sectors).
    assert data["historical"]["total"][2023 - 1990] == pytest.approx(867_436.9, abs=0.5)
    milestones = {m["year"]: m for m in data["target_path"]["milestones"]}
    assert milestones[2030]["target"] == "-70% in 2030 vs 1990"
    assert milestones[2030]["target_level"] == pytest.approx(0.3 * data["historical"]["total"][0])
    assert milestones[2050]["path_value"] == 0
    assert data["target_path"]["values"][-1] == 0
    assert data["gap"][-1] == pytest.approx(data["bau"]["total"][-1])
    assert any("Energi- og CO2-regnskab" in s for s in data["sources"])
    assert any("KF25" in s for s in data["sources"])
    assert any("back-cast by the national sector index" in n for n in data["notes"])


def test_table_shows_estimates_units_and_sources() -> None:
    result = runner.invoke(app, ["pathway", "101"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stdout
    out = result.stdout
    assert "København (101): emissions pathway 1990-2050" in out
    assert "estimate" in out
    assert "2,530,243*" in out  # the 1990 total, marked as an estimate
    # the 1990 band over single anchor years (the line may wrap in a narrow console)
    assert ("Emissions 1990: 2,530,243 (estimate, band 2,024,908-3,119,991 over single anchor years 2018-2023)"
            in " ".join(out.split()))
    assert "Unit: t CO2e" in out
    assert "Sources:" in out
    assert "-70% in 2030 vs 1990" in out
    assert "Carbon budget of the path 2023-2050" in out
    assert "Per inhabitant 2023: 1.33 t CO2e/person (population 653,664" in out  # 867,436.9 / 653,664
    assert "FOLK1A" in out


def test_custom_targets_shape_and_baseline() -> None:
    data = _json(["561", "-t", "2030:-70%@1990", "-t", "netzero:2045", "--shape", "constant-rate",
                  "--baseline", "frozen", "--trend", "transport:-2"])
    assert [m["year"] for m in data["target_path"]["milestones"]] == [2030, 2045]
    assert data["bau"]["method"] == "frozen"
    assert data["target_path"]["linear_fallback"] == [False, True]
    assert any("held flat" in n for n in data["notes"])


def test_anchor_year_and_trapezoid_budget() -> None:
    data = _json(["101", "--anchor-year", "2020", "--budget", "trapezoid"])
    assert data["anchor_year"] == 2020
    assert data["budget"]["method"] == "trapezoid"
    assert data["budget"]["from"] == 2020
    total = data["historical"]["total"]
    i = 2020 - 1990
    # Used 2020-2023 by the trapezoid rule, from the published totals.
    used = sum((total[i + k] + total[i + k + 1]) / 2 for k in range(3))
    assert data["budget"]["used"] == pytest.approx(used)
    assert data["target_path"]["values"][i] == pytest.approx(total[i])


def test_all_municipalities() -> None:
    data = _json(["all"])
    rows = data["municipalities"]
    assert len(rows) == 98
    assert rows[0]["code"] == "101"
    assert rows[0]["name"] == "København"
    assert {"gap_2030", "gap_2050", "remaining_budget", "emissions_1990_estimated"} <= set(rows[0])
    table = runner.invoke(app, ["pathway", "all"], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    assert "Pathways of the 98 municipalities" in table.stdout
    assert "Læsø" in table.stdout


def test_chart_is_an_svg(tmp_path: Path) -> None:
    out = tmp_path / "kbh.svg"
    result = runner.invoke(app, ["pathway", "København", "--chart", str(out)])
    assert result.exit_code == 0, result.stdout
    svg = out.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "København (101): emissions pathway (kt CO2e, AR5)" in svg
    assert "Back-cast (estimate)" in svg
    assert "Target path (linear)" in svg
    assert "Sources: Energistyrelsen" in svg


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["101", "-t", "2030:70%"], "with its sign"),
        (["Atlantis"], "no Danish municipality matches 'Atlantis'"),
        (["all", "--chart", "x.svg"], "--chart draws one organisation"),
        (["101", "--baseline", "magic"], "--baseline 'magic'"),
        (["101", "--shape", "cubic"], "--shape 'cubic'"),
        (["101", "--budget", "simpson"], "--budget 'simpson'"),
        (["101", "--anchor-year", "2024"], "anchor year 2024"),
        (["101", "--trend", "transport"], "trend 'transport'"),
        (["101", "-t", "netzero:2060"], "after the end year"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["pathway", *args, "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert message in data["error"]


def test_reference_check_is_labelled_unverified() -> None:
    data = _json(["101", "--reference-check"])["deadline2020"]
    assert data["path_within_reference"] is True
    assert data["peaked"] is True
    assert "contraction_convergence.convergence_year" in data["unverified_parameters"]
    result = runner.invoke(app, ["pathway", "101", "--reference-check"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Deadline-2020-style reference check" in result.stdout
    assert "Unverified parameters" in result.stdout


def test_chart_that_cannot_be_written(tmp_path: Path) -> None:
    result = runner.invoke(app, ["pathway", "101", "--chart", str(tmp_path / "missing" / "x.svg")])
    assert result.exit_code == 2  # a folder that does not exist: bad input
    assert "cannot write the chart" in result.stderr


@pytest.mark.parametrize("args", [["101"], ["all"]])
def test_narrow_terminals_never_cut_numbers(args: list[str]) -> None:
    result = runner.invoke(app, ["pathway", *args], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    assert "…" not in result.stdout
    assert "2,530,243*" in result.stdout  # København 1990, whole
    assert "too narrow" in result.stdout
