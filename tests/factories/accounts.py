"""People: accounts, and the data a sign-up form posts."""

import factory
from django.contrib.auth.models import Group

from interclusters.models import User

PASSWORD = "un-mot-de-passe-solide"


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
