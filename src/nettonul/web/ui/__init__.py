"""Scenario figures for the dashboards and the plan editor (``scenarios``), kept here until
they join the web package's one seam to the engine. No longer a Django app: the charts moved
to :mod:`nettonul.web.charts`, the dashboards and their tags to ``site``, the plan editor to
``plans``."""
