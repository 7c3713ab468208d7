"""An upload with problems in the Danish interface: every problem of the file (how its numbers
are written, unknown sectors and gases, missing columns, bad cells, duplicates, unreadable files)
is worded in Danish with its row and column (nettonul/web/engine/problems.py); nothing the
engine wrote in English reaches the page."""

from __future__ import annotations

from html import unescape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HEAD = "kommunekode;år;sektor;gas;udledning;enhed\n"
#: file -> (its text, the (row, Danish reason) expected first)
CASES: dict[str, tuple[str, tuple[int | None, str]]] = {
    "blandet.csv": (HEAD + "101;2024;energy;CO2e;1.234,5;t CO2e\n101;2024;waste;CO2e;1,234.5;t CO2e\n",
                    (2, "tallene er skrevet på to måder: dansk i række 2 udledning '1.234,5'; engelsk i række 3 "
                        "udledning '1,234.5'. Skriv alle filens tal på samme måde: 1.234,5 eller 1,234.5")),
    "ukendt.csv": (HEAD + "101;2024;nosuch;CO2e;5;t CO2e\n101;2024;energy;XYZ;5;t\n",
                   (2, "ukendt sektor 'nosuch' i sektorinddelingen dk-municipal; hovedsektorerne er energy, "
                       "transport, industry, agriculture, waste, lulucf, removals")),
    "mangler.csv": ("kommunekode;år;sektor\n101;2024;energy\n",
                    (None, "den krævede kolonne 'amount' mangler (se opgørelsesformatet)")),
    "tal.csv": (HEAD + "101;2024;energy;CO2e;abc;t CO2e\n999;1700;energy;CO2e;5;t CO2e\n",
                (2, "'abc' er ikke et tal")),
    "dobbelt.csv": (HEAD + "101;2024;energy;CO2e;5;t CO2e\n101;2024;energy;CO2e;6;t CO2e\n",
                    (3, "gentager række 2: samme organisation, år, sektor og gas uden aktivitet "
                        "(101, 2024, energy, CO2e)")),
    "celler.csv": (HEAD + "101;2024;energy;CO2e;5;t CO2e;x;y\n", (2, "rækken har 8 celler, men overskriftsrækken "
                                                                   "har 6 kolonner; sæt celler, der indeholder "
                                                                   "skilletegnet, i anførselstegn")),
    "tom.csv": ("\n\n", (None, "filen er tom: den har ingen overskriftsrække")),
    "ikke.xlsx": ("ikke et regneark", (None, "filen kan ikke læses som en Excel .xlsx-projektmappe; gem den igen "
                                             "fra regnearket som .xlsx")),
}
ENGLISH = (" is not ", "unknown", "missing", "duplicate", "cannot", "numbers are", "the file", "outside",
           "upload is for", "rejected", "problem(s) found", "row ")


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_problem_of_an_upload_is_in_danish(name: str, client_for: Any, orgs: dict[str, Any]) -> None:
    text, (row, first) = CASES[name]
    client = client_for("editor-kbh")  # København's pages are in Danish
    response = client.post(reverse("inventory:upload", args=[orgs["101"].pk]),
                           {"file": SimpleUploadedFile(name, text.encode("utf-8")), "mode": "add"})
    assert response.status_code == 422
    found = response.context["report"]["problems"]
    assert (found[0].row, found[0].reason) == (row, first)
    page = unescape(response.content.decode())
    report = page[page.index('id="validation-report"'):page.index("</section>", page.index('id="validation-report"'))]
    for p in found:
        for english in ENGLISH:
            assert english not in p.reason, p.reason
    for english in ENGLISH:
        assert english not in report
