"""Targets: kinds, values, years and qualifiers; achievements, projections, budgets and status
facts left out. The sentences are written for these tests, in Danish and English, so the rules
are shown to work beyond the corpus; the corpus cases come from its annotations."""

from __future__ import annotations

from typing import Any

import pytest

from nettonul.documents import analyse_text

# sentence, kind, value, value_high, unit, base_year, target_year, qualifier
TARGETS = [
    ("Kommunen vil reducere udledningen af drivhusgasser med 70 procent i 2030 i forhold til 1990.",
     "reduction_pct", 70.0, None, "%", 1990, 2030, None),
    ("Aarhus Kommune har som mål at være CO2-neutral senest i 2030.",
     "net_zero", None, None, None, None, 2030, "senest"),
    ("Målet er, at mindst 50 % af bilerne i kommunen er elbiler i 2030.",
     "share", 50.0, None, "%", None, 2030, "mindst"),
    ("Byrådet har besluttet, at udledningen skal nedbringes med 60 pct. inden 2025 sammenlignet med 2009-niveauet.",
     "reduction_pct", 60.0, None, "%", 2009, 2025, None),
    ("Region Midtjylland skal være fossilfri i 2040.", "net_zero", None, None, None, None, 2040, None),
    ("Udledningen skal være under 2 ton CO2e pr. indbygger i 2035.",
     "per_capita", 2.0, None, "t CO2e per capita", None, 2035, None),
    ("Danmark vil halvere udledningen fra landbruget inden 2030.", "reduction_pct", 50.0, None, "%", None, 2030, None),
    ("Regeringen vil fra 2025 give mindst 1,5 mia. kr. om året i klimafinansiering.",
     "finance", 1.5, None, "mia. kr. per year", None, 2025, "mindst"),
    ("Vi vil være blandt de tre grønneste kommuner i Danmark i 2030.", "ranking", None, None, None, None, 2030, None),
    ("The City will reduce greenhouse gas emissions by 50% by 2030 compared to 2010 levels.",
     "reduction_pct", 50.0, None, "%", 2010, 2030, None),
    ("We aim to reach net zero emissions no later than 2040.", "net_zero", None, None, None, None, 2040, None),
    ("By 2030, at least 40% of energy will come from renewable sources.",
     "share", 40.0, None, "%", None, 2030, "at least"),
    ("The government will provide $1,500 million per year in climate finance from 2025.",
     "finance", 1500.0, None, "million $ per year", None, 2025, None),
    ("The council commits to cutting emissions by 45-50 per cent by 2030 against 1990.",
     "reduction_pct", 45.0, 50.0, "%", 1990, 2030, None),
    ("CO2-udledningen fra kommunens egne køretøjer skal være nul i 2030.",
     "net_zero", None, None, None, None, 2030, None),
    ("Kommunen skal i 2030 have plantet 500 hektar ny skov.", "area", 500.0, None, "ha", None, 2030, None),
    ("Målsætningen er en reduktion på 50 procent i 2030 (basisår 2009).",
     "reduction_pct", 50.0, None, "%", 2009, 2030, None),
    ("Affaldsmængden pr. indbygger skal falde med 20 % frem mod 2030.",
     "reduction_pct", 20.0, None, "%", None, 2030, None),
    # a deadline is an aim of its own; "-50 %" is a reduction; an earlier 'from' year is the base
    ("Reduce emissions by 50% from 2010 by 2030.", "reduction_pct", 50.0, None, "%", 2010, 2030, None),
    ("Scope 1 and 2 emissions: -50% by 2030 vs 2019.", "reduction_pct", 50.0, None, "%", 2019, 2030, None),
    ("We will cut emissions in half by 2030.", "reduction_pct", 50.0, None, "%", None, 2030, None),
    ("The UK has a legally binding target of net zero by 2050.", "net_zero", None, None, None, None, 2050, None),
    # a figure that is neither a reduction nor a share is a target when an organisation commits to it
    ("Vi vil øge energieffektiviteten med 20 % i 2030.", "other", 20.0, None, "%", None, 2030, None),
]


@pytest.mark.parametrize(("sentence", "kind", "value", "high", "unit", "base", "year", "qualifier"), TARGETS)
def test_targets_are_read_with_their_figures(sentence: str, kind: str, value: float | None, high: float | None,
                                             unit: str | None, base: int | None, year: int,
                                             qualifier: str | None) -> None:
    result = analyse_text(sentence)
    assert len(result.targets) == 1
    t = result.targets[0]
    assert (t.kind, t.value, t.value_high, t.unit, t.base_year, t.target_year, t.qualifier) == (
        kind, value, high, unit, base, year, qualifier)
    assert result.text[t.start:t.end] == t.quote


