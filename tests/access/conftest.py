"""Targets for the access matrix: records with a known owner and region.

The fixture runs for every case, so the records of the providers, catalog and carriers apps are
built on first use (``LazyTargets``): a case creates only the records its route names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from skillplan.accounts.models import ApiToken, User
from skillplan.accounts.tokens import token_create
from skillplan.audit.models import AuditEvent
from skillplan.carriers.models import CarrierKind
from skillplan.carriers.services import carrier_create
from skillplan.catalog import services as catalog
from skillplan.catalog.rules import ProjectValues
from skillplan.core.credit_code import make_credit_code
from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.imports.models import ImportUpload
from skillplan.jobs.models import Job, JobStatus
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.providers import services as ps
from skillplan.providers.models import BaseLevel, EvaluationIndicator
from skillplan.regions.models import Region
from skillplan.regions.selectors import region_index
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass

MATRIX_ID = make_id_number("430102", date(1988, 8, 8), 501)
TWIN_ID = make_id_number("430102", date(1988, 8, 8), 503)
BASE_APPLICATION = {"name": "矩阵基地", "requested_level": "city", "training_offer": "x",
                    "facilities": ""}

Target = dict[str, object]


class LazyTargets(dict[str, Target]):
    """{target key: URL kwargs}; a key missing at first is built by its group's builder."""

    def __init__(self, targets: dict[str, Target],
                 groups: list[tuple[tuple[str, ...], Callable[[], dict[str, Target]]]]) -> None:
        super().__init__(targets)
        self._builders = {key: build for keys, build in groups for key in keys}

    def __missing__(self, key: str) -> Target:
        built = self._builders[key]()
        self.update(built)
        return built[key]


@pytest.fixture
def access_targets(db, tmp_path, settings) -> LazyTargets:
    cache.clear()  # rate limits (public certificate checks) count per test, not per run
    settings.FILES_DIR = tmp_path / "files"
    furong = User.objects.select_related("region").get(username="demo_county_furong")
    token_create(user=furong, name="matrix")
    token = ApiToken.objects.filter(user=furong).latest("created_at")
    settings.FILES_DIR.mkdir(parents=True, exist_ok=True)
    result = settings.FILES_DIR / "exports" / "matrix.xlsx"
    result.parent.mkdir(parents=True, exist_ok=True)
    result.write_bytes(b"PK\x03\x04 matrix")
    job = Job.objects.create(
        kind="accounts.users_export", title="matrix", owner=furong,
        region_code=furong.region_code, status=JobStatus.SUCCEEDED, progress=100,
        result_file="exports/matrix.xlsx", result_filename="matrix.xlsx",
        finished_at=timezone.now(),
    )
    person = person_create(actor=furong, values=check_person(
        {"name": "访问矩阵", "id_number": MATRIX_ID, "region": "430102",
         "certificate_number": make_certificate_number(MATRIX_ID, 4, 3)},
        regions=region_index(), today=date.today()).values)
    twin = person_create(actor=furong, values=check_person(
        {"name": "访问矩阵", "id_number": TWIN_ID, "region": "430102",
         "certificate_number": make_certificate_number(TWIN_ID, 4, 3)},
        regions=region_index(), today=date.today()).values)
    trainee_id = make_id_number("430102", date(1999, 9, 9), 11)
    own = person_create(actor=furong, values=check_person(
        {"name": "周小明", "id_number": trainee_id, "region": "430102",
         "certificate_number": make_certificate_number(trainee_id, 1, 2)},
        regions=region_index(), today=date.today()).values)
    own.user = User.objects.get(username="demo_trainee")
    own.save(update_fields=["user"])
    report = settings.FILES_DIR / "reports" / "matrix-report.xlsx"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"PK\x03\x04 report")
    upload = ImportUpload.objects.create(
        owner=furong, kind="persons", original_filename="花名册.xlsx",
        stored_path="uploads/matrix.xlsx", size=10, sha256="0" * 64, status="ready",
        report_file="reports/matrix-report.xlsx",
    )
    event = AuditEvent.objects.order_by("-seq").first()
    return LazyTargets({
        "furong_account": {"pk": furong.pk},
        "furong_account_id": {"user_id": furong.pk},
        "furong_token": {"pk": token.pk},
        "furong_job": {"pk": job.pk},
        "region_furong": {"code": "430102"},
        "audit_event": {"pk": event.pk},
        "furong_person": {"pk": person.pk},
        "furong_person_id": {"person_id": person.pk},
        "furong_twin": {"pk": twin.pk},
        "furong_upload": {"pk": upload.pk},
    }, groups=[
        *TRAINING_GROUPS,
        (PROVIDER_TARGETS, lambda: _provider_targets(furong)),
        (CATALOG_TARGETS, _catalog_targets),
        (CARRIER_TARGETS, lambda: _carrier_targets(furong)),
    ])


