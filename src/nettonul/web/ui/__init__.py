"""Interactive parts of the web pages: charts with table views and CSV downloads, the plan
editor's typed effect forms with live recompute (htmx), and the vendored browser scripts."""
