"""Demo data of the ministry demo; see PROVENANCE.md."""
