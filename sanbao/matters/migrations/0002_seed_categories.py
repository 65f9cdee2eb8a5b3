from django.db import migrations


def seed(apps, schema_editor):
    from sanbao.matters.categories import seed_categories

    seed_categories(apps.get_model("matters", "CategoryScheme"), apps.get_model("matters", "Category"))


def unseed(apps, schema_editor):
    apps.get_model("matters", "Category").objects.all().delete()
    apps.get_model("matters", "CategoryScheme").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
