"""Result types: the exact JSON of the CLI, the full dictionaries and stable ids."""

from __future__ import annotations

from nettonul.documents import analyse_text

TEXT = ("1. Klima\n\nKommunen skal være klimaneutral senest i 2040. Vi vil udbygge fjernvarmen.\n\n"
        "2. Verdensmål\n\nVi vil arbejde med verdensmål 11 – ansvarligt forbrug og produktion.")


def test_json_has_exactly_the_documented_keys() -> None:
    data = analyse_text(TEXT, source="plan.txt").to_json()
    assert list(data) == ["source", "language", "sections", "targets", "commitments", "text"]
    assert set(data["sections"][0]) == {"title", "start", "end"}
    # the original keys first and unchanged, then the ones added for owner, restatements and tables
    assert list(data["targets"][0]) == ["subject", "kind", "value", "unit", "base_year", "target_year", "qualifier",
                                        "quote", "section", "start", "end", "id", "owner", "context", "variant",
                                        "relative", "mentions", "table"]
    assert list(data["commitments"][0]) == ["text", "quote", "section", "sector", "sdgs", "start", "end", "id"]
    target = data["targets"][0]
    assert target["context"] is False
    assert target["variant"] == "climate_neutral"
    assert target["table"] is None
    assert target["mentions"] == [{"quote": target["quote"], "start": target["start"], "end": target["end"],
                                   "section": "1. Klima"}]
    assert data["source"] == "plan.txt"
    assert data["language"] == "da"


def test_full_dictionaries_carry_ids_reasons_mentions_and_notes() -> None:
    result = analyse_text(TEXT)
    data = result.to_dict()
    assert data["targets"][0]["id"] == result.targets[0].id == f"t{result.targets[0].start}-{result.targets[0].end}"
    assert data["targets"][0]["why"].startswith("net zero")
    assert data["commitments"][0]["sector_tags"][0]["code"] == "energy"
    assert data["sdg_mentions"][0]["conflict"] is True
    assert data["notes"] == [result.sdg_mentions[0].message()]
    assert data["commitments"][1]["flags"]


def test_ids_are_stable_across_imports() -> None:
    first, second = analyse_text(TEXT), analyse_text(TEXT)
    assert [t.id for t in first.targets] == [t.id for t in second.targets]
    assert [c.id for c in first.commitments] == [c.id for c in second.commitments]
    ids = [c.id for c in first.commitments] + [t.id for t in first.targets]
    assert len(ids) == len(set(ids))
