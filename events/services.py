"""Writes of the calendar: registrations within capacity, waitlists, proposals.

Every change to seats runs in one transaction that first locks the event's row and then
its workshops' rows, always in that order (event, then workshops by primary key), and
only then counts and books. Two registrations to one event therefore never interleave,
whatever the number of application processes, and never deadlock.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusters.models import DirectoryEntry
from core.mail import absolute_url, emails_enqueue
from core.models import EmailBatch
from core.search import document_vector
from events.ics import event_calendar
from events.models import (
    Event,
    Proposal,
    Registration,
    Status,
    Workshop,
    WorkshopChoice,
)


@dataclass
class RegistrationInput:
    full_name: str
    email: str
    structure_name: str = ""
    structure: DirectoryEntry | None = None
    accessibility_needs: str = ""
    dietary_needs: str = ""
    workshops: list[Workshop] = field(default_factory=list)


@dataclass
class Outcome:
    """What happened to a registration, for the page and the emails."""

    registration: Registration
    created: bool
    confirmed: list[Workshop] = field(default_factory=list)
    waitlisted: list[Workshop] = field(default_factory=list)
    dropped: list[Workshop] = field(default_factory=list)
    event_rank: int | None = None  # on the event's own waitlist

    def __post_init__(self) -> None:
        self.ranks: dict[int, int] = {}  # workshop id: rank on its waitlist

    @property
    def waiting(self) -> list[tuple[Workshop, int]]:
        """The workshops waited for, each with the person's rank."""
        return [(workshop, self.ranks.get(workshop.pk, 0)) for workshop in self.waitlisted]


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _lock_workshops(event: Event, ids: Iterable[int]) -> dict[int, Workshop]:
    rows = (
        Workshop.objects.select_for_update()
        .filter(event=event, pk__in=sorted(set(ids)))
        .order_by("pk")
    )
    return {workshop.pk: workshop for workshop in rows}


def _check_slots(workshops: list[Workshop]) -> None:
    for i, first in enumerate(workshops):
        for second in workshops[i + 1 :]:
            if first.overlaps(second):
                raise ValidationError(
                    _("« %(a)s » et « %(b)s » ont lieu en même temps : choisissez-en un.")
                    % {"a": first.title, "b": second.title},
                    code="slot",
                )


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("waitlist_position"))["top"] or 0) + 1


def _structure_key(data: RegistrationInput) -> Q:
    if data.structure is not None:
        return Q(structure=data.structure)
    return Q(structure_name__iexact=data.structure_name.strip())


