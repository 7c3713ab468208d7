"""Data files of the engine: frameworks, units, mappings, reference tables."""
