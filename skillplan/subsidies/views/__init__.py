"""The subsidies pages, one module per part (standards, claims, funds)."""