@transaction.atomic
def registration_save(
    *, event: Event, user, data: RegistrationInput, notify: bool = True
) -> Outcome:
    """Register a person to an event, or edit their registration. Seats are counted and
    booked under the locks described above: a full workshop puts them on its waitlist."""
    event = _lock_event(event)
    if not event.registration_open:
        raise ValidationError(_("Les inscriptions à cet événement sont fermées."), code="closed")
    registration = (
        Registration.objects.select_for_update().filter(event=event, user=user).first()
        if user is not None
        else None
    )
    active = (
        []
        if registration is None
        else list(
            registration.choices.exclude(status=Status.CANCELLED).values_list(
                "workshop_id", flat=True
            )
        )
    )
    wanted_ids = [workshop.pk for workshop in data.workshops]
    workshops = _lock_workshops(event, [*wanted_ids, *active])
    if set(wanted_ids) - set(workshops):
        raise ValidationError(_("Cet atelier n'appartient pas à l'événement."), code="workshop")
    wanted = [workshops[pk] for pk in wanted_ids]
    _check_slots(wanted)

    reopening = registration is None or registration.status == Status.CANCELLED
    if event.max_per_structure and (data.structure or data.structure_name.strip()):
        same = (
            Registration.objects.filter(event=event)
            .exclude(status=Status.CANCELLED)
            .filter(_structure_key(data))
        )
        if registration is not None:
            same = same.exclude(pk=registration.pk)
        if same.count() >= event.max_per_structure:
            raise ValidationError(
                _("Votre structure a déjà %(count)s inscrits, le maximum pour cet événement.")
                % {"count": event.max_per_structure},
                code="per_structure",
            )

    created = registration is None
    if created:
        registration = Registration(event=event, user=user)
    registration.full_name = data.full_name
    registration.email = data.email
    registration.structure = data.structure
    registration.structure_name = data.structure_name or (
        data.structure.name if data.structure else ""
    )
    registration.accessibility_needs = data.accessibility_needs
    registration.dietary_needs = data.dietary_needs
    registration.consent_at = timezone.now()
    if reopening:
        registration.cancelled_at = None
        registration.waitlist_position = None
        registration.status = Status.CONFIRMED
        if event.capacity and not event.workshops.exists():
            taken = Registration.objects.filter(event=event, status=Status.CONFIRMED).count()
            if taken >= event.capacity:
                registration.status = Status.WAITLISTED
                registration.waitlist_position = _next_position(
                    Registration.objects.filter(event=event, status=Status.WAITLISTED)
                )
    registration.save()

    outcome = Outcome(registration=registration, created=created)
    current = {
        choice.workshop_id: choice
        for choice in registration.choices.exclude(status=Status.CANCELLED)
    }
    for workshop_id, choice in current.items():
        if workshop_id not in wanted_ids:
            was_confirmed = choice.status == Status.CONFIRMED
            choice.status, choice.waitlist_position = Status.CANCELLED, None
            choice.save(update_fields=["status", "waitlist_position"])
            outcome.dropped.append(workshops[workshop_id])
            if was_confirmed:
                _promote_in_workshop(workshops[workshop_id])
    for workshop in wanted:
        if workshop.pk in current:
            (
                outcome.confirmed
                if current[workshop.pk].status == Status.CONFIRMED
                else outcome.waitlisted
            ).append(workshop)
            continue
        taken = WorkshopChoice.objects.filter(workshop=workshop, status=Status.CONFIRMED).count()
        choice = WorkshopChoice.objects.filter(registration=registration, workshop=workshop).first()
        choice = choice or WorkshopChoice(registration=registration, workshop=workshop)
        choice.promoted_at = None
        if taken < workshop.capacity:
            choice.status, choice.waitlist_position = Status.CONFIRMED, None
            outcome.confirmed.append(workshop)
        else:
            choice.status = Status.WAITLISTED
            choice.waitlist_position = _next_position(
                WorkshopChoice.objects.filter(workshop=workshop, status=Status.WAITLISTED)
            )
            outcome.waitlisted.append(workshop)
        choice.save()

    if registration.status == Status.WAITLISTED:
        outcome.event_rank = registration_rank(registration)
    for choice in registration.choices.filter(
        status=Status.WAITLISTED, workshop__in=outcome.waitlisted
    ):
        outcome.ranks[choice.workshop_id] = choice_rank(choice)
    if notify:
        _tell_registrant(outcome)
    return outcome


def registration_rank(registration: Registration) -> int:
    """The rank shown to a person on an event's waitlist: those still waiting before
    them, plus one."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Status.WAITLISTED,
            waitlist_position__lt=registration.waitlist_position,
        ).count()
        + 1
    )


def choice_rank(choice: WorkshopChoice) -> int:
    """The rank shown to a person on a workshop's waitlist."""
    return (
        WorkshopChoice.objects.filter(
            workshop_id=choice.workshop_id,
            status=Status.WAITLISTED,
            waitlist_position__lt=choice.waitlist_position,
        ).count()
        + 1
    )


