"""Inventories: versions of an organisation's emission records, imported all-or-nothing."""
