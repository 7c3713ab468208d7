"""The report's words in English and Danish, and number and date formatting per language."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

LANGUAGES = ("en", "da")

CATALOGUE: dict[str, tuple[str, str]] = {
    "title": ("Climate action plan: status report {year}", "Klimahandleplan: statusrapport {year}"),
    "subtitle": ("Yearly report to the municipal council", "Årlig afrapportering til kommunalbestyrelsen"),
    "plan": ("Plan", "Plan"),
    "organisation": ("Organisation", "Organisation"),
    "adopted": ("Adopted", "Vedtaget"),
    "draft": ("Draft, not adopted", "Udkast, ikke vedtaget"),
    "issued": ("Issued", "Udstedt"),
    "as_of": ("Status as of", "Status pr."),
    "digest": ("Snapshot digest (SHA-256)", "Snapshot-fingeraftryk (SHA-256)"),
    "frozen": ("This report is a frozen snapshot: later edits of the plan or its data do not change it.",
               "Rapporten er et fastfrosset øjebliksbillede: senere ændringer i planen eller data ændrer den ikke."),
    "illustrative": ("ILLUSTRATIVE EXAMPLE: contains assumed and invented figures, not an official report.",
                     "ILLUSTRATIVT EKSEMPEL: indeholder antagne og opdigtede tal, ikke en officiel rapport."),
    "contents": ("Contents", "Indhold"),
    "summary": ("1. Summary", "1. Sammenfatning"),
    "emissions": ("2. Emissions against the target path", "2. Udledninger i forhold til målsætningen"),
    "sectors": ("3. Emissions by sector", "3. Udledninger pr. sektor"),
    "actions": ("4. Status of the actions", "4. Status for tiltagene"),
    "indicators": ("5. Indicators", "5. Indikatorer"),
    "check": ("6. Plan check (DK2020/CAPF)", "6. Plantjek (DK2020/CAPF)"),
    "sources": ("7. Sources and notes", "7. Kilder og noter"),
    "key_figures": ("Key figures", "Nøgletal"),
    "figure": ("Figure", "Nøgletal"),
    "value": ("Value", "Værdi"),
    "latest": ("Emissions {year}", "Udledning {year}"),
    "base_1990": ("Emissions 1990 (back-cast estimate)", "Udledning 1990 (tilbageberegnet skøn)"),
    "change_1990": ("Change {year} against 1990", "Ændring {year} i forhold til 1990"),
    "next_target": ("Next target", "Næste mål"),
    "target_level": ("Target level {year}", "Målniveau {year}"),
    "plan_at": ("Plan scenario {year}", "Planens scenarie {year}"),
    "gap_at": ("Gap to target {year} (plan minus target)", "Manko {year} (plan minus mål)"),
    "trend_at": ("Trend of the last {n} inventory years, extended to {year}",
                 "Tendens for de seneste {n} opgørelsesår, forlænget til {year}"),
    "trend_band": ("{lo} to {hi} ({pct} % prediction interval)", "{lo} til {hi} ({pct} % prædiktionsinterval)"),
    "emissions_state": ("Emissions against the target", "Udledninger i forhold til målet"),
    "actions_states": ("Actions by status", "Tiltag efter status"),
    "check_verdict": ("Plan check", "Plantjek"),
    "chart_emissions": ("Emissions, business as usual, plan and target path (t CO2e a year)",
                        "Udledninger, basisfremskrivning, plan og målsti (ton CO2e om året)"),
    "series_history": ("Inventory", "Opgørelse"),
    "series_estimate": ("Back-cast estimate", "Tilbageberegnet skøn"),
    "series_bau": ("Business as usual", "Basisfremskrivning"),
    "series_plan": ("Plan scenario", "Planens scenarie"),
    "series_path": ("Target path", "Målsti"),
    "series_trend": ("Trend with prediction interval", "Tendens med prædiktionsinterval"),
    "series_targets": ("Targets", "Mål"),
    "chart_sectors": ("Emissions by sector, inventory years (t CO2e)",
                      "Udledninger pr. sektor, opgørelsesår (ton CO2e)"),
    "sector": ("Sector", "Sektor"),
    "total": ("Total", "I alt"),
    "share": ("Share {year}", "Andel {year}"),
    "action": ("Action", "Tiltag"),
    "owner": ("Owner", "Ansvarlig"),
    "period": ("Period", "Periode"),
    "reduction": ("Reduction {year} (t CO2e/yr)", "Reduktion {year} (ton CO2e/år)"),
    "progress": ("Done", "Udført"),
    "updated": ("Updated", "Opdateret"),
    "status": ("Status", "Status"),
    "indicator": ("Indicator", "Indikator"),
    "unit": ("Unit", "Enhed"),
    "latest_value": ("Latest", "Seneste"),
    "target": ("Target", "Mål"),
    "forecast": ("Trend to target year", "Tendens til målår"),
    "no_indicators": ("No indicator observations were recorded.", "Der er ikke registreret indikatormålinger."),
    "criterion": ("Criterion", "Kriterium"),
    "severity": ("Sev.", "Vægt"),
    "result": ("Result", "Resultat"),
    "finding": ("Finding", "Resultat og begrundelse"),
    "check_counts": ("{passed} passed, {failed} failed, {warned} warnings, {na} not applicable.",
                     "{passed} opfyldt, {failed} ikke opfyldt, {warned} advarsler, {na} ikke relevante."),
    "units_note": ("All emissions in tonnes of CO2 equivalent (t CO2e), GWP100 values of IPCC {gwp}; "
                   "1 kt = 1,000 t.",
                   "Alle udledninger i ton CO2-ækvivalenter (ton CO2e), GWP100-værdier fra IPCC {gwp}; "
                   "1 kt = 1.000 ton."),
    "estimate_note": ("Values before the first inventory year are back-cast estimates (dotted in the chart).",
                      "Værdier før første opgørelsesår er tilbageberegnede skøn (prikket i figuren)."),
    "page": ("Page {n}", "Side {n}"),
    "yes": ("yes", "ja"), "no": ("no", "nej"),
    "unverified": ("unverified", "ikke verificeret"),
    # states
    "state.completed": ("Completed", "Gennemført"), "state.cancelled": ("Cancelled", "Annulleret"),
    "state.late": ("Late", "Forsinket"), "state.stale": ("Not updated", "Ikke opdateret"),
    "state.on_track": ("On track", "På sporet"), "state.not_started": ("Not started", "Ikke startet"),
    "state.no_data": ("No data", "Ingen data"), "state.at_risk": ("At risk", "I risiko"),
    "state.off_track": ("Off track", "Ikke på sporet"), "state.insufficient_data": ("Too few data", "For få data"),
    "verdict.pass": ("Passes", "Bestået"),
    "verdict.pass_with_warnings": ("Passes with warnings", "Bestået med advarsler"),
    "verdict.fail": ("Fails essential criteria", "Ikke bestået (væsentlige krav)"),
    "result.pass": ("pass", "opfyldt"), "result.fail": ("FAIL", "IKKE OPFYLDT"), "result.warn": ("warning", "advarsel"),
    "result.n.a.": ("n.a.", "i.r."),
}


def t(key: str, language: str, **args: Any) -> str:
    en, da = CATALOGUE[key]
    return (da if language == "da" else en).format(**args)


def num(value: float | int | None, language: str, digits: int = 0) -> str:
    """A number with thousands separators for the language; '-' for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # no "-0"
    if language == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def pct(value: float | None, language: str, digits: int = 0, signed: bool = True) -> str:
    if value is None:
        return "-"
    text = num(abs(value) * 100, language, digits) + " %"
    return (("-" if value < 0 else "+") + text) if signed else text


def day(value: str | date | None, language: str) -> str:
    if value is None:
        return "-"
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.day}.{d.month}.{d.year}" if language == "da" else d.isoformat()
