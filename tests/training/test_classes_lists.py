"""Lists of classes: scope, filters, "my classes", the late-results list and the export."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.jobs.models import Job, JobStatus
from skillplan.training.choices import ClassStatus
from skillplan.training.models import TrainingClass
from skillplan.training.selectors import ClassFilters, class_list, classes_with_late_results
from skillplan.training.services.results import results_record
from tests.training.factories import demo_provider, make_class, make_project, user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.FILES_DIR = tmp_path / "files"
    with translation.override("en"):
        yield


@pytest.fixture
def spread() -> dict[str, TrainingClass]:
    """Classes of the 芙蓉区 provider (长沙) and of the 吉首 provider (湘西)."""
    return {
        "furong_draft": make_class(name="芙蓉面点班"),
        "furong_approved": make_class(status=ClassStatus.APPROVED, name="芙蓉电商班"),
        "jishou_draft": make_class(provider=demo_provider("433101"), name="吉首苗绣班"),
    }


def _codes(username: str, **filters: str) -> set[str]:
    return set(class_list(user=user(username), filters=ClassFilters(**filters))
               .values_list("code", flat=True))


def test_changsha_staff_never_see_xiangxi_classes(spread: dict[str, TrainingClass]) -> None:
    furong = {spread["furong_draft"].code, spread["furong_approved"].code}
    jishou = {spread["jishou_draft"].code}
    assert _codes("demo_city_changsha") == furong
    assert _codes("demo_county_furong") == furong
    assert _codes("demo_city_xiangxi") == jishou
    assert _codes("demo_county_jishou") == jishou
    assert _codes("demo_province") == furong | jishou


def test_a_provider_sees_its_own_classes_only(spread: dict[str, TrainingClass]) -> None:
    assert _codes("demo_provider") == {spread["furong_draft"].code,
                                       spread["furong_approved"].code}
    assert _codes("demo_provider_xiangxi") == {spread["jishou_draft"].code}


@pytest.mark.parametrize("username", ["demo_evaluator", "demo_partner", "demo_trainee",
                                      "demo_sysadmin", "demo_auditor"])
def test_others_see_no_class(spread: dict[str, TrainingClass], username: str) -> None:
    assert _codes(username) == set()


def test_the_filters(spread: dict[str, TrainingClass]) -> None:
    province = "demo_province"
    assert _codes(province, status="approved") == {spread["furong_approved"].code}
    assert _codes(province, region="4331") == {spread["jishou_draft"].code}
    assert _codes(province, region="430102") == {spread["furong_draft"].code,
                                                 spread["furong_approved"].code}
    assert _codes(province, provider=str(demo_provider("433101").pk)) == {
        spread["jishou_draft"].code}
    assert _codes(province, q="苗绣") == {spread["jishou_draft"].code}
    assert _codes(province, q=spread["furong_draft"].code.lower()) == {
        spread["furong_draft"].code}
    year = str(spread["furong_draft"].start_date.year)
    assert len(_codes(province, year=year)) == 3
    assert _codes(province, year=str(int(year) - 3)) == set()
    assert _codes(province, training_type=TrainingType.RURAL) == set()
    rural = make_class(project=make_project(training_type=TrainingType.RURAL))
    assert _codes(province, training_type=TrainingType.RURAL) == {rural.code}


def test_the_list_page_filters_and_shows_status_in_words(
        spread: dict[str, TrainingClass], client_for: Callable[[str], Client]) -> None:
    page = client_for("demo_city_changsha").get(reverse("training:list"),
                                                {"status": "approved"}).content.decode()
    assert "芙蓉电商班" in page and "芙蓉面点班" not in page and "吉首苗绣班" not in page
    assert "Approved, not yet started" in page


def test_the_list_page_keeps_its_query_budget(
        client_for: Callable[[str], Client], django_assert_max_num_queries: Any) -> None:
    project = make_project()
    for _number in range(12):
        make_class(project=project)
    client = client_for("demo_city_changsha")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("training:list"))
    assert response.status_code == 200
    assert response.content.decode().count('href="/classes/') >= 12


def test_the_list_pages_by_id(client_for: Callable[[str], Client], settings: Settings) -> None:
    from skillplan.training.views import classes as views

    project = make_project()
    made = [make_class(project=project) for _number in range(3)]
    views.PAGE_SIZE, old = 2, views.PAGE_SIZE
    try:
        client = client_for("demo_province")
        first = client.get(reverse("training:list"))
        assert first.context["next_after"] == made[1].pk
        second = client.get(reverse("training:list"), {"after": first.context["next_after"]})
        assert [c.pk for c, _late in second.context["rows"]] == [made[0].pk]
    finally:
        views.PAGE_SIZE = old


def test_my_classes_groups_a_providers_classes_by_status(
        spread: dict[str, TrainingClass], client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_provider").get(reverse("training:mine"))
    page = response.content.decode()
    labels = [str(label) for label, _rows in response.context["groups"]]
    assert labels == ["Draft", "Approved, not yet started"]
    assert "芙蓉面点班" in page and "吉首苗绣班" not in page


def test_my_classes_sends_federation_staff_to_the_list(
        client_for: Callable[[str], Client]) -> None:
    response = client_for("demo_city_changsha").get(reverse("training:mine"))
    assert response.status_code == 302 and response.url == reverse("training:list")


# --- late results --------------------------------------------------------------------------


@pytest.fixture
def late_classes() -> dict[str, TrainingClass]:
    long_ago = TODAY() - timedelta(days=40)
    overdue = make_class(status=ClassStatus.ENDED, start=long_ago,
                         end=long_ago + timedelta(days=9), name="逾期未录班")
    entered_late = make_class(status=ClassStatus.ENDED, start=long_ago,
                              end=long_ago + timedelta(days=9), trainees=1, name="迟录成绩班")
    results_record(actor=user("demo_provider"), enrolment=entered_late.enrolments.get(),
                   passed=True)
    entered_late.refresh_from_db()
    on_time = make_class(status=ClassStatus.ENDED, name="按时班")
    xiangxi = make_class(provider=demo_provider("433101"), status=ClassStatus.ENDED,
                         start=long_ago, end=long_ago + timedelta(days=9), name="湘西逾期班")
    return {"overdue": overdue, "entered_late": entered_late, "on_time": on_time,
            "xiangxi": xiangxi}


def test_late_list_holds_overdue_and_late_classes_of_the_area(
        late_classes: dict[str, TrainingClass]) -> None:
    assert late_classes["entered_late"].results_late
    rows = classes_with_late_results(user=user("demo_city_changsha"))
    assert [(row.training_class.name, row.entered, row.delay_days) for row in rows] == [
        ("逾期未录班", False, 31), ("迟录成绩班", True, 31)]
    province = {row.training_class.name for row in classes_with_late_results(
        user=user("demo_province"))}
    assert province == {"逾期未录班", "迟录成绩班", "湘西逾期班"}
    assert _codes("demo_city_changsha", late="yes") == {
        late_classes["overdue"].code, late_classes["entered_late"].code}


def test_the_late_threshold_is_configuration(late_classes: dict[str, TrainingClass],
                                             settings: Settings) -> None:
    settings.SKILLPLAN_RESULTS_LATE_DAYS = 40
    names = {row.training_class.name for row in classes_with_late_results(
        user=user("demo_city_changsha"))}
    assert names == {"迟录成绩班"}  # flagged when entered; the overdue one is not due yet


def test_late_page_for_the_clerk_and_the_province(
        late_classes: dict[str, TrainingClass], client_for: Callable[[str], Client]) -> None:
    for username in ("demo_city_changsha", "demo_province", "demo_county_furong"):
        page = client_for(username).get(reverse("training:late")).content.decode()
        assert "逾期未录班" in page and "迟录成绩班" in page and "按时班" not in page
        assert "Not entered yet (overdue)" in page
    assert client_for("demo_provider").get(reverse("training:late")).status_code == 403


def test_late_flag_on_the_class_page_and_in_the_list(
        late_classes: dict[str, TrainingClass], client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_city_changsha")
    detail = client.get(reverse("training:detail", args=[late_classes["overdue"].pk]))
    assert "Results overdue: 31 days since the end" in detail.content.decode()
    detail = client.get(reverse("training:detail", args=[late_classes["entered_late"].pk]))
    assert "Results late: entered 31 days after the end" in detail.content.decode()
    on_time = client.get(reverse("training:detail", args=[late_classes["on_time"].pk]))
    assert "Results late" not in on_time.content.decode()
    listing = client.get(reverse("training:list")).content.decode()
    assert listing.count("Results overdue") == 1 and listing.count("Results late:") == 1


# --- export --------------------------------------------------------------------------------


def test_export_holds_the_classes_the_owner_sees_with_the_filters(
        spread: dict[str, TrainingClass], client_for: Callable[[str], Client],
        django_capture_on_commit_callbacks: Any, settings: Settings) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo_city_changsha").post(reverse("training:export"),
                                                         {"status": "draft"})
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED
    rows = CalamineWorkbook.from_path(str(Path(settings.FILES_DIR) / job.result_file)
                                      ).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[:3] == ["Class code", "Class name", "Status"]
    assert [row[1] for row in rows[1:]] == ["芙蓉面点班"]
    assert rows[1][0] == spread["furong_draft"].code
    assert rows[1][2] == "Draft"
    assert AuditEvent.objects.filter(event="classes.exported").exists()


def test_export_is_for_those_who_may_export(client_for: Callable[[str], Client]) -> None:
    assert client_for("demo_evaluator").post(reverse("training:export")).status_code == 403
    assert client_for("demo_provider").get(reverse("training:export")).status_code == 405
