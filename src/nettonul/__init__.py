"""nettonul: plan, check and carry out climate action plans.

Packages:
- ``nettonul.engine``: the pure computational core (inventories, pathways, actions).
- ``nettonul.documents``: pure document reading and target/commitment extraction.
- ``nettonul.web``: the Django web application and REST API.
- ``nettonul.cli``: the ``nettonul`` command line.
"""

__version__ = "0.1.0"
