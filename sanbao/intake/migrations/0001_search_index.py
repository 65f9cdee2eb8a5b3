"""The full-text index of matters: an FTS5 virtual table on SQLite, a tsvector table with a GIN index on PostgreSQL.

Plain SQL rather than a model: FTS5 virtual tables cannot be described by
Django models. The statements live in ``sanbao.intake.search`` so the
migration and the code that writes the table cannot drift apart.
"""

from django.db import migrations


def create_index(apps, schema_editor):
    from sanbao.intake.search import backend

    for statement in backend(schema_editor.connection.vendor).create_sql.split(";"):
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    from sanbao.intake.search import backend

    schema_editor.execute(backend(schema_editor.connection.vendor).drop_sql)


class Migration(migrations.Migration):
    dependencies = [("matters", "0003_alter_matterevent_verb")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
