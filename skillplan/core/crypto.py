"""Field encryption (AES-256-GCM) and keyed lookup hashes (HMAC-SHA256) for personal data.

ID numbers, certificate numbers and phones are stored encrypted; an exact-match search uses a
keyed hash column beside them (unique where one value means one person). Keys come from the
environment:

  SKILLPLAN_FIELD_KEYS   comma-separated ``key_id:base64key`` pairs (32-byte keys); the FIRST
                         encrypts, all of them decrypt — rotate by putting a new key first and
                         running ``manage.py rotate_field_keys``
  SKILLPLAN_LOOKUP_KEY   base64 32-byte HMAC key for lookup hashes

Outside production, keys are derived from SECRET_KEY so development needs no setup;
production settings refuse to start without both variables.

Token format: ``<key_id>$<base64(nonce ‖ ciphertext ‖ tag)>``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

SEPARATOR = "$"


def _derived(label: str) -> bytes:
    return hashlib.sha256(f"skillplan:{label}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=1)
def _field_keys() -> tuple[tuple[str, AESGCM], ...]:
    raw = getattr(settings, "SKILLPLAN_FIELD_KEYS", "") or os.environ.get(
        "SKILLPLAN_FIELD_KEYS", ""
    )
    if not raw:
        return (("dev", AESGCM(_derived("field-key"))),)
    keys = []
    for item in raw.split(","):
        key_id, _, encoded = item.strip().partition(":")
        key = base64.b64decode(encoded)
        if not key_id or SEPARATOR in key_id or len(key) != 32:
            raise ImproperlyConfigured(
                "SKILLPLAN_FIELD_KEYS entries must be key_id:base64 of 32 bytes"
            )
        keys.append((key_id, AESGCM(key)))
    return tuple(keys)


@lru_cache(maxsize=1)
def _lookup_key() -> bytes:
    raw = getattr(settings, "SKILLPLAN_LOOKUP_KEY", "") or os.environ.get(
        "SKILLPLAN_LOOKUP_KEY", ""
    )
    return base64.b64decode(raw) if raw else _derived("lookup-key")


@lru_cache(maxsize=1)
def _sealer() -> tuple[AESGCM, bytes, str]:
    """What encrypting needs, looked up once: the current key's cipher, its id as the
    associated data, and the token prefix."""
    key_id, cipher = _field_keys()[0]
    return cipher, key_id.encode(), key_id + SEPARATOR


def reset_key_cache() -> None:
    _field_keys.cache_clear()
    _lookup_key.cache_clear()
    _sealer.cache_clear()
    _hashers.clear()


def current_key_id() -> str:
    return _field_keys()[0][0]


_b64 = binascii.b2a_base64  # base64.b64encode without its wrapper (same alphabet)
NONCE_BYTES = 12


def encrypt_text(value: str) -> str:
    cipher, associated, prefix = _sealer()
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, value.encode("utf-8"), associated)
    return prefix + _b64(nonce + sealed, newline=False).decode("ascii")


def encrypt_many(values: Iterable[str]) -> list[str]:
    """``[encrypt_text(value) for value in values]`` ("" stays ""), with the key looked up
    once and the nonces (each from the operating system's CSPRNG, as always) read in one go."""
    values = list(values)
    cipher, associated, prefix = _sealer()
    nonces = os.urandom(NONCE_BYTES * len(values))  # a local buffer: nothing kept or shared
    encrypt = cipher.encrypt
    tokens = []
    for index, value in enumerate(values):
        if not value:
            tokens.append("")
            continue
        nonce = nonces[index * NONCE_BYTES:(index + 1) * NONCE_BYTES]
        tokens.append(prefix + _b64(nonce + encrypt(nonce, value.encode("utf-8"), associated),
                                    newline=False).decode("ascii"))
    return tokens


def decrypt_text(token: str) -> str:
    key_id, _, body = token.partition(SEPARATOR)
    for candidate_id, cipher in _field_keys():
        if candidate_id == key_id:
            blob = binascii.a2b_base64(body)  # base64.b64decode, without its wrapper
            return cipher.decrypt(blob[:12], blob[12:], key_id.encode()).decode("utf-8")
    raise ImproperlyConfigured(f"No key {key_id!r} in SKILLPLAN_FIELD_KEYS to decrypt a value.")


def key_id_of(token: str | None) -> str:
    return (token or "").partition(SEPARATOR)[0]


# Per purpose, the two SHA-256 states of HMAC (RFC 2104) after their first block: the inner one
# keyed and already fed "<purpose>:", the outer one keyed. A hash continues copies of both,
# which gives exactly hmac.digest(key, b"<purpose>:<value>", "sha256") at half its cost.
_hashers: dict[str, tuple[Any, Any]] = {}


def _hasher(purpose: str) -> tuple[Any, Any]:
    states = _hashers.get(purpose)
    if states is None:
        key = _lookup_key()
        if len(key) > _SHA256_BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_SHA256_BLOCK, b"\0")
        inner = hashlib.sha256(key.translate(hmac.trans_36))
        inner.update(f"{purpose}:".encode())
        states = _hashers[purpose] = (inner, hashlib.sha256(key.translate(hmac.trans_5C)))
    return states


_SHA256_BLOCK = 64


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match search; ``purpose`` separates ID, phone, … namespaces:
    HMAC-SHA256 of "<purpose>:<value>" under the lookup key, in hex."""
    return lookup_hasher(purpose)(value)


def lookup_hasher(purpose: str) -> Callable[[str], str]:
    """``lookup_hash(·, purpose=purpose)`` for many values, the keyed states looked up once
    (take a new one after :func:`reset_key_cache`)."""
    inner_copy, outer_copy = (state.copy for state in _hasher(purpose))

    def digest(value: str) -> str:
        inner = inner_copy()
        inner.update(value.encode())
        outer = outer_copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    return digest


class EncryptedTextField(models.TextField):
    """Stores ``encrypt_text(value)``; Python code sees the plain value. Not searchable:
    pair it with a lookup-hash column."""

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and their names."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def rotate_model_keys(model: type[models.Model], names: list[str], *,
                      batch_size: int = 1000) -> int:
    """Re-encrypt every value of ``model`` not sealed with the current key; returns rows."""
    from django.db.models import TextField
    from django.db.models.functions import Cast

    current = current_key_id()
    raw = {f"_raw_{name}": Cast(name, TextField()) for name in names}
    rows = model._default_manager.annotate(**raw).values_list("pk", *raw, *names)
    pending: list[models.Model] = []
    changed = 0
    for row in rows.iterator(chunk_size=batch_size):
        pk, tokens, plain = row[0], row[1:len(names) + 1], row[len(names) + 1:]
        if all(not token or key_id_of(token) == current for token in tokens):
            continue
        pending.append(model(pk=pk, **dict(zip(names, plain, strict=True))))
        if len(pending) >= batch_size:
            model._default_manager.bulk_update(pending, names)
            changed += len(pending)
            pending = []
    if pending:
        model._default_manager.bulk_update(pending, names)
        changed += len(pending)
    return changed
