"""The catalog template: rows become drafts, a second import of the same file changes nothing,
bad rows are explained; the list exports as a background job holding what the owner sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from skillplan.accounts.models import User
from skillplan.audit.models import AuditEvent
from skillplan.catalog.imports import PROJECT_COLUMNS, ProjectsTemplate, projects_template_file
from skillplan.catalog.models import TrainingProject
from skillplan.core.credit_code import make_credit_code
from skillplan.core.imports.engine import run_import
from skillplan.imports.models import ImportUpload
from skillplan.jobs.models import Job, JobStatus

pytestmark = pytest.mark.django_db

HEADERS = ["项目名称", "培训类型", "项目类别", "职业编码", "职业名称", "培训天数", "培训课时",
           "培训方式", "收费标准", "服务残疾类别", "承训机构统一社会信用代码", "所属地区",
           "无障碍支持"]
SUNSHINE = make_credit_code("91430102MA4L00000")
GOOD = [
    ["电商客服专项技能培训", "就业技能培训", "服务类", "4-01-02-02", "电子商务师", 15, 120, "混合",
     1800, "肢体、听力", SUNSHINE, "长沙市", "手语、读屏"],
    ["猕猴桃种植技术培训", "农村实用技术培训", "种植", "", "", 7, 42, "线下", 400, "肢体", "",
     "长沙市", ""],
    ["盲人保健按摩", "保健(医疗)按摩培训", "", "4-10-04-02", "保健按摩师", 60, 480, "线下",
     3600, "视力", "", "", "盲文、大字"],
]
BAD = [
    ["种植错类", "就业技能培训", "种植", "4-01-02-02", "电子商务师", 5, 40, "线下", 100, "肢体",
     "", "长沙市", ""],
    ["课时太多", "农村实用技术培训", "养殖", "", "", 2, 30, "线下", 100, "肢体", "", "长沙市", ""],
    ["编码不对", "岗位技能提升培训", "岗前", "40202", "仓储管理员", 5, 40, "线下", 100, "肢体",
     "", "长沙市", ""],
    ["别的城市", "农村实用技术培训", "加工", "", "", 5, 30, "线下", 100, "肢体", "", "湘西州", ""],
]


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, row)
    book.close()
    return path


def test_rows_become_drafts_and_a_second_import_changes_nothing(
        tmp_path: Path, persona: Callable[[str], User]) -> None:
    clerk = persona("demo_city_changsha")
    path = _workbook(tmp_path / "目录.xlsx", GOOD[:2])

    first = run_import(ProjectsTemplate(), path, actor=clerk)
    assert (first.created, first.rejected) == (2, 0), first.errors
    projects = TrainingProject.objects.filter(region_code="4301").order_by("name")
    assert {p.status for p in projects} == {"draft"}
    ecommerce = projects.get(name="电商客服专项技能培训")
    assert ecommerce.new_economy == "ecommerce_service"
    assert ecommerce.categories == "24" and ecommerce.accommodations == 65
    assert [p.credit_code for p in ecommerce.providers.all()] == [SUNSHINE]
    events = AuditEvent.objects.filter(event="project.created").count()

    second = run_import(ProjectsTemplate(), path, actor=clerk)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert TrainingProject.objects.filter(region_code="4301").count() == 2
    assert AuditEvent.objects.filter(event="project.created").count() == events


def test_a_changed_row_updates_its_draft(tmp_path: Path,
                                         persona: Callable[[str], User]) -> None:
    clerk = persona("demo_city_changsha")
    run_import(ProjectsTemplate(), _workbook(tmp_path / "a.xlsx", GOOD[:1]), actor=clerk)
    changed = [[*GOOD[0][:8], 2000, *GOOD[0][9:]]]
    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "b.xlsx", changed), actor=clerk)
    assert (result.created, result.updated) == (0, 1)
    assert str(TrainingProject.objects.get(name="电商客服专项技能培训").fee_standard) == "2000.00"


def test_bad_rows_are_rejected_with_an_explanation(tmp_path: Path,
                                                   persona: Callable[[str], User]) -> None:
    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "bad.xlsx", GOOD[:1] + BAD),
                        actor=persona("demo_city_changsha"))

    assert (result.created, result.rejected) == (1, 4)
    codes = {error.row: error.code for error in result.errors}
    assert codes[3] == "sub_type_invalid"
    assert codes[4] == "hours_too_many"
    assert codes[5] == "occupation_code_format"
    assert codes[6] == "region_out_of_scope"
    assert not TrainingProject.objects.filter(name__in=[row[0] for row in BAD]).exists()


def test_province_row_without_region_is_province_wide(tmp_path: Path,
                                                      persona: Callable[[str], User]) -> None:
    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "p.xlsx", GOOD[2:]),
                        actor=persona("demo_province"))
    assert result.created == 1
    assert TrainingProject.objects.get(name="盲人保健按摩").region_code == "43"


def test_published_project_is_not_changed_by_an_import(
        tmp_path: Path, persona: Callable[[str], User],
        make_project: Callable[..., TrainingProject]) -> None:
    project = make_project("4301", "published", name="电商客服专项技能培训")
    result = run_import(ProjectsTemplate(), _workbook(tmp_path / "x.xlsx", GOOD[:1]),
                        actor=persona("demo_city_changsha"))
    assert result.errors[0].code == "project_locked"
    project.refresh_from_db()
    assert project.status == "published" and project.version == 3


def test_template_file_has_every_header(tmp_path: Path) -> None:
    projects_template_file(tmp_path / "t.xlsx")
    rows = CalamineWorkbook.from_path(str(tmp_path / "t.xlsx")).get_sheet_by_index(0).to_python()
    assert rows[0] == [column.header for column in PROJECT_COLUMNS]


def test_web_import_checks_then_imports_on_confirmation(
        tmp_path: Path, client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any) -> None:
    client = client_for("demo_city_changsha")
    path = _workbook(tmp_path / "web.xlsx", GOOD[:2])
    with django_capture_on_commit_callbacks(execute=True), path.open("rb") as handle:
        response = client.post(reverse("catalog:import_upload"), {"file": handle})
    upload = ImportUpload.objects.get(kind="projects")
    assert response.url == reverse("catalog:import_preview", args=[upload.pk])
    assert not TrainingProject.objects.exists()
    page = client.get(response.url).content.decode()
    assert "New draft projects to create" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url)
    assert TrainingProject.objects.filter(status="draft").count() == 2


def test_export_holds_the_projects_the_owner_sees(
        make_project: Callable[..., TrainingProject], client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, files_dir: Path) -> None:
    make_project("4301", name="长沙草稿")
    make_project("4331", name="湘西草稿")
    make_project("4331", "published", name="湘西已发布")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo_city_changsha").post(reverse("catalog:export"))
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED
    rows = CalamineWorkbook.from_path(str(files_dir / job.result_file)).get_sheet_by_index(
        0).to_python()
    names = sorted(row[1] for row in rows[1:])
    assert names == ["湘西已发布", "长沙草稿"]
    assert AuditEvent.objects.filter(event="projects.exported").exists()
