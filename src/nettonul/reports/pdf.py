"""The yearly report as a PDF (reportlab), rendered from a snapshot only.

Layout: a title page; the summary with key figures and the emissions chart; emissions by
sector; the actions' status; indicators; the plan's costs (each action's, the MACC and the
cost by year, when any action has a cost); the plan check; sources and notes with units and
the GWP set. Every page carries the organisation, the report year, the page number and the
snapshot's digest, so a printed page can be matched to the issued snapshot.
"""

from __future__ import annotations

import io
import os
from typing import Any

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from nettonul.engine.core.i18n import day, number, percent
from nettonul.engine.core.i18n import text as t
from nettonul.engine.plan.monitoring import worded_reasons
from nettonul.reports import words
from nettonul.reports.build import note_text, target_label
from nettonul.reports.charts import cost_by_year_chart, emissions_chart, macc_chart, sector_chart
from nettonul.reports.snapshot import Snapshot

FONT, BOLD = "NettonulSans", "NettonulSans-Bold"
INK = colors.HexColor("#1f3b57")
GRID = colors.HexColor("#c9d3dc")
SHADE = colors.HexColor("#eef2f5")
STATE_COLOURS = {"late": "#c0392b", "stale": "#e08e0b", "off_track": "#c0392b", "at_risk": "#e08e0b",
                 "completed": "#2a7f62", "on_track": "#2a7f62", "fail": "#c0392b", "warn": "#e08e0b",
                 "pass": "#2a7f62"}


