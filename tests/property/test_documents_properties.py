"""Invariants of document import for arbitrary text: cleaning is idempotent, every offset points
at its quote in the cleaned text, and nothing crashes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from nettonul.documents import analyse_text
from nettonul.documents.cleaning import clean

# Words and marks that exercise the rules: hyphens, suspended hyphens, page breaks, headings,
# bullets, numbers, years, modal verbs, chrome labels and SDG mentions.
PIECES = st.sampled_from([
    "Vi", "vil", "Kommunen", "skal", "reducere", "udledningen", "med", "70", "procent", "i", "2030", "1990",
    "forhold", "til", "klimaneutral", "senest", "2050", "forsy-", "ningskæder", "udenrigs-", "og", "sikker-",
    "hedspolitik", ".", " .", ",", ":", "•", "1.", "2.", "Forord", "Energi", "\n", "\n\n", "\f", "-", "–",
    "We", "will", "net", "zero", "by", "%", "mia.", "kr.", "Sponseret", "Relateret indhold", "- MTN", "Foto:",
    "verdensmål", "11", "ansvarligt forbrug og produktion", "siden", "2007", "forventer", "   ", "EU-", "CO2-",
    "målsætninger:", "plan om at", "Sønderborg Forsynings", "Dato", "18.09.2025", "ÆØÅ", "«", "”",
])
DOCUMENTS = st.one_of(
    st.lists(PIECES, max_size=80).map(" ".join),
    st.lists(PIECES, max_size=80).map("".join),
    st.text(max_size=300),
)


@given(DOCUMENTS)
def test_cleaning_is_idempotent(raw: str) -> None:
    once = clean(raw)
    assert clean(once) == once


@given(DOCUMENTS)
def test_offsets_point_at_quotes_and_nothing_crashes(raw: str) -> None:
    result = analyse_text(raw)
    text = result.text
    for t in result.targets:
        assert text[t.start:t.end] == t.quote
    for c in result.commitments:
        assert text[c.start:c.end] == c.quote
    for s in result.sections:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:].startswith(s.title)
    for m in result.sdg_mentions:
        assert text[m.start:m.end] == m.quote
    assert result.to_json()["text"] == text
