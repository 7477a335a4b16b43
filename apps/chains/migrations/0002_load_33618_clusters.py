from django.db import migrations


def forwards(apps, schema_editor):
    from apps.chains.reference import load_clusters

    load_clusters(apps.get_model("chains", "Cluster"))


class Migration(migrations.Migration):
    dependencies = [("chains", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
