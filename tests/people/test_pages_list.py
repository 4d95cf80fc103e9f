"""The list of persons: search, filters, keyset pages, masking, export, and trainees."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from skillplan.core.disability import make_certificate_number
from skillplan.core.idnumber import make_id_number
from skillplan.jobs.models import Job
from skillplan.people.demo import seed_persons
from skillplan.people.models import Person
from skillplan.people.rules import check_person
from skillplan.people.services import person_create
from skillplan.regions.selectors import region_index

pytestmark = pytest.mark.django_db
DETAIL_LINK = re.compile(r'href="/persons/(\d+)/"')


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def register(actor: Any, name: str, *, region: str = "430102", birth: date = date(1990, 1, 1),
             seq: int = 1, category: int = 4, grade: int = 3, **extra: Any) -> Person:
    number = make_id_number(region, birth, seq)
    raw = {"name": name, "id_number": number, "region": region,
           "certificate_number": make_certificate_number(number, category, grade), **extra}
    checked = check_person(raw, regions=region_index(), today=date.today())
    assert not checked.errors, checked.errors
    return person_create(actor=actor, values=checked.values)


@pytest.fixture
def four(persona: Callable[[str], Any]) -> dict[str, Person]:
    """Four persons with known, distinct attributes (seq: odd → man, even → woman)."""
    admin = persona("demo_province")
    return {
        "A": register(admin, "甲一", seq=1, birth=date(1990, 1, 1), urban_rural="城镇",
                      employment_status="已就业", phone="13800000001"),
        "B": register(admin, "乙二", seq=2, birth=date(2006, 6, 1), category=1, grade=1,
                      urban_rural="农村", employment_status="在校", special_groups="低保"),
        "C": register(admin, "丙三", region="430103", seq=3, birth=date(1958, 1, 1), category=2,
                      grade=4, urban_rural="农村", employment_status="未就业"),
        "D": register(admin, "丁四", region="433101", seq=4, birth=date(1980, 6, 1),
                      category=5, grade=2, urban_rural="城镇", special_groups="非遗传承人"),
    }


def names_listed(client: Client, **params: str) -> set[str]:
    response = client.get(reverse("people:list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name in ("甲一", "乙二", "丙三", "丁四") if f">{name}</a>" in html}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "ABCD"),
        ({"q": "甲"}, "A"),
        ({"region_code": "4301"}, "ABC"),
        ({"region_code": "430103"}, "C"),
        ({"region_code": "4331"}, "D"),
        ({"category": "1"}, "B"),
        ({"grade": "4"}, "C"),
        ({"gender": "F"}, "BD"),
        ({"age_band": "60+"}, "C"),
        ({"age_band": "16-24"}, "B"),
        ({"urban_rural": "rural"}, "BC"),
        ({"employment_status": "student"}, "B"),
        ({"special_group": "women"}, "BD"),
        ({"special_group": "blind"}, "B"),
        ({"special_group": "rural"}, "BC"),
        ({"special_group": "4"}, "B"),
        ({"special_group": "1"}, "D"),
        ({"working_age": "no"}, "C"),
        ({"working_age": "yes"}, "ABD"),
        ({"gender": "F", "urban_rural": "rural"}, "B"),
    ],
)
def test_each_filter_narrows_the_list(client_for: Callable[[str], Client],
                                      four: dict[str, Person], params: dict[str, str],
                                      expected: str) -> None:
    names = {key: person.name for key, person in four.items()}
    listed = names_listed(client_for("demo_province"), **params)
    assert listed == {names[key] for key in expected}


def _seq_ending_in_x(region: str, birth: date) -> int:
    return next(seq for seq in range(1, 1000)
                if make_id_number(region, birth, seq).endswith("X"))


def test_search_by_full_id_number_finds_exactly_that_person(
        client_for: Callable[[str], Client], persona: Callable[[str], Any],
        four: dict[str, Person]) -> None:
    client = client_for("demo_province")
    assert names_listed(client, q=four["C"].id_number) == {"丙三"}
    birth = date(1985, 3, 3)
    with_x = register(persona("demo_province"), "戊五", birth=birth,
                      seq=_seq_ending_in_x("430102", birth))
    assert with_x.id_number.endswith("X")
    response = client.get(reverse("people:list"), {"q": with_x.id_number.lower()})
    assert [person.pk for person, _age in response.context["rows"]] == [with_x.pk]
    other = make_id_number("430103", date(1958, 1, 1), 5)
    assert names_listed(client, q=other) == set()


EXPORT_FORM = re.compile(r'<form method="post" action="/persons/export/".*?</form>', re.DOTALL)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def test_exporting_an_id_search_exports_that_one_person(
        client_for: Callable[[str], Client], four: dict[str, Person], settings: Settings,
        tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    from python_calamine import CalamineWorkbook

    from skillplan.people.services import id_hash_of

    settings.FILES_DIR = tmp_path / "files"
    client = client_for("demo_province")
    wanted = four["C"]
    found = client.post(reverse("people:list"), {"q": wanted.id_number})
    page = client.get(found["Location"]).content.decode()
    carried = dict(HIDDEN.findall(EXPORT_FORM.search(page)[0]))
    assert wanted.id_number not in str(carried)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:export"), carried)
    job = Job.objects.get()
    assert response.url == reverse("jobs:detail", args=[job.pk])
    assert job.params["filters"]["id_hash"] == id_hash_of(wanted.id_number)
    job.refresh_from_db()
    rows = CalamineWorkbook.from_path(str(settings.FILES_DIR / job.result_file)
                                      ).get_sheet_by_index(0).to_python()[1:]
    assert [row[0] for row in rows] == [wanted.name]
    assert job.result["rows"] == 1


def test_county_clerk_lists_only_their_county(client_for: Callable[[str], Client],
                                              four: dict[str, Person]) -> None:
    assert names_listed(client_for("demo_county_furong")) == {"甲一", "乙二"}
    assert names_listed(client_for("demo_county_jishou")) == {"丁四"}
    # A region outside the area in the URL is ignored, not widened.
    assert names_listed(client_for("demo_county_jishou"), region_code="4301") == {"丁四"}


def test_list_masks_id_and_phone(client_for: Callable[[str], Client],
                                 four: dict[str, Person]) -> None:
    html = client_for("demo_province").get(reverse("people:list")).content.decode()
    for person in four.values():
        assert person.id_number not in html
        assert person.certificate_number not in html
        assert person.masked_id_number in html
    assert "13800000001" not in html and "138****0001" in html


def test_keyset_pages_walk_every_person_once_without_counting(
        client_for: Callable[[str], Client], django_assert_max_num_queries: Any) -> None:
    seed_persons(count=130)
    client = client_for("demo_province")
    url, seen, pages = reverse("people:list"), [], 0
    while url:
        with django_assert_max_num_queries(10) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert not [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        html = response.content.decode()
        seen += DETAIL_LINK.findall(html)
        pages += 1
        found = re.search(r'href="\?(after=\d+)" rel="next"', html)
        url = reverse("people:list") + "?" + found[1] if found else ""
    assert pages == 3
    assert len(seen) == len(set(seen)) == 130
    assert {int(pk) for pk in seen} == set(Person.objects.values_list("pk", flat=True))


def test_next_page_keeps_the_filters(client_for: Callable[[str], Client]) -> None:
    seed_persons(count=130)
    client = client_for("demo_province")
    html = client.get(reverse("people:list"), {"urban_rural": "rural"}).content.decode()
    after = re.search(r'href="\?urban_rural=rural&amp;after=(\d+)" rel="next"', html)
    assert after, "the next-page link carries the filter"
    html = client.get(reverse("people:list"), {"urban_rural": "rural", "after": after[1]}
                      ).content.decode()
    listed = {int(pk) for pk in DETAIL_LINK.findall(html)}
    assert listed and all(person.urban_rural == "rural"
                          for person in Person.objects.filter(pk__in=listed))
    assert 'href="?urban_rural=rural">First page</a>' in html


def test_export_starts_a_masked_job_with_the_filters(client_for: Callable[[str], Client]
                                                     ) -> None:
    response = client_for("demo_county_furong").post(
        reverse("people:export"), {"gender": "F", "region_code": "430102", "q": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    assert job.kind == "people.persons_export"
    assert job.params["filters"]["gender"] == "F"
    assert job.params["filters"]["region_code"] == "430102"
    assert job.params["reveal"] is False and job.params["filters"]["q"] == ""


def test_provider_cannot_list_or_export_persons(client_for: Callable[[str], Client]) -> None:
    client = client_for("demo_provider")
    assert client.get(reverse("people:list")).status_code == 403
    assert client.post(reverse("people:export")).status_code == 403
    assert not Job.objects.exists()


def test_trainee_is_sent_to_their_own_record(client_for: Callable[[str], Client],
                                             persona: Callable[[str], Any],
                                             four: dict[str, Person]) -> None:
    client = client_for("demo_trainee")
    assert client.get(reverse("people:list")).status_code == 404  # not linked yet
    own = four["A"]
    Person.objects.filter(pk=own.pk).update(user=persona("demo_trainee"))
    response = client.get(reverse("people:list"))
    assert response.status_code == 302 and response.url == reverse("people:detail",
                                                                    args=[own.pk])
    assert client.get(reverse("people:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("people:detail", args=[four["B"].pk])).status_code == 404
