"""Access rules of the JSON API. Every call is made with the persona's personal API token
(``auth="token"``); anonymous calls carry none. Trainees hold no API access."""

from __future__ import annotations

from tests.access.matrix import (
    AUDITOR,
    CHANGSHA,
    DIRECTORY,
    FORBIDDEN,
    FURONG,
    JISHOU,
    NOT_FOUND,
    OK,
    PROVINCE,
    SECADMIN,
    SYSADMIN,
    TRAINEE,
    UNAUTH,
    XIANGXI,
    Route,
    allow,
    public,
)


def token_route(name: str, method: str = "GET", **kwargs) -> Route:
    kwargs.setdefault("default", FORBIDDEN)
    return Route(name, method, anonymous=UNAUTH, auth="token", **kwargs)


def open_route(name: str, args: str = "") -> Route:
    """A public endpoint (``auth=None``): personas send their token, which is ignored."""
    return Route(name, args=args, default=OK, anonymous=OK, auth="token")


NO_TRAINEE = allow(TRAINEE, outcome=FORBIDDEN)
REGISTRY = [PROVINCE, CHANGSHA, FURONG, XIANGXI, JISHOU]
FURONG_RECORD = {**allow(PROVINCE, CHANGSHA, FURONG), **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)}

API_ROUTES: list[Route] = [
    # ninja names the bare prefix; nothing is served there.
    Route("api-1.0.0:api-root", default=NOT_FOUND, anonymous=NOT_FOUND),
    public("api-1.0.0:openapi-json"),
    public("api-1.0.0:openapi-view"),
    Route("api_not_found", default=NOT_FOUND, anonymous=NOT_FOUND),
    token_route("api-1.0.0:accounts_me", default=OK, outcomes=NO_TRAINEE),
    token_route("api-1.0.0:accounts_user_list", outcomes=allow(*DIRECTORY)),
    token_route(
        "api-1.0.0:accounts_user_detail", args="furong_account_id",
        outcomes={**allow(PROVINCE, CHANGSHA, FURONG, SYSADMIN, SECADMIN),
                  **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)},
    ),
    token_route("api-1.0.0:regions_list", default=OK, outcomes=NO_TRAINEE),
    token_route("api-1.0.0:regions_resolve", default=OK, outcomes=NO_TRAINEE,
                data={"q": "芙蓉区"}),
    token_route("api-1.0.0:regions_detail", args="region_furong", default=OK,
                outcomes=NO_TRAINEE),
    token_route("api-1.0.0:audit_event_list", outcomes=allow(AUDITOR)),
    # Person registry (create and update rules are tested in tests/api/test_persons_api.py)
    token_route("api-1.0.0:people_person_list", outcomes=allow(*REGISTRY)),
    token_route("api-1.0.0:people_person_detail", args="furong_person_id",
                outcomes=FURONG_RECORD),
    token_route("api-1.0.0:people_person_reveal", "POST", args="furong_person_id",
                outcomes=FURONG_RECORD, data={"reason": "matrix"}),
    token_route("api-1.0.0:people_person_search", "POST", outcomes=allow(*REGISTRY),
                data={"id_number": "430102199005171239"}),
    # Public disclosure: providers, bases, coverage, the catalog and the carriers
    open_route("api-1.0.0:providers_public_list"),
    open_route("api-1.0.0:providers_public_detail", args="sunshine_id"),
    open_route("api-1.0.0:bases_public_list"),
    open_route("api-1.0.0:bases_public_detail", args="sunshine_base_id"),
    open_route("api-1.0.0:bases_coverage"),
    open_route("api-1.0.0:catalog_projects"),
    open_route("api-1.0.0:catalog_project", args="changsha_published_id"),
    open_route("api-1.0.0:catalog_brands"),
    open_route("api-1.0.0:carriers_public_list"),
]
