"""Pages of the calendar; thin: selectors read, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.generic import TemplateView

from clusters import selectors as clusters_selectors
from clusters.models import DirectoryEntry
from core.accounts import VerifiedEmailRequiredMixin
from core.exportfiles import export_or_defer
from core.pagecache import public_page
from core.ratelimits import limit_posts
from core.text import render_markdown
from events import forms, selectors, services
from events.ics import event_calendar
from events.models import Status

ICS_TYPE = "text/calendar; charset=utf-8"
CHECK_IN_SHOWN = 200


def staff_permission_required(permission: str):
    """Sign-in first (a redirect), then the permission (a 403 for those without it)."""

    def decorator(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorator


@public_page(kinds=("events", "directory"))
class AgendaView(TemplateView):
    template_name = "events/agenda.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        filterset = selectors.agenda_filter(request.GET)
        upcoming, past = selectors.agenda_lists(selectors.agenda_events(filterset.qs), seats=True)
        context = self.get_context_data(
            filter=filterset, upcoming=upcoming, past=past, query=request.GET.urlencode()
        )
        status = 400 if filterset.is_bound and filterset.errors else 200
        return self.render_to_response(context, status=status)


@public_page(kinds=("events", "directory"))
class EventDetailView(TemplateView):
    template_name = "events/event_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        event = selectors.event_for_public(slug=kwargs["slug"], user=self.request.user)
        workshops = selectors.workshops_with_seats(event)
        call = getattr(event, "call", None)
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "description": render_markdown(event.description),
            "outputs": render_markdown(event.outputs),
            "slots": selectors.programme(workshops),
            "call": call,
            "accepted": selectors.accepted_proposals(event),
            "registration": selectors.registration_for(event=event, user=self.request.user),
        }


@require_GET
def agenda_ics(request: HttpRequest) -> HttpResponse:
    """The events the agenda shows with the same query string (every published event
    without one), as a calendar to subscribe to."""
    filterset = selectors.agenda_filter(request.GET)
    if filterset.is_bound and filterset.errors:
        return HttpResponse(
            _("Filtres invalides."), status=400, content_type="text/plain; charset=utf-8"
        )
    upcoming, past = selectors.agenda_lists(filterset.qs.select_related("commune"))
    response = HttpResponse(event_calendar([*upcoming, *past]), content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="agenda-interclusters.ics"'
    return response


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """One event and its workshops."""
    event = selectors.event_for_public(slug=slug, user=request.user)
    workshops = selectors.event_workshops(event)
    response = HttpResponse(
        event_calendar([event], workshops={event.pk: workshops}), content_type=ICS_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@limit_posts("registration", "REGISTRATION_RATE", key="user_or_ip")
class RegisterView(LoginRequiredMixin, VerifiedEmailRequiredMixin, TemplateView):
    """Register to an event, or change one's registration."""

    template_name = "events/register.html"

    def load(self) -> None:
        self.event = selectors.event_for_public(slug=self.kwargs["slug"], user=self.request.user)
        self.slots = selectors.programme(selectors.workshops_with_seats(self.event))
        self.registration = selectors.registration_for(event=self.event, user=self.request.user)

    def initial(self) -> dict:
        user = self.request.user
        if self.registration and self.registration.status != Status.CANCELLED:
            initial = {
                "full_name": self.registration.full_name,
                "email": self.registration.email,
                "structure_name": self.registration.structure_name,
                "accessibility_needs": self.registration.accessibility_needs,
                "dietary_needs": self.registration.dietary_needs,
            }
            chosen = {c.workshop_id for c in self.registration.choices.all()}
            for number, slot in enumerate(self.slots, start=1):
                for workshop in slot.workshops:
                    if workshop.pk in chosen:
                        initial[f"slot_{number}"] = str(workshop.pk)
            return initial
        entry = self._member_structure()
        return {
            "full_name": user.get_full_name(),
            "email": user.email,
            "structure_name": entry.name if entry else user.organisation_name,
        }

    def _member_structure(self) -> DirectoryEntry | None:
        return clusters_selectors.first_entry_of(self.request.user)

    def render_form(self, form, status: int = 200) -> HttpResponse:
        context = self.get_context_data(
            event=self.event, form=form, registration=self.registration, slots=self.slots
        )
        return self.render_to_response(context, status=status)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.load()
        return self.render_form(forms.RegistrationForm(initial=self.initial(), slots=self.slots))

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.load()
        form = forms.RegistrationForm(request.POST, slots=self.slots)
        if not form.is_valid():
            return self.render_form(form, status=422)
        data = form.cleaned_data
        entry = self._member_structure()
        structure = entry if entry and entry.name == data["structure_name"] else None
        try:
            outcome = services.registration_save(
                event=self.event,
                user=request.user,
                data=services.RegistrationInput(
                    full_name=data["full_name"],
                    email=data["email"],
                    structure_name=data["structure_name"],
                    structure=structure,
                    accessibility_needs=data["accessibility_needs"],
                    dietary_needs=data["dietary_needs"],
                    workshops=form.chosen_workshops(),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form, status=422)
        registration = outcome.registration
        if registration.status == Status.WAITLISTED:
            messages.warning(
                request,
                _(
                    "L'événement est complet : vous êtes sur la liste d'attente. "
                    "Nous vous écrirons si une place se libère."
                ),
            )
        elif outcome.waitlisted:
            messages.warning(
                request,
                _(
                    "Inscription enregistrée. Atelier complet pour « %(titles)s » : "
                    "vous êtes sur sa liste d'attente."
                )
                % {"titles": ", ".join(w.title for w in outcome.waitlisted)},
            )
        else:
            messages.success(
                request, _("Inscription confirmée. Un e-mail de confirmation vous est envoyé.")
            )
        return redirect(self.event.get_absolute_url())


class RegistrationByTokenView(TemplateView):
    """A registration opened from the link in its emails, without signing in."""

    template_name = "events/registration.html"

    def get_context_data(self, **kwargs) -> dict:
        registration = selectors.registration_for_token(kwargs["token"])
        return {**super().get_context_data(**kwargs), "registration": registration}


@require_http_methods(["GET", "POST"])
def cancel_by_token(request: HttpRequest, token: str) -> HttpResponse:
    """From the link in an email: asks to confirm (GET), then cancels (POST)."""
    registration = selectors.registration_for_token(token)
    if request.method == "GET":
        return render(request, "events/cancel.html", {"registration": registration})
    try:
        services.registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre inscription est annulée. Merci de nous avoir prévenus."))
    return redirect("events:registration", token=token)


@login_required
@require_POST
def cancel_mine(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_of_user(user=request.user, pk=pk)
    try:
        services.registration_cancel(registration=registration)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Votre inscription à « %(title)s » est annulée.")
            % {"title": registration.event.title},
        )
    return redirect("accounts:dashboard")


@limit_posts("proposal", "PROPOSAL_RATE", key="user_or_ip")
class ProposalCreateView(LoginRequiredMixin, VerifiedEmailRequiredMixin, TemplateView):
    template_name = "events/proposal_form.html"

    def load(self):
        self.event = selectors.event_for_public(slug=self.kwargs["slug"], user=self.request.user)
        self.call = getattr(self.event, "call", None)
        if self.call is None:
            raise Http404

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.load()
        form = forms.ProposalForm(event=self.event)
        return self.render_to_response(
            self.get_context_data(form=form, event=self.event, call=self.call)
        )

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.load()
        form = forms.ProposalForm(request.POST, request.FILES, event=self.event)
        if form.is_valid():
            proposal = form.save(commit=False)
            proposal.call = self.call
            proposal.author = request.user
            try:
                services.proposal_submit(proposal=proposal)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Merci ! Votre proposition est enregistrée ; "
                        "l'équipe vous répondra par e-mail."
                    ),
                )
                return redirect("accounts:dashboard")
        context = self.get_context_data(form=form, event=self.event, call=self.call)
        return self.render_to_response(context, status=422)


