"""The catalog template (培训目录清单), import KIND ``projects``: every row becomes a draft.

Columns are matched by header (or alias) in any order; each row goes through
``rules.check_project`` (the one validation of a project) and valid rows are written through
``services.projects_import_batch`` (scope, audit trail). A row whose project (same name, same
region) is already a draft updates that draft; an identical row changes nothing, so importing
the same file twice creates nothing new.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from skillplan.accounts import roles
from skillplan.accounts.scoping import Reach, restrict, scope_of
from skillplan.catalog.choices import (
    ACCOMMODATION_WORDS,
    DELIVERY_WORDS,
    SUB_TYPE_WORDS,
    TYPE_WORDS,
    Accommodation,
    Delivery,
    SubType,
    TrainingType,
)
from skillplan.catalog.rules import ProjectValues, check_project
from skillplan.catalog.services import projects_import_batch
from skillplan.core.credit_code import parse_credit_code
from skillplan.core.disability import parse_category
from skillplan.core.errors import RuleError
from skillplan.core.excel import write_xlsx
from skillplan.core.imports.engine import BatchOutcome, ImportTemplate, Problem, RowCheck
from skillplan.core.imports.reader import Column
from skillplan.core.text import cell_text, normalize_text
from skillplan.providers.models import Provider
from skillplan.regions.models import Region, RegionLevel

PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("name", "项目名称", ("培训项目名称", "项目"), required=True),
    Column("training_type", "培训类型", required=True),
    Column("sub_type", "项目类别", ("培训类别", "子类型")),
    Column("employer_name", "用人单位", ("定岗单位", "合作用人单位")),
    Column("occupation_code", "职业编码", ("职业代码",)),
    Column("occupation_name", "职业名称", ("职业(工种)", "工种")),
    Column("days", "培训天数", ("天数",), required=True),
    Column("hours", "培训课时", ("课时", "学时"), required=True),
    Column("delivery", "培训方式", ("授课方式",), required=True),
    Column("fee_standard", "收费标准", ("收费标准(元/人)", "培训费标准"), required=True),
    Column("categories", "服务残疾类别", ("残疾类别",), required=True),
    Column("accommodations", "无障碍支持", ("无障碍服务",)),
    Column("providers", "承训机构统一社会信用代码", ("承训机构信用代码", "统一社会信用代码")),
    Column("region", "所属地区", ("地区", "市州")),
    Column("summary", "培训内容", ("项目简介",)),
)
MAX_NUMBER_DIGITS = 6  # days and hours: anything longer is a typing slip
_SPLIT = re.compile(r"[、,，;；/\s]+")


def _words(text: str) -> list[str]:
    return [word for word in _SPLIT.split(text) if word]


def _plain(value: object) -> str:
    """Compare cells and labels alike: no spaces, ASCII brackets and colons."""
    return (normalize_text(value).replace(" ", "").replace("（", "(").replace("）", ")")
            .replace("：", ":"))


def _choice(raw: object, words: dict[str, str], choices: Any) -> str:
    text = _plain(raw)
    if not text:
        return ""
    if text in words:
        return words[text]
    by_label = {_plain(label): value for value, label in choices.choices}
    if text in choices.values:
        return text
    return by_label.get(text, "?")


def _region_names(region: Region) -> set[str]:
    """长沙市 / 长沙 / 4301; 湘西土家族苗族自治州 / 湘西州 / 湘西."""
    names = {region.code, region.name, region.full_name, region.name.removesuffix("市")}
    if region.name.endswith("自治州"):
        names |= {region.name[:2] + "州", region.name[:2]}
    return names


class ProjectsTemplate(ImportTemplate):
    kind = "projects"
    title = _("Training catalog")
    columns = PROJECT_COLUMNS
    key_field = "name"
    job_prefix = "catalog.projects"
    file_title = "培训目录清单"
    duplicate_message = _("The same project (name and region) is already on row %(row)s of "
                          "this file; this row was not imported.")

    def __init__(self) -> None:
        self.providers: dict[str, Provider] = {}
        self.regions: dict[str, Region] = {}
        self.default_region: Region | None = None

    def check_actor(self, actor: Any) -> None:
        if actor is None or not actor.has_perm(roles.CHANGE_PROJECT):
            raise PermissionDenied

    def begin(self, actor: Any) -> None:
        # Only providers of the importer's area, as on the form (the service checks again).
        area = (restrict(Provider.objects.all(), actor, permission=roles.VIEW_PROVIDER)
                if actor is not None else Provider.objects.none())
        self.providers = {p.credit_code: p for p in area.exclude(credit_code=None)
                          .exclude(credit_code="")}
        province = settings.SKILLPLAN_PROVINCE_CODE
        self.regions = {}
        for region in Region.objects.filter(level__in=(RegionLevel.PROVINCE, RegionLevel.CITY),
                                            valid_to__isnull=True, code__startswith=province):
            for key in _region_names(region):
                self.regions[key] = region
        if province in self.regions:
            self.regions["全省"] = self.regions["省级"] = self.regions[province]
        scope = scope_of(actor) if actor is not None else None
        if scope is not None and scope.reach in (Reach.PROVINCE, Reach.REGION):
            self.default_region = self.regions.get(scope.region_code)

    def _region(self, raw: object, problems: list[Problem]) -> Region | None:
        text = cell_text(raw).replace(" ", "")
        if not text:
            if self.default_region is None:
                problems.append(Problem("region", "region_required", str(_(
                    "Give the region: the city's name, or 全省 for a province-wide project."))))
            return self.default_region
        region = self.regions.get(text)
        if region is None:
            problems.append(Problem("region", "region_unknown", str(_(
                "No city “%(value)s” is known; write the city's name, such as 长沙市, or 全省.")
                % {"value": text})))
        return region

    def _providers(self, raw: object, problems: list[Problem]) -> list[Provider]:
        found = []
        for word in _words(cell_text(raw)):
            try:
                code = parse_credit_code(word)
            except RuleError as error:
                problems.append(Problem("providers", error.code, str(error.message)))
                continue
            provider = self.providers.get(code)
            if provider is None:
                problems.append(Problem("providers", "provider_unknown", str(_(
                    "No provider with the credit code %(code)s is registered in your area; "
                    "register it first or correct the code. A provider of another area can "
                    "only be added by the province.") % {"code": code})))
            else:
                found.append(provider)
        return found

    def _number(self, raw: object, key: str, problems: list[Problem]) -> int:
        text = cell_text(raw)
        if not (text.isascii() and text.isdigit()):
            problems.append(Problem(key, f"{key}_invalid", str(_(
                "Write a whole number, such as 15.") if text else _("This column is required."))))
            return 0
        if len(text) > MAX_NUMBER_DIGITS:
            problems.append(Problem(key, f"{key}_invalid", str(_(
                "This number is far too large; check the cell."))))
            return 0
        return int(text)

    def check_row(self, raw: dict[str, Any]) -> RowCheck:
        problems: list[Problem] = []
        training_type = _choice(raw.get("training_type"), TYPE_WORDS, TrainingType)
        if training_type in ("", "?"):
            problems.append(Problem("training_type", "type_invalid", str(_(
                "Unknown training type; use one of the types of the catalog, such as "
                "就业技能培训 or 农村实用技术培训."))))
        sub_type = _choice(raw.get("sub_type"), SUB_TYPE_WORDS, SubType)
        if sub_type == "?":
            problems.append(Problem("sub_type", "sub_type_invalid", str(_(
                "Unknown project class, such as 服务类, 种植 or 岗前."))))
        delivery = _choice(raw.get("delivery"), DELIVERY_WORDS, Delivery)
        if delivery in ("", "?"):
            problems.append(Problem("delivery", "delivery_invalid", str(_(
                "Write 线下, 线上 or 混合."))))
        try:
            fee = Decimal(cell_text(raw.get("fee_standard")).replace("元", "") or "x")
        except InvalidOperation:
            fee = Decimal("-1")
        categories = []
        for word in _words(cell_text(raw.get("categories"))):
            try:
                categories.append(parse_category(word))
            except RuleError as error:
                problems.append(Problem("categories", error.code, str(error.message)))
        accommodations = 0
        for word in _words(cell_text(raw.get("accommodations"))):
            bit = ACCOMMODATION_WORDS.get(word) or {
                str(label): value for value, label in Accommodation.choices}.get(word)
            if bit is None:
                problems.append(Problem("accommodations", "accommodation_unknown", str(_(
                    "Unknown accommodation “%(value)s”; use 手语, 盲文, 大字, 易读, 无障碍场地, "
                    "字幕 or 读屏.") % {"value": word})))
            else:
                accommodations |= bit
        values = ProjectValues(
            name=normalize_text(raw.get("name")), training_type=training_type,
            sub_type="" if sub_type == "?" else sub_type,
            employer_name=normalize_text(raw.get("employer_name")),
            occupation_code=cell_text(raw.get("occupation_code")),
            occupation_name=normalize_text(raw.get("occupation_name")),
            days=self._number(raw.get("days"), "days", problems),
            hours=self._number(raw.get("hours"), "hours", problems),
            delivery=delivery, fee_standard=fee, categories=categories,
            accommodations=accommodations, summary=normalize_text(raw.get("summary"))[:1000],
            region=self._region(raw.get("region"), problems),
            providers=self._providers(raw.get("providers"), problems),
        )
        reported = {problem.field for problem in problems}
        for problem in check_project(values):
            if problem.field not in reported:
                problems.append(Problem(problem.field, problem.code, str(problem.message)))
        key = f"{values.region.code if values.region else ''}|{values.name}"
        return RowCheck(None if problems else values, problems, [], key if values.name else None)

    def write_batch(self, *, actor: Any, rows: list[tuple[int, Any]], dry_run: bool
                    ) -> BatchOutcome:
        outcome = projects_import_batch(actor=actor, rows=rows, dry_run=dry_run)
        return BatchOutcome(outcome.created, outcome.updated, outcome.unchanged,
                            outcome.rejected)

    def sample_row(self) -> list[Any]:
        return ["电商客服专项技能培训", "就业技能培训", "服务类", "", "4-02-02-01", "电子商务师",
                15, 120, "混合", 1800, "肢体、听力", "手语、无障碍场地", "", "长沙市",
                "示例行，导入前请删除"]


def projects_template_file(path: str | Path) -> None:
    """The empty catalog template: the header row and one sample row."""
    template = ProjectsTemplate()
    write_xlsx(path, sheet_title=template.file_title,
               headers=[column.header for column in PROJECT_COLUMNS],
               rows=[template.sample_row()],
               text_columns=[index for index, column in enumerate(PROJECT_COLUMNS)
                             if column.key in ("occupation_code", "providers")])
