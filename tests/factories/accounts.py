"""People: accounts, and the data a sign-up form posts."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from devdata.demo import accounts as demo_accounts
from interclusters.models import User

PASSWORD = "un-mot-de-passe-solide"
# The authenticator-app secret of every staff account the factory makes (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows now for ``secret``."""
    return demo_accounts.totp_code(secret)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])
        if create:
            self.save()

    @factory.post_generation
    def verified_email(self, create: bool, extracted, **kwargs) -> None:
        """The address is confirmed unless ``verified_email=False``."""
        if create:
            verified = True if extracted is None else bool(extracted)
            EmailAddress.objects.create(user=self, email=self.email, primary=True,
                                        verified=verified)  # fmt: skip

    @factory.post_generation
    def second_factor(self, create: bool, extracted, **kwargs) -> None:
        """Staff have an authenticator app (TOTP_SECRET) unless ``second_factor=False``."""
        wanted = self.is_staff if extracted is None else bool(extracted)
        if create and wanted:
            TOTP.activate(self, TOTP_SECRET)


def signup_data(**overrides) -> dict:
    """What the sign-up form posts for a new member."""
    data = {
        "first_name": "Léa",
        "last_name": "Moreau",
        "email": "Lea.Moreau@Exemple.FR",
        "organisation_name": "Cluster Bois Auvergne",
        "password1": "coopération-rurale-2015",
        "password2": "coopération-rurale-2015",
    }
    data.update(overrides)
    return data
