"""The import engine every Excel/CSV template uses (see docs/import-templates.md)."""
