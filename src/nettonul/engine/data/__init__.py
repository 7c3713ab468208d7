"""Data files of the engine: frameworks, units, mappings, reference tables. No code: read
through :mod:`nettonul.engine.core` and :mod:`nettonul.engine.reference`."""
