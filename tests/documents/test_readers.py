"""Readers: real PDF, DOCX and HTML files made inside the tests, plain text in two encodings."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from nettonul.documents import DocumentError, import_document
from nettonul.documents.readers import kind_of, read_html, read_pdf


def minimal_pdf(pages: list[list[str]]) -> bytes:
    """A PDF written by hand: one Helvetica text line per entry, one page per list."""
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, lines in enumerate(pages):
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       f" /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PDF_PAGES = [
    ["KLIMAPLAN 2030", "1. Indledning", "Kommunen vil reducere udledningen med 70 procent i",
     "2030 i forhold til 1990 .",
     "Vi skal sikre forsy-", "ningskæder og udenrigs- og sikkerhedspolitik ."],
    ["KLIMAPLAN 2030", "2. Energi", "Vi vil opsætte nye vindmøller ved kysten ."],
    ["KLIMAPLAN 2030", "3. Transport", "Vi vil bygge cykelstier til alle skoler ."],
]


def test_pdf_text_layer_is_read_and_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(minimal_pdf(PDF_PAGES))
    result = import_document(path)
    assert result.kind == "pdf"
    assert "KLIMAPLAN" not in result.text                       # running header on every page
    assert "forsyningskæder og udenrigs- og sikkerhedspolitik." in result.text
    assert [s.title for s in result.sections] == ["1. Indledning", "2. Energi", "3. Transport"]
    assert [(t.kind, t.value, t.base_year, t.target_year) for t in result.targets] == [
        ("reduction_pct", 70.0, 1990, 2030)]
    assert [(c.section, c.sector) for c in result.commitments] == [
        ("1. Indledning", None), ("2. Energi", "energy"), ("3. Transport", "transport")]


def test_pdf_made_by_matplotlib_is_read(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    path = tmp_path / "figure.pdf"
    with PdfPages(path) as pdf:
        figure = Figure(figsize=(8, 3))
        figure.text(0.05, 0.5, "We will plant 500 trees along the river.")
        pdf.savefig(figure)
    result = import_document(path)
    assert [c.text for c in result.commitments] == ["plant 500 trees along the river"]


def test_a_pdf_without_text_and_a_damaged_pdf_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no text layer"):
        read_pdf(minimal_pdf([[]]), "scan.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(DocumentError, match=r"broken\.pdf"):
        import_document(broken)


def test_docx_paragraphs_headings_lists_and_tables(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("1. Energi", level=1)
    document.add_paragraph("Kommunen skal være klimaneutral senest i 2040.")
    document.add_paragraph("Kommunen har følgende indsatser:")
    document.add_paragraph("udbygge fjernvarmen", style="List Bullet")
    document.add_paragraph("etablere solceller på skolerne", style="List Bullet")
    document.add_heading("2. Transport", level=1)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Indsats"
    table.rows[0].cells[1].text = "Vi vil bygge ladestandere."
    path = tmp_path / "plan.docx"
    document.save(str(path))
    result = import_document(path)
    assert result.kind == "docx"
    assert [s.title for s in result.sections] == ["1. Energi", "2. Transport"]
    assert [(t.kind, t.target_year, t.qualifier) for t in result.targets] == [("net_zero", 2040, "senest")]
    assert [(c.text, c.section) for c in result.commitments] == [
        ("udbygge fjernvarmen", "1. Energi"), ("etablere solceller på skolerne", "1. Energi"),
        ("bygge ladestandere", "2. Transport")]   # a table cell is read as its own sentence
    assert "| Indsats | Vi vil bygge ladestandere. |" in result.text


HTML = """<!doctype html><html><head><title>Nyhed</title><script>var x = 1;</script></head><body>
<header><nav><a href="/">Forside</a> <a href="/klima">Klima</a></nav></header>
<div class="cookie-banner">Vi bruger cookies</div>
<main><article>
  <header class="article-header"><h1>Kommunen vil være klimaneutral</h1></header>
  <p class="byline">Foto: Jens Hansen.</p>
  <p>Byrådet har besluttet, at kommunen skal være klimaneutral senest i 2035.</p>
  <div class="ad-box"><span>Sponseret</span><p>Nyt fjernvarmeanlæg skal være CO2-neutralt i 2026.</p></div>
  <div><p>Sponseret</p><p>Køb solceller med 30 % rabat frem til 2025.</p></div>
  <h2>Indsatser</h2>
  <p>Kommunen vil udskifte alle dieselbusser med elbusser.</p>
  <ul><li>Mindre tekst i en liste</li></ul>
</article></main>
<aside class="related"><h3>Relateret indhold</h3><p>Regionen vil være fossilfri i 2040.</p></aside>
<section class="newsletter"><p>Hold dig opdateret med vores nyhedsbrev</p></section>
<footer><p>Kontakt os - Avisen.dk 2025</p></footer>
</body></html>"""


def test_html_keeps_the_article_and_drops_chrome(tmp_path: Path) -> None:
    path = tmp_path / "nyhed.html"
    path.write_text(HTML, encoding="utf-8")
    result = import_document(path)
    assert result.kind == "html"
    assert result.text.split("\n\n") == [
        "Kommunen vil være klimaneutral",
        "Byrådet har besluttet, at kommunen skal være klimaneutral senest i 2035.",
        "Indsatser",
        "Kommunen vil udskifte alle dieselbusser med elbusser.",
        "• Mindre tekst i en liste",
    ]
    assert [(t.kind, t.target_year) for t in result.targets] == [("net_zero", 2035)]
    # the headline states a commitment too
    assert [c.text for c in result.commitments] == ["være klimaneutral", "udskifte alle dieselbusser med elbusser"]


def test_html_without_article_element_uses_the_body() -> None:
    text = read_html("<html><body><nav>Menu</nav><p>Første afsnit.</p><div><p>Andet afsnit.</p></div></body></html>")
    assert text == "Første afsnit.\n\nAndet afsnit."


def test_text_files_in_utf8_and_windows_1252(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Vi vil plante skov på Ærø.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes("Vi vil plante skov på Ærø.".encode("cp1252"))
    assert import_document(tmp_path / "a.txt").text == import_document(tmp_path / "b.txt").text


def test_kind_by_extension_then_by_content(tmp_path: Path) -> None:
    pdf = tmp_path / "download"
    pdf.write_bytes(minimal_pdf(PDF_PAGES))
    html = tmp_path / "page"
    html.write_text("<html><body><p>Hej</p></body></html>", encoding="utf-8")
    text = tmp_path / "notes"
    text.write_text("Bare tekst.", encoding="utf-8")
    assert [kind_of(p) for p in (pdf, html, text)] == ["pdf", "html", "text"]
    assert kind_of(Path("x.DOCX")) == "docx"


def test_missing_files_and_directories_are_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        import_document(tmp_path / "nope.pdf")
    with pytest.raises(IsADirectoryError):
        import_document(tmp_path)
