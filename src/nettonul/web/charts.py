"""Charts as data: one :class:`Chart` feeds the interactive plot, its accessible table and
its CSV download, so the three always show the same numbers.

Charts are built only from what :mod:`nettonul.web.engine` returns (engine results as
dicts); nothing here computes emissions. The figure for the browser is a plain Plotly
figure description (``data`` and ``layout``), drawn by ``static/ui/charts.js`` (in the ``site`` app) with
the ``plotly.min.js`` shipped in the ``plotly`` wheel.

A module of the web package rather than of one app, because the plan editor (``plans``),
the monitoring pages and the dashboards (``site``) all draw charts; it imports no app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nettonul.web.engine.vocabulary import csv_text, i18n, xlsx_bytes

#: Colours that stay distinguishable for the common forms of colour blindness (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
WEDGE_COLOURS = ("#9ecae1", "#a1d99b", "#fdd0a2", "#dadaeb", "#fcbba1", "#c7e9c0", "#fee6ce", "#d9d9d9")


def number(value: float | None, language: str = "en") -> str:
    """A whole number with the language's thousands separator (``12.345`` in Danish), an en
    dash where there is none."""
    return i18n.number(value, language, missing="–")


def unit_label(unit: str, gwp_set: str | None = None) -> str:
    """``t_CO2e`` -> ``t CO2e (AR5)``."""
    text = unit.replace("_", " ")
    return f"{text} ({gwp_set})" if gwp_set else text


@dataclass
class Series:
    """One column of a chart: values on the chart's x axis (None where there is none)."""

    key: str
    label: str
    values: list[float | None]
    #: line | dashed | dotted | markers | bar | wedge | band_low | band_high | gap
    style: str = "line"
    colour: str | None = None
    in_plot: bool = True
    in_table: bool = True
    #: What the plot draws when it differs from the table (a back-cast line joined to the
    #: first inventory year).
    plot_values: list[float | None] | None = None
    #: Per value: an estimate (bars draw these hatched).
    estimated: list[bool] = field(default_factory=list)


@dataclass
class Gap:
    """The gap at a target year, drawn as a bracket from the target level up to ``value``."""

    year: int
    value: float
    gap: float
    label: str


