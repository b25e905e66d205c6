"""Demo data for development and demonstrations: `manage.py load_demo_data`.

Every function is idempotent: running the command twice leaves the same data.
Demo accounts use the reserved domain settings.DEMO_EMAIL_DOMAIN, which also makes the
site show its "demo data" banner.
"""

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import transaction

from core.permissions import FRANCE_CLUSTERS_TEAM, MEMENTO_PUBLISHERS
from devdata.demo.directory import directory_demo_load
from devdata.demo.events import events_demo_load
from devdata.demo.mementos import mementos_demo_load
from devdata.demo.surveys import surveys_demo_load
from interclusters.models import User
from interclusters.selectors import DEMO_CACHE_KEY

# Public on purpose: printed by `make run` so that anyone trying the portal can sign in.
DEMO_PASSWORD = "interclusters-demo"  # noqa: S105
# The demo staff's authenticator-app key (base32), public on purpose as well: add it to an
# authenticator app, or run `manage.py demo_code` for the code of the moment.
DEMO_TOTP_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"  # noqa: S105


def totp_code(secret: str) -> str:
    """The code an authenticator app holding ``secret`` shows now: the current period's.
    (allauth's own counters start with the earliest it still accepts, the previous
    period's code, which stops working as this period ends: seconds, at worst.)"""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def demo_totp_code() -> str:
    """The code an authenticator app holding DEMO_TOTP_SECRET shows now."""
    return totp_code(DEMO_TOTP_SECRET)


@dataclass(frozen=True)
class DemoAccount:
    key: str
    role: str
    first_name: str
    last_name: str
    organisation_name: str
    staff: bool = False
    publisher: bool = False

    @property
    def email(self) -> str:
        return f"{self.key}@{settings.DEMO_EMAIL_DOMAIN}"


DEMO_ACCOUNTS = [
    DemoAccount("editrice", "staff editor", "Camille", "Martin", "France Clusters", staff=True),
    DemoAccount(
        "publication",
        "staff editor, publishes mementos",
        "Sophie",
        "Leroy",
        "ANPP",
        staff=True,
        publisher=True,
    ),
    DemoAccount(
        "representant", "structure representative", "Julien", "Bernard", "Pôle Bois Montagne"
    ),
    DemoAccount("membre", "member", "Claire", "Petit", "Pays du Haut-Jura"),
]


@transaction.atomic
def demo_load() -> list[DemoAccount]:
    """Everything a demonstration needs: accounts first, then each app's content."""
    people = demo_accounts_load()
    directory_demo_load(people=people)
    events_demo_load(people=people)
    surveys_demo_load(people=people)
    mementos_demo_load(people=people)
    return DEMO_ACCOUNTS


@transaction.atomic
def demo_accounts_load() -> dict[str, User]:
    """Create the demo accounts that do not exist yet; leave existing ones as they are."""
    team = Group.objects.get(name=FRANCE_CLUSTERS_TEAM)
    publishers = Group.objects.get(name=MEMENTO_PUBLISHERS)
    people = {}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "organisation_name": account.organisation_name,
                "is_staff": account.staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        # Demo addresses are confirmed, and demo staff have their second factor.
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"primary": True, "verified": True}
        )
        if (
            account.staff
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        if account.staff:
            user.groups.add(team)
        if account.publisher:
            user.groups.add(publishers)
        people[account.key] = user
    # Now for this process, and again at commit for readers that cached the old answer.
    caches["local"].delete(DEMO_CACHE_KEY)
    transaction.on_commit(lambda: caches["local"].delete(DEMO_CACHE_KEY))
    return people
