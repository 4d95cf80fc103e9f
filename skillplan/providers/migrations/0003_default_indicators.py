"""The indicators of the plan's annual base evaluation (configurable afterwards)."""

from decimal import Decimal

from django.db import migrations

# code, name, unit, weight, reference, negative
INDICATORS = [
    ("trainees_trained", "年度培训残疾人人数", "人", "20", "200", False),
    ("completion_rate", "结业率", "%", "15", "95", False),
    ("certificate_rate", "取证率", "%", "15", "90", False),
    ("satisfaction", "学员满意度", "%", "15", "95", False),
    ("third_party_rating", "第三方评估得分", "分", "15", "100", False),
    ("complaints", "有效投诉", "件", "5", "5", True),
    ("employment_rate", "培训后就业率", "%", "15", "80", False),
]


def add_indicators(apps, schema_editor):
    Indicator = apps.get_model("providers", "EvaluationIndicator")
    for order, (code, name, unit, weight, reference, negative) in enumerate(INDICATORS, 1):
        Indicator.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "weight": Decimal(weight),
            "reference": Decimal(reference), "negative": negative, "order": order * 10,
        })


class Migration(migrations.Migration):

    dependencies = [
        ("providers", "0002_registry_and_bases"),
    ]

    operations = [
        migrations.RunPython(add_indicators, migrations.RunPython.noop),
    ]
