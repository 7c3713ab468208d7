"""Inventories: the columnar record table, its validation and readers, gap-filling and the
back-cast of earlier years, each estimated cell marked with a note.

May import: :mod:`~nettonul.engine.core`, :mod:`~nettonul.engine.io`,
:mod:`~nettonul.engine.reference`.
"""
