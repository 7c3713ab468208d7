"""The site's own pages: the national overview, the organisation dashboards with their
charts and CSV downloads, the ``ui_charts`` template tags (``{% chart %}``,
``{% dashboard_charts %}``, ``{% ui_scripts %}``), the chart scripts and styles
(``static/ui/``) and the static finder that serves Plotly from its wheel.

May import: every app's models and services it shows (``organisations``, ``plans``,
``inventory``), the web package's shared modules (``pages``, ``charts``) and the
seam to the engine (``nettonul.web.engine``). It sits on top: no app imports it (templates load its tags
by name).
"""