def _promote_in_workshop(workshop: Workshop) -> WorkshopChoice | None:
    """Give a freed seat to the first person waiting; called with the workshop locked."""
    waiting = (
        WorkshopChoice.objects.select_for_update()
        .filter(workshop=workshop, status=Status.WAITLISTED)
        .select_related("registration__event")
        .order_by("waitlist_position", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status, waiting.waitlist_position = Status.CONFIRMED, None
    waiting.promoted_at = timezone.now()
    waiting.save(update_fields=["status", "waitlist_position", "promoted_at"])
    _tell_promoted(waiting.registration, waiting.registration.event, workshop)
    return waiting


def _promote_in_event(event: Event) -> Registration | None:
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=Status.WAITLISTED)
        .order_by("waitlist_position", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status, waiting.waitlist_position = Status.CONFIRMED, None
    waiting.save(update_fields=["status", "waitlist_position", "updated_at"])
    _tell_promoted(waiting, event, None)
    return waiting


def _tell_promoted(registration: Registration, event: Event, workshop: Workshop | None) -> None:
    """Once the promotion is committed, mail the person their seat and calendar file."""
    context = {
        "registration": registration,
        "event": event,
        "workshop": workshop,
        "manage_url": absolute_url(registration.get_manage_url()),
    }
    emails_enqueue(
        template="registration_promoted",
        context=context,
        to=[registration.email],
        attachments=[_ics_attachment(registration)],
        topic=f"registration:{registration.pk}",
    )


@transaction.atomic
def registration_cancel(*, registration: Registration, by_staff: bool = False) -> Registration:
    """Cancel a registration: its seats go, in the same transaction, to the first people
    waiting, who are emailed."""
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return registration
    if event.is_past:
        # Nobody can use a seat of an event that is over: no promotion, no email.
        raise ValidationError(
            _("Cet événement est terminé : l'inscription ne peut plus être annulée."),
            code="past",
        )
    choices = list(registration.choices.exclude(status=Status.CANCELLED))
    workshops = _lock_workshops(event, [c.workshop_id for c in choices])
    was_confirmed = registration.status == Status.CONFIRMED
    registration.status = Status.CANCELLED
    registration.waitlist_position = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "waitlist_position", "cancelled_at", "updated_at"])
    for choice in choices:
        freed = choice.status == Status.CONFIRMED
        choice.status, choice.waitlist_position = Status.CANCELLED, None
        choice.save(update_fields=["status", "waitlist_position"])
        if freed:
            _promote_in_workshop(workshops[choice.workshop_id])
    if was_confirmed and event.capacity:
        _promote_in_event(event)
    context = {
        "registration": registration,
        "event": event,
        "by_staff": by_staff,
        "agenda_url": absolute_url(event.get_absolute_url()),
    }
    emails_enqueue(
        template="registration_cancelled",
        context=context,
        to=[registration.email],
        topic=f"registration:{registration.pk}",
    )
    return registration


@transaction.atomic
def registration_move(
    *, registration: Registration, source: Workshop, target: Workshop
) -> WorkshopChoice:
    """Staff move a person from one workshop to another of the same event; the seat they
    leave goes to the first person waiting. The target may be full (staff decide)."""
    if source.event_id != registration.event_id or target.event_id != registration.event_id:
        raise ValidationError(_("Les deux ateliers doivent appartenir à l'événement."))
    event = _lock_event(registration.event)
    workshops = _lock_workshops(event, [source.pk, target.pk])
    choice = (
        WorkshopChoice.objects.select_for_update()
        .filter(registration=registration, workshop=source)
        .first()
    )
    if choice is None:
        raise ValidationError(
            _("%(name)s n'est pas inscrit à l'atelier de départ.")
            % {"name": registration.full_name}
        )
    if (
        WorkshopChoice.objects.filter(registration=registration, workshop=target)
        .exclude(status=Status.CANCELLED)
        .exists()
    ):
        raise ValidationError(_("Cette personne est déjà inscrite à l'atelier de destination."))
    WorkshopChoice.objects.filter(registration=registration, workshop=target).delete()
    freed = choice.status == Status.CONFIRMED
    choice.workshop = workshops[target.pk]
    choice.status, choice.waitlist_position = Status.CONFIRMED, None
    choice.save(update_fields=["workshop", "status", "waitlist_position"])
    if freed:
        _promote_in_workshop(workshops[source.pk])
    return choice


