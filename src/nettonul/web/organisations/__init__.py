"""Organisations (municipalities, ministries, org units, ...) and their members' roles;
``permissions`` decides every access (roles viewer/editor/admin, inherited down the tree).

May import: ``audit`` and the web package's shared modules (``errors``, ``versioning``).
Almost every app imports it; it imports no app above ``audit``.
"""
