"""Cleaning: hyphenation, punctuation, page furniture, paragraphs and web chrome."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.documents.cleaning import clean, fix_punctuation_spacing

STRATEGY = "strategy_pdf_extract_part1.txt"
NEWS = "news_dk2020_export.txt"


@pytest.mark.parametrize(("raw", "expected"), [
    ("Vi skal sikre forsy-\nningskæder mod brud.", "Vi skal sikre forsyningskæder mod brud."),
    ("Regeringen vil styrke udenrigs-\nog sikkerhedspolitikken.",
     "Regeringen vil styrke udenrigs- og sikkerhedspolitikken."),
    ("Vi kæmper for ytrings- og tros-\nfrihed overalt.", "Vi kæmper for ytrings- og trosfrihed overalt."),
    ("Kommunen vil sænke CO2-\nudledningen fra bygninger.", "Kommunen vil sænke CO2-udledningen fra bygninger."),
    ("Samarbejdet i Indo-\nPacific skal styrkes.", "Samarbejdet i Indo-Pacific skal styrkes."),
    ("The plan needs imple-\nmentation by the council.", "The plan needs implementation by the council."),
    ("We support short- and long-term action.", "We support short- and long-term action."),
    ("Vi har brug for el- og varmeforsyning samt cykel- eller gangstier.",
     "Vi har brug for el- og varmeforsyning samt cykel- eller gangstier."),
    # a word broken across a page break (blank lines) is joined too
    ("Vi vil styrke partnerskaber med Japan, Indi-\n\nen og Sydkorea.",
     "Vi vil styrke partnerskaber med Japan, Indien og Sydkorea."),
    # text that was already joined with spaces: the same rule applies inside a line
    ("Vi skal sikre forsy- ningskæder og udviklings- og fredsindsatser.",
     "Vi skal sikre forsyningskæder og udviklings- og fredsindsatser."),
])
def test_hyphenation_is_repaired_and_suspended_hyphens_kept(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_a_hyphen_the_document_itself_uses_is_kept() -> None:
    raw = "A well-known rule.\n\nAnother well-\nknown rule applies."
    assert clean(raw) == "A well-known rule.\n\nAnother well-known rule applies."


@pytest.mark.parametrize(("line", "expected"), [
    ("forsyningskæder . Demokrati er på retur .", "forsyningskæder. Demokrati er på retur."),
    ("1,5 mia . kr . til en kapacitetspakke", "1,5 mia. kr. til en kapacitetspakke"),
    ("bl .a . russisk militær opbygning", "bl.a. russisk militær opbygning"),
    ("hvad vi kæmper for , og hvorfor ; og hvordan !", "hvad vi kæmper for, og hvorfor; og hvordan!"),
    ("Det koster 3 - 4 mio. kr.", "Det koster 3 - 4 mio. kr."),
])
def test_spaces_before_punctuation_are_removed(line: str, expected: str) -> None:
    assert fix_punctuation_spacing(line) == expected


def test_running_headers_and_page_numbers_are_removed() -> None:
    pages = [f"KLIMAPLAN FOR NETTONUL KOMMUNE\nSide {n} af 4\n\nAfsnit {n} handler om energi og varme i kommunen."
             f"\n\n{n}" for n in range(1, 5)]
    text = clean("\f".join(pages))
    assert "KLIMAPLAN" not in text
    assert "Side" not in text
    assert text.split("\n\n") == [f"Afsnit {n} handler om energi og varme i kommunen." for n in range(1, 5)]


def test_a_running_header_with_page_number_is_removed_even_once() -> None:
    raw = "Vi vil styrke forsyningssikkerheden.\n\nUDENRIGS- OG SIKKERHEDSPOLITISK STRATEGI 19\n\n\n\nNæste afsnit."
    assert clean(raw) == "Vi vil styrke forsyningssikkerheden.\n\nNæste afsnit."


def test_a_figure_above_its_caption_is_not_a_page_number() -> None:
    raw = "Tal fra rapporten.\n\n956\njournalister blev slået ihjel\n\nNæste afsnit."
    assert "956 journalister blev slået ihjel" in clean(raw)


def test_paragraphs_headings_and_lists_are_recovered() -> None:
    raw = (" 2.   Værdidiplomati \nEn stærk stemme for Danmark  \ni verden\n\n"
           "Unik viden om mindre byers klimaindsats\nRealdanias ambition har været at give kommunerne\n"
           "mulighed for at løfte klimaarbejdet.\n\n"
           "Kina er på én og samme gang en økonomisk \n\nkonkurrent og en samarbejdspartner.\n\n"
           "Der er formuleret målsætninger:\n • styrke de cirkulære\nvirksomheder\n • understøtte byggeri")
    assert clean(raw).split("\n\n") == [
        "2. Værdidiplomati",
        "En stærk stemme for Danmark i verden",
        "Unik viden om mindre byers klimaindsats",
        "Realdanias ambition har været at give kommunerne mulighed for at løfte klimaarbejdet.",
        "Kina er på én og samme gang en økonomisk konkurrent og en samarbejdspartner.",
        "Der er formuleret målsætninger:",
        "• styrke de cirkulære virksomheder",
        "• understøtte byggeri",
    ]


ARTICLE = ("Kommunerne går forrest i klimaarbejdet og deler deres erfaringer med byer i hele verden. " * 3).strip()


def test_web_chrome_after_the_article_is_cut() -> None:
    raw = "\n\n".join([
        "Overskrift på artiklen", "Foto: Jens Hansen.", "02.11.2021", "Avisen.dk", ARTICLE,
        "Læs også: Borgmesteren vil bygge nye vindmøller i 2030", ARTICLE, "- ABC", "Firma A/S", "Sponseret",
        "Nyt produkt skal være CO2-neutralt i 2030", "Relateret indhold", "18.09.2025Firma",
        "Sponseret", "Events", "Kursus", "ISO 14001:2015 kursus i miljøledelse frem mod 2030 for alle.",
        "Dato", "22.09.2025",
    ])
    assert clean(raw) == "\n\n".join(["Overskrift på artiklen", ARTICLE, ARTICLE])


def test_an_advert_at_the_top_does_not_take_the_article_with_it() -> None:
    raw = "\n\n".join(["Sponseret", "Køb vores grønne produkt", "Relateret indhold", ARTICLE, ARTICLE, ARTICLE])
    text = clean(raw)
    assert text.count(ARTICLE) == 3
    assert "Sponseret" not in text


def test_corpus_dehyphenation_examples(annotations: dict[str, Any], corpus_result: Any) -> None:
    examples = annotations[STRATEGY]["dehyphenation_examples"]
    text = corpus_result(STRATEGY).text
    for _, joined in examples["join"]:
        assert joined in text
    for kept in examples["keep_suspended_hyphen"]:
        assert kept in text
    for broken, _ in examples["join"]:
        if " og " not in broken:
            assert broken not in text


def test_corpus_strategy_has_no_stray_spaces_or_split_words(corpus_result: Any) -> None:
    text = corpus_result(STRATEGY).text
    assert " ." not in text.replace(" .(", "")  # "House .(2)": a footnote mark after the full stop
    assert "mia. kr." in text
    assert "mia . kr" not in text
    assert "UDENRIGS- OG SIKKERHEDSPOLITISK STRATEGI 19" not in text


def test_corpus_news_page_chrome_is_gone(annotations: dict[str, Any], corpus_result: Any, corpus_raw: Any) -> None:
    spec = annotations[NEWS]
    text = corpus_result(NEWS).text
    for marker in spec["boilerplate_markers"]:
        assert marker not in text
    raw = corpus_raw(NEWS)
    last_article_words = raw[:raw.index(spec["main_text_ends_before"])].strip()[-60:]
    assert text.endswith(last_article_words)
    for chrome in ("ISO 14001", "Foto:", "Læs også", "CSR.dk"):
        assert chrome not in text


def test_site_furniture_lines_of_municipal_pages_are_removed() -> None:
    raw = "\n".join([
        "Skip to main content", "Menu", "Home > Environment > Climate", "Climate action in our town",
        "Last updated 3 May 2024", "The town will plant 2,000 trees along its rivers by 2030.",
        "Was this page helpful? Yes No", "Follow us on social media", "© 2024 Example Town Council",
    ])
    assert clean(raw).split("\n\n") == [
        "Climate action in our town", "The town will plant 2,000 trees along its rivers by 2030."]


def test_datelines_are_removed_but_headlines_kept() -> None:
    raw = ("Kommunen går mod klimaneutralitet\n\nPressemeddelelse 27. september 2021\n\n"
           "Opdateringsdato: 23.11.2020 - 09:06")
    assert clean(raw) == "Kommunen går mod klimaneutralitet"