@transaction.atomic
def registration_check_in(*, registration: Registration, present: bool = True) -> Registration:
    """Mark a person present (or not) at the event's welcome desk."""
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    return registration


def _ics_attachment(registration: Registration) -> tuple[str, bytes, str]:
    workshops = [
        choice.workshop
        for choice in registration.choices.filter(status=Status.CONFIRMED).select_related(
            "workshop"
        )
    ]
    body = event_calendar([registration.event], workshops={registration.event.pk: workshops})
    return ("evenement.ics", body, "text/calendar; charset=utf-8; method=PUBLISH")


def _tell_registrant(outcome: Outcome) -> None:
    registration = outcome.registration
    context = {
        "registration": registration,
        "event": registration.event,
        "outcome": outcome,
        "manage_url": absolute_url(registration.get_manage_url()),
    }
    if registration.status == Status.WAITLISTED:
        template, attachments = "registration_waitlisted", []
    elif outcome.waitlisted:
        # Registered, but waiting for a workshop: the subject says so.
        template, attachments = "registration_partly_waitlisted", [_ics_attachment(registration)]
    else:
        template, attachments = "registration_confirmed", [_ics_attachment(registration)]
    emails_enqueue(
        template=template,
        context=context,
        to=[registration.email],
        attachments=attachments,
        topic=f"registration:{registration.pk}",
    )


# --- Calls for participation -------------------------------------------------------------


@transaction.atomic
def proposal_submit(*, proposal: Proposal) -> Proposal:
    """Record a proposal while its call is open."""
    if not proposal.call.is_open:
        raise ValidationError(_("Cet appel à participation est clos."), code="closed")
    proposal.full_clean(exclude=["document"])
    proposal.save()
    return proposal


