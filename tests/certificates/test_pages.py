"""Certificate pages and the scoped API: who sees what, the trainee's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.tokens import token_create
from skillplan.certificates.models import TrainingCertificate
from skillplan.certificates.services import certificate_revoke
from skillplan.core.navigation import items_for
from tests.certificates.conftest import make_person, trainee_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(issued) -> list[TrainingCertificate]:
    """Certificates of two trainees of one 芙蓉区 class; the first is demo_trainee's."""
    first, second = make_person(name="周小明"), make_person(name="吴小红")
    certificates = issued([{"person": first}, {"person": second}])
    trainee_account(first)
    trainee_account(second, username="trainee_two")
    return certificates


def test_list_is_scoped_and_filtered(client_for, persona, two):
    numbers = {c.number for c in two}
    page = client_for("demo_county_furong").get(reverse("certificates:list")).content.decode()
    assert all(number in page for number in numbers)
    xiangxi = client_for("demo_city_xiangxi").get(reverse("certificates:list")).content.decode()
    assert not any(number in xiangxi for number in numbers)
    certificate_revoke(actor=persona("demo_province"), certificate=two[1], reason="作废")
    client = client_for("demo_province")
    revoked_only = client.get(reverse("certificates:list"), {"status": "revoked"})
    assert two[1].number in revoked_only.content.decode()
    assert two[0].number not in revoked_only.content.decode()
    by_number = client.get(reverse("certificates:list"), {"number": two[0].number})
    assert two[0].number in by_number.content.decode()
    assert two[1].number not in by_number.content.decode()
    code = two[0].training_class.code
    assert two[0].number in client.get(reverse("certificates:list"),
                                       {"class_code": code.lower()}).content.decode()
    year = two[0].issued_on.year
    assert two[0].number not in client.get(reverse("certificates:list"),
                                           {"year": year - 1}).content.decode()


def test_detail_says_who_issued_and_when(client_for, two):
    certificate = two[0]
    page = client_for("demo_provider").get(reverse("certificates:detail",
                                                   args=[certificate.pk])).content.decode()
    assert certificate.created_by.display_name in page
    assert timezone.localtime(certificate.created_at).strftime("%Y-%m-%d") in page
    assert reverse("certificates:revoke", args=[certificate.pk]) in page


def test_class_list_shows_the_certificates_of_the_class(client_for, two):
    url = reverse("certificates:class_list", args=[two[0].training_class_id])
    page = client_for("demo_city_changsha").get(url)
    assert page.status_code == 200
    assert all(c.number in page.content.decode() for c in two)
    assert client_for("demo_city_xiangxi").get(url).status_code == 404
    assert client_for("demo_provider_xiangxi").get(url).status_code == 404


def test_trainee_sees_only_their_own(client_for, two):
    own, other = two
    client = client_for("demo_trainee")
    page = client.get(reverse("certificates:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    assert own.number in html and other.number not in html
    assert own.training_class.code in html
    assert "Passed" in html
    assert client.get(reverse("certificates:detail", args=[own.pk])).status_code == 200
    pdf = client.get(reverse("certificates:pdf", args=[own.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for name in ("detail", "pdf"):
        assert client.get(reverse(f"certificates:{name}", args=[other.pk])).status_code == 404
    listing = client.get(reverse("certificates:list")).content.decode()
    assert own.number in listing and other.number not in listing
    second = client_for("trainee_two")
    assert second.get(reverse("certificates:pdf", args=[own.pk])).status_code == 404


def test_navigation(persona, two):
    trainee_links = {item["url"] for item in items_for(persona("demo_trainee"))}
    assert reverse("certificates:mine") in trainee_links
    assert reverse("certificates:list") not in trainee_links
    clerk_links = {item["url"] for item in items_for(persona("demo_county_furong"))}
    assert reverse("certificates:list") in clerk_links
    assert reverse("certificates:mine") not in clerk_links
    assert reverse("certificates:list") not in {
        item["url"] for item in items_for(persona("demo_evaluator"))}


def test_staff_cannot_open_my_training(client_for):
    assert client_for("demo_county_furong").get(reverse("certificates:mine")).status_code == 403


def _auth(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')}"}


def test_api_lists_gets_and_revokes_in_scope(client, persona, two):
    furong = _auth(persona("demo_provider"))
    xiangxi = _auth(persona("demo_city_xiangxi"))
    listed = client.get("/api/v1/certificates", {"limit": 1}, **furong).json()
    assert len(listed["items"]) == 1 and listed["next_cursor"]
    rest = client.get("/api/v1/certificates", {"cursor": listed["next_cursor"]}, **furong).json()
    assert {row["number"] for row in listed["items"] + rest["items"]} == {c.number for c in two}
    assert client.get("/api/v1/certificates", **xiangxi).json()["items"] == []
    url = f"/api/v1/certificates/{two[0].pk}"
    assert client.get(url, **furong).json()["holder_name"] == "周小明"
    assert client.get(url, **xiangxi).status_code == 404
    assert client.post(f"{url}/revoke", {"reason": "越权"}, content_type="application/json",
                       **xiangxi).status_code == 404
    missing = client.post(f"{url}/revoke", {"reason": " "}, content_type="application/json",
                          **furong)
    assert missing.status_code == 422 and missing.json()["code"] == "reason_required"
    done = client.post(f"{url}/revoke", {"reason": "成绩有误"}, content_type="application/json",
                       **furong)
    assert done.status_code == 200 and done.json()["status"] == "revoked"
    again = client.post(f"{url}/revoke", {"reason": "成绩有误"}, content_type="application/json",
                        **furong)
    assert again.status_code == 422 and again.json()["code"] == "already_revoked"
