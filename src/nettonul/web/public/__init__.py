"""Public pages: national overview, organisation dashboards, login and the language switch."""
