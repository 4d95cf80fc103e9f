"""Who sees which carriers: county and city clerks their area, provider staff their own
carriers; the summary counts; the public page and the public API; the export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.carriers.demo import DEMO_CARRIERS, seed_carriers
from skillplan.carriers.exports import carriers_export_start
from skillplan.carriers.models import Carrier, CarrierKind
from skillplan.carriers.selectors import CarrierFilters, carrier_summary
from skillplan.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db


def test_county_clerk_cannot_see_or_edit_another_countys_carrier(
        client_for: Callable[[str], Client], hand_built: dict[str, Carrier]) -> None:
    other = hand_built["unit_yuelu"]  # 岳麓区, not 芙蓉区
    client = client_for("demo_county_furong")

    assert client.get(reverse("carriers:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("carriers:edit", args=[other.pk])).status_code == 404
    posted = client.post(reverse("carriers:edit", args=[other.pk]),
                         {"name": "改名", "version": "1"})
    assert posted.status_code == 404
    status = client.post(reverse("carriers:status", args=[other.pk]),
                         {"status-status": "closed", "status-reason": "试图关闭",
                          "status-version": "1"})
    assert status.status_code == 404
    other.refresh_from_db()
    assert (other.name, other.status, other.version) == ("岳麓帮扶单位", "active", 1)
    assert not AuditEvent.objects.filter(target_type="carriers.carrier",
                                         target_id=str(other.pk)).exists()
    listed = client.get(reverse("carriers:list")).content.decode()
    assert "芙蓉湘绣美丽工坊" in listed and "岳麓帮扶单位" not in listed


def test_county_clerk_cannot_record_a_carrier_in_another_county(
        client_for: Callable[[str], Client]) -> None:
    from tests.carriers.test_forms_and_services import form_data

    response = client_for("demo_county_furong").post(reverse("carriers:create"),
                                                      form_data(region="430104"))
    assert response.status_code == 200
    assert "region" in response.context["form"].errors
    assert not Carrier.objects.exists()


def test_city_clerk_sees_every_county_of_the_city(
        client_for: Callable[[str], Client], hand_built: dict[str, Carrier]) -> None:
    html = client_for("demo_city_changsha").get(reverse("carriers:list")).content.decode()
    assert "岳麓帮扶单位" in html and "芙蓉湘绣美丽工坊" in html
    assert "吉首苗绣美丽工坊" not in html


def test_provider_staff_see_only_their_linked_carriers_and_cannot_change_them(
        client_for: Callable[[str], Client], hand_built: dict[str, Carrier]) -> None:
    client = client_for("demo_provider")
    html = client.get(reverse("carriers:list")).content.decode()
    assert "阳光技能大师工作室" in html
    assert "芙蓉湘绣美丽工坊" not in html  # same county, but not linked to the provider
    own = hand_built["studio_provider"]
    assert client.get(reverse("carriers:detail", args=[own.pk])).status_code == 200
    other = hand_built["bw_furong"]
    assert client.get(reverse("carriers:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("carriers:edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("carriers:create")).status_code == 403
    assert client_for("demo_provider_xiangxi").get(
        reverse("carriers:detail", args=[own.pk])).status_code == 404


def test_roles_without_provider_permissions_are_refused(
        client_for: Callable[[str], Client]) -> None:
    for username in ("demo_trainee", "demo_auditor"):
        assert client_for(username).get(reverse("carriers:list")).status_code == 403


def test_summary_counts_carriers_and_people_for_the_users_area(
        persona: Callable[[str], User], hand_built: dict[str, Carrier]) -> None:
    rows = {row.kind: row for row in carrier_summary(user=persona("demo_city_changsha"))}

    beautiful = rows[CarrierKind.BEAUTIFUL_WORKSHOP]
    assert (beautiful.active, beautiful.total) == (1, 2)
    assert (beautiful.women_total, beautiful.women_disabled) == (30, 20)  # active only
    assert rows[CarrierKind.ASSISTANCE_UNIT].employees_placed == 12
    assert (rows[CarrierKind.PRACTICE_BASE].active, rows[CarrierKind.MASTER_STUDIO].active) == (
        1, 1)
    assert rows[CarrierKind.HERITAGE_WORKSHOP].total == 0

    province = {row.kind: row for row in carrier_summary(user=persona("demo_province"))}
    assert province[CarrierKind.BEAUTIFUL_WORKSHOP].women_total == 80
    county = {row.kind: row for row in carrier_summary(user=persona("demo_city_changsha"),
                                                       region_code="430104")}
    assert county[CarrierKind.BEAUTIFUL_WORKSHOP].total == 0
    assert county[CarrierKind.ASSISTANCE_UNIT].active == 1


def test_list_page_shows_the_summary_table_and_filters(
        client_for: Callable[[str], Client], hand_built: dict[str, Carrier]) -> None:
    client = client_for("demo_city_changsha")
    response = client.get(reverse("carriers:list"), {"kind": CarrierKind.BEAUTIFUL_WORKSHOP,
                                                     "status": "suspended"})
    html = response.content.decode()
    assert "Summary by kind" in html
    assert [c.name for c in response.context["page"]] == ["芙蓉手工皂美丽工坊"]
    assert "<caption" in html and 'scope="row"' in html


def test_public_page_shows_only_active_carriers_and_no_private_fields(
        client: Client, hand_built: dict[str, Carrier]) -> None:
    response = client.get(reverse("public_carriers:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "芙蓉湘绣美丽工坊" in html and "吉首苗绣美丽工坊" in html
    assert "芙蓉手工皂美丽工坊" not in html  # suspended
    for private in ("王联系", "13912345678", "某街道1号", "内部备注",
                    hand_built["bw_furong"].employer_credit_code):
        assert private not in html
    assert "<script>" not in html.split("</head>", 1)[1]  # no inline scripts in the body

    xiangxi = client.get(reverse("public_carriers:list"), {"city": "4331"}).content.decode()
    assert "吉首苗绣美丽工坊" in xiangxi and "芙蓉湘绣美丽工坊" not in xiangxi


def test_public_api_lists_active_carriers_without_a_token(
        client: Client, hand_built: dict[str, Carrier]) -> None:
    response = client.get("/api/v1/carriers", {"kind": CarrierKind.BEAUTIFUL_WORKSHOP})

    assert response.status_code == 200
    body = response.json()
    names = {item["name"] for item in body["items"]}
    assert names == {"芙蓉湘绣美丽工坊", "吉首苗绣美丽工坊"}
    item = next(i for i in body["items"] if i["name"] == "吉首苗绣美丽工坊")
    assert (item["women_total"], item["women_disabled"]) == (50, 40)
    assert item["city"] == "湘西土家族苗族自治州"
    for private in ("contact_name", "contact_phone", "address", "notes", "employer_credit_code"):
        assert private not in item
    assert "13912345678" not in response.content.decode()


def _run_export(capture: Any, user: User, filters: CarrierFilters) -> Job:
    with capture(execute=True):
        job = carriers_export_start(actor=user, filters=filters)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    return job


def test_export_holds_only_the_carriers_in_scope(
        persona: Callable[[str], User], hand_built: dict[str, Carrier], files_dir: Path,
        django_capture_on_commit_callbacks: Any) -> None:
    job = _run_export(django_capture_on_commit_callbacks, persona("demo_county_furong"),
                      CarrierFilters())

    rows = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(
        0).to_python()
    names = {row[0] for row in rows[1:]}
    assert names == {"芙蓉湘绣美丽工坊", "芙蓉手工皂美丽工坊", "芙蓉实训基地", "阳光技能大师工作室"}
    assert job.result == {"rows": 4}
    assert AuditEvent.objects.filter(event="carriers.exported", target_id=str(job.pk)).exists()

    filtered = _run_export(django_capture_on_commit_callbacks, persona("demo_city_changsha"),
                           CarrierFilters(kind=CarrierKind.ASSISTANCE_UNIT))
    assert filtered.result == {"rows": 1}


def test_export_button_starts_a_job_for_the_list(
        client_for: Callable[[str], Client], hand_built: dict[str, Carrier]) -> None:
    response = client_for("demo_county_furong").post(reverse("carriers:export"),
                                                     {"kind": "beautiful_workshop"})
    job = Job.objects.get(kind="carriers.export")
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.params == {"filters": {"q": "", "kind": "beautiful_workshop", "region_code": "",
                                      "status": ""}}


def test_demo_seed_is_deterministic_and_idempotent(db: Any) -> None:
    first = seed_carriers()
    assert first == len(DEMO_CARRIERS) == 25
    assert seed_carriers() == 0
    assert Carrier.objects.values("kind").distinct().count() == len(CarrierKind)
    assert Carrier.objects.values("region_code").count() == 25
    assert len({code[:4] for code in Carrier.objects.values_list("region_code", flat=True)}) >= 9
