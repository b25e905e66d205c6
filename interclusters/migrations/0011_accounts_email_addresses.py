"""Accounts move to django-allauth: every existing person gets their address as the
primary EmailAddress. Staff accounts (created by the team) count as confirmed; members'
addresses were never confirmed, so they are not: a member confirms theirs the first time
they register for an event, propose a practice or are linked to a structure (the link is
sent then). Nobody loses their account, password or sign-in."""

from django.db import migrations


def addresses_from_accounts(apps, schema_editor):
    User = apps.get_model("interclusters", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    known = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                user_id=user_id,
                email=email.lower(),
                primary=True,
                verified=bool(is_staff or is_superuser),
            )
            for user_id, email, is_staff, is_superuser in User.objects.values_list(
                "id", "email", "is_staff", "is_superuser"
            )
            if user_id not in known and email
        ],
        batch_size=1000,
    )


def forget_addresses(apps, schema_editor):
    apps.get_model("account", "EmailAddress").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interclusters", "0010_outbox_permissions"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(addresses_from_accounts, forget_addresses)]
