"""A calendar at scale for benchmarks: 50 events with 5,000 registrations.

`manage.py generate_event_scale_data` (run by `make bench` when missing). Events have
slugs starting with "scale-"; half are past, half to come; each has four workshops of 40
seats over two time slots and 100 registrations, some on waitlists."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from events import services
from events.models import Event, Registration, Status, Workshop, WorkshopChoice
from reference.models import Commune, Theme

PREFIX = "scale-"
KINDS = [kind for kind, _label in Event.Kind.choices]
SUBJECTS = [
    "bois local", "circuits courts", "tiers-lieux", "mobilité", "numérique", "énergie",
    "compétences", "tourisme", "économie circulaire", "santé",
]  # fmt: skip


@transaction.atomic
def event_scale_generate(*, events: int = 50, per_event: int = 100, seed: int = 50) -> int:
    Event.objects.filter(slug__startswith=PREFIX).delete()
    rng = random.Random(seed)
    themes = list(Theme.objects.all())
    communes = list(Commune.objects.filter(population__gt=20_000).order_by("code")[:200])
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    created = []
    for number in range(events):
        subject = SUBJECTS[number % len(SUBJECTS)]
        starts = now + timedelta(days=rng.randint(-400, 300), hours=rng.randint(0, 8))
        event = Event(
            slug=f"{PREFIX}{number}-{slugify(subject)}",
            kind=KINDS[number % len(KINDS)],
            title=f"Rencontre {subject} n°{number}",
            summary=f"Une journée d'ateliers sur {subject} entre clusters et territoires.",
            description=f"Programme de la journée consacrée à {subject}.",
            starts_at=starts,
            ends_at=starts + timedelta(hours=7),
            venue="Salle des fêtes",
            commune=rng.choice(communes) if communes else None,
            published=True,
            published_at=now - timedelta(days=rng.randint(0, 400)),
        )
        services.event_prepare(event)
        created.append(event)
    Event.objects.bulk_create(created)
    events_by_slug = {e.slug: e for e in Event.objects.filter(slug__startswith=PREFIX)}
    workshops = []
    for event in events_by_slug.values():
        event.themes.set(rng.sample(themes, 2) if len(themes) >= 2 else themes)
        for slot in range(2):
            for room in range(2):
                start = event.starts_at + timedelta(hours=1 + slot * 3)
                workshops.append(Workshop(
                    event=event, title=f"Atelier {slot * 2 + room + 1} — {event.title}",
                    theme=rng.choice(themes) if themes else None, room=f"Salle {room + 1}",
                    starts_at=start, ends_at=start + timedelta(hours=2), capacity=40,
                ))  # fmt: skip
    Workshop.objects.bulk_create(workshops)
    by_event: dict[int, list[Workshop]] = {}
    for workshop in Workshop.objects.filter(event__slug__startswith=PREFIX).order_by("pk"):
        by_event.setdefault(workshop.event_id, []).append(workshop)
    registrations, choices = [], []
    for event in events_by_slug.values():
        taken: dict[int, int] = {}
        for index in range(per_event):
            registration = Registration(
                event=event, full_name=f"Participant {index}",
                email=f"participant{index}.{event.pk}@exemple.fr", consent_at=now,
                status=Status.CONFIRMED,
            )  # fmt: skip
            registrations.append(registration)
            for slot in range(2):
                workshop = by_event[event.pk][slot * 2 + rng.randint(0, 1)]
                count = taken.get(workshop.pk, 0) + 1
                taken[workshop.pk] = count
                full = count > workshop.capacity
                choices.append((registration, WorkshopChoice(
                    workshop=workshop,
                    status=Status.WAITLISTED if full else Status.CONFIRMED,
                    waitlist_position=count - workshop.capacity if full else None,
                )))  # fmt: skip
    Registration.objects.bulk_create(registrations, batch_size=2000)
    for registration, choice in choices:
        choice.registration = registration
    WorkshopChoice.objects.bulk_create([c for _r, c in choices], batch_size=2000)
    services.event_index(list(events_by_slug.values()))
    with connection.cursor() as cursor:
        for model in (Event, Workshop, Registration, WorkshopChoice):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return len(registrations)
