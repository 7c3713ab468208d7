"""Sentence splitting with abbreviations, paragraph offsets, numbers and language detection."""

from __future__ import annotations

from nettonul.documents.text import Span, all_sentences, detect_language, sentences


def test_sentences_respect_abbreviations_and_ordinals() -> None:
    text = ("Regeringen vil bl.a. anvende 1,5 mia. kr. til indsatsen. Den 1. oktober starter vi. "
            "Fx vil vi styrke samarbejdet med USA, EU m.fl. Det sker i 2025. Hvorfor? Fordi det virker!")
    assert [s.text for s in sentences(Span(text, 0, len(text)))] == [
        "Regeringen vil bl.a. anvende 1,5 mia. kr. til indsatsen.", "Den 1. oktober starter vi.",
        "Fx vil vi styrke samarbejdet med USA, EU m.fl. Det sker i 2025.", "Hvorfor?", "Fordi det virker!"]


def test_sentence_offsets_point_into_the_text() -> None:
    text = "1. Forord\n\nFørste sætning. Anden sætning.\n\nThird one. Fourth."
    found = all_sentences(text)
    assert [s.text for s in found] == ["1. Forord", "Første sætning.", "Anden sætning.", "Third one.", "Fourth."]
    assert all(text[s.start:s.end] == s.text for s in found)


def test_language_detection() -> None:
    assert detect_language("Kommunen vil reducere udledningen, og det er vigtigt for os at vi gør det.") == "da"
    assert detect_language("The council will reduce emissions and it is important that we do it.") == "en"
    assert detect_language("12345 !!!") == "und"
