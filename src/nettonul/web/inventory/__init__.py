"""Inventories: versions of an organisation's emission records, imported all-or-nothing
through the engine's readers.

May import: ``organisations``, ``audit``, the web package's shared modules (``errors``,
``versioning``, ``uploads``, ``pages``) and the engine through the seam (``nettonul.web.engine``).
"""
