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
account (a record of 长沙市 / 芙蓉区), a job and an API token owned by that clerk, an audit row;
the 芙蓉区 provider 阳光 with its accredited base, a draft base application of the 湘西
provider; 长沙市 catalog projects (draft, submitted, published) and brand project; a carrier
in 芙蓉区.
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
FED = REGISTRY  # federation staff: province, city and county clerks
PROVIDERS = [PROVIDER, PROVIDER_XX]
SUPPLY = [*FED, *PROVIDERS]  # who sees providers, bases, carriers and the catalog
CATALOG_EDITORS = [PROVINCE, CHANGSHA, XIANGXI]  # change_project: province and cities


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
    headers: dict[str, str] = field(default_factory=dict)  # extra request headers

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
# The 芙蓉区 provider 阳光 and its base: its area's federation and its own staff.
SUNSHINE = {**allow(PROVINCE, CHANGSHA, FURONG, PROVIDER),
            **allow(XIANGXI, JISHOU, PROVIDER_XX, outcome=NOT_FOUND)}
# A carrier in 芙蓉区 run by an employer: no provider's staff sees it.
FURONG_CARRIER = {**FURONG_RECORD, **allow(*PROVIDERS, outcome=NOT_FOUND)}
# A 长沙市 project: editors of its area change it, the other city gets 404.
CHANGSHA_PROJECT_CHANGE = {**allow(PROVINCE, CHANGSHA), XIANGXI: NOT_FOUND}
# A class of the 芙蓉区 provider 阳光: the federation over 芙蓉区 and the provider's staff run it;
# the other area gets 404, and so does an evaluator it is not assigned to.
FURONG_CLASS_VIEW = {**allow(PROVINCE, CHANGSHA, FURONG, PROVIDER),
                     **allow(XIANGXI, JISHOU, PROVIDER_XX, EVALUATOR, outcome=NOT_FOUND)}
FURONG_CLASS_RUN = {**allow(PROVINCE, CHANGSHA, FURONG, PROVIDER),
                    **allow(XIANGXI, JISHOU, PROVIDER_XX, outcome=NOT_FOUND)}
# Approval and completion review: the configured level (the city) over the class, nobody else.
FURONG_CLASS_APPROVE = {**allow(CHANGSHA), XIANGXI: NOT_FOUND}
FURONG_CLASS_FEDERATION = {**allow(PROVINCE, CHANGSHA, FURONG),
                           **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)}
CLASS_STAFF = [*FED, *PROVIDERS]
# Claims are prepared by the class's provider or the county over it.
FURONG_CLAIM_PREPARE = {**allow(FURONG, PROVIDER),
                        **allow(JISHOU, PROVIDER_XX, outcome=NOT_FOUND)}