@dataclass
class Chart:
    id: str
    title: str
    unit: str
    x_label: str
    x: list[Any]  # years, or category names (regions)
    series: list[Series]
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    csv_url: str = ""
    stacked_bars: bool = False
    gaps: list[Gap] = field(default_factory=list)
    #: Per x value: is anything shown for it an estimate (back-cast or gap-filled)? When
    #: given, the table view and the CSV carry a flag column.
    estimated: list[bool] | None = None

    # ------------------------------------------------------------------ table, CSV and Excel
    @property
    def xlsx_url(self) -> str:
        """The Excel download beside the CSV one: every ``….csv`` route has a ``….xlsx`` twin."""
        path, sep, query = self.csv_url.partition("?")
        return (path[:-4] + ".xlsx" + sep + query) if path.endswith(".csv") else ""

    @property
    def table_series(self) -> list[Series]:
        return [s for s in self.series if s.in_table]

    def header(self) -> list[str]:
        flag = [_("Estimate")] if self.estimated is not None else []
        return [self.x_label, *(s.label for s in self.table_series), *flag]

    def rows(self) -> list[list[Any]]:
        """One row per x value that has at least one number."""
        return [row for row, _flag in self._rows()]

    def _rows(self) -> list[tuple[list[Any], bool]]:
        out = []
        for i, x in enumerate(self.x):
            values = [s.values[i] for s in self.table_series]
            if any(v is not None for v in values):
                out.append(([x, *values], bool(self.estimated[i]) if self.estimated is not None else False))
        return out

    def table_body(self, language: str = "en") -> SafeString:
        """The table view's rows as HTML, built here rather than in a template loop: a
        pathway has some 60 years x 10 columns, and this keeps the page fast. The cells are
        years, formatted numbers (digits, separators, a dash) and the translated word for an
        estimate, escaped once. Estimated rows are marked in their class and flag cell."""
        mark = escape(_("estimate"))
        flagged = self.estimated is not None

        def row_html(row: list[Any], estimated: bool) -> str:
            cells = "".join(f'<td class="num">{number(v, language)}</td>' for v in row[1:])
            flag = f'<td class="flag">{mark if estimated else ""}</td>' if flagged else ""
            attr = ' class="estimated"' if estimated else ""
            head = escape(row[0]) if isinstance(row[0], str) else int(row[0])
            return f'<tr{attr}><th scope="row">{head}</th>{cells}{flag}</tr>'

        return mark_safe("".join(row_html(row, estimated) for row, estimated in self._rows()))

    def csv(self, language: str | None = None) -> str:
        """The table as CSV: the unit in every value column's header and, for a chart with
        estimates, a last column ``estimated`` (``true`` for back-cast or gap-filled years).

        Danish (``language="da"``) is what Danish Excel opens as numbers: ``;`` between
        cells, a decimal comma, whole tonnes (shares in % to one decimal) and ``ja``/``nej``;
        otherwise ``,`` and exact values with ``.``."""
        flagged = self.estimated is not None
        danish = (language or "")[:2] == "da"
        header = [self.x_label, *(f"{s.label} ({self.unit})" for s in self.table_series),
                  *(["estimated"] if flagged else [])]
        digits = 1 if "%" in self.unit else 0

        def cell(v: Any) -> str:
            if v is None:
                return ""
            if danish:
                return f"{round(float(v), digits) + 0.0:.{digits}f}".replace(".", ",")
            return repr(float(v))

        def flag(estimated: bool) -> str:
            if danish:
                return "ja" if estimated else "nej"
            return str(estimated).lower()

        body = ([row[0], *(cell(v) for v in row[1:]), *([flag(estimated)] if flagged else [])]
                for row, estimated in self._rows())
        # labels are typed by users: never a formula
        return csv_text([header, *body], delimiter=";" if danish else ",")

    def xlsx(self) -> bytes:
        """The table as an Excel workbook: the same rows as :meth:`csv`, the unit in every value
        column's header, numbers stored exactly (shown as whole tonnes, shares to one decimal)
        and, for a chart with estimates, a yes/no column in the active language."""
        flagged = self.estimated is not None
        header = [self.x_label, *(f"{s.label} ({self.unit})" for s in self.table_series),
                  *([_("Estimate")] if flagged else [])]
        body = [[row[0], *row[1:], *([_("yes") if estimated else _("no")] if flagged else [])]
                for row, estimated in self._rows()]
        shown = "0.0" if "%" in self.unit else "#,##0"
        return xlsx_bytes([header, *body], sheet=self.title,
                          number_format=["0", *(shown for _s in self.table_series)])

    # ------------------------------------------------------------------ plotly
    def figure(self, language: str = "en") -> dict[str, Any]:
        data: list[dict[str, Any]] = []
        for n, s in enumerate(self.series):
            if s.in_plot:
                data.append(_trace(self.x, s, s.colour or PALETTE[n % len(PALETTE)]))
        for g in self.gaps:
            data.append({
                "type": "scatter", "mode": "lines+markers+text", "x": [g.year, g.year], "y": [g.value - g.gap, g.value],
                "line": {"color": PALETTE[3], "width": 3}, "marker": {"symbol": "line-ew", "size": 12,
                                                                      "line": {"width": 3, "color": PALETTE[3]}},
                "text": ["", _("gap %(year)s: %(gap)s") % {"year": g.year, "gap": number(g.gap, language)}],
                # Near the right edge the label goes to the left of the bracket, inside the plot.
                "textposition": "middle left" if g.year >= max(self.x) - 5 else "middle right",
                "name": g.label, "meta": f"gap:{g.year}", "showlegend": False,
                "hovertemplate": f"{g.label}: {number(g.gap, language)}<extra></extra>",
            })
        layout = {
            "margin": {"l": 80, "r": 90, "t": 10, "b": 40},
            "hovermode": "x unified",
            "legend": {"orientation": "h", "y": -0.22, "yanchor": "top"},
            "xaxis": {"title": {"text": self.x_label}},
            "yaxis": {"title": {"text": self.unit}, "rangemode": "tozero", "tickformat": ",.0f"},
            # relative: negative sectors (removals) stack below zero, positive ones above.
            "barmode": "relative" if self.stacked_bars else "group",
        }
        return {"data": data, "layout": layout}


