"""The live-project count kept by triggers (apps/projects/live_count.py says why and how)."""

from django.db import migrations


def install(apps, schema_editor):
    from apps.projects import live_count

    live_count.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from apps.projects import live_count

    live_count.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0007_project_live_list_indexes"),
    ]

    operations = [
        migrations.RunPython(install, uninstall, elidable=False),
    ]
