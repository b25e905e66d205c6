"""What the calendar's staff exports contain."""

from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.exportfiles import Table
from events.models import Status


def attendee_rows(registrations: QuerySet) -> Iterator[list]:
    """The header, then one row per registration of ``registrations`` (as the welcome
    desk filters them), with its workshops."""
    header = [
        _("Nom et prénom"), _("Adresse e-mail"), _("Structure"), _("Statut"), _("Ateliers"),
        _("Besoins d'accessibilité"), _("Régime alimentaire"), _("Inscrit le"), _("Présent depuis"),
    ]  # fmt: skip
    yield header
    for registration in registrations.prefetch_related("choices__workshop"):
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
                registration.created_at,
                registration.checked_in_at,
            ]  # fmt: skip
        )


def attendees_file(query, *, fmt: str, user, base_url: str, slug: str) -> Table:
    """The registrations of an event for the welcome desk's filters (core.exportfiles
    builder), for the staff who may read them."""
    from events.selectors import attendee_filter, event_for_staff

    if user is None or not (user.is_staff and user.has_perm("events.view_registration")):
        raise PermissionDenied
    filterset = attendee_filter(event_for_staff(slug=slug), query)
    if filterset.is_bound and not filterset.is_valid():
        raise ValueError(f"Invalid filters: {filterset.errors.as_json()}")
    return Table(f"inscrits-{slug}", _("Inscrits"), attendee_rows(filterset.qs))
