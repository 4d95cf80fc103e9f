"""Baseline for ``bench_import.py``: the same roster imported with django-import-export.

    .venv/bin/pip install -e ".[bench]"
    DATABASE_URL=… .venv/bin/python benchmarks/iie_baseline.py FILE --user demo_province

Benchmark-only (not part of the application, not in its INSTALLED_APPS). ``PersonResource`` does
what a fair django-import-export import of the clerk's file needs for rows to be stored as the
application stores them:

* the file's title row is dropped and the Chinese headers (or their aliases) are the columns;
* every row goes through the project's own rules (``people.rules.check_person``: ID number
  normalised and checked, certificate, category, grade, gender and birth date agreeing, region
  resolved, phone …); a row that fails is an invalid row of the result, as in our engine;
* the region must lie in the importing user's area;
* ``id_hash`` / ``phone_hash`` are the project's keyed hashes; ID, certificate and phone are
  encrypted by the model's ``EncryptedTextField`` when saved;
* persons already registered are found by ``id_hash`` and updated.

It runs with the library's fastest settings (``use_bulk``, batches of 2,000, the cached instance
loader, no diff), reading the file with its own XLSX format (openpyxl). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def build_resource(actor: Any) -> Any:
    """The resource class, made after Django is set up (it needs the models)."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone
    from import_export import fields, resources
    from import_export.instance_loaders import CachedInstanceLoader

    from skillplan.accounts.scoping import scope_of
    from skillplan.core.errors import RuleError
    from skillplan.core.idnumber import parse_id_number
    from skillplan.core.imports.reader import header_key
    from skillplan.people.imports import PERSON_COLUMNS
    from skillplan.people.models import Person
    from skillplan.people.rules import check_person
    from skillplan.people.services import id_hash_of, phone_hash_of
    from skillplan.regions.selectors import region_index

    aliases = {header_key(name): column.key for column in PERSON_COLUMNS
               for name in column.names}
    regions = region_index()
    scope = scope_of(actor)
    today = timezone.localdate()

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="name")
        id_number = fields.Field(attribute="id_number", column_name="id_number")
        certificate_number = fields.Field(attribute="certificate_number",
                                          column_name="certificate_number")
        category = fields.Field(attribute="category", column_name="category")
        grade = fields.Field(attribute="grade", column_name="grade")
        gender = fields.Field(attribute="gender", column_name="gender")
        birth_date = fields.Field(attribute="birth_date", column_name="birth_date")
        ethnicity = fields.Field(attribute="ethnicity", column_name="ethnicity")
        education = fields.Field(attribute="education", column_name="education")
        region_id = fields.Field(attribute="region_id", column_name="region_id")
        region_code = fields.Field(attribute="region_code", column_name="region_code")
        urban_rural = fields.Field(attribute="urban_rural", column_name="urban_rural")
        phone = fields.Field(attribute="phone", column_name="phone")
        employment_status = fields.Field(attribute="employment_status",
                                         column_name="employment_status")
        notes = fields.Field(attribute="notes", column_name="notes")
        flags = fields.Field(attribute="flags", column_name="flags")
        id_hash = fields.Field(attribute="id_hash", column_name="id_hash")
        phone_hash = fields.Field(attribute="phone_hash", column_name="phone_hash")

        class Meta:
            model = Person
            import_id_fields = ("id_hash",)
            fields = ("name", "id_number", "certificate_number", "category", "grade", "gender",
                      "birth_date", "ethnicity", "education", "region_id", "region_code",
                      "urban_rural", "phone", "employment_status", "notes", "flags", "id_hash",
                      "phone_hash")
            instance_loader_class = CachedInstanceLoader
            use_bulk = True
            batch_size = 2000
            skip_diff = True
            skip_html_diff = True
            skip_unchanged = True
            report_skipped = False
            clean_model_instances = False

        def before_import(self, dataset: Any, **kwargs: Any) -> None:
            """Headers → template keys; an ``id_hash`` column for the cached loader (the
            hash of each valid ID number)."""
            dataset.headers = [aliases.get(header_key(h), str(h)) for h in dataset.headers]
            hashes = []
            for value in dataset.get_col(dataset.headers.index("id_number")):
                try:
                    hashes.append(id_hash_of(parse_id_number(value, today=today).number))
                except RuleError:
                    hashes.append(None)
            dataset.append_col(hashes, header="id_hash")

        def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
            checked = check_person(row, regions=regions, today=today)
            if checked.values is None:
                raise ValidationError({problem.field: problem.message
                                       for problem in checked.errors})
            values = checked.values
            if not scope.covers_region(values.region.code):
                raise ValidationError({"region": "outside your area"})
            row.update(values.as_model_fields())
            row["id_hash"] = id_hash_of(values.id_number)
            row["phone_hash"] = phone_hash_of(values.phone)

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            if instance.pk is None:
                instance.created_by = actor
            instance.updated_by = actor

    return PersonResource


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("--user", default="demo_province")
    args = parser.parse_args()
    started = time.perf_counter()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from import_export.formats.base_formats import XLSX

    actor = get_user_model().objects.select_related("region").get(username=args.user)
    dataset = XLSX().create_dataset(Path(args.file).read_bytes())
    if "姓名" not in dataset.headers:  # the title row above the header row
        dataset.headers = list(dataset[0])
        del dataset[0]
    read = time.perf_counter()
    result = build_resource(actor)().import_data(dataset, dry_run=False)
    done = time.perf_counter()
    totals = result.totals
    print(json.dumps({
        "rows": len(dataset), "new": totals.get("new", 0), "update": totals.get("update", 0),
        "skip": totals.get("skip", 0), "invalid": totals.get("invalid", 0),
        "error": totals.get("error", 0), "read_seconds": round(read - started, 3),
        "import_seconds": round(done - read, 3),
    }))


if __name__ == "__main__":
    main()
