"""One quantified target per plan, year and sector, enforced by the database."""

from typing import Any

from django.db import migrations, models
from django.db.models import Count


def refuse_duplicates(apps: Any, schema_editor: Any) -> None:
    """Name the plans whose targets break the rule (the constraint would fail without saying which)."""
    target = apps.get_model("plans", "Target")
    clashes = (target.objects.exclude(kind="qualitative").values("plan_id", "year", "sector")
               .annotate(n=Count("id")).filter(n__gt=1).order_by("plan_id", "year"))
    if clashes:
        listed = "; ".join(f"plan {c['plan_id']} year {c['year']}{' sector ' + c['sector'] if c['sector'] else ''}"
                           for c in clashes[:20])
        raise RuntimeError("several quantified targets for the same year and sector (the scenario cannot use "
                           f"them): {listed}. Delete or change all but one of each, then migrate again.")


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(refuse_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='target',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'qualitative'), _negated=True),
                                               fields=('plan', 'year', 'sector'),
                                               name='one_quantified_target_per_year_and_sector'),
        ),
    ]
