"""nettonul: plan, check and carry out climate action plans.

Packages:
- ``nettonul.engine``: the pure computational core (inventories, pathways, actions).
- ``nettonul.documents``: pure document reading and target/commitment extraction.
- ``nettonul.web``: the Django web application and REST API.
- ``nettonul.reports``: the yearly report, built from plain inputs and rendered to PDF and Excel.
- ``nettonul.cli``: the ``nettonul`` command line.
- ``nettonul.errors``: the one root of every error nettonul raises on purpose.
"""

__version__ = "0.1.0"