def _trace(x: Sequence[int], s: Series, colour: str) -> dict[str, Any]:
    xs, ys = list(x), list(s.values if s.plot_values is None else s.plot_values)
    if s.style.startswith(("wedge", "band", "estimate")):
        # Stacked and filled traces would read a missing year as zero: give them only the
        # years that have a value.
        xs, ys = [a for a, v in zip(xs, ys, strict=True) if v is not None], [v for v in ys if v is not None]
    base: dict[str, Any] = {"x": xs, "y": ys, "name": s.label, "meta": s.key, "hovertemplate": "%{y:,.0f}"}
    if s.style == "bar":
        marker: dict[str, Any] = {"color": colour}
        if any(s.estimated):
            marker["pattern"] = {"shape": ["/" if e else "" for e in s.estimated]}
        return {**base, "type": "bar", "marker": marker}
    trace: dict[str, Any] = {**base, "type": "scatter", "mode": "lines", "connectgaps": False,
                             "line": {"color": colour, "width": 2}}
    if s.style == "dashed":
        trace["line"]["dash"] = "dash"
    elif s.style == "dotted":
        trace["line"]["dash"] = "dot"
    elif s.style == "markers":
        trace["mode"] = "lines+markers"
    elif s.style == "estimate":
        # Back-cast years: dashed, with open markers, so they never read as inventory figures.
        trace.update(mode="lines+markers", line={"color": colour, "width": 2, "dash": "dash"},
                     marker={"symbol": "circle-open", "size": 6, "color": colour})
    elif s.style == "wedge":
        # Wedges stack on top of the plan line (the first member of the stack is the plan,
        # drawn without fill), so together they fill the space up to business as usual.
        trace.update(stackgroup="wedges", line={"width": 0.5, "color": colour}, fillcolor=colour)
    elif s.style == "wedge_base":
        trace.update(stackgroup="wedges", fillcolor="rgba(0,0,0,0)", line={"width": 0}, showlegend=False,
                     hoverinfo="skip")
    elif s.style in ("band_low", "band_high"):
        trace.update(line={"width": 0, "color": colour}, hovertemplate="%{y:,.0f}")
        if s.style == "band_high":
            trace.update(fill="tonexty", fillcolor="rgba(0,114,178,0.15)")
    elif s.style == "gap":
        trace.update(mode="markers+text", marker={"symbol": "diamond", "size": 10, "color": colour},
                     text=[None if v is None else f"{v:,.0f}" for v in s.values], textposition="middle right")
    return trace


def history_series(values: Sequence[float | None], estimated: Sequence[bool], colour: str = PALETTE[7],
                   style: str = "markers") -> list[Series]:
    """The inventory line and, when any year is estimated, the back-cast line: the same
    values split by the engine's estimate mask. The back-cast line is drawn dashed and joined
    to the first inventory figure after it, so the plot has no hole between the two."""
    measured = [None if e else v for v, e in zip(values, estimated, strict=True)]
    out = [Series("inventory", _("Inventory"), measured, style, colour)]
    if any(e and v is not None for v, e in zip(values, estimated, strict=True)):
        backcast = [v if e else None for v, e in zip(values, estimated, strict=True)]
        joined = list(backcast)
        last = max(i for i, v in enumerate(backcast) if v is not None)
        after = next((i for i in range(last + 1, len(values)) if measured[i] is not None), None)
        if after is not None:
            joined[after] = measured[after]
        out.append(Series("backcast", _("Back-cast (estimate)"), backcast, "estimate", colour, plot_values=joined))
    return out


def _on(x: Sequence[int], years: Sequence[int], values: Sequence[float | None]) -> list[float | None]:
    """``values`` (given for ``years``) placed on the axis ``x``; None where absent."""
    by_year = dict(zip(years, values, strict=True))
    return [by_year.get(y) for y in x]


