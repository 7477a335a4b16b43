from django.db import migrations


def forwards(apps, schema_editor):
    from apps.units.reference import load_units

    load_units(apps.get_model("units", "Unit"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
