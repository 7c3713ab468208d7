"""The engine's vocabulary: errors, units, GWP sets, frameworks (sector taxonomies), the
labelled panel, and the plan words every layer shares (:mod:`.vocabulary`: target kinds,
adoption curves, effect kinds, record columns, the year rule). Everything else in the engine
builds on these.

May import: numpy, pint, pydantic, yaml, Babel and the standard library; nothing else of nettonul.
"""
