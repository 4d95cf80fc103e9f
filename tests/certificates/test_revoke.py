"""Revoking a training certificate: a reason, the right people, an audit event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillplan.audit.models import AuditEvent
from skillplan.certificates.choices import CertificateStatus
from skillplan.certificates.models import TrainingCertificate
from skillplan.certificates.services import certificate_revoke
from skillplan.core.errors import RuleError
from tests.certificates.conftest import make_person, trainee_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(issued) -> TrainingCertificate:
    return issued([{"person": make_person(name="李明")}])[0]


def test_county_clerk_revokes_with_a_reason(client_for, certificate):
    url = reverse("certificates:revoke", args=[certificate.pk])
    client = client_for("demo_county_furong")
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "考核成绩录入错误，应为不合格"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoke_reason == "考核成绩录入错误，应为不合格"
    assert certificate.revoked_by.username == "demo_county_furong"
    assert certificate.revoked_at is not None
    event = AuditEvent.objects.get(event="certificate.revoked", target_id=str(certificate.pk))
    assert event.before == {"status": "valid"}
    assert event.after["status"] == "revoked"
    page = client.get(reverse("certificates:detail", args=[certificate.pk]))
    assert "考核成绩录入错误，应为不合格" in page.content.decode()
    assert "Revoked on" in page.content.decode()


def test_reason_is_required(client_for, certificate):
    response = client_for("demo_provider").post(
        reverse("certificates:revoke", args=[certificate.pk]), {"reason": "   "})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    with pytest.raises(RuleError) as error:
        certificate_revoke(actor=certificate.created_by, certificate=certificate, reason="")
    assert error.value.code == "reason_required"


def test_issuing_provider_may_revoke(persona, certificate):
    revoked = certificate_revoke(actor=persona("demo_provider"), certificate=certificate,
                                 reason="冒名顶替参训")
    assert revoked.status == CertificateStatus.REVOKED
    with pytest.raises(RuleError) as error:
        certificate_revoke(actor=persona("demo_province"), certificate=revoked, reason="再次")
    assert error.value.code == "already_revoked"


@pytest.mark.parametrize("username", ["demo_city_xiangxi", "demo_county_jishou",
                                      "demo_provider_xiangxi"])
def test_staff_of_another_area_get_not_found(client_for, certificate, username):
    client = client_for(username)
    for name in ("detail", "pdf", "revoke"):
        assert client.get(reverse(f"certificates:{name}", args=[certificate.pk])
                          ).status_code == 404
    assert client.post(reverse("certificates:revoke", args=[certificate.pk]),
                       {"reason": "越权"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_other_area_clerk_is_refused_by_the_service_too(persona, certificate):
    with pytest.raises(RuleError) as error:
        certificate_revoke(actor=persona("demo_city_xiangxi"), certificate=certificate,
                           reason="越权")
    assert error.value.code == "not_allowed"
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_the_trainee_cannot_revoke_their_own_certificate(client_for, certificate):
    trainee_account(certificate.person)
    client = client_for("demo_trainee")
    assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 200
    response = client.post(reverse("certificates:revoke", args=[certificate.pk]),
                           {"reason": "不想要了"})
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
