"""The standards pages and the computed-subsidies page of a class: who may open what, and what
they show."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from skillplan.subsidies.models import Entitlement, SubsidyStandard
from tests.subsidies.computation_support import finished_class, result, standard, trainees
from tests.training.factories import user

pytestmark = pytest.mark.django_db
VIEWERS = ["demo_province", "demo_city_changsha", "demo_county_furong", "demo_city_xiangxi",
           "demo_county_jishou", "demo_provider", "demo_provider_xiangxi"]
OTHERS = ["demo_evaluator", "demo_partner", "demo_trainee", "demo_sysadmin", "demo_secadmin",
          "demo_auditor"]


@pytest.mark.parametrize("username", VIEWERS)
def test_subsidy_staff_see_the_standards_with_the_example_label(client_for, username) -> None:
    standard(is_example=True, max_days=36)
    page = client_for(username).get(reverse("subsidies:standards"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "100.00" in text and 'class="status-tag"' in text


@pytest.mark.parametrize("username", OTHERS)
def test_others_may_not_open_the_standards(client_for, username) -> None:
    assert client_for(username).get(reverse("subsidies:standards")).status_code in (403, 302)


def test_a_city_override_is_hidden_from_another_city(client_for) -> None:
    override = standard(region="4301", rate="120")
    url = reverse("subsidies:standard_detail", args=[override.pk])
    assert client_for("demo_city_changsha").get(url).status_code == 200
    assert client_for("demo_provider").get(url).status_code == 200
    assert client_for("demo_city_xiangxi").get(url).status_code == 404
    assert client_for("demo_provider_xiangxi").get(url).status_code == 404
    listed = client_for("demo_city_xiangxi").get(reverse("subsidies:standards")).content.decode()
    assert "120.00" not in listed


def test_filter_current_and_past(client_for) -> None:
    from datetime import date

    standard(rate="90", effective_to=date(2021, 12, 31))
    standard(rate="110", effective_from=date(2022, 1, 1))
    client = client_for("demo_province")
    current = client.get(reverse("subsidies:standards")).content.decode()
    past = client.get(reverse("subsidies:standards"), {"when": "past"}).content.decode()
    assert "110.00" in current and "90.00" not in current
    assert "90.00" in past and "110.00" not in past


def test_the_province_enters_a_standard_through_the_form(client_for) -> None:
    client = client_for("demo_province")
    assert client.get(reverse("subsidies:standard_create")).status_code == 200
    data = {"item": "training_fee", "training_type": "rural", "region": user(
        "demo_province").region_id, "basis": "per_person", "rate": "2500", "min_days": "7",
        "share_province": "60", "share_city": "40", "share_county": "0",
        "effective_from": "2025-01-01", "basis_text": "湘残联发〔2025〕3号"}
    response = client.post(reverse("subsidies:standard_create"), data)
    created = SubsidyStandard.objects.get()
    assert response.status_code == 302 and created.rate == Decimal("2500.00")
    assert created.created_by == user("demo_province")


def test_the_form_refuses_shares_that_do_not_add_up(client_for) -> None:
    client = client_for("demo_province")
    data = {"item": "training_fee", "training_type": "rural", "region": user(
        "demo_province").region_id, "basis": "per_person", "rate": "2500",
        "share_province": "60", "share_city": "30", "share_county": "0",
        "effective_from": "2025-01-01"}
    response = client.post(reverse("subsidies:standard_create"), data)
    assert response.status_code == 200 and "100" in response.content.decode()
    assert not SubsidyStandard.objects.exists()


def test_a_city_cannot_pick_the_province_in_the_form(client_for) -> None:
    data = {"item": "training_fee", "training_type": "rural",
            "region": user("demo_province").region_id, "basis": "per_person", "rate": "2500",
            "share_province": "60", "share_city": "40", "share_county": "0",
            "effective_from": "2025-01-01"}
    response = client_for("demo_city_changsha").post(reverse("subsidies:standard_create"), data)
    assert response.status_code == 200
    assert not SubsidyStandard.objects.exists()


@pytest.mark.parametrize("username", ["demo_county_furong", "demo_provider", "demo_auditor"])
def test_only_managers_open_the_form(client_for, username) -> None:
    assert client_for(username).get(reverse("subsidies:standard_create")).status_code in (403,
                                                                                        302)


def test_supersede_through_the_form(client_for) -> None:
    old = standard(max_days=36)
    url = reverse("subsidies:standard_supersede", args=[old.pk])
    assert client_for("demo_city_changsha").get(url).status_code == 403  # the province's
    client = client_for("demo_province")
    assert client.get(url).status_code == 200
    response = client.post(url, {"basis": "per_person_day", "rate": "120", "max_days": "36",
                                 "share_province": "100", "share_city": "0",
                                 "share_county": "0", "effective_from": "2025-07-01"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert str(old.effective_to) == "2025-06-30"
    assert SubsidyStandard.objects.filter(rate=Decimal("120")).exists()


def test_the_class_page_lists_lines_totals_and_skips_and_computes(client_for) -> None:
    standard(max_days=36, is_example=True)
    training_class = finished_class(days=10, trainees=2)
    failed, passed = trainees(training_class)
    result(failed, passed=False, attended=10)
    url = reverse("subsidies:class_entitlements", args=[training_class.pk])
    compute = reverse("subsidies:class_entitlements_compute", args=[training_class.pk])
    client = client_for("demo_provider")
    assert f'action="{compute}"' in client.get(url).content.decode()
    assert client.post(compute).status_code == 302
    page = client.get(url).content.decode()
    assert "1,000.00" in page and "600.00" in page and "400.00" in page
    assert failed.display_name in page
    assert Entitlement.objects.filter(training_class=training_class).count() == 1


@pytest.mark.parametrize(("username", "status"), [
    ("demo_province", 200), ("demo_city_changsha", 200), ("demo_county_furong", 200),
    ("demo_provider", 200), ("demo_city_xiangxi", 404), ("demo_county_jishou", 404),
    ("demo_provider_xiangxi", 404), ("demo_evaluator", 403), ("demo_trainee", 403),
])
def test_who_sees_the_class_subsidies(client_for, username, status) -> None:
    training_class = finished_class(days=3)
    url = reverse("subsidies:class_entitlements", args=[training_class.pk])
    assert client_for(username).get(url).status_code == status


@pytest.mark.parametrize("username", ["demo_province", "demo_city_changsha",
                                      "demo_provider_xiangxi", "demo_county_jishou"])
def test_only_the_preparers_may_compute(client_for, username) -> None:
    standard(max_days=36)
    training_class = finished_class(days=3)
    url = reverse("subsidies:class_entitlements_compute", args=[training_class.pk])
    assert client_for(username).post(url).status_code in (403, 404)
    assert not Entitlement.objects.filter(training_class=training_class).exists()
    page = client_for(username).get(reverse("subsidies:class_entitlements",
                                            args=[training_class.pk]))
    assert url not in page.content.decode()
