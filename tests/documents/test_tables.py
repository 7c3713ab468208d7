"""Tables read as rows and columns: markdown, HTML, DOCX and PDF (generated with reportlab)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from nettonul.documents import import_document
from nettonul.documents.cleaning import clean
from nettonul.documents.tables import find_tables

PLAN_MD = """# Klimaplan for Testrup Kommune

## 1. Mål

Testrup Kommune har sat følgende mål for udledningen i forhold til 2018:

| Sektor | Udledning 2018 (t CO2e) | Mål 2030 | Mål 2050 |
|---|---:|---:|---|
| Energi | 120.000 | -70 % | klimaneutral |
| Transport | 80.000 | -50 % | -100 % |
| Landbrug | 95.000 | 35 % | 60 % |

Udledningen har været således:

| År | 2018 | 2020 | 2022 |
|---|---|---|---|
| I alt (t CO2e) | 295.000 | 281.000 | 270.500 |

## 2. Energi

Energisektoren skal reducere udledningen med 70 % i 2030 i forhold til 2018.

Kommunen vil opsætte 12 vindmøller på land.
"""


def _rows(result):  # (kind, value, unit, base, year, quote, subject, row, column)
    return [(t.kind, t.value, t.unit, t.base_year, t.target_year, t.quote, t.subject,
             t.table.row if t.table else None, t.table.column if t.table else None) for t in result.targets]


def test_markdown_target_table_gives_one_target_per_cell_with_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "plan.md"
    path.write_text(PLAN_MD, encoding="utf-8")
    result = import_document(path, owner="Testrup Kommune")
    # worked out by hand from the table: the base year from the lead-in "i forhold til 2018", the
    # target year from each column header, a percentage in a table of cuts is a reduction, the
    # "Udledning 2018" column is a base and the yearly emissions table has no aim
    assert _rows(result) == [
        ("reduction_pct", 70.0, "%", 2018, 2030, "-70 %", "Energi", "Energi", "Mål 2030"),
        ("net_zero", None, None, None, 2050, "klimaneutral", "Energi", "Energi", "Mål 2050"),
        ("reduction_pct", 50.0, "%", 2018, 2030, "-50 %", "Transport", "Transport", "Mål 2030"),
        ("reduction_pct", 100.0, "%", 2018, 2050, "-100 %", "Transport", "Transport", "Mål 2050"),
        ("reduction_pct", 35.0, "%", 2018, 2030, "35 %", "Landbrug", "Landbrug", "Mål 2030"),
        ("reduction_pct", 60.0, "%", 2018, 2050, "60 %", "Landbrug", "Landbrug", "Mål 2050"),
    ]
    energy = result.targets[0]
    # the prose restates the table's energy target: one target, both mentions
    assert energy.all_mentions()[0].quote == "-70 %"
    assert len(energy.all_mentions()) == 2
    assert all(result.text[t.start:t.end] == t.quote for t in result.targets)
    assert result.targets[0].to_json()["table"] == {"table": 1, "row": "Energi", "column": "Mål 2030"}
    assert [s.title for s in result.sections] == ["1. Mål", "2. Energi"]
    assert [c.text for c in result.commitments] == ["opsætte 12 vindmøller på land"]


def test_table_rows_are_not_read_as_sentences() -> None:
    # before tables were read as tables, each row was a "sentence" with figures and years
    text = clean(PLAN_MD)
    tables = find_tables(text)
    assert [t.headers for t in tables] == [("Sektor", "Udledning 2018 (t CO2e)", "Mål 2030", "Mål 2050"),
                                           ("År", "2018", "2020", "2022")]
    assert "|---" not in text
    result = import_document(PLAN_MD.replace("|", " ").replace("---:", "").replace("---", ""))
    assert result.targets   # the same figures as prose lines do get read: the table rule is what stops it
    table_free = import_document(PLAN_MD)
    assert all(t.table is not None or "|" not in t.quote for t in table_free.targets)
    assert clean(text) == text


HTML = """<html><body><article><h1>Our targets</h1>
<p>The Council has set the following targets for 2030.</p>
<table><tr><th>Indicator</th><th>Baseline 2019</th><th>Target 2030</th></tr>
<tr><td>Share of waste recycled</td><td>45 %</td><td>60 %</td></tr>
<tr><td>New forest (ha)</td><td>0</td><td>3,000</td></tr>
<tr><td>Energy use in council buildings (MWh)</td><td>40,000</td><td>27,500</td></tr>
</table>
<p>Emissions by year:</p>
<table><tr><th>Year</th><th>2019</th><th>2020</th><th>2021</th></tr>
<tr><td>Transport (t CO2e)</td><td>81,000</td><td>78,500</td><td>77,900</td></tr></table>
</article></body></html>"""


def test_html_table_targets_in_english(tmp_path: Path) -> None:
    path = tmp_path / "targets.html"
    path.write_text(HTML, encoding="utf-8")
    result = import_document(path, owner="Testshire Council")
    assert _rows(result) == [
        ("share", 60.0, "%", None, 2030, "60 %", "Share of waste recycled", "Share of waste recycled", "Target 2030"),
        ("area", 3000.0, "ha", None, 2030, "3,000", "New forest", "New forest (ha)", "Target 2030"),
        ("energy", 27500.0, "MWh", None, 2030, "27,500", "Energy use in council buildings",
         "Energy use in council buildings (MWh)", "Target 2030"),
    ]
    assert all(t.owner == "Testshire Council" and not t.context for t in result.targets)


def test_docx_table_cells_keep_their_columns(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Målene for kommunens bygninger:")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("Område", "Basisår", "Mål 2030 (MWh)"), strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ("Energiforbrug i kommunens bygninger", "2019", "12.500"), strict=True):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(str(path))
    result = import_document(path)
    assert _rows(result) == [("energy", 12500.0, "MWh", None, 2030, "12.500", "Energiforbrug i kommunens bygninger",
                              "Energiforbrug i kommunens bygninger", "Mål 2030 (MWh)")]


def plan_pdf() -> bytes:
    """A two-page plan: a heading, a ruled target table, then a page set in two columns."""
    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=A4)
    w, h = A4
    doc.addPageTemplates([
        PageTemplate("one", [Frame(50, 50, w - 100, h - 100)]),
        PageTemplate("two", [Frame(50, 50, (w - 120) / 2, h - 100),
                             Frame(70 + (w - 120) / 2, 50, (w - 120) / 2, h - 100)]),
    ])
    body = styles["BodyText"]
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    left = ("Venstre spalte begynder her. Transporten er kommunens næststørste kilde til udledning. "
            "Bilerne kører mange kilometer hver dag, og pendlingen til de store byer er lang. ") * 5
    right = ("Højre spalte fortsætter. Kollektiv trafik skal styrkes, og cykelstierne skal forbindes. "
             "Borgerne ønsker flere busser i yderområderne og bedre forbindelser. ") * 5
    doc.build([
        Paragraph("1. Mål for Testrup Kommune", styles["Heading1"]),
        Paragraph("Testrup Kommune har vedtaget disse mål for udledningen af drivhusgasser i forhold til 2018.", body),
        Table([["Sektor", "Udledning 2018 (t CO2e)", "Mål 2030", "Mål 2045"],
               ["Energi", "120.000", "-70 %", "klimaneutral"],
               ["Transport", "80.000", "-50 %", "-90 %"]], style=grid),
        Paragraph("Tabellen viser målene pr. sektor.", body),
        NextPageTemplate("two"), PageBreak(),
        Paragraph("2. Transport", styles["Heading1"]),
        Paragraph(left, body), Paragraph("Kommunen vil bygge 40 ladestandere inden 2027.", body),
        Paragraph(right, body),
    ])
    return buf.getvalue()


def test_pdf_table_columns_and_headings(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(plan_pdf())
    result = import_document(path, owner="Testrup Kommune")
    assert _rows(result) == [
        ("reduction_pct", 70.0, "%", 2018, 2030, "-70 %", "Energi", "Energi", "Mål 2030"),
        ("net_zero", None, None, None, 2045, "klimaneutral", "Energi", "Energi", "Mål 2045"),
        ("reduction_pct", 50.0, "%", 2018, 2030, "-50 %", "Transport", "Transport", "Mål 2030"),
        ("reduction_pct", 90.0, "%", 2018, 2045, "-90 %", "Transport", "Transport", "Mål 2045"),
        ("count", 40.0, "count", None, 2027, "Kommunen vil bygge 40 ladestandere inden 2027", "Kommunen", None, None),
    ]
    assert [s.title for s in result.sections] == ["1. Mål for Testrup Kommune", "2. Transport"]
    # the left column is read to its end before the right one begins
    text = result.text
    assert text.rindex("Venstre spalte") < text.index("Kommunen vil bygge") < text.index("Højre spalte")
    assert [c.text for c in result.commitments] == ["bygge 40 ladestandere inden 2027"]
