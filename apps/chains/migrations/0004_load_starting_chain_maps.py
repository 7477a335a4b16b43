from django.db import migrations


def forwards(apps, schema_editor):
    from apps.chains.reference import load_chain_maps

    load_chain_maps(apps.get_model("chains", "Cluster"), apps.get_model("chains", "ChainLink"),
                    apps.get_model("chains", "ChainMapVersion"))


def backwards(apps, schema_editor):
    apps.get_model("chains", "ChainMapVersion").objects.all().delete()
    links = apps.get_model("chains", "ChainLink").objects
    # Children first: parent is PROTECT.
    while links.exists():
        links.filter(children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("chains", "0003_chain_maps_and_placements")]
    operations = [migrations.RunPython(forwards, backwards)]
