"""Access rules of the JSON API. Every call is made with the persona's personal API token
(``auth="token"``); anonymous calls carry none. Trainees hold no API access."""

from __future__ import annotations

from tests.access.matrix import (
    AUDITOR,
    CHANGSHA,
    CLASS_STAFF,
    DIRECTORY,
    EVALUATOR,
    FORBIDDEN,
    FURONG,
    FURONG_CLAIM_PREPARE,
    FURONG_CLASS_APPROVE,
    FURONG_CLASS_RUN,
    FURONG_CLASS_VIEW,
    JISHOU,
    NOT_FOUND,
    OK,
    PROVIDERS,
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


def open_route(name: str, args: str = "", data: dict[str, str] | None = None) -> Route:
    """A public endpoint (``auth=None``): personas send their token, which is ignored."""
    return Route(name, args=args, default=OK, anonymous=OK, auth="token", data=data or {})


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
    # Training classes: reads and every step (the rules of each step: tests/training)
    token_route("api-1.0.0:training_classes", outcomes=allow(*CLASS_STAFF, EVALUATOR)),
    token_route("api-1.0.0:training_class", args="class_draft_id", outcomes=FURONG_CLASS_VIEW),
    token_route("api-1.0.0:training_class_by_code", args="class_draft_code",
                outcomes=FURONG_CLASS_VIEW),
    token_route("api-1.0.0:training_class_submit", "POST", args="class_draft_id",
                outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:training_class_cancel", "POST", args="class_draft_id",
                outcomes=FURONG_CLASS_RUN, data={"reason": "场地无法使用"}),
    token_route("api-1.0.0:training_class_approve", "POST", args="class_submitted_id",
                outcomes=FURONG_CLASS_APPROVE),
    token_route("api-1.0.0:training_class_return", "POST", args="class_submitted_id",
                outcomes=FURONG_CLASS_APPROVE, data={"comment": "请补充师资"}),
    token_route("api-1.0.0:training_class_start", "POST", args="class_approved_id",
                outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:training_class_end", "POST", args="class_in_progress_id",
                outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:training_class_submit_completion", "POST", args="class_ended_id",
                outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:training_class_approve_completion", "POST",
                args="class_completion_submitted_id", outcomes=FURONG_CLASS_APPROVE),
    token_route("api-1.0.0:training_class_return_completion", "POST",
                args="class_completion_submitted_id", outcomes=FURONG_CLASS_APPROVE,
                data={"comment": "成绩有误"}),
    token_route("api-1.0.0:training_class_close", "POST", args="class_completion_approved_id",
                outcomes=FURONG_CLASS_RUN),
    # Rosters
    token_route("api-1.0.0:training_enrolment_list", args="class_approved_id",
                outcomes=FURONG_CLASS_VIEW),
    token_route("api-1.0.0:training_participant_create", "POST", args="employer_class_id",
                outcomes=FURONG_CLASS_RUN,
                data={"name": "王五", "employer": "长沙某公司", "position": "人事专员"}),
    token_route("api-1.0.0:training_enrolment_withdraw", "POST", args="furong_enrolment_id",
                outcomes=FURONG_CLASS_RUN, data={"reason": "家中有事"}),
    # Certificates
    token_route("api-1.0.0:certificates_list", outcomes=allow(*REGISTRY, *PROVIDERS)),
    token_route("api-1.0.0:certificate_detail", args="furong_certificate_id",
                outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:certificate_revoke", "POST", args="furong_certificate_id",
                outcomes=FURONG_CLASS_RUN, data={"reason": "信息有误"}),
    token_route("api-1.0.0:skill_certificates_list", args="furong_person_id",
                outcomes=FURONG_RECORD),
    token_route("api-1.0.0:skill_certificate_record", "POST", args="furong_person_id",
                outcomes=FURONG_RECORD,
                data={"kind": "qualification", "occupation_name": "保健按摩师",
                      "number": "API-MATRIX-1", "issuer": "湖南省人社厅",
                      "issued_on": "2024-06-01"}),
    open_route("api-1.0.0:certificate_verify",
               data={"number": "HNPX-2025-430102-99999", "name": "无此人"}),
    # Subsidies: read endpoints, and preparing a claim (idempotent by its key)
    token_route("api-1.0.0:subsidies_standards", outcomes=allow(*REGISTRY, *PROVIDERS)),
    token_route("api-1.0.0:subsidies_claims", outcomes=allow(*REGISTRY, *PROVIDERS)),
    token_route("api-1.0.0:subsidies_payments", outcomes=allow(*REGISTRY, *PROVIDERS)),
    token_route("api-1.0.0:subsidies_claim", args="claim_draft_id", outcomes=FURONG_CLASS_RUN),
    token_route("api-1.0.0:subsidies_claim_prepare", "POST", args="class_finished_id",
                outcomes=FURONG_CLAIM_PREPARE, headers={"Idempotency-Key": "matrix-api-0001"}),
]