def _upload(owner: User, kind: str) -> ImportUpload:
    """A checked upload whose error report exists (the file is written by access_targets)."""
    return ImportUpload.objects.create(
        owner=owner, kind=kind, original_filename="矩阵.xlsx", stored_path="uploads/matrix.xlsx",
        size=10, sha256="0" * 64, status="ready", report_file="reports/matrix-report.xlsx",
    )


PROVIDER_TARGETS = (
    "sunshine", "sunshine_id", "sunshine_base", "sunshine_base_id", "sunshine_evaluation",
    "xiangxi_draft", "xiangxi_draft_version", "indicator", "furong_provider_upload",
)


def _provider_targets(furong: User) -> dict[str, Target]:
    """An accredited city base of 阳光 (芙蓉区) with a scored evaluation, a draft application
    of the 湘西 provider, and a providers upload of the 芙蓉区 clerk."""
    staff, city, province, xiangxi = (User.objects.select_related("provider").get(username=u)
                                      for u in ("demo_provider", "demo_city_changsha",
                                                "demo_province", "demo_provider_xiangxi"))
    base = ps.base_application_save(actor=staff, provider=staff.provider,
                                    values=BASE_APPLICATION)
    base = ps.base_submit(actor=staff, base=base, expected_version=base.version)
    base = ps.base_city_review(actor=city, base=base, approve=True, comment="",
                               expected_version=base.version)
    base = ps.base_accredit(actor=province, base=base, accredit=True, comment="",
                            level=BaseLevel.CITY, valid_from=date.today(),
                            valid_until=date.today() + timedelta(days=3 * 365),
                            expected_version=base.version)
    indicators = list(EvaluationIndicator.objects.filter(active=True))
    evaluation = ps.evaluation_record(actor=province, base=base, year=2025,
                                      expected_version=base.version,
                                      values={i.code: 50 for i in indicators})
    draft = ps.base_application_save(actor=xiangxi, provider=xiangxi.provider,
                                     values=BASE_APPLICATION)
    return {
        "sunshine": {"pk": staff.provider_id},
        "sunshine_id": {"provider_id": staff.provider_id},
        "sunshine_base": {"pk": base.pk},
        "sunshine_base_id": {"base_id": base.pk},
        "sunshine_evaluation": {"pk": evaluation.pk},
        "xiangxi_draft": {"pk": draft.pk},
        "xiangxi_draft_version": {"version": str(draft.version)},
        "indicator": {"pk": indicators[0].pk},
        "furong_provider_upload": {"pk": _upload(furong, "providers").pk},
    }


def _project_values(name: str, changsha: Region) -> ProjectValues:
    return ProjectValues(
        name=name, training_type="employment", sub_type="services",
        occupation_code="4-03-02-02", occupation_name="中式面点师", days=20, hours=160,
        delivery="offline", fee_standard=Decimal("1800"), categories=["2", "4"],
        accommodations=16, region=changsha, providers=[],
    )


CATALOG_TARGETS = (
    "changsha_draft", "changsha_submitted", "changsha_published", "changsha_published_id",
    "changsha_brand", "changsha_project_upload",
)


def _catalog_targets() -> dict[str, Target]:
    """Three 长沙市 projects of the 长沙 clerk (a draft, a submitted one, a published one with
    no provider named, which is also the city's brand project) and a projects upload."""
    city, province = (User.objects.get(username=u)
                      for u in ("demo_city_changsha", "demo_province"))
    changsha = Region.objects.get(code="4301")
    draft = catalog.project_create(actor=city, values=_project_values("矩阵草稿", changsha))
    submitted = catalog.project_create(actor=city, values=_project_values("矩阵待审", changsha))
    catalog.project_submit(actor=city, project=submitted)
    published = catalog.project_create(actor=city, values=_project_values("矩阵公示", changsha))
    catalog.project_submit(actor=city, project=published)
    published = catalog.project_publish(actor=province, project=published)
    brand = catalog.brand_designate(actor=city, project=published, city=changsha)
    return {
        "changsha_draft": {"pk": draft.pk},
        "changsha_submitted": {"pk": submitted.pk},
        "changsha_published": {"pk": published.pk},
        "changsha_published_id": {"project_id": published.pk},
        "changsha_brand": {"pk": brand.pk},
        "changsha_project_upload": {"pk": _upload(city, "projects").pk},
    }


