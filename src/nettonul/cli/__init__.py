"""The ``nettonul`` command line: one module per command group (inventory, pathway, scenario,
check, report, documents, footprint, reference, serve), each with ``--help`` and ``--json``.

May import: everything below it (the web only to serve, migrate and load the demo; the engine,
documents and reports for the rest). Nothing imports the CLI.
"""
