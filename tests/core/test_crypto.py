"""Field encryption and lookup hashes: the fast paths give exactly what the plain ones give."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator

import pytest
from django.test import override_settings

from skillplan.core import crypto


@pytest.fixture(autouse=True)
def _fresh_keys() -> Iterator[None]:
    crypto.reset_key_cache()
    yield
    crypto.reset_key_cache()


def _reference_hash(value: str, purpose: str) -> str:
    return hmac.new(crypto._lookup_key(), f"{purpose}:{value}".encode(), hashlib.sha256
                    ).hexdigest()


@pytest.mark.parametrize("value", ["430102199005171234", "", "13800138000", "王五 ×", "x" * 200])
@pytest.mark.parametrize("purpose", ["person-id", "person-phone"])
def test_lookup_hashes_are_hmac_sha256_of_purpose_and_value(value: str, purpose: str) -> None:
    expected = _reference_hash(value, purpose)

    assert crypto.lookup_hash(value, purpose=purpose) == expected
    assert crypto.lookup_hasher(purpose)(value) == expected


def test_a_long_lookup_key_is_hashed_first_as_hmac_does() -> None:
    key = bytes(range(100))
    with override_settings(SKILLPLAN_LOOKUP_KEY=base64.b64encode(key).decode()):
        crypto.reset_key_cache()
        expected = hmac.new(key, b"person-id:1", hashlib.sha256).hexdigest()
        assert crypto.lookup_hash("1", purpose="person-id") == expected


def test_a_new_lookup_key_takes_effect_after_reset() -> None:
    before = crypto.lookup_hash("1", purpose="person-id")
    with override_settings(SKILLPLAN_LOOKUP_KEY=base64.b64encode(b"k" * 32).decode()):
        crypto.reset_key_cache()
        after = crypto.lookup_hash("1", purpose="person-id")
    assert after != before
    assert after == hmac.new(b"k" * 32, b"person-id:1", hashlib.sha256).hexdigest()


def test_encrypt_many_seals_each_value_with_its_own_nonce() -> None:
    values = ["430102199005171234", "", "13800138000", "430102199005171234", "王五"]

    tokens = crypto.encrypt_many(values)

    assert tokens[1] == ""
    assert [crypto.decrypt_text(token) for token in tokens if token] == [
        "430102199005171234", "13800138000", "430102199005171234", "王五"]
    assert tokens[0] != tokens[3]  # the same value twice: two different nonces
    nonces = {base64.b64decode(token.partition("$")[2])[:12] for token in tokens if token}
    assert len(nonces) == 4
    assert all(token.startswith(crypto.current_key_id() + "$") for token in tokens if token)


def test_encrypt_text_tokens_keep_their_format() -> None:
    token = crypto.encrypt_text("430102199005171234")

    key_id, _, body = token.partition("$")
    blob = base64.b64decode(body, validate=True)
    assert key_id == crypto.current_key_id()
    assert len(blob) == 12 + 18 + 16  # nonce, ciphertext, tag
    assert crypto.decrypt_text(token) == "430102199005171234"
