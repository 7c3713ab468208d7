"""Sections: numbered chapters in sequence, subsections, themes, and the fallback for articles."""

from __future__ import annotations

from typing import Any

from nettonul.documents import analyse_text
from nettonul.documents.sections import outline


def test_numbered_chapters_must_follow_on() -> None:
    text = "\n\n".join(["1. Indledning", "Tekst om planen.", "2. Energi", "Vi vil bygge vindmøller.",
                        "2.1 Fjernvarme", "Vi vil udbygge fjernvarmen.", "5. Et tal midt i teksten",
                        "3. Transport", "Vi vil bygge cykelstier.", "1. oktober holder vi møde"])
    shape = outline(text)
    assert [(s.title, s.number) for s in shape.sections] == [
        ("1. Indledning", "1"), ("2. Energi", "2"), ("2.1 Fjernvarme", "2.1"), ("3. Transport", "3")]
    energy, district_heating = shape.sections[1], shape.sections[2]
    assert energy.end == shape.sections[3].start      # a chapter runs to the next chapter
    assert district_heating.end == shape.sections[3].start
    assert shape.section_at(text.index("fjernvarmen")) == district_heating
    assert shape.section_at(text.index("cykelstier")).title == "3. Transport"


def test_chapter_words_number_sections_too() -> None:
    text = "\n\n".join(["Kapitel 1: Baggrund", "Tekst.", "Kapitel 2 Energi", "Vi vil bygge solceller.",
                        "Chapter 3 – Transport", "We will build bike lanes."])
    assert [s.title for s in outline(text).sections] == ["Kapitel 1: Baggrund", "Kapitel 2 Energi",
                                                         "Chapter 3 – Transport"]


def test_themes_are_the_headings_inside_a_chapter() -> None:
    text = "\n\n".join(["1. Klima", "Grøn omstilling i byen", "Vi vil plante træer.", "2. Trafik", "Vi vil cykle."])
    result = analyse_text(text)
    assert [(c.section, c.theme) for c in result.commitments] == [
        ("1. Klima", "Grøn omstilling i byen"), ("2. Trafik", None)]


def test_an_article_without_numbers_gets_its_headings_as_sections() -> None:
    text = "\n\n".join(["Kommunerne går foran", "Første afsnit om klima.", "Sønderborg som rollemodel",
                        "Sønderborg Kommune vil bygge vindmøller."])
    result = analyse_text(text)
    assert [s.title for s in result.sections] == ["Kommunerne går foran", "Sønderborg som rollemodel"]
    assert result.commitments[0].section == "Sønderborg som rollemodel"


def test_corpus_chapters(annotations: dict[str, Any], corpus_result: Any) -> None:
    result = corpus_result("strategy_pdf_extract_part1.txt")
    assert [s.title for s in result.sections] == annotations["strategy_pdf_extract_part1.txt"]["sections"]
    assert result.sections[0].start == 0
    assert result.sections[-1].end == len(result.text)
    for a, b in zip(result.sections, result.sections[1:], strict=False):
        assert a.end == b.start
    assert {t.section for t in result.targets} == {"1. Forord"}
