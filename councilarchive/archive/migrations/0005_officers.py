"""The "Officers" group: exactly what the upload / review / correct workflow needs (issue #6).

No auth permissions (officers cannot manage users or groups); delete only where deleting a
Document cascades (Django's admin asks for delete permission on every cascaded record) or where a
merge removes a Councillor; the audit log is view-only.
"""

from django.db import migrations

OFFICER_PERMISSIONS = {
    ("archive", "document"): ["add", "change", "delete", "view"],
    ("archive", "page"): ["delete", "view"],
    ("archive", "council"): ["view"],
    ("archive", "committee"): ["add", "change", "view"],
    ("archive", "meeting"): ["change", "view"],
    ("archive", "item"): ["add", "change", "delete", "view"],
    ("archive", "resolution"): ["add", "change", "delete", "view"],
    ("archive", "vote"): ["add", "change", "delete", "view"],
    ("archive", "councillorvote"): ["add", "change", "delete", "view"],
    ("archive", "attendance"): ["add", "change", "delete", "view"],
    ("archive", "report"): ["change", "delete", "view"],
    ("archive", "declaration"): ["delete", "view"],
    ("archive", "councillor"): ["add", "change", "delete", "view"],
    ("archive", "alias"): ["add", "change", "delete", "view"],
    ("admin", "logentry"): ["view"],
}


def codenames():
    for (app_label, model), actions in OFFICER_PERMISSIONS.items():
        for action in actions:
            yield app_label, f"{action}_{model}"


def create_officers(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for label in ("archive", "admin"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Officers")
    permissions = []
    for app_label, codename in codenames():
        permissions.append(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    group.permissions.set(permissions)


def remove_officers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Officers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_search"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_officers, remove_officers)]
