"""Real reference data shipped with nettonul; see PROVENANCE.md beside this file."""
