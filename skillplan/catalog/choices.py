"""The words of the training catalog: training types and sub-types (requirements.md, "Training
supply"), delivery, accommodations, new-economy kinds and the project lifecycle.

Values are stable codes; labels are English msgids translated through the zh_Hans catalog. The
Chinese words an import file may use are listed beside each choice (``*_WORDS``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingType(models.TextChoices):
    EMPLOYMENT = "employment", _("Employment skills training (incl. pre-employment training)")
    RURAL = "rural", _("Rural practical skills training")
    MASSAGE = "massage", _("Health-care (medical) massage training")
    SPECIAL = "special", _("Special training")
    ON_THE_JOB = "on_the_job", _("On-the-job skills upgrading training")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship and innovation training")
    HIGH_SKILL = "high_skill", _("Mid- and high-skill talent training")
    EMPLOYER = "employer", _("Employer training")
    SERVICE_STAFF = "service_staff", _("Employment service staff training")


class SubType(models.TextChoices):
    # 就业技能培训: the five project classes, and order-based training for a named employer
    ICT = "ict", _("Information, communication and new-generation IT")
    ART = "art", _("Fine arts")
    HANDICRAFT = "handicraft", _("Handicrafts")
    INDUSTRY = "industry", _("Industry and advanced manufacturing")
    SERVICES = "services", _("Services")
    ORDER_BASED = "order_based", _("Order-based training for an employer")
    # 农村实用技术培训
    PLANTING = "planting", _("Planting")
    BREEDING = "breeding", _("Animal breeding")
    PROCESSING = "processing", _("Processing of farm products")
    TRADITIONAL_CRAFT = "traditional_craft", _("Traditional handicrafts")
    # 特色培训
    FOLK_ART = "folk_art", _("Folk arts and crafts")
    ETHNIC_SKILL = "ethnic_skill", _("Traditional ethnic skills")
    HERITAGE = "heritage", _("Intangible cultural heritage")
    BEAUTY_WORKSHOP = "beauty_workshop", _("Beautiful Workshop (for disabled women)")
    # 岗位技能提升培训
    PRE_JOB = "pre_job", _("Pre-job")
    IN_JOB = "in_job", _("In-job")
    JOB_TRANSFER = "job_transfer", _("Job transfer")
    # 创业创新培训
    STARTUP_SKILLS = "startup_skills", _("Start-up skills")
    STARTUP_DIGITAL = "startup_digital", _("Start-up upgrading: digital skills")
    STARTUP_NEW_MEDIA = "startup_new_media", _("Start-up upgrading: new-media marketing")
    STARTUP_ECOMMERCE = "startup_ecommerce", _("Start-up upgrading: e-commerce")


SUB_TYPES: dict[str, tuple[str, ...]] = {
    TrainingType.EMPLOYMENT: (SubType.ICT, SubType.ART, SubType.HANDICRAFT, SubType.INDUSTRY,
                              SubType.SERVICES, SubType.ORDER_BASED),
    TrainingType.RURAL: (SubType.PLANTING, SubType.BREEDING, SubType.PROCESSING,
                         SubType.TRADITIONAL_CRAFT),
    TrainingType.SPECIAL: (SubType.FOLK_ART, SubType.ETHNIC_SKILL, SubType.HERITAGE,
                           SubType.BEAUTY_WORKSHOP),
    TrainingType.ON_THE_JOB: (SubType.PRE_JOB, SubType.IN_JOB, SubType.JOB_TRANSFER),
    TrainingType.ENTREPRENEURSHIP: (SubType.STARTUP_SKILLS, SubType.STARTUP_DIGITAL,
                                    SubType.STARTUP_NEW_MEDIA, SubType.STARTUP_ECOMMERCE),
}
# Types whose projects name an occupation of the 2022 classification (others may).
OCCUPATION_REQUIRED = frozenset({TrainingType.EMPLOYMENT, TrainingType.MASSAGE,
                                 TrainingType.ON_THE_JOB, TrainingType.HIGH_SKILL})


class Delivery(models.TextChoices):
    OFFLINE = "offline", _("In person")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended (in person and online)")


class Accommodation(models.IntegerChoices):
    """What a project offers so that disabled trainees can take part; bits of a number."""

    SIGN_LANGUAGE = 1, _("Sign-language interpreting")
    BRAILLE = 2, _("Braille materials")
    LARGE_PRINT = 4, _("Large-print materials")
    EASY_READ = 8, _("Easy-read materials")
    ACCESSIBLE_VENUE = 16, _("Accessible venue")
    CAPTIONS = 32, _("Captions on videos")
    SCREEN_READER = 64, _("Online materials that work with screen readers")


class NewEconomy(models.TextChoices):
    """New-economy projects the plan wants flagged (电商客服, 电商美工, 电商运营, 网络直播)."""

    ECOMMERCE_SERVICE = "ecommerce_service", _("E-commerce customer service")
    ECOMMERCE_DESIGN = "ecommerce_design", _("E-commerce graphic design")
    ECOMMERCE_OPERATIONS = "ecommerce_operations", _("E-commerce operations")
    LIVE_STREAMING = "live_streaming", _("Live-stream selling")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EDITABLE = frozenset({ProjectStatus.DRAFT, ProjectStatus.RETURNED})

# --- Chinese words (import files, the API) -----------------------------------------------------

TYPE_WORDS: dict[str, str] = {
    "就业技能培训": TrainingType.EMPLOYMENT, "劳动预备制培训": TrainingType.EMPLOYMENT,
    "劳动预备制": TrainingType.EMPLOYMENT,
    "农村实用技术培训": TrainingType.RURAL, "农村实用技术": TrainingType.RURAL,
    "保健(医疗)按摩培训": TrainingType.MASSAGE, "保健按摩培训": TrainingType.MASSAGE,
    "医疗按摩培训": TrainingType.MASSAGE, "按摩培训": TrainingType.MASSAGE,
    "特色培训": TrainingType.SPECIAL,
    "岗位技能提升培训": TrainingType.ON_THE_JOB,
    "创业创新培训": TrainingType.ENTREPRENEURSHIP, "创业培训": TrainingType.ENTREPRENEURSHIP,
    "中高技能人才培训": TrainingType.HIGH_SKILL,
    "用人单位雇主培训": TrainingType.EMPLOYER, "雇主培训": TrainingType.EMPLOYER,
    "就业服务人员培训": TrainingType.SERVICE_STAFF,
}  # fmt: skip
SUB_TYPE_WORDS: dict[str, str] = {
    "信息通信及新一代信息技术类": SubType.ICT, "信息技术类": SubType.ICT,
    "美术专业类": SubType.ART, "手工业类": SubType.HANDICRAFT,
    "工业及先进制造类": SubType.INDUSTRY, "服务类": SubType.SERVICES,
    "定岗式": SubType.ORDER_BASED, "定单式": SubType.ORDER_BASED,
    "订单式": SubType.ORDER_BASED, "定岗/定单式": SubType.ORDER_BASED,
    "种植": SubType.PLANTING, "养殖": SubType.BREEDING, "加工": SubType.PROCESSING,
    "传统手工艺": SubType.TRADITIONAL_CRAFT,
    "民间工艺": SubType.FOLK_ART, "民族传统技艺": SubType.ETHNIC_SKILL,
    "非遗传承": SubType.HERITAGE, "美丽工坊": SubType.BEAUTY_WORKSHOP,
    "岗前": SubType.PRE_JOB, "岗前培训": SubType.PRE_JOB, "在岗": SubType.IN_JOB,
    "在岗培训": SubType.IN_JOB, "转岗": SubType.JOB_TRANSFER, "转岗培训": SubType.JOB_TRANSFER,
    "创业技能": SubType.STARTUP_SKILLS, "数字技能": SubType.STARTUP_DIGITAL,
    "新媒体营销": SubType.STARTUP_NEW_MEDIA, "电子商务": SubType.STARTUP_ECOMMERCE,
}  # fmt: skip
DELIVERY_WORDS: dict[str, str] = {
    "线下": Delivery.OFFLINE, "面授": Delivery.OFFLINE, "线上": Delivery.ONLINE,
    "网络": Delivery.ONLINE, "混合": Delivery.BLENDED, "线上线下混合": Delivery.BLENDED,
    "线上+线下": Delivery.BLENDED,
}  # fmt: skip
ACCOMMODATION_WORDS: dict[str, int] = {
    "手语": Accommodation.SIGN_LANGUAGE, "手语翻译": Accommodation.SIGN_LANGUAGE,
    "盲文": Accommodation.BRAILLE, "大字": Accommodation.LARGE_PRINT,
    "大字版": Accommodation.LARGE_PRINT, "易读": Accommodation.EASY_READ,
    "易读版": Accommodation.EASY_READ, "无障碍场地": Accommodation.ACCESSIBLE_VENUE,
    "无障碍环境": Accommodation.ACCESSIBLE_VENUE, "字幕": Accommodation.CAPTIONS,
    "读屏": Accommodation.SCREEN_READER, "读屏软件": Accommodation.SCREEN_READER,
}  # fmt: skip
# Words in a project's name that make it a new-economy project, first match wins.
NEW_ECONOMY_WORDS: tuple[tuple[str, str], ...] = (
    ("客服", NewEconomy.ECOMMERCE_SERVICE),
    ("美工", NewEconomy.ECOMMERCE_DESIGN),
    ("直播", NewEconomy.LIVE_STREAMING),
    ("带货", NewEconomy.LIVE_STREAMING),
    ("运营", NewEconomy.ECOMMERCE_OPERATIONS),
)
