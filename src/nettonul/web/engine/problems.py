"""The engine's messages about files and figures in the user's language.

The engine words its problems (a file's row, column and reason; why a pathway or a plan
cannot be computed) in English, for the CLI, the API and logs. The web shows them in the
page's language: :func:`reason` matches a reason against the engine's message templates
(the ``(pattern, message)`` table below; the message is a Django msgid with the pattern's
named parts) and :func:`problem` and :func:`error` word a whole problem or error. A text
that matches no template is shown as the engine wrote it, so nothing is ever lost.

Stored inventories are named by version (``stored inventory version 3 of 101``) and shown as
such; no message names an internal file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nettonul.engine.core.errors import Problem

#: (the engine's reason as a regular expression, the message in the user's language).
TEMPLATES: tuple[tuple[str, str], ...] = (
    (r"numbers are written in two conventions: Danish in (?P<da>.+); English in (?P<en>.+)\. Write every number of "
     r"the file one way: 1\.234,5 or 1,234\.5",
     gettext_noop("numbers are written in two conventions: Danish in %(da)s; English in %(en)s. Write every "
                  "number of the "
        "file one way: 1.234,5 or 1,234.5")),
    (r"cannot tell how these numbers are written: (?P<cells>.+) reads as (?P<da>\S+) in the Danish convention and as "
     r"(?P<en>\S+) in the English one; write a decimal mark in at least one number \(15\.100,0 or 15,100\.0\) or "
     r"drop the thousands separators",
     gettext_noop("cannot tell how these numbers are written: %(cells)s reads as %(da)s in the Danish "
                  "convention and as "
        "%(en)s in the English one; write a decimal mark in at least one number (15.100,0 or 15,100.0) or drop "
        "the thousands separators")),
    (r"'(?P<text>.*)' is not a number in the Danish convention this file uses",
     gettext_noop("'%(text)s' is not a number in the Danish convention this file uses")),
    (r"'(?P<text>.*)' is not a number in the English convention this file uses",
     gettext_noop("'%(text)s' is not a number in the English convention this file uses")),
    (r"'(?P<text>.*)' is not a number", gettext_noop("'%(text)s' is not a number")),
    (r"'(?P<text>.*)' is not a whole number", gettext_noop("'%(text)s' is not a whole number")),
    (r"'(?P<text>.*)' is not yes or no \(ja/nej\)", gettext_noop("'%(text)s' is not yes or no (ja/nej)")),
    (r"'(?P<text>.*)' is not a date; write it as YYYY-MM-DD \(or DD-MM-YYYY\)",
     gettext_noop("'%(text)s' is not a date; write it as YYYY-MM-DD (or DD-MM-YYYY)")),
    (r"'(?P<text>.*)' is not a date", gettext_noop("'%(text)s' is not a date")),
    (r"unknown sector '(?P<code>.*)' in framework (?P<fw>\S+); did you mean (?P<list>.+)\?",
     gettext_noop("unknown sector '%(code)s' in framework %(fw)s; did you mean %(list)s?")),
    (r"unknown sector '(?P<code>.*)' in framework (?P<fw>\S+); top-level sectors are:? (?P<list>.+)",
     gettext_noop("unknown sector '%(code)s' in framework %(fw)s; the top-level sectors are %(list)s")),
    (r"gas '(?P<gas>.*)' has no GWP in (?P<set>\S+); known gases include .*",
     gettext_noop("gas '%(gas)s' has no GWP in %(set)s; known gases include CO2, CH4, N2O, SF6, NF3 and the "
                  "HFCs and PFCs "
        "(e.g. HFC-134a)")),
    (r"missing required column '(?P<column>[^']*)' \(see docs/inventory-format\.md\); columns not understood: "
     r"(?P<unknown>.*)",
     gettext_noop("missing required column '%(column)s' (see the inventory format); columns not understood: "
                  "%(unknown)s")),
    (r"missing required column '(?P<column>[^']*)' \(see docs/inventory-format\.md\)",
     gettext_noop("missing required column '%(column)s' (see the inventory format)")),
    (r"duplicate of row (?P<row>\d+): same organisation, year, sector, gas and no activity \((?P<key>.*)\)",
     gettext_noop("duplicate of row %(row)s: the same organisation, year, sector and gas, without an activity "
                  "(%(key)s)")),
    (r"duplicate of row (?P<row>\d+): same organisation, year, sector, gas and activity \((?P<key>.*)\)",
     gettext_noop("duplicate of row %(row)s: the same organisation, year, sector, gas and activity (%(key)s)")),
    (r"year (?P<year>-?\d+) is outside (?P<first>\d+)-(?P<last>\d+)",
     gettext_noop("year %(year)s is outside %(first)s-%(last)s")),
    (r"empty required cell: give a kommunekode or organisation name",
     gettext_noop("empty required cell: give a kommunekode or an organisation name")),
    (r"empty required cell: give the amount, or a notation key (?P<rest>.*)",
     gettext_noop("empty required cell: give the amount, or a notation key %(rest)s")),
    (r"empty required cell: say which gas (?P<rest>.*)", gettext_noop("empty required cell: say which gas %(rest)s")),
    (r"empty required cell: an activity record needs its emission factor",
     gettext_noop("empty required cell: an activity record needs its emission factor")),
    (r"empty required cell: give the emission factor's unit, e\.g\. kg CO2e/kWh",
     gettext_noop("empty required cell: give the emission factor's unit, e.g. kg CO2e/kWh")),
    (r"empty required cell(?P<rest>.*)", gettext_noop("empty required cell%(rest)s")),
    (r"give either an amount or (?P<key>.*), not both", gettext_noop("give either an amount or %(key)s, not both")),
    (r"an estimated value needs a note saying how it was estimated",
     gettext_noop("an estimated value needs a note saying how it was estimated")),
    (r"gas '(?P<gas>.*)' does not match the unit's gas '(?P<unit>.*)'",
     gettext_noop("gas '%(gas)s' does not match the unit's gas '%(unit)s'")),
    (r"the file is empty: it has no header row", gettext_noop("the file is empty: it has no header row")),
    (r"the file has no data rows", gettext_noop("the file has no data rows")),
    (r"the column appears more than once in the header", gettext_noop("the column appears more than once in the "
                                                                      "header")),
    (r"the row has (?P<n>\d+) cells but the header has (?P<m>\d+) columns; quote cells that contain the separator",
     gettext_noop("the row has %(n)s cells but the header has %(m)s columns; put cells that contain the "
                  "separator in quotes")),
    (r"this is not a text CSV file \(a spreadsheet or binary file renamed\?\); save it as CSV or \.xlsx",
     gettext_noop("this is not a text CSV file (a spreadsheet or binary file renamed?); save it as CSV or .xlsx")),
    (r"the file is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8' \(or as \.xlsx\)",
     gettext_noop("the file is neither UTF-8 nor Windows-1252 text; save it as 'CSV UTF-8' (or as .xlsx)")),
    (r"not a readable CSV file \((?P<why>.*)\)",
     gettext_noop("not a readable CSV file; save it again as CSV (UTF-8) or as .xlsx")),
    (r"cannot read the file as an Excel \.xlsx workbook \((?P<why>.*)\)",
     gettext_noop("cannot read the file as an Excel .xlsx workbook; save it again from the spreadsheet as .xlsx")),
    (r"no sheet '(?P<sheet>.*)'; the workbook has (?P<list>.*)", gettext_noop("no sheet '%(sheet)s'; the "
                                                                              "workbook has %(list)s")),
    (r"cannot read '(?P<kind>[^']*)' files; .*", gettext_noop("cannot read '%(kind)s' files; upload a CSV or "
                                                              "Excel (.xlsx) "
                                                  "file")),
    (r"sector '(?P<code>.*)' is not in this panel",
     gettext_noop("the inventory has no figures for sector '%(code)s', which a target or action of the plan names")),
    (r"organisation '(?P<code>.*)' is not in this panel", gettext_noop("the inventory has no figures for organisation "
                                                             "'%(code)s'")),
    (r"unknown organisation '(?P<cell>[^']*)'(?P<rest>.*)", gettext_noop("unknown organisation '%(cell)s'%(rest)s")),
)
_COMPILED = tuple((re.compile(pattern, re.DOTALL), message) for pattern, message in TEMPLATES)
#: Parts inside a reason that name a place: ``row 3 amount '1.234,5'``.
_ROW = re.compile(r"\brow (\d+)\b")
_MORE = re.compile(r"\band (\d+) more\b")
_STORED = re.compile(r"stored inventory version (\d+) of (\S+)")
_HEAD = re.compile(r"^(?P<what>\w+) rejected: (?P<n>\d+) problems?; nothing was imported$")
_LINE = re.compile(r"^(?P<file>.+?)(?:, row (?P<row>\d+))?(?:, column '(?P<column>[^']*)')?: (?P<reason>.*)$",
                   re.DOTALL)


def _places(text: str) -> str:
    text = _ROW.sub(lambda m: _("row %(n)s") % {"n": m.group(1)}, text)
    return _MORE.sub(lambda m: _("and %(n)s more") % {"n": m.group(1)}, text)


def reason(text: str) -> str:
    """An engine reason in the active language (as the engine wrote it when no template fits)."""
    for pattern, message in _COMPILED:
        found = pattern.fullmatch(text.strip())
        if found:
            parts = {k: _places(v or "") for k, v in found.groupdict().items()}
            return _(message) % parts
    return text


def file_name(name: str) -> str:
    """A file name for a message: a stored inventory by its version, never an internal name."""
    found = _STORED.fullmatch(name)
    if found:
        return _("inventory version %(n)s") % {"n": found.group(1)}
    return name


def problem(p: Problem) -> Problem:
    """A copy of ``p`` with its reason and file in the active language."""
    return Problem(file_name(p.file), p.row, p.column, reason(p.reason))


def problems(found: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(problem(p) for p in found)


def _line(p: Problem) -> str:
    where = file_name(p.file)
    if p.row is not None:
        where += ", " + _("row %(n)s") % {"n": p.row}
    if p.column:
        where += ", " + _("column '%(c)s'") % {"c": p.column}
    return f"{where}: {reason(p.reason)}"


def error(text: str | None) -> str | None:
    """An engine error message (one line, or a validation error's head and problem lines) in
    the active language."""
    if not text:
        return text
    out: list[str] = []
    for line in text.splitlines():
        stripped = line.strip().removeprefix("- ")
        head = _HEAD.fullmatch(stripped)
        if head:
            out.append(_("%(n)s problem(s) in the inventory; nothing was imported") % {"n": head.group("n")}
                       if head.group("what") == "inventory" else
                       _("%(n)s problem(s); nothing was imported") % {"n": head.group("n")})
            continue
        where = _LINE.fullmatch(stripped)
        if (where and where.group("row")) or (where and where.group("column")):
            row = int(where.group("row")) if where.group("row") else None
            out.append(_line(Problem(where.group("file"), row, where.group("column"), where.group("reason"))))
        else:
            out.append(_STORED.sub(lambda m: _("inventory version %(n)s") % {"n": m.group(1)}, reason(stripped)))
    return "\n".join(out)


def worded(results: dict[str, Any], key: str = "error") -> dict[str, Any]:
    """A copy of ``results`` with ``results[key]`` worded by :func:`error`."""
    return {**results, key: error(results.get(key))}
