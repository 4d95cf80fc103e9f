"""The public catalog: no sign-in, no JavaScript, published projects only."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillplan.accounts.models import User
from skillplan.catalog import services
from skillplan.catalog.models import TrainingProject
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(make_project: Callable[..., TrainingProject]) -> dict[str, TrainingProject]:
    sunshine = Provider.objects.get(credit_code=make_credit_code("91430102MA4L00000"))
    return {
        "published": make_project("4301", "published", name="公开的面点师培训",
                                  providers=[sunshine]),
        "province": make_project("43", "published", name="全省盲人按摩培训",
                                 training_type="massage", sub_type="", categories=["1"],
                                 occupation_code="4-10-04-02", occupation_name="保健按摩师",
                                 accommodations=2),
        "xiangxi": make_project("4331", "published", name="湘西苗绣培训", training_type="special",
                                sub_type="heritage", occupation_code="", occupation_name=""),
        "draft": make_project("4301", name="草稿项目"),
        "submitted": make_project("4301", "submitted", name="待审项目"),
        "returned": make_project("4301", "returned", name="退回项目"),
        "withdrawn": make_project("4301", "withdrawn", name="撤回项目"),
    }


def test_public_list_shows_published_projects_only(catalog: dict[str, TrainingProject]) -> None:
    page = Client().get(reverse("public_catalog:list")).content.decode()

    for key in ("published", "province", "xiangxi"):
        assert catalog[key].name in page
    for key in ("draft", "submitted", "returned", "withdrawn"):
        assert catalog[key].name not in page


def test_public_list_filters_with_a_plain_get_form(catalog: dict[str, TrainingProject]) -> None:
    client = Client()
    page = client.get(reverse("public_catalog:list")).content.decode()
    form = re.search(r'<form method="get" action="/public/catalog/"', page)
    assert form is not None  # a plain form: works with JavaScript turned off

    by_city = client.get(reverse("public_catalog:list"), {"city": "4331"}).content.decode()
    assert "湘西苗绣培训" in by_city and "全省盲人按摩培训" in by_city  # province-wide too
    assert "公开的面点师培训" not in by_city
    by_category = client.get(reverse("public_catalog:list"), {"category": "1"}).content.decode()
    assert "全省盲人按摩培训" in by_category and "公开的面点师培训" not in by_category
    braille = client.get(reverse("public_catalog:list"), {"accommodation": "2"}).content.decode()
    assert "全省盲人按摩培训" in braille and "湘西苗绣培训" not in braille
    withdrawn = client.get(reverse("public_catalog:list"), {"q": "撤回"}).content.decode()
    assert "撤回项目" not in withdrawn


def test_public_detail_shows_providers_and_publication_date(
        catalog: dict[str, TrainingProject]) -> None:
    project = catalog["published"]
    page = Client().get(reverse("public_catalog:detail", args=[project.pk])).content.decode()
    assert "长沙市芙蓉区阳光职业技能培训学校" in page
    assert timezone.localdate(project.published_at).isoformat() in page


@pytest.mark.parametrize("key", ["draft", "submitted", "returned", "withdrawn"])
def test_public_detail_of_an_unpublished_project_is_not_found(
        catalog: dict[str, TrainingProject], key: str) -> None:
    response = Client().get(reverse("public_catalog:detail", args=[catalog[key].pk]))
    assert response.status_code == 404


def test_public_brand_page_lists_every_city(catalog: dict[str, TrainingProject],
                                            persona: Callable[[str], User]) -> None:
    services.brand_designate(actor=persona("demo_city_xiangxi"), project=catalog["xiangxi"],
                             city=catalog["xiangxi"].region)
    page = Client().get(reverse("public_catalog:brands")).content.decode()
    assert "湘西苗绣培训" in page
    assert page.count("Not chosen yet") == 13


def test_public_pages_need_no_sign_in_and_no_inline_script(
        catalog: dict[str, TrainingProject]) -> None:
    client = Client()
    for url in (reverse("public_catalog:list"), reverse("public_catalog:brands"),
                reverse("public_catalog:detail", args=[catalog["published"].pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
