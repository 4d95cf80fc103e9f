"""The scoping layer: reach by role, prefix matching down the region tree, and nothing for
users without a region or the needed permission."""

from __future__ import annotations

import pytest

from skillplan.accounts import roles
from skillplan.accounts.models import User
from skillplan.accounts.scoping import Reach, restrict, scope_of
from skillplan.providers.models import Provider

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "reach", "region"),
    [
        ("demo_province", Reach.PROVINCE, "43"),
        ("demo_city_changsha", Reach.REGION, "4301"),
        ("demo_county_furong", Reach.REGION, "430102"),
        ("demo_provider", Reach.PROVIDER, ""),
        ("demo_trainee", Reach.OWN, ""),
        ("demo_auditor", Reach.PROVINCE, "43"),
    ],
)
def test_each_role_has_its_reach(persona, username, reach, region):
    scope = scope_of(persona(username))
    assert scope.reach == reach
    assert scope.region_code == region


def test_city_scope_covers_its_counties_and_townships_only(persona):
    scope = scope_of(persona("demo_city_changsha"))
    assert scope.covers_region("4301")
    assert scope.covers_region("430102")
    assert scope.covers_region("430102001")
    assert not scope.covers_region("4331")
    assert not scope.covers_region("433101")
    assert not scope.covers_region("43")
    assert not scope.covers_region("")


def test_provider_staff_see_only_their_provider(persona):
    user = persona("demo_provider")
    visible = restrict(Provider.objects.all(), user, permission=roles.REACH_PROVIDER)
    assert list(visible) == [user.provider]


def test_without_the_permission_nothing_is_visible(persona):
    partner = persona("demo_partner")
    assert not restrict(User.objects.all(), partner, permission=roles.VIEW_DIRECTORY).exists()


def test_staff_without_a_region_see_nothing(persona):
    clerk = persona("demo_county_furong")
    clerk.region = None
    assert scope_of(clerk).reach == Reach.NONE
    assert not restrict(User.objects.all(), clerk, permission=roles.VIEW_DIRECTORY).exists()


def test_deactivated_user_sees_nothing(persona):
    clerk = persona("demo_city_changsha")
    clerk.is_active = False
    assert scope_of(clerk).reach == Reach.NONE


def test_trainee_sees_only_own_account(persona):
    trainee = persona("demo_trainee")
    visible = restrict(User.objects.all(), trainee, permission=roles.REACH_OWN)
    assert list(visible) == [trainee]
