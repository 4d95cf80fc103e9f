"""Public verification: number and full name → valid, revoked or not found; the holder's name
masked; a wrong name answers exactly like a wrong number; at most 10 checks a minute per IP."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.certificates import ratelimit
from skillplan.certificates.services import certificate_revoke
from tests.certificates.conftest import make_person

pytestmark = pytest.mark.django_db

VERIFY = "/public/certificates/"
API = "/api/v1/public/certificates/verify"


@pytest.fixture
def certificate(issued):
    return issued([{"person": make_person(name="欧阳娜娜")}])[0]


def _answer(response) -> str:
    """The answer section of the page (what a visitor is told)."""
    html = response.content.decode()
    match = re.search(r'<section aria-labelledby="answer-title".*?</section>', html, re.S)
    assert match, html
    return match[0]


def test_the_url_names_are_the_public_paths():
    assert reverse("public_certificates:verify") == VERIFY
    assert reverse("api-1.0.0:certificate_verify") == API


def test_valid_certificate(client, certificate):
    response = client.get(VERIFY, {"number": certificate.number, "name": "欧阳娜娜"})
    assert response.status_code == 200
    answer = _answer(response)
    assert "This certificate is genuine and valid." in answer
    assert "欧**娜" in answer
    assert "欧阳娜娜" not in response.content.decode().split('<form method="get"')[0]
    assert certificate.project_name in answer
    assert certificate.provider_name in answer
    assert certificate.start_date.isoformat() in answer
    assert certificate.issued_on.isoformat() in answer


def test_name_may_be_typed_with_spaces_around(client, certificate):
    response = client.get(VERIFY, {"number": f" {certificate.number} ", "name": " 欧阳娜娜 "})
    assert "genuine and valid" in _answer(response)


def test_revoked_certificate_says_when(client, persona, certificate):
    revoked = certificate_revoke(actor=persona("demo_province"), certificate=certificate,
                                 reason="冒名顶替")
    answer = _answer(client.get(VERIFY, {"number": certificate.number, "name": "欧阳娜娜"}))
    assert "was revoked on" in answer
    assert timezone.localdate(revoked.revoked_at).isoformat() in answer
    assert "冒名顶替" not in answer  # the reason is not public


def test_wrong_name_answers_exactly_like_an_unknown_number(client, certificate):
    wrong_name = _answer(client.get(VERIFY, {"number": certificate.number, "name": "欧阳娜"}))
    unknown = _answer(client.get(VERIFY, {"number": "HNPX-1999-000000-00000",
                                          "name": "欧阳娜"}))
    assert "No certificate matches" in wrong_name
    assert wrong_name == unknown
    assert certificate.project_name not in wrong_name


def test_qr_link_prefills_the_number_and_is_not_a_check(client, certificate):
    for _ in range(15):
        response = client.get(VERIFY, {"number": certificate.number})
        assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{certificate.number}"' in html
    assert 'id="answer-title"' not in html
    # None of those counted: checks are still allowed.
    assert client.get(VERIFY, {"number": certificate.number, "name": "欧阳娜娜"}
                      ).status_code == 200


def test_eleventh_check_in_a_minute_is_refused(client, certificate):
    for attempt in range(10):
        response = client.get(VERIFY, {"number": certificate.number, "name": f"名{attempt}"})
        assert response.status_code == 200, attempt
        assert 'id="answer-title"' in response.content.decode()
    refused = client.get(VERIFY, {"number": certificate.number, "name": "欧阳娜娜"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "Too many checks." in html
    assert 'id="answer-title"' not in html
    # The empty form still opens.
    assert client.get(VERIFY).status_code == 200


def test_the_limit_is_per_address_and_slides(client, certificate, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    query = {"number": certificate.number, "name": "欧阳娜娜"}
    for _ in range(10):
        assert client.get(VERIFY, query).status_code == 200
        now[0] += 5  # ten checks over 45 seconds
    assert client.get(VERIFY, query).status_code == 429
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get(VERIFY, query).status_code == 200
    now[0] = 1_000_000.0 + 61  # the first check has left the window, the others not
    assert client.get(VERIFY, query).status_code == 200
    assert client.get(VERIFY, query).status_code == 429


def test_behind_a_proxy_the_forwarded_address_counts(client, certificate, settings):
    settings.SKILLPLAN_TRUSTED_PROXIES = 1
    query = {"number": certificate.number, "name": "欧阳娜娜"}
    for _ in range(10):
        assert client.get(VERIFY, query, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    assert client.get(VERIFY, query, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert client.get(VERIFY, query, HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


# --- the public API --------------------------------------------------------------------------


def test_api_gives_the_same_answers(client, persona, certificate):
    valid = client.get(API, {"number": certificate.number, "name": "欧阳娜娜"})
    assert valid.status_code == 200
    body = valid.json()
    assert body["result"] == "valid"
    assert body["holder_name_masked"] == "欧**娜"
    assert body["project_name"] == certificate.project_name
    assert body["provider_name"] == certificate.provider_name
    assert body["issued_on"] == certificate.issued_on.isoformat()
    assert "欧阳娜娜" not in valid.content.decode()
    wrong = client.get(API, {"number": certificate.number, "name": "欧阳"}).json()
    unknown = client.get(API, {"number": "NOPE-1", "name": "欧阳"}).json()
    assert wrong == unknown == {
        "result": "not_found", "number": None, "holder_name_masked": None,
        "project_name": None, "provider_name": None, "start_date": None, "end_date": None,
        "hours": None, "issued_on": None, "revoked_on": None}
    certificate_revoke(actor=persona("demo_province"), certificate=certificate, reason="作废")
    revoked = client.get(API, {"number": certificate.number, "name": "欧阳娜娜"}).json()
    assert revoked["result"] == "revoked"
    assert revoked["revoked_on"] is not None


def test_api_needs_both_values(client):
    response = client.get(API, {"number": "HNPX-2025-430102-00001"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_api_and_page_share_the_limit(client, certificate):
    query = {"number": certificate.number, "name": "欧阳娜娜"}
    for _ in range(5):
        assert client.get(VERIFY, query).status_code == 200
    for _ in range(5):
        assert client.get(API, query).status_code == 200
    refused = client.get(API, query)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert int(refused["Retry-After"]) >= 1
    assert client.get(VERIFY, query).status_code == 429
