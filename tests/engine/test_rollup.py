"""The national and regional roll-up: sums equal their parts, a case worked by hand, and
random panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nettonul.engine.core.errors import ValidationError
from nettonul.engine.core.panel import Panel
from nettonul.engine.pathway.rollup import ASSUMED, BAU, STATED, read_targets, rollup
from nettonul.engine.pathway.targets import parse_targets
from nettonul.engine.reference import datasets

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def national() -> object:
    return rollup(assume_national=True)


def test_sums_equal_the_parts(national: object) -> None:
    r = national
    regions = r.by_region()
    assert len(r.codes) == 98
    assert len(regions) == 5
    for field in ("base", "last", "bau", "rolled"):
        assert sum(getattr(t, field) for t in regions.values()) == pytest.approx(getattr(r.totals(), field))
    assert r.contributions().sum() == pytest.approx(r.totals().last - r.totals().rolled)
    assert r.national_year == pytest.approx(r.totals().rolled / 1e6 + sum(b.year for b in r.bands))
    # nobody ends above business as usual, and every municipality is labelled
    assert np.all(r.rolled.sum(axis=1) <= r.bau.sum(axis=1) + 1e-6)
    assert set(r.labels) == {ASSUMED}


def test_national_frame_is_the_shipped_kf25() -> None:
    r = rollup()
    # KF25/CRF 1990: 79.18 Mt with LULUCF, 72.47 Mt without (methodology 9.2); 39.27 Mt in 2023
    assert r.national_base_incl_lulucf == pytest.approx(79.18)
    assert r.national_base_excl_lulucf == pytest.approx(72.47)
    assert r.national_last_excl_lulucf == pytest.approx(39.27)
    assert r.national_target_excl_lulucf == pytest.approx(0.3 * 72.47)
    assert r.totals().last == pytest.approx(34.04e6, rel=1e-3)  # the 98 in 2023
    assert set(r.labels) == {BAU}
    assert r.totals().rolled == pytest.approx(r.totals().bau)
    assert {b.crf for b in r.bands} >= {"1A1b", "1A1c", "1B2b", "1A3bx", "1A5bi", "5B2"}
    assert not any(b.crf.startswith("4") for b in r.bands)


def test_one_municipality_by_hand() -> None:
    # industry only, 100 t in 2023. Back-cast: 100 x N(1990)/N(2023); BAU 2030: 100 x N(2030)/N(2023);
    # -70 % in 2030: 0.3 x the back-cast 1990; the roll-up is the lower of target and BAU.
    s = datasets.national_sector_series()
    n = s.values[s.sectors.index("industry")]
    at = {y: n[y - 1990] for y in (1990, 2023, 2030)}
    years = np.arange(2018, 2024)
    values = np.full((1, 1, years.size), np.nan)
    values[0, 0, -1] = 100.0
    panel = Panel(("101",), ("industry",), years, values, unit="t_CO2e", gwp_set="AR5", framework="dk-municipal")
    r = rollup({"101": parse_targets(["2030:-70%@1990"])}, panel=panel)
    base = 100.0 * at[1990] / at[2023]
    bau = 100.0 * at[2030] / at[2023]
    assert r.base[0] == pytest.approx(base)
    assert r.bau[0, 0] == pytest.approx(bau)
    assert r.target_level[0] == pytest.approx(0.3 * base)
    assert r.rolled[0, 0] == pytest.approx(min(0.3 * base, bau))
    assert r.labels == (STATED,)
    assert r.totals().reduction == pytest.approx(1 - min(0.3 * base, bau) / base)


def test_targets_file(tmp_path: object) -> None:
    data = b"municipality,targets\nSams\xc3\xb8,2030:-70%@1990; netzero:2050\n101,2030:-80%@1990\n"
    t = read_targets(data, name="t.csv")
    assert set(t) == {"741", "101"}
    assert len(t["741"]) == 2
    r = rollup(t)
    assert r.labels[r.codes.index("741")] == STATED
    assert r.labels.count(STATED) == 2
    with pytest.raises(ValidationError) as bad:
        read_targets(b"municipality,targets\nSamso,2030:70%\n", name="bad.csv")
    assert [p.row for p in bad.value.problems] == [2]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(1.0, 1e6), min_size=3 * 5, max_size=3 * 5),
       st.lists(st.sampled_from(["A", "B"]), min_size=3, max_size=3),
       st.lists(st.booleans(), min_size=3, max_size=3))
def test_random_panels_add_up(vals: list[float], regions: list[str], with_target: list[bool]) -> None:
    codes = ("101", "147", "151")
    years = np.arange(2018, 2024)
    values = np.full((3, 5, years.size), np.nan)
    values[:, :, -1] = np.asarray(vals).reshape(3, 5)
    panel = Panel(codes, ("energy", "transport", "agriculture", "waste", "industry"), years, values,
                  unit="t_CO2e", gwp_set="AR5", framework="dk-municipal")
    targets = {c: parse_targets(["2030:-75%@1990"]) for c, w in zip(codes, with_target, strict=True) if w}
    r = rollup(targets, panel=panel, regions=dict(zip(codes, regions, strict=True)))
    parts = r.by_region()
    assert sum(t.rolled for t in parts.values()) == pytest.approx(r.totals().rolled)
    assert r.rolled.sum() == pytest.approx(r.totals().rolled)
    assert np.all(r.rolled.sum(axis=1) <= r.bau.sum(axis=1) * (1 + 1e-9))
    for i, w in enumerate(with_target):
        if w:
            assert r.rolled[i].sum() == pytest.approx(min(r.target_level[i], r.bau[i].sum()))
        else:
            assert r.rolled[i].sum() == pytest.approx(r.bau[i].sum())


def test_published_plans_come_first_then_targets_then_bau(tmp_path: Path) -> None:
    from nettonul.engine.pathway.rollup import PLAN
    from nettonul.engine.plan.sources import plan_scenario, plan_scenarios, read_plans

    plans = read_plans(EXAMPLES / "plans")
    assert set(plans) == {"741", "860"}
    scenarios = plan_scenarios(plans, 2030)
    # Samsø has a plan and a stated target: the plan wins; Aarhus has only a target
    r = rollup({"741": parse_targets(["2030:-90%@1990"]), "751": parse_targets(["2030:-70%@1990"])},
               plans=scenarios)
    i, j, k = r.codes.index("741"), r.codes.index("751"), r.codes.index("101")
    assert (r.labels[i], r.labels[j], r.labels[k]) == (PLAN, STATED, BAU)
    s = scenarios["741"]
    np.testing.assert_allclose(r.rolled[i], [s.sectors[x] for x in r.sectors])
    assert r.target_level[i] == pytest.approx(s.target)
    # the plan's scenario is its emissions with every action as planned, without LULUCF
    from nettonul.engine.plan.compile import compile_plan
    from nettonul.engine.plan.kernels import totals

    cp = compile_plan(plans["741"])
    whole = float(totals(cp)[0, 0, 2030 - int(cp.years[0])])
    # left out: the new forest's removal, 150 ha x 8 t/ha, half adopted in 2030 on its linear
    # ramp 2026-2035 (5 of 10 years)
    assert sum(s.sectors.values()) - whole == pytest.approx(150 * 8.0 * 0.5)
    assert "lulucf" not in s.sectors
    assert plan_scenario(plans["741"], 2030) == s
    # if every target is met: at most the target path, never above the own scenario
    met = r.met.sum(axis=1)
    assert met[i] == pytest.approx(min(s.target, r.rolled[i].sum()))
    assert np.all(met <= r.scenario.sum(axis=1) + 1e-6)
    h = r.headlines()
    assert h["with_plan"] == 2
    assert h["covered_reduction_if_targets_met"] >= h["covered_reduction"] - 1e-12
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.yaml").write_text("name: x\norganisation: Atlantis\n", encoding="utf-8")
    with pytest.raises(ValidationError):
        read_plans(bad)
