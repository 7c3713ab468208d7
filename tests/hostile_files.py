"""Hostile files for the limit tests, built on the spot: zip bombs of blank sheets, XML with
external entities or "billion laughs", truncated workbooks, PDF decompression bombs, deep
YAML and deep unit trees."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

MB = 1_000_000

XXE_DOCTYPE = b'<!DOCTYPE ws [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b"]>")


def xlsx_bytes(rows: Sequence[Sequence[Any]], title: str = "Sheet1") -> bytes:
    """A real workbook with ``rows`` on its first sheet."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, changes: Mapping[str, bytes]) -> bytes:
    """The zip ``data`` with the members of ``changes`` replaced (or added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.get(info.filename, src.read(info.filename)))
        for name, content in changes.items():
            if name not in src.namelist():
                dst.writestr(name, content)
    return out.getvalue()


def _with_doctype(xml: bytes, doctype: bytes) -> bytes:
    end = xml.index(b"?>") + 2 if xml.startswith(b"<?xml") else 0
    return xml[:end] + doctype + xml[end:]


SHEET = "xl/worksheets/sheet1.xml"


def xxe_xlsx() -> bytes:
    """A workbook whose sheet reads an external entity (/etc/passwd) into cell A2."""
    base = xlsx_bytes([["name"], ["x"]])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET)
    sheet = _with_doctype(sheet, XXE_DOCTYPE)
    sheet = sheet.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
                          b"</sheetData>")
    return rewrite_zip(base, {SHEET: sheet})


def billion_laughs_xlsx() -> bytes:
    """A workbook whose sheet has a cell that expands to ten to the ninth "lol"s."""
    base = xlsx_bytes([["name"], ["x"]])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET)
    sheet = _with_doctype(sheet, LAUGHS_DOCTYPE)
    sheet = sheet.replace(b"</sheetData>", b'<row r="3"><c r="A3" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                          b"</sheetData>")
    return rewrite_zip(base, {SHEET: sheet})


def blank_sheet_bomb(inflated: int) -> bytes:
    """A workbook whose sheet is ``inflated`` bytes of blank space between its tags: a few
    hundred kB that unpack to ``inflated`` (the directory states the true size)."""
    base = xlsx_bytes([["name"], ["x"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != SHEET:
                dst.writestr(info.filename, src.read(info.filename))
                continue
            xml = src.read(SHEET)
            head, tail = xml.split(b"<sheetData>", 1)
            member_info = zipfile.ZipInfo(SHEET)
            member_info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(member_info, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                blank = b" " * MB
                for _ in range(inflated // MB):
                    member.write(blank)
                member.write(tail)
    return out.getvalue()


def far_row_xlsx(row: int = 1_048_576, column: str = "A") -> bytes:
    """A workbook with one filled cell far down the sheet: openpyxl yields every row above it."""
    base = xlsx_bytes([["name"], ["x"]])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read(SHEET)
    sheet = sheet.replace(b"</sheetData>", b'<row r="%d"><c r="%s%d" t="n"><v>1</v></c></row></sheetData>'
                          % (row, column.encode(), row))
    return rewrite_zip(base, {SHEET: sheet})


def truncated_xlsx() -> bytes:
    data = xlsx_bytes([["unit", "year", "activity", "amount", "unit_of_amount"], ["hq", 2024, "x", 1, "kWh"]])
    return data[: len(data) * 2 // 3]


def pdf_with_stream(content: bytes, layers: int = 1, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages showing the content stream ``content``, deflated ``layers`` times."""
    packed = content
    for _ in range(layers):
        packed = zlib.compress(packed, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d /Filter %s >>\nstream\n" % (len(packed), filters) + packed + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_bomb(inflated: int, layers: int = 1) -> bytes:
    """A PDF whose one content stream inflates to ``inflated`` bytes of blanks."""
    return pdf_with_stream(b" " * inflated, layers)


def deep_yaml(levels: int) -> str:
    """A YAML document nested ``levels`` deep, in flow style (10 kB for 5,000 levels)."""
    return "plan: " + "[" * levels + "]" * levels + "\n"


def deep_tree_csv(levels: int) -> bytes:
    rows = ["id,name,kind,country,parent", "u0,Root,ministry,DK,"]
    rows += [f"u{i},Unit {i},department,DK,u{i - 1}" for i in range(1, levels)]
    return ("\n".join(rows) + "\n").encode()
