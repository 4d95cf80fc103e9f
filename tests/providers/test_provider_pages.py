"""Registering and changing providers: credit-code checks in the form, phones normalised,
provider staff editing their own record, optimistic locking, staff shown on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from skillplan.audit.models import AuditEvent
from skillplan.core.credit_code import make_credit_code
from skillplan.providers.models import Provider

pytestmark = pytest.mark.django_db
CODE = make_credit_code("52430102MA4L77777")


def _form(**changes: Any) -> dict[str, Any]:
    return {"name": "芙蓉区自强职业培训学校", "credit_code": CODE, "kind": "training_institution",
            "region": "430102", "address": "长沙市芙蓉区五一大道1号",
            "public_phone": "(0731) 8456 1234", "contact_name": "刘老师",
            "contact_phone": "+86 139 0000 1111", "capacity": "60",
            "features": ["step_free", "braille_signage"], "published": "on", **changes}


def test_county_clerk_registers_a_provider_with_normalised_values(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("demo_county_furong").post(
        reverse("providers:create"), _form(credit_code=CODE.lower()))
    provider = Provider.objects.get(credit_code=CODE)
    assert response.status_code == 302
    assert provider.public_phone == "0731-84561234" and provider.contact_phone == "13900001111"
    assert provider.step_free and provider.braille_signage and not provider.induction_loop
    assert provider.region_code == "430102" and provider.published
    assert AuditEvent.objects.filter(event="provider.created", target_id=str(provider.pk),
                                     actor_username="demo_county_furong").exists()


@pytest.mark.parametrize(("code", "message"), [
    ("", "This field is required."),
    ("52430102MA4L7777", "must be 18 characters"),
    ("52430102MA4L7777O", "must be 18 characters"),  # O is not in the alphabet
    (CODE[:17] + ("0" if CODE[17] != "0" else "1"), "check character"),
])
def test_credit_code_errors_are_shown_on_the_field(
    client_for: Callable[[str], Client], code: str, message: str,
) -> None:
    response = client_for("demo_county_furong").post(reverse("providers:create"),
                                                     _form(credit_code=code))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_credit_code"' in html  # the error summary links to the field
    assert message in html
    assert not Provider.objects.filter(name="芙蓉区自强职业培训学校").exists()


def test_a_credit_code_registers_one_provider_only(
    make_provider: Callable[..., Provider], client_for: Callable[[str], Client],
) -> None:
    existing = make_provider("430102")
    response = client_for("demo_county_furong").post(
        reverse("providers:create"), _form(credit_code=existing.credit_code))
    assert "already registered with this unified social credit code" in (
        response.content.decode())
    assert Provider.objects.filter(credit_code=existing.credit_code).count() == 1


def test_county_clerk_cannot_register_outside_the_county(
    client_for: Callable[[str], Client],
) -> None:
    response = client_for("demo_county_furong").post(reverse("providers:create"),
                                                     _form(region="433101"))
    assert "Choose a county inside your own area" in response.content.decode()
    assert not Provider.objects.filter(credit_code=CODE).exists()


def test_provider_staff_edit_their_own_record_but_not_county_or_publication(
    client_for: Callable[[str], Client], sunshine: Provider,
) -> None:
    staff = client_for("demo_provider")
    page = staff.get(reverse("providers:edit", args=[sunshine.pk])).content.decode()
    assert 'name="region"' in page and "Only the federation can change the county" in page
    response = staff.post(reverse("providers:edit", args=[sunshine.pk]), _form(
        credit_code=sunshine.credit_code, name=sunshine.name, region="433101",
        published="on", version=sunshine.version, capacity="90"))
    assert response.status_code == 302
    sunshine.refresh_from_db()
    assert sunshine.capacity == 90
    assert sunshine.region_code == "430102" and not sunshine.published  # disabled fields


def test_a_stale_edit_keeps_the_input_and_explains(
    client_for: Callable[[str], Client], make_provider: Callable[..., Provider],
) -> None:
    provider = make_provider("430102")
    seen = provider.version
    clerk = client_for("demo_county_furong")
    clerk.post(reverse("providers:edit", args=[provider.pk]), _form(
        credit_code=provider.credit_code, name="第一次修改", version=seen))
    response = clerk.post(reverse("providers:edit", args=[provider.pk]), _form(
        credit_code=provider.credit_code, name="第二次修改", version=seen))
    html = response.content.decode()
    assert "Someone else changed this record" in html and "第二次修改" in html
    provider.refresh_from_db()
    assert provider.name == "第一次修改"


def test_provider_page_lists_its_staff_accounts(
    client_for: Callable[[str], Client], sunshine: Provider,
) -> None:
    html = client_for("demo_city_changsha").get(
        reverse("providers:detail", args=[sunshine.pk])).content.decode()
    assert "demo_provider" in html and "阳光培训学校 赵老师" in html


def test_provider_list_filters_by_kind_and_base_level(
    client_for: Callable[[str], Client], make_provider: Callable[..., Provider],
    base_to: Callable[[str], Any], sunshine: Provider,
) -> None:
    school = make_provider("430102", kind="special_school")
    base_to("accredited")
    clerk = client_for("demo_county_furong")
    html = clerk.get(reverse("providers:list"), {"kind": "special_school"}).content.decode()
    assert school.name in html and sunshine.name not in html
    html = clerk.get(reverse("providers:list"), {"level": "city"}).content.decode()
    assert sunshine.name in html and school.name not in html
    html = clerk.get(reverse("providers:list"), {"level": "none"}).content.decode()
    assert school.name in html and sunshine.name not in html


def test_lists_cost_a_fixed_number_of_queries(
    client_for: Callable[[str], Client], django_assert_max_num_queries: Any,
) -> None:
    from skillplan.providers.demo import seed_providers

    seed_providers()
    client = client_for("demo_province")
    for name in ("providers:list", "providers:base_list"):
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200
