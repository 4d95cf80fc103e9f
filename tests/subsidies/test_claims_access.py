"""Who may open the claim pages, persona by persona, for a 芙蓉区 claim (403: the role may
never; 404: outside the persona's area; 200/302: allowed, the service then decides)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillplan.subsidies.choices import ClaimStatus
from tests.subsidies.claims_support import claim_in, finished_class

pytestmark = pytest.mark.django_db

PERSONAS = ["demo_province", "demo_city_changsha", "demo_county_furong", "demo_city_xiangxi",
            "demo_county_jishou", "demo_provider", "demo_provider_xiangxi", "demo_evaluator",
            "demo_partner", "demo_trainee", "demo_sysadmin", "demo_secadmin", "demo_auditor"]
NO_VIEW = {"demo_evaluator": 403, "demo_partner": 403, "demo_trainee": 403,
           "demo_sysadmin": 403, "demo_secadmin": 403, "demo_auditor": 403}
OUT = {"demo_city_xiangxi": 404, "demo_county_jishou": 404, "demo_provider_xiangxi": 404}

# (url name, method, expected status per persona)
EXPECTED = {
    ("claims", "get"): {**dict.fromkeys(PERSONAS[:7], 200), **NO_VIEW},
    ("claim_detail", "get"): {**dict.fromkeys(PERSONAS[:7], 200), **OUT, **NO_VIEW},
    ("claim_submit", "post"): {**dict.fromkeys(PERSONAS, 403), "demo_county_furong": 302,
                               "demo_provider": 302, "demo_county_jishou": 404,
                               "demo_provider_xiangxi": 404},
    ("claim_review", "post"): {**dict.fromkeys(PERSONAS, 403), "demo_county_furong": 302,
                               "demo_city_changsha": 302, "demo_county_jishou": 404,
                               "demo_city_xiangxi": 404},
    ("claim_approve", "post"): {**dict.fromkeys(PERSONAS, 403), "demo_province": 302},
    ("claim_pay", "get"): {**dict.fromkeys(PERSONAS, 403), "demo_province": 200,
                           "demo_city_changsha": 200, "demo_county_furong": 200,
                           "demo_county_jishou": 404, "demo_city_xiangxi": 404},
    ("claim_adjust", "get"): {**dict.fromkeys(PERSONAS, 403), "demo_county_furong": 302,
                              "demo_provider": 302, "demo_county_jishou": 404,
                              "demo_provider_xiangxi": 404},
}


@pytest.mark.parametrize(("name", "method"), list(EXPECTED))
def test_claim_routes_by_persona(client_for, name, method):
    claim = claim_in(ClaimStatus.SUBMITTED, trainees=1)
    url = reverse(f"subsidies:{name}", args=[] if name == "claims" else [claim.pk])
    found = {}
    for username in PERSONAS:
        # The submit/review/approve POSTs carry a return without a comment: refused by the
        # service (nothing changes) but the route's answer shows who may reach it.
        response = getattr(client_for(username), method)(url, {"decision": "return"})
        found[username] = response.status_code
    assert found == EXPECTED[(name, method)]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED


def test_claim_prepare_by_persona(client_for):
    training_class = finished_class(trainees=1)
    url = reverse("subsidies:claim_prepare", args=[training_class.pk])
    expected = {**dict.fromkeys(PERSONAS, 403), "demo_county_jishou": 404,
                "demo_provider_xiangxi": 404}
    found = {username: client_for(username).post(url, {"request_key": f"k-{username}"})
             .status_code for username in PERSONAS if username not in (
                 "demo_provider", "demo_county_furong")}
    assert found == {k: v for k, v in expected.items() if k in found}
    assert client_for("demo_county_furong").post(url, {"request_key": "ok"}).status_code == 302
