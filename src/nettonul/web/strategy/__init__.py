"""Strategy plans: a plan's own theme taxonomies (themes such as five 'diplomacies', values
such as a compass of nine), commitments filed under them, and the views that track them by
theme, value and SDG. A commitment is an Action of a plan of kind ``strategy`` without an
emissions effect: it has an owner, a status, SDG tags and theme and value links.

May import: ``plans``, ``monitoring`` (statuses and their labels), ``organisations``,
``audit`` and the web package's shared modules. Imported by ``orgunits`` (its demo).
"""
