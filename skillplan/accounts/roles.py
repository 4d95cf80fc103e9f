"""Roles are permissions plus a reach (province, own region, own provider, own records).

This module is the one list of what each role may do. ``RoleBackend`` answers
``user.has_perm(...)`` from it; ``scoping.py`` turns the reach into what a user may see.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE = "province", _("Province federation staff")
    CITY = "city", _("City federation staff")
    COUNTY = "county", _("County federation staff")
    PROVIDER = "provider", _("Training provider staff")
    EVALUATOR = "evaluator", _("Third-party evaluator")
    PARTNER = "partner", _("Partner department")
    TRAINEE = "trainee", _("Trainee")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITOR = "auditor", _("Audit administrator")


# Reach: where a user's permissions apply. Exactly one per role.
REACH_PROVINCE = "accounts.reach_province"
REACH_REGION = "accounts.reach_region"
REACH_PROVIDER = "accounts.reach_provider"
REACH_ASSIGNED = "accounts.reach_assigned"
REACH_OWN = "accounts.reach_own"

# What a user may do, wherever their reach is.
VIEW_DIRECTORY = "accounts.view_directory"
MANAGE_USERS = "accounts.manage_users"
UNLOCK_USERS = "accounts.unlock_users"
USE_API = "accounts.use_api"
VIEW_AUDIT_LOG = "audit.view_auditlog"
VIEW_REGIONS = "regions.view_region"
VIEW_AGGREGATES = "reports.view_aggregates"

# Person registry (skillplan/people/permissions.py holds the same names).
VIEW_PERSON = "people.view_person"
CHANGE_PERSON = "people.change_person"
REVEAL_PERSONAL_DATA = "people.reveal_personal_data"
IMPORT_PERSONS = "people.import_persons"
EXPORT_PERSONS = "people.export_persons"
MERGE_PERSONS = "people.merge_persons"

# Providers, training bases, other carriers (skillplan/providers, skillplan/carriers).
VIEW_PROVIDER = "providers.view_provider"
CHANGE_PROVIDER = "providers.change_provider"
APPLY_BASE = "providers.apply_base"
REVIEW_BASE = "providers.review_base"
ACCREDIT_BASE = "providers.accredit_base"
EVALUATE_BASE = "providers.evaluate_base"
# Training catalog and brand projects (skillplan/catalog).
VIEW_PROJECT = "catalog.view_project"
CHANGE_PROJECT = "catalog.change_project"
REVIEW_PROJECT = "catalog.review_project"
MANAGE_BRAND = "catalog.manage_brand"

# Training classes, enrolment, attendance, inspections, results (skillplan/training).
VIEW_CLASS = "training.view_class"
CHANGE_CLASS = "training.change_class"  # open, edit, submit, run, enrol, attendance, results
APPROVE_CLASS = "training.approve_class"  # the configured federation level approves
INSPECT_CLASS = "training.inspect_class"
EXPORT_CLASSES = "training.export_classes"
IMPORT_ENROLMENTS = "training.import_enrolments"  # class rosters and completion results
VIEW_OWN_TRAINING = "training.view_own_training"  # a trainee's own classes and results
# Certificates (skillplan/certificates).
VIEW_CERTIFICATE = "certificates.view_certificate"
REVOKE_CERTIFICATE = "certificates.revoke_certificate"
RECORD_SKILL_CERTIFICATE = "certificates.record_skill_certificate"

# Subsidies, claims, payments, purchased services (skillplan/subsidies).
VIEW_SUBSIDY = "subsidies.view_subsidy"  # standards, entitlements, claims, fund views
MANAGE_STANDARDS = "subsidies.manage_standards"  # province default; a city its override
PREPARE_CLAIM = "subsidies.prepare_claim"  # provider or county assembles and submits
REVIEW_CLAIM = "subsidies.review_claim"  # county or city review
APPROVE_CLAIM = "subsidies.approve_claim"  # province approval
RECORD_PAYMENT = "subsidies.record_payment"  # the paying level records its payment
MANAGE_CONTRACTS = "subsidies.manage_contracts"  # 政府购买服务 contracts and spending

_EVERYONE = {VIEW_REGIONS, USE_API}
_REGISTRY = {VIEW_PERSON, CHANGE_PERSON, REVEAL_PERSONAL_DATA, IMPORT_PERSONS, EXPORT_PERSONS}
_SUPPLY = {VIEW_PROVIDER, CHANGE_PROVIDER, VIEW_PROJECT}
_CLASSES = {VIEW_CLASS, CHANGE_CLASS, EXPORT_CLASSES, IMPORT_ENROLMENTS, VIEW_CERTIFICATE}
_FEDERATION = (_EVERYONE | _REGISTRY | _SUPPLY | _CLASSES
               | {VIEW_DIRECTORY, VIEW_AGGREGATES, APPROVE_CLASS, INSPECT_CLASS,
                  REVOKE_CERTIFICATE, RECORD_SKILL_CERTIFICATE, VIEW_SUBSIDY, RECORD_PAYMENT,
                  MANAGE_CONTRACTS})

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PROVINCE: frozenset(
        _FEDERATION | {REACH_PROVINCE, MANAGE_USERS, MERGE_PERSONS, ACCREDIT_BASE,
                       EVALUATE_BASE, CHANGE_PROJECT, REVIEW_PROJECT, MANAGE_BRAND,
                       MANAGE_STANDARDS, APPROVE_CLAIM}
    ),
    Role.CITY: frozenset(
        _FEDERATION | {REACH_REGION, MANAGE_USERS, MERGE_PERSONS, REVIEW_BASE, CHANGE_PROJECT,
                       MANAGE_BRAND, MANAGE_STANDARDS, REVIEW_CLAIM}
    ),
    Role.COUNTY: frozenset(_FEDERATION | {REACH_REGION, PREPARE_CLAIM, REVIEW_CLAIM}),
    Role.PROVIDER: frozenset(
        _EVERYONE | _CLASSES | {REACH_PROVIDER, VIEW_PROVIDER, CHANGE_PROVIDER, APPLY_BASE,
                                VIEW_PROJECT, REVOKE_CERTIFICATE, VIEW_SUBSIDY, PREPARE_CLAIM}
    ),
    Role.EVALUATOR: frozenset(_EVERYONE | {REACH_ASSIGNED, VIEW_CLASS, INSPECT_CLASS}),
    Role.PARTNER: frozenset(_EVERYONE | {REACH_PROVINCE, VIEW_AGGREGATES}),
    Role.TRAINEE: frozenset({REACH_OWN, VIEW_PERSON, VIEW_OWN_TRAINING, VIEW_CERTIFICATE}),
    Role.SYSADMIN: frozenset(_EVERYONE | {REACH_PROVINCE, VIEW_DIRECTORY, MANAGE_USERS}),
    Role.SECADMIN: frozenset(_EVERYONE | {REACH_PROVINCE, VIEW_DIRECTORY, UNLOCK_USERS}),
    Role.AUDITOR: frozenset(_EVERYONE | {REACH_PROVINCE, VIEW_AUDIT_LOG}),
}

# Roles whose staff must use TOTP two-factor sign-in; other staff may turn it on.
TWO_FACTOR_REQUIRED = frozenset({Role.PROVINCE, Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
STAFF_ROLES = frozenset(Role) - {Role.TRAINEE}

# The region level a role's region must have (None: any level within the province).
ROLE_REGION_LEVEL: dict[str, str | None] = {
    Role.PROVINCE: "province",
    Role.CITY: "city",
    Role.COUNTY: "county",
    Role.PROVIDER: None,
    Role.EVALUATOR: "province",
    Role.PARTNER: "province",
    Role.TRAINEE: "county",
    Role.SYSADMIN: "province",
    Role.SECADMIN: "province",
    Role.AUDITOR: "province",
}


def assignable_roles(actor_role: str) -> list[str]:
    """Which roles a user of ``actor_role`` may give to the accounts they manage."""
    if actor_role == Role.SYSADMIN:
        return list(Role.values)
    if actor_role == Role.PROVINCE:
        return [r for r in Role.values if r not in {Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR}]
    if actor_role == Role.CITY:
        return [Role.CITY, Role.COUNTY, Role.PROVIDER, Role.TRAINEE]
    return []


def permissions_for(role: str) -> frozenset[str]:
    return ROLE_PERMISSIONS.get(role, frozenset())
