"""Reading the files users send: tables (CSV, Excel, YAML), cells, and located problems.

May import: :mod:`nettonul.engine.core`.
"""