CARRIER_TARGETS = ("furong_carrier", "furong_carrier_version")


def _carrier_targets(furong: User) -> dict[str, Target]:
    """A practice base in 芙蓉区 run by an employer (no provider linked)."""
    carrier = carrier_create(actor=furong, values={
        "name": "矩阵实训基地", "kind": CarrierKind.PRACTICE_BASE,
        "region": Region.objects.get(code="430102"), "employer_name": "矩阵有限公司",
        "employer_credit_code": make_credit_code("91430102MA4Q0000M"),
        "recognised_by": "city", "contact_name": "王联系", "contact_phone": "13912345678",
    })
    return {"furong_carrier": {"pk": carrier.pk},
            "furong_carrier_version": {"version": str(carrier.version)}}


# --- Training classes and certificates: each target is built on its own, only when a case
# names it (a class in a later status takes a dozen service calls).


def _class(status: str, **kwargs: object) -> TrainingClass:
    from tests.training.factories import make_class

    return make_class(status=status, **kwargs)


def _class_target(key: str, status: str, **kwargs: object) -> Callable[[], dict[str, Target]]:
    def build() -> dict[str, Target]:
        training_class = _class(status, **kwargs)
        if status == ClassStatus.ENDED:  # results entered: completion may be submitted
            from skillplan.training.services.results import results_record

            for enrolment in training_class.enrolments.all():
                results_record(actor=User.objects.get(username="demo_provider"),
                               enrolment=enrolment, passed=True, score=Decimal("90"))
        return {key: {"pk": training_class.pk}, f"{key}_id": {"class_id": training_class.pk},
                f"{key}_code": {"code": training_class.code},
                f"{key}_version": {"version": str(training_class.version)}}
    return build


def _enrolment_target() -> dict[str, Target]:
    training_class = _class(ClassStatus.APPROVED, trainees=1)
    enrolment = training_class.enrolments.get()
    return {"furong_enrolment": {"pk": enrolment.pk},
            "furong_enrolment_id": {"enrolment_id": enrolment.pk}}


def _inspection_file_target() -> dict[str, Target]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from skillplan.training.services.inspections import inspection_record
    from tests.training.during_support import png_bytes

    training_class = _class(ClassStatus.IN_PROGRESS, trainees=1)
    inspection = inspection_record(
        actor=User.objects.get(username="demo_county_furong"), training_class=training_class,
        inspected_on=date.today(), inspector="矩阵检查员", findings="教学秩序良好",
        rating="good", files=[SimpleUploadedFile("现场.png", png_bytes(), "image/png")])
    return {"furong_inspection_file": {"pk": inspection.attachments.get().pk}}


def _certificate_target() -> dict[str, Target]:
    training_class = _class(ClassStatus.COMPLETION_APPROVED, trainees=1)
    certificate = training_class.certificates.get()
    return {"furong_certificate": {"pk": certificate.pk},
            "furong_certificate_id": {"certificate_id": certificate.pk}}


def _roster_upload_target() -> dict[str, Target]:
    """A checked class-roster upload of the 芙蓉区 provider's staff for an approved class."""
    training_class = _class(ClassStatus.APPROVED)
    upload = ImportUpload.objects.create(
        owner=User.objects.get(username="demo_provider"), kind="enrolments",
        options={"training_class": training_class.pk}, original_filename="学员名单.xlsx",
        stored_path="uploads/matrix.xlsx", size=10, sha256="0" * 64, status="ready",
        report_file="reports/matrix-report.xlsx")
    return {"provider_roster_upload": {"pk": upload.pk}}


