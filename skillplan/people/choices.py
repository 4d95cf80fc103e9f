"""Value lists of the person record, with the Chinese spellings clerks type in Excel."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class UrbanRural(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class EmploymentStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Not employed")
    EMPLOYED = "employed", _("Employed")
    STUDENT = "student", _("In school")
    OTHER = "other", _("Other")


class SpecialGroup(models.IntegerChoices):
    """Groups that cannot be derived from other fields, stored as bits of ``Person.flags``.

    Derived groups are filters, not flags: disabled women (gender), blind persons (visual
    category), rural disabled persons (rural), students (employment status).
    """

    HERITAGE_BEARER = 1, _("Intangible heritage bearer")
    COMPETITION_WINNER = 2, _("Skills competition winner")
    LOW_INCOME = 4, _("Low-income family")
    VETERAN = 8, _("Veteran")


# Spellings accepted in import files (always Chinese, whatever the UI language).
GENDER_WORDS = {"男": "M", "男性": "M", "女": "F", "女性": "F"}
URBAN_RURAL_WORDS = {"城镇": "urban", "城市": "urban", "非农业": "urban", "非农": "urban",
                     "农村": "rural", "农业": "rural"}
EDUCATION_WORDS = {
    "未上过学": "none", "文盲": "none", "小学": "primary", "初中": "junior", "高中": "senior",
    "中专/中技": "vocational", "中专": "vocational", "中技": "vocational", "职高": "vocational",
    "大专": "college", "专科": "college", "本科": "bachelor", "大学本科": "bachelor",
    "研究生": "postgraduate", "硕士": "postgraduate", "博士": "postgraduate",
}
EMPLOYMENT_WORDS = {"未就业": "unemployed", "失业": "unemployed", "已就业": "employed",
                    "就业": "employed", "在校": "student", "在读": "student", "其他": "other"}
SPECIAL_GROUP_WORDS = {"非遗传承人": 1, "竞赛获奖者": 2, "低保": 4, "低保户": 4,
                       "困难家庭": 4, "退役军人": 8}

ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族",
)  # fmt: skip

AGE_BANDS = {
    "16-24": (16, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
    "55-59": (55, 59), "60+": (60, 200), "under16": (0, 15),
}
