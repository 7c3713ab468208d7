"""The limits on user files (nettonul.engine.io.limits) through the engine's readers: bytes,
unpacked size and compression ratio of .xlsx/.docx, XML with a document type (external entity,
billion laughs), rows and cells, PDF streams and pages, unit-tree depth, UTF-16 text."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostile_files import (
    MB,
    billion_laughs_xlsx,
    blank_sheet_bomb,
    deep_tree_csv,
    far_row_xlsx,
    pdf_bomb,
    pdf_with_stream,
    rewrite_zip,
    truncated_xlsx,
    xlsx_bytes,
    xxe_xlsx,
)
from nettonul.documents.readers import DocumentError, read_bytes, read_path
from nettonul.engine.core.errors import ValidationError
from nettonul.engine.footprint.orgunits import load_org_tree
from nettonul.engine.inventory.readers import read_inventory
from nettonul.engine.io import limits
from nettonul.engine.io.tables import decode_text, read_table, read_yaml
from nettonul.errors import FileLimitError


def refusal(call: object, *args: object, **kwargs: object) -> FileLimitError:
    with pytest.raises(FileLimitError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


# ----------------------------------------------------------------------------- configuration
def test_limits_come_from_the_environment_with_the_documented_defaults() -> None:
    assert limits.Limits.from_env({}) == limits.Limits(
        max_bytes=25_000_000, max_inflated_bytes=200_000_000, max_ratio=100.0, max_rows=200_000,
        max_cells=5_000_000, max_pages=2_000, max_tree_depth=50)
    env = {"NETTONUL_MAX_UPLOAD_BYTES": "1_000", "NETTONUL_MAX_ROWS": "10", "NETTONUL_MAX_COMPRESSION_RATIO": "7.5"}
    got = limits.Limits.from_env(env)
    assert (got.max_bytes, got.max_rows, got.max_ratio, got.max_cells) == (1000, 10, 7.5, 5_000_000)
    with pytest.raises(ValueError, match="NETTONUL_MAX_ROWS='many' is not a number"):
        limits.Limits.from_env({"NETTONUL_MAX_ROWS": "many"})
    with pytest.raises(ValueError, match="must be positive"):
        limits.Limits.from_env({"NETTONUL_MAX_PDF_PAGES": "0"})


def test_applied_limits_are_restored_afterwards() -> None:
    before = limits.current()
    with limits.applied(max_rows=3) as inner:
        assert limits.current().max_rows == 3 == inner.max_rows
    assert limits.current() == before


# ----------------------------------------------------------------------------- bytes
def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path: object) -> None:
    data = b"sector,amount\n" + b"energy,1\n" * 200  # 1,814 bytes
    with limits.applied(max_bytes=1_000):
        exc = refusal(read_table, data, name="big.csv")
        assert (exc.limit, exc.status, exc.actual, exc.allowed) == ("bytes", 413, len(data), 1_000)
        assert str(exc) == "big.csv: the file is 1,814 bytes, more than the upload limit of 1,000 bytes"
        path = tmp_path / "big.csv"  # type: ignore[operator]
        path.write_bytes(data)
        assert refusal(read_table, path).limit == "bytes"
        assert refusal(read_table, io.BytesIO(data), name="big.csv").limit == "bytes"
        assert refusal(read_yaml, b"a: 1\n" * 300, name="big.yaml").limit == "bytes"
        assert refusal(read_bytes, data, "big.txt").limit == "bytes"
        assert refusal(read_path, path).limit == "bytes"
    assert len(read_table(data, name="big.csv").rows) == 200  # within the default limit


def test_the_default_byte_limit_is_25_mb() -> None:
    exc = refusal(read_table, b"a\n" * 12_500_001, name="huge.csv")
    assert exc.allowed == 25_000_000
    assert "more than the upload limit of 25 MB" in str(exc)


# ----------------------------------------------------------------------------- zip containers
def test_a_blank_sheet_zip_bomb_is_refused_from_the_zip_directory_in_no_time() -> None:
    bomb = blank_sheet_bomb(30 * MB)
    assert len(bomb) < 100_000
    start = time.perf_counter()
    exc = refusal(read_table, bomb, name="bomb.xlsx")
    assert time.perf_counter() - start < 0.5
    ratio = 30 * MB / len(bomb)  # the directory states the unpacked sizes; worked out here from the build
    assert exc.limit == "ratio"
    assert exc.status == 413
    assert exc.actual == pytest.approx(ratio, rel=0.01)
    assert f"unpacks to {ratio:,.0f} times its size" in str(exc)
    with limits.applied(max_ratio=1e9, max_inflated_bytes=20 * MB):
        exc = refusal(read_table, bomb, name="bomb.xlsx")
        assert exc.limit == "inflated"
        assert "more than the limit of 20 MB for unpacked contents" in str(exc)


def test_a_small_file_that_packs_well_is_not_a_bomb() -> None:
    # 100 rows of the same text pack some 50 times, but unpack to far below the 10 MB floor
    data = xlsx_bytes([["name", "note"]] + [["x", "same text " * 20]] * 100)
    assert len(read_table(data, name="ok.xlsx").rows) == 100


@pytest.mark.parametrize("build", [xxe_xlsx, billion_laughs_xlsx], ids=["xxe", "billion-laughs"])
def test_xml_with_a_document_type_is_refused_before_any_parser(build: object) -> None:
    exc = refusal(read_table, build(), name="evil.xlsx")  # type: ignore[operator]
    assert (exc.limit, exc.status) == ("xml", 422)
    assert "xl/worksheets/sheet1.xml declares a document type or entities" in str(exc)
    assert "/etc/passwd" not in str(exc)
    assert "root:" not in str(exc)


def test_a_document_type_in_utf16_xml_is_found_too() -> None:
    base = xlsx_bytes([["name"], ["x"]])
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet/>'.encode("utf-16")
    assert refusal(read_table, rewrite_zip(base, {"xl/worksheets/sheet1.xml": xml}), name="w.xlsx").limit == "xml"


def test_a_docx_with_an_external_entity_or_a_bomb_is_refused() -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("Vi vil være klimaneutrale i 2050.")
    out = io.BytesIO()
    doc.save(out)
    good = out.getvalue()
    assert read_bytes(good, "plan.docx")[0] == "Vi vil være klimaneutrale i 2050."
    part = zipfile.ZipFile(io.BytesIO(good)).read("word/document.xml")
    end = part.index(b"?>") + 2
    evil = part[:end] + b'<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + part[end:]
    exc = refusal(read_bytes, rewrite_zip(good, {"word/document.xml": evil}), "evil.docx")
    assert (exc.limit, exc.status) == ("xml", 422)
    padded = part.replace(b"<w:body>", b"<w:body>" + b" " * (30 * MB))
    assert refusal(read_bytes, rewrite_zip(good, {"word/document.xml": padded}), "bomb.docx").limit == "ratio"


def test_a_truncated_workbook_is_a_located_problem_not_a_crash() -> None:
    with pytest.raises(ValidationError) as caught:
        read_table(truncated_xlsx(), name="cut.xlsx")
    assert "cannot read the file as an Excel .xlsx workbook" in caught.value.problems[0].reason
    with pytest.raises(ValidationError):
        read_inventory(truncated_xlsx(), name="inventory.xlsx")


# ----------------------------------------------------------------------------- rows and cells
def test_rows_are_counted_while_streaming_and_refused_at_the_limit() -> None:
    rows = [["sector", "amount"]] + [["energy", i] for i in range(150)]
    csv_data = "\n".join(f"{a},{b}" for a, b in rows).encode()
    with limits.applied(max_rows=100):
        for data, name in ((csv_data, "rows.csv"), (xlsx_bytes(rows), "rows.xlsx")):
            exc = refusal(read_table, data, name=name)
            assert (exc.limit, exc.actual, exc.allowed, exc.status) == ("rows", 101, 100, 413)
            assert str(exc) == f"{name}: the table has more than the limit of 100 rows"
    with limits.applied(max_rows=151):
        assert len(read_table(csv_data, name="rows.csv").rows) == 150


def test_a_row_far_down_an_empty_sheet_is_refused_by_the_row_limit_quickly() -> None:
    start = time.perf_counter()
    exc = refusal(read_table, far_row_xlsx(1_048_576), name="far.xlsx")
    assert exc.limit == "rows"
    assert exc.allowed == 200_000
    assert time.perf_counter() - start < 3


def test_cells_are_counted_and_a_wide_row_reaches_the_cell_limit() -> None:
    rows = [["a", "b", "c", "d"]] + [[1, 2, 3, 4]] * 30  # 124 cells
    with limits.applied(max_cells=100):
        exc = refusal(read_table, xlsx_bytes(rows), name="cells.xlsx")
        # 4 cells a row: the 101st cell is on the 26th row
        assert (exc.limit, exc.actual) == ("cells", 104)
        assert "reached on row 26" in str(exc)
    with limits.applied(max_cells=124):
        assert len(read_table(xlsx_bytes(rows), name="cells.xlsx").rows) == 30


def test_a_declared_sheet_dimension_is_not_trusted() -> None:
    base = xlsx_bytes([["name", "amount"], ["x", 1]])
    sheet = zipfile.ZipFile(io.BytesIO(base)).read("xl/worksheets/sheet1.xml")
    import re

    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    table = read_table(rewrite_zip(base, {"xl/worksheets/sheet1.xml": sheet}), name="dim.xlsx")
    assert table.header == ("name", "amount")
    assert [r.cells for r in table.rows] == [{"name": "x", "amount": 1}]


@given(rows=st.integers(min_value=1, max_value=60), limit=st.integers(min_value=1, max_value=60))
def test_a_csv_is_refused_exactly_when_it_has_more_rows_than_the_limit(rows: int, limit: int) -> None:
    data = ("name\n" + "".join(f"u{i}\n" for i in range(rows - 1))).encode()  # ``rows`` lines, header included
    with limits.applied(max_rows=limit):
        if rows > limit:
            assert refusal(read_table, data, name="t.csv").actual == limit + 1
        elif rows > 1:
            assert len(read_table(data, name="t.csv").rows) == rows - 1


# ----------------------------------------------------------------------------- PDF
def test_a_pdf_decompression_bomb_is_refused_while_counting_in_bounded_steps() -> None:
    for layers in (1, 2):  # a stream deflated twice hides its size from a one-layer count
        bomb = pdf_bomb(30 * MB, layers)
        start = time.perf_counter()
        exc = refusal(read_bytes, bomb, "bomb.pdf")
        assert time.perf_counter() - start < 2
        assert exc.limit == "ratio"
        assert exc.actual > 100
    with limits.applied(max_ratio=1e9, max_inflated_bytes=20 * MB):
        exc = refusal(read_bytes, pdf_bomb(30 * MB), "bomb.pdf")
        assert exc.limit == "inflated"
        assert "or more" in str(exc)


def test_a_pdf_with_more_pages_than_the_limit_is_refused() -> None:
    pdf = pdf_with_stream(b"BT /F1 12 Tf 72 720 Td (Net zero by 2050) Tj ET")
    assert "Net zero by 2050" in read_bytes(pdf, "one.pdf")[0]
    two = pdf_with_stream(b"BT /F1 12 Tf 72 720 Td (Net zero by 2050) Tj ET", pages=2)
    with limits.applied(max_pages=2):
        assert read_bytes(two, "two.pdf")[0].count("Net zero by 2050") == 2
    with limits.applied(max_pages=1):
        exc = refusal(read_bytes, two, "two.pdf")
        assert (exc.limit, exc.actual, exc.allowed) == ("pages", 2, 1)
        assert str(exc) == "two.pdf: the PDF has 2 pages, more than the limit of 1 pages"


# ----------------------------------------------------------------------------- unit trees
def test_a_unit_tree_5000_levels_deep_is_refused_by_the_depth_limit_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(ValidationError) as caught:
        load_org_tree(deep_tree_csv(5_000), name="deep.csv")
    assert time.perf_counter() - start < 3
    [problem] = caught.value.problems
    # u0 is level 1, so u50 is the first unit on level 51
    assert (problem.row, problem.column) == (52, "parent")
    assert problem.reason == ("unit 'u50' is 51 levels deep; a unit tree may be at most 50 levels deep "
                              "(the limit on levels)")


def test_a_tree_at_the_depth_limit_is_accepted_and_cycles_are_still_found() -> None:
    tree = load_org_tree(deep_tree_csv(50), name="fifty.csv")
    assert len(tree) == 50
    assert int(tree.depth.max()) == 49
    cyclic = b"id,name,kind,country,parent\nr,Root,ministry,DK,\na,A,department,DK,b\nb,B,department,DK,a\n"
    with pytest.raises(ValidationError) as caught:
        load_org_tree(cyclic, name="cycle.csv")
    assert [p.reason for p in caught.value.problems] == ["cycle of parents: a -> b -> a"]


# ----------------------------------------------------------------------------- UTF-16 text
TEXT = "sector;amount\nenergi;1,5\nvarme;2\nkøretøjer;3\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_csv_is_decoded_not_garbled(encoding: str) -> None:
    table = read_table(TEXT.encode(encoding), name="u16.csv")
    assert table.info.encoding in (encoding, "utf-16")
    assert [r.cells["sector"] for r in table.rows] == ["energi", "varme", "køretøjer"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252"])
def test_a_text_document_in_utf16_reads_as_the_text(encoding: str) -> None:
    text = "Kommunen vil reducere udledningen med 70 % i 2030 i forhold til 1990. Æ ø å."
    assert read_bytes(text.encode(encoding), "plan.txt")[0] == text
    assert decode_text(text.encode(encoding))[0] == text


def test_binary_junk_with_zero_bytes_is_refused_not_read_as_text() -> None:
    junk = bytes(range(256)) * 8
    with pytest.raises(DocumentError, match="not a text file in UTF-8, UTF-16 or Windows-1252"):
        read_bytes(junk, "junk.txt")
    with pytest.raises(ValidationError):
        read_inventory(junk, name="junk.csv")
