"""Organisation-unit trees: loading, validation, roll-up sums and permissions between units."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nettonul.engine.core.errors import UnknownOrganisationError, ValidationError
from nettonul.engine.footprint.orgunits import OrgTree, OrgUnit, load_org_tree

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ministry" / "units.yaml"

TREE_YAML = """\
organisation: Test ministry
units:
  - {id: mfa, name: Ministry, kind: ministry, country: DK}
  - {id: hq, name: Headquarters, kind: department, country: DK, parent: mfa, employees: 100, floor_area_m2: 2000}
  - {id: posts, name: Front posts, kind: group, country: dk, parent: mfa}
  - {id: hanoi, name: Embassy in Hanoi, kind: embassy, country: VN, parent: posts, employees: {2023: 9, 2024: 10}}
  - {id: paris, name: Embassy in Paris, kind: embassy, country: FR, parent: posts, employees: 20}
"""


@pytest.fixture
def tree(tmp_path: Path) -> OrgTree:
    path = tmp_path / "units.yaml"
    path.write_text(TREE_YAML, encoding="utf-8")
    return load_org_tree(path)


def test_yaml_tree_is_ordered_parents_first_with_ancestors(tree: OrgTree) -> None:
    assert tree.ids == ("mfa", "hq", "posts", "hanoi", "paris")
    assert tree.organisation == "Test ministry"
    assert tree.unit("posts").country == "DK"  # normalised to upper case
    assert tree.children("posts") == ("hanoi", "paris")
    assert tree.ancestors("hanoi") == ("posts", "mfa")
    assert tree.subtree("posts") == ("posts", "hanoi", "paris")
    assert set(tree.leaves()) == {"hq", "hanoi", "paris"}
    assert tree.depth.tolist() == [0, 1, 1, 2, 2]


def test_rollup_unit_total_is_own_plus_descendants(tree: OrgTree) -> None:
    own = np.array([1.0, 10.0, 0.0, 3.0, 4.0])
    # by hand: posts = 0 + 3 + 4 = 7; mfa = 1 + 10 + 7 = 18; leaves keep their own value
    assert tree.rollup(own).tolist() == [18.0, 10.0, 7.0, 3.0, 4.0]


def test_rollup_keeps_trailing_axes(tree: OrgTree) -> None:
    own = np.arange(5 * 2 * 3, dtype=float).reshape(5, 2, 3)
    rolled = tree.rollup(own)
    assert rolled.shape == (5, 2, 3)
    np.testing.assert_allclose(rolled[0], own.sum(axis=0))
    np.testing.assert_allclose(rolled[2], own[2] + own[3] + own[4])


def test_rollup_rejects_wrong_length(tree: OrgTree) -> None:
    with pytest.raises(ValueError, match="5 units"):
        tree.rollup(np.zeros(4))


def test_employees_per_year_fall_back_to_overall_figure(tree: OrgTree) -> None:
    e2024 = tree.employees(2024)
    assert np.isnan(e2024[0])
    assert np.isnan(e2024[2])
    assert e2024[[1, 3, 4]].tolist() == [100.0, 10.0, 20.0]
    assert tree.employees(2023)[3] == 9.0
    assert np.isnan(tree.employees(2022)[3])  # per-year only: no figure for 2022
    # NaN-aware roll-up: the ministry has 100 + 10 + 20 FTE, the posts 30
    assert tree.rollup_known(e2024).tolist()[:3] == [130.0, 100.0, 30.0]


def test_csv_tree_with_yearly_columns(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text(
        "# a comment line\n"
        "id;name;kind;country;parent;employees;employees_2024;floor_area_m2\n"
        "m;Ministry;ministry;DK;;;;\n"
        "e;Embassy;embassy;KE;m;40;42;1000\n",
        encoding="utf-8",
    )
    tree = load_org_tree(path)
    assert tree.unit("e").employees_in(2024) == 42.0
    assert tree.unit("e").employees_in(2023) == 40.0
    assert tree.unit("e").floor_area_in(2023) == 1000.0


def test_validation_lists_every_problem_with_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,name,kind,country,parent,employees\n"
        "m,Ministry,ministry,DK,,\n"       # row 2
        "a,A,embassy,DK,nowhere,\n"        # row 3: unknown parent
        "a,A again,embassy,DK,m,\n"        # row 4: duplicate id
        "b,B,palace,Denmark,m,-3\n",       # row 5: kind, country, negative
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_org_tree(path)
    problems = {(p.row, p.column) for p in info.value.problems}
    assert {(5, "kind"), (5, "country"), (5, "employees")} <= problems
    assert "nothing was imported" in str(info.value)
    # structural checks run once the rows themselves are clean
    path.write_text(
        "id,name,kind,country,parent\n"
        "m,Ministry,ministry,DK,\n"
        "a,A,embassy,DK,nowhere\n"
        "a,A again,embassy,DK,m\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_org_tree(path)
    reasons = [str(p) for p in info.value.problems]
    assert any("row 3, column 'parent': unknown parent 'nowhere'" in r for r in reasons)
    assert any("row 4, column 'id': duplicate id 'a' (first on row 3)" in r for r in reasons)


def test_cycles_and_second_roots_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cycle.csv"
    path.write_text(
        "id,name,kind,country,parent\n"
        "m,Ministry,ministry,DK,\n"
        "x,X,department,DK,y\n"
        "y,Y,department,DK,x\n"
        "z,Z,agency,DK,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        load_org_tree(path)
    reasons = [p.reason for p in info.value.problems]
    assert sum("cycle of parents: x -> y -> x" in r for r in reasons) == 1
    assert any("'z' has no parent but 'm' is already the root" in r for r in reasons)


def test_unknown_yaml_field_and_unknown_unit_lookup(tmp_path: Path, tree: OrgTree) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text("units:\n  - {id: m, name: M, kind: ministry, country: DK, employes: 3}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="employes"):
        load_org_tree(path)
    with pytest.raises(UnknownOrganisationError, match="no organisation unit 'oslo'"):
        tree.index("oslo")


def test_editor_of_a_unit_edits_its_subtree_and_nothing_else(tree: OrgTree) -> None:
    assert tree.editable_units(["posts"]) == {"posts", "hanoi", "paris"}
    assert tree.can_edit(["hanoi"], "hanoi")
    assert not tree.can_edit(["hanoi"], "paris")      # a sibling embassy
    assert not tree.can_edit(["hanoi"], "posts")      # its parent
    assert not tree.can_edit(["posts"], "hq")         # another branch
    assert not tree.can_edit(["hq"], "mfa")
    assert tree.can_edit(["mfa"], "paris")            # the ministry's editor reaches everything
    assert not tree.can_edit(["hanoi"], "unknown-unit")
    assert tree.editable_units([]) == frozenset()


def test_tree_built_from_units_directly() -> None:
    tree = OrgTree([OrgUnit("b", "B", "embassy", "FR", parent="a"), OrgUnit("a", "A", "ministry", "DK")])
    assert tree.ids == ("a", "b")
    assert tree.root.id == "a"


def test_example_ministry_has_headquarters_and_fifteen_front_posts() -> None:
    tree = load_org_tree(EXAMPLE)
    posts = tree.children("front-posts")
    assert len(posts) == 15
    countries = sorted(tree.unit(p).country for p in posts)
    assert countries == sorted(["AE", "CN", "DE", "VN", "ID", "MX", "KE", "IN", "FR", "ZA", "KR", "JP", "US",
                                "US", "BE"])
    assert tree.unit("un-new-york").kind == "mission"
    assert tree.unit("eu-brussels").kind == "representation"
    assert tree.illustrative


def test_a_windows_1252_csv_is_read_like_every_other_user_table(tmp_path: Path) -> None:
    # Danish Excel's plain "CSV" export is Windows-1252; every table reader falls back to it.
    path = tmp_path / "units.csv"
    path.write_bytes("id,name,kind,country,parent\nm,Udenrigsministeriet,ministry,DK,\n"
                     "e,Ambassade i K\xf8benhavn,embassy,DK,m\n".encode("cp1252"))
    assert load_org_tree(path).unit("e").name == "Ambassade i København"


def test_numbers_written_as_text_in_yaml_follow_the_file_convention(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "units:\n"
        "  - {id: m, name: M, kind: ministry, country: DK, employees: '15.100', floor_area_m2: '0,5'}\n"
        "  - {id: e, name: E, kind: embassy, country: VN, parent: m, employees: {2024: '1.234,5'}}\n",
        encoding="utf-8",
    )
    tree = load_org_tree(path)  # '0,5' can only be Danish, so '15.100' is fifteen thousand one hundred
    assert tree.unit("m").employees == 15100.0
    assert tree.unit("m").floor_area_m2 == 0.5
    assert tree.unit("e").employees_in(2024) == 1234.5
    path.write_text("units:\n  - {id: m, name: M, kind: ministry, country: DK, employees: '15.100'}\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot tell how these numbers are written"):
        load_org_tree(path)  # nothing decides between 15100 and 15.1
