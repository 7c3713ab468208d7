"""``nettonul footprint``: report, peers and template, with the illustrative warning and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nettonul.cli import output
from nettonul.cli.main import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ministry"
ARGS = [str(EXAMPLE / "units.yaml"), "--activities", str(EXAMPLE / "illustrative_activities.csv"),
        "--factors", str(EXAMPLE / "illustrative_factors.csv")]


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as on a wide terminal: without a terminal (CI, xdist) rich would wrap at 80 columns.

    Patch the private ``_width`` (None by default) rather than the ``width`` property: undoing a
    patch of the property would pin every later test in this process to the width read here."""
    monkeypatch.setattr(output.console, "_width", 250)


def test_report_json_for_the_example_ministry() -> None:
    result = runner.invoke(app, ["footprint", *ARGS, "--year", "2024", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["illustrative"] is True
    assert data["year"] == 2024
    assert data["radiative_forcing"] == "radiative-forcing uplift for flights: off"
    root = data["units"][0]
    assert root["id"] == "mfa"
    total = root["years"]["2024"]["total"]
    assert total["total_location"] == pytest.approx(total["scope1"] + total["scope2_location"] + total["scope3"])
    assert total["total_market"] == pytest.approx(total["scope1"] + total["scope2_market"] + total["scope3"])
    posts = [u for u in data["units"] if u["parent"] == "front-posts"]
    assert len(posts) == 15
    # the ministry's own total is the sum of its units' own values
    own_sum = sum(u["years"]["2024"]["own"]["total_market"] for u in data["units"])
    assert total["total_market"] == pytest.approx(own_sum)
    assert any("ILLUSTRATIVE" in w for w in data["warnings"])


@pytest.mark.usefixtures("wide_console")
def test_report_table_shows_the_illustrative_warning_units_and_sources() -> None:
    result = runner.invoke(app, ["footprint", "report", *ARGS, "--by", "scope"])
    assert result.exit_code == 0, result.output
    assert "ILLUSTRATIVE" in result.stdout
    assert "Total with market-based scope 2" in result.stdout
    assert "t CO2e" in result.stdout
    assert "ILLUSTRATIVE - not a published factor (illustrative)" in result.stdout


@pytest.mark.usefixtures("wide_console")
def test_report_by_line_names_the_rule_and_factor_rows() -> None:
    result = runner.invoke(app, ["footprint", *ARGS, "--by", "line", "--json"])
    lines = json.loads(result.stdout)["lines"]
    rules = {ln["market_rule"] for ln in lines if ln["scope2_method"] == "market"}
    assert rules == {"contractual_instrument", "residual_mix", "location_fallback"}
    assert all(ln["factors"] and ln["sources"] for ln in lines)
    table = runner.invoke(app, ["footprint", *ARGS, "--by", "line"])
    assert table.exit_code == 0
    assert "residual_mix" in table.stdout


def test_radiative_forcing_raises_flights_only() -> None:
    off = json.loads(runner.invoke(app, ["footprint", *ARGS, "--json"]).stdout)
    on = json.loads(runner.invoke(app, ["footprint", *ARGS, "--radiative-forcing", "--json"]).stdout)
    assert on["radiative_forcing"].startswith("radiative-forcing uplift for flights: on, x2")
    c_off, c_on = off["categories"]["2024"], on["categories"]["2024"]
    assert c_on["scope3.06"] == pytest.approx(2 * c_off["scope3.06"])
    assert c_on["scope3.07"] == pytest.approx(c_off["scope3.07"])


def test_bad_factor_file_exits_2_with_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "factors.csv"
    bad.write_text("category,country,value,unit,year,source\n"
                   "electricity_grid,DK,0.2,kg CO2e/kWh,2024,\n"
                   "electricity_grid,VN,x,kg CO2e/kWh,2024,Agency\n", encoding="utf-8")
    result = runner.invoke(app, ["footprint", ARGS[0], "-a", ARGS[2], "-f", str(bad), "--json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert [(p["row"], p["column"]) for p in data["problems"]] == [(2, "source"), (3, "value")]
    plain = runner.invoke(app, ["footprint", ARGS[0], "-a", ARGS[2], "-f", str(bad)])
    assert plain.exit_code == 2
    assert "factors.csv, row 2, column 'source'" in plain.output


def test_missing_factor_exits_2(tmp_path: Path) -> None:
    factors = tmp_path / "only_dk.csv"
    factors.write_text("category,country,value,unit,year,source\n"
                       "electricity_grid,DK,0.2,kg CO2e/kWh,2024,Agency\n", encoding="utf-8")
    result = runner.invoke(app, ["footprint", ARGS[0], "-a", ARGS[2], "-f", str(factors), "--json"])
    assert result.exit_code == 2
    reasons = [p["reason"] for p in json.loads(result.stdout)["problems"]]
    assert any(r.startswith("no location-based grid factor for country VN in 2024") for r in reasons)


@pytest.mark.usefixtures("wide_console")
def test_peers_with_own_footprint() -> None:
    result = runner.invoke(app, ["footprint", "peers", str(EXAMPLE / "illustrative_peers.csv"), "--org", ARGS[0],
                                 "-a", ARGS[2], "-f", ARGS[4], "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["illustrative"] is True
    assert data["year"] == 2024
    names = [p["organisation"] for p in data["peers"]]
    assert "Ministry of Foreign Affairs (demo)" in names
    a = next(p for p in data["peers"] if p["organisation"] == "Illustrative foreign service A")
    # by hand from the file: 300 + 1500 + 11000 = 12800 t, 2400 FTE; 2019: 400 + 3000 + 15000 = 18400 t
    assert a["total_t_co2e"] == pytest.approx(12800)
    assert a["t_per_employee"] == pytest.approx(12800 / 2400)
    assert a["change_total_vs_base"] == pytest.approx(12800 / 18400 - 1)
    table = runner.invoke(app, ["footprint", "peers", str(EXAMPLE / "illustrative_peers.csv")])
    assert table.exit_code == 0
    assert "ILLUSTRATIVE" in table.stdout


def test_template_prints_the_documented_columns(tmp_path: Path) -> None:
    result = runner.invoke(app, ["footprint", "template", "factors"])
    assert result.exit_code == 0
    assert "factor_id,category,country,name" in result.stdout
    out = tmp_path / "activities.csv"
    assert runner.invoke(app, ["footprint", "template", "activities", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("org_unit,year,activity")
    assert runner.invoke(app, ["footprint", "template", "nonsense"]).exit_code == 2


def test_bad_by_option_exits_2() -> None:
    assert runner.invoke(app, ["footprint", *ARGS, "--by", "colour"]).exit_code == 2
