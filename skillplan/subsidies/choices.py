"""The words of subsidies (补贴): items, how a rate applies, who pays, and the claim lifecycle."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SubsidyItem(models.TextChoices):
    TRAINING_FEE = "training_fee", _("Training fee (培训费)")
    LIVING = "living", _("Living costs incl. transport (生活费含交通费)")
    APPRAISAL = "appraisal", _("Skill appraisal fee (职业技能鉴定费)")
    COMPETITION = "competition", _("Competition training subsidy (竞赛实训补贴)")


class RateBasis(models.TextChoices):
    PER_PERSON = "per_person", _("Per trainee")
    PER_PERSON_DAY = "per_person_day", _("Per trainee and training day")
    PER_DAY_ATTENDED = "per_day_attended", _("Per day attended")
    PER_CERTIFICATE = "per_certificate", _("Per skill certificate obtained")


class PayingLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class CompetitionCost(models.TextChoices):
    """What a competition training subsidy may pay for; prizes, travel, board and sundries never."""

    MATERIALS = "materials", _("Training materials and consumables")
    VENUE = "venue", _("Training venue and equipment")
    COACHING = "coaching", _("Coaching")


# Costs a competition subsidy may never include (the plan, §3.1.2).
COMPETITION_EXCLUDED = ("prize", "travel", "board", "sundries")


class EntitlementStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    CLAIMED = "claimed", _("In a claim")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class ClaimKind(models.TextChoices):
    CLAIM = "claim", _("Claim")
    ADJUSTMENT = "adjustment", _("Adjustment of an approved claim")


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for changes")
    REVIEWED = "reviewed", _("Reviewed, awaiting province approval")
    APPROVED = "approved", _("Approved (locked)")
    PAID = "paid", _("Paid")


class ClaimAction(models.TextChoices):
    CREATED = "created", _("Claim prepared")
    SUBMITTED = "submitted", _("Claim submitted")
    REVIEWED = "reviewed", _("Claim reviewed")
    RETURNED = "returned", _("Claim returned with comments")
    APPROVED = "approved", _("Claim approved")
    PAID = "paid", _("Payment recorded")


class TenderMethod(models.TextChoices):
    OPEN = "open", _("Open tender (公开招标)")
    INVITED = "invited", _("Invited tender (邀请招标)")
    COMPETITIVE_NEGOTIATION = "negotiation", _("Competitive negotiation (竞争性谈判)")
    COMPETITIVE_CONSULTATION = "consultation", _("Competitive consultation (竞争性磋商)")
    SINGLE_SOURCE = "single_source", _("Single source (单一来源)")
    INQUIRY = "inquiry", _("Request for quotations (询价)")