def _fonts() -> None:
    """DejaVu Sans from matplotlib's data: full Danish and typographic coverage, same face as the charts."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    ttf = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
    pdfmetrics.registerFont(TTFont(FONT, os.path.join(ttf, "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, os.path.join(ttf, "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.2),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=19, textColor=INK,
                             spaceBefore=2, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=10.5, leading=14, textColor=INK,
                             spaceBefore=8, spaceAfter=4),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=24, leading=30, textColor=INK),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=13, leading=18, textColor=INK),
        "banner": ParagraphStyle("banner", parent=base, fontName=BOLD, fontSize=9.5, leading=13,
                                 textColor=colors.HexColor("#8a1c10"), borderColor=colors.HexColor("#8a1c10"),
                                 borderWidth=0.8, borderPadding=6, backColor=colors.HexColor("#fbeeec")),
    }


def _esc(text: Any) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[Any]], widths: list[float], numeric_from: int = 99, header: bool = True,
           colour_col: int | None = None, states: list[str] | None = None) -> Table:
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
    ]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), BOLD), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                  ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]
    if colour_col is not None and states:
        for r, s in enumerate(states, start=1 if header else 0):
            if s in STATE_COLOURS:
                style.append(("TEXTCOLOR", (colour_col, r), (colour_col, r), colors.HexColor(STATE_COLOURS[s])))
                style.append(("FONTNAME", (colour_col, r), (colour_col, r), BOLD))
    tbl = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    tbl.setStyle(TableStyle(style))
    return tbl


def _image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    img.drawWidth, img.drawHeight = width, width * img.imageHeight / img.imageWidth
    return img


def _val(v: float | None, lang: str) -> str:
    """An indicator value: whole numbers from 100 up, one decimal below."""
    return number(v, lang, 0 if v is None or abs(v) >= 100 else 1)


def _kt(v: float | None, lang: str) -> str:
    return "-" if v is None else number(v / 1000.0, lang, 1) + " kt"


def _summary(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    k = c["key_figures"]
    rows: list[list[Any]] = [[t("report.figure", lang), t("report.value", lang)]]
    last = k["last_inventory_year"]
    rows.append([t("report.latest", lang, year=last), _kt(k["latest"], lang)])
    if k["base_1990"] is not None:
        rows.append([t("report.base_1990", lang), _kt(k["base_1990"], lang)])
        rows.append([t("report.change_1990", lang, year=last), percent(k["change_vs_1990"], lang, signed=True)])
    nxt = k.get("next_target")
    if nxt:
        rows.append([t("report.next_target", lang), target_label(nxt, lang)])
        rows.append([t("report.target_level", lang, year=nxt["year"]), _kt(nxt["level"], lang)])
        rows.append([t("report.plan_at", lang, year=nxt["year"]), _kt(k.get("plan_at_target"), lang)])
        rows.append([t("report.gap_at", lang, year=nxt["year"]), _kt(k.get("gap_at_target"), lang)])
    o = c.get("outlook")
    if o:
        n = o["fit_years"][1] - o["fit_years"][0] + 1
        band = ("" if o.get("lower") is None else ", " + t(
            "report.trend_band", lang, lo=_kt(o["lower"], lang), hi=_kt(o["upper"], lang),
            pct=round(100 * o["confidence"])))
        rows.append([Paragraph(t("report.trend_at", lang, n=n, year=o["target_year"]), st["cell"]),
                     Paragraph(_kt(o["forecast"], lang) + band, st["cell"])])
        rows.append([t("report.emissions_state", lang), words.term("state", o["state"], lang)])
    states = k["action_states"]
    rows.append([t("report.actions_states", lang), Paragraph(
        ", ".join(f"{words.term('state', s, lang)}: {n}" for s, n in sorted(states.items())), st["cell"])])
    if k.get("check_verdict"):
        rows.append([t("report.check_verdict", lang), words.term("verdict", k["check_verdict"], lang)])
    return [Paragraph(t("report.summary", lang), st["h1"]), _table(rows, [95 * mm, 75 * mm]), Spacer(1, 6 * mm),
            Paragraph(t("report.chart_emissions", lang), st["h2"]), _image(emissions_chart(c, lang), 170 * mm),
            Paragraph(t("report.estimate_note", lang), st["small"])]


def _sectors(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    idx = [i for i, (v, e) in enumerate(zip(c["historical"], c["estimated"], strict=True)) if v is not None and not e]
    if not idx:
        return []
    years = [c["years"][i] for i in idx]
    header = [t("report.sector", lang), *[str(y) for y in years], t("report.share", lang, year=years[-1])]
    total_last = c["historical"][idx[-1]]
    rows: list[list[Any]] = [header]
    for s, values in c["by_sector"].items():
        share = (values[idx[-1]] or 0.0) / total_last if total_last else None
        rows.append([Paragraph(_esc(c["sector_names"].get(s, {}).get(lang, s)), st["cell"]),
                     *[number(values[i], lang) for i in idx],
                     percent(share, lang, 1)])
    rows.append([t("report.total", lang), *[number(c["historical"][i], lang) for i in idx], percent(1.0, lang, 1)])
    widths = [50 * mm] + [(124 * mm - 18 * mm) / len(years)] * len(years) + [18 * mm]
    tbl = _table(rows, widths, numeric_from=1)
    tbl.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), BOLD), ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK)]))
    return [Paragraph(t("report.sectors", lang), st["h1"]), Paragraph(c["unit"], st["small"]), tbl, Spacer(1, 5 * mm),
            Paragraph(t("report.chart_sectors", lang), st["h2"]), _image(sector_chart(c, lang), 165 * mm)]


def _actions(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    year = c["actions"][0]["reduction_year"] if c["actions"] else ""
    rows: list[list[Any]] = [[t("report.action", lang), t("report.owner", lang), t("report.period", lang),
                              Paragraph(t("report.reduction", lang, year=year), st["cell"]), t("report.progress", lang),
                              t("report.updated", lang), t("report.status", lang)]]
    states = []
    for a in c["actions"]:
        title = _esc(a["title"])
        if a.get("reasons"):
            title += "<br/><font size=6.5 color='#666666'>" + _esc("; ".join(worded_reasons(a, lang))) + "</font>"
        rows.append([Paragraph(title, st["cell"]), Paragraph(_esc(a["owner"] or "-"), st["cell"]),
                     f"{a['start']}-{a['end']}", number(a["reduction"], lang),
                     "-" if a.get("percent") is None else number(a["percent"], lang) + " %",
                     day(a.get("last_update"), lang), words.term("state", a["state"], lang)])
        states.append(a["state"])
    widths = [52 * mm, 28 * mm, 17 * mm, 20 * mm, 12 * mm, 19 * mm, 26 * mm]
    return [Paragraph(t("report.actions", lang), st["h1"]),
            _table(rows, widths, numeric_from=3, colour_col=6, states=states)]


def _costs(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    """Each action's net present cost and cost per tonne, the MACC and the cost by year."""
    k = c.get("costs")
    if not k:  # no action has a cost, or a report issued before costs were reported
        return []
    cur = k["currency"]
    rows: list[list[Any]] = [[t("report.action", lang), Paragraph(t("report.npc", lang, currency=cur), st["cell"]),
                              Paragraph(t("report.reduction_all", lang), st["cell"]),
                              Paragraph(t("report.cost_per_t", lang, currency=cur), st["cell"])]]
    for a in k["actions"]:
        rows.append([Paragraph(_esc(a["title"]), st["cell"]), number(a["npc"], lang), number(a["reduction_t"], lang),
                     number(a["cost_per_t"], lang)])
    out: list[Any] = [PageBreak(), Paragraph(t("report.costs", lang), st["h1"]),
                      Paragraph(t("report.costs_intro", lang, currency=cur,
                                  rate=number(100 * k["discount_rate"], lang, 1)), st["body"]),
                      Spacer(1, 2 * mm), _table(rows, [82 * mm, 30 * mm, 30 * mm, 30 * mm], numeric_from=1)]
    if k["macc"]:
        out += [Paragraph(t("report.macc", lang, year=k["macc_year"]), st["h2"]), _image(macc_chart(c, lang), 165 * mm)]
    out += [Paragraph(t("report.cost_by_year", lang, currency=cur), st["h2"]),
            _image(cost_by_year_chart(c, lang), 165 * mm)]
    return out


