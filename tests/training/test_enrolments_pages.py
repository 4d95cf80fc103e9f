"""The roster pages: who sees them, the registry search (scoped, eligibility shown before
enrolling), enrolling from a result, named participants, withdrawal, the export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from skillplan.audit.models import AuditEvent
from skillplan.catalog.choices import TrainingType
from skillplan.jobs.models import Job, JobStatus
from skillplan.training.choices import ClassStatus, EnrolmentStatus
from skillplan.training.forms_enrolments import candidate_token
from skillplan.training.models import Enrolment
from skillplan.training.services.enrolments import enrol_person, enrolment_withdraw
from tests.training.factories import make_class, make_person, make_project, user

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings: Any, tmp_path: Path) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    settings.FILES_DIR = tmp_path / "files"
    with translation.override("en"):
        yield


@pytest.fixture
def open_class():
    return make_class(status=ClassStatus.APPROVED, capacity=5)


def search(client, training_class, text: str, **extra: Any):
    return client.post(reverse("training:roster_search", args=[training_class.pk]),
                       {"q": text}, **extra)


# --- the roster ---------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "status"), [
    ("demo_provider", 200), ("demo_county_furong", 200), ("demo_city_changsha", 200),
    ("demo_province", 200), ("demo_city_xiangxi", 404), ("demo_county_jishou", 404),
    ("demo_provider_xiangxi", 404), ("demo_evaluator", 404), ("demo_trainee", 403),
    ("demo_partner", 403),
])
def test_who_sees_the_roster(client_for, open_class, username, status):
    response = client_for(username).get(reverse("training:roster", args=[open_class.pk]))
    assert response.status_code == status


def test_the_roster_masks_id_numbers_and_says_why_someone_left(client_for, open_class):
    provider = user("demo_provider")
    stays = make_person(name="李四")
    leaves = make_person(name="王芳")
    enrolment = enrol_person(actor=provider, training_class=open_class, person=leaves)
    enrol_person(actor=provider, training_class=open_class, person=stays)
    enrolment_withdraw(actor=provider, enrolment=enrolment, reason="找到工作")
    page = client_for("demo_county_furong").get(
        reverse("training:roster", args=[open_class.pk])).content.decode()
    assert "李四" in page and "王芳" in page
    assert page.index("李四") < page.index("王芳")  # the enrolled first, then the withdrawn
    assert stays.id_number not in page and stays.masked_id_number in page
    assert "Withdrawn" in page and "找到工作" in page
    assert "1 of 5 taken, 4 left" in page
    assert reverse("training:withdraw", args=[enrolment.pk]) not in page  # already withdrawn


def test_a_closed_roster_offers_no_changes(client_for):
    training_class = make_class(status=ClassStatus.ENDED, trainees=1)
    page = client_for("demo_provider").get(
        reverse("training:roster", args=[training_class.pk])).content.decode()
    assert reverse("training:roster_search", args=[training_class.pk]) not in page
    assert "Withdraw" not in page
    response = search(client_for("demo_provider"), training_class, "张")
    assert response.status_code == 403


# --- the registry search ------------------------------------------------------------------


def test_a_clerk_finds_persons_of_their_area_only(client_for, open_class):
    near = make_person(name="赵建国", region="430102")
    far = make_person(name="赵建华", region="433101")
    client = client_for("demo_city_changsha")
    response = search(client, open_class, "赵建", **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="roster-search"' in page and "<html" not in page  # the section alone
    assert near.masked_id_number in page and "赵建国" in page
    assert "赵建华" not in page and far.masked_id_number not in page
    assert 'hx-swap-oob="innerHTML"' in page and "1 person found" in page
    by_id = search(client, open_class, far.id_number, **HTMX).content.decode()
    assert "赵建华" not in by_id and "Nobody in the registry" in by_id


def test_an_id_number_is_never_put_in_an_address(client_for, open_class):
    person = make_person(name="钱多多")
    response = search(client_for("demo_county_furong"), open_class, person.id_number)
    assert response.status_code == 200  # POST: the number travels in the body
    page = response.content.decode()
    assert "钱多多" in page and person.id_number not in page.replace(
        f'value="{person.id_number}"', "")


def test_providers_find_a_person_by_full_id_number_only(client_for, open_class):
    person = make_person(name="孙悦", region="433101")
    client = client_for("demo_provider")
    by_name = search(client, open_class, "孙悦", **HTMX).content.decode()
    assert "孙悦</th>" not in by_name
    by_id = search(client, open_class, person.id_number, **HTMX).content.decode()
    assert "孙悦" in by_id and person.masked_id_number in by_id
    assert 'name="candidate"' in by_id


def test_a_mistyped_id_number_is_explained(client_for, open_class):
    person = make_person()
    wrong = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")
    page = search(client_for("demo_county_furong"), open_class, wrong, **HTMX).content.decode()
    assert "field-error" in page and "aria-invalid" in page
    assert "The search could not be run" in page


def test_ineligible_results_show_the_reason_and_no_enrol_button(client_for):
    project = make_project(categories="4")
    training_class = make_class(project=project, status=ClassStatus.APPROVED)
    make_person(name="周视力", category="1")
    page = search(client_for("demo_county_furong"), training_class, "周视力",
                  **HTMX).content.decode()
    assert "does not serve the person&#x27;s disability category" in page
    assert 'name="candidate"' not in page
    assert "0 may be enrolled" in page


def test_the_search_page_works_without_javascript(client_for, open_class):
    make_person(name="吴用")
    page = search(client_for("demo_county_furong"), open_class, "吴用").content.decode()
    assert "<html" in page and "吴用" in page and 'name="candidate"' in page


# --- enrolling from a result --------------------------------------------------------------


def _token(username: str, training_class, person) -> str:
    return candidate_token(user_pk=user(username).pk, class_pk=training_class.pk,
                           person_pk=person.pk)


def test_enrol_button_enrols_the_person(client_for, open_class):
    person = make_person(name="郑和")
    response = client_for("demo_county_furong").post(
        reverse("training:enrol", args=[open_class.pk]),
        {"candidate": _token("demo_county_furong", open_class, person)}, follow=True)
    assert Enrolment.objects.filter(training_class=open_class, person=person,
                                    status=EnrolmentStatus.ENROLLED).exists()
    assert "郑和 is enrolled. Places left: 4." in response.content.decode()


@pytest.mark.parametrize("forged", ["someone_else", "other_class", "garbage"])
def test_only_a_search_result_of_this_user_and_class_can_be_enrolled(client_for, open_class,
                                                                     forged):
    person = make_person()
    token = {
        "someone_else": _token("demo_city_changsha", open_class, person),
        "other_class": candidate_token(user_pk=user("demo_county_furong").pk,
                                       class_pk=open_class.pk + 1000, person_pk=person.pk),
        "garbage": f"{person.pk}",
    }[forged]
    response = client_for("demo_county_furong").post(
        reverse("training:enrol", args=[open_class.pk]), {"candidate": token}, follow=True)
    assert not Enrolment.objects.filter(person=person).exists()
    assert "Search for the person again" in response.content.decode()


def test_a_refused_enrolment_says_why(client_for):
    training_class = make_class(status=ClassStatus.APPROVED, capacity=1)
    enrol_person(actor=user("demo_provider"), training_class=training_class,
                 person=make_person())
    person = make_person(name="冯满")
    response = client_for("demo_county_furong").post(
        reverse("training:enrol", args=[training_class.pk]),
        {"candidate": _token("demo_county_furong", training_class, person)}, follow=True)
    assert "冯满 was not enrolled: The class is full" in response.content.decode()
    assert not Enrolment.objects.filter(person=person).exists()


def test_outsiders_cannot_enrol(client_for, open_class):
    person = make_person()
    response = client_for("demo_city_xiangxi").post(
        reverse("training:enrol", args=[open_class.pk]),
        {"candidate": _token("demo_city_xiangxi", open_class, person)})
    assert response.status_code == 404
    assert not Enrolment.objects.filter(person=person).exists()


# --- named participants -------------------------------------------------------------------


def test_employer_training_takes_participants_by_form(client_for):
    training_class = make_class(status=ClassStatus.APPROVED,
                                training_type=TrainingType.EMPLOYER)
    client = client_for("demo_provider")
    page = client.get(reverse("training:roster", args=[training_class.pk])).content.decode()
    assert 'name="participant-employer"' in page
    assert reverse("training:roster_search", args=[training_class.pk]) not in page
    url = reverse("training:participant_add", args=[training_class.pk])
    missing = client.post(url, {"participant-name": "王经理", "participant-employer": ""})
    assert missing.status_code == 200 and "error-summary" in missing.content.decode()
    done = client.post(url, {"participant-name": "王经理", "participant-employer": "长沙某公司",
                             "participant-role": "人事经理"}, follow=True)
    assert "王经理 is enrolled" in done.content.decode()
    enrolment = Enrolment.objects.get(training_class=training_class)
    assert (enrolment.participant_employer, enrolment.participant_role) == ("长沙某公司",
                                                                           "人事经理")
    assert search(client, training_class, "王").status_code == 403


# --- withdrawal ---------------------------------------------------------------------------


def test_withdrawal_needs_a_reason_and_frees_the_place(client_for, open_class):
    enrolment = enrol_person(actor=user("demo_provider"), training_class=open_class,
                             person=make_person(name="陈静"))
    client = client_for("demo_provider")
    url = reverse("training:withdraw", args=[enrolment.pk])
    assert "Reason for the withdrawal" in client.get(url).content.decode()
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    done = client.post(url, {"reason": "家中有事"}, follow=True)
    assert "陈静 is withdrawn from the class. Places left: 5." in done.content.decode()
    open_class.refresh_from_db()
    assert open_class.enrolled_count == 0
    again = client.post(url, {"reason": "家中有事"}, follow=True)
    assert "already been withdrawn" in again.content.decode()


@pytest.mark.parametrize(("username", "status"), [
    ("demo_provider_xiangxi", 404), ("demo_city_xiangxi", 404), ("demo_evaluator", 403),
    ("demo_trainee", 403),
])
def test_outsiders_cannot_withdraw(client_for, open_class, username, status):
    enrolment = enrol_person(actor=user("demo_provider"), training_class=open_class,
                             person=make_person())
    response = client_for(username).post(reverse("training:withdraw", args=[enrolment.pk]),
                                         {"reason": "无"})
    assert response.status_code == status
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


# --- export and the person's page ---------------------------------------------------------


def test_the_roster_export_masks_id_numbers(client_for, open_class, settings,
                                            django_capture_on_commit_callbacks):
    person = make_person(name="褚英")
    enrol_person(actor=user("demo_provider"), training_class=open_class, person=person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("demo_county_furong").post(
            reverse("training:roster_export", args=[open_class.pk]))
    job = Job.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert job.status == JobStatus.SUCCEEDED, job.message
    rows = CalamineWorkbook.from_path(str(Path(settings.FILES_DIR) / job.result_file)
                                      ).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "褚英" and rows[1][1] == person.masked_id_number
    assert person.id_number not in str(rows)
    assert AuditEvent.objects.filter(event="roster.exported", target_id=str(open_class.pk)
                                     ).exists()


def test_the_export_is_refused_outside_scope(client_for, open_class):
    assert client_for("demo_city_xiangxi").post(
        reverse("training:roster_export", args=[open_class.pk])).status_code == 404
    assert client_for("demo_evaluator").post(
        reverse("training:roster_export", args=[open_class.pk])).status_code == 403
    assert not Job.objects.filter(kind="training.roster_export").exists()


def test_the_persons_page_lists_their_classes(client_for):
    training_class = make_class(status=ClassStatus.APPROVED, start=date(2025, 4, 1),
                                end=date(2025, 4, 10))
    person = make_person(name="卫青")
    enrol_person(actor=user("demo_provider"), training_class=training_class, person=person)
    page = client_for("demo_county_furong").get(
        reverse("people:detail", args=[person.pk])).content.decode()
    assert training_class.code in page and "2025-04-01 to 2025-04-10" in page
    assert "Training classes are not yet recorded" not in page


def test_the_roster_page_costs_the_same_for_any_number_of_trainees(client_for):
    training_class = make_class(status=ClassStatus.APPROVED, capacity=20)
    provider = user("demo_provider")
    client = client_for("demo_county_furong")
    url = reverse("training:roster", args=[training_class.pk])
    counts = []
    for size in (2, 10):
        while training_class.enrolments.count() < size:
            enrol_person(actor=provider, training_class=training_class, person=make_person())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
