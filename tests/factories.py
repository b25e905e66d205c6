"""factory_boy factories shared by the whole suite."""

import factory
from django.contrib.auth.models import Group

from interclusters.models import User
from reference.models import Commune, Department, Region, Theme

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


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"R{n:02d}")
    name = factory.Sequence(lambda n: f"Région {n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"Département {n}")
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    department = factory.SubFactory(DepartmentFactory)
    population = 1200
    latitude = 45.5
    longitude = 4.5


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Thème {n}")


def make_entry(
    name: str,
    *,
    category: str = "structure",
    kind: str = "cluster",
    commune=None,
    setting: str = "rural",
    themes=(),
    published: bool = True,
    description: str = "",
    **fields,
):
    """A directory entry saved through the service, as the portal saves them."""
    from clusters import services
    from clusters.models import DirectoryEntry

    entry = DirectoryEntry(
        category=category,
        kind=kind,
        name=name,
        commune=commune or CommuneFactory(),
        setting=setting,
        published=published,
        description=description,
        **fields,
    )
    return services.entry_save(entry=entry, themes=list(themes))


def make_practice(
    title: str,
    *,
    lead,
    partners=(),
    themes=(),
    measures=(),
    state: str = "published",
    summary: str = "Une pratique de démonstration.",
    kind: str = "cooperation",
    status: str = "ongoing",
    start_year: int | None = 2016,
    end_year: int | None = None,
    proposer=None,
    **fields,
):
    """A practice saved through the service, with its lead and partners."""
    from clusters import services
    from clusters.models import Practice

    practice = Practice(
        title=title,
        summary=summary,
        kind=kind,
        status=status,
        start_year=start_year,
        end_year=end_year,
        state=state,
        proposer=proposer,
        **fields,
    )
    return services.practice_save(
        practice=practice,
        themes=list(themes),
        funding_measures=list(measures),
        partners=[services.PartnerInput(role="lead", entry=lead)]
        + [services.PartnerInput(role="partner", entry=p) for p in partners],
        links=[],
    )


def make_event(
    title: str = "Journée des ateliers",
    *,
    days_ahead: int = 30,
    workshops: tuple = (("Atelier bois", 10),),
    **fields,
):
    """A published event in ``days_ahead`` days, with workshops (title, capacity) at
    10:00–12:00, one slot each after the other unless ``same_slot`` is given."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from events.models import Event, Workshop

    same_slot = fields.pop("same_slot", False)
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(
        days=days_ahead
    )
    event = Event.objects.create(
        kind=fields.pop("kind", "workshop_day"),
        title=title,
        slug=fields.pop("slug", slugify(title)),
        summary="Une journée pour travailler ensemble.",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        published=fields.pop("published", True),
        **fields,
    )
    for index, (name, capacity) in enumerate(workshops):
        offset = timedelta(hours=1) if same_slot else timedelta(hours=1 + 3 * index)
        Workshop.objects.create(
            event=event,
            title=name,
            starts_at=start + offset,
            ends_at=start + offset + timedelta(hours=2),
            capacity=capacity,
        )
    return event


def register(
    event,
    *,
    user=None,
    name="Camille Durand",
    email=None,
    workshops=(),
    structure_name="",
    notify=True,
):
    """Register someone through the service, as the page does."""
    from events import services

    return services.registration_save(
        event=event,
        user=user,
        notify=notify,
        data=services.RegistrationInput(
            full_name=name,
            email=email or (user.email if user else f"{name.lower().replace(' ', '.')}@exemple.fr"),
            structure_name=structure_name,
            workshops=list(workshops),
        ),
    )