# A certificate of a 芙蓉区 class: as the class, and a trainee who does not hold it gets 404.
FURONG_CERTIFICATE = {**FURONG_CLASS_RUN, TRAINEE: NOT_FOUND}
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
    # Providers (registry, import, coverage)
    Route("providers:list", outcomes=allow(*SUPPLY)),  # provider staff → own provider
    Route("providers:create", outcomes=allow(*FED)),
    Route("providers:export", "POST", outcomes=allow(*SUPPLY)),
    Route("providers:detail", args="sunshine", outcomes=SUNSHINE),
    Route("providers:edit", args="sunshine", outcomes=SUNSHINE),
    Route("providers:import_upload", outcomes=allow(*FED)),
    Route("providers:import_template", outcomes=allow(*FED)),
    Route("providers:import_preview", args="furong_provider_upload", outcomes=UPLOAD_OF_FURONG),
    Route("providers:import_report", args="furong_provider_upload", outcomes=UPLOAD_OF_FURONG),
    Route("providers:coverage", outcomes=allow(*FED)),
    Route("providers:coverage_export", "POST", outcomes=allow(*FED)),
    # Training bases: the lifecycle pages (GET shows the form; the services decide the rest)
    Route("providers:base_list", outcomes=allow(*SUPPLY)),
    # OK: the application form, or a redirect to the provider's open application.
    Route("providers:base_apply", outcomes=allow(*PROVIDERS)),
    Route("providers:base_export", "POST", outcomes=allow(*SUPPLY)),
    Route("providers:base_detail", args="sunshine_base", outcomes=SUNSHINE),
    Route("providers:base_edit", args="xiangxi_draft",
          outcomes={PROVIDER_XX: OK, PROVIDER: NOT_FOUND}),
    Route("providers:base_submit", "POST", args="xiangxi_draft",
          outcomes={PROVIDER_XX: OK, PROVIDER: NOT_FOUND},
          data={"version": "@xiangxi_draft_version.version"}),
    Route("providers:base_review", args="sunshine_base",
          outcomes={CHANGSHA: OK, XIANGXI: NOT_FOUND}),
    Route("providers:base_accredit", args="sunshine_base", outcomes=allow(PROVINCE)),
    Route("providers:base_evaluate", args="sunshine_base",
          outcomes={**allow(PROVINCE, CHANGSHA), XIANGXI: NOT_FOUND}),
    Route("providers:evaluation_decide", args="sunshine_evaluation", outcomes=allow(PROVINCE)),
    Route("providers:indicators", outcomes=allow(PROVINCE)),
    Route("providers:indicator_create", outcomes=allow(PROVINCE)),
    Route("providers:indicator_edit", args="indicator", outcomes=allow(PROVINCE)),
    # Public disclosure of providers and bases
    public("public_providers:provider_list"),
    public("public_providers:base_list"),
    public("public_providers:results"),
    public("public_providers:coverage"),
    Route("public_providers:provider_detail", args="sunshine", default=OK, anonymous=OK),
    Route("public_providers:base_detail", args="sunshine_base", default=OK, anonymous=OK),
    # Training catalog: staff see their area's projects in every status and every published one
    Route("catalog:list", outcomes=allow(*SUPPLY)),
    Route("catalog:brands", outcomes=allow(*SUPPLY)),
    Route("catalog:export", "POST", outcomes=allow(*SUPPLY)),
    Route("catalog:brands_export", "POST", outcomes=allow(*SUPPLY)),
    Route("catalog:create", outcomes=allow(*CATALOG_EDITORS)),
    Route("catalog:import_upload", outcomes=allow(*CATALOG_EDITORS)),
    Route("catalog:import_template", outcomes=allow(*CATALOG_EDITORS)),
    Route("catalog:brand_designate", outcomes=allow(*CATALOG_EDITORS)),
    Route("catalog:detail", args="changsha_draft",
          outcomes={**allow(PROVINCE, CHANGSHA),
                    **allow(FURONG, XIANGXI, JISHOU, *PROVIDERS, outcome=NOT_FOUND)}),
    # Published, no provider named: providers only see the published projects they may run.
    Route("catalog:detail", args="changsha_published",
          outcomes={**allow(*FED), **allow(*PROVIDERS, outcome=NOT_FOUND)}),
    Route("catalog:edit", args="changsha_draft", outcomes=CHANGSHA_PROJECT_CHANGE),
    Route("catalog:submit", "POST", args="changsha_draft", outcomes=CHANGSHA_PROJECT_CHANGE),
    Route("catalog:copy", "POST", args="changsha_published", outcomes=CHANGSHA_PROJECT_CHANGE),
    # Review is the province's, never the submitter's (the 长沙 clerk submitted these).
    Route("catalog:publish", "POST", args="changsha_submitted", outcomes=allow(PROVINCE),
          data={"comment": "matrix"}),
    Route("catalog:return", "POST", args="changsha_submitted", outcomes=allow(PROVINCE),
          data={"return-comment": "matrix"}),
    Route("catalog:withdraw", "POST", args="changsha_published", outcomes=allow(PROVINCE),
          data={"withdraw-reason": "matrix"}),
    Route("catalog:brand_remove", "POST", args="changsha_brand",
          outcomes=CHANGSHA_PROJECT_CHANGE, data={"reason": "matrix"}),
    # The 长沙 clerk's upload; county clerks may not import projects at all (403).
    Route("catalog:import_preview", args="changsha_project_upload",
          outcomes={CHANGSHA: OK, **allow(PROVINCE, XIANGXI, outcome=NOT_FOUND)}),
    Route("catalog:import_report", args="changsha_project_upload",
          outcomes={CHANGSHA: OK, **allow(PROVINCE, XIANGXI, outcome=NOT_FOUND)}),
    public("public_catalog:list"),
    public("public_catalog:brands"),
    Route("public_catalog:detail", args="changsha_published", default=OK, anonymous=OK),
    # Carriers (美丽工坊, practice bases …): federation staff record them, providers see theirs
    Route("carriers:list", outcomes=allow(*SUPPLY)),
    Route("carriers:export", "POST", outcomes=allow(*SUPPLY)),
    Route("carriers:create", outcomes=allow(*FED)),
    Route("carriers:detail", args="furong_carrier", outcomes=FURONG_CARRIER),
    Route("carriers:edit", args="furong_carrier", outcomes=FURONG_CARRIER),
    Route("carriers:status", "POST", args="furong_carrier", outcomes=FURONG_CARRIER,
          data={"status-status": "suspended", "status-reason": "matrix",
                "status-version": "@furong_carrier_version.version"}),
    public("public_carriers:list"),
    # Training classes (培训班): lifecycle
    Route("training:list", outcomes=allow(*CLASS_STAFF, EVALUATOR)),
    Route("training:mine", outcomes=allow(*CLASS_STAFF, EVALUATOR)),
    Route("training:create", outcomes=allow(*CLASS_STAFF)),
    Route("training:late", outcomes=allow(*FED)),
    Route("training:export", "POST", outcomes=allow(*CLASS_STAFF)),
    Route("training:detail", args="class_draft", outcomes=FURONG_CLASS_VIEW),
    Route("training:edit", args="class_draft", outcomes=FURONG_CLASS_RUN),
    Route("training:submit", "POST", args="class_draft", outcomes=FURONG_CLASS_RUN),
    Route("training:cancel", "POST", args="class_draft", outcomes=FURONG_CLASS_RUN,
          data={"reason": "场地无法使用"}),
    Route("training:approve", "POST", args="class_submitted", outcomes=FURONG_CLASS_APPROVE),
    Route("training:return", "POST", args="class_submitted", outcomes=FURONG_CLASS_APPROVE,
          data={"comment": "请补充师资"}),
    Route("training:start", "POST", args="class_approved", outcomes=FURONG_CLASS_RUN),
    Route("training:assign_evaluator", "POST", args="class_approved",
          outcomes=FURONG_CLASS_FEDERATION),
    Route("training:end", "POST", args="class_in_progress", outcomes=FURONG_CLASS_RUN),
    Route("training:submit_completion", "POST", args="class_ended", outcomes=FURONG_CLASS_RUN),
    Route("training:approve_completion", "POST", args="class_completion_submitted",
          outcomes=FURONG_CLASS_APPROVE),
    Route("training:return_completion", "POST", args="class_completion_submitted",
          outcomes=FURONG_CLASS_APPROVE, data={"comment": "成绩有误"}),
    Route("training:close", "POST", args="class_completion_approved",
          outcomes=FURONG_CLASS_RUN),
    # Roster (学员名单)
    Route("training:roster", args="class_approved", outcomes=FURONG_CLASS_VIEW),
    Route("training:roster_search", "POST", args="class_approved", outcomes=FURONG_CLASS_RUN,
          data={"q": "访问矩阵"}),
    Route("training:enrol", "POST", args="class_approved", outcomes=FURONG_CLASS_RUN),
    Route("training:participant_add", "POST", args="employer_class", outcomes=FURONG_CLASS_RUN),
    Route("training:roster_export", "POST", args="class_approved", outcomes=FURONG_CLASS_RUN),
    Route("training:withdraw", args="furong_enrolment", outcomes=FURONG_CLASS_RUN),
    Route("training:roster_import", args="class_approved", outcomes=FURONG_CLASS_RUN),
    Route("training:results_import", args="class_ended", outcomes=FURONG_CLASS_RUN),
    Route("training:import_template", outcomes=allow(*CLASS_STAFF)),
    Route("training:import_preview", args="provider_roster_upload",
          outcomes={PROVIDER: OK, **allow(*FED, PROVIDER_XX, outcome=NOT_FOUND)}),
    Route("training:import_report", args="provider_roster_upload",
          outcomes={PROVIDER: OK, **allow(*FED, PROVIDER_XX, outcome=NOT_FOUND)}),
    # During the class: attendance, inspections (过程检查), results (结业考核)
    Route("training:attendance", args="class_in_progress", outcomes=FURONG_CLASS_VIEW),
    Route("training:attendance", "POST", args="class_in_progress", outcomes=FURONG_CLASS_VIEW),
    Route("training:attendance_export", "POST", args="class_in_progress",
          outcomes=FURONG_CLASS_RUN),
    Route("training:inspections", args="class_in_progress", outcomes=FURONG_CLASS_VIEW),
    Route("training:inspections", "POST", args="class_in_progress",
          outcomes={**FURONG_CLASS_FEDERATION, PROVIDER_XX: NOT_FOUND,
                    EVALUATOR: NOT_FOUND}),
    Route("training:inspection_file", args="furong_inspection_file",
          outcomes=FURONG_CLASS_VIEW),
    Route("training:results", args="class_ended", outcomes=FURONG_CLASS_VIEW),
    Route("training:results", "POST", args="class_ended", outcomes=FURONG_CLASS_VIEW),
    Route("training:results_export", "POST", args="class_ended", outcomes=FURONG_CLASS_RUN),
    # Certificates (培训合格证书, 技能证书)
    Route("certificates:list", outcomes=allow(*CLASS_STAFF, TRAINEE)),
    Route("certificates:mine", outcomes=allow(TRAINEE)),
    Route("certificates:detail", args="furong_certificate", outcomes=FURONG_CERTIFICATE),
    Route("certificates:pdf", args="furong_certificate", outcomes=FURONG_CERTIFICATE),
    Route("certificates:revoke", args="furong_certificate", outcomes=FURONG_CLASS_RUN),
    Route("certificates:class_list", args="class_completion_approved",
          outcomes={**FURONG_CLASS_RUN, TRAINEE: NOT_FOUND}),
    Route("certificates:skill_list", args="furong_person",
          outcomes={**FURONG_RECORD, TRAINEE: NOT_FOUND}),
    Route("certificates:skill_create", args="furong_person", outcomes=FURONG_RECORD),
    Route("certificates:skill_delete", "POST", args="furong_skill_certificate",
          outcomes=FURONG_RECORD),
    public("public_certificates:verify"),
    # Subsidies: standards (the province's default, a city's override), computed entitlements
    Route("subsidies:standards", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:standard_create", outcomes=allow(*CATALOG_EDITORS)),
    Route("subsidies:standard_detail", args="standard_province", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:standard_detail", args="standard_changsha",
          outcomes={**allow(PROVINCE, CHANGSHA, FURONG, PROVIDER),
                    **allow(XIANGXI, JISHOU, PROVIDER_XX, outcome=NOT_FOUND)}),
    Route("subsidies:standard_supersede", args="standard_province", outcomes=allow(PROVINCE)),
    Route("subsidies:standard_supersede", args="standard_changsha",
          outcomes={**allow(PROVINCE, CHANGSHA), XIANGXI: NOT_FOUND}),
    Route("subsidies:class_entitlements", args="class_completion_approved",
          outcomes=FURONG_CLASS_RUN),
    Route("subsidies:class_entitlements_compute", "POST", args="class_completion_approved",
          outcomes=FURONG_CLAIM_PREPARE),
    # Claims (补贴申领): prepared by the provider or county, reviewed by the county or city,
    # approved by the province, paid by each paying level
    Route("subsidies:claims", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:claim_detail", args="claim_draft", outcomes=FURONG_CLASS_RUN),
    Route("subsidies:claim_prepare", "POST", args="class_finished",
          outcomes=FURONG_CLAIM_PREPARE, data={"request_key": "matrix-key-0001"}),
    Route("subsidies:claim_submit", "POST", args="claim_draft", outcomes=FURONG_CLAIM_PREPARE),
    Route("subsidies:claim_review", "POST", args="claim_submitted",
          outcomes={**allow(CHANGSHA, FURONG), **allow(XIANGXI, JISHOU, outcome=NOT_FOUND)},
          data={"decision": "approve"}),
    Route("subsidies:claim_approve", "POST", args="claim_reviewed", outcomes=allow(PROVINCE),
          data={"decision": "approve"}),
    Route("subsidies:claim_pay", args="claim_approved", outcomes=FURONG_CLASS_FEDERATION),
    Route("subsidies:claim_adjust", args="claim_approved", outcomes=FURONG_CLAIM_PREPARE),
    # Purchased services (政府购买服务), fund views, anomalies
    Route("subsidies:contracts", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:contract_create", outcomes=allow(*FED)),
    Route("subsidies:contract_detail", args="furong_contract", outcomes=FURONG_CLASS_RUN),
    Route("subsidies:contract_edit", args="furong_contract", outcomes=FURONG_CLASS_FEDERATION),
    Route("subsidies:spending_create", args="furong_contract", outcomes=FURONG_CLASS_FEDERATION),
    Route("subsidies:funds_classes", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:funds_providers", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:funds_regions", outcomes=allow(*CLASS_STAFF)),
    Route("subsidies:funds_export", "POST", outcomes=allow(*CLASS_STAFF),
          data={"kind": "summary"}),
    Route("subsidies:anomalies", outcomes=allow(*FED)),
    # Audit trail: the audit administrator only
    Route("audit:list", outcomes=allow(AUDITOR)),
    Route("audit:detail", args="audit_event", outcomes=allow(AUDITOR)),
]

# Django's admin is for support staff with is_superuser only; personas are sent to its login.
ADMIN_NAMESPACE = "admin"
