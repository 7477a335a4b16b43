"""The default time limit of each category of request, in calendar days (office admins change them on
/requests/deadlines/)."""

from django.db import migrations

DEFAULTS = {"land": 15, "planning": 10, "utilities": 7, "talent": 10, "finance": 15, "policy": 7, "other": 10}


def seed(apps, schema_editor):
    CategoryDeadline = apps.get_model("servicedesk", "CategoryDeadline")
    for category, days in DEFAULTS.items():
        CategoryDeadline.objects.get_or_create(category=category, defaults={"days": days})


def unseed(apps, schema_editor):
    apps.get_model("servicedesk", "CategoryDeadline").objects.filter(category__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0001_service_requests")]
    operations = [migrations.RunPython(seed, unseed)]
