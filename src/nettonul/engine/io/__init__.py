"""Reading the files users send: tables (CSV, Excel, YAML), cells, and located problems.

One toolkit for every user file the engine reads (inventories, emission-factor tables,
footprint activities, organisation trees, peer tables, plan and monitoring documents):

- :mod:`~nettonul.engine.io.tables`: :func:`~nettonul.engine.io.tables.read_table` takes a
  path, bytes or a binary file object with a display name, detects a CSV file's separator
  (``;``, ``,``, tab) and encoding (UTF-8, UTF-8 with BOM, else Windows-1252), reads Excel
  sheets by name or index (numeric cells stay numbers) and returns the header, the rows with
  the row numbers a user sees, and how the file was read (:class:`~nettonul.engine.io.tables.ReadInfo`);
  :func:`~nettonul.engine.io.tables.read_yaml` reads YAML from the same sources.
- :mod:`~nettonul.engine.io.cells`: the cell parsers (numbers in the Danish and English
  conventions, decided once per file by one rule; booleans in Danish and English; dates).
  Units are parsed by :mod:`nettonul.engine.core.units` (``gas_mass``, ``pint_name``).
- :mod:`~nettonul.engine.io.limits`: the limits on every user file (bytes, unpacked size and
  compression ratio of ``.xlsx``/``.docx`` and PDF streams, XML without document types or
  entities, rows, cells, pages, unit-tree depth), raising :class:`~nettonul.errors.FileLimitError`;
  :mod:`~nettonul.engine.io.structure`: depth and size limits on YAML and JSON documents.
- :mod:`~nettonul.engine.io.problems`: pydantic ``ValidationError`` and YAML syntax errors
  as :class:`~nettonul.engine.core.errors.Problem` objects (file, row or line, column or
  field path, reason).

Every reader of a user table (``read_inventory``, ``load_factor_tables``, ``load_activities``,
``load_org_tree``, ``load_peers``) has the signature shape
``reader(source: Path | bytes | BinaryIO, *, name: str | None = None, ...)``, so the web hands
uploads over in memory.

May import: :mod:`nettonul.engine.core` (and pydantic, PyYAML, openpyxl, defusedxml); nothing above it.
"""
