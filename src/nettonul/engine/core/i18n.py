"""Words and numbers in Danish and English: the one place text is localised outside the web.

Numbers, percentages and dates are formatted by Babel with the ``da_DK`` and ``en_GB`` locales
(``1.234,5`` and ``12,0 %`` in Danish, ``1,234.5`` and ``12.0 %`` in English). Messages of the
engine, the document readers and the reports live in one gettext domain, ``nettonul``
(``nettonul/locale/<language>/LC_MESSAGES/nettonul.po``, compiled to ``.mo`` beside it and
shipped in the wheel). The web keeps its own Django catalogue for the interface.

Message ids are stable keys (``adopted.ok``, ``report.title``): rules and reports name a key
and its arguments, and the wording is chosen late, so a check result can be worded in either
language and editing the English text changes no id. Both languages therefore have a
catalogue; Danish falls back to English, and a key missing from both is returned as it is.
Message texts are ``str.format`` templates (``"Adopted on {date} by {body}."``).

Updating the catalogues (configured in ``pyproject.toml`` under ``[tool.babel]``)::

    pybabel extract        # -> build/nettonul.pot, the keys named in the code
    pybabel update         # adds new keys to en and da (old ones are kept, see below)
    pybabel compile        # -> nettonul.mo, committed beside each .po

Keys built from data (``state.on_track``, ``hazard.drought``) are marked where they are
built with :func:`N_` so that extraction finds them.

May import: Babel and the standard library; nothing else of nettonul.
"""

from __future__ import annotations

import ast
import gettext
from collections.abc import Iterator, Mapping
from datetime import date as Date
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from functools import cache
from importlib import resources
from typing import IO, Any, Literal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol
from babel.support import Translations

Language = Literal["en", "da"]
LANGUAGES: tuple[Language, ...] = ("en", "da")
#: The Babel locale of each language.
LOCALES: Mapping[Language, str] = {"da": "da_DK", "en": "en_GB"}
#: Dates: ``5.3.2025`` in Danish, ISO ``2025-03-05`` in English.
DATE_PATTERNS: Mapping[Language, str] = {"da": "d.M.yyyy", "en": "yyyy-MM-dd"}
DOMAIN = "nettonul"
#: What a missing number is shown as.
MISSING = "-"

# Enough digits for any float with its decimals, so rounding is exact.
_EXACT = Context(prec=400)


def language_of(language: str | None) -> Language:
    """``da`` for Danish (``da``, ``da-dk``, ``da_DK``), ``en`` for anything else."""
    return "da" if (language or "").lower()[:2] == "da" else "en"


def locale_of(language: str | None) -> str:
    """The Babel locale for a language code: ``da_DK`` or ``en_GB``."""
    return LOCALES[language_of(language)]


def _rounded(value: float | int | Decimal | None, digits: int) -> Decimal | None:
    """The exact value rounded half-even to ``digits`` places (as Python's ``format`` does),
    without a negative zero; None for None, NaN and infinities."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(value)
    if not exact.is_finite():
        return None
    out = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN, context=_EXACT)
    return out.copy_abs() if out.is_zero() else out


def _pattern(digits: int) -> str:
    return "#,##0" + ("." + "0" * digits if digits > 0 else "")


def number(value: float | int | Decimal | None, language: str | None = "en", digits: int = 0, *,
           missing: str = MISSING) -> str:
    """``12,345.6`` in English, ``12.345,6`` in Danish, with ``digits`` decimals; ``missing``
    for None or NaN. Rounds half-even on the exact value, as ``f"{value:,.1f}"`` does."""
    rounded = _rounded(value, digits)
    if rounded is None:
        return missing
    with localcontext(_EXACT):
        return format_decimal(rounded, format=_pattern(digits), locale=locale_of(language))


def percent(fraction: float | int | None, language: str | None = "en", digits: int = 0, *,
            signed: bool = False, missing: str = MISSING) -> str:
    """A fraction as a percentage with a space before the sign: ``0.12`` -> ``12 %``
    (``12,0 %`` in Danish with one decimal); ``signed`` writes ``+`` or ``-`` by the sign of
    the value itself (``-0 %`` for a small decrease). ``missing`` for None or NaN."""
    if fraction is None:
        return missing
    exact = Decimal(fraction)
    if not exact.is_finite():
        return missing
    hundred = _rounded(_EXACT.multiply(exact.copy_abs() if signed else exact, 100), digits)
    assert hundred is not None
    # Babel multiplies by 100 itself: it gets the rounded percentage divided back, exactly.
    with localcontext(_EXACT):
        text = format_percent(hundred.scaleb(-2), format=_pattern(digits) + " %", locale=locale_of(language))
    return ("-" if exact < 0 else "+") + text if signed else text


def day(value: str | Date | None, language: str | None = "en", *, missing: str = MISSING) -> str:
    """A date: ``5.3.2025`` in Danish, ``2025-03-05`` in English (an ISO string is read first)."""
    if value is None:
        return missing
    if isinstance(value, datetime):
        value = value.date()
    d = Date.fromisoformat(value) if isinstance(value, str) else value
    lang = language_of(language)
    return format_date(d, format=DATE_PATTERNS[lang], locale=LOCALES[lang])


def separators(language: str | None) -> str:
    """The decimal and thousands separators of a language as one string (``",."`` in Danish),
    the form Plotly's ``layout.separators`` takes."""
    locale = locale_of(language)
    return get_decimal_symbol(locale) + get_group_symbol(locale)


# --------------------------------------------------------------------------- messages
def N_(key: str) -> str:
    """Mark a message key for extraction where the key is built from data; returns it unchanged."""
    return key


@cache
def translations(language: str | None) -> gettext.NullTranslations:
    """The compiled ``nettonul`` catalogue of a language (Danish falls back to English)."""
    lang = language_of(language)
    mo = resources.files("nettonul") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    with mo.open("rb") as fh:
        out: gettext.NullTranslations = Translations(fh, domain=DOMAIN)
    if lang != "en":
        out.add_fallback(translations("en"))
    return out


def has_text(key: str, language: str | None = "en") -> bool:
    """Whether the catalogue words ``key`` (in ``language`` or, failing that, in English)."""
    return translations(language).gettext(key) != key


def text(key: str, language: str | None = "en", /, **args: Any) -> str:
    """The message ``key`` in ``language`` with its ``str.format`` fields filled in (the key
    itself where the catalogue has no such message)."""
    template = translations(language).gettext(key)
    return template.format(**args) if template != key else key


# --------------------------------------------------------------------------- extraction
#: Calls whose string arguments are message keys, and which argument (0-based) holds the key.
KEY_CALLS: Mapping[str, int] = {"N_": 0, "t": 0, "Term": 0, "Evidence": 0, "Outcome": 1}


def _strings(node: ast.expr) -> Iterator[ast.Constant]:
    """The string constants an argument can take (both branches of ``a if c else b``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def extract(fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any) -> Iterator[
        tuple[int, str, str, list[str]]]:
    """A Babel extraction method for message keys: the literal keys passed to the calls of
    :data:`KEY_CALLS` (``pybabel extract`` uses it, see ``[tool.babel]`` in pyproject.toml)."""
    for node in ast.walk(ast.parse(fileobj.read())):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        where = KEY_CALLS.get(name)
        if where is None:
            continue
        arg = node.args[where] if where < len(node.args) else \
            next((k.value for k in node.keywords if k.arg in ("key", "label")), None)
        for const in _strings(arg) if arg is not None else ():
            yield const.lineno, "", str(const.value), []
