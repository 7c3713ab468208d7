"""Organisational footprints: the unit tree, emission-factor tables, flights, activities, scope
1-3 results and peer comparison on the GHG Protocol corporate framework.

May import: :mod:`~nettonul.engine.core` and :mod:`~nettonul.engine.io`.
"""
