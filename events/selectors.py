"""Reads of the calendar."""

from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.utils import timezone

from core.db import parse_id
from events.filters import AttendeeFilter, EventFilter
from events.models import Event, Proposal, Registration, Status, Workshop, WorkshopChoice


def agenda_filter(data: QueryDict | None) -> EventFilter:
    return EventFilter(data or None, queryset=Event.objects.published())


def agenda_events(queryset: QuerySet) -> QuerySet:
    """Events as the agenda lists them: place and their number of workshops
    (``agenda_lists(..., seats=True)`` adds the seats left of those to come)."""
    workshops = (
        Workshop.objects.filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("commune", "region").annotate(
        workshop_count=Coalesce(Subquery(workshops), 0)
    )


def with_seats_left(queryset: QuerySet) -> QuerySet:
    """Events with ``seats_left``: the free seats of their workshops, or of the event
    itself when it has no workshops but a capacity; None when nothing limits them."""
    workshop_seats = (
        Workshop.objects.filter(event=OuterRef("pk"))
        .values("event")
        .annotate(total=Sum("capacity"))
        .values("total")
    )
    workshop_taken = (
        WorkshopChoice.objects.filter(workshop__event=OuterRef("pk"), status=Status.CONFIRMED)
        .values("workshop__event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    event_taken = (
        Registration.objects.filter(event=OuterRef("pk"), status=Status.CONFIRMED)
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        workshop_seats=Subquery(workshop_seats),
        workshop_taken=Coalesce(Subquery(workshop_taken), 0),
        event_taken=Coalesce(Subquery(event_taken), 0),
    ).annotate(
        seats_left=Case(
            When(workshop_seats__gt=0, then=F("workshop_seats") - F("workshop_taken")),
            When(capacity__gt=0, then=F("capacity") - F("event_taken")),
            default=Value(None),
            output_field=IntegerField(),
        )
    )


def upcoming_with_seats(limit: int = 3) -> list[Event]:
    """The next published events where a seat is still free: in their workshops, or in
    the event itself when it has no workshops; an event without a limit always has one
    (its ``seats_left`` is then None). Full events are left out, in SQL."""
    return list(
        with_seats_left(Event.objects.published().upcoming().select_related("commune")).filter(
            Q(seats_left__gt=0) | Q(seats_left__isnull=True)
        )[:limit]
    )


def event_for_public(*, slug: str, user=None) -> Event:
    """A published event; an unpublished one only for staff."""
    event = (
        with_seats_left(Event.objects.filter(slug=slug))
        .select_related("commune", "region")
        .prefetch_related("themes", "organiser_entries")
        .first()
    )
    if event is None:
        raise Http404
    if event.published or (
        user is not None and user.is_authenticated and user.has_perm("events.view_event")
    ):
        return event
    raise Http404


def event_for_staff(*, slug: str) -> Event:
    """Any event, published or not, for the staff pages (whose views check the
    permission)."""
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


PAST_SHOWN = 30


def agenda_lists(events: QuerySet, *, seats: bool = False) -> tuple[list[Event], list[Event]]:
    """What the agenda shows of ``events``: every one to come, soonest first, and the
    latest past ones. The page and its iCalendar feed list the same. ``seats``: those to
    come with their seats left (the past ones have none to offer)."""
    now = timezone.now()
    upcoming = events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    return (
        list(with_seats_left(upcoming) if seats else upcoming),
        list(events.filter(ends_at__lt=now).order_by("-starts_at", "pk")[:PAST_SHOWN]),
    )


def event_workshops(event: Event) -> list[Workshop]:
    return list(event.workshops.order_by("starts_at", "pk"))


def registration_of_event(*, event: Event, pk) -> Registration:
    """A registration to ``event`` from an identifier sent by a form; 404 for anything
    else, a malformed identifier included."""
    registration = Registration.objects.filter(pk=parse_id(pk), event=event).first()
    if registration is None:
        raise Http404
    return registration


def workshops_with_seats(event: Event) -> list[Workshop]:
    """The event's workshops with their seats taken and people waiting, in one query."""
    return list(
        event.workshops.select_related("theme")
        .annotate(
            taken=Count("choices", filter=Q(choices__status=Status.CONFIRMED)),
            waiting=Count("choices", filter=Q(choices__status=Status.WAITLISTED)),
        )
        .annotate(left=F("capacity") - F("taken"))
        .order_by("starts_at", "title")
    )


@dataclass
class Slot:
    starts_at: object
    ends_at: object
    workshops: list[Workshop]


def programme(workshops: list[Workshop]) -> list[Slot]:
    """Workshops grouped by time slot, in order."""
    slots: OrderedDict = OrderedDict()
    for workshop in workshops:
        slots.setdefault((workshop.starts_at, workshop.ends_at), []).append(workshop)
    return [Slot(start, end, items) for (start, end), items in slots.items()]


def accepted_proposals(event: Event) -> list[Proposal]:
    return list(
        Proposal.objects.filter(call__event=event, status=Proposal.Status.ACCEPTED)
        .select_related("workshop", "theme")
        .order_by("workshop__starts_at", "title")
    )


def _rank():
    """The rank shown to a person waiting: those still waiting before them, plus one."""
    earlier = (
        WorkshopChoice.objects.filter(
            workshop=OuterRef("workshop"),
            status=Status.WAITLISTED,
            waitlist_position__lt=OuterRef("waitlist_position"),
        )
        .order_by()
        .values("workshop")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(earlier)


def choices_with_rank(queryset: QuerySet) -> QuerySet:
    return (
        queryset.select_related("workshop")
        .annotate(earlier=_rank())
        .order_by("workshop__starts_at")
    )


def with_event_rank(queryset: QuerySet) -> QuerySet:
    """Registrations with ``earlier``: how many still wait before them for the event."""
    earlier = (
        Registration.objects.filter(
            event=OuterRef("event"),
            status=Status.WAITLISTED,
            waitlist_position__lt=OuterRef("waitlist_position"),
        )
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(earlier=Coalesce(Subquery(earlier), 0))


def registration_for(*, event: Event, user) -> Registration | None:
    """The person's own registration to the event (cancelled ones included)."""
    if not user.is_authenticated:
        return None
    return (
        with_event_rank(Registration.objects.filter(event=event, user=user))
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=choices_with_rank(WorkshopChoice.objects.exclude(status=Status.CANCELLED)),
            )
        )
        .first()
    )


def registration_for_token(token: str) -> Registration:
    """The registration a secret link points to; 404 for anything else."""
    if not token or len(token) > 64:
        raise Http404
    registration = (
        with_event_rank(Registration.objects.filter(token=token))
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=choices_with_rank(WorkshopChoice.objects.exclude(status=Status.CANCELLED)),
            )
        )
        .first()
    )
    if registration is None or registration.anonymised_at:
        raise Http404
    return registration


