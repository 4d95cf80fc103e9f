"""How an audit row is hashed. Changing this breaks every existing chain: don't."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def normalise_json(value: Any) -> Any:
    """What the database will give back: plain JSON types (dates, decimals as strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def event_digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_username: str,
    event: str,
    target_type: str,
    target_id: str,
    target_repr: str,
    region_code: str,
    before: Any,
    after: Any,
    ip_address: str | None,
    prev_hash: str,
) -> str:
    payload = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_username": actor_username,
        "event": event,
        "target_type": target_type,
        "target_id": str(target_id),
        "target_repr": target_repr,
        "region_code": region_code,
        "before": before,
        "after": after,
        "ip_address": ip_address or None,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digest_of_row(row: Any) -> str:
    return event_digest(
        seq=row.seq,
        at=row.at,
        actor_id=row.actor_id,
        actor_username=row.actor_username,
        event=row.event,
        target_type=row.target_type,
        target_id=row.target_id,
        target_repr=row.target_repr,
        region_code=row.region_code,
        before=row.before,
        after=row.after,
        ip_address=row.ip_address,
        prev_hash=row.prev_hash,
    )
