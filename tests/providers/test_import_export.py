"""The providers template (KIND ``providers``): idempotent upsert by credit code, scope, errors;
and the providers, bases and coverage exports as background jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.core.credit_code import make_credit_code
from skillplan.core.imports.engine import ImportResult, run_import
from skillplan.core.imports.registry import get_template
from skillplan.jobs.models import Job, JobStatus
from skillplan.providers import exports
from skillplan.providers.demo import seed_providers
from skillplan.providers.imports import ProvidersTemplate
from skillplan.providers.models import Provider
from skillplan.providers.selectors import BaseFilters, ProviderFilters

pytestmark = pytest.mark.django_db
HEADERS = ["机构名称", "统一社会信用代码", "机构类型", "所在县区", "地址", "联系人", "联系电话",
           "容纳人数", "无障碍设施"]
A = make_credit_code("52430102MA4L55501")
B = make_credit_code("91430103MA4L55502")
XX = make_credit_code("52433101MA4L55503")


def _write(path: Path, rows: list[list[Any]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("培训机构")
    sheet.write_row(0, 0, ["湖南省培训机构名册"])  # a title row above the header
    sheet.write_row(1, 0, HEADERS)
    for number, row in enumerate(rows, start=2):
        sheet.write_row(number, 0, row)
    workbook.close()
    return path


ROWS = [
    ["芙蓉区自强培训学校", A, "职业培训机构", "芙蓉区", "五一大道1号", "刘老师", "13900001111", 60,
     "无障碍通道、盲文标识"],
    ["天心区电商服务公司", B.lower(), "企业", "长沙市天心区", "", "", "0731-85550000", "30", ""],
    ["吉首某机构", XX, "社会组织", "吉首市", "", "", "", "", ""],  # outside 长沙
    ["坏代码机构", "52430102MA4L5550", "职业培训机构", "芙蓉区", "", "", "", "", ""],
    ["重复", A, "职业培训机构", "芙蓉区", "", "", "", "", ""],
    ["类型错误", make_credit_code("52430102MA4L55504"), "学校", "芙蓉区", "", "", "", "", ""],
]


def _import(path: Path, user: User, **options: Any) -> ImportResult:
    return run_import(ProvidersTemplate(), path, actor=user, **options)


def _codes(result: ImportResult) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for error in result.errors:
        found.setdefault(error.row, set()).add(error.code)
    return found


def test_providers_template_is_registered_for_import_data() -> None:
    assert isinstance(get_template("providers"), ProvidersTemplate)


def test_import_creates_then_is_idempotent(
    tmp_path: Path, persona: Callable[[str], User],
) -> None:
    path = _write(tmp_path / "providers.xlsx", ROWS)
    clerk = persona("demo_city_changsha")
    first = _import(path, clerk)
    assert (first.created, first.updated, first.unchanged, first.rejected) == (2, 0, 0, 4)
    assert _codes(first) == {5: {"region_out_of_scope"}, 6: {"credit_code_format"},
                             7: {"duplicate_in_file"}, 8: {"kind_unknown"}}
    school = Provider.objects.get(credit_code=A)
    assert school.region_code == "430102" and school.contact_phone == "13900001111"
    assert school.step_free and school.braille_signage and school.capacity == 60
    assert Provider.objects.get(credit_code=B).kind == "enterprise"
    events = AuditEvent.objects.count()

    second = _import(path, clerk)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Provider.objects.filter(credit_code__in=[A, B]).count() == 2
    assert AuditEvent.objects.count() == events  # nothing changed, nothing recorded


def test_import_updates_a_known_code_and_keeps_values_left_blank(
    tmp_path: Path, persona: Callable[[str], User],
) -> None:
    clerk = persona("demo_city_changsha")
    _import(_write(tmp_path / "a.xlsx", ROWS[:1]), clerk)
    result = _import(_write(tmp_path / "b.xlsx", [
        ["芙蓉区自强培训学校（新址）", A, "", "芙蓉区", "", "", "", 80, ""]]), clerk)
    assert (result.created, result.updated) == (0, 1)
    school = Provider.objects.get(credit_code=A)
    assert school.name == "芙蓉区自强培训学校(新址)" and school.capacity == 80  # normalised
    assert school.address == "五一大道1号" and school.contact_name == "刘老师"


def test_dry_run_writes_nothing(tmp_path: Path, persona: Callable[[str], User]) -> None:
    result = _import(_write(tmp_path / "p.xlsx", ROWS), persona("demo_province"), dry_run=True)
    assert result.created == 3  # the province may import 吉首 too
    assert not Provider.objects.filter(credit_code__in=[A, B, XX]).exists()


def test_provider_staff_may_not_import(tmp_path: Path, persona: Callable[[str], User]) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import(_write(tmp_path / "p.xlsx", ROWS), persona("demo_provider"))
    assert not Provider.objects.filter(credit_code=A).exists()


def _run(capture: Any, start: Callable[[], Job]) -> list[list[Any]]:
    with capture(execute=True):
        job = start()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    from django.conf import settings

    sheet = CalamineWorkbook.from_path(str(Path(settings.FILES_DIR) / job.result_file))
    return sheet.get_sheet_by_index(0).to_python()


def test_exports_hold_what_the_owner_sees(
    persona: Callable[[str], User], django_capture_on_commit_callbacks: Any,
) -> None:
    seed_providers()
    xiangxi = persona("demo_city_xiangxi")
    rows = _run(django_capture_on_commit_callbacks,
                lambda: exports.providers_export_start(actor=xiangxi, filters=ProviderFilters()))
    names = {row[0] for row in rows[1:]}
    assert names == set(Provider.objects.filter(region_code__startswith="4331")
                        .values_list("name", flat=True))
    bases = _run(django_capture_on_commit_callbacks, lambda: exports.bases_export_start(
        actor=persona("demo_province"), filters=BaseFilters(status="accredited")))
    assert len(bases) - 1 == 11
    table = _run(django_capture_on_commit_callbacks,
                 lambda: exports.coverage_export_start(actor=persona("demo_province")))
    assert len(table) - 1 == 14
    shaoyang = next(row for row in table if row[0] == "邵阳市")
    assert shaoyang[1] == 0 and shaoyang[2] == "No"
    assert AuditEvent.objects.filter(event="coverage.exported").exists()


def test_web_import_checks_then_imports_on_confirmation(
    tmp_path: Path, client_for: Callable[[str], Any], django_capture_on_commit_callbacks: Any,
) -> None:
    from django.urls import reverse

    from skillplan.imports.models import ImportUpload, UploadStatus

    client = client_for("demo_city_changsha")
    assert client.get(reverse("providers:import_template")).status_code == 200
    path = _write(tmp_path / "providers.xlsx", ROWS)
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = client.post(reverse("providers:import_upload"), {"file": handle})
    upload = ImportUpload.objects.get(kind="providers")
    assert response.url == reverse("providers:import_preview", args=[upload.pk])
    assert upload.status == UploadStatus.READY and upload.summary["created"] == 2
    assert not Provider.objects.filter(credit_code=A).exists()  # only checked so far
    assert "New providers to register" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("providers:import_preview", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE
    assert Provider.objects.filter(credit_code__in=[A, B]).count() == 2
