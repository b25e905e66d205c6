"""Events, workshops and registrations."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from events import services
from events.models import Event, Workshop


def make_event(
    title: str = "Journée des ateliers",
    *,
    days_ahead: int = 30,
    workshops: tuple = (("Atelier bois", 10),),
    **fields,
):
    """A published event in ``days_ahead`` days, with workshops (title, capacity) at
    10:00–12:00, one slot each after the other unless ``same_slot`` is given."""
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


def register_data(event, **overrides) -> dict:
    """The registration form as Marie Durand (the `member` fixture) fills it in."""
    data = {
        "full_name": "Marie Durand",
        "email": "membre@exemple.fr",
        "structure_name": "PETR du Livradois-Forez",
        "accessibility_needs": "",
        "dietary_needs": "végétarien",
        "consent": "on",
        "slot_1": str(event.workshops.order_by("starts_at").first().pk),
    }
    data.update(overrides)
    return data