def _indicators(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [Paragraph(t("report.indicators", lang), st["h1"])]
    if not c["indicators"]:
        return [*out, Paragraph(t("report.no_indicators", lang), st["body"])]
    rows: list[list[Any]] = [[t("report.indicator", lang), t("report.unit", lang), t("report.latest_value", lang),
                              t("report.target", lang),
                              Paragraph(t("report.forecast", lang), st["cell"]), t("report.status", lang)]]
    states = []
    for i in c["indicators"]:
        latest = i["latest"]
        last = "-" if latest is None else f"{_val(latest['value'], lang)} ({day(latest['date'], lang)})"
        target = "-" if i["target"] is None else f"{_val(i['target'], lang)} ({i['target_year']})"
        rows.append([Paragraph(_esc(i["name"]), st["cell"]), _esc(i["unit"]), last, target,
                     _val(i["forecast"], lang), words.term("state", i["state"], lang)])
        states.append(i["state"])
    return [*out, _table(rows, [48 * mm, 15 * mm, 34 * mm, 24 * mm, 26 * mm, 27 * mm], numeric_from=2,
                         colour_col=5, states=states)]


def _check(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    res = c["check"].get(lang) or next(iter(c["check"].values()))
    n = res["counts"]
    head = [Paragraph(t("report.check", lang), st["h1"]),
            Paragraph(f"<b>{words.term('verdict', res['verdict'], lang)}</b>. "
                      + t("report.check_counts", lang, passed=n["pass"], failed=n["fail"], warned=n["warn"],
                          na=n["n.a."]),
                      st["body"]), Spacer(1, 3 * mm)]
    rows: list[list[Any]] = [[t("report.criterion", lang), t("report.severity", lang), t("report.result", lang),
                              t("report.finding", lang)]]
    states = []
    for r in res["criteria"]:
        text = f"<b>{_esc(r['title'])}</b><br/>{_esc(r['message'])}"
        if r["result"] in ("fail", "warn") and r["fix"]:
            text += f"<br/><font color='#555555'>→ {_esc(r['fix'])}</font>"
        rows.append([r["id"], r["severity"], words.term("result", r["result"], lang), Paragraph(text, st["cell"])])
        states.append(r["result"])
    return [*head, _table(rows, [15 * mm, 10 * mm, 22 * mm, 130 * mm], colour_col=2, states=states)]


def _sources(c: dict[str, Any], lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    out: list[Any] = [Paragraph(t("report.sources", lang), st["h1"]),
                      Paragraph(t("report.units_note", lang, gwp=c["gwp_set"]), st["body"]), Spacer(1, 2 * mm)]
    for s in c["sources"]:
        out.append(Paragraph("• " + _esc(s), st["small"]))
    out.append(Spacer(1, 3 * mm))
    for note in c["notes"]:
        out.append(Paragraph("• " + _esc(note_text(note, lang)), st["small"]))
    out += [Spacer(1, 4 * mm), Paragraph(t("report.frozen", lang), st["small"])]
    return out


def _title_page(c: dict[str, Any], snap: Snapshot, lang: str, st: dict[str, ParagraphStyle]) -> list[Any]:
    plan = c["plan"]
    adopted = day(plan["adopted"], lang) if plan.get("adopted") else t("report.draft", lang)
    rows = [[t("report.organisation", lang), f"{c['organisation']['name']} ({c['organisation']['code']})"],
            [t("report.plan", lang), Paragraph(_esc(plan["name"]), st["body"])],
            [t("report.adopted", lang), adopted], [t("report.as_of", lang), day(c["as_of"], lang)],
            [t("report.issued", lang), day(c["issued"], lang)],
            [t("report.digest", lang), Paragraph(f"<font size=7>{snap.digest}</font>", st["body"])]]
    out: list[Any] = [Spacer(1, 45 * mm), Paragraph(_esc(c["organisation"]["name"]), st["subtitle"]),
                      Spacer(1, 3 * mm), Paragraph(t("report.title", lang, year=c["year"]), st["title"]),
                      Spacer(1, 3 * mm), Paragraph(t("report.subtitle", lang), st["subtitle"]), Spacer(1, 18 * mm),
                      _table(rows, [45 * mm, 120 * mm], header=False), Spacer(1, 12 * mm)]
    if c["illustrative"]:
        out.append(Paragraph(t("report.illustrative", lang), st["banner"]))
        out.append(Spacer(1, 6 * mm))
    out.append(Paragraph(t("report.frozen", lang), st["small"]))
    return out


def render_pdf(snap: Snapshot, language: str = "en") -> bytes:
    """The report of ``snap`` as PDF bytes, in English or Danish."""
    _fonts()
    st = _styles()
    c = snap.content
    buf = io.BytesIO()
    footer = f"{c['organisation']['name']} · {t('report.title', language, year=c['year'])} · {snap.short_digest}"

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(20 * mm, 10 * mm, footer)
        canvas.drawRightString(190 * mm, 10 * mm, t("report.page", language, n=doc.page))
        if c["illustrative"]:
            canvas.setFillColor(colors.HexColor("#8a1c10"))
            canvas.drawString(20 * mm, 287 * mm, t("report.illustrative", language))
        canvas.restoreState()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=t("report.title", language, year=c["year"]),
                            author=c["organisation"]["name"], subject=snap.digest, creator="nettonul",
                            invariant=1)
    story: list[Any] = _title_page(c, snap, language, st)
    story += [PageBreak(), *_summary(c, language, st), PageBreak(), *_sectors(c, language, st), PageBreak(),
              *_actions(c, language, st), Spacer(1, 6 * mm), KeepTogether(_indicators(c, language, st)),
              *_costs(c, language, st), PageBreak(), *_check(c, language, st), PageBreak(), *_sources(c, language, st)]
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buf.getvalue()
