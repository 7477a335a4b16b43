from django.db import migrations

# Postings of a large import wait here (appended, unsorted, no index) and are merged into
# organisations_searchkey in one sorted pass when the import ends: random inserts into an index
# bigger than the page cache are what made million-row imports slow. See search.merge_pending.
CREATE = ("CREATE TABLE organisations_searchkey_pending (key {text} NOT NULL, name_len {small} NOT NULL, "
          "organisation_id integer NOT NULL)")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE.format(text="TEXT", small="INTEGER"))
    else:
        schema_editor.execute(CREATE.format(text='text COLLATE "C"', small="smallint"))


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE organisations_searchkey_pending")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_library_at_scale")]
    operations = [migrations.RunPython(create, drop)]
