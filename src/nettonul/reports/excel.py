"""The yearly report as an Excel workbook (openpyxl), rendered from a snapshot only.

Sheets: Summary (key figures, issue date, digest), Emissions (year by year: inventory,
estimate flag, sectors, BAU, plan, target path), Actions, Indicators, Check and, when any
action has a cost, Costs (each action's costs, the MACC, the cost by year). Numbers are
stored as numbers with a number format, so the council's analysts can chart them; text is
stored as text, never as a formula (:mod:`nettonul.engine.io.export`).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nettonul.engine.core.i18n import number
from nettonul.engine.core.i18n import text as t
from nettonul.engine.io.export import neutralise_workbook
from nettonul.engine.plan.monitoring import worded_reasons
from nettonul.reports import words
from nettonul.reports.build import target_label
from nettonul.reports.snapshot import Snapshot

HEAD = Font(bold=True, color="FFFFFF")
FILL = PatternFill("solid", fgColor="1F3B57")
SHEETS = {"en": ("Summary", "Emissions", "Actions", "Indicators", "Check"),
          "da": ("Sammenfatning", "Udledninger", "Tiltag", "Indikatorer", "Tjek")}


def _header(ws: Worksheet, row: int, names: list[str], widths: list[int] | None = None) -> None:
    for j, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=j, value=name)
        cell.font, cell.fill = HEAD, FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if widths:
            ws.column_dimensions[get_column_letter(j)].width = widths[j - 1]
    ws.freeze_panes = f"A{row + 1}"


def _summary(ws: Worksheet, c: dict[str, Any], snap: Snapshot, lang: str) -> None:
    k = c["key_figures"]
    ws.append([t("report.title", lang, year=c["year"])])
    ws["A1"].font = Font(bold=True, size=14)
    if c["illustrative"]:
        ws.append([t("report.illustrative", lang)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, color="8A1C10")
    rows: list[tuple[str, Any, str]] = [
        (t("report.organisation", lang), f"{c['organisation']['name']} ({c['organisation']['code']})", ""),
        (t("report.plan", lang), c["plan"]["name"], ""),
        (t("report.adopted", lang), c["plan"].get("adopted") or t("report.draft", lang), ""),
        (t("report.as_of", lang), c["as_of"], ""), (t("report.issued", lang), c["issued"], ""),
        (t("report.digest", lang), snap.digest, ""),
        (t("report.latest", lang, year=k["last_inventory_year"]), k["latest"], c["unit"]),
        (t("report.base_1990", lang), k["base_1990"], c["unit"]),
        (t("report.change_1990", lang, year=k["last_inventory_year"]), k["change_vs_1990"], "share"),
    ]
    nxt = k.get("next_target")
    if nxt:
        rows += [(t("report.next_target", lang), target_label(nxt, lang), ""),
                 (t("report.target_level", lang, year=nxt["year"]), nxt["level"], c["unit"]),
                 (t("report.plan_at", lang, year=nxt["year"]), k.get("plan_at_target"), c["unit"]),
                 (t("report.gap_at", lang, year=nxt["year"]), k.get("gap_at_target"), c["unit"])]
    o = c.get("outlook")
    if o:
        n = o["fit_years"][1] - o["fit_years"][0] + 1
        rows += [(t("report.trend_at", lang, n=n, year=o["target_year"]), o["forecast"], c["unit"]),
                 (f"{t('report.trend_at', lang, n=n, year=o['target_year'])}: {round(100 * o['confidence'])} % (-)",
                  o["lower"], c["unit"]),
                 (f"{t('report.trend_at', lang, n=n, year=o['target_year'])}: {round(100 * o['confidence'])} % (+)",
                  o["upper"], c["unit"]),
                 (t("report.emissions_state", lang), words.term("state", o["state"], lang), "")]
    if k.get("check_verdict"):
        rows.append((t("report.check_verdict", lang), words.term("verdict", k["check_verdict"], lang), ""))
    start = ws.max_row + 2
    _header(ws, start, [t("report.figure", lang), t("report.value", lang), t("report.unit", lang)], [58, 70, 12])
    for label, value, unit in rows:
        ws.append([label, value, unit])
        cell = ws.cell(row=ws.max_row, column=2)
        if isinstance(value, float):
            cell.number_format = "0.0%" if unit == "share" else "#,##0"
    ws.append([])
    ws.append([t("report.units_note", lang, gwp=c["gwp_set"])])


def _emissions(ws: Worksheet, c: dict[str, Any], lang: str) -> None:
    sectors = list(c["by_sector"])
    names = [c["sector_names"].get(s, {}).get(lang, s) for s in sectors]
    _header(ws, 1, [t("report.col_year", lang), t("report.series_history", lang),
                    t("report.series_estimate", lang), *names,
                    t("report.series_bau", lang), t("report.series_plan", lang), t("report.series_path", lang)],
            [8, 14, 12, *[16] * len(sectors), 16, 16, 16])
    for i, y in enumerate(c["years"]):
        ws.append([y, c["historical"][i], t("report.yes", lang) if c["estimated"][i] else "",
                   *[c["by_sector"][s][i] for s in sectors], c["bau"][i], c["plan_path"][i], c["target_path"][i]])
        for j in range(2, ws.max_column + 1):
            ws.cell(row=ws.max_row, column=j).number_format = "#,##0"


def _actions(ws: Worksheet, c: dict[str, Any], lang: str) -> None:
    year = c["actions"][0]["reduction_year"] if c["actions"] else ""
    _header(ws, 1, [t("report.col_id", lang), t("report.action", lang), t("report.sector", lang),
                    t("report.owner", lang), t("report.col_start", lang), t("report.col_end", lang),
                    t("report.reduction", lang, year=year), t("report.progress", lang), t("report.updated", lang),
                    t("report.status", lang), t("report.col_reasons", lang)], [22, 50, 14, 26, 7, 7, 16, 9, 12, 14, 50])
    for a in c["actions"]:
        ws.append([a["id"], a["title"], c["sector_names"].get(a["sector"], {}).get(lang, a["sector"]), a["owner"],
                   a["start"], a["end"], a["reduction"], None if a.get("percent") is None else a["percent"] / 100,
                   a.get("last_update"), words.term("state", a["state"], lang), "; ".join(worded_reasons(a, lang))])
        ws.cell(row=ws.max_row, column=7).number_format = "#,##0"
        ws.cell(row=ws.max_row, column=8).number_format = "0%"


def _indicators(ws: Worksheet, c: dict[str, Any], lang: str) -> None:
    _header(ws, 1, [t("report.col_id", lang), t("report.indicator", lang), t("report.unit", lang),
                    t("report.latest_value", lang), t("report.col_date", lang), t("report.col_source", lang),
                    t("report.target", lang), t("report.col_year", lang), t("report.forecast", lang),
                    t("report.status", lang)],
            [16, 36, 10, 12, 12, 36, 10, 8, 14, 14])
    for i in c["indicators"]:
        latest = i["latest"] or {}
        ws.append([i["id"], i["name"], i["unit"], latest.get("value"), latest.get("date"), latest.get("source"),
                   i["target"], i["target_year"], i["forecast"], words.term("state", i["state"], lang)])


def _check(ws: Worksheet, c: dict[str, Any], lang: str) -> None:
    res = c["check"].get(lang) or next(iter(c["check"].values()))
    _header(ws, 1, [t("report.criterion", lang), t("report.severity", lang), t("report.result", lang),
                    t("report.col_title", lang), t("report.finding", lang), t("report.col_fix", lang)],
            [10, 8, 12, 50, 70, 60])
    for r in res["criteria"]:
        ws.append([r["id"], r["severity"], words.term("result", r["result"], lang), r["title"], r["message"], r["fix"]])


def _costs(ws: Worksheet, c: dict[str, Any], lang: str) -> None:
    """Each action's costs, the MACC's bars and the plan's cost by year, one table below the other."""
    k = c["costs"]
    cur = k["currency"]
    ws.append([t("report.costs_intro", lang, currency=cur, rate=number(100 * k["discount_rate"], lang, 1))])
    _header(ws, 3, [t("report.action", lang), t("report.npc", lang, currency=cur),
                    t("report.reduction_all", lang), t("report.cost_per_t", lang, currency=cur)], [50, 22, 22, 22])
    for a in k["actions"]:
        ws.append([a["title"], a["npc"], a["reduction_t"], a["cost_per_t"]])
        for j in (2, 3, 4):
            ws.cell(row=ws.max_row, column=j).number_format = "#,##0"
    ws.append([])
    ws.append([t("report.macc", lang, year=k["macc_year"])])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([t("report.action", lang), t("report.cost_per_t", lang, currency=cur),
               t("report.macc_axis", lang, year=k["macc_year"]), t("report.cumulative", lang)])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEAD, FILL
    for b in k["macc"]:
        ws.append([b["title"], b["cost_per_t"], b["reduction_t"], b["from_t"] + b["reduction_t"]])
        for j in (2, 3, 4):
            ws.cell(row=ws.max_row, column=j).number_format = "#,##0"
    ws.append([])
    ws.append([t("report.cost_by_year", lang, currency=cur)])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([t("report.col_year", lang), cur])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEAD, FILL
    for y, v in zip(k["by_year"]["years"], k["by_year"]["total"], strict=True):
        ws.append([y, v])
        ws.cell(row=ws.max_row, column=2).number_format = "#,##0"


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _dates(wb: Workbook, lang: str) -> None:
    """Dates stored as dates (the snapshot keeps them as ISO text), shown the language's way."""
    shown = "dd.mm.yyyy" if lang == "da" else "yyyy-mm-dd"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and _ISO_DAY.fullmatch(cell.value):
                    cell.value = date.fromisoformat(cell.value)
                    cell.number_format = shown


def render_excel(snap: Snapshot, language: str = "en") -> bytes:
    """The report of ``snap`` as .xlsx bytes."""
    c = snap.content
    wb = Workbook()
    names = SHEETS["da" if language == "da" else "en"]
    first = wb.active
    assert first is not None
    first.title = names[0]
    _summary(first, c, snap, language)
    for name, fill in zip(names[1:], (_emissions, _actions, _indicators, _check), strict=True):
        fill(wb.create_sheet(name), c, language)
    if c.get("costs"):  # reports issued before costs were reported have none
        _costs(wb.create_sheet(t("report.costs", language)), c, language)
    wb.properties.title = t("report.title", language, year=c["year"])
    wb.properties.subject = snap.digest
    wb.properties.creator = "nettonul"
    _dates(wb, language)
    neutralise_workbook(wb)  # text typed into plan fields never runs as a formula
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
