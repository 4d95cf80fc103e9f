"""Recording the skill certificates a person holds (职业技能等级证书, 职业资格证书)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditEvent
from skillplan.certificates.models import SkillCertificate
from skillplan.certificates.rules import SkillCertificateValues
from skillplan.certificates.services import SkillCertificateInvalid, skill_certificate_record
from skillplan.core.errors import RuleError
from tests.certificates.conftest import make_person

pytestmark = pytest.mark.django_db


def values(**overrides) -> SkillCertificateValues:
    fields = {"kind": "skill_level", "level": 4, "occupation_name": "中式面点师",
              "occupation_code": "4-03-02-02", "number": "S000043010200001",
              "issuer": "长沙市职业技能鉴定中心", "issued_on": date(2024, 6, 1)}
    fields.update(overrides)
    return SkillCertificateValues(**fields)


def _codes(error: SkillCertificateInvalid) -> dict[str, str]:
    return {problem.field: problem.code for problem in error.problems}


@pytest.fixture
def person():
    return make_person(name="李明")


def test_clerk_records_a_skill_level_certificate(persona, person):
    certificate = skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                           values=values())
    assert (certificate.kind, certificate.level, certificate.region_code) == (
        "skill_level", 4, person.region_code)
    assert certificate.get_level_display().startswith("Level 4")
    assert AuditEvent.objects.filter(event="skill_certificate.recorded",
                                     target_id=str(certificate.pk)).exists()


def test_skill_level_needs_an_explicit_rank(persona, person):
    with pytest.raises(SkillCertificateInvalid) as error:
        skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                 values=values(level=None))
    assert _codes(error.value) == {"level": "level_required"}
    with pytest.raises(SkillCertificateInvalid) as error:
        skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                 values=values(level=6))
    assert _codes(error.value) == {"level": "level_invalid"}
    assert not SkillCertificate.objects.exists()


def test_qualification_certificate_has_no_rank(persona, person):
    with pytest.raises(SkillCertificateInvalid) as error:
        skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                 values=values(kind="qualification", level=3))
    assert _codes(error.value) == {"level": "level_not_allowed"}
    recorded = skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                        values=values(kind="qualification", level=None))
    assert recorded.level is None


def test_date_in_the_future_and_bad_occupation_code_are_refused(persona, person):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(SkillCertificateInvalid) as error:
        skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                 values=values(issued_on=tomorrow, occupation_code="40302"))
    assert _codes(error.value) == {"issued_on": "date_in_future",
                                   "occupation_code": "occupation_code_format"}
    today = skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                     values=values(issued_on=timezone.localdate(),
                                                   occupation_code="4－03－02－02"))
    assert today.occupation_code == "4-03-02-02"


def test_issuer_and_number_are_unique(persona, person):
    skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                             values=values())
    with pytest.raises(SkillCertificateInvalid) as error:
        skill_certificate_record(actor=persona("demo_city_changsha"),
                                 person=make_person(name="王芳"), values=values())
    assert _codes(error.value) == {"number": "skill_certificate_duplicate"}
    other_issuer = skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                            values=values(issuer="湖南省人社厅"))
    assert other_issuer.pk


def test_clerk_of_another_area_cannot_record(persona, client_for, person):
    with pytest.raises(RuleError) as error:
        skill_certificate_record(actor=persona("demo_city_xiangxi"), person=person,
                                 values=values())
    assert error.value.code == "not_allowed"
    response = client_for("demo_city_xiangxi").post(
        reverse("certificates:skill_create", args=[person.pk]), {
            "kind": "qualification", "occupation_name": "电工", "number": "X1",
            "issuer": "某中心", "issued_on": "2024-01-01"})
    assert response.status_code == 404
    assert not SkillCertificate.objects.exists()
    # Providers and trainees do not record skill certificates.
    assert client_for("demo_provider").get(
        reverse("certificates:skill_create", args=[person.pk])).status_code == 403


def test_form_records_and_lists_on_the_person_page(client_for, person):
    client = client_for("demo_county_furong")
    url = reverse("certificates:skill_create", args=[person.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"kind": "skill_level", "level": "", "occupation_name": "电工",
                                "number": "S1", "issuer": "某中心",
                                "issued_on": "2024-01-01"})
    assert refused.status_code == 200
    assert "error-summary" in refused.content.decode()
    assert "states its rank" in refused.content.decode()
    done = client.post(url, {"kind": "skill_level", "level": "3", "occupation_name": "电工",
                             "occupation_code": "6-31-01-03", "number": "S1",
                             "issuer": "某中心", "issued_on": "2024-01-01"})
    assert done.status_code == 302
    person_page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "S1" in person_page and "电工" in person_page
    listing = client.get(reverse("certificates:skill_list", args=[person.pk]))
    assert "6-31-01-03" in listing.content.decode()


def test_clerk_removes_a_record_made_by_mistake(client_for, persona, person):
    certificate = skill_certificate_record(actor=persona("demo_county_furong"), person=person,
                                           values=values())
    url = reverse("certificates:skill_delete", args=[certificate.pk])
    assert client_for("demo_city_xiangxi").post(url).status_code == 404
    assert SkillCertificate.objects.filter(pk=certificate.pk).exists()
    assert client_for("demo_city_changsha").post(url).status_code == 302
    assert not SkillCertificate.objects.filter(pk=certificate.pk).exists()
    assert AuditEvent.objects.filter(event="skill_certificate.deleted").exists()


def test_api_records_and_lists(client, persona, person):
    token = token_create(user=persona("demo_county_furong"), name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/certificates/persons/{person.pk}/skills"
    refused = client.post(url, {"kind": "skill_level", "occupation_name": "电工",
                                "number": "S9", "issuer": "某中心",
                                "issued_on": (timezone.localdate() + timedelta(days=3)
                                              ).isoformat()},
                          content_type="application/json", **auth)
    assert refused.status_code == 422
    details = {d["field"]: d["code"] for d in refused.json()["details"]}
    assert details == {"level": "level_required", "issued_on": "date_in_future"}
    created = client.post(url, {"kind": "skill_level", "level": 5, "occupation_name": "电工",
                                "number": "S9", "issuer": "某中心", "issued_on": "2024-05-01"},
                          content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    assert created.json()["level_label"].startswith("Level 5")
    listed = client.get(url, **auth).json()
    assert [row["number"] for row in listed] == ["S9"]
    other = token_create(user=persona("demo_city_xiangxi"), name="t")
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