def registration_of_user(*, user, pk: int) -> Registration:
    """A registration of the signed-in person's, or 404."""
    registration = Registration.objects.filter(pk=pk, user=user).select_related("event").first()
    if registration is None:
        raise Http404
    return registration


def member_registrations(user) -> list[Registration]:
    if not user.is_authenticated:
        return []
    return list(
        with_event_rank(Registration.objects.filter(user=user))
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "choices",
                queryset=choices_with_rank(WorkshopChoice.objects.exclude(status=Status.CANCELLED)),
            )
        )
        .order_by("-event__starts_at")
    )


def member_proposals(user) -> list[Proposal]:
    if not user.is_authenticated:
        return []
    return list(
        Proposal.objects.filter(author=user)
        .select_related("call__event", "workshop")
        .order_by("-created_at")
    )


def proposal_for(*, user, pk: int) -> Proposal:
    """A proposal its author or the staff may open; 404 for anyone else."""
    proposal = Proposal.objects.filter(pk=pk).select_related("call__event").first()
    if proposal is None or not user.is_authenticated:
        raise Http404
    if proposal.author_id == user.pk or user.has_perm("events.view_proposal"):
        return proposal
    raise Http404


def attendee_filter(event: Event, data: QueryDict | None) -> AttendeeFilter:
    """The registrations of an event as the welcome desk and its exports show them."""
    return AttendeeFilter(data or None, queryset=Registration.objects.filter(event=event))


def attendee_counts(event: Event) -> dict[str, int]:
    """Present, expected (confirmed) and waiting, for the welcome desk."""
    return Registration.objects.filter(event=event).aggregate(
        expected=Count("pk", filter=Q(status=Status.CONFIRMED)),
        present=Count("pk", filter=Q(checked_in_at__isnull=False) & ~Q(status=Status.CANCELLED)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
