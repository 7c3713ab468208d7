"""The engine's vocabulary: errors, units, GWP sets, frameworks (sector taxonomies) and the
labelled panel. Everything else in the engine builds on these.

May import: numpy, pint, pydantic, yaml, Babel and the standard library; nothing else of nettonul.
"""