# ----------------------------------------------------------------------------- the charts
def inventory_chart(table: Mapping[str, Any], csv_url: str = "") -> Chart:
    """Emissions by sector and year (stacked bars) from ``inventories.inventory_table``."""
    series = [Series(f"sector:{s['code']}", s["name"], list(s["values"]), "bar", PALETTE[i % len(PALETTE)],
                     estimated=list(s.get("estimated") or []))
              for i, s in enumerate(table["sectors"])]
    series.append(Series("total", _("Total"), list(table["total"]), "markers", "#000000", in_plot=False))
    # A year is flagged when any sector's figure for it is an estimate (gap-filled).
    estimated = [any(s.estimated[i] for s in series[:-1] if s.estimated) for i in range(len(table["years"]))]
    notes = list(table["notes"])
    if any(estimated):
        notes.append(_("Hatched bars: estimated figures."))
    return Chart(id="inventory", title=_("Emissions by sector"), unit=unit_label(table["unit"], table["gwp_set"]),
                 x_label=_("Year"), x=list(table["years"]), series=series, sources=list(table["sources"]),
                 notes=notes, csv_url=csv_url, stacked_bars=True, estimated=estimated)


def pathway_chart(pathway: Mapping[str, Any], scenario: Mapping[str, Any] | None = None,
                  band: Mapping[str, Any] | None = None, csv_url: str = "", chart_id: str = "pathway") -> Chart:
    """The pathway: inventory, business as usual, the target path and the gap at each
    milestone (``inventories.pathway_dict``); with a plan ``scenario`` (``plans.scenario``)
    also the plan, each action's wedge and the gap of the plan; with ``band`` (one
    organisation of ``plans.simulation``) the 5-95 % range of the plan's emissions."""
    x = list(pathway["years"])
    estimated = [bool(e) for e in pathway["historical"]["estimated"]]
    series = history_series(list(pathway["historical"]["total"]), estimated)
    notes: list[str] = []
    sources = list(pathway["sources"])
    if scenario is None:
        series.append(Series("bau", _("Business as usual"), list(pathway["bau"]["total"]), "dashed", PALETTE[5]))
        series.append(Series("target_path", _("Target path"), list(pathway["target_path"]["values"]), "dotted",
                             PALETTE[2]))
        gaps = {m["year"]: m["gap"] for m in pathway["target_path"]["milestones"]}
        gap_label = _("Gap: business as usual minus the target path (positive: above the path)")
        gap_at = {y: _value_at(pathway["bau"]["total"], x, y) for y in gaps}
    else:
        years = list(scenario["years"])
        series.append(Series("bau", _("Business as usual"), _on(x, years, scenario["bau"]), "dashed", PALETTE[5]))
        plan = _on(x, years, scenario["plan"])
        series.append(Series("plan_base", _("Plan"), plan, "wedge_base", in_plot=bool(scenario["wedges"]),
                             in_table=False))
        for i, w in enumerate(scenario["wedges"]):
            series.append(Series(f"wedge:{w['action']}", _("Wedge: %(action)s") % {"action": w["title"]},
                                 _on(x, years, w["values"]), "wedge", WEDGE_COLOURS[i % len(WEDGE_COLOURS)]))
        series.append(Series("plan", _("Plan"), plan, "line", PALETTE[0]))
        if band is not None:
            p = band["percentiles"]
            series.append(Series("plan_p5", _("Plan, 5th percentile"), _on(x, band["years"], p["P5"]), "band_low",
                                 PALETTE[0]))
            series.append(Series("plan_p95", _("Plan, 95th percentile"), _on(x, band["years"], p["P95"]),
                                 "band_high", PALETTE[0]))
            notes.append(_("Shaded: 5-95 %% of %(n)s Monte Carlo draws over the plan's stated uncertainties.")
                         % {"n": band["draws"]})
        series.append(Series("target_path", _("Target path"), _on(x, years, scenario["target_path"]), "dotted",
                             PALETTE[2]))
        gaps = {t["year"]: t["gap"] for t in scenario["targets"]}
        gap_label = _("Gap: plan minus the target (positive: the plan falls short)")
        gap_at = {y: _value_at(plan, x, y) for y in gaps}
        notes.extend(scenario["notes"])
        sources.extend(s for s in scenario["sources"] if s not in sources)
    series.append(Series("gap", gap_label, [gaps.get(y) for y in x], "gap", PALETTE[3], in_plot=False))
    if any(estimated):
        notes.insert(0, _("Dashed with open circles: back-cast to %(year)s from the national sector trends "
                          "(an estimate, not inventory figures).") % {"year": x[estimated.index(True)]})
    chart = Chart(id=chart_id, title=_("Pathway"), unit=unit_label(pathway["unit"], pathway["gwp_set"]),
                  x_label=_("Year"), x=x, series=series, sources=sources, notes=notes, csv_url=csv_url,
                  estimated=estimated)
    for year, gap in sorted(gaps.items()):
        top = gap_at.get(year)
        if gap is not None and top is not None:
            chart.gaps.append(Gap(year, top, gap, gap_label))
    return chart


