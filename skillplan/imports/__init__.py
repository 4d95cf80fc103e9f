"""Uploaded import files and their web flow: upload → check (dry run) → confirm → import job."""
