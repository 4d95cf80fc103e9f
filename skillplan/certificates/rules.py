"""The rules of a skill certificate record (职业技能等级证书 / 职业资格证书), shared by the form,
the API and the service: each problem names its field, its stable code and a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skillplan.catalog.rules import normalise_occupation_code
from skillplan.certificates.choices import SkillCertificateKind, SkillLevel
from skillplan.core.errors import RuleError


@dataclass
class SkillCertificateValues:
    kind: str
    level: int | None
    occupation_name: str
    number: str
    issuer: str
    issued_on: date | None
    occupation_code: str = ""


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    message: str


def _check_kind(values: SkillCertificateValues, problems: list[Problem]) -> None:
    if values.kind not in SkillCertificateKind.values:
        problems.append(Problem("kind", "kind_invalid", str(_(
            "Choose the kind of certificate: a skill level certificate or a vocational "
            "qualification certificate."))))
    elif values.kind == SkillCertificateKind.SKILL_LEVEL:
        if values.level is None:
            problems.append(Problem("level", "level_required", str(_(
                "A skill level certificate states its rank: choose one from level 5 (junior "
                "worker) to level 1 (senior technician)."))))
        elif values.level not in SkillLevel.values:
            problems.append(Problem("level", "level_invalid", str(_(
                "The rank is a level from 5 (junior worker) to 1 (senior technician)."))))
    elif values.level is not None:
        problems.append(Problem("level", "level_not_allowed", str(_(
            "A vocational qualification certificate has no skill rank; leave the rank "
            "empty."))))


def _check_text(values: SkillCertificateValues, problems: list[Problem]) -> None:
    required = (
        ("occupation_name", "occupation_required",
         _("Give the occupation as the certificate names it, such as 中式面点师.")),
        ("number", "number_required", _("Give the certificate number.")),
        ("issuer", "issuer_required", _("Give the body that issued the certificate.")),
    )
    for field, code, message in required:
        if not getattr(values, field):
            problems.append(Problem(field, code, str(message)))
    if values.occupation_code:
        try:
            values.occupation_code = normalise_occupation_code(values.occupation_code)
        except RuleError as error:
            problems.append(Problem("occupation_code", error.code, str(error.message)))


def check_skill_certificate(values: SkillCertificateValues) -> list[Problem]:
    """Normalise ``values`` in place and list what is wrong with them."""
    for name in ("occupation_name", "number", "issuer", "occupation_code"):
        setattr(values, name, " ".join(str(getattr(values, name) or "").split()))
    problems: list[Problem] = []
    _check_kind(values, problems)
    _check_text(values, problems)
    if values.issued_on is None:
        problems.append(Problem("issued_on", "date_required", str(_(
            "Give the date the certificate was issued."))))
    elif values.issued_on > timezone.localdate():
        problems.append(Problem("issued_on", "date_in_future", str(_(
            "The date of issue cannot be in the future."))))
    return problems