NOT_TARGETS = [
    "Kommunen har siden 1990 reduceret udledningen med 45 procent.",                 # achievement
    "Her har samarbejdet givet en CO2-reduktion på 40 procent siden 2008.",            # achievement
    "Udledningen faldt med 12 procent fra 2019 til 2020.",                            # past change
    "Energistyrelsen forventer, at udledningen vil falde med 55 procent i 2030.",     # projection
    "Ifølge fremskrivningen når Danmark 68 procent reduktion i 2030.",                # projection
    "Kommunen har afsat 25 mio. kr. til klimatilpasning i 2024.",                     # budget
    "Regeringen har besluttet at anvende 2 mia. kr. til en pakke, der fra 2024 vil styrke beredskabet.",  # budget
    "I 2020 kom 60 procent af elforbruget fra vindmøller.",                           # status
    "Fx levede 80 % af befolkningen i 2020 i lande uden frie medier.",                # status
    "Vi har vedtaget en handlingsplan med 86 konkrete punkter frem til 2024.",        # a count, not a target
    "Emissions have fallen by 30% since 2005.",
    "The IEA expects global emissions to peak in 2025.",
    "In 2019, 35% of households used public transport.",
    "The council has allocated £2 million to the retrofit programme in 2023.",
    "Emissions were reduced by 20% between 2010 and 2020.",
    "Kurset følger ISO 14001:2015 og afholdes den 22.09.2025.",                       # listing chrome
    "By 2020 emissions had fallen by 20%.",
    "Emissions are projected to fall 40% by 2030 under current policies.",
    "Vi har 500 km cykelsti i dag.",
    "In 2019, the city installed 20 MW of solar.",
    "Retrofit all council homes by 2030.",                                            # an action, no figure
    "Befolkningen vil vokse med 10 % frem mod 2030.",                                 # a forecast in plain future
    "Antallet af passagerer vil stige med 15 procent frem til 2035.",
    "The population will grow by 8% by 2040.",
]


@pytest.mark.parametrize("sentence", NOT_TARGETS)
def test_achievements_projections_budgets_and_facts_are_not_targets(sentence: str) -> None:
    assert analyse_text(sentence).targets == ()


def test_two_targets_in_one_sentence_get_their_own_years() -> None:
    result = analyse_text("Kommunen skal reducere udledningen med 70 % i 2030 i forhold til 1990 "
                          "og være klimaneutral i 2045.")
    assert [(t.kind, t.target_year, t.base_year) for t in result.targets] == [
        ("reduction_pct", 2030, 1990), ("net_zero", 2045, None)]


def test_several_deadlines_in_one_sentence_are_separate_targets() -> None:
    result = analyse_text("The county plans to lower its emissions 55 percent by 2030 and 90 percent by 2045.")
    assert [(t.value, t.target_year) for t in result.targets] == [(55.0, 2030), (90.0, 2045)]
    assert result.targets[0].quote.endswith("55 percent by 2030")


def test_net_zero_or_a_full_reduction_is_one_target() -> None:
    result = analyse_text("The aim is net zero, or a 100% reduction in emissions, by 2045.")
    assert [(t.kind, t.target_year) for t in result.targets] == [("net_zero", 2045)]


def test_a_standing_share_without_a_year_borrows_none() -> None:
    result = analyse_text("Cut emissions 45% by 2035 (vs 2015 baseline); keep 30% tree canopy cover.")
    assert [(t.kind, t.value, t.base_year, t.target_year) for t in result.targets] == [
        ("reduction_pct", 45.0, 2015, 2035)]


@pytest.mark.parametrize("sentence", [
    "When the period ended in 2021, the town had exceeded its goal, reaching a 25% reduction.",
    "The 2012 Energy Plan was adopted in March 2012 with a goal of cutting emissions by 10%.",
    "I december 2019 vedtog byrådet en plan om 30 procent vedvarende energi.",
])
def test_past_goals_and_dates_are_not_deadlines(sentence: str) -> None:
    assert analyse_text(sentence).targets == ()


def test_subject_is_who_sets_the_target() -> None:
    assert analyse_text("The UK has a legally binding target of net zero by 2050.").targets[0].subject == "The UK"
    assert analyse_text("Reduce emissions by 50% by 2030.").targets[0].subject is None
    result = analyse_text("95 ud af 98 kommuner går efter at blive klimaneutrale senest i 2050.")
    assert result.targets[0].subject == "95 ud af 98 kommuner"
    result = analyse_text("Flere virksomheder har samlet sig i Green Shipping Alliance, som arbejder for "
                          "klimaneutral skibsfart i 2040.")
    assert result.targets[0].subject == "Green Shipping Alliance"


def test_corpus_targets_are_found(annotations: dict[str, Any], corpus_result: Any) -> None:
    for name, spec in annotations.items():
        result = corpus_result(name)
        assert len(result.targets) == len(spec.get("targets", [])), name
        for gold in spec.get("targets", []):
            hits = [t for t in result.targets if gold["quote"].split()[-1] in t.quote
                    and gold["quote"][:12].split()[0] in t.quote]
            assert hits, gold["quote"]
            t = hits[0]
            assert t.target_year == gold.get("target_year", gold.get("start_year"))
            assert t.kind == ("finance" if gold["kind"] == "climate_finance" else gold["kind"])
            if "qualifier" in gold:
                assert t.qualifier == gold["qualifier"]


def test_corpus_finance_target_is_a_range(corpus_result: Any) -> None:
    finance = [t for t in corpus_result("strategy_pdf_extract_part1.txt").targets if t.kind == "finance"]
    assert [(t.value, t.value_high, t.target_year, t.qualifier) for t in finance] == [(7.0, 8.0, 2023, "cirka")]
    assert finance[0].json_value() == [7.0, 8.0]


def test_corpus_achievements_and_budgets_are_not_targets(annotations: dict[str, Any], corpus_result: Any) -> None:
    for name, spec in annotations.items():
        result = corpus_result(name)
        for item in spec.get("achievements_not_targets", []) + spec.get("budgets_not_climate_targets", []):
            words = " ".join(item["quote"].replace(" .", ".").split()[:3])
            assert not any(words in t.quote for t in result.targets), item["quote"]
