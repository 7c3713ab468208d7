"""Pathways: business as usual, targets, trajectories to them, carbon budgets, the gap and the
Deadline-2020-style reference check.

May import: the layers below it (core, io, reference, inventory).
"""
