"""The providers template (培训机构名册), KIND ``providers``.

Rows are matched by unified social credit code: a new code registers a provider, a known one
updates it (idempotent: importing the same file twice changes nothing the second time). The
county must lie in the importer's area, and so must the provider a code already belongs to.
An empty optional cell keeps the stored value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, can_act_on_region, scope_of
from skillplan.core.credit_code import make_credit_code
from skillplan.core.errors import RuleError
from skillplan.core.excel import write_xlsx
from skillplan.core.imports.engine import BatchOutcome, ImportTemplate, Problem, RowCheck
from skillplan.core.imports.reader import Column
from skillplan.core.text import cell_text
from skillplan.providers import services
from skillplan.providers.models import ACCESSIBILITY_FEATURES, Provider, ProviderKind
from skillplan.regions.models import Region
from skillplan.regions.selectors import RegionIndex, region_index

PROVIDER_COLUMNS: tuple[Column, ...] = (
    Column("name", "机构名称", ("培训机构名称", "单位名称"), required=True),
    Column("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
    Column("kind", "机构类型", ("类型",)),
    Column("region", "所在县区", ("所在县市区", "县市区", "所属县区"), required=True),
    Column("address", "地址", ("机构地址", "详细地址")),
    Column("public_phone", "机构电话", ("办公电话",)),
    Column("contact_name", "联系人"),
    Column("contact_phone", "联系电话", ("联系人电话", "手机号码")),
    Column("capacity", "容纳人数", ("同时容纳培训人数", "培训容量")),
    Column("licence_number", "办学许可证号", ("许可证号",)),
    Column("features", "无障碍设施", ("无障碍条件",)),
)
TEXT_COLUMNS = ("credit_code", "public_phone", "contact_phone", "licence_number")
# Words accepted in 机构类型 (the Chinese names, with or without their English labels).
KIND_WORDS = {
    "职业院校": ProviderKind.VOCATIONAL_SCHOOL, "特殊教育学校": ProviderKind.SPECIAL_SCHOOL,
    "特教学校": ProviderKind.SPECIAL_SCHOOL, "技工院校": ProviderKind.TECHNICAL_SCHOOL,
    "技工学校": ProviderKind.TECHNICAL_SCHOOL,
    "职业培训机构": ProviderKind.TRAINING_INSTITUTION,
    "培训机构": ProviderKind.TRAINING_INSTITUTION, "企业": ProviderKind.ENTERPRISE,
    "社会组织": ProviderKind.SOCIAL_ORGANISATION,
    "公共实训基地": ProviderKind.PUBLIC_TRAINING_BASE, "其他": ProviderKind.OTHER,
}  # fmt: skip
# Words accepted in 无障碍设施, separated by 、，, or spaces.
FEATURE_WORDS = {
    "无障碍通道": "step_free", "坡道": "step_free", "无障碍卫生间": "accessible_toilets",
    "无障碍厕所": "accessible_toilets", "无障碍电梯": "accessible_lift",
    "盲文标识": "braille_signage", "盲文": "braille_signage",
    "手语": "sign_language_staff", "手语服务": "sign_language_staff",
    "助听环路": "induction_loop", "无障碍停车位": "accessible_parking",
}  # fmt: skip
MAX_CAPACITY = 100000  # as on the provider form
SAMPLE_CODE = make_credit_code("52430102MA4L00009")
_SEPARATORS = str.maketrans({c: "、" for c in ",，;； /"})


def _kind(value: object) -> str:
    text = cell_text(value)
    if not text:
        return ""
    if text in ProviderKind.values:
        return text
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    raise RuleError("kind_unknown", _(
        "“%(value)s” is not a kind of institution; use one of: %(words)s.") % {
        "value": text, "words": "、".join(["职业院校", "特殊教育学校", "技工院校", "职业培训机构",
                                           "企业", "社会组织", "公共实训基地", "其他"])})


def _features(value: object) -> list[str] | None:
    text = cell_text(value).translate(_SEPARATORS)
    if not text:
        return None
    found = []
    for word in filter(None, text.split("、")):
        if word not in FEATURE_WORDS:
            raise RuleError("feature_unknown", _(
                "“%(value)s” is not an accessibility feature; use: %(words)s.") % {
                "value": word, "words": "、".join(FEATURE_WORDS)})
        found.append(FEATURE_WORDS[word])
    return found


def _capacity(value: object) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if text.endswith(".0"):
        text = text[:-2]
    if not (text.isascii() and text.isdigit()):
        raise RuleError("capacity_format", _(
            "The number of trainees at a time must be a whole number, like 60."))
    if len(text) > len(str(MAX_CAPACITY)) or int(text) > MAX_CAPACITY:
        raise RuleError("capacity_range", _(
            "The number of trainees at a time must be between 0 and %(max)s.") % {
            "max": MAX_CAPACITY})
    return int(text)


class ProvidersTemplate(ImportTemplate):
    kind = "providers"
    title = _("Training providers")
    columns = PROVIDER_COLUMNS
    key_field = "credit_code"
    job_prefix = "providers.providers"
    file_title = "培训机构名册"
    duplicate_message = _("The same unified social credit code is already on row %(row)s of "
                          "this file; this row was not imported.")

    def __init__(self) -> None:
        self.regions: RegionIndex | None = None

    def check_actor(self, actor: Any) -> None:
        if (actor is None or not actor.has_perm(roles.CHANGE_PROVIDER)
                or scope_of(actor).reach not in (Reach.PROVINCE, Reach.REGION)):
            raise PermissionDenied

    def begin(self, actor: Any) -> None:
        self.regions = region_index()

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        if self.regions is None:
            self.begin(None)
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        key = None

        def take(name: str, parse: Any) -> None:
            try:
                values[name] = parse(raw.get(name))
            except RuleError as error:
                problems.append(Problem(name, error.code, str(error.message)))

        values["name"] = cell_text(raw.get("name"))
        if not values["name"]:
            problems.append(Problem("name", "required", str(_("Give the institution's name."))))
        take("credit_code", services.clean_credit_code)
        key = values.get("credit_code")
        take("region", lambda v: self.regions.resolve(v))  # type: ignore[union-attr]
        take("kind", _kind)
        take("public_phone", services.clean_phone)
        take("contact_phone", services.clean_phone)
        take("capacity", _capacity)
        take("features", _features)
        for name in ("address", "contact_name", "licence_number"):
            values[name] = cell_text(raw.get(name))
        return RowCheck(None if problems else values, problems, [], key)

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        outcome = BatchOutcome()
        with transaction.atomic():
            for number, values in rows:
                try:
                    with transaction.atomic():  # one savepoint a row: a refused row leaves
                        result = _upsert(actor, values)  # nothing behind
                except RuleError as error:
                    outcome.rejected.append((number, _field_of(error.code), error.code,
                                             str(error.message)))
                    continue
                except ValidationError as error:
                    outcome.rejected.append((number, "name", "invalid", "; ".join(
                        error.messages)))
                    continue
                setattr(outcome, result, getattr(outcome, result) + 1)
            if dry_run:  # a check counts exactly like the import, then leaves no trace
                transaction.set_rollback(True)
        return outcome

    def sample_row(self) -> list[Any]:
        return ["长沙市示例职业培训学校", SAMPLE_CODE, "职业培训机构", "长沙市芙蓉区",
                "长沙市芙蓉区示例路1号", "0731-84561234", "王老师", "13800138000", "60",
                "湘教民办字第0001号", "无障碍通道、无障碍卫生间、手语服务"]


def _field_of(code: str) -> str:
    return {"region_out_of_scope": "region", "region_level": "region"}.get(code, "credit_code")


def _upsert(actor: Any, values: dict[str, Any]) -> str:
    """"created", "updated" or "unchanged" for one checked row."""
    region = values["region"]
    if not can_act_on_region(actor, region.code, permission=roles.CHANGE_PROVIDER):
        raise RuleError("region_out_of_scope", _(
            "This county lies outside your area; import providers of your own area only."))
    existing = Provider.objects.filter(credit_code=values["credit_code"]).first()
    fields = {name: values[name] for name in (
        "name", "credit_code", "kind", "address", "public_phone", "contact_name",
        "contact_phone", "capacity", "licence_number") if values.get(name) not in ("", None)}
    if values.get("features") is not None:
        chosen = set(values["features"])
        fields.update({name: name in chosen for name, _label in ACCESSIBILITY_FEATURES})
    county = Region.objects.get(code=region.code)
    if existing is None:
        services.provider_create(actor=actor, values=services.ProviderValues(
            region=county, fields={"kind": ProviderKind.TRAINING_INSTITUTION, **fields}))
        return "created"
    if not can_act_on_region(actor, existing.region_code, permission=roles.CHANGE_PROVIDER):
        raise RuleError("region_out_of_scope", _(
            "A provider with this credit code is registered outside your area (%(region)s); "
            "its own federation must change it.") % {"region": existing.region_code})
    current = {name: getattr(existing, name) for name in services.PROVIDER_FIELDS}
    merged = {**current, **fields}
    version = existing.version
    updated = services.provider_update(actor=actor, provider=existing, values=services.
                                       ProviderValues(region=county, fields=merged),
                                       expected_version=version)
    return "unchanged" if updated.version == version else "updated"


def providers_template_file(path: str | Path) -> None:
    template = ProvidersTemplate()
    write_xlsx(path, sheet_title=template.file_title,
               headers=[column.header for column in PROVIDER_COLUMNS],
               rows=[template.sample_row()],
               text_columns=[index for index, column in enumerate(PROVIDER_COLUMNS)
                             if column.key in TEXT_COLUMNS])
