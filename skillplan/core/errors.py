"""Errors shared by every rule of the platform.

A rule that rejects a value raises :class:`RuleError` with a stable machine code (the codes of
``docs/import-templates.md``: ``id_format``, ``id_checksum`` …) and a message a clerk can read.
Messages are English msgids translated through the ``zh_Hans`` catalog.
"""

from __future__ import annotations

from django.utils.functional import Promise


class RuleError(ValueError):
    """A value broke a business rule; ``code`` is stable, ``message`` is for people."""

    def __init__(self, code: str, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class ConcurrentUpdateError(RuleError):
    """The record changed since the user loaded it (optimistic locking)."""

    def __init__(self, message: str | Promise | None = None) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(
            "stale_version",
            message
            or _(
                "Someone else changed this record after you opened it. "
                "Your input is kept below; check the current values and save again."
            ),
        )
