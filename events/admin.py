"""The staff side of the calendar: events, workshops, registrations, proposals."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import mail
from core.adminpages import asking_action, batch_progress_redirect, reason_form
from events import services, tasks
from events.models import (
    CallForParticipation,
    Event,
    Proposal,
    Registration,
    Status,
    Workshop,
    WorkshopChoice,
)


class WorkshopInline(admin.TabularInline):
    model = Workshop
    extra = 1
    fields = ["title", "theme", "starts_at", "ends_at", "room", "capacity", "facilitators"]


class CallInline(admin.StackedInline):
    model = CallForParticipation
    extra = 0
    max_num = 1


@admin.action(description=gettext_lazy("Fermer les inscriptions des événements sélectionnés"))
def close_registrations(modeladmin, request, queryset):
    count = services.events_close_registrations(
        event_ids=list(queryset.values_list("pk", flat=True))
    )
    modeladmin.message_user(
        request,
        ngettext(
            "Inscriptions fermées pour %d événement.",
            "Inscriptions fermées pour %d événements.",
            count,
        )
        % count,
    )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "published", "registration_count", "staff_links"]
    list_filter = ["published", "kind", "themes", "region"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["commune", "organiser_entries"]
    filter_horizontal = ["themes"]
    inlines = [WorkshopInline, CallInline]
    actions = [close_registrations]
    readonly_fields = ["region", "staff_links"]
    date_hierarchy = "starts_at"
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "published", "summary", "description", "themes"]},
        ),
        (gettext_lazy("Quand"), {"fields": ["starts_at", "ends_at"]}),
        (
            gettext_lazy("Où"),
            {
                "fields": [
                    "venue",
                    "address",
                    "commune",
                    "region",
                    "latitude",
                    "longitude",
                    "online_url",
                ]
            },
        ),
        (gettext_lazy("Organisation"), {"fields": ["organisers", "organiser_entries"]}),
        (
            gettext_lazy("Inscriptions"),
            {
                "fields": [
                    "capacity",
                    "max_per_structure",
                    "registration_opens_at",
                    "registration_closes_at",
                    "registrations_closed",
                    "staff_links",
                ]  # fmt: skip
            },
        ),
        (gettext_lazy("Après l'événement"), {"fields": ["outputs"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_registrations=Count(
                    "registrations", filter=~Q(registrations__status=Status.CANCELLED)
                )
            )
        )

    @admin.display(description=gettext_lazy("inscrits"), ordering="active_registrations")
    def registration_count(self, obj: Event) -> int:
        return obj.active_registrations

    @admin.display(description=gettext_lazy("outils du jour"))
    def staff_links(self, obj: Event) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">CSV</a> · <a href="{}">XLSX</a> · '
            '<a href="{}">{}</a>',
            reverse("events:check_in", args=[obj.slug]),
            _("Accueil"),
            reverse("events:attendees_csv", args=[obj.slug]),
            reverse("events:attendees_xlsx", args=[obj.slug]),
            reverse("admin:events_registration_changelist") + f"?event__id__exact={obj.pk}",
            _("Inscriptions"),
        )

    def save_model(self, request, obj, form, change) -> None:
        """The service writes the event with its themes and organisers and what derives
        from its commune."""
        services.event_save(
            event=obj,
            themes=form.cleaned_data.get("themes"),
            organisers=form.cleaned_data.get("organiser_entries"),
        )

    def save_related(self, request, form, formsets, change) -> None:
        # Themes and organisers were written with the event; then its workshops and call,
        # and the search vector, which includes the workshops' titles.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        services.event_index([form.instance])


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Objet"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 8, "cols": 80})
    )


def _write_to_registrants(request, workshops, data) -> HttpResponse:
    """The messages go out from the worker, with a progress page."""
    ids = [workshop.pk for workshop in workshops]
    subject, body = data["subject"], data["body"]
    batch = mail.batch_start(
        label=_("Message « %(subject)s » aux inscrits") % {"subject": subject},
        total=sum(len(services.workshop_addresses(workshop)) for workshop in workshops),
        user=request.user,
        enqueue=lambda batch_id: tasks.send_workshop_message.enqueue(batch_id, ids, subject, body),
    )
    return batch_progress_redirect(batch)


write_to_registrants = asking_action(
    name="write_to_registrants",
    description=gettext_lazy("Écrire aux inscrits de l'atelier…"),
    form_class=MessageForm,
    title=gettext_lazy("Écrire aux inscrits"),
    button=gettext_lazy("Envoyer"),
    apply=_write_to_registrants,
)


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "starts_at", "capacity", "seats_taken", "people_waiting"]
    list_filter = ["event", "theme"]
    search_fields = ["title", "event__title"]
    autocomplete_fields = ["event"]
    actions = [write_to_registrants]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event")
            .annotate(
                taken=Count("choices", filter=Q(choices__status=Status.CONFIRMED)),
                waiting=Count("choices", filter=Q(choices__status=Status.WAITLISTED)),
            )
        )

    @admin.display(description=gettext_lazy("places prises"), ordering="taken")
    def seats_taken(self, obj) -> int:
        return obj.taken

    @admin.display(description=gettext_lazy("en attente"), ordering="waiting")
    def people_waiting(self, obj) -> int:
        return obj.waiting


class ChoiceInline(admin.TabularInline):
    model = WorkshopChoice
    extra = 0
    fields = ["workshop", "status", "waitlist_position", "promoted_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=gettext_lazy("Annuler les inscriptions sélectionnées (et prévenir)"))
def cancel_registrations(modeladmin, request, queryset):
    count = 0
    for registration in queryset.exclude(status=Status.CANCELLED).select_related("event"):
        try:
            services.registration_cancel(registration=registration, by_staff=True)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{registration} : {' '.join(error.messages)}", messages.WARNING
            )
            continue
        count += 1
    modeladmin.message_user(
        request, ngettext("%d inscription annulée.", "%d inscriptions annulées.", count) % count
    )


class MoveForm(forms.Form):
    source = forms.ModelChoiceField(
        label=gettext_lazy("Depuis l'atelier"), queryset=Workshop.objects.none()
    )
    target = forms.ModelChoiceField(
        label=gettext_lazy("Vers l'atelier"), queryset=Workshop.objects.none()
    )

    def __init__(self, *args, event_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        workshops = Workshop.objects.filter(event_id__in=event_ids).order_by("starts_at")
        self.fields["source"].queryset = workshops
        self.fields["target"].queryset = workshops


def _move_registrations(request, registrations, data) -> str:
    moved = 0
    for registration in registrations:
        try:
            services.registration_move(
                registration=registration, source=data["source"], target=data["target"]
            )
            moved += 1
        except ValidationError as error:
            messages.warning(request, " ".join(error.messages))
    return ngettext("%d personne déplacée.", "%d personnes déplacées.", moved) % moved


move_registrations = asking_action(
    name="move_registrations",
    description=gettext_lazy("Changer d'atelier…"),
    form_class=MoveForm,
    form_kwargs=lambda request, queryset: {
        "event_ids": set(queryset.values_list("event_id", flat=True))
    },
    title=gettext_lazy("Changer d'atelier"),
    button=gettext_lazy("Déplacer"),
    apply=_move_registrations,
)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["full_name", "event", "status", "structure_name", "created_at", "checked_in_at"]
    list_filter = ["event", "status", ("checked_in_at", admin.EmptyFieldListFilter)]
    search_fields = ["full_name", "email", "structure_name"]
    list_select_related = ["event"]
    inlines = [ChoiceInline]
    actions = [cancel_registrations, move_registrations]
    readonly_fields = [
        "event", "user", "status", "waitlist_position", "consent_at", "created_at",
        "updated_at", "cancelled_at", "checked_in_at", "reminded_at", "anonymised_at",
    ]  # fmt: skip
    fields = [
        "event", "user", "full_name", "email", "structure", "structure_name",
        "accessibility_needs", "dietary_needs", *readonly_fields[2:],
    ]  # fmt: skip
    autocomplete_fields = ["structure"]

    def has_add_permission(self, request):
        return False


DecisionForm = reason_form(
    gettext_lazy("Note pour l'auteur (facultatif pour une acceptation)"), required=False
)


def _deciding(status: str):
    def apply(request, proposals, data) -> str:
        for proposal in proposals:
            services.proposal_decide(
                proposal=proposal, status=status, reviewer=request.user, note=data["reason"]
            )
        count = len(proposals)
        return ngettext("%d proposition traitée.", "%d propositions traitées.", count) % count

    return apply


accept_proposals = asking_action(
    name="accept_proposals",
    description=gettext_lazy("Retenir les propositions sélectionnées…"),
    form_class=DecisionForm,
    title=gettext_lazy("Retenir des propositions"),
    button=gettext_lazy("Confirmer et prévenir"),
    apply=_deciding(Proposal.Status.ACCEPTED),
)
reject_proposals = asking_action(
    name="reject_proposals",
    description=gettext_lazy("Ne pas retenir les propositions sélectionnées…"),
    form_class=DecisionForm,
    title=gettext_lazy("Ne pas retenir des propositions"),
    button=gettext_lazy("Confirmer et prévenir"),
    apply=_deciding(Proposal.Status.REJECTED),
)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "author", "status", "created_at", "document_link"]
    list_filter = ["status", "call"]
    search_fields = ["title", "summary", "author__email"]
    list_select_related = ["call", "author"]
    actions = [accept_proposals, reject_proposals]
    readonly_fields = [
        "call",
        "author",
        "status",
        "reviewed_by",
        "reviewed_at",
        "created_at",
        "document_link",
    ]
    fields = [
        "call",
        "author",
        "title",
        "summary",
        "workshop",
        "theme",
        "contributors",
        "document_link",
        "status",
        "review_note",
        "reviewed_by",
        "reviewed_at",
        "created_at",
    ]

    @admin.display(description=gettext_lazy("document"))
    def document_link(self, obj: Proposal) -> str:
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}">PDF</a>', reverse("events:proposal_document", args=[obj.pk])
        )

    def has_add_permission(self, request):
        return False
