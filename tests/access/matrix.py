"""THE access matrix: for every web route, who may use it and what everyone else gets.

This is the declaration the tests hold the code to. A new view that is not listed here fails
``test_every_route_is_declared``. Outcomes:

- ``OK``         the page works (2xx, or a redirect that is not to the login page)
- ``LOGIN``      anonymous visitors are sent to the login page
- ``FORBIDDEN``  403: the role may never do this
- ``NOT_FOUND``  404: the role may do this, but the record is outside their scope
                 (the same answer as for a record that does not exist)
- ``UNAUTH``     401 (background calls without a session)

Object routes use fixed targets from ``tests/access/conftest.py``: the 芙蓉区 county clerk's
account (a record of 长沙市 / 芙蓉区), a job and an API token owned by that clerk, an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK, LOGIN, FORBIDDEN, NOT_FOUND, UNAUTH = "ok", "login", "forbidden", "not_found", "unauth"

ANON = "anonymous"
PROVINCE, CHANGSHA, FURONG = "demo_province", "demo_city_changsha", "demo_county_furong"
XIANGXI, JISHOU = "demo_city_xiangxi", "demo_county_jishou"
PROVIDER, PROVIDER_XX = "demo_provider", "demo_provider_xiangxi"
EVALUATOR, PARTNER, TRAINEE = "demo_evaluator", "demo_partner", "demo_trainee"
SYSADMIN, SECADMIN, AUDITOR = "demo_sysadmin", "demo_secadmin", "demo_auditor"

SIGNED_IN = [PROVINCE, CHANGSHA, FURONG, XIANGXI, JISHOU, PROVIDER, PROVIDER_XX, EVALUATOR,
             PARTNER, TRAINEE, SYSADMIN, SECADMIN, AUDITOR]
EVERYONE = [ANON, *SIGNED_IN]
DIRECTORY = [PROVINCE, CHANGSHA, FURONG, XIANGXI, JISHOU, SYSADMIN, SECADMIN]
MANAGERS = [PROVINCE, CHANGSHA, XIANGXI, SYSADMIN]
REGISTRY = [PROVINCE, CHANGSHA, FURONG, XIANGXI, JISHOU]


@dataclass(frozen=True)
class Route:
    name: str
    method: str = "GET"
    args: str = ""  # key of a target in the access fixtures ("" = no arguments)
    outcomes: dict[str, str] = field(default_factory=dict)
    default: str = FORBIDDEN  # outcome for signed-in personas not listed
    anonymous: str = LOGIN
    data: dict[str, str] = field(default_factory=dict)  # "@target.key" → a target's value
    auth: str = "session"  # "token": the persona calls with its personal API token

    def expected(self, persona: str) -> str:
        if persona == ANON:
            return self.outcomes.get(ANON, self.anonymous)
        return self.outcomes.get(persona, self.default)


def allow(*personas: str, outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(personas, outcome)


def public(name: str, method: str = "GET", data: dict[str, str] | None = None) -> Route:
    return Route(name, method, default=OK, anonymous=OK, data=data or {})


def signed_in(name: str, method: str = "GET", **kwargs) -> Route:
    return Route(name, method, default=OK, **kwargs)


# Scope of the target account (芙蓉区, 长沙市): who sees it, who gets 404.
FURONG_ACCOUNT_VIEW = {**allow(PROVINCE, CHANGSHA, FURONG, SYSADMIN, SECADMIN),
                       **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)}
FURONG_ACCOUNT_CHANGE = {**allow(PROVINCE, CHANGSHA, SYSADMIN),
                         **allow(XIANGXI, outcome=NOT_FOUND)}
# A person registered in 芙蓉区 (长沙市): who may open it, who gets 404.
FURONG_RECORD = {**allow(PROVINCE, CHANGSHA, FURONG), **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)}
UPLOAD_OF_FURONG = {**allow(FURONG), **allow(PROVINCE, CHANGSHA, XIANGXI, JISHOU,
                                               outcome=NOT_FOUND)}
OWNED_BY_FURONG = {**allow(FURONG), **dict.fromkeys(
    [p for p in SIGNED_IN if p != FURONG], NOT_FOUND)}

WEB_ROUTES: list[Route] = [
    # Public pages and infrastructure
    public("portal:home"),
    public("portal:accessibility"),
    public("accounts:login"),
    # The second sign-in step only works with a password-verified pending sign-in.
    Route("accounts:two_factor_verify", default=LOGIN, anonymous=LOGIN),
    public("core:healthz"),
    public("core:display_preferences", "POST", {"toggle": "contrast"}),
    public("set_language", "POST", {"language": "en"}),
    # Signing out always ends on the login page.
    Route("accounts:logout", "POST", default=LOGIN, anonymous=LOGIN),
    Route("accounts:keep_alive", "POST", default=OK, anonymous=UNAUTH),
    # Every signed-in user
    signed_in("portal:workspace"),
    signed_in("accounts:profile"),
    signed_in("accounts:password_change"),
    signed_in("accounts:two_factor_setup"),
    signed_in("jobs:list"),
    # Own API tokens (trainees have no API access)
    Route("accounts:token_create", "POST", data={"name": "x"},
          outcomes=allow(*[p for p in SIGNED_IN if p != TRAINEE])),
    Route("accounts:token_revoke", "POST", args="furong_token", outcomes=OWNED_BY_FURONG),
    # Own jobs
    Route("jobs:detail", args="furong_job", outcomes=OWNED_BY_FURONG),
    Route("jobs:progress", args="furong_job", outcomes=OWNED_BY_FURONG),
    Route("jobs:download", args="furong_job", outcomes=OWNED_BY_FURONG),
    # Reference data
    Route("regions:list", outcomes=allow(*[p for p in SIGNED_IN if p != TRAINEE])),
    Route("regions:detail", args="region_furong",
          outcomes=allow(*[p for p in SIGNED_IN if p != TRAINEE])),
    # User directory and management
    Route("accounts:user_list", outcomes=allow(*DIRECTORY)),
    Route("accounts:user_export", "POST", outcomes=allow(*DIRECTORY)),
    Route("accounts:user_create", outcomes=allow(*MANAGERS)),
    Route("accounts:user_detail", args="furong_account", outcomes=FURONG_ACCOUNT_VIEW),
    Route("accounts:user_edit", args="furong_account", outcomes=FURONG_ACCOUNT_CHANGE),
    Route("accounts:user_active", "POST", args="furong_account", outcomes=FURONG_ACCOUNT_CHANGE,
          data={"active": "0", "reason": "matrix"}),
    Route("accounts:user_unlock", "POST", args="furong_account", outcomes=allow(SECADMIN)),
    Route("accounts:user_reset_2fa", "POST", args="furong_account", outcomes=allow(SECADMIN),
          data={"reason": "matrix"}),
    # Person registry
    Route("people:list", outcomes=allow(*REGISTRY, TRAINEE)),  # trainee → own record
    Route("people:list", "POST", data={"q": "李"}, outcomes=allow(*REGISTRY, TRAINEE)),
    Route("people:create", outcomes=allow(*REGISTRY)),
    Route("people:duplicates", outcomes=allow(*REGISTRY)),
    Route("people:export", "POST", outcomes=allow(*REGISTRY)),
    Route("people:detail", args="furong_person",
          outcomes={**FURONG_RECORD, TRAINEE: NOT_FOUND}),
    Route("people:edit", args="furong_person", outcomes=FURONG_RECORD),
    Route("people:reveal", "POST", args="furong_person", outcomes=FURONG_RECORD,
          data={"reveal-reason": "matrix"}),
    Route("people:merge", data={"keep": "@furong_person.pk", "duplicate": "@furong_twin.pk"},
          outcomes={**allow(PROVINCE, CHANGSHA), XIANGXI: NOT_FOUND}),
    Route("people:import_upload", outcomes=allow(*REGISTRY)),
    Route("people:import_template", outcomes=allow(*REGISTRY)),
    # An upload belongs to the clerk who made it: everyone else with the permission gets 404.
    Route("people:import_preview", args="furong_upload", outcomes=UPLOAD_OF_FURONG),
    Route("people:import_report", args="furong_upload", outcomes=UPLOAD_OF_FURONG),
    # Audit trail: the audit administrator only
    Route("audit:list", outcomes=allow(AUDITOR)),
    Route("audit:detail", args="audit_event", outcomes=allow(AUDITOR)),
]

# Django's admin is for support staff with is_superuser only; personas are sent to its login.
ADMIN_NAMESPACE = "admin"
