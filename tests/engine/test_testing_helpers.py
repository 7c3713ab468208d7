"""``nettonul.engine.testing``: the example fixtures load, and ``assert_pathway_close`` tells
equal pathways from different ones, naming the series, organisation and year."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nettonul.engine.pathway.pathway import PathwaySpec, compute_pathway
from nettonul.engine.pathway.targets import NetZero, Reduction
from nettonul.engine.testing import assert_pathway_close, example_inventory, example_path, example_plan


def test_example_fixtures() -> None:
    inv = example_inventory()
    assert set(inv.org.tolist()) == {"eksempelby"}
    assert example_plan().organisation == "741"  # Samsø's kommunekode
    assert example_path("check", "middelfart_plan.yaml").is_file()
    with pytest.raises(FileNotFoundError, match=r"no shipped example plans/nowhere\.yaml"):
        example_path("plans", "nowhere.yaml")


def test_assert_pathway_close() -> None:
    panel = example_inventory().by_sector("top")
    spec = PathwaySpec(targets=(Reduction(2030, 0.7, 1990), NetZero(2050)), baseline="kf25")
    p = compute_pathway(panel, spec)
    assert_pathway_close(p, compute_pathway(panel, spec))  # deterministic: the same inputs, the same pathway

    bau = p.bau_total.copy()
    i = int(np.nonzero(p.years == 2040)[0][0])
    bau[0, i] += 1.0  # one tonne more in 2040
    changed = dataclasses.replace(p, bau_total=bau)
    with pytest.raises(AssertionError, match="bau_total differs for organisation eksempelby, year 2040"):
        assert_pathway_close(changed, p)
    assert_pathway_close(changed, p, atol=1.0 + 1e-9, rtol=0.0)  # within an explicit tolerance
