"""Every audit event the code writes reads as words in change histories, not as a raw code."""

from __future__ import annotations

import re
from pathlib import Path

import skillplan
from skillplan.audit import labels

_LITERAL_EVENT = re.compile(r'event\s*=\s*"([a-z_]+\.[a-z_.]+)"')
_PACKAGE = Path(skillplan.__file__).parent


def _events_written_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in _PACKAGE.rglob("*.py"):
        for match in _LITERAL_EVENT.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), str(path.relative_to(_PACKAGE)))
    return found


def test_the_scan_finds_the_events_of_every_app() -> None:
    codes = _events_written_in_code()
    assert {"person.created", "project.published", "carrier.created", "user.created"} <= set(codes)


def test_every_event_written_in_code_has_a_label() -> None:
    unlabelled = {code: where for code, where in _events_written_in_code().items()
                  if labels.event_label(code) == code}
    assert unlabelled == {}


def test_events_built_from_base_steps_have_labels() -> None:
    # providers/services.py writes f"base.{action}" for the review and accreditation steps
    for code in ("base.city_approved", "base.city_returned", "base.accredited", "base.rejected"):
        assert labels.event_label(code) != code
