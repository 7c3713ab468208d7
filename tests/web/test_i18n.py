"""Danish and English: the catalogue is compiled and shipped, the switch works, and Danish
organisations open in Danish."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

from django.urls import reverse

import nettonul.web

LOCALE = Path(nettonul.web.__file__).parent / "locale" / "da" / "LC_MESSAGES"


def test_the_browser_language_chooses_the_interface_language(client: Any, db: None) -> None:
    assert "<h1>Landsoversigt</h1>" in client.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "<h1>National overview</h1>" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_switch_overrides_the_browser(client: Any, db: None) -> None:
    response = client.post(reverse("set_language"), {"language": "da", "next": "/"})
    assert response.status_code == 302
    assert "<h1>Landsoversigt</h1>" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def _po_entries(text: str) -> dict[str, str]:
    """msgid -> msgstr of the singular entries of a .po file."""
    out = {}
    for block in text.split("\n\n")[1:]:
        if "msgid_plural" in block:
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            def join(chunk: str) -> str:
                return "".join(re.findall(r'"(.*)"', chunk)).encode().decode("unicode_escape").encode(
                    "latin-1").decode("utf-8")
            out[join(msgid.group(1))] = join(msgstr.group(1))
    return out


def test_the_shipped_catalogue_is_complete_and_compiled() -> None:
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    entries = _po_entries(po)
    assert len(entries) > 200
    assert all(entries.values()), [k for k, v in entries.items() if not v]
    with (LOCALE / "django.mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [k for k, v in entries.items() if compiled.gettext(k) != v]
    assert stale == [], "django.mo is older than django.po: run msgfmt (or manage.py compilemessages)"