def rollup_chart(data: Mapping[str, Any], sector_names: Mapping[str, str], csv_url: str = "") -> Chart:
    """The fall of emissions from the last inventory year to the roll-up year by region and
    sector (stacked bars, kt CO2e) from ``nettonul.web.engine.rollup.national``."""
    regions = list(data["regions"])
    sectors = list(data["contribution_by_sector_t"])
    by: dict[tuple[str, str], float] = {}
    for m in data["municipalities"]:
        for s, v in m["contribution_by_sector_t"].items():
            by[(m["region"], s)] = by.get((m["region"], s), 0.0) + (v or 0.0) / 1e3
    series = [Series(f"sector:{s}", sector_names.get(s, s), [by.get((r, s), 0.0) for r in regions], "bar",
                     PALETTE[i % len(PALETTE)]) for i, s in enumerate(sectors)]
    notes = [_("Positive: emissions fall from %(last)s to %(year)s; negative: they rise.")
             % {"last": data["last_inventory_year"], "year": data["year"]}]
    return Chart(id="rollup", title=_("Contributions by region and sector"), unit="kt CO2e (AR5)",
                 x_label=_("Region"), x=regions, series=series, sources=list(data["sources"]), notes=notes,
                 csv_url=csv_url, stacked_bars=True)


def _value_at(values: Sequence[float | None], x: Sequence[int], year: int) -> float | None:
    return values[x.index(year)] if year in x else None


def csv_response(chart: Chart, name: str, language: str | None = None) -> HttpResponse:
    """The chart's numbers as a CSV download named after ``name``, in ``language``'s
    conventions (:meth:`Chart.csv`); Danish starts with a UTF-8 byte-order mark, without
    which Excel reads the file as Windows-1252 and garbles æ, ø and å."""
    danish = (language or "")[:2] == "da"
    text = chart.csv(language)
    response = HttpResponse(("\ufeff" + text) if danish else text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def chart_download(chart: Chart, name: str, kind: str, language: str | None = None) -> HttpResponse:
    """The chart's table as ``kind`` ``csv`` (:func:`csv_response`) or ``xlsx``."""
    return xlsx_response(chart, name) if kind == "xlsx" else csv_response(chart, name, language)


def xlsx_response(chart: Chart, name: str) -> HttpResponse:
    """The chart's numbers as an Excel download named after ``name`` (:meth:`Chart.xlsx`)."""
    return download(chart.xlsx(), f"{slugify(name)}.xlsx", XLSX)


def download(data: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """``data`` as an attachment named ``filename`` (an ASCII fallback and the exact name)."""
    from urllib.parse import quote

    response = HttpResponse(data, content_type=content_type)
    plain = "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
    response["Content-Disposition"] = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"
    return response


def table_download(rows: Sequence[Sequence[Any]], name: str, kind: str, language: str | None = None,
                   sheet: str = "Data") -> HttpResponse:
    """A table (header first) as ``kind`` ``csv`` (in ``language``'s conventions: Danish ``;``
    with a byte-order mark) or ``xlsx``, named after ``name``."""
    if kind == "xlsx":
        return download(xlsx_bytes(rows, sheet=sheet), f"{slugify(name)}.xlsx", XLSX)
    danish = (language or "")[:2] == "da"
    text = csv_text(rows, delimiter=";" if danish else ",")
    return download(("\ufeff" + text) if danish else text, f"{slugify(name)}.csv", "text/csv; charset=utf-8")
