"""Organisation units in the web application: a ministry's tree of departments, embassies and
missions (Organisation.parent), each unit's staff and floor area, the organisational footprint
uploaded as activity data and factor tables and computed by the engine, rolled up the tree,
and the comparison with peer organisations. Roles hold down the tree (see
``organisations.permissions``).

May import: ``organisations``, ``plans``, ``strategy`` and ``imports`` (for the ministry
demo), ``audit``, the web package's shared modules and the engine through the seam (``nettonul.web.engine``).
Imported by the municipal demo only.
"""
