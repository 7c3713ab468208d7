"""Document import in the web application: upload a plan or strategy document to a plan,
review its candidate targets and commitments, and turn the accepted ones into the plan's
targets and actions, each linked back to its quote.

May import: ``plans``, ``organisations``, ``audit``, the web package's shared modules and
``nettonul.documents``. Imported by ``api`` and the ministry demo.
"""