def _standard_targets() -> dict[str, Target]:
    """The province's default standard and 长沙's own override (employment training fee)."""
    from skillplan.subsidies.demo import STANDARDS, standard_values
    from skillplan.subsidies.services.standards import standard_create

    province = User.objects.get(username="demo_province")
    values = standard_values(STANDARDS[0], date(date.today().year - 1, 1, 1))
    default = standard_create(actor=province, values=values)
    override = standard_create(actor=province, values={**values, "region": "4301"})
    return {"standard_province": {"pk": default.pk}, "standard_changsha": {"pk": override.pk}}


def _contract_target() -> dict[str, Target]:
    """A contract the 芙蓉区 federation bought from the 芙蓉区 provider 阳光."""
    from skillplan.subsidies.services.contracts import ContractValues, contract_create

    clerk = User.objects.select_related("region").get(username="demo_county_furong")
    provider = User.objects.select_related("provider").get(username="demo_provider").provider
    contract = contract_create(actor=clerk, values=ContractValues(
        number="MATRIX-HT-001", provider=provider, buyer_region=clerk.region,
        tender_method="open", amount=Decimal("100000"), starts_on=date(date.today().year, 1, 1),
        ends_on=date(date.today().year, 12, 31)))
    return {"furong_contract": {"pk": contract.pk}}


def _claim_target(key: str, status: str) -> Callable[[], dict[str, Target]]:
    def build() -> dict[str, Target]:
        from tests.subsidies.claims_support import claim_in

        claim = claim_in(status)
        return {key: {"pk": claim.pk}, f"{key}_id": {"claim_id": claim.pk}}
    return build


def _finished_class_target() -> dict[str, Target]:
    """A closed 芙蓉区 class with two trainees and an employment-fee standard to claim by."""
    from tests.subsidies.claims_support import finished_class

    training_class = finished_class()
    return {"class_finished": {"pk": training_class.pk},
            "class_finished_id": {"class_id": training_class.pk}}


def _skill_certificate_target() -> dict[str, Target]:
    from skillplan.certificates.rules import SkillCertificateValues
    from skillplan.certificates.services import skill_certificate_record
    from skillplan.people.models import Person

    # the first of the two 访问矩阵 records: the target "furong_person"
    person = Person.objects.filter(name="访问矩阵", region_code="430102").earliest("pk")
    skill = skill_certificate_record(
        actor=User.objects.get(username="demo_county_furong"), person=person,
        values=SkillCertificateValues(
            kind="skill_level", level=4, occupation_name="保健按摩师",
            occupation_code="4-10-04-02", number="MATRIX-0001", issuer="湖南省职业技能鉴定中心",
            issued_on=date(2024, 6, 1)))
    return {"furong_skill_certificate": {"pk": skill.pk}}


_CLASS_TARGETS = (
    ("class_draft", ClassStatus.DRAFT, {}),
    ("class_submitted", ClassStatus.SUBMITTED, {}),
    ("class_approved", ClassStatus.APPROVED, {}),
    ("class_in_progress", ClassStatus.IN_PROGRESS, {"trainees": 1}),
    ("class_ended", ClassStatus.ENDED, {"trainees": 1}),
    ("class_completion_submitted", ClassStatus.COMPLETION_SUBMITTED, {}),
    ("class_completion_approved", ClassStatus.COMPLETION_APPROVED, {}),
    ("employer_class", ClassStatus.APPROVED, {"training_type": "employer"}),
)

TRAINING_GROUPS: list[tuple[tuple[str, ...], Callable[[], dict[str, Target]]]] = [
    *[((key, f"{key}_id", f"{key}_code", f"{key}_version"), _class_target(key, status, **kwargs))
      for key, status, kwargs in _CLASS_TARGETS],
    (("furong_enrolment", "furong_enrolment_id"), _enrolment_target),
    (("furong_inspection_file",), _inspection_file_target),
    (("furong_certificate", "furong_certificate_id"), _certificate_target),
    (("furong_skill_certificate",), _skill_certificate_target),
    (("provider_roster_upload",), _roster_upload_target),
    (("standard_province", "standard_changsha"), _standard_targets),
    (("furong_contract",), _contract_target),
    (("class_finished", "class_finished_id"), _finished_class_target),
    *[((key, f"{key}_id"), _claim_target(key, status)) for key, status in (
        ("claim_draft", "draft"), ("claim_submitted", "submitted"),
        ("claim_reviewed", "reviewed"), ("claim_approved", "approved"))],
]
