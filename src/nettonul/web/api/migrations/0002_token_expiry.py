"""API tokens expire: tokens made before this migration get one year from now."""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

import nettonul.web.api.models


def give_existing_tokens_a_year(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + dt.timedelta(days=365))


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(give_existing_tokens_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=nettonul.web.api.models.default_expiry, verbose_name="expires"),
        ),
    ]
