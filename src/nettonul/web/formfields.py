"""Form fields shared by the apps' forms: a number field that reads what a person types in
the page's language through the engine's one number rule (``0,2`` and ``1.234,5`` in Danish,
``0.2`` and ``1,234.5`` in English), shows stored numbers the same way, and says what is wrong
in the user's language.

A number that can only be English (``0.2``) is still read on a Danish page: nobody means
anything else by it. A number that reads differently in the two (``1.234``) is read in the
page's language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from nettonul.web.engine.vocabulary import DANISH, ENGLISH, Convention, evidence, parse_number


def _convention() -> Convention:
    return DANISH if (translation.get_language() or "").startswith("da") else ENGLISH


def format_number(value: float | int) -> str:
    """``value`` as a person of the active language writes it: ``0,2`` or ``40.000.000`` in
    Danish, ``0.2`` or ``40,000,000`` in English (read back unchanged by :class:`NumberField`)."""
    danish = _convention() == DANISH
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        text = f"{int(number):,}"
        return text.replace(",", ".") if danish else text
    text = format(number, ".15g")
    return text.replace(".", ",") if danish else text


def read_number(text: str) -> float | None:
    """The number ``text`` denotes on a page in the active language, or None."""
    convention = _convention()
    value = parse_number(text, convention)
    if isinstance(value, str):
        other: Convention = ENGLISH if convention == DANISH else DANISH
        if evidence(text.strip()) == other:
            value = parse_number(text, other)
    return None if isinstance(value, str) else value


class NumberField(forms.FloatField):
    """A decimal number typed in the page's language; ``minimum``/``maximum`` bound it
    (``above`` makes the minimum exclusive)."""

    widget = forms.TextInput

    def __init__(self, *, minimum: float | None = None, maximum: float | None = None, above: bool = False,
                 **kwargs: Any) -> None:
        self.minimum, self.maximum, self.above = minimum, maximum, above
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        return attrs

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_number(value)
        return value

    def to_python(self, value: Any) -> float | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        number = read_number(str(value))
        if number is None:
            raise ValidationError(_("Enter a number, e.g. %(example)s.") % {"example": format_number(0.25)},
                                  code="invalid")
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if self.minimum is not None:
            if self.above and value <= self.minimum:
                raise ValidationError(_("Enter a number above %(limit)s.") % {"limit": format_number(self.minimum)},
                                      code="min_value")
            if not self.above and value < self.minimum:
                raise ValidationError(_("Enter a number of at least %(limit)s.")
                                      % {"limit": format_number(self.minimum)}, code="min_value")
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(_("Enter a number of at most %(limit)s.") % {"limit": format_number(self.maximum)},
                                  code="max_value")
