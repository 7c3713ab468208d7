"""The shipped reference data sets: municipalities, population, the Energi- og CO2-regnskab,
the national inventory and KF25 series, with their sources.

May import: :mod:`nettonul.engine.core`.
"""
