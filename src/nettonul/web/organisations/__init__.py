"""Organisations (municipalities, ministries, org units, ...) and their members' roles."""
