"""What the calendar's staff exports contain."""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Registration, Status


def attendee_rows(event: Event) -> Iterator[list]:
    """The header, then one row per registration to ``event`` (cancelled ones included,
    with their status), by name."""
    header = [
        _("Nom et prénom"), _("Adresse e-mail"), _("Structure"), _("Statut"), _("Ateliers"),
        _("Besoins d'accessibilité"), _("Régime alimentaire"), _("Inscrit le"), _("Présent"),
    ]  # fmt: skip
    yield header
    registrations = (
        Registration.objects.filter(event=event)
        .prefetch_related("choices__workshop")
        .order_by("full_name", "pk")
    )
    for registration in registrations:
        workshops = ", ".join(
            f"{c.workshop.title} ({c.get_status_display()})"
            for c in registration.choices.all()
            if c.status != Status.CANCELLED
        )
        yield (
            [
                registration.full_name,
                registration.email,
                registration.structure_name,
                registration.get_status_display(),
                workshops,
                registration.accessibility_needs,
                registration.dietary_needs,
                timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
                _("oui") if registration.checked_in_at else _("non"),
            ]  # fmt: skip
        )
