#!/usr/bin/env python
"""Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext (pure Python, polib)."""

from __future__ import annotations

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)} ({len(catalog.translated_entries())} strings)")


if __name__ == "__main__":
    main()
