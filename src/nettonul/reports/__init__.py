"""The yearly status report: a frozen snapshot of plan, inventory, pathway, check and
monitoring results, rendered as PDF and Excel in English or Danish. Pure: no Django.

May import: :mod:`nettonul.engine` and the rendering libraries (reportlab, openpyxl,
matplotlib); never the web, the CLI or document parsing.
"""
