"""The change history: who changed what, when, field by field."""
