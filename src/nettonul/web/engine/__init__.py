"""The one seam between the web application and the engine.

Every web module that needs the engine's work goes through this package; it is the only web
code that imports the engine's internals (``nettonul.engine.<subpackage>``). The other apps'
views, forms, models and services import this package's modules and, for errors and plain
vocabulary, the engine's public names (``from nettonul.engine import NettonulError``); an
import-linter contract in ``pyproject.toml`` keeps it so.

One module per job:

* :mod:`.inventories`: emission records to engine inventories and back, uploads, an
  organisation's stored inventory completed with the shipped series, inventory tables,
  pathways and the national overview;
* :mod:`.plans`: a plan with its targets and actions to the engine's plan, its scenario and
  Monte Carlo band (:func:`.plans.plan_results`, the one path to a plan's figures);
* :mod:`.scenarios`: the figures pages, charts, downloads and the API show, from those two;
* :mod:`.monitoring`: the plan check, monitoring and yearly report inputs;
* :mod:`.footprints`: organisation units, footprints and peer comparisons;
* :mod:`.rollup`: the national roll-up of the published plans with its bands, and the cheapest
  portfolio of a plan and of the nation;
* :mod:`.vocabulary`: engine constants that models and forms need (no model imports);
* :mod:`.cache`: results kept between requests under one key function of the engine inputs.

Data reaches the engine in memory: engine objects (:class:`~nettonul.engine.Inventory`, a plan
carrying its inventory records) and bytes; nothing is written to the data directory or a
temporary folder to hand it over. No number is computed here: the modules only convert
between models and engine objects, and every figure they return comes from the engine.

The package name shadows nothing: imports are absolute, ``nettonul.engine`` is the engine and
``nettonul.web.engine`` this seam.
"""
