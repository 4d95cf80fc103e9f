"""Re-encrypt personal data with the first key of SKILLPLAN_FIELD_KEYS.

Rotation: put a new key first in SKILLPLAN_FIELD_KEYS (keep the old ones after it), restart,
run this command, then remove the old keys. Safe to run again; rows already sealed with the
current key are skipped.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from skillplan.audit.services import audit_record
from skillplan.core.crypto import current_key_id, encrypted_fields, rotate_model_keys


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the current (first) field key."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, batch_size: int, **options) -> None:  # type: ignore[no-untyped-def]
        counts = {}
        for model, names in encrypted_fields():
            with transaction.atomic():
                counts[model._meta.label_lower] = rotate_model_keys(
                    model, names, batch_size=batch_size
                )
            self.stderr.write(f"{model._meta.label_lower}: {counts[model._meta.label_lower]} "
                              "rows re-encrypted")
        audit_record(actor=None, event="crypto.keys_rotated",
                     after={"key_id": current_key_id(), "rows": counts})
        self.stdout.write(f"re-encrypted with key {current_key_id()}: {counts}")