@transaction.atomic
def proposal_decide(*, proposal: Proposal, status: str, reviewer, note: str = "") -> Proposal:
    """Accept or reject a proposal, and tell its author."""
    if status not in (Proposal.Status.ACCEPTED, Proposal.Status.REJECTED):
        raise ValidationError(_("Décision inconnue."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.record_review(reviewer=reviewer, status=status, note=note)
    if proposal.author and proposal.author.email:
        context = {
            "proposal": proposal,
            "event": proposal.call.event,
            "url": absolute_url(proposal.call.event.get_absolute_url()),
        }
        emails_enqueue(
            template="proposal_decided",
            context=context,
            to=[proposal.author.email],
            topic=f"proposal:{proposal.pk}",
        )
    return proposal


# --- Messages and reminders -----------------------------------------------------------------


def workshop_addresses(workshop: Workshop) -> list[str]:
    """The addresses of everyone holding a seat in a workshop."""
    return sorted(
        set(
            Registration.objects.filter(
                choices__workshop=workshop, choices__status=Status.CONFIRMED
            ).values_list("email", flat=True)
        )
    )


@transaction.atomic
def workshop_message_send(
    *, workshop: Workshop, subject: str, body: str, batch: EmailBatch | None = None
) -> int:
    """Write a message to everyone holding a seat in a workshop into the outbox (one email
    each, delivered by the worker). Returns how many were written."""
    context = {"workshop": workshop, "event": workshop.event, "subject": subject, "body": body}
    return len(
        emails_enqueue(
            template="workshop_message",
            context=context,
            to=workshop_addresses(workshop),
            batch=batch,
            topic=f"workshop-message:{workshop.pk}",
        )
    )


def _remind(registration: Registration) -> None:
    """Write the reminder of an event into the outbox, and note it is done (the outbox
    delivers it, even later)."""
    emails_enqueue(
        template="event_reminder",
        context={
            "registration": registration,
            "event": registration.event,
            "manage_url": absolute_url(registration.get_manage_url()),
        },
        to=[registration.email],
        attachments=[_ics_attachment(registration)],
        topic=f"reminder:{registration.pk}",
    )
    Registration.objects.filter(pk=registration.pk).update(reminded_at=timezone.now())


@transaction.atomic
def event_reminders_send(*, days: int, dry_run: bool = False) -> list[Registration]:
    """Remind the confirmed registrants of events starting within ``days`` days, once."""
    now = timezone.now()
    due = list(
        Registration.objects.filter(
            status=Status.CONFIRMED,
            reminded_at=None,
            event__published=True,
            event__starts_at__gte=now,
            event__starts_at__lte=now + timezone.timedelta(days=days),
        ).select_related("event")
    )
    if dry_run:
        return due
    for registration in due:
        _remind(registration)
    return due


@transaction.atomic
def registrations_anonymise(*, months: int) -> int:
    """Strip personal data from registrations to events that ended ``months`` months ago;
    the counts (who came, how many) stay."""
    limit = timezone.now() - timezone.timedelta(days=round(months * 30.44))
    old = Registration.objects.filter(event__ends_at__lt=limit, anonymised_at=None)
    return old.update(
        user=None,
        full_name=_("Participant anonymisé"),
        email="anonyme@invalid",
        accessibility_needs="",
        dietary_needs="",
        anonymised_at=timezone.now(),
    )


def registrations_forget(user) -> int:
    """A person leaves the portal: their upcoming registrations are cancelled (seats go to
    those waiting), then every registration of theirs loses its personal data; the counts
    stay. Returns how many registrations were anonymised."""
    now = timezone.now()
    for registration in Registration.objects.filter(user=user, event__ends_at__gte=now).exclude(
        status=Status.CANCELLED
    ):
        registration_cancel(registration=registration)
    return Registration.objects.filter(user=user).update(
        user=None,
        full_name=_("Participant anonymisé"),
        email="anonyme@invalid",
        structure_name="",
        accessibility_needs="",
        dietary_needs="",
        anonymised_at=now,
    )


def proposals_forget(user) -> int:
    """A person leaves the portal: their proposals not accepted go, with their files;
    accepted ones stay on the programme without their name. Returns how many went."""
    gone = 0
    for proposal in Proposal.objects.filter(author=user).exclude(status=Proposal.Status.ACCEPTED):
        if proposal.document:
            proposal.document.delete(save=False)
        proposal.delete()
        gone += 1
    return gone


def event_index(events) -> None:
    """Rebuild the search vector of these events: title, summary and workshops first, then
    the place, the themes and the description."""
    for event in (
        Event.objects.filter(pk__in=[e.pk for e in events])
        .select_related("commune", "region")
        .prefetch_related("themes", "workshops")
    ):
        workshops = " ".join(w.title for w in event.workshops.all())
        themes = " ".join(t.name for t in event.themes.all())
        place = " ".join(
            part for part in (event.venue, event.commune and event.commune.name,
                              event.region and event.region.name) if part
        )  # fmt: skip
        Event.objects.filter(pk=event.pk).update(
            search_vector=document_vector(
                (event.title, "A"),
                (f"{event.summary} {workshops}", "B"),
                (f"{place} {themes} {event.get_kind_display()}", "C"),
                (event.description, "D"),
            )
        )


@transaction.atomic
def event_save(*, event: Event, themes=None, organisers=None) -> Event:
    """Save an event with its themes and organisers; the region and, unless staff placed
    it, the point come from the commune; the search vector follows."""
    event_prepare(event)
    event.save()
    if themes is not None:
        event.themes.set(themes)
    if organisers is not None:
        event.organiser_entries.set(organisers)
    event_index([event])
    return event


@transaction.atomic
def events_close_registrations(*, event_ids: list[int]) -> int:
    """Close the registrations of these events now, whatever their dates."""
    return Event.objects.filter(pk__in=event_ids, registrations_closed=False).update(
        registrations_closed=True, updated_at=timezone.now()
    )


def event_prepare(event: Event) -> Event:
    """Derive the region and, unless staff placed it, the point from the commune."""
    if event.commune_id:
        commune = event.commune
        event.region_id = commune.department.region_id
        if event.latitude is None or event.longitude is None:
            event.latitude, event.longitude = commune.latitude, commune.longitude
    return event
