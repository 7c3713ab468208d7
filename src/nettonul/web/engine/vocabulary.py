"""Engine constants that the web's models, forms and templates need, re-exported without any
model import (so a models module can import them without an import cycle)."""

from __future__ import annotations

from nettonul.engine.footprint.orgunits import UNIT_KINDS
from nettonul.engine.footprint.result import SUMMARY

__all__ = ["SUMMARY", "UNIT_KINDS"]
