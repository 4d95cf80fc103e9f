"""The words of certificates: training certificates (培训合格证书) and skill certificates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")


class SkillCertificateKind(models.TextChoices):
    SKILL_LEVEL = "skill_level", _("Vocational skill level certificate (职业技能等级证书)")
    QUALIFICATION = "qualification", _("Vocational qualification certificate (职业资格证书)")


class SkillLevel(models.IntegerChoices):
    """The five ranks of the national skill levels; 5 is the lowest, 1 the highest."""

    LEVEL_5 = 5, _("Level 5 / Junior worker (五级/初级工)")
    LEVEL_4 = 4, _("Level 4 / Intermediate worker (四级/中级工)")
    LEVEL_3 = 3, _("Level 3 / Senior worker (三级/高级工)")
    LEVEL_2 = 2, _("Level 2 / Technician (二级/技师)")
    LEVEL_1 = 1, _("Level 1 / Senior technician (一级/高级技师)")
