from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="importupload",
            name="options",
            field=models.JSONField(blank=True, default=dict, verbose_name="options"),
        ),
    ]
