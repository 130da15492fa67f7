from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors compose and send editions and see the subscriber counts; only administrators
# (superusers) see more. Kept here rather than in accounts.roles: this app owns them.
PERMISSIONS = {
    "Editors": ["add_edition", "change_edition", "view_edition", "view_subscriber"],
    "Administrators": [
        "add_edition", "change_edition", "view_edition", "view_subscriber",
        "view_consentrecord", "view_suppression", "view_delivery",
    ],
}  # fmt: skip


def grant(apps, schema_editor):  # noqa: ANN001 - migration signature
    app_config = apps.get_app_config("newsletter")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="newsletter", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