@login_required
@require_GET
def proposal_document(request: HttpRequest, pk: int) -> HttpResponse:
    """A proposal's PDF, for its author and the staff only."""
    proposal = selectors.proposal_for(user=request.user, pk=pk)
    if not proposal.document:
        raise Http404
    return FileResponse(
        proposal.document.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"proposition-{proposal.pk}.pdf",
    )


@staff_permission_required("events.change_registration")
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The welcome desk on the day: find a name, mark present, see the counts."""
    event = selectors.event_for_staff(slug=slug)
    if request.method == "POST":
        registration = selectors.registration_of_event(
            event=event, pk=request.POST.get("registration")
        )
        present = request.POST.get("present") == "1"
        services.registration_check_in(registration=registration, present=present)
        if present:
            messages.success(
                request, _("%(name)s est marqué présent.") % {"name": registration.full_name}
            )
        else:
            messages.info(
                request, _("%(name)s n'est plus marqué présent.") % {"name": registration.full_name}
            )
        back = QueryDict(mutable=True)
        back.update({k: request.POST[k] for k in ("q", "statut") if request.POST.get(k)})
        return redirect(f"{request.path}?{back.urlencode()}")
    filterset = selectors.attendee_filter(event, request.GET)
    shown = CHECK_IN_SHOWN
    rows = list(filterset.qs[: shown + 1])
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "filter": filterset,
            "rows": rows[:shown],
            "more": len(rows) > shown,
            "counts": selectors.attendee_counts(event),
            "query": request.GET.urlencode(),
        },
        status=400 if filterset.is_bound and filterset.errors else 200,
    )


@staff_permission_required("events.view_registration")
@require_GET
def attendees_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Exactly the registrations the welcome desk shows with the same query string, as
    CSV or XLSX, for the staff."""
    event = selectors.event_for_staff(slug=slug)
    filterset = selectors.attendee_filter(event, request.GET)
    if filterset.is_bound and filterset.errors:
        return HttpResponse(
            _("Filtres invalides."), status=400, content_type="text/plain; charset=utf-8"
        )
    return export_or_defer(
        request,
        builder="events.exports.attendees_file",
        fmt=fmt,
        rows=filterset.qs.count(),
        label=_("Inscrits à « %(title)s » (%(format)s)")
        % {"title": event.title, "format": fmt.upper()},
        arguments={"slug": event.slug},
    )
