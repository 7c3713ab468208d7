"""Land use (LULUCF) as a sector a user uploads (methodology §9.1): the template, a plan's
``inventory.land_use`` file joining its inventory, and what is said where land use is missing.

Hand figures: the template holds 1,200 ha x 30 t CO2e/ha = 36,000 t of lowland soils and a
forest sink of -2,500 t (mineral soils NE), 33,500 t in all. Middelfart's illustrative file is
800 ha x 30 - 9,000 + 1,000 = 16,000 t; Hjørring's 3,000 ha x 30 = 90,000 t.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from nettonul.engine.check import run_check
from nettonul.engine.check.context import build_context
from nettonul.engine.core.errors import SpecError
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.plan.compile import NO_LAND_USE, compile_plan
from nettonul.engine.plan.scenario import evaluate
from nettonul.engine.plan.sections import CapfPlan, load_capf_plan
from nettonul.engine.plan.spec import load_plan

ROOT = Path(__file__).resolve().parents[2] / "examples"
TEMPLATE = ROOT / "inventories" / "land-use-template.csv"
MIDDELFART = ROOT / "check" / "middelfart_plan.yaml"


def test_the_template_reads_the_same_from_csv_and_excel_and_names_a_source_on_every_row() -> None:
    csv_inv = read_inventory(TEMPLATE)
    xlsx_inv = read_inventory(TEMPLATE.with_suffix(".xlsx"))
    for inv in (csv_inv, xlsx_inv):
        panel = inv.to_panel("top")
        assert panel.sectors == ("lulucf",)
        assert panel.values[0, 0, -1] == pytest.approx(1_200 * 30 - 2_500)
        given = inv.to_panel("given")
        assert set(given.sectors) == {"lulucf.lowland_soils", "lulucf.forest", "lulucf.mineral_soils"}
        assert np.isnan(given.values[0, given.sector_index("lulucf.mineral_soils"), -1])  # NE
    assert all(r["source"] for r in csv_inv.to_rows())
    assert "illustrative" in TEMPLATE.read_text("utf-8").lower()


def test_a_plan_s_land_use_file_joins_its_inventory_and_is_held_flat() -> None:
    cp = compile_plan(load_plan(MIDDELFART))
    s = cp.sectors.index("lulucf")
    bau = evaluate(cp).by_sector(evaluate(cp).bau_rows)[0, s]
    np.testing.assert_allclose(bau, 800 * 30 - 9_000 + 1_000)  # held at the 2023 level to 2050
    assert any("held at its 2023 level" in n for n in cp.notes)
    assert NO_LAND_USE not in cp.notes


def _without_land_use(tmp_path: Path, **inventory: object) -> Path:
    data = yaml.safe_load(MIDDELFART.read_text("utf-8"))
    data["inventory"].pop("land_use")
    data["inventory"].update(inventory)
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_without_land_use_the_plan_says_so_and_removals_do_not_count(tmp_path: Path) -> None:
    capf = load_capf_plan(_without_land_use(tmp_path))
    assert NO_LAND_USE in compile_plan(capf.plan).notes
    result = run_check(capf, context=build_context(capf))
    # agriculture 85,660.7 of 263,159.8 t = 32.55 %, above 20 %: land use must be counted
    assert result.get("INV-2").result == "fail"
    assert result.get("PTH-6").message.startswith("Removals of 52 kt are credited in 2050, but the inventory has "
                                                  "no land use (LULUCF)")


def test_a_land_use_file_must_hold_land_use_for_the_organisation(tmp_path: Path) -> None:
    other = tmp_path / "land.csv"
    other.write_text("organisation,year,sector,gas,amount,unit\n410,2023,waste,CO2e,10,t CO2e\n", encoding="utf-8")
    plan = load_plan(_without_land_use(tmp_path, land_use=str(other)))
    with pytest.raises(SpecError, match="must hold only land-use records"):
        compile_plan(plan)
    early = tmp_path / "early.csv"
    early.write_text("organisation,year,sector,gas,amount,unit\n410,2020,lulucf.forest,CO2e,-10,t CO2e\n",
                     encoding="utf-8")
    # an older land-use inventory is held at its last level up to the inventory year, and says so
    held = compile_plan(load_plan(_without_land_use(tmp_path, land_use=str(early))))
    assert evaluate(held).bau[0, 0] == pytest.approx(263_159.8 - 10, abs=0.5)
    assert any("held at its 2020 level after it" in n for n in held.notes)
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("organisation,year,sector,gas,amount,unit\n101,2023,lulucf.forest,CO2e,-10,t CO2e\n",
                         encoding="utf-8")
    with pytest.raises(SpecError, match="has no records for 410"):
        compile_plan(load_plan(_without_land_use(tmp_path, land_use=str(elsewhere))))


def test_an_earlier_land_use_year_is_held_back_to_1990_in_the_target_reference(tmp_path: Path) -> None:
    """The 1990 reference includes land use at the file's earliest level (an assumption said in
    the notes), not an index of the national LULUCF net."""
    with_land = build_context(load_capf_plan(MIDDELFART))
    without = build_context(load_capf_plan(_without_land_use(tmp_path)))
    assert with_land.reference_1990 is not None
    assert without.reference_1990 is not None
    assert with_land.reference_1990 - without.reference_1990 == pytest.approx(16_000)


def test_hjoerring_lowland_soils_come_from_its_land_use_inventory_not_agriculture() -> None:
    plan = load_plan(ROOT / "plans" / "hjoerring.yaml")
    assert "lowland_soils" not in {r.carrier for r in plan.activity["agriculture"]}
    assert plan.inventory.land_use is not None
    assert "ILLUSTRATIVE" in Path(plan.inventory.land_use).read_text("utf-8")
    cp = compile_plan(plan)
    r = next(i for i, row in enumerate(cp.rows) if (row.sector, row.carrier) == ("lulucf", "lowland_soils"))
    assert evaluate(cp).bau_rows[0, r, 0] == pytest.approx(3_000 * 30)
    capf = CapfPlan.of(plan, "hjoerring.yaml")
    assert run_check(capf, context=build_context(capf)).get("INV-2").result == "pass"
