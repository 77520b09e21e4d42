"""The "Support agent" group: works the queue (views and changes requests, writes replies and
internal notes) and can do nothing else in the admin: no users, groups or other settings.

Give a support engineer `is_staff` and this group. Permissions are normally created after all
migrations have run; they are created here first so the group can be given them on a fresh
database too.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Support agent"
PERMISSIONS = [
    ("ticket", "view_ticket"),
    ("ticket", "change_ticket"),
    ("ticketmessage", "view_ticketmessage"),
    ("ticketmessage", "add_ticketmessage"),
    ("statuschange", "view_statuschange"),
]


def create_group(apps, schema_editor):
    support = apps.get_app_config("support")
    support.models_module = True
    create_permissions(support, apps=apps, verbosity=0)
    support.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label="support", codename=codename)
            for _model, codename in PERMISSIONS
        ]
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_desk_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
